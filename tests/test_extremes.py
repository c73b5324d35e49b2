"""Extremes that real data reach (issue #16 item 4): tiny and huge scales, n = 1 and 2, constant
data, two values, huge identical weights. References: the fit on the unscaled data mapped through
the family's equivariance, closed forms, and scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import maxlik
from maxlik.errors import DegenerateFitError

rng = np.random.default_rng(4)
BASE = rng.gamma(3.0, 1.0, size=200)
LOCATION_SCALE = ["cauchy", "logistic", "gumbel", "laplace", "normal", "student_t"]


@pytest.mark.parametrize("scale", [1e-300, 1e-150, 1e-12, 1e-6, 1e6, 1e12, 1e150, 1e300])  # ±300: rescaled_fit
@pytest.mark.parametrize("name", LOCATION_SCALE)
def test_location_scale_fits_are_equivariant_at_any_scale(name, scale):
    """Data in nanoseconds or in dollars: the same fit in other units (Newton used to cap its
    step at 10 units of loc, and to call H indefinite when loc's curvature was 1e-12 of scale's)."""
    ref, r = maxlik.fit(BASE, name), maxlik.fit(BASE * scale, name)
    assert r.converged, r.status
    np.testing.assert_allclose(r.params["loc"], ref.params["loc"] * scale, rtol=1e-7)
    np.testing.assert_allclose(r.params["scale"], ref.params["scale"] * scale, rtol=1e-7)
    np.testing.assert_allclose(r.stderr["scale"], ref.stderr["scale"] * scale, rtol=1e-5)
    assert r.loglik == pytest.approx(ref.loglik - BASE.size * np.log(scale), rel=1e-10, abs=1e-7)


@pytest.mark.parametrize("scale", [1e-300, 1e-150, 1e-9, 1e9, 1e150, 1e300])
@pytest.mark.parametrize("name, scipy_name", [("weibull", "weibull_min"), ("gamma", "gamma")])
def test_scale_families_at_any_scale(name, scipy_name, scale):
    """The shape is unit-free, the log-likelihood shifts by −n·log(scale); and the maximum is at
    least scipy's (whose optimiser stops a little short for the Weibull: 1.78065 vs 1.780629)."""
    ref, r = maxlik.fit(BASE, name), maxlik.fit(BASE * scale, name)
    assert r.converged
    shape = next(iter(r.params))
    np.testing.assert_allclose(r.params[shape], ref.params[shape], rtol=1e-9)
    assert r.loglik == pytest.approx(ref.loglik - BASE.size * np.log(scale), rel=1e-12)
    a, _, sc = getattr(stats, scipy_name).fit(BASE, floc=0)
    assert ref.loglik >= getattr(stats, scipy_name).logpdf(BASE, a, 0, sc).sum() - 1e-9


@pytest.mark.parametrize("name, x, collapsing", [
    ("beta", [0.3], "concentration1"), ("beta", [0.3] * 6, "concentration1"),
    ("von_mises", [0.5], "concentration"), ("von_mises", [0.5] * 6, "concentration"),
])
def test_constant_data_without_mle_are_reported(name, x, collapsing):
    with pytest.raises(DegenerateFitError, match=rf"{collapsing} must be finite, but all {len(x)} observations are equal"):
        maxlik.fit(np.array(x), name)


def test_beta_with_one_concentration_fixed_is_bounded():
    """b held: a -> inf moves the mass to 1, not onto the common value, so the fit exists."""
    r = maxlik.fit(np.full(5, 0.3), "beta", fixed={"concentration0": 2.0})
    assert r.converged and np.isfinite(r.params["concentration1"])


@pytest.mark.parametrize("x, w", [([0.5, 2.5], None), ([0.5] * 50 + [2.5] * 50, None), ([0.5, 2.5], [3.0, 3.0])])
def test_cauchy_two_points_have_no_unique_mle(x, w):
    # the log-likelihood is the same all along the circle (Copas 1975): check the premise
    ll = [stats.cauchy.logpdf([0.5, 2.5], 1.5 + np.cos(t), np.sin(t)).sum() for t in (0.3, 1.2, 2.5)]
    np.testing.assert_allclose(ll, ll[0], rtol=1e-12)
    with pytest.raises(DegenerateFitError, match=r"Cauchy: data must not consist of two values of equal weight .*Copas 1975"):
        maxlik.fit(np.array(x), "cauchy", weights=w)


def test_cauchy_value_with_most_of_the_weight_has_no_mle():
    """3 of 4 units of weight on 2.5: −3 log σ + log σ → ∞ as σ → 0 at loc = 2.5 (Copas 1975)."""
    assert stats.cauchy.logpdf([0.5, 2.5], 2.5, 1e-8) @ [1.0, 3.0] > stats.cauchy.logpdf([0.5, 2.5], 2.5, 1e-4) @ [1.0, 3.0] + 10
    with pytest.raises(DegenerateFitError, match=r"no value may carry half of the weight or more .* got 2.5 with 0.75 of it, so the likelihood grows without bound"):
        maxlik.fit(np.array([0.5, 2.5]), "cauchy", weights=[1.0, 3.0])
    with pytest.raises(DegenerateFitError, match=r"half of the weight or more"):
        maxlik.fit(np.array([0.5, 1.0, 2.5, 2.5, 2.5]), "cauchy")


@pytest.mark.parametrize("x, w", [([0.5, 1.0, 2.5, 2.5], None), ([-12.6348803, -1.70640602, -1.04041038], [3.0, 1.0, 2.0])])
def test_cauchy_with_exactly_half_the_weight_on_one_value_has_no_mle(x, w):
    """Exactly half: ℓ(v, σ) → L0 = Σ_others w (−log π d²) − (W/2) log π as σ → 0 at that value v,
    above every (loc, σ > 0); Newton crawled there and called σ = 0.0013 (54 iterations) converged.
    The second case is the groups fuzz's (seed 20261221): 85 iterations, either side of max_iter."""
    x, w = np.array(x), np.ones(len(x)) if w is None else np.array(w)
    v = x[np.argmax([w[x == u].sum() for u in x])]
    d, wo = x[x != v] - v, w[x != v]
    limit = float(np.sum(wo * -np.log(np.pi * d * d)) - w[x == v].sum() * np.log(np.pi))
    assert stats.cauchy.logpdf(x, v, 1e-9) @ w == pytest.approx(limit, abs=1e-12)
    assert all(stats.cauchy.logpdf(x, v, s) @ w < limit for s in (1e-4, 1e-2, 1.0))
    with pytest.raises(DegenerateFitError, match=r"half of the weight or more .* with 0.5 of it, so the likelihood tends "
                                                 r"to a limit that no scale > 0 attains"):
        maxlik.fit(x, "cauchy", weights=w)


def test_cauchy_with_less_than_half_the_weight_on_every_value_has_an_mle():
    x = np.array([0.5, 1.0, 2.5, 2.5, 3.0])
    r = maxlik.fit(x, "cauchy")
    assert r.converged
    grid = [(m, s) for m in np.linspace(0, 3, 61) for s in np.geomspace(1e-6, 3, 150)]
    best = max(stats.cauchy.logpdf(x, m, s).sum() for m, s in grid)
    assert r.loglik >= best - 1e-9
    ref = stats.cauchy.fit(x)
    assert r.loglik >= stats.cauchy.logpdf(x, *ref).sum() - 1e-9


@pytest.mark.parametrize("name", ["normal", "gamma", "weibull", "poisson"])
def test_ten_million_identical_weights_change_no_estimate(name):
    x = np.array([1.0, 2.0, 4.0, 7.0])
    r, ref = maxlik.fit(x, name, weights=np.full(4, 1e7)), maxlik.fit(x, name)
    for k in ref.params:
        np.testing.assert_allclose(r.params[k], ref.params[k], rtol=1e-9)
        np.testing.assert_allclose(r.stderr[k], ref.stderr[k] / np.sqrt(1e7), rtol=1e-6)
    assert r.loglik == pytest.approx(1e7 * ref.loglik, rel=1e-10)
