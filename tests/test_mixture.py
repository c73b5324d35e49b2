"""Gaussian mixtures by EM, the generic mixture EM over closed-form families, and select_mixture.

References: scikit-learn's GaussianMixture computed in the test from the same start, the
closed-form standard errors of a single Gaussian, and seeded simulations with known parameters.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.mixture import GaussianMixture as SkGaussianMixture

import maxlik
from maxlik import ConvergenceWarning, DataError, DegenerateFitError, ParameterError
from maxlik.families.mvnormal import COVARIANCE_TYPES, MultivariateNormal
from maxlik.models import GaussianMixture, fit_mixture, select_mixture

from shared_paths import shared_data

TYPES = ["full", "tied", "diag", "spherical"]


@pytest.fixture(scope="module")
def faithful() -> pd.DataFrame:
    return pd.read_csv(shared_data("faithful.csv"))


def _start(X, covariance_type):
    """A start independent of both implementations: split at eruptions = 3 minutes."""
    groups = [X[X[:, 0] < 3], X[X[:, 0] >= 3]]
    weights = np.array([len(g) for g in groups], float) / len(X)
    means = np.array([g.mean(0) for g in groups])
    covs = np.array([np.cov(g.T, bias=True) for g in groups])
    prec = np.linalg.inv(covs)
    if covariance_type == "tied":
        prec = np.linalg.inv(sum(w * c for w, c in zip(weights, covs)))
    elif covariance_type == "diag":
        prec = 1.0 / np.diagonal(covs, axis1=1, axis2=2)
    elif covariance_type == "spherical":
        prec = 1.0 / np.diagonal(covs, axis1=1, axis2=2).mean(1)
    return {"weights_init": weights, "means_init": means, "precisions_init": prec}


def _gm(**kw):
    return GaussianMixture(**kw)


# -- agreement with scikit-learn ------------------------------------------------------------------
@pytest.mark.parametrize("covariance_type", TYPES)
def test_faithful_matches_sklearn_from_same_start(faithful, covariance_type):
    X = faithful.to_numpy(float)
    start = _start(X, covariance_type)
    ours = _gm(n_components=2, covariance_type=covariance_type, tol=1e-12, max_iter=10_000, **start).fit(X)
    ref = SkGaussianMixture(2, covariance_type=covariance_type, tol=1e-12, max_iter=10_000, **start).fit(X)
    assert ours.converged_ and ref.converged_
    assert ours.lower_bound_ == pytest.approx(ref.lower_bound_, abs=1e-8)
    assert ours.score(X) == pytest.approx(ref.score(X), abs=1e-8)
    np.testing.assert_allclose(ours.means_, ref.means_, rtol=1e-7)
    np.testing.assert_allclose(ours.covariances_, ref.covariances_, rtol=1e-6)
    np.testing.assert_allclose(ours.weights_, ref.weights_, rtol=1e-7)
    np.testing.assert_allclose(ours.precisions_cholesky_, ref.precisions_cholesky_, rtol=1e-6)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-7)
    np.testing.assert_allclose(ours.score_samples(X), ref.score_samples(X), rtol=1e-9)
    assert ours.bic(X) == pytest.approx(ref.bic(X), rel=1e-10)
    assert ours.aic(X) == pytest.approx(ref.aic(X), rel=1e-10)


def test_faithful_full_two_components_known_fit(faithful):
    """The classic result (mclust VVV, 2 components): log-likelihood −1130.264, BIC 2322.19."""
    gm = GaussianMixture(2, reg_covar=0.0, tol=1e-10, max_iter=1000, random_state=0).fit(faithful)
    ref = SkGaussianMixture(2, reg_covar=0.0, tol=1e-12, max_iter=1000, **_start(faithful.to_numpy(float), "full")).fit(faithful)
    n = len(faithful)
    assert gm.score(faithful) * n == pytest.approx(ref.score(faithful) * n, abs=1e-6)
    assert gm.result_.loglik == pytest.approx(ref.score(faithful) * n, abs=1e-6)
    assert gm.result_.bic == pytest.approx(ref.bic(faithful), rel=1e-9)
    assert "mean[0][eruptions]" in gm.result_.params and "cov[1][eruptions,waiting]" in gm.result_.params


# -- the estimator's E-step kernel computes what the generic (family) path computes ---------------
@pytest.mark.parametrize("covariance_type", TYPES)
def test_fast_path_equals_generic_path(covariance_type):
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal([0, 0], 1.0, (60, 2)), rng.normal([4, 1], 0.7, (40, 2)), rng.normal([1, 5], 1.3, (50, 2))])
    w = rng.integers(1, 4, len(X)).astype(float)
    means0 = np.array([[0.5, 0.5], [3.0, 0.0], [0.0, 4.0]])
    var0 = np.array([1.0, 2.0, 1.5]) if covariance_type != "tied" else np.full(3, 1.5)
    covs0 = var0[:, None, None] * np.eye(2)
    prec = {"full": np.linalg.inv(covs0), "tied": np.linalg.inv(covs0[0]), "diag": 1.0 / np.repeat(var0[:, None], 2, 1),
            "spherical": 1.0 / var0}[covariance_type]
    weights0 = np.array([0.3, 0.3, 0.4])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fast = _gm(n_components=3, covariance_type=covariance_type, tol=0.0, max_iter=15, reg_covar=1e-6,
                   weights_init=weights0, means_init=means0, precisions_init=prec).fit(X, sample_weight=w)
        generic = fit_mixture(X, MultivariateNormal(covariance_type=covariance_type, reg_covar=1e-6), 3, weights=w,
                              tol=0.0, max_iter=15, weights_init=weights0,
                              components_init=[{"loc": m, "covariance_matrix": c} for m, c in zip(means0, covs0)])
    np.testing.assert_allclose(fast.lower_bounds_, generic.lower_bounds, rtol=1e-12)
    np.testing.assert_allclose(fast.weights_, generic.weights, rtol=1e-10)
    np.testing.assert_allclose(fast.means_, [c["loc"] for c in generic.components], rtol=1e-10)
    np.testing.assert_allclose(fast._full_covariances(), [c["covariance_matrix"] for c in generic.components], rtol=1e-10)
    assert generic.n_params == fast._n_parameters()


def test_e_step_statistics_are_centred_about_each_component_mean():
    """Data 1e6 + a spread of 1e-3: E[xxᵀ] − μμᵀ would lose every digit (ε·1e12 ≈ 1e-4 against
    variances of 1e-6); the kernel's statistics match a direct weighted covariance about each
    component's weighted mean, with responsibilities computed here by scipy."""
    from scipy.special import logsumexp as lse
    from scipy.stats import multivariate_normal as mvn

    from maxlik.families.mvnormal import factors
    from maxlik.models import _gaussian_estep as estep

    rng = np.random.default_rng(11)
    base = np.array([1e6, -2e6, 3e6])
    X = base + 1e-3 * np.vstack([rng.normal(0, 1, (300, 3)), rng.normal(2, 0.5, (200, 3))])
    w = rng.uniform(0.5, 2.0, len(X))
    means = base + 1e-3 * np.array([[0.0, 0.0, 0.0], [2.0, 2.0, 2.0]])
    covs = 1e-6 * np.array([np.eye(3), 0.25 * np.eye(3) + 0.05])
    pi = np.array([0.6, 0.4])
    logd = np.column_stack([mvn(means[k] - base, covs[k]).logpdf(X - base) for k in range(2)]) + np.log(pi)
    r = np.exp(logd - lse(logd, axis=1, keepdims=True)) * w[:, None]
    f1, f2, log_norm, _ = factors(means, covs)
    ll, N, mu, M2 = (np.asarray(a) for a in estep.e_step(*estep.block_data(X, w), np.log(pi), f1, f2, log_norm))
    for k in range(2):
        Nk = r[:, k].sum()
        mk = (r[:, k] @ (X - base)) / Nk
        D = (X - base) - mk
        np.testing.assert_allclose(N[k], Nk, rtol=1e-6)
        np.testing.assert_allclose(mu[k] - base, mk, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(M2[k], (r[:, k, None] * D).T @ D, rtol=1e-5, atol=1e-9 * Nk * 1e-6)
    # blocks merge exactly: many small blocks give the statistics of one (on centred rows, where
    # the responsibilities themselves do not depend on the block shape's rounding)
    f1, f2, log_norm, _ = factors(means - base, covs)
    one = [np.asarray(a) for a in estep.e_step(*estep.block_data(X - base, w), np.log(pi), f1, f2, log_norm)]
    small = estep.BLOCK
    try:
        estep.BLOCK = 64
        many = [np.asarray(a) for a in estep.e_step(*estep.block_data(X - base, w), np.log(pi), f1, f2, log_norm)]
    finally:
        estep.BLOCK = small
    for a, b in zip(one, many):
        np.testing.assert_allclose(b, a, rtol=1e-10, atol=1e-18)


# -- the log-likelihood trace never decreases -----------------------------------------------------
def _seeded_data(seed):
    rng = np.random.default_rng(seed)
    centers = rng.normal(0, 3, (3, 2))
    return np.vstack([rng.multivariate_normal(c, np.diag(rng.uniform(0.3, 2, 2)), 80) for c in centers])


@pytest.mark.parametrize("covariance_type", TYPES)
def test_trace_monotone_on_many_seeds(covariance_type):
    """Pure EM (reg_covar = 0) from random starts: ℓ never decreases. A start that runs into a
    collapsing component must say so (and name it); most seeds must fit."""
    fitted = 0
    for seed in range(20):
        X = _seeded_data(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            try:
                gm = _gm(n_components=3, covariance_type=covariance_type, reg_covar=0.0, tol=0.0, max_iter=60,
                         init_params="random", random_state=seed).fit(X)
            except DegenerateFitError as exc:
                assert re.search(r"component \d's covariance must be positive definite", str(exc))
                continue
        fitted += 1
        lb = gm.lower_bounds_
        assert len(lb) == 60
        assert np.all(np.diff(lb) >= -1e-12 * np.abs(lb[1:])), (seed, np.diff(lb).min())
        assert gm._loglik / len(X) >= lb[-1] - 1e-12  # the final M-step does not lower ℓ either
    assert fitted >= 15


# -- mixtures of other closed-form families through the same EM -----------------------------------
def test_poisson_mixture_recovers_parameters_and_trace_is_monotone():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.poisson(2.0, 3000), rng.poisson(12.0, 2000)])
    fit = fit_mixture(x, "poisson", 2, tol=1e-10, max_iter=1000, seed=0)
    order = np.argsort([c["rate"] for c in fit.components])
    rates = np.array([fit.components[k]["rate"] for k in order])
    np.testing.assert_allclose(rates, [2.0, 12.0], rtol=0.05)
    np.testing.assert_allclose(fit.weights[order], [0.6, 0.4], atol=0.02)
    assert fit.converged and np.all(np.diff(fit.lower_bounds) >= -1e-12 * np.abs(fit.lower_bounds[1:]))
    # at a fixed point the M-step reproduces the parameters: ℓ is stationary
    assert fit.loglik / len(x) == pytest.approx(fit.lower_bounds[-1], abs=1e-9)
    assert fit.n_params == 3 and fit.bic == pytest.approx(-2 * fit.loglik + 3 * np.log(len(x)))


def test_bernoulli_mixture_latent_classes_recovered():
    rng = np.random.default_rng(1)
    probs = np.array([[0.9, 0.8, 0.1, 0.2, 0.9, 0.1], [0.1, 0.2, 0.9, 0.8, 0.2, 0.7]])
    z = (rng.random(4000) < 0.3).astype(int)
    X = (rng.random((4000, 6)) < probs[z]).astype(float)
    for seed in range(5):
        fit = fit_mixture(X, maxlik.Bernoulli(), 2, tol=1e-10, max_iter=1000, seed=seed, init_params="random")
        assert np.all(np.diff(fit.lower_bounds) >= -1e-12 * np.abs(fit.lower_bounds[1:]))
    k = int(np.argmax(fit.weights))  # the 70 % class
    np.testing.assert_allclose(fit.components[k]["probs"], probs[0], atol=0.04)
    np.testing.assert_allclose(fit.components[1 - k]["probs"], probs[1], atol=0.05)
    np.testing.assert_allclose(fit.weights[k], 0.7, atol=0.03)
    np.testing.assert_allclose(fit.predict_proba(X).sum(1), 1.0)
    assert np.mean(fit.predict(X) == np.where(z == 0, k, 1 - k)) > 0.9


# -- sample weights are repeated rows -------------------------------------------------------------
@pytest.mark.parametrize("covariance_type", TYPES)
def test_sample_weight_equals_repeated_rows(faithful, covariance_type):
    X = faithful.to_numpy(float)[:120]
    reps = np.random.default_rng(0).integers(0, 4, len(X))
    start = _start(X, covariance_type)
    kw = dict(n_components=2, covariance_type=covariance_type, tol=1e-10, max_iter=500, **start)
    a = GaussianMixture(**kw).fit(X, sample_weight=reps.astype(float))
    b = GaussianMixture(**kw).fit(np.repeat(X, reps, axis=0))
    np.testing.assert_allclose(a.lower_bounds_, b.lower_bounds_, rtol=1e-10)
    np.testing.assert_allclose(a.means_, b.means_, rtol=1e-10)
    np.testing.assert_allclose(a.covariances_, b.covariances_, rtol=1e-9)
    x = np.concatenate([np.zeros(5), np.arange(1, 30)]) % 17
    f1 = fit_mixture(x, "poisson", 2, weights=np.arange(len(x)) % 3, seed=0, tol=1e-10, max_iter=500,
                     weights_init=[0.5, 0.5], components_init=[{"rate": 2.0}, {"rate": 10.0}])
    f2 = fit_mixture(np.repeat(x, np.arange(len(x)) % 3), "poisson", 2, tol=1e-10, max_iter=500,
                     weights_init=[0.5, 0.5], components_init=[{"rate": 2.0}, {"rate": 10.0}])
    np.testing.assert_allclose([c["rate"] for c in f1.components], [c["rate"] for c in f2.components], rtol=1e-10)


# -- standard errors ------------------------------------------------------------------------------
def test_standard_errors_of_one_component_are_the_gaussian_closed_form():
    """K = 1 is a single Gaussian: se(μⱼ) = sqrt(Σⱼⱼ/n), se(Σᵢⱼ) = sqrt((ΣᵢᵢΣⱼⱼ + Σᵢⱼ²)/n)."""
    rng = np.random.default_rng(5)
    X = rng.multivariate_normal([1.0, -2.0], [[2.0, 0.6], [0.6, 1.0]], 400)
    gm = GaussianMixture(1, reg_covar=0.0).fit(X)
    S, n = np.cov(X.T, bias=True), len(X)
    r = gm.result_
    assert r.stderr["mean[0][x0]"] == pytest.approx(np.sqrt(S[0, 0] / n), rel=1e-8)
    assert r.stderr["mean[0][x1]"] == pytest.approx(np.sqrt(S[1, 1] / n), rel=1e-8)
    assert r.stderr["cov[0][x0,x1]"] == pytest.approx(np.sqrt((S[0, 0] * S[1, 1] + S[0, 1] ** 2) / n), rel=1e-8)
    assert r.stderr["cov[0][x0,x0]"] == pytest.approx(np.sqrt(2 * S[0, 0] ** 2 / n), rel=1e-8)
    assert r.params["weight[0]"] == 1.0 and r.stderr["weight[0]"] == 0.0
    lo, hi = r.conf_int()["mean[0][x0]"]
    assert lo < r.params["mean[0][x0]"] < hi
    assert "mean[0][x1]" in r.summary()


def test_weight_standard_error_of_well_separated_components():
    """Nearly complete data: se(π) → sqrt(π(1 − π)/n), the binomial standard error."""
    rng = np.random.default_rng(6)
    X = np.vstack([rng.normal(0, 1, (300, 2)), rng.normal(40, 1, (700, 2))])
    gm = GaussianMixture(2, random_state=0).fit(X)
    pi = gm.weights_[0]
    assert gm.result_.stderr["weight[0]"] == pytest.approx(np.sqrt(pi * (1 - pi) / 1000), rel=1e-4)
    assert gm.result_.stderr["weight[1]"] == pytest.approx(gm.result_.stderr["weight[0]"], rel=1e-10)


def test_sample_draws_from_the_fitted_mixture(faithful):
    gm = GaussianMixture(2, random_state=0).fit(faithful)
    Xs, ys = gm.sample(20_000)
    assert Xs.shape == (20_000, 2) and set(np.unique(ys)) == {0, 1}
    np.testing.assert_allclose(Xs.mean(0), gm.weights_ @ gm.means_, rtol=0.01)
    np.testing.assert_array_equal(gm.predict(faithful), gm.predict_proba(faithful).argmax(1))


# -- select_mixture -------------------------------------------------------------------------------
def test_select_mixture_on_faithful_picks_tied_three_as_mclust(faithful):
    """Issue #15: the BIC-best model is tied (EEE) with 3 components, as R's mclust chooses
    (tests/test_mixture_mclust.py has the recorded mclust table); the fit sits at its maximum:
    scikit-learn started from it and run to tol 1e-12 does not climb further."""
    sel = select_mixture(faithful, n_components=range(1, 6), covariance_types=COVARIANCE_TYPES)  # the four
    assert sel.best_config == ("tied", 3)
    assert len(sel.table) == 20 and not sel.skipped
    b = sel.best
    ref = SkGaussianMixture(3, covariance_type="tied", tol=1e-12, max_iter=5000, weights_init=b.weights_,
                            means_init=b.means_, precisions_init=b.precisions_).fit(faithful)
    assert b._loglik == pytest.approx(ref.score(faithful) * len(faithful), abs=2e-3)
    best = min(r["bic"] for r in sel.table)
    assert sel.best.bic(faithful) == pytest.approx(best, rel=1e-12)
    assert "tied" in sel.summary() and len(sel.to_pandas()) == 20


def test_select_mixture_skips_collapsing_configurations(faithful):
    """Waiting times are integers: with many components and no regularisation, some components
    sit on a single value and collapse; those rows are skipped and reported, not fatal."""
    sel = select_mixture(faithful[["waiting"]], n_components=[1, 2, 3, 20, 40], covariance_types=["full"], reg_covar=0.0)
    skipped = {r["n_components"]: r["status"] for r in sel.skipped}
    assert set(skipped) == {20, 40}
    assert all("covariance must be positive definite" in s and "reg_covar" in s for s in skipped.values())
    assert sel.best_config == ("full", 2)
    assert [r["bic"] for r in sel.table if r["n_components"] == 40] == [None]


def test_select_mixture_fails_only_if_every_configuration_fails():
    X = np.repeat(np.arange(5.0), 4)[:, None]
    with pytest.raises(DataError, match="select_mixture: at least one configuration must fit"):
        select_mixture(X, n_components=[5], covariance_types=["full"], reg_covar=0.0)
    with pytest.raises(ParameterError, match="select_mixture: covariance_types must be among"):
        select_mixture(X, covariance_types=["ful"])


# -- bad input ------------------------------------------------------------------------------------
def test_more_components_than_samples():
    X = np.random.default_rng(0).normal(size=(5, 2))
    with pytest.raises(DataError, match=r"GaussianMixture: n_components must be at most the number of samples \(5\); got 6"):
        GaussianMixture(6).fit(X)
    with pytest.raises(ParameterError, match=r"fit_mixture: n_components must be an integer between 1 and the number of samples \(5\)"):
        fit_mixture(np.arange(5), "poisson", 6)


def test_bad_covariance_type_and_hyper_parameters():
    X = np.random.default_rng(0).normal(size=(20, 2))
    with pytest.raises(ParameterError, match=r"GaussianMixture: covariance_type must be one of \['full', 'tied', 'diag', 'spherical'\]; got 'ful'"):
        GaussianMixture(2, covariance_type="ful").fit(X)
    with pytest.raises(ParameterError, match="GaussianMixture: reg_covar must be a non-negative number; got -1"):
        GaussianMixture(2, reg_covar=-1).fit(X)
    with pytest.raises(ParameterError, match="GaussianMixture: n_components must be a positive integer; got 0"):
        GaussianMixture(0).fit(X)
    with pytest.raises(ParameterError, match=r"GaussianMixture: init_params must be one of \['kmeans\+\+', 'random', 'hierarchical'\]"):
        GaussianMixture(2, init_params="kmeans").fit(X)


def test_bad_init_shapes():
    X = np.random.default_rng(0).normal(size=(20, 2))
    with pytest.raises(ParameterError, match=r"means_init must have shape \(n_components, n_features\) = \(2, 2\); got shape \(3, 2\)"):
        GaussianMixture(2, means_init=np.zeros((3, 2))).fit(X)
    with pytest.raises(ParameterError, match=r"weights_init must be 2 non-negative numbers summing to 1"):
        GaussianMixture(2, weights_init=[0.5, 0.6]).fit(X)
    with pytest.raises(ParameterError, match=r"precisions_init must have shape \(2, 2\) for covariance_type='diag'; got shape \(2,\)"):
        GaussianMixture(2, covariance_type="diag", precisions_init=np.ones(2)).fit(X)
    with pytest.raises(ParameterError, match="precisions_init must be positive definite"):
        GaussianMixture(2, precisions_init=-np.stack([np.eye(2)] * 2)).fit(X)


def test_predict_before_fit():
    X = np.zeros((3, 2))
    for method in ("predict", "predict_proba", "score_samples"):
        with pytest.raises(NotFittedError):
            getattr(GaussianMixture(2), method)(X)
    with pytest.raises(NotFittedError):
        GaussianMixture(2).result_


def test_collapsing_component_is_named():
    rng = np.random.default_rng(0)
    X = np.vstack([np.full((5, 2), 10.0), rng.normal(size=(100, 2))])
    for ct in ("full", "diag", "spherical"):
        # which component collapses depends on the start; the message must name it
        with pytest.raises(DegenerateFitError, match=r"GaussianMixture: component [01]'s covariance must be positive definite; got a \(numerically\) singular matrix at initialisation \(effective weight 5 of 105.*Pass reg_covar"):
            GaussianMixture(2, covariance_type=ct, reg_covar=0.0, random_state=0).fit(X)
    # with reg_covar the singular matrix becomes the floor reg_covar·I: still a component on 5 identical
    # rows, a spike of the unbounded likelihood (issue #15), recognised as such
    with pytest.warns(maxlik.DegenerateFitWarning, match=r"GaussianMixture: component [01] must keep a spread in every direction; got a standard deviation of .* collapsed onto \(nearly\) identical values"):
        gm = GaussianMixture(2, reg_covar=1e-6, random_state=0).fit(X)
    assert "collapsed onto (nearly) identical values" in gm.degenerate_
    assert GaussianMixture(1).fit(X).degenerate_ is None
    sel = select_mixture(X, n_components=[1, 2], covariance_types=["full"])  # listed as skipped, never selected
    assert sel.best_config == ("full", 1)
    assert "collapsed onto (nearly) identical values" in sel.table[1]["status"] and sel.table[1]["bic"] is None


def test_collapsing_component_of_a_generic_mixture_is_named():
    x = np.concatenate([np.zeros(50), np.full(50, 1000.0)])
    with pytest.raises(DegenerateFitError, match=r"fit_mixture: component 0 must have a maximum likelihood estimate at every EM iteration; got none at iteration 1 .*Poisson says: Poisson: rate must be positive"):
        fit_mixture(x, "poisson", 2, weights_init=[0.5, 0.5], components_init=[{"rate": 1e-3}, {"rate": 1000.0}])


def test_convergence_warning_names_remedies(faithful):
    with pytest.warns(ConvergenceWarning, match="GaussianMixture: EM must converge within max_iter=2.*Increase max_iter"):
        gm = GaussianMixture(2, max_iter=2, tol=1e-12, random_state=0).fit(faithful)
    assert not gm.converged_ and gm.n_iter_ == 2
    with pytest.warns(ConvergenceWarning, match="fit_mixture: EM must converge within max_iter=2"):
        fit_mixture(np.arange(40) % 7, "poisson", 2, max_iter=2, tol=1e-12, seed=0)


def test_feature_count_must_match(faithful):
    gm = GaussianMixture(2, random_state=0).fit(faithful.to_numpy())
    with pytest.raises(ValueError, match="features"):
        gm.predict(np.zeros((3, 3)))


# -- one vocabulary: functions say weights / seed / n_init / init_params ------------------------
def test_old_spellings_of_fit_mixture_and_select_mixture_are_deprecated_but_work():
    x = np.concatenate([np.zeros(5), np.arange(1, 30)]) % 17
    kw = dict(tol=1e-10, max_iter=200)
    new = fit_mixture(x, "poisson", 2, weights=np.arange(len(x)) % 3 + 1.0, seed=0, n_init=2, init_params="random", **kw)
    with pytest.warns(DeprecationWarning, match=r"fit_mixture: `sample_weight` is deprecated .*pass `weights` instead"):
        with pytest.warns(DeprecationWarning, match=r"`random_state` is deprecated .*pass `seed` instead"):
            with pytest.warns(DeprecationWarning, match=r"`init` is deprecated .*pass `init_params`"):
                old = fit_mixture(x, "poisson", 2, sample_weight=np.arange(len(x)) % 3 + 1.0, random_state=0,
                                  n_init=2, init="random", **kw)
    np.testing.assert_allclose(old.lower_bounds, new.lower_bounds, rtol=1e-14)
    with pytest.raises(TypeError, match="unexpected keyword argument 'n_restarts'"):
        fit_mixture(x, "poisson", 2, n_restarts=2)
    X = np.random.default_rng(0).normal(size=(60, 2))
    with pytest.warns(DeprecationWarning, match=r"select_mixture: `random_state` is deprecated"):
        a = select_mixture(X, n_components=[1, 2], covariance_types=["diag"], random_state=3)
    b = select_mixture(X, n_components=[1, 2], covariance_types=["diag"], seed=3)
    assert [r["bic"] for r in a.table] == [r["bic"] for r in b.table]


def test_hyperparameter_errors_are_declared_constraints():
    from sklearn.utils._param_validation import InvalidParameterError

    X = np.random.default_rng(0).normal(size=(20, 2))
    for bad, match in [(dict(tol=np.inf), r"tol must be a non-negative number; got inf"),
                       (dict(reg_covar=np.nan), r"reg_covar must be a non-negative number; got nan"),
                       (dict(max_iter=True), r"max_iter must be a positive integer; got True"),
                       (dict(covariance_type="diagonal"), r"covariance_type must be one of \['full', 'tied', 'diag', 'spherical'\]; got 'diagonal'\. Did you mean 'diag'\?")]:
        with pytest.raises(ParameterError, match="GaussianMixture: " + match) as info:
            GaussianMixture(2, **bad).fit(X)
        assert isinstance(info.value, InvalidParameterError)
    with pytest.raises(ParameterError, match=r"fit_mixture: n_init must be a positive integer; got 0"):
        fit_mixture(np.arange(10), "poisson", 2, n_init=0)


def test_em_driver_contract():
    """The engine's EM driver on a toy fixed-point map: the trace is ℓ/W going into each
    iteration, convergence on its change, MAX_ITER otherwise, the best of n_init kept."""
    from maxlik.optimize.em import em
    from maxlik.status import Status

    def e_step(theta):
        return -10.0 * (theta - 3.0) ** 2, theta

    def m_step(theta, iteration):
        return theta + 0.5 * (3.0 - theta)

    run = em(e_step, m_step, lambda start: [40.0, 2.0, 100.0][start], weight=10.0, tol=1e-8, max_iter=500, n_init=3)
    assert run.status is Status.CONVERGED and run.converged and run.start == 1
    assert run.trace[0] == -(2.0 - 3.0) ** 2 and np.all(np.diff(run.trace) > 0)
    assert run.loglik == pytest.approx(-10.0 * (run.params - 3.0) ** 2) and run.last_change < 1e-8
    short = em(e_step, m_step, lambda start: 0.0, weight=1.0, tol=0.0, max_iter=3)
    assert short.status is Status.MAX_ITER and short.n_iter == 3 and len(short.trace) == 3
