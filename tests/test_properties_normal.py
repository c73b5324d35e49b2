"""Properties of the Normal closed form that any correct implementation has (hypothesis,
derandomised): merging is exact, integer weights are repeated rows, the fit is equivariant
under x -> a + b x and invariant under permutations, the log-likelihood of 10⁶ observations
matches a float64 reference, and the estimate is a maximum with zero gradient."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.stats as st
from hypothesis import assume, given, settings
from hypothesis import strategies as hs

import maxlik
from maxlik.families.normal import NormalStats

SETTINGS = settings(derandomize=True, deadline=None, max_examples=40)
NORMAL = maxlik.Normal()


@hs.composite
def samples(draw, min_size=2, max_size=120):
    """x = loc + scale · z with z on a grid of floats, loc up to 1e6 and scale from 1e-3."""
    z = draw(hs.lists(hs.floats(-10.0, 10.0, allow_nan=False), min_size=min_size, max_size=max_size))
    assume(np.ptp(z) > 1e-3)
    loc = draw(hs.sampled_from([0.0, -3.5, 1e3, 1e6]))
    scale = draw(hs.sampled_from([1e-3, 1.0, 7.0, 1e3]))
    return loc + scale * np.asarray(z)


def close(a: dict, b: dict, rel: float = 1e-12) -> bool:
    """loc to rel·(|loc| + scale) (loc may be 0), scale to rel."""
    tol_loc = rel * (abs(b["loc"]) + b["scale"])
    return abs(a["loc"] - b["loc"]) <= tol_loc and a["scale"] == pytest.approx(b["scale"], rel=rel)


def fold(parts) -> NormalStats:
    out = parts[0]
    for p in parts[1:]:
        out = out.merge(p)
    return out


# -- merging --------------------------------------------------------------------------------


@SETTINGS
@given(x=samples(), data=hs.data())
def test_merge_of_random_splits_equals_the_whole(x, data):
    cuts = sorted(data.draw(hs.lists(hs.integers(0, len(x)), max_size=8)))
    chunks = [c for c in np.split(x, cuts) if len(c)]
    merged = fold([NORMAL.suffstats(c) for c in chunks])
    whole = NORMAL.suffstats(x)
    assert merged.count == whole.count == len(x) and merged.weight == whole.weight
    assert close(NORMAL.mle_from_stats(merged), NORMAL.mle_from_stats(whole))


@SETTINGS
@given(x=samples(min_size=4), data=hs.data())
def test_merge_is_associative(x, data):
    i, j = sorted(data.draw(hs.lists(hs.integers(1, len(x) - 1), min_size=2, max_size=2)))
    assume(i < j)
    a, b, c = (NORMAL.suffstats(p) for p in (x[:i], x[i:j], x[j:]))
    assert close(NORMAL.mle_from_stats(a.merge(b).merge(c)), NORMAL.mle_from_stats(a.merge(b.merge(c))))


def test_merge_of_large_chunks_equals_the_whole():
    """Chunks above the block size go through the blocked path; the merge still agrees."""
    x = np.random.default_rng(7).normal(1e4, 3.0, 700_001)
    cuts = np.sort(np.random.default_rng(8).choice(len(x), 5, replace=False))
    merged = fold([NORMAL.suffstats(c) for c in np.split(x, cuts)])
    assert close(NORMAL.mle_from_stats(merged), NORMAL.mle_from_stats(NORMAL.suffstats(x)))
    assert close(NORMAL.mle_from_stats(merged), {"loc": x.mean(), "scale": x.std()})


# -- weights --------------------------------------------------------------------------------


@SETTINGS
@given(x=samples(max_size=60), data=hs.data())
def test_integer_weights_equal_repeated_rows(x, data):
    w = np.asarray(data.draw(hs.lists(hs.integers(0, 5), min_size=len(x), max_size=len(x))))
    repeated = np.repeat(x, w)
    assume(len(repeated) >= 2 and np.ptp(repeated) > 0)
    weighted = maxlik.fit(x, "normal", weights=w.astype(float))
    plain = maxlik.fit(repeated, "normal")
    assert close(weighted.params, plain.params)
    assert weighted.loglik == pytest.approx(plain.loglik, rel=1e-12, abs=1e-9)
    assert weighted.weight == len(repeated)


def test_integer_weights_equal_repeated_rows_large():
    rng = np.random.default_rng(9)
    x = rng.normal(-50.0, 0.25, 200_003)
    w = rng.integers(0, 4, len(x))
    w[:40_000] = 0  # a whole block without weight
    assert close(maxlik.fit(x, "normal", weights=w.astype(float)).params, maxlik.fit(np.repeat(x, w), "normal").params)


# -- symmetries -----------------------------------------------------------------------------


@SETTINGS
@given(x=samples(), a=hs.floats(-1e4, 1e4), b=hs.sampled_from([-3.0, -0.5, 0.001, 2.0, 1e3]))
def test_location_scale_equivariance(x, a, b):
    p = maxlik.fit(x, "normal").params
    q = maxlik.fit(a + b * x, "normal").params
    expected = {"loc": a + b * p["loc"], "scale": abs(b) * p["scale"]}
    # the transformed data are rounded once each: allow that rounding relative to the spread
    rel = 1e-12 * (1.0 + (abs(a) + abs(b) * float(np.max(np.abs(x)))) / expected["scale"])
    assert close(q, expected, rel=rel)


@SETTINGS
@given(x=samples(), seed=hs.integers(0, 2**32 - 1))
def test_permutation_invariance(x, seed):
    y = np.random.default_rng(seed).permutation(x)
    assert close(maxlik.fit(y, "normal").params, maxlik.fit(x, "normal").params, rel=1e-13)


# -- log-likelihood -------------------------------------------------------------------------


@pytest.mark.parametrize("loc, scale", [(0.0, 1.0), (1e6, 1e-2), (-3.0, 250.0)])
def test_loglik_of_a_million_observations_equals_a_float64_reference(loc, scale):
    x = np.random.default_rng(11).normal(loc, scale, 1_000_000)
    r = maxlik.fit(x, "normal")
    reference = math.fsum(st.norm.logpdf(x, r.params["loc"], r.params["scale"]))
    assert math.isfinite(r.loglik)
    assert r.loglik == pytest.approx(reference, rel=1e-12)
    assert r.params["loc"] == pytest.approx(math.fsum(x) / len(x), rel=1e-14, abs=1e-14 * scale)


def _nll(x: np.ndarray, loc: float, scale: float) -> float:
    return -math.fsum(st.norm.logpdf(x, loc, scale))


@SETTINGS
@given(x=samples(min_size=5), dloc=hs.floats(-0.5, 0.5), dlog_scale=hs.floats(-0.5, 0.5))
def test_closed_form_nll_is_not_above_nearby_points(x, dloc, dlog_scale):
    assume(abs(dloc) > 1e-4 or abs(dlog_scale) > 1e-4)
    p = maxlik.fit(x, "normal").params
    best = _nll(x, p["loc"], p["scale"])
    other = _nll(x, p["loc"] + dloc * p["scale"], p["scale"] * math.exp(dlog_scale))
    assert best <= other + 1e-12 * abs(best)


@SETTINGS
@given(x=samples(min_size=5))
def test_nll_gradient_is_zero_at_the_estimate(x):
    p = maxlik.fit(x, "normal").params
    xj = jnp.asarray(x)

    def nll(theta):  # in units of the estimate: loc = loĉ + u·scalê, scale = scalê·exp(v)
        params = {"loc": p["loc"] + theta[0] * p["scale"], "scale": p["scale"] * jnp.exp(theta[1])}
        return -jnp.sum(NORMAL.log_prob(params, xj)) / len(x)

    g = np.asarray(jax.grad(nll)(jnp.zeros(2)))
    # per-observation terms are O(1 + |loc| / scale · eps): allow rounding of the data's size
    tol = 1e-9 * (1.0 + abs(p["loc"]) / p["scale"] * 1e-6)
    assert np.all(np.abs(g) <= tol), g
