"""Uniform: log_prob against SciPy, MLE = (min, max) and scipy.stats.uniform.fit, streaming,
weights, fixed ends, the exact order-statistic covariance, and error messages."""

import math

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

import maxlik
from maxlik._jax import jnp
from maxlik.families.uniform import order_statistic_covariance

FAM = maxlik.Uniform()


def _data(n=200, low=-1.0, high=3.0, seed=0):
    return np.random.default_rng(seed).uniform(low, high, n)


def _order_stat_cov(r, n):
    """Closed form: Var(min) = Var(max) = r² n / ((n+1)² (n+2)), Cov = r² / ((n+1)² (n+2))."""
    c = r * r / ((n + 1) ** 2 * (n + 2))
    return n * c, c


def test_registry_name():
    assert maxlik.get_family("uniform") == FAM


@pytest.mark.parametrize("low", np.linspace(*FAM.param("low").typical, 3))
@pytest.mark.parametrize("high", np.linspace(*FAM.param("high").typical, 3))
def test_log_prob_matches_scipy(low, high):
    x = np.array([low - 1.0, low, 0.5 * (low + high), 0.0, high, high + 1e-9, 7.0])
    ours = np.asarray(FAM.log_prob({"low": low, "high": high}, jnp.asarray(x)))
    np.testing.assert_allclose(ours, st.uniform.logpdf(x, loc=low, scale=high - low), rtol=1e-14)


def test_mle_is_min_and_max_and_matches_scipy_fit():
    x = _data(300, 2.0, 7.5, seed=1)
    r = maxlik.fit(x, "uniform")
    assert r.params == {"low": x.min(), "high": x.max()}
    loc, scale = st.uniform.fit(x)
    assert r.params["low"] == pytest.approx(loc, rel=1e-14)
    assert r.params["high"] == pytest.approx(loc + scale, rel=1e-14)
    assert r.loglik == pytest.approx(st.uniform.logpdf(x, loc=x.min(), scale=np.ptp(x)).sum(), rel=1e-13)


def test_zero_weight_rows_do_not_constrain_the_fit():
    x = np.array([1.0, 2.0, 100.0, 3.0, -50.0])
    r = maxlik.fit(x, "uniform", weights=[1.0, 0.5, 0.0, 2.0, 0.0])
    assert r.params == {"low": 1.0, "high": 3.0}
    assert r.loglik == pytest.approx(-3.5 * math.log(2.0), rel=1e-14)


def test_loglik_from_stats_is_minus_infinity_when_data_fall_outside():
    s = FAM.suffstats(np.array([0.0, 1.0, 2.0]))
    assert float(FAM.loglik_from_stats(s, {"low": 0.5, "high": 2.0})) == -math.inf
    assert float(FAM.loglik_from_stats(s, {"low": 0.0, "high": 1.5})) == -math.inf
    assert float(FAM.loglik_from_stats(s, {"low": -1.0, "high": 3.0})) == pytest.approx(-3 * math.log(4.0))


@settings(derandomize=True, max_examples=50, deadline=None)
@given(
    x=hs.lists(hs.floats(-1e9, 1e9, allow_subnormal=False), min_size=2, max_size=60),
    cuts=hs.lists(hs.integers(0, 60), max_size=5),
)
def test_merged_stats_of_random_splits_equal_whole(x, cuts):
    x = np.asarray(x)
    bounds = sorted({min(c, x.size) for c in cuts} | {0, x.size})
    parts = [FAM.suffstats(x[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    merged, whole = maxlik.Stats.merge_all(parts), FAM.suffstats(x)
    assert (merged.count, merged.weight, merged.min, merged.max) == (x.size, float(x.size), x.min(), x.max())
    assert (whole.count, whole.weight, whole.min, whole.max) == (x.size, float(x.size), x.min(), x.max())


def test_integer_weights_equal_repeated_rows():
    x = _data(40, seed=2)
    k = np.random.default_rng(3).integers(0, 4, x.size)
    k[:2] = 1
    a = maxlik.fit(x, "uniform", weights=k)
    b = maxlik.fit(np.repeat(x, k), "uniform")
    assert a.params == b.params
    assert a.loglik == pytest.approx(b.loglik, rel=1e-14)
    assert a.stderr["low"] == pytest.approx(b.stderr["low"], rel=1e-14)
    np.testing.assert_allclose(a.cov, b.cov, rtol=1e-14)


def test_fixed_ends():
    x = _data(100, 0.0, 1.0, seed=4)
    r = maxlik.fit(x, "uniform", fixed={"low": -1.0})
    assert r.params == {"low": -1.0, "high": x.max()}
    assert r.loglik == pytest.approx(st.uniform.logpdf(x, loc=-1.0, scale=x.max() + 1.0).sum(), rel=1e-13)
    var, _ = _order_stat_cov(x.max() + 1.0, 100)
    assert r.cov_labels == ["high"] and r.stderr == {"high": pytest.approx(math.sqrt(var), rel=1e-14)}
    r = maxlik.fit(x, "uniform", fixed={"high": 2.0})
    assert r.params == {"low": x.min(), "high": 2.0}
    assert r.n_params == 1
    r = maxlik.fit(x, "uniform", fixed={"low": -1.0, "high": 2.0})
    assert r.params == {"low": -1.0, "high": 2.0} and r.stderr == {}
    assert r.loglik == pytest.approx(-100 * math.log(3.0), rel=1e-14)


def test_stderr_is_the_exact_order_statistic_covariance():
    x = _data(50, 2.0, 5.0, seed=5)
    r = maxlik.fit(x, "uniform")
    var, cov = _order_stat_cov(x.max() - x.min(), 50)
    assert r.cov_labels == ["high", "low"]
    np.testing.assert_allclose(r.cov, [[var, cov], [cov, var]], rtol=1e-14)
    assert r.stderr["low"] == r.stderr["high"] == pytest.approx(math.sqrt(var), rel=1e-14)


def test_order_statistic_covariance_matches_monte_carlo():
    n, reps, a, b = 10, 100_000, 2.0, 5.0
    draws = np.random.default_rng(6).uniform(a, b, (reps, n))
    emp = np.cov(np.stack([draws.min(axis=1), draws.max(axis=1)]))
    theory = order_statistic_covariance(b - a, n)
    np.testing.assert_allclose(theory, np.array(_order_stat_cov(b - a, n))[[[0, 1], [1, 0]]], rtol=1e-14)
    np.testing.assert_allclose(np.diag(emp), np.diag(theory), rtol=0.04)
    assert emp[0, 1] == pytest.approx(theory[0, 1], rel=0.12)


def test_loglik_of_a_million_observations_equals_float64_reference():
    x = _data(10**6, -3.0, 8.0, seed=7)
    r = maxlik.fit(x, "uniform")
    ref = math.fsum(st.uniform.logpdf(x, loc=r.params["low"], scale=r.params["high"] - r.params["low"]))
    assert math.isfinite(r.loglik) and r.loglik == pytest.approx(ref, rel=1e-13)


def test_sampling_round_trip_and_json():
    x = FAM.sample({"low": -2.0, "high": 1.0}, 5000, seed=8)
    r = maxlik.fit(x, "uniform")
    assert -2.0 < r.params["low"] < -2.0 + 0.01 and 1.0 - 0.01 < r.params["high"] < 1.0
    back = maxlik.FitResult.from_json(r.to_json())
    assert back.params == r.params and back.stderr == r.stderr


def test_zero_range_has_no_mle():
    with pytest.raises(
        maxlik.DegenerateFitError,
        match=r"Uniform: high - low must be positive; got all 3 observations equal to 4 \(zero range\).*unbounded",
    ):
        maxlik.fit([4.0, 4.0, 4.0], "uniform")


def test_fixed_end_inside_the_data_is_rejected():
    x = [1.0, 2.0, 3.0]
    with pytest.raises(
        maxlik.SupportError,
        match=r"Uniform: fixed low must be <= the smallest observation \(1\); got low=1\.5, which gives that observation zero likelihood",
    ):
        maxlik.fit(x, "uniform", fixed={"low": 1.5})
    with pytest.raises(
        maxlik.SupportError,
        match=r"Uniform: fixed high must be >= the largest observation \(3\); got high=2\.5",
    ):
        maxlik.fit(x, "uniform", fixed={"high": 2.5})


def test_fixed_low_above_fixed_high_is_rejected():
    with pytest.raises(maxlik.ParameterError, match=r"Uniform: fixed low must be < fixed high; got low=5, high=0"):
        maxlik.fit([1.0, 2.0], "uniform", fixed={"low": 5.0, "high": 0.0})


def test_statistics_without_positive_weight_have_no_mle():
    stats = FAM.suffstats(np.array([1.0, 2.0]), np.zeros(2))
    with pytest.raises(maxlik.DegenerateFitError, match="Uniform: data must contain an observation with positive weight; got 2 rows"):
        FAM.mle_from_stats(stats)
