"""result.bootstrap(): percentile intervals against fitdistrplus bootdist (recorded), BCa against
scipy.stats.bootstrap, standard errors against asymptotic theory, failures counted, bad input."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import stats

import maxlik
from maxlik import ConvergenceWarning, ParameterError
from fitdistrplus_data import GROUNDBEEF

# fitdistrplus 1.1.8, R 4.2.2, options(digits=10):
#   x <- groundbeef$serving
#   set.seed(1); b <- bootdist(fitdist(x, "gamma"), niter=2000)                       # parametric
#   set.seed(2); b2 <- bootdist(fitdist(x, "gamma"), bootmethod="nonparam", niter=2000)
#   b$CI; apply(b$estim, 2, sd)       (all 2000 refits converged: b$nbconverg is NULL, none failed)
BOOTDIST = {
    "parametric": {"concentration": (4.0373884643, 3.42718448516, 4.7880200679, 0.348273773834),
                   "rate": (0.0547412496, 0.04602356787, 0.0659120613, 0.005002233424)},
    "nonparametric": {"concentration": (4.03944651960, 3.4600819964, 4.75369556076, 0.338342748888),
                      "rate": (0.05477302885, 0.0464470355, 0.06466200429, 0.004703940028)},
}
R_NITER = 2000


def quantile_mc_se(se: float, p: float, B: int) -> float:
    """Monte-Carlo standard error of the p-quantile of B replicates of a roughly normal estimator
    with standard deviation se: sqrt(p(1−p)/B) / φ(Φ⁻¹(p)) · se."""
    return se * math.sqrt(p * (1 - p) / B) / stats.norm.pdf(stats.norm.ppf(p))


@pytest.mark.parametrize("kind", ["parametric", "nonparametric"])
def test_percentile_interval_agrees_with_fitdistrplus_bootdist(kind):
    B = 2000
    b = maxlik.fit(GROUNDBEEF, "gamma").bootstrap(n_boot=B, kind=kind, seed=3)
    assert b.n_boot == B and b.n_failed == 0
    ci, se = b.conf_int(0.95), b.stderr
    for k, (median, lo, hi, r_sd) in BOOTDIST[kind].items():
        for ours, ref, p in ((ci[k][0], lo, 0.025), (ci[k][1], hi, 0.975),
                             (float(np.median(b.replicates[k])), median, 0.5)):
            tol = 4 * math.hypot(quantile_mc_se(r_sd, p, B), quantile_mc_se(r_sd, p, R_NITER))
            assert abs(ours - ref) < tol, (k, p, ours, ref, tol)
        # the standard deviation of B normal draws has relative standard error ≈ 1/sqrt(2B)
        assert se[k] == pytest.approx(r_sd, rel=4 * math.sqrt(1 / (2 * B) + 1 / (2 * R_NITER)))


def test_basic_interval_reflects_the_percentile_interval_about_the_estimate():
    r = maxlik.fit(GROUNDBEEF, "gamma")
    b = r.bootstrap(n_boot=300, seed=1)
    pct, basic = b.conf_int(0.9), b.conf_int(0.9, method="basic")
    for k in ("concentration", "rate"):
        est = r.params[k]
        assert basic[k][0] == pytest.approx(2 * est - pct[k][1], rel=1e-12)
        assert basic[k][1] == pytest.approx(2 * est - pct[k][0], rel=1e-12)
        rep = b.replicates[k]
        assert pct[k] == pytest.approx((np.quantile(rep, 0.05), np.quantile(rep, 0.95)), rel=1e-12)


def test_bca_agrees_with_scipy_bootstrap():
    # Normal loc is the sample mean: scipy.stats.bootstrap(np.mean, method="BCa") bootstraps the same
    # estimator; the two intervals are Monte-Carlo estimates of the same BCa limits.
    x = np.random.default_rng(7).gamma(2.0, 1.0, 150)
    B = 4000
    b = maxlik.fit(x, "normal").bootstrap(n_boot=B, seed=2)
    ours = b.conf_int(0.9, method="bca")["loc"]
    ref = stats.bootstrap((x,), np.mean, n_resamples=B, confidence_level=0.9, method="BCa", random_state=3)
    sd = x.std() / math.sqrt(x.size)
    for o, r_, p in zip(ours, (ref.confidence_interval.low, ref.confidence_interval.high), (0.05, 0.95)):
        assert abs(o - r_) < 4 * math.sqrt(2) * quantile_mc_se(sd, p, B)
    assert b.stderr["loc"] == pytest.approx(ref.standard_error, rel=4 / math.sqrt(B))
    # the acceleration makes BCa differ from the percentile interval on skewed data
    assert ours != pytest.approx(b.conf_int(0.9)["loc"], rel=1e-9)


def test_censored_fit_bootstrap_resamples_rows():
    rng = np.random.default_rng(5)
    t = rng.weibull(1.5, 300) * 4.0
    c = maxlik.Censored.from_events(np.minimum(t, 5.0), t < 5.0)  # administrative censoring at 5
    r = maxlik.fit(c, "weibull")
    b = r.bootstrap(n_boot=60, seed=1)
    assert b.n_failed == 0 and b.replicates["scale"].shape == (60,)
    for k in ("concentration", "scale"):  # bootstrap SE ≈ the observed-information SE (n = 300)
        assert b.stderr[k] == pytest.approx(r.stderr[k], rel=0.3)


def test_fit_loglik_bootstrap_matches_the_normal_theory():
    import jax.numpy as jnp

    x = np.random.default_rng(8).normal(1.0, 2.0, 200)
    r = maxlik.fit_loglik(lambda p, d: -0.5 * ((d - p["m"]) / p["s"]) ** 2 - jnp.log(p["s"]), x,
                          {"m": 0.0, "s": (1.0, "positive")})
    b = r.bootstrap(n_boot=60, seed=2)
    assert b.n_failed == 0
    assert b.stderr["m"] == pytest.approx(x.std() / math.sqrt(x.size), rel=0.3)
    with pytest.raises(ParameterError, match="bootstrap: kind='parametric' needs a family that can simulate"):
        r.bootstrap(n_boot=5, kind="parametric")


def test_weighted_nonparametric_bootstrap_carries_weights_with_rows():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    w = np.array([1.0, 3.0, 2.0, 2.0])
    b = maxlik.fit(x, "normal", weights=w).bootstrap(n_boot=50, seed=0)
    # every replicate's loc is a weighted mean of resampled rows: within the data's range
    assert np.all((b.replicates["loc"] >= 1) & (b.replicates["loc"] <= 4))
    expanded = maxlik.fit(np.repeat(x, w.astype(int)), "normal")
    assert b.estimate["loc"] == pytest.approx(expanded.params["loc"], rel=1e-12)


def test_failed_replicates_are_counted_and_reported_never_dropped():
    x = np.array([1.0, 1.0, 1.0, 1.0, 2.0])  # a resample of five 1.0s has no Weibull MLE
    r = maxlik.fit(x, "weibull")
    with pytest.warns(ConvergenceWarning, match=r"bootstrap: \d+ of 200 replicates did not converge"):
        b = r.bootstrap(n_boot=200, seed=4)
    nan = np.isnan(b.replicates["scale"])
    assert b.n_failed == int(nan.sum()) == int((~b.converged).sum()) > 0
    assert b.replicates["scale"].shape == (200,)
    assert "failed to converge" in b.summary()
    lo, hi = b.conf_int()["scale"]
    assert math.isfinite(lo) and math.isfinite(hi)


def test_summary_plot_and_dict():
    b = maxlik.fit(GROUNDBEEF, "gamma").bootstrap(n_boot=50, seed=0)
    text = b.summary()
    assert "concentration" in text and "95% percentile interval" in text
    d = b.to_dict()
    assert d["n_boot"] == 50 and set(d["conf_int"]) == {"concentration", "rate"}
    fig = b.plot()
    assert len(fig.axes) == 4  # 2 histograms, 1 scatter, 1 empty corner
    one = maxlik.fit(GROUNDBEEF, "exponential").bootstrap(n_boot=20, seed=0).plot()
    assert len(one.axes) == 1


def test_bad_input():
    r = maxlik.fit(GROUNDBEEF, "gamma")
    for n_boot in (0, 1.5, True):
        with pytest.raises(ParameterError, match=r"bootstrap: n_boot must be an integer >= 1; got"):
            r.bootstrap(n_boot=n_boot)
    with pytest.raises(ParameterError, match="bootstrap: kind must be one of nonparametric, parametric; got 'jackknife'"):
        r.bootstrap(n_boot=5, kind="jackknife")
    b = r.bootstrap(n_boot=5, kind="parametric", seed=0)
    with pytest.raises(ParameterError, match="conf_int: method must be one of percentile, basic, bca; got 'wald'"):
        b.conf_int(method="wald")
    with pytest.raises(ParameterError, match="method='bca' needs a nonparametric bootstrap"):
        b.conf_int(method="bca")
    c = maxlik.Censored.from_events(GROUNDBEEF, np.arange(GROUNDBEEF.size) % 3 > 0)
    with pytest.raises(ParameterError, match=r"kind='parametric' needs a family that can simulate the data; got censored"):
        maxlik.fit(c, "weibull").bootstrap(n_boot=5, kind="parametric")
    stored = maxlik.FitResult.from_dict(r.to_dict())
    with pytest.raises(ParameterError, match="bootstrap: the result must come from a fit of data in memory"):
        stored.bootstrap(n_boot=5)


def test_regression_result_bootstrap_resamples_pairs():
    # the pairs bootstrap estimates the sandwich (HC0) covariance (XᵀX)⁻¹ Xᵀ diag(eₙ²) X (XᵀX)⁻¹
    import pickle

    rng = np.random.default_rng(9)
    X = rng.normal(size=(300, 2))
    y = 1.0 + X @ np.array([2.0, -1.0]) + rng.normal(size=300) * (0.5 + np.abs(X[:, 0]))
    model = maxlik.LinearRegression().fit(X, y)
    b = model.result_.bootstrap(n_boot=300, seed=1)
    A = np.column_stack([np.ones(300), X])
    e = y - A @ model.result_.coef
    bread = np.linalg.inv(A.T @ A)
    hc0 = np.sqrt(np.diag(bread @ (A.T * e**2) @ A @ bread))
    assert b.n_failed == 0 and list(b.replicates) == model.result_.names
    for name, se in zip(model.result_.names, hc0):
        assert b.stderr[name] == pytest.approx(se, rel=0.2)
    assert pickle.loads(pickle.dumps(model)).result_.coef == pytest.approx(model.result_.coef)
    with pytest.raises(ParameterError, match="kind='parametric' needs a family that can simulate the data; got a regression"):
        model.result_.bootstrap(n_boot=5, kind="parametric")


def test_logistic_result_bootstrap():
    rng = np.random.default_rng(10)
    X = rng.normal(size=(400, 1))
    y = (rng.uniform(size=400) < 1 / (1 + np.exp(-(0.3 + 1.2 * X[:, 0])))).astype(int)
    model = maxlik.LogisticRegression().fit(X, y)
    b = model.result_.bootstrap(n_boot=80, seed=2)
    assert b.n_failed == 0
    for name, se in model.result_.stderr.items():  # a correct model: bootstrap SE ≈ observed-information SE
        assert b.stderr[name] == pytest.approx(se, rel=0.3)


def test_vector_parameters_have_replicates_per_element():
    X = np.random.default_rng(12).normal(size=(120, 2))
    r = maxlik.fit(X, "mvnormal")
    b = r.bootstrap(n_boot=40, seed=0)
    assert b.replicates["loc"].shape == (40, 2) and b.replicates["covariance_matrix"].shape == (40, 2, 2)
    lo, hi = b.conf_int()["loc"]
    assert lo.shape == (2,) and np.all(lo < r.params["loc"]) and np.all(r.params["loc"] < hi)
    # the bootstrap SE of a mean ≈ s / sqrt(n)
    np.testing.assert_allclose(b.stderr["loc"], X.std(axis=0) / math.sqrt(120), rtol=0.4)


def test_progress_is_reported_on_the_one_by_one_path():
    x = np.random.default_rng(13).weibull(1.5, 80)
    c = maxlik.Censored.from_events(np.minimum(x, 1.5), x < 1.5)
    r = maxlik.fit(c, "weibull")
    seen = []
    r.bootstrap(n_boot=4, seed=0, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    with pytest.raises(ParameterError, match="bootstrap: progress must be True, False, 'auto' or a callable"):
        r.bootstrap(n_boot=4, progress="yes")
