"""Gamma fitted from its sufficient statistics (W, Σx, Σ log x) by a 1-D Newton on the profile
score: estimates against scipy.stats.gamma.fit (which solves the same likelihood equations with
its own root finder, and can hold either parameter fixed), standard errors against the exact
information per observation [[ψ′(k), −1/β], [−1/β, k/β²]], and the one-pass statistics of large
arrays (one blocked NumPy pass) against NumPy sums.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special, stats

import maxlik
from maxlik.families.gamma import Gamma

X = np.random.default_rng(5).gamma(2.5, 1 / 0.8, size=5000)


def test_matches_scipy_and_exact_information():
    r = maxlik.fit(X, Gamma())
    a, _, scale = stats.gamma.fit(X, floc=0)
    assert r.params["concentration"] == pytest.approx(a, rel=1e-9)
    assert r.params["rate"] == pytest.approx(1 / scale, rel=1e-9)
    k, b, n = r.params["concentration"], r.params["rate"], X.size
    info = n * np.array([[special.polygamma(1, k), -1 / b], [-1 / b, k / b**2]])
    se = np.sqrt(np.diag(np.linalg.inv(info)))
    assert r.stderr["concentration"] == pytest.approx(se[0], rel=1e-10)
    assert r.stderr["rate"] == pytest.approx(se[1], rel=1e-10)
    assert r.loglik == pytest.approx(stats.gamma.logpdf(X, a, scale=scale).sum(), rel=1e-12)


def test_rate_fixed_matches_scipy_with_scale_fixed():
    r = maxlik.fit(X, "gamma", fixed={"rate": 0.5})
    a, _, _ = stats.gamma.fit(X, floc=0, fscale=2.0)
    assert r.params["concentration"] == pytest.approx(a, rel=1e-9) and r.params["rate"] == 0.5
    # the standard error of k alone: 1 / sqrt(n ψ′(k))
    assert r.stderr["concentration"] == pytest.approx(1 / math.sqrt(X.size * special.polygamma(1, a)), rel=1e-8)
    assert list(r.stderr) == ["concentration"]


def test_concentration_fixed_gives_rate_k_over_mean():
    r = maxlik.fit(X, "gamma", fixed={"concentration": 2.0})
    assert r.params["rate"] == pytest.approx(2.0 / X.mean(), rel=1e-12)
    assert r.stderr["rate"] == pytest.approx(r.params["rate"] / math.sqrt(2.0 * X.size), rel=1e-10)


@pytest.mark.parametrize("shape", [0.05, 1.0, 40.0, 3e4])
def test_shapes_from_very_skewed_to_nearly_normal(shape):
    x = np.random.default_rng(1).gamma(shape, 2.0, size=3000)
    r = maxlik.fit(x, "gamma")
    a, _, scale = stats.gamma.fit(x, floc=0)
    assert r.params["concentration"] == pytest.approx(a, rel=1e-7)
    assert r.params["rate"] == pytest.approx(1 / scale, rel=1e-7)


@pytest.mark.parametrize("offset", range(9))
def test_large_arrays_any_alignment_give_numpy_sums(offset):
    buf = np.random.default_rng(2).gamma(2.0, 1.0, size=200_000 + 8)
    x = buf[offset : offset + 200_000]  # every 8-byte offset from a 64-byte boundary
    s = Gamma().suffstats(x)
    assert s.sum_x == pytest.approx(x.sum(), rel=1e-13)
    assert s.sum_log_x == pytest.approx(np.log(x).sum(), rel=1e-13)
    strided = Gamma().suffstats(buf[::2])  # not contiguous: NumPy path
    assert strided.sum_log_x == pytest.approx(np.log(buf[::2]).sum(), rel=1e-13)


def test_invalid_values_in_a_large_array_are_reported_by_row():
    x = np.random.default_rng(3).gamma(2.0, 1.0, size=100_000)
    x[70_001] = -1.0
    with pytest.raises(maxlik.SupportError, match=r"Gamma: data must be positive \(> 0\); got 1 value\(s\) outside the support \(first at row 70001 \(0-based\): -1\)"):
        maxlik.fit(x, "gamma")
