"""Names from the data (issue #17, item 2): a DataFrame's columns, or ``fit(..., feature_names=)``,
label every estimator's ``result_`` (params, stderr, conf_int, rows, summary, JSON), and the CLI
passes a CSV header's names.

Each named fit is compared with an independent fit of the bare array (same numbers, x0 … names),
and the covariance labels with closed-form NumPy estimates of what they claim to be: one
variance per class (spherical), one per class and feature (diag), one shared matrix (tied).
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from maxlik import GaussianClassifier, GaussianMixture, LinearRegression, LogisticRegression
from maxlik import PoissonRegression, SoftmaxRegression
from maxlik.cli import app
from maxlik.errors import ParameterError
from maxlik.results import Result

FEATURES = ["age", "dose"]
ARRAY_NAMES = ["x0", "x1"]


def _data(n=120, seed=3):
    """Two well-separated groups ("high", "low") in (age, dose), a Gaussian, a binary and a count
    response."""
    rng = np.random.default_rng(seed)
    high = rng.normal([50.0, 4.0], [6.0, 0.8], size=(n // 2, 2))
    low = rng.normal([30.0, 1.0], [5.0, 0.5], size=(n - n // 2, 2))
    X = np.vstack([high, low])
    labels = np.array(["high"] * (n // 2) + ["low"] * (n - n // 2))
    eta = -4.0 + 0.05 * X[:, 0] + 0.6 * X[:, 1]
    return {
        "X": X, "labels": labels,
        "y": 1.0 + 0.1 * X[:, 0] + 2.0 * X[:, 1] + rng.normal(size=n),
        "binary": (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(int),
        "counts": rng.poisson(np.exp(0.5 + 0.02 * X[:, 0] + 0.1 * X[:, 1])),
        "classes3": np.array(["a", "b", "c"])[rng.integers(0, 3, n)],
    }


D = _data()
DF = pd.DataFrame(D["X"], columns=FEATURES)


def _rename(label: str) -> str:
    """The label an array fit gives to a named fit's label."""
    for f, x in zip(FEATURES, ARRAY_NAMES):
        label = label.replace(f, x)
    return label


def _check_named(named, bare, expected_labels):
    """``named`` carries ``expected_labels`` everywhere; its numbers are ``bare``'s (the array fit)."""
    assert list(named.params) == expected_labels
    assert list(bare.params) == [_rename(k) for k in expected_labels]
    for k in expected_labels:
        assert named.params[k] == pytest.approx(bare.params[_rename(k)], rel=1e-10, abs=1e-12)
        assert named.stderr[k] == pytest.approx(bare.stderr[_rename(k)], rel=1e-8, abs=1e-12)
    assert set(named.conf_int()) == set(named.stderr) and set(named.stderr) <= set(expected_labels)
    assert [r.label for r in named.rows()] == expected_labels
    text = named.summary()
    assert all(k in text for k in expected_labels) and "x0" not in text and "x1" not in text
    d = json.loads(named.to_json())
    assert list(d["params"]) == expected_labels
    assert list(Result.from_json(named.to_json()).params) == expected_labels
    if named.cov_labels:
        assert all(_rename(k) in bare.cov_labels for k in named.cov_labels)


REGRESSIONS = [
    (LinearRegression, "y", ["intercept", *FEATURES]),
    (LogisticRegression, "binary", ["intercept", *FEATURES]),
    (PoissonRegression, "counts", ["intercept", *FEATURES]),
    (SoftmaxRegression, "classes3", [f"{f}[{c}]" for c in "bc" for f in ["intercept", *FEATURES]]),
]


@pytest.mark.parametrize("cls, target, labels", REGRESSIONS, ids=lambda v: getattr(v, "__name__", None))
def test_regression_labels_from_dataframe_and_feature_names(cls, target, labels):
    y = D[target]
    bare = cls().fit(D["X"], y).result_
    _check_named(cls().fit(DF, y).result_, bare, labels)
    _check_named(cls().fit(D["X"], y, feature_names=FEATURES).result_, bare, labels)


def test_linear_regression_named_coefficients_are_least_squares():
    r = LinearRegression().fit(DF, D["y"]).result_
    beta = np.linalg.lstsq(np.column_stack([np.ones(len(D["y"])), D["X"]]), D["y"], rcond=None)[0]
    assert [r.params[k] for k in ["intercept", "age", "dose"]] == pytest.approx(beta, rel=1e-10)


def _class_cov_labels(ct):
    classes = ["high", "low"]
    if ct == "spherical":
        per_class = {c: [f"var[{c}]"] for c in classes}
    elif ct == "diag":
        per_class = {c: [f"var[{c}][{f}]" for f in FEATURES] for c in classes}
    elif ct == "full":
        per_class = {c: [f"cov[{c}][age,age]", f"cov[{c}][age,dose]", f"cov[{c}][dose,dose]"] for c in classes}
    else:
        per_class = {c: [] for c in classes}
    labels = [lab for c in classes for lab in [f"prior[{c}]", *(f"mean[{c}][{f}]" for f in FEATURES), *per_class[c]]]
    if ct == "tied":
        labels += ["cov[tied][age,age]", "cov[tied][age,dose]", "cov[tied][dose,dose]"]
    return labels


def _class_cov_reference(ct):
    """The MLE of each covariance label from NumPy: per-class moments, pooled for tied."""
    X, lab = D["X"], D["labels"]
    ref = {}
    pooled = sum(np.cov(X[lab == c].T, bias=True) * (lab == c).sum() for c in ("high", "low")) / len(lab)
    for c in ("high", "low"):
        S = np.cov(X[lab == c].T, bias=True)
        if ct == "spherical":
            ref[f"var[{c}]"] = np.trace(S) / 2
        elif ct == "diag":
            ref.update({f"var[{c}][{f}]": S[j, j] for j, f in enumerate(FEATURES)})
        elif ct == "full":
            ref.update({f"cov[{c}][age,age]": S[0, 0], f"cov[{c}][age,dose]": S[0, 1], f"cov[{c}][dose,dose]": S[1, 1]})
    if ct == "tied":
        ref.update({"cov[tied][age,age]": pooled[0, 0], "cov[tied][age,dose]": pooled[0, 1], "cov[tied][dose,dose]": pooled[1, 1]})
    return ref


@pytest.mark.parametrize("ct", ["full", "tied", "diag", "spherical"])
def test_classifier_labels_name_features_classes_and_structure(ct):
    bare = GaussianClassifier(covariance_type=ct).fit(D["X"], D["labels"]).result_
    named = GaussianClassifier(covariance_type=ct).fit(DF, D["labels"]).result_
    labels = _class_cov_labels(ct)
    _check_named(named, bare, labels)
    _check_named(GaussianClassifier(covariance_type=ct).fit(D["X"], D["labels"], feature_names=FEATURES).result_, bare, labels)
    for k, v in _class_cov_reference(ct).items():
        assert named.params[k] == pytest.approx(v, rel=1e-10)
    for c in ("high", "low"):
        rows = D["X"][D["labels"] == c]
        assert [named.params[f"mean[{c}][{f}]"] for f in FEATURES] == pytest.approx(rows.mean(0), rel=1e-12)
    assert named.to_dict()["feature_names"] == FEATURES


def test_classifier_spherical_variance_stderr_is_the_fisher_information():
    """se(σ²) = σ² sqrt(2 / (d Wₖ)): σ² is the mean of d·Wₖ squared deviations."""
    r = GaussianClassifier(covariance_type="spherical").fit(DF, D["labels"]).result_
    for c in ("high", "low"):
        W = (D["labels"] == c).sum()
        assert r.stderr[f"var[{c}]"] == pytest.approx(r.params[f"var[{c}]"] * np.sqrt(2 / (2 * W)), rel=1e-10)


def _mixture_labels(ct):
    labels = ["weight[0]", "weight[1]", *(f"mean[{k}][{f}]" for k in (0, 1) for f in FEATURES)]
    if ct == "spherical":
        return labels + ["var[0]", "var[1]"]
    if ct == "diag":
        return labels + [f"var[{k}][{f}]" for k in (0, 1) for f in FEATURES]
    owners = ["tied"] if ct == "tied" else [0, 1]
    return labels + [f"cov[{o}][{a},{b}]" for o in owners for a, b in [("age", "age"), ("age", "dose"), ("dose", "dose")]]


@pytest.mark.parametrize("ct", ["full", "tied", "diag", "spherical"])
def test_mixture_labels_name_features_and_structure(ct):
    bare = GaussianMixture(2, covariance_type=ct, random_state=0).fit(D["X"])
    named = GaussianMixture(2, covariance_type=ct, random_state=0).fit(DF)
    _check_named(named.result_, bare.result_, _mixture_labels(ct))
    given = GaussianMixture(2, covariance_type=ct, random_state=0).fit(D["X"], feature_names=FEATURES)
    _check_named(given.result_, bare.result_, _mixture_labels(ct))
    covs = np.asarray(bare.covariances_)  # scikit-learn's layout: (K,) spherical, (K, d) diag
    if ct == "spherical":
        assert [named.result_.params[f"var[{k}]"] for k in (0, 1)] == pytest.approx(covs, rel=1e-10)
    if ct == "diag":
        assert [named.result_.params[f"var[{k}][{f}]"] for k in (0, 1) for f in FEATURES] == pytest.approx(covs.ravel(), rel=1e-10)


def test_feature_names_do_not_make_array_predictions_warn():
    clf = GaussianClassifier().fit(D["X"], D["labels"], feature_names=FEATURES)
    gm = GaussianMixture(2, random_state=0).fit(D["X"], feature_names=FEATURES)
    lr = LogisticRegression().fit(D["X"], D["binary"], feature_names=FEATURES)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.predict(D["X"]), gm.predict(D["X"]), lr.predict(D["X"])
    assert not hasattr(clf, "feature_names_in_")
    # a later fit without names goes back to x0, x1
    assert "mean[high][x0]" in clf.fit(D["X"], D["labels"]).result_.params


def test_partial_fit_keeps_the_first_names():
    clf = GaussianClassifier().partial_fit(D["X"][::2], D["labels"][::2], classes=["high", "low"], feature_names=FEATURES)
    clf.partial_fit(D["X"][1::2], D["labels"][1::2])
    whole = GaussianClassifier().fit(DF, D["labels"]).result_
    assert list(clf.result_.params) == list(whole.params)
    assert list(clf.result_.params.values()) == pytest.approx(list(whole.params.values()), rel=1e-10)
    with pytest.raises(ParameterError, match=r"feature_names must match the columns of X \(\['age', 'dose'\]\)"):
        clf.partial_fit(D["X"][:4], D["labels"][:4], feature_names=["a", "b"])


@pytest.mark.parametrize(
    "X, names, message",
    [
        (D["X"], ["age"], r"GaussianClassifier: feature_names must have one name per column of X \(2\); got 1"),
        (D["X"], "age", r"GaussianClassifier: feature_names must be a list of 2 names; got 'age'"),
        (D["X"], ["age", "age"], r"GaussianClassifier: feature_names must be distinct; got \['age'\] more than once"),
        (DF, ["dose", "age"], r"GaussianClassifier: feature_names must match the columns of X \(\['age', 'dose'\]\)"),
    ],
)
def test_bad_feature_names(X, names, message):
    with pytest.raises(ParameterError, match=message):
        GaussianClassifier().fit(X, D["labels"], feature_names=names)


def test_bad_feature_names_regression_and_mixture():
    with pytest.raises(ParameterError, match=r"LinearRegression: feature_names must have one name per column of X \(2\); got 3"):
        LinearRegression().fit(D["X"], D["y"], feature_names=["a", "b", "c"])
    with pytest.raises(ParameterError, match=r"GaussianMixture: feature_names must be distinct"):
        GaussianMixture(2).fit(D["X"], feature_names=["a", "a"])


# -- the command line ------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture(scope="module")
def csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("names") / "trial.csv"
    lines = ["age,dose,response,group,count"]
    lines += [f"{float(a)!r},{float(d)!r},{float(y)!r},{g},{c}" for (a, d), y, g, c in zip(D["X"], D["y"], D["labels"], D["counts"])]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def _cli(*args):
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return res.stdout


@pytest.mark.parametrize("family, target, key, cls", [("gaussian", "response", "y", LinearRegression),
                                                      ("poisson", "count", "counts", PoissonRegression)])
def test_cli_regress_names_the_columns(csv, family, target, key, cls):
    out = json.loads(_cli("regress", csv, "-y", target, "-c", "age", "-c", "dose", "-f", family, "--format", "json"))
    bare = cls().fit(D["X"], D[key]).result_
    assert list(out["params"]) == ["intercept", "age", "dose"]
    assert list(out["params"].values()) == pytest.approx(list(bare.params.values()), rel=1e-9)
    text = _cli("regress", csv, "-y", target, "-c", "age", "-c", "dose", "-f", family)
    assert "age" in text and "dose" in text and "x0" not in text and "x1" not in text


@pytest.mark.parametrize("ct", ["full", "tied", "diag", "spherical"])
def test_cli_classify_names_the_columns_and_classes(csv, ct):
    out = json.loads(_cli("classify", csv, "-l", "group", "-c", "age", "-c", "dose", "--covariance", ct, "--format", "json"))
    labels = _class_cov_labels(ct)
    assert list(out["params"]) == labels
    bare = GaussianClassifier(covariance_type=ct).fit(D["X"], D["labels"]).result_
    assert list(out["params"].values()) == pytest.approx(list(bare.params.values()), rel=1e-9)
    text = _cli("classify", csv, "-l", "group", "-c", "age", "-c", "dose", "--covariance", ct)
    assert all(k in text for k in labels) and "x0" not in text


def test_cli_mixture_names_the_columns(csv):
    out = json.loads(_cli("mixture", csv, "-c", "age", "-c", "dose", "-k", "2", "--covariance", "diag", "--format", "json"))
    assert list(out["params"]) == _mixture_labels("diag")
    bare = GaussianMixture(2, covariance_type="diag", random_state=0).fit(D["X"]).result_
    assert list(out["params"].values()) == pytest.approx(list(bare.params.values()), rel=1e-9)
    text = _cli("mixture", csv, "-c", "age", "-c", "dose", "-k", "2", "--covariance", "diag")
    assert "var[0][age]" in text and "x0" not in text
