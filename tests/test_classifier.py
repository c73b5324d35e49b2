"""GaussianClassifier against scikit-learn's GaussianNB / LDA / QDA, closed forms, and real data."""

import numpy as np
import pandas as pd
import pytest
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis, QuadraticDiscriminantAnalysis
from sklearn.exceptions import NotFittedError
from sklearn.naive_bayes import GaussianNB

import maxlik
from maxlik.models.classifier import GaussianClassifier
from shared_paths import shared_data


@pytest.fixture(scope="module")
def iris():
    d = maxlik.datasets.load("iris")
    return d.X, d.y


@pytest.mark.parametrize(
    "ctype, reference",
    [
        ("diag", lambda: GaussianNB(var_smoothing=0.0)),
        ("tied", lambda: LinearDiscriminantAnalysis(solver="lsqr")),
        ("full", lambda: QuadraticDiscriminantAnalysis()),
    ],
)
def test_agrees_with_scikit_learn(iris, ctype, reference):
    X, y = iris
    ours = GaussianClassifier(covariance_type=ctype).fit(X, y)
    ref = reference().fit(X, y)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-10)


def test_parameters_are_mles(iris):
    X, y = iris
    m = GaussianClassifier("full").fit(X, y)
    for k, c in enumerate(m.classes_):
        Xc = X[y == c]
        np.testing.assert_allclose(m.means_[k], Xc.mean(0), rtol=1e-14)
        np.testing.assert_allclose(m.covariances_[k], np.cov(Xc, rowvar=False, bias=True), rtol=1e-12)
        assert m.class_prior_[k] == pytest.approx(len(Xc) / len(X))
    sph = GaussianClassifier("spherical").fit(X, y)
    Xc = X[y == m.classes_[0]]
    assert sph.covariances_[0, 0, 0] == pytest.approx(((Xc - Xc.mean(0)) ** 2).mean(), rel=1e-12)


def test_probabilities_do_not_underflow():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (50, 2)), rng.normal(5, 1, (50, 2))])
    y = np.repeat([0, 1], 50)
    m = GaussianClassifier("full").fit(X, y)
    far = np.array([[400.0, 400.0], [-300.0, 10.0]])  # densities underflow to 0 in linear space
    p = m.predict_proba(far)
    assert np.all(np.isfinite(p)) and np.allclose(p.sum(1), 1.0)
    assert np.all(np.isfinite(m.predict_log_proba(far)))


def test_partial_fit_equals_fit(iris):
    X, y = iris
    order = np.random.default_rng(1).permutation(len(X))
    X, y = X[order], y[order]
    full = GaussianClassifier("full").fit(X, y)
    inc = GaussianClassifier("full")
    for part in np.array_split(np.arange(len(X)), 7):
        inc.partial_fit(X[part], y[part], classes=np.unique(y))
    np.testing.assert_allclose(inc.means_, full.means_, rtol=1e-13)
    np.testing.assert_allclose(inc.covariances_, full.covariances_, rtol=1e-11)


def test_integer_weights_equal_repeated_rows(iris):
    X, y = iris
    w = np.random.default_rng(2).integers(0, 4, len(X))
    a = GaussianClassifier("tied").fit(X, y, sample_weight=w)
    b = GaussianClassifier("tied").fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    np.testing.assert_allclose(a.covariances_, b.covariances_, rtol=1e-11)
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), atol=1e-12)


def test_fixed_priors_and_feature_names(iris):
    X, y = iris
    df = pd.DataFrame(X, columns=["sl", "sw", "pl", "pw"])
    m = GaussianClassifier("diag", priors=[0.5, 0.25, 0.25]).fit(df, y)
    assert list(m.feature_names_in_) == ["sl", "sw", "pl", "pw"]
    assert "mean[setosa][pl]" in m.result_.params
    assert m.class_prior_.tolist() == [0.5, 0.25, 0.25]
    assert m.result_.stderr["mean[setosa][pl]"] == pytest.approx(np.sqrt(X[y == "setosa", 2].var() / 50))


def test_vowels_speaker_independent_split():
    import csv

    with open(shared_data("vowel.csv")) as f:
        rows = list(csv.DictReader(f))
    X = np.array([[float(r[f"x{j}"]) for j in range(1, 11)] for r in rows])
    y = np.array([r["vowel"] for r in rows])
    train = np.array([r["split"] == "train" for r in rows])
    for ctype in ("full", "diag", "tied"):
        ours = GaussianClassifier(ctype).fit(X[train], y[train])
        ref = {"full": QuadraticDiscriminantAnalysis(), "diag": GaussianNB(var_smoothing=0.0), "tied": LinearDiscriminantAnalysis(solver="lsqr")}[ctype]
        ref.fit(X[train], y[train])
        assert (ours.predict(X[~train]) == ref.predict(X[~train])).mean() > 0.99
        assert 0.3 < (ours.predict(X[~train]) == y[~train]).mean() < 0.8  # the classic benchmark range


def test_spam_diag_beats_chance():
    d = maxlik.datasets.load("spam")
    m = GaussianClassifier("diag", reg_covar=1e-9).fit(d.X, d.y)
    ref = GaussianNB(var_smoothing=0.0).fit(d.X, d.y)
    assert (m.predict(d.X) == ref.predict(d.X)).mean() > 0.999


def test_errors():
    X = np.random.default_rng(3).normal(size=(20, 4))
    y = np.array([0] * 17 + [1] * 3)
    with pytest.raises(maxlik.DegenerateFitError, match=r"class 1 \(3 observations\): .*more observations than dimensions.*reg_covar.*covariance_type=.diag."):
        GaussianClassifier("full").fit(X, y)
    GaussianClassifier("full", reg_covar=1e-3).fit(X, y)  # the remedy works
    with pytest.raises(maxlik.DataError, match="y must contain at least 2 classes; got 1 class"):
        GaussianClassifier().fit(X, np.zeros(20))
    with pytest.raises(maxlik.ParameterError, match="covariance_type must be one of"):
        GaussianClassifier("fool").fit(X, y)
    with pytest.raises(maxlik.ParameterError, match="reg_covar must be a non-negative number"):
        GaussianClassifier(reg_covar=-1).fit(X, y)
    with pytest.raises(maxlik.ParameterError, match="priors must be 2 non-negative numbers summing to 1"):
        GaussianClassifier(priors=[0.2, 0.2]).fit(X, y)
    with pytest.raises(NotFittedError):
        GaussianClassifier().predict(X)
    m = GaussianClassifier("diag").fit(X, y)
    with pytest.raises(ValueError, match="4 features"):
        m.predict(X[:, :3])
    with pytest.raises(maxlik.ParameterError, match="classes must be given on the first call"):
        GaussianClassifier().partial_fit(X, y)


@pytest.mark.parametrize("ctype", ["full", "diag"])
def test_many_row_blocks_give_scipy_posteriors(ctype):
    """40,000 rows, D = 20, K = 10: the scorer works in blocks of 8,192 rows (the last partial);
    posteriors against scipy's multivariate_normal.logpdf with the fitted parameters."""
    from scipy.special import logsumexp
    from scipy.stats import multivariate_normal

    from maxlik.models._gaussian_scores import block_rows

    rng = np.random.default_rng(4)
    y = rng.integers(0, 10, 40_000)
    X = rng.normal(0, 2, (10, 20))[y] + rng.normal(size=(40_000, 20))
    m = GaussianClassifier(ctype).fit(X, y)
    assert block_rows(10 * 20) == 8_192
    joint = np.column_stack([
        np.log(m.class_prior_[k]) + multivariate_normal(m.means_[k], m.covariances_[k]).logpdf(X) for k in range(10)
    ])
    np.testing.assert_allclose(m.predict_log_proba(X), joint - logsumexp(joint, axis=1, keepdims=True), rtol=1e-9, atol=1e-9)


def test_block_rows_stay_in_bounds():
    from maxlik.models._gaussian_scores import MAX_BLOCK_ROWS, MIN_BLOCK_ROWS, block_rows

    assert block_rows(1) == MAX_BLOCK_ROWS and block_rows(10**9) == MIN_BLOCK_ROWS
    for width in (3, 200, 4096):
        rows = block_rows(width)
        assert rows & (rows - 1) == 0 and (rows * width <= 1 << 21 or rows == MIN_BLOCK_ROWS)


@pytest.mark.parametrize("y, classes", [
    (np.array([5, -3, 5, 1000, 7]), np.array([-3, 5, 7, 1000])),          # integers: lookup table
    (np.array([5, -3, 10**12]), np.array([-3, 5, 10**12])),              # range too wide: binary search
    (np.array(["b", "a", "c", "a"]), np.array(["a", "b", "c"])),
    (np.array([0.5, 2.0, 0.5]), np.array([0.5, 2.0])),
])
def test_class_index_is_the_position_in_classes(y, classes):
    from maxlik.models.classifier import class_index

    idx = class_index(y, classes)
    np.testing.assert_array_equal(idx, np.searchsorted(classes, y))
    assert class_index(np.append(y, y[:1])[::-1][:1], classes)[0] >= 0
    unknown = np.array([classes[0]])  # a label outside classes[1:] maps to -1
    assert class_index(unknown, classes[1:])[0] == -1


def test_partial_fit_label_outside_the_declared_classes():
    X = np.random.default_rng(0).normal(size=(6, 2))
    m = GaussianClassifier("diag").partial_fit(X, [0, 1, 0, 1, 0, 1], classes=[0, 1])
    with pytest.raises(maxlik.DataError, match=r"GaussianClassifier: labels must be among the classes \[0, 1\]; got \[7\]\."):
        m.partial_fit(X, [0, 1, 7, 1, 0, 7])


@pytest.mark.parametrize("y", [np.array([5, -3, 5, 1000, 7]), np.array([3, 3, 3], dtype=np.uint8), np.array([-2**40, 2**40]),
                               np.array([True, False, True]), np.array(["b", "a"])])
def test_sorted_labels_is_numpys_unique(y):
    from maxlik.models.classifier import sorted_labels

    got, want = sorted_labels(y), np.unique(y)
    np.testing.assert_array_equal(got, want)
    assert got.dtype == want.dtype


@pytest.mark.parametrize("ctype", ["full", "diag", "tied", "spherical"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_X_is_scikit_learns_error_in_fit_and_every_prediction(ctype, bad):
    """X is scanned for NaN/inf only when the statistics or the scores come out non-finite; the
    error is scikit-learn's wherever the bad value is (last feature: a zero in the triangular
    factor, inf·0 = NaN; zero-weight row: scanned up front)."""
    rng = np.random.default_rng(5)
    X = rng.normal(size=(60, 3))
    y = np.repeat([0, 1, 2], 20)
    m = GaussianClassifier(ctype).fit(X, y)
    for col in range(3):
        Xb = X.copy()
        Xb[7, col] = bad
        for call in (m.predict, m.predict_proba, m.predict_log_proba, m.score_samples):
            with pytest.raises(ValueError, match="Input X contains (NaN|infinity)"):
                call(Xb)
        with pytest.raises(ValueError, match="Input X contains (NaN|infinity)"):
            GaussianClassifier(ctype).fit(Xb, y)
        w = np.ones(60)
        w[7] = 0.0
        with pytest.raises(ValueError, match="Input X contains (NaN|infinity)"):
            GaussianClassifier(ctype).fit(Xb, y, sample_weight=w)


@pytest.mark.parametrize("ctype", ["full", "diag"])
def test_many_features_use_the_rolled_sum_and_agree_with_scipy(ctype):
    """d = 70 > UNROLL_MAX_D: the per-component sum of squares is a reshape-and-sum instead of
    written-out slabs; the log densities still match scipy's."""
    from scipy.stats import multivariate_normal

    from maxlik.families.mvnormal import UNROLL_MAX_D

    rng = np.random.default_rng(6)
    d = UNROLL_MAX_D + 6
    y = rng.integers(0, 3, 900)
    X = rng.normal(0, 2, (3, d))[y] + rng.normal(size=(900, d)) * rng.uniform(0.5, 2, d)
    m = GaussianClassifier(ctype).fit(X, y)
    joint = np.column_stack([
        np.log(m.class_prior_[k]) + multivariate_normal(m.means_[k], m.covariances_[k]).logpdf(X) for k in range(3)
    ])
    np.testing.assert_allclose(m._joint_log_likelihood(X), joint, rtol=1e-10)
