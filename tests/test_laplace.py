"""Laplace: log_prob against SciPy, MLE against scipy.stats.laplace.fit and brute force,
the flat likelihood between the middle values, streaming, weights, fixed parameters, the
asymptotic covariance, and error messages."""

import math

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

import maxlik
from maxlik._jax import jax, jnp

FAM = maxlik.Laplace()


def _data(n=301, loc=1.0, scale=2.0, seed=0):
    return np.random.default_rng(seed).laplace(loc, scale, n)


def _abs_dev(x, w, m):
    return float(np.sum(w * np.abs(x - m)))


def test_registry_name():
    assert maxlik.get_family("laplace") == FAM


@pytest.mark.parametrize("loc", np.linspace(*FAM.param("loc").typical, 4))
@pytest.mark.parametrize("scale", np.geomspace(*FAM.param("scale").typical, 4))
def test_log_prob_matches_scipy(loc, scale):
    x = np.array([-40.0, -3.0, loc, 0.0, 0.7, 5.0, 60.0])
    ours = np.asarray(FAM.log_prob({"loc": loc, "scale": scale}, jnp.asarray(x)))
    np.testing.assert_allclose(ours, st.laplace.logpdf(x, loc, scale), rtol=1e-13)


@pytest.mark.parametrize("n", [301, 300])
def test_mle_matches_scipy_fit(n):
    x = _data(n, seed=1)
    r = maxlik.fit(x, "laplace")
    loc, scale = st.laplace.fit(x)
    assert r.params["loc"] == pytest.approx(loc, rel=1e-14) and r.params["loc"] == np.median(x)
    assert r.params["scale"] == pytest.approx(scale, rel=1e-13)
    assert r.loglik == pytest.approx(st.laplace.logpdf(x, loc, scale).sum(), rel=1e-13)


def test_likelihood_is_flat_between_the_two_middle_values():
    x = np.array([0.0, 1.0, 2.0, 5.0, 6.0, 9.0])
    r = maxlik.fit(x, "laplace")
    assert r.params["loc"] == 3.5  # midpoint of 2 and 5, as numpy.median

    def profile(m):  # ℓ maximised over scale for a given loc
        return maxlik.fit(x, "laplace", fixed={"loc": m}).loglik

    for m in (2.0, 2.7, 5.0):
        assert profile(m) == pytest.approx(r.loglik, rel=1e-14)
    assert profile(1.9) < r.loglik and profile(5.1) < r.loglik


def test_weighted_median_minimises_weighted_absolute_deviation():
    rng = np.random.default_rng(2)
    x = rng.normal(size=101)
    w = rng.uniform(0.0, 2.0, 101)
    r = maxlik.fit(x, "laplace", weights=w)
    best = min(_abs_dev(x, w, m) for m in x)  # the minimum is attained at a data point
    assert _abs_dev(x, w, r.params["loc"]) <= best * (1 + 1e-14)
    assert r.params["scale"] == pytest.approx(best / w.sum(), rel=1e-13)
    # scale is smooth: its score is 0 at the estimate
    g = jax.grad(lambda s: -jnp.sum(w * FAM.log_prob({"loc": r.params["loc"], "scale": s}, jnp.asarray(x))))(
        r.params["scale"]
    )
    assert abs(float(g)) * r.params["scale"] / w.sum() < 1e-12


def test_weighted_median_small_cases():
    assert maxlik.fit([1.0, 2.0, 3.0], "laplace", weights=[1.0, 1.0, 5.0]).params["loc"] == 3.0
    assert maxlik.fit([1.0, 2.0, 3.0], "laplace", weights=[2.0, 1.0, 1.0]).params["loc"] == 1.5
    assert maxlik.fit([1.0, 2.0, 3.0, 10.0], "laplace", weights=[1.0, 0.0, 1.0, 0.0]).params["loc"] == 2.0


@settings(derandomize=True, max_examples=50, deadline=None)
@given(
    x=hs.lists(hs.floats(-1e6, 1e6, allow_subnormal=False), min_size=2, max_size=60),
    w=hs.lists(hs.sampled_from([0.0, 0.5, 1.0, 3.0]), min_size=60, max_size=60),
    cuts=hs.lists(hs.integers(0, 60), max_size=5),
)
def test_merged_stats_of_random_splits_equal_whole_in_any_order(x, w, cuts):
    x = np.asarray(x)
    w = np.asarray(w[: x.size])
    bounds = sorted({min(c, x.size) for c in cuts} | {0, x.size})
    parts = [FAM.suffstats(x[a:b], w[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    whole = FAM.suffstats(x, w)
    for merged in (maxlik.Stats.merge_all(parts), maxlik.Stats.merge_all(parts[::-1])):
        assert (merged.count, merged.weight) == (whole.count, whole.weight)
        np.testing.assert_array_equal(merged.values, whole.values)
        np.testing.assert_array_equal(merged.weights, whole.weights)
    keep = w > 0
    np.testing.assert_array_equal(np.sort(whole.values), np.sort(x[keep]))


def test_integer_weights_equal_repeated_rows():
    x = _data(41, seed=3)
    k = np.random.default_rng(4).integers(0, 4, x.size)
    k[:2] = 1
    a = maxlik.fit(x, "laplace", weights=k)
    b = maxlik.fit(np.repeat(x, k), "laplace")
    assert a.params["loc"] == b.params["loc"]
    assert a.params["scale"] == pytest.approx(b.params["scale"], rel=1e-13)
    assert a.loglik == pytest.approx(b.loglik, rel=1e-13)
    assert a.stderr["loc"] == pytest.approx(b.stderr["loc"], rel=1e-13)


def test_fixed_parameters_match_scipy():
    x = _data(200, seed=5)
    r = maxlik.fit(x, "laplace", fixed={"loc": 0.0})
    assert r.params["scale"] == pytest.approx(st.laplace.fit(x, floc=0.0)[1], rel=1e-13)
    assert r.params["scale"] == pytest.approx(np.mean(np.abs(x)), rel=1e-13)
    assert r.stderr == {"scale": pytest.approx(r.params["scale"] / math.sqrt(200), rel=1e-14)}
    r = maxlik.fit(x, "laplace", fixed={"scale": 3.0})
    assert r.params == {"loc": np.median(x), "scale": 3.0}
    assert r.loglik == pytest.approx(st.laplace.logpdf(x, np.median(x), 3.0).sum(), rel=1e-13)


def test_stderr_is_the_asymptotic_covariance():
    x = _data(400, seed=6)
    r = maxlik.fit(x, "laplace")
    b = r.params["scale"]
    assert r.cov_labels == ["loc", "scale"]
    np.testing.assert_allclose(r.cov, np.diag([b * b / 400, b * b / 400]), rtol=1e-14)


def test_asymptotic_variances_match_monte_carlo():
    n, reps, b = 401, 4000, 2.0
    draws = np.random.default_rng(7).laplace(1.0, b, (reps, n))
    med = np.median(draws, axis=1)
    scale = np.mean(np.abs(draws - med[:, None]), axis=1)
    assert med.var() == pytest.approx(b * b / n, rel=0.1)
    assert scale.var() == pytest.approx(b * b / n, rel=0.1)


def test_loglik_of_a_million_observations_equals_float64_reference():
    x = _data(10**6, -2.0, 0.5, seed=8)
    r = maxlik.fit(x, "laplace")
    ref = math.fsum(st.laplace.logpdf(x, r.params["loc"], r.params["scale"]))
    assert math.isfinite(r.loglik) and r.loglik == pytest.approx(ref, rel=1e-12)


def test_sampling_round_trip_and_json():
    r = maxlik.fit(FAM.sample({"loc": 4.0, "scale": 0.3}, 20000, seed=9), "laplace")
    assert abs(r.params["loc"] - 4.0) < 5 * r.stderr["loc"]
    assert abs(r.params["scale"] - 0.3) < 5 * r.stderr["scale"]
    back = maxlik.FitResult.from_json(r.to_json())
    assert back.params == r.params and back.stderr == r.stderr


def test_equal_values_have_no_mle():
    with pytest.raises(
        maxlik.DegenerateFitError,
        match=r"Laplace: scale must be positive, but all 3 observations are equal \(2\) \(zero absolute deviation\).*unbounded",
    ):
        maxlik.fit([2.0, 2.0, 2.0], "laplace")
    with pytest.raises(maxlik.DegenerateFitError, match=r"Laplace: scale must be positive, but all 2 observations equal loc=1 "):
        maxlik.fit([1.0, 1.0], "laplace", fixed={"loc": 1.0})


def test_single_observation_is_reported():
    with pytest.raises(
        maxlik.DegenerateFitError,
        match="Laplace: data must contain at least 2 observations with positive weight to estimate scale; got 1",
    ):
        maxlik.fit([1.0, 5.0], "laplace", weights=[0.0, 2.0])


def test_statistics_without_positive_weight_have_no_mle():
    stats = FAM.suffstats(np.array([1.0, 2.0]), np.zeros(2))
    with pytest.raises(maxlik.DegenerateFitError, match="Laplace: data must contain an observation with positive weight; got 2 rows"):
        FAM.mle_from_stats(stats)
