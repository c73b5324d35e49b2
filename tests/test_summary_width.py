"""Every plain-text ``summary()`` fits in 80 columns (issue #17), as the CLI's Rich tables do, and
wrapping loses nothing: the table read back (a label broken over lines joined again) gives each
parameter's estimate and standard error. The numbers themselves are checked against
references where they are computed (tests/test_mvnormal.py, test_classifier.py, …); here the
reference of an estimate is a closed form computed in the test (means, biased covariances,
least squares) or the result's own ``params`` / ``stderr`` for what the table prints."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import maxlik
from maxlik import ConvergenceWarning
from maxlik.models import GaussianClassifier, GaussianMixture, LinearRegression, LogisticRegression

RNG = np.random.default_rng(17)
LONG = ["sepal_length_in_centimetres", "sepal_width_in_centimetres", "petal.length.cm", "petal_width_cm"]
X4 = RNG.normal(size=(160, 4)) + np.repeat([[0.0] * 4, [2.5] * 4], 80, axis=0)
Y = np.repeat(["versicolor_with_a_long_name", "virginica"], 80)


def _table(text: str) -> dict[str, list[float]]:
    """label -> the numbers of its row, from the lines under the dashes (a line with one word is
    the first part of a label continued on the next line, indented by two spaces)."""
    lines = text.splitlines()
    start = next(i for i, s in enumerate(lines) if s and set(s) == {"-"}) + 1
    out, pending = {}, ""
    for line in lines[start:]:
        words = line.split()
        if len(words) == 1:
            pending += words[0]
            continue
        out[pending + words[0]] = [float(w) for w in words[1:]]
        pending = ""
    return out


def _check(result, text=None):
    text = result.summary() if text is None else text
    widths = [len(s) for s in text.splitlines()]
    assert max(widths) <= 80, text
    table = _table(text)
    rows = result.rows()
    assert list(table) == [r.label for r in rows]
    for r in rows:
        got = table[r.label]
        assert got[0] == pytest.approx(r.estimate, rel=1e-5, abs=1e-12)
        if r.stderr is not None:
            assert got[1] == pytest.approx(r.stderr, rel=1e-3)
    return table


def test_normal_fit():
    x = RNG.normal(3.0, 2.0, 200)
    t = _check(maxlik.fit(x, "normal"))
    assert t["loc"][0] == pytest.approx(x.mean(), rel=1e-5)
    assert t["scale"][0] == pytest.approx(x.std(), rel=1e-5)


def test_mvnormal_full_four_dimensions():
    r = maxlik.fit(X4, "mvnormal")
    t = _check(r)
    S = np.cov(X4.T, bias=True)
    for i in range(4):
        assert t[f"loc[{i}]"][0] == pytest.approx(X4[:, i].mean(), rel=1e-5, abs=1e-9)
        for j in range(4):
            assert t[f"covariance_matrix[{i},{j}]"][0] == pytest.approx(S[i, j], rel=1e-5, abs=1e-9)


def test_classifier_with_long_feature_and_class_names():
    r = GaussianClassifier().fit(X4, Y, feature_names=LONG).result_
    t = _check(r)
    rows = X4[Y == "virginica"]
    S = np.cov(rows.T, bias=True)
    assert t["mean[virginica][sepal_length_in_centimetres]"][0] == pytest.approx(rows[:, 0].mean(), rel=1e-5)
    assert t["cov[virginica][sepal_width_in_centimetres,petal.length.cm]"][0] == pytest.approx(S[1, 2], rel=1e-5)
    assert max(len(k) for k in t) > 60  # long enough that it had to wrap


def test_mixture_with_long_feature_names():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm = GaussianMixture(2, random_state=0).fit(X4, feature_names=LONG)
    t = _check(gm.result_)
    assert t["weight[0]"][0] + t["weight[1]"][0] == pytest.approx(1.0, abs=2e-6)
    k = int(np.argmin(gm.means_[:, 0]))
    assert t[f"cov[{k}][sepal_length_in_centimetres,petal_width_cm]"][0] == pytest.approx(gm.covariances_[k, 0, 3], rel=1e-5)


def test_regressions_with_tests_columns():
    y = 1.0 + X4 @ np.array([0.5, -1.0, 2.0, 0.0]) + RNG.normal(0, 0.5, len(X4))
    t = _check(LinearRegression().fit(X4, y, feature_names=LONG).result_)
    beta = np.linalg.lstsq(np.column_stack([np.ones(len(y)), X4]), y, rcond=None)[0]
    assert [t[k][0] for k in ["intercept", *LONG]] == pytest.approx(beta, rel=1e-5)
    _check(LogisticRegression().fit(X4, y > 2.0, feature_names=LONG).result_)


def test_curve_fit():
    import jax.numpy as jnp
    from scipy.optimize import curve_fit

    t = np.linspace(0.0, 5.0, 40)
    y = 3.0 * np.exp(-1.3 * t) + 0.5 + RNG.normal(0, 0.05, 40)
    names = ["amplitude_of_the_decay_curve", "decay_rate_per_second_of_the_curve", "offset"]
    r = maxlik.fit_curve(lambda p, t: p[0] * jnp.exp(-p[1] * t) + p[2], t, y, p0=[1.0, 1.0, 0.0], names=names)
    table = _check(r)
    ref, _ = curve_fit(lambda t, a, b, c: a * np.exp(-b * t) + c, t, y, p0=[1.0, 1.0, 0.0])
    assert [table[k][0] for k in names] == pytest.approx(ref, rel=1e-5)


def test_long_header_values_wrap_at_spaces():
    r = GaussianClassifier().fit(X4, np.repeat([f"class_{'x' * 30}_a", f"class_{'x' * 30}_b"], 80)).result_
    text = r.summary()
    assert max(len(s) for s in text.splitlines()) <= 80
    head = " ".join(s.strip() for s in text.split("\n\n")[0].splitlines())
    assert re.sub(r"\s+", " ", r.title) in head


def test_compare_selection_and_lrt_fit_too():
    x = RNG.gamma(2.0, 1.5, 200)
    tables = [maxlik.compare(x, ["gamma", "normal", "negative_binomial", "poisson"]).summary(),
              maxlik.lrt(maxlik.fit(x, "gamma", fixed={"concentration": 2.0}), maxlik.fit(x, "gamma")).summary(),
              maxlik.select_mixture(X4[:, :2], n_components=[1, 2]).summary()]
    for text in tables:
        assert max(len(s) for s in text.splitlines()) <= 80, text
