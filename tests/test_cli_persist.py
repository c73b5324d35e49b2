"""`maxlik fit|classify|mixture|regress ... --save model.json` and `maxlik predict model.json
data.csv`, checked against independent references: scipy's densities at the saved estimates,
numpy's least squares, scikit-learn's logistic regression."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from scipy import stats
from typer.testing import CliRunner

import maxlik
from maxlik import datasets
from maxlik.cli import app

FAITHFUL = str(datasets.path("faithful"))
IRIS = str(datasets.path("iris"))


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def _csv(text: str) -> dict:
    rows = list(csv.reader(io.StringIO(text)))
    return {name: [r[j] for r in rows[1:]] for j, name in enumerate(rows[0])}


def test_fit_save_then_predict_gives_the_log_density_per_row(tmp_path):
    model = tmp_path / "m.json"
    res = run("fit", FAITHFUL, "-c", "eruptions", "--family", "gamma", "--save", model)
    assert res.exit_code == 0, res.output
    fitted = maxlik.load(model)
    out = run("predict", model, FAITHFUL)
    assert out.exit_code == 0, out.output
    cols = _csv(out.stdout)
    x = datasets.load("faithful").X[:, 0]
    ref = stats.gamma.logpdf(x, fitted.params["concentration"], scale=1 / fitted.params["rate"])
    np.testing.assert_allclose(np.array(cols["loglik"], dtype=float), ref, rtol=1e-12)
    assert list(cols) == ["loglik"] and np.sum(ref) == pytest.approx(fitted.loglik, rel=1e-12)


def test_classify_save_then_predict_matches_the_gaussian_posterior(tmp_path):
    model = tmp_path / "c.json"
    assert run("classify", IRIS, "--label", "Species", "--save", model).exit_code == 0
    out = run("predict", model, IRIS, "--format", "json")
    assert out.exit_code == 0, out.output
    records = json.loads(out.stdout)
    clf = maxlik.load(model)
    X = datasets.load("iris").X
    joint = np.column_stack([np.log(p) + stats.multivariate_normal(m, c).logpdf(X)
                             for p, m, c in zip(clf.class_prior_, clf.means_, clf.covariances_)])
    post = np.exp(joint - np.logaddexp.reduce(joint, axis=1, keepdims=True))
    assert list(records[0]) == ["predicted", "p_setosa", "p_versicolor", "p_virginica", "loglik"]
    got = np.array([[r[f"p_{c}"] for c in ("setosa", "versicolor", "virginica")] for r in records])
    np.testing.assert_allclose(got, post, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose([r["loglik"] for r in records], np.logaddexp.reduce(joint, axis=1), rtol=1e-12)
    assert [r["predicted"] for r in records] == [clf.classes_[k] for k in post.argmax(1)]


def test_mixture_save_npz_then_predict_to_a_file(tmp_path):
    model, preds = tmp_path / "g.npz", tmp_path / "p.csv"
    assert run("mixture", FAITHFUL, "--components", "2", "--save", model).exit_code == 0
    out = run("predict", model, FAITHFUL, "--out", preds)
    assert out.exit_code == 0 and out.stdout == ""
    cols = _csv(preds.read_text())
    gm = maxlik.load(model)
    X = datasets.load("faithful").X
    dens = np.column_stack([np.log(w) + stats.multivariate_normal(m, c).logpdf(X)
                            for w, m, c in zip(gm.weights_, gm.means_, gm.covariances_)])
    np.testing.assert_allclose(np.array(cols["loglik"], dtype=float), np.logaddexp.reduce(dens, axis=1), rtol=1e-10)
    assert np.array_equal(np.array(cols["component"], dtype=int), dens.argmax(1))
    assert list(cols) == ["component", "p_0", "p_1", "loglik"]


def test_regress_save_then_predict_with_the_target_gives_the_gaussian_loglik(tmp_path):
    model = tmp_path / "r.json"
    assert run("regress", FAITHFUL, "-y", "waiting", "--save", model).exit_code == 0
    cols = _csv(run("predict", model, FAITHFUL).stdout)
    x, y = datasets.load("faithful").X.T
    A = np.column_stack([np.ones_like(x), x])
    beta = np.linalg.lstsq(A, y, rcond=None)[0]
    mean = A @ beta
    sigma = np.sqrt(np.mean((y - mean) ** 2))  # the MLE σ̂² = RSS/N (--sigma mle, the default)
    np.testing.assert_allclose(np.array(cols["predicted"], dtype=float), mean, rtol=1e-10)
    np.testing.assert_allclose(np.array(cols["loglik"], dtype=float), stats.norm.logpdf(y, mean, sigma), rtol=1e-10)
    no_target = tmp_path / "x.csv"
    no_target.write_text("eruptions\n2.0\n4.5\n")
    short = _csv(run("predict", model, no_target).stdout)  # no target column: no loglik
    assert list(short) == ["predicted"]
    np.testing.assert_allclose(np.array(short["predicted"], dtype=float), beta[0] + beta[1] * np.array([2.0, 4.5]), rtol=1e-10)


def test_logistic_regress_predict_matches_scikit_learn(tmp_path):
    from sklearn.linear_model import LogisticRegression

    data = tmp_path / "d.csv"
    rng = np.random.default_rng(3)
    x = rng.normal(size=200)
    y = (x + rng.normal(size=200) > 0.3).astype(int)
    data.write_text("x,y\n" + "".join(f"{float(a)!r},{b}\n" for a, b in zip(x, y)))
    model = tmp_path / "l.json"
    assert run("regress", data, "-y", "y", "--family", "bernoulli", "--save", model).exit_code == 0
    cols = _csv(run("predict", model, data).stdout)
    ref = LogisticRegression(C=np.inf, tol=1e-12, max_iter=1000).fit(x[:, None], y)
    p1 = ref.predict_proba(x[:, None])[:, 1]
    np.testing.assert_allclose(np.array(cols["p_1"], dtype=float), p1, rtol=1e-6)
    np.testing.assert_allclose(np.array(cols["loglik"], dtype=float), np.log(np.where(y == 1, p1, 1 - p1)), rtol=1e-6)
    assert cols["predicted"] == [str(v) for v in (p1 > 0.5).astype(int)]


def test_predict_errors_are_one_line_and_write_nothing(tmp_path):
    model, preds = tmp_path / "m.json", tmp_path / "p.csv"
    assert run("fit", FAITHFUL, "-c", "eruptions", "--family", "gamma", "--save", model).exit_code == 0
    bad = run("predict", model, FAITHFUL, "--column", "nope", "--out", preds)
    assert bad.exit_code == 1 and not preds.exists()
    assert bad.stderr.strip().splitlines() == ["error: read: column must be one of ['eruptions', 'waiting']; got 'nope' in "
                                               f"{FAITHFUL}. Check the spelling (names are case-sensitive)."]
    not_model = run("predict", FAITHFUL, FAITHFUL, "--out", preds)
    assert not_model.exit_code == 1 and not preds.exists()
    assert not_model.stderr.strip() == ("error: maxlik.load: faithful.csv must be a maxlik model file (written by maxlik.save or "
                                        "`maxlik ... --save`); got a file that is not JSON (it starts with "
                                        "'\"eruptions\",\"waiting\"'). Pass the .json or .npz file that was saved.")
    table = tmp_path / "t.json"
    maxlik.save(maxlik.compare(datasets.load("faithful").X[:, 0], ["normal", "gamma"]), table)
    nothing = run("predict", table, FAITHFUL)
    assert nothing.exit_code == 1 and nothing.stderr.strip() == (
        "error: maxlik predict: the model file must hold a model that predicts (a classifier, mixture, regression or fit "
        "result); got a CompareTable. Save one of those with --save.")
    assert run("predict", model, FAITHFUL, "--format", "xml").exit_code == 2


def test_save_path_is_checked_before_fitting(tmp_path):
    res = run("fit", FAITHFUL, "-c", "eruptions", "--save", tmp_path / "no" / "such" / "m.json")
    assert res.exit_code == 1 and "--save" in res.stderr and res.stdout == ""


def test_fit_by_and_mixture_select_save_their_models(tmp_path):
    groups, best = tmp_path / "g.json", tmp_path / "b.json"
    data = tmp_path / "d.csv"
    data.write_text("g,x\n" + "".join(f"{i % 2},{1.0 + i * 0.37 % 3}\n" for i in range(40)))
    assert run("fit", data, "-c", "x", "--by", "g", "--save", groups).exit_code == 0
    fits = maxlik.load(groups)
    assert isinstance(fits, maxlik.GroupFits) and len(fits) == 2
    assert run("mixture", FAITHFUL, "--select", "1..2", "--covariance", "diag", "--save", best).exit_code == 0
    assert isinstance(maxlik.load(best), maxlik.GaussianMixture)


def test_a_run_that_fails_after_fitting_saves_no_model(tmp_path):
    model = tmp_path / "c.json"
    res = run("classify", IRIS, "--label", "Species", "--predict", tmp_path / "missing.csv", "--save", model)
    assert res.exit_code == 1 and "missing.csv" in res.stderr and not model.exists()
    res = run("regress", FAITHFUL, "-y", "waiting", "--predict", tmp_path / "missing.csv", "--save", model)
    assert res.exit_code == 1 and not model.exists()
