"""mean / var of truncated families and of truncated fits (issue #14): against scipy.stats.truncnorm
and truncexpon, Simpson's rule on scipy's density deep in a tail (where truncnorm loses digits), the zero-truncated Poisson's closed form, and an infinite mean for a heavy tail."""

import math

import numpy as np
import pytest
import scipy.stats as st

import maxlik
from maxlik.truncated_family import TruncatedFamily


@pytest.mark.parametrize("low, high, loc, scale", [(-1.0, 2.5, 0.5, 1.5), (3.0, math.inf, 0.0, 1.0),
                                                   (-math.inf, -2.0, 0.0, 1.0), (-0.2, 0.1, 3.0, 2.0)])
def test_truncated_normal_against_scipy_truncnorm(low, high, loc, scale):
    fam = TruncatedFamily(maxlik.Normal(), low, high)
    p = {"loc": loc, "scale": scale}
    mean, var = st.truncnorm((low - loc) / scale, (high - loc) / scale, loc=loc, scale=scale).stats("mv")
    assert fam.mean(p) == pytest.approx(float(mean), rel=1e-10, abs=1e-12)
    assert fam.var(p) == pytest.approx(float(var), rel=1e-9)


def test_truncated_normal_deep_in_the_right_tail_against_simpson_on_scipys_density():
    # N(0, 1) on (40, 41]: the closed form 1 + (a φ(a) − b φ(b))/Z − E² cancels ~1600 down to 6e-4, so
    # scipy's truncnorm (and that formula) keep only ~7 digits of the variance here; the reference is
    # Simpson's rule on scipy's log-density renormalised in log space (200,001 points: ~1e-14 relative)
    from scipy.integrate import simpson

    a, b = 40.0, 41.0
    n = st.norm
    log_z = n.logsf(a) + np.log(-np.expm1(n.logsf(b) - n.logsf(a)))
    x = np.linspace(a, b, 200_001)
    dens = np.exp(n.logpdf(x) - log_z)
    mean = simpson(x * dens, x=x)
    var = simpson((x - mean) ** 2 * dens, x=x)
    fam = TruncatedFamily(maxlik.Normal(), a, b)
    p = {"loc": 0.0, "scale": 1.0}
    assert fam.mean(p) == pytest.approx(mean, rel=1e-13)
    assert fam.var(p) == pytest.approx(var, rel=1e-9)


@pytest.mark.parametrize("high, rate", [(4.0, 0.7), (0.5, 3.0), (30.0, 0.1)])
def test_truncated_exponential_against_scipy_truncexpon(high, rate):
    fam = TruncatedFamily(maxlik.Exponential(), 0.0, high)
    mean, var = st.truncexpon(high * rate, scale=1.0 / rate).stats("mv")
    assert fam.mean({"rate": rate}) == pytest.approx(float(mean), rel=1e-10)
    assert fam.var({"rate": rate}) == pytest.approx(float(var), rel=1e-8)


def test_zero_truncated_poisson_closed_form():
    lam = 2.0
    m = lam / -math.expm1(-lam)
    fam = TruncatedFamily(maxlik.Poisson(), 0.0, math.inf)
    assert fam.mean({"rate": lam}) == pytest.approx(m, rel=1e-12)
    assert fam.var({"rate": lam}) == pytest.approx(m * (1.0 + lam - m), rel=1e-10)


def test_heavy_tail_left_open_has_infinite_moments():
    fam = TruncatedFamily(maxlik.Cauchy(), 0.0, math.inf)
    assert fam.mean({"loc": 0.0, "scale": 1.0}) == math.inf
    assert fam.var({"loc": 0.0, "scale": 1.0}) == math.inf
    bounded = TruncatedFamily(maxlik.Cauchy(), -1.0, 1.0)  # symmetric window: mean 0, var = 4/π − 1
    assert bounded.mean({"loc": 0.0, "scale": 1.0}) == pytest.approx(0.0, abs=1e-12)
    assert bounded.var({"loc": 0.0, "scale": 1.0}) == pytest.approx(4.0 / math.pi - 1.0, rel=1e-10)


def test_fit_result_mean_and_var_are_the_truncated_ones():
    rng = np.random.default_rng(4)
    x = rng.normal(1.0, 2.0, 4000)
    x = x[(x > 0.0) & (x <= 3.0)]
    r = maxlik.fit(x, "normal", truncation=(0.0, 3.0))
    loc, scale = r.params["loc"], r.params["scale"]
    mean, var = st.truncnorm(-loc / scale, (3.0 - loc) / scale, loc=loc, scale=scale).stats("mv")
    assert r.mean == pytest.approx(float(mean), rel=1e-10)
    assert r.var == pytest.approx(float(var), rel=1e-9)
