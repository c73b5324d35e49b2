"""Regression as likelihood: LinearRegression, LogisticRegression, PoissonRegression and
SoftmaxRegression against statsmodels (OLS, Logit, GLM Poisson, MNLogit) and scikit-learn,
plus separation detection, weights, feature names and every error message."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression as SkLogistic
from sklearn.utils._param_validation import InvalidParameterError

import maxlik

from shared_paths import shared_data
from maxlik.errors import ConvergenceWarning, DataError, DegenerateFitError, ParameterError, SupportError
from maxlik.models import LinearRegression, LogisticRegression, PoissonRegression, SoftmaxRegression
from maxlik.status import Status


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.abs(b)))


def values(d):
    return np.array(list(d.values()))


@pytest.fixture(scope="module")
def iris():
    return pd.read_csv(shared_data("iris.csv"))


@pytest.fixture(scope="module")
def spam():
    df = pd.read_csv(shared_data("spam.csv"))
    return df.drop(columns="type"), (df["type"] == "spam").astype(int)


@pytest.fixture(scope="module")
def counts():
    rng = np.random.default_rng(7)
    X = pd.DataFrame(rng.normal(size=(400, 3)), columns=["a", "b", "c"])
    y = rng.poisson(np.exp(0.3 + X.to_numpy() @ np.array([0.5, -0.3, 0.2])))
    return X, y


# -- agreement with statsmodels -----------------------------------------------------------------
def test_linear_matches_statsmodels_ols(iris):
    X, y = iris[["Sepal.Length", "Sepal.Width", "Petal.Length"]], iris["Petal.Width"]
    ref = sm.OLS(y, sm.add_constant(X)).fit()
    unb = LinearRegression(sigma="unbiased").fit(X, y).result_
    assert rel(values(unb.params), ref.params) < 1e-10
    assert rel(values(unb.stderr), ref.bse) < 1e-10
    mle = LinearRegression().fit(X, y)
    n, p = X.shape[0], 4
    assert rel(values(mle.result_.stderr), ref.bse * np.sqrt((n - p) / n)) < 1e-10
    assert mle.result_.loglik == pytest.approx(ref.llf, rel=1e-12)
    assert mle.sigma2_ == pytest.approx(ref.ssr / n, rel=1e-12)
    np.testing.assert_allclose(mle.predict(X), ref.fittedvalues, rtol=1e-12)


def test_linear_without_intercept(iris):
    X, y = iris[["Sepal.Length", "Sepal.Width"]], iris["Petal.Width"]
    ref = sm.OLS(y, X).fit()
    res = LinearRegression(fit_intercept=False, sigma="unbiased").fit(X, y).result_
    assert res.names == ["Sepal.Length", "Sepal.Width"]
    assert rel(values(res.params), ref.params) < 1e-10
    assert rel(values(res.stderr), ref.bse) < 1e-10


def test_logistic_matches_statsmodels_logit(spam):
    X, y = spam
    ref = sm.Logit(y, sm.add_constant(X)).fit(disp=0, method="newton", maxiter=100, tol=1e-12)
    model = LogisticRegression().fit(X, y)
    res = model.result_
    assert model.converged_
    assert rel(res.coef, ref.params) < 1e-6
    assert rel(values(res.stderr), ref.bse) < 1e-5
    assert res.loglik == pytest.approx(ref.llf, rel=1e-10)
    assert res.aic == pytest.approx(ref.aic, rel=1e-10)
    assert res.bic == pytest.approx(ref.bic, rel=1e-10)
    np.testing.assert_allclose(model.predict_proba(X)[:, 1], ref.predict(sm.add_constant(X)), rtol=1e-5, atol=1e-8)


def test_logistic_l2_is_sklearn_map(spam):
    X, y = spam
    X = X.iloc[:, :8].to_numpy()
    ref = SkLogistic(C=0.5, solver="newton-cholesky", tol=1e-12, max_iter=1000).fit(X, y)
    ours = LogisticRegression(penalty="l2", C=0.5).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-6)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-6)


def test_poisson_matches_statsmodels_glm(counts):
    X, y = counts
    ref = sm.GLM(y, sm.add_constant(X), family=sm.families.Poisson()).fit(tol=1e-12)
    model = PoissonRegression().fit(X, y)
    assert rel(model.result_.coef, ref.params) < 1e-6
    assert rel(values(model.result_.stderr), ref.bse) < 1e-5
    assert model.result_.loglik == pytest.approx(ref.llf, rel=1e-10)
    np.testing.assert_allclose(model.predict(X), ref.fittedvalues, rtol=1e-6)


@pytest.mark.parametrize("which", ["iris", "vowel"])
def test_softmax_matches_statsmodels_mnlogit(iris, which):
    if which == "iris":  # all four features separate setosa: the MLE does not exist (tested below)
        X, y = iris[["Sepal.Length"]], iris["Species"]
    else:
        v = pd.read_csv(shared_data("vowel.csv"))
        v = v[v["split"] == "train"]
        X, y = v[["x1", "x2", "x3", "x4"]], v["vowel"]
    ref = sm.MNLogit(pd.Categorical(y).codes, sm.add_constant(X)).fit(disp=0, method="newton", maxiter=100, tol=1e-12)
    model = SoftmaxRegression().fit(X, y)
    assert rel(model.result_.coef, ref.params.to_numpy().T.ravel()) < 1e-6
    assert rel(values(model.result_.stderr), ref.bse.to_numpy().T.ravel()) < 1e-5
    assert model.result_.loglik == pytest.approx(ref.llf, rel=1e-10)
    np.testing.assert_allclose(model.predict_proba(X), ref.predict(sm.add_constant(X)), rtol=1e-6, atol=1e-12)
    assert list(model.classes_) == sorted(set(y))
    np.testing.assert_array_equal(model.coef_[0], 0.0)  # reference class


# -- separation ---------------------------------------------------------------------------------
def test_complete_separation_is_reported():
    X = pd.DataFrame({"noise": [0.3, -0.1, 0.2, 0.5, -0.4, 0.1], "cut": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    y = [0, 0, 0, 1, 1, 1]
    with pytest.raises(DegenerateFitError, match=r"got complete separation by the feature\(s\) 'cut'.*penalty='l2'"):
        LogisticRegression().fit(X, y)
    assert np.isfinite(LogisticRegression(penalty="l2").fit(X, y).coef_).all()  # the documented remedy


def test_quasi_complete_separation_is_reported():
    rng = np.random.default_rng(0)
    z = rng.normal(size=60)
    flag = np.r_[np.ones(10), np.zeros(50)]
    y = np.where(flag == 1, 1, (rng.random(60) < 0.4).astype(int))  # flag = 1 -> always 1
    X = pd.DataFrame({"z": z, "flag": flag})
    with pytest.raises(DegenerateFitError, match=r"quasi-complete separation by the feature\(s\) 'flag'"):
        LogisticRegression().fit(X, y)


def test_softmax_separation_is_reported(iris):
    with pytest.raises(DegenerateFitError, match=r"SoftmaxRegression: class 'setosa' must not be separable.*penalty='l2'"):
        SoftmaxRegression().fit(iris.iloc[:, :4], iris["Species"])
    assert SoftmaxRegression(penalty="l2").fit(iris.iloc[:, :4], iris["Species"]).converged_


# -- weights, names, labels ---------------------------------------------------------------------
@pytest.mark.parametrize("make", [LinearRegression, LogisticRegression, PoissonRegression, SoftmaxRegression])
def test_integer_weights_equal_repeated_rows(make, iris, counts):
    if make is PoissonRegression:
        X, y = counts[0].to_numpy(), counts[1]
    elif make is LogisticRegression:
        X, y = iris[["Sepal.Length", "Sepal.Width"]].to_numpy(), (iris["Species"] == "virginica").to_numpy()
    elif make is SoftmaxRegression:
        X, y = iris[["Sepal.Length"]].to_numpy(), iris["Species"].to_numpy()
    else:
        X, y = iris[["Sepal.Length", "Sepal.Width"]].to_numpy(), iris["Petal.Width"].to_numpy()
    w = np.random.default_rng(3).integers(0, 4, size=len(y))
    a = make().fit(X, y, sample_weight=w).result_
    b = make().fit(np.repeat(X, w, axis=0), np.repeat(y, w)).result_
    np.testing.assert_allclose(a.coef, b.coef, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(values(a.stderr), values(b.stderr), rtol=1e-7)
    assert a.loglik == pytest.approx(b.loglik, rel=1e-9)


def test_feature_names_are_kept(iris):
    X, y = iris[["Sepal.Length", "Sepal.Width"]], iris["Species"] == "virginica"
    model = LogisticRegression().fit(X, y)
    assert list(model.feature_names_in_) == ["Sepal.Length", "Sepal.Width"]
    assert model.result_.names == ["intercept", "Sepal.Length", "Sepal.Width"]
    text = model.result_.summary()
    assert "Sepal.Width" in text and "std err" in text
    lo, hi = model.result_.conf_int(0.9)["Sepal.Length"]
    se = model.result_.stderr["Sepal.Length"]
    assert hi - lo == pytest.approx(2 * 1.6448536269514722 * se)
    soft = SoftmaxRegression().fit(iris[["Sepal.Length"]], iris["Species"])
    assert soft.result_.names == ["intercept[versicolor]", "Sepal.Length[versicolor]",
                                  "intercept[virginica]", "Sepal.Length[virginica]"]


def test_string_labels_map_to_classes(iris):
    sub = iris[iris["Species"] != "setosa"]
    model = LogisticRegression().fit(sub[["Sepal.Length"]], sub["Species"])
    assert list(model.classes_) == ["versicolor", "virginica"]
    assert set(model.predict(sub[["Sepal.Length"]])) <= {"versicolor", "virginica"}
    ref = LogisticRegression().fit(sub[["Sepal.Length"]], (sub["Species"] == "virginica").astype(int))
    np.testing.assert_allclose(model.coef_, ref.coef_)
    np.testing.assert_allclose(np.exp(model.predict_log_proba(sub[["Sepal.Length"]])), model.predict_proba(sub[["Sepal.Length"]]))


# -- bad input ----------------------------------------------------------------------------------
def test_logistic_label_errors():
    X = np.arange(12.0).reshape(6, 2)
    with pytest.raises(DataError, match=r"LogisticRegression: y must contain exactly 2 classes; got 3 classes \(0, 1, 2\).*SoftmaxRegression"):
        LogisticRegression().fit(X, [0, 1, 2, 0, 1, 2])
    with pytest.raises(DataError, match=r"LogisticRegression: y must contain exactly 2 classes; got 1 class \(1\)"):
        LogisticRegression().fit(X, [1, 1, 1, 1, 1, 1])
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        LogisticRegression().fit(X, [0.1, 0.5, 0.2, 0.7, 0.3, 0.9])


def test_softmax_single_class():
    with pytest.raises(DataError, match=r"SoftmaxRegression: y must contain at least 2 classes with positive weight; got 1 class \('a'\)"):
        SoftmaxRegression().fit(np.ones((4, 1)), ["a"] * 4)


def test_poisson_negative_counts(counts):
    X, y = counts
    y = y.copy()
    y[5] = -2
    with pytest.raises(SupportError, match=r"PoissonRegression: y must be non-negative counts; got 1 negative value\(s\) \(first at row 5 \(0-based\): -2\)"):
        PoissonRegression().fit(X, y)
    with pytest.raises(DegenerateFitError, match="y must contain at least one positive count; got all zeros"):
        PoissonRegression().fit(X, np.zeros(len(y)))


@pytest.mark.parametrize("make", [LinearRegression, LogisticRegression, PoissonRegression, SoftmaxRegression])
def test_predict_before_fit_and_wrong_width(make, iris):
    with pytest.raises(NotFittedError):
        make().predict(np.ones((2, 2)))
    X = iris[["Sepal.Length", "Sepal.Width"]].to_numpy()
    y = {LinearRegression: iris["Petal.Width"], PoissonRegression: np.round(iris["Petal.Length"]),
         LogisticRegression: iris["Species"] == "virginica", SoftmaxRegression: iris["Species"]}[make]
    model = make().fit(X[:, :1] if make is SoftmaxRegression else X, y)
    with pytest.raises(ValueError, match="features, but .* is expecting"):
        model.predict(np.ones((2, 3)))


def test_hyperparameter_errors():
    X, y = np.random.default_rng(1).normal(size=(20, 2)), np.r_[np.zeros(10), np.ones(10)]
    # declared in _parameter_constraints (scikit-learn's table), worded in maxlik's template; the
    # class is maxlik's ParameterError and scikit-learn's InvalidParameterError at once.
    with pytest.raises(ParameterError, match=r"^LinearRegression: sigma must be one of \['mle', 'unbiased'\]; got 'n-1'\.$"):
        LinearRegression(sigma="n-1").fit(X, y)
    with pytest.raises(ParameterError, match=r"^LogisticRegression: penalty must be None or one of \['l2'\]; got 'l1'\."):
        LogisticRegression(penalty="l1").fit(X, y)
    with pytest.raises(ParameterError, match=r"^LogisticRegression: C must be a positive number; got -1\.$"):
        LogisticRegression(C=-1).fit(X, y)
    with pytest.raises(ParameterError, match=r"^LogisticRegression: max_iter must be a positive integer; got 0\.$"):
        LogisticRegression(max_iter=0).fit(X, y)
    with pytest.raises(ParameterError, match=r"^PoissonRegression: tol must be a positive number; got 0\.$"):
        PoissonRegression(tol=0).fit(X, y)
    with pytest.raises(ParameterError, match=r"^SoftmaxRegression: fit_intercept must be True or False; got 'yes'\.$"):
        SoftmaxRegression(fit_intercept="yes").fit(X, y)
    for make in (LinearRegression, LogisticRegression, PoissonRegression, SoftmaxRegression):
        with pytest.raises(ValueError) as info:  # also scikit-learn's own class, for its tooling
            make(fit_intercept=1).fit(X, y)
        assert isinstance(info.value, InvalidParameterError) and isinstance(info.value, maxlik.MaxlikError)
    for value in (np.inf, np.nan):
        with pytest.raises(ParameterError, match=r"^LogisticRegression: tol must be a positive number; got"):
            LogisticRegression(tol=value).fit(X, y)
    with pytest.raises(ParameterError, match=r"conf_int: level must be in \(0, 1\); got 2"):
        LinearRegression().fit(X, y).result_.conf_int(2)


def test_degenerate_designs():
    X = np.column_stack([np.arange(6.0), 2 * np.arange(6.0)])
    with pytest.raises(DegenerateFitError, match=r"LinearRegression: the design matrix must have full column rank \(3\); got rank 2"):
        LinearRegression().fit(X, np.arange(6.0))
    with pytest.raises(DegenerateFitError, match=r"number of samples must be at least the number of coefficients \(3\); got 2 sample"):
        LinearRegression().fit(X[:2], [1.0, 2.0])
    with pytest.raises(DegenerateFitError, match=r"sigma='unbiased' needs more weight than coefficients; got N = 2, p = 2"):
        LinearRegression(sigma="unbiased").fit(X[:2, :1], [1.0, 4.0])


def test_collinear_logistic_warns():
    rng = np.random.default_rng(2)
    x = rng.normal(size=50)
    X = np.column_stack([x, x])
    y = (rng.random(50) < 0.5).astype(int)
    with pytest.warns(ConvergenceWarning, match="LogisticRegression: Newton's method must converge within max_iter=100"):
        model = LogisticRegression().fit(X, y)
    assert not model.converged_ and not model.result_.converged


@pytest.mark.parametrize("make", [LogisticRegression, PoissonRegression])
def test_large_data_path_matches_statsmodels(make):
    """N >= 200,000 takes the subsample warm start + chord-Newton path."""
    rng = np.random.default_rng(11)
    X = rng.normal(size=(200_000, 3))
    eta = 0.2 + X @ np.array([0.4, -0.3, 0.1])
    if make is LogisticRegression:
        y = (rng.random(len(eta)) < 1 / (1 + np.exp(-eta))).astype(float)
        ref = sm.Logit(y, sm.add_constant(X)).fit(disp=0, tol=1e-12)
    else:
        y = rng.poisson(np.exp(eta)).astype(float)
        ref = sm.GLM(y, sm.add_constant(X), family=sm.families.Poisson()).fit(tol=1e-12)
    res = make().fit(X, y).result_
    assert rel(res.coef, ref.params) < 1e-6
    assert rel(values(res.stderr), ref.bse) < 1e-5


@pytest.mark.parametrize("make", [LogisticRegression, PoissonRegression])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_X_found_after_the_fit_is_scikit_learns_error(make, bad):
    """The GLMs skip scikit-learn's up-front scan of X (a full pass) and look for NaN/inf only when
    the fit is not finite: the error is still scikit-learn's, on the large-data (subsample, threads)
    path too, with no RuntimeWarning on the way (pytest turns maxlik's into errors)."""
    rng = np.random.default_rng(12)
    X = rng.normal(size=(200_000, 3))
    y = (rng.random(200_000) < 0.5).astype(float)
    X[150_001, 2] = bad  # not in the 1/16 subsample (rows 0, 16, 32, ...)
    with pytest.raises(ValueError, match="Input X contains (NaN|infinity)"):
        make().fit(X, y)


def test_a_label_with_only_zero_weight_rows_is_not_a_class():
    X = np.random.default_rng(13).normal(size=(8, 2))
    y = np.array([0, 1, 0, 1, 0, 1, 0, 1])
    w = np.ones(8)
    w[[1, 3]] = 0.0  # some rows of weight 0: both classes still present
    assert LogisticRegression().fit(X, y, sample_weight=w).classes_.tolist() == [0, 1]
    w[[5, 7]] = 0.0  # every row of label 1 has weight 0: one class left
    with pytest.raises(DataError, match=r"LogisticRegression: y must contain exactly 2 classes; got 1 class \(0\)"):
        LogisticRegression().fit(X, y, sample_weight=w)


@pytest.mark.parametrize("n, noise", [(3, [0.3, -0.1, 0.5]), (20, None)])
def test_linear_perfect_fit_is_degenerate_not_infinite_ok(n, noise):
    """Residuals 0 (3 rows for 3 coefficients, or y exactly linear in X): σ̂² = 0 and ℓ = +inf,
    reported as status degenerate with the reason (was closed_form with ℓ = inf); the coefficients
    are still the exact solution (numpy's lstsq)."""
    X = np.random.default_rng(5).normal(size=(n, 2)) * 100.0
    y = X @ [1.0, -2.0] + (0.7 if noise is None else np.asarray(noise))
    r = LinearRegression().fit(X, y).result_
    assert r.status is Status.DEGENERATE and not r.status.ok
    assert r.loglik == np.inf
    assert "the residuals are all 0 up to rounding (a perfect fit of" in r.message and "Add data" in r.message
    want = np.linalg.lstsq(np.column_stack([np.ones(n), X]), y, rcond=None)[0]
    np.testing.assert_allclose(list(r.params.values()), want, rtol=1e-9, atol=1e-12)


def test_linear_small_noise_is_not_a_perfect_fit():
    X = np.random.default_rng(5).normal(size=(20, 2))
    y = X @ [1.0, -2.0] + 1e-9 * np.random.default_rng(6).normal(size=20)
    r = LinearRegression().fit(X, y).result_
    assert r.status.ok and np.isfinite(r.loglik)
    np.testing.assert_allclose(r.loglik, sm.OLS(y, sm.add_constant(X)).fit().llf, rtol=1e-7)  # statsmodels: ~1e-9
