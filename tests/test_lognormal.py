"""LogNormal: log_prob against SciPy's lognorm(s=scale, scale=exp(loc)), closed form against
numerical maximisation, streaming, weights, fixed parameters, standard errors, errors."""

import math

import numpy as np
import pytest
import scipy.optimize as so
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

import maxlik
from maxlik._jax import jax, jnp

FAM = maxlik.LogNormal()


def _data(n=500, loc=0.8, scale=0.6, seed=0):
    return np.random.default_rng(seed).lognormal(loc, scale, n)


def _scipy_logpdf(x, loc, scale):
    return st.lognorm.logpdf(x, s=scale, scale=math.exp(loc))


def test_registry_names():
    assert maxlik.get_family("lognormal") == FAM == maxlik.get_family("log_normal")


@pytest.mark.parametrize("loc", np.linspace(*FAM.param("loc").typical, 4))
@pytest.mark.parametrize("scale", np.geomspace(*FAM.param("scale").typical, 4))
def test_log_prob_matches_scipy(loc, scale):
    x = np.array([-1.0, 0.0, 1e-8, 0.05, 0.5, 1.0, 3.0, 25.0])
    ours = np.asarray(FAM.log_prob({"loc": loc, "scale": scale}, jnp.asarray(x)))
    np.testing.assert_allclose(ours, _scipy_logpdf(x, loc, scale), rtol=1e-12)


@pytest.mark.parametrize("weighted", [False, True])
def test_closed_form_equals_numerical_maximum_and_gradient_is_zero(weighted):
    x = _data(300, -0.4, 1.1, seed=1)
    w = np.random.default_rng(2).uniform(0.0, 3.0, x.size) if weighted else np.ones(x.size)
    r = maxlik.fit(x, "lognormal", weights=w if weighted else None)

    def nll(u):
        return -np.sum(w * _scipy_logpdf(x, u[0], math.exp(u[1])))

    opt = so.minimize(nll, [1.0, 0.5], method="Nelder-Mead", options={"xatol": 1e-11, "fatol": 1e-13, "maxiter": 4000})
    assert r.params["loc"] == pytest.approx(opt.x[0], rel=1e-6)
    assert r.params["scale"] == pytest.approx(math.exp(opt.x[1]), rel=1e-6)
    assert r.loglik == pytest.approx(-opt.fun, rel=1e-12)

    def model_nll(p):
        return -jnp.sum(w * FAM.log_prob(p, jnp.asarray(x)))

    g = jax.grad(model_nll)({k: jnp.asarray(v) for k, v in r.params.items()})
    assert abs(float(g["loc"])) * r.params["scale"] / w.sum() < 1e-12
    assert abs(float(g["scale"])) * r.params["scale"] / w.sum() < 1e-12


@settings(derandomize=True, max_examples=40, deadline=None)
@given(
    x=hs.lists(hs.floats(1e-6, 1e6, allow_subnormal=False), min_size=2, max_size=60),
    cuts=hs.lists(hs.integers(0, 60), max_size=5),
)
def test_merged_stats_of_random_splits_equal_whole(x, cuts):
    x = np.asarray(x)
    bounds = sorted({min(c, x.size) for c in cuts} | {0, x.size})
    parts = [FAM.suffstats(x[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    merged, whole = maxlik.Stats.merge_all(parts), FAM.suffstats(x)
    assert type(merged) is type(whole) and (merged.count, merged.weight) == (whole.count, whole.weight)
    y = np.log(x)
    assert merged.mean == pytest.approx(whole.mean, rel=1e-14, abs=1e-14)
    assert merged.sum_log == pytest.approx(math.fsum(y), rel=1e-12, abs=1e-12)
    m2 = math.fsum((y - math.fsum(y) / y.size) ** 2)
    assert merged.m2 == pytest.approx(m2, rel=1e-9, abs=1e-20)
    assert whole.m2 == pytest.approx(m2, rel=1e-9, abs=1e-20)


def test_lognormal_stats_do_not_merge_with_normal_stats():
    x = _data(10)
    with pytest.raises(TypeError, match="LogNormalStats.merge: other must be LogNormalStats; got NormalStats"):
        FAM.suffstats(x).merge(maxlik.Normal().suffstats(x))


def test_is_normal_on_log_x():
    x = _data(200, seed=3)
    r, rn = maxlik.fit(x, "lognormal"), maxlik.fit(np.log(x), "normal")
    assert r.params["loc"] == pytest.approx(rn.params["loc"], rel=1e-14)
    assert r.params["scale"] == pytest.approx(rn.params["scale"], rel=1e-14)
    assert r.loglik == pytest.approx(rn.loglik - np.log(x).sum(), rel=1e-13)


def test_integer_weights_equal_repeated_rows():
    x = _data(60, seed=4)
    k = np.random.default_rng(5).integers(0, 5, x.size)
    k[:2] = 1
    a = maxlik.fit(x, "lognormal", weights=k)
    b = maxlik.fit(np.repeat(x, k), "lognormal")
    for name in ("loc", "scale"):
        assert a.params[name] == pytest.approx(b.params[name], rel=1e-13)
        assert a.stderr[name] == pytest.approx(b.stderr[name], rel=1e-10)
    assert a.loglik == pytest.approx(b.loglik, rel=1e-13)


def test_fixed_parameters_give_closed_forms():
    x = _data(250, seed=6)
    y = np.log(x)
    r = maxlik.fit(x, "lognormal", fixed={"loc": 0.0})
    assert r.params["scale"] == pytest.approx(math.sqrt(np.mean(y**2)), rel=1e-13)
    assert set(r.stderr) == {"scale"}
    assert r.stderr["scale"] == pytest.approx(r.params["scale"] / math.sqrt(2 * 250), rel=1e-8)
    r = maxlik.fit(x, "lognormal", fixed={"scale": 2.0})
    assert r.params == {"loc": pytest.approx(y.mean(), rel=1e-14), "scale": 2.0}
    assert r.stderr["loc"] == pytest.approx(2.0 / math.sqrt(250), rel=1e-8)
    assert r.loglik == pytest.approx(_scipy_logpdf(x, y.mean(), 2.0).sum(), rel=1e-13)


def test_stderr_like_normal_on_log_x():
    x = _data(400, 1.5, 0.3, seed=7)
    r = maxlik.fit(x, "lognormal")
    s = r.params["scale"]
    assert r.stderr["loc"] == pytest.approx(s / math.sqrt(400), rel=1e-8)
    assert r.stderr["scale"] == pytest.approx(s / math.sqrt(800), rel=1e-8)


def test_unbiased_option_is_not_the_default():
    x = _data(20, seed=8)
    assert maxlik.fit(x, "lognormal").params["scale"] == pytest.approx(np.log(x).std(ddof=0), rel=1e-13)
    r = maxlik.fit(x, maxlik.LogNormal(ddof=1))
    assert r.params["scale"] == pytest.approx(np.log(x).std(ddof=1), rel=1e-13)
    assert maxlik.FitResult.from_json(r.to_json()).family == maxlik.LogNormal(ddof=1)
    with pytest.raises(maxlik.ParameterError, match=r"LogNormal: ddof must be 0 \(the MLE\) or 1"):
        maxlik.LogNormal(ddof=2)


def test_loglik_of_a_million_observations_equals_float64_reference():
    x = _data(10**6, 2.0, 0.9, seed=9)
    r = maxlik.fit(x, "lognormal")
    ref = math.fsum(_scipy_logpdf(x, r.params["loc"], r.params["scale"]))
    assert math.isfinite(r.loglik) and r.loglik == pytest.approx(ref, rel=1e-12)


def test_sampling_round_trip():
    r = maxlik.fit(FAM.sample({"loc": -1.0, "scale": 0.5}, 20000, seed=10), "lognormal")
    assert abs(r.params["loc"] + 1.0) < 5 * r.stderr["loc"]
    assert abs(r.params["scale"] - 0.5) < 5 * r.stderr["scale"]


def test_negative_values_are_rejected():
    with pytest.raises(
        maxlik.SupportError,
        match=r"LogNormal: data must be positive \(> 0\); got 1 value\(s\) outside the support \(first at row 2 \(0-based\): -4\)",
    ):
        maxlik.fit([1.0, 2.0, -4.0], "lognormal")


def test_zeros_are_rejected():
    with pytest.raises(
        maxlik.SupportError,
        match=r"LogNormal: data must be positive \(> 0\); got 2 value\(s\) outside the support \(first at row 0 \(0-based\): 0\)",
    ):
        maxlik.fit([0.0, 2.0, 0.0, 3.0], "lognormal")


def test_equal_values_have_no_mle():
    with pytest.raises(
        maxlik.DegenerateFitError,
        match=r"LogNormal: scale must be positive, but all 3 observations are equal \(5\) \(zero variance of log x\)",
    ):
        maxlik.fit([5.0, 5.0, 5.0], "lognormal")
    with pytest.raises(maxlik.DegenerateFitError, match=r"all 2 observations equal exp\(loc\) = 1 "):
        maxlik.fit([1.0, 1.0], "lognormal", fixed={"loc": 0.0})


def test_single_observation_is_reported():
    with pytest.raises(maxlik.DegenerateFitError, match="LogNormal: data must contain at least 2 observations to estimate scale; got 1"):
        maxlik.fit([2.0], "lognormal")
