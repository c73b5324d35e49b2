"""Exponential: log_prob against SciPy, closed form against numerical maximisation, streaming,
weights, fixed rate, standard errors, and error messages."""

import math

import numpy as np
import pytest
import scipy.optimize as so
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

import maxlik
from maxlik._jax import jax, jnp

FAM = maxlik.Exponential()


def _data(n=500, rate=0.7, seed=0):
    return np.random.default_rng(seed).exponential(1.0 / rate, n)


def test_registry_name_and_class():
    assert maxlik.get_family("exponential") == FAM
    assert maxlik.fit(_data(50), maxlik.Exponential).params == maxlik.fit(_data(50), "exponential").params


@pytest.mark.parametrize("rate", np.geomspace(*FAM.param("rate").typical, 6))
def test_log_prob_matches_scipy(rate):
    x = np.array([-1.0, 0.0, 1e-300, 0.3, 1.0, 7.5, 40.0])
    ours = np.asarray(FAM.log_prob({"rate": rate}, jnp.asarray(x)))
    np.testing.assert_allclose(ours, st.expon.logpdf(x, scale=1.0 / rate), rtol=1e-13)


@pytest.mark.parametrize("weighted", [False, True])
def test_closed_form_equals_numerical_maximum_and_gradient_is_zero(weighted):
    x = _data(400, 2.5, seed=1)
    w = np.random.default_rng(2).uniform(0.0, 3.0, x.size) if weighted else np.ones(x.size)
    r = maxlik.fit(x, "exponential", weights=w if weighted else None)

    def nll(u):
        return -np.sum(w * st.expon.logpdf(x, scale=math.exp(-u)))

    u = so.minimize_scalar(nll, bracket=(-3.0, 3.0), tol=1e-12).x
    assert r.params["rate"] == pytest.approx(math.exp(u), rel=1e-6)
    assert r.params["rate"] == pytest.approx(w.sum() / (w @ x), rel=1e-13)

    grad = jax.grad(lambda rate: -jnp.sum(w * FAM.log_prob({"rate": rate}, jnp.asarray(x))))(r.params["rate"])
    assert abs(float(grad)) * r.params["rate"] / w.sum() < 1e-12
    assert r.loglik == pytest.approx(-nll(u), rel=1e-12)


@settings(derandomize=True, max_examples=40, deadline=None)
@given(
    x=hs.lists(hs.floats(0.0, 1e6, allow_subnormal=False), min_size=2, max_size=60),
    cuts=hs.lists(hs.integers(0, 60), max_size=5),
)
def test_merged_stats_of_random_splits_equal_whole(x, cuts):
    x = np.asarray(x)
    bounds = sorted({min(c, x.size) for c in cuts} | {0, x.size})
    parts = [FAM.suffstats(x[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    merged, whole = maxlik.Stats.merge_all(parts), FAM.suffstats(x)
    assert (merged.count, merged.weight) == (whole.count, whole.weight)
    assert merged.total == pytest.approx(math.fsum(x), rel=1e-14, abs=1e-300)
    assert whole.total == pytest.approx(math.fsum(x), rel=1e-14, abs=1e-300)


def test_integer_weights_equal_repeated_rows():
    x = _data(60, seed=3)
    k = np.random.default_rng(4).integers(0, 5, x.size)
    k[0] = 1
    a = maxlik.fit(x, "exponential", weights=k)
    b = maxlik.fit(np.repeat(x, k), "exponential")
    assert a.params["rate"] == pytest.approx(b.params["rate"], rel=1e-13)
    assert a.loglik == pytest.approx(b.loglik, rel=1e-13)
    assert a.stderr["rate"] == pytest.approx(b.stderr["rate"], rel=1e-10)


def test_fixed_rate_is_kept_and_loglik_matches_scipy():
    x = _data(100, seed=5)
    r = maxlik.fit(x, "exponential", fixed={"rate": 0.5})
    assert r.params == {"rate": 0.5} and r.fixed == ("rate",) and r.stderr == {}
    assert r.loglik == pytest.approx(st.expon.logpdf(x, scale=2.0).sum(), rel=1e-13)
    assert r.n_params == 0


def test_stderr_is_rate_over_sqrt_n():
    x = _data(300, 1.3, seed=6)
    r = maxlik.fit(x, "exponential")
    assert r.stderr["rate"] == pytest.approx(r.params["rate"] / math.sqrt(300), rel=1e-8)


def test_loglik_of_a_million_observations_equals_float64_reference():
    x = _data(10**6, 0.2, seed=7)
    r = maxlik.fit(x, "exponential")
    ref = math.fsum(st.expon.logpdf(x, scale=1.0 / r.params["rate"]))
    assert math.isfinite(r.loglik) and r.loglik == pytest.approx(ref, rel=1e-12)


def test_sampling_round_trip_and_json():
    x = FAM.sample({"rate": 3.0}, 20000, seed=8)
    r = maxlik.fit(x, "exponential")
    assert abs(r.params["rate"] - 3.0) < 5 * r.stderr["rate"]
    back = maxlik.FitResult.from_json(r.to_json())
    assert back.params == r.params and back.stderr == r.stderr


def test_zero_is_in_the_support():
    r = maxlik.fit([0.0, 1.0, 2.0], "exponential")
    assert r.params["rate"] == pytest.approx(1.0)


def test_negative_values_are_rejected():
    with pytest.raises(
        maxlik.SupportError,
        match=r"Exponential: data must be non-negative \(>= 0\); got 2 value\(s\) outside the support \(first at row 1 \(0-based\): -0\.5\)",
    ):
        maxlik.fit([1.0, -0.5, 2.0, -3.0], "exponential")


def test_all_zero_data_have_no_mle():
    with pytest.raises(
        maxlik.DegenerateFitError,
        match=r"Exponential: data must contain a positive value to estimate rate; got all 3 observations equal to 0 .*without bound as rate -> inf and no MLE exists",
    ):
        maxlik.fit([0.0, 0.0, 0.0], "exponential")


def test_rate_variance_beyond_the_float64_range_is_inf_not_an_overflow_error():
    """Var(rate) = rate²/W with rate = 1/3.4e-192 (the property suite's minimal example) exceeds
    float64: +inf (it was Python's OverflowError from float(rate) ** 2)."""
    r = maxlik.fit(np.array([3.4e-192]), "exponential")
    assert r.params["rate"] == pytest.approx(1 / 3.4e-192, rel=1e-15)
    cov, labels, _ = r._covariance()
    assert labels == ["rate"] and cov[0, 0] == np.inf
