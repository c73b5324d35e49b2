"""Cauchy distribution (``loc`` μ, ``scale`` σ; scipy ``cauchy(loc, scale)``).

    log p(x | μ, σ) = −log π − log σ − log(1 + z²),   z = (x − μ) / σ

No closed form (the likelihood equation is a polynomial of degree 2n − 1): fitted
numerically. Robust starting point: μ = median, σ = IQR / 2 (the quartiles are μ ± σ). The
likelihood in μ can be multimodal for small samples; the median start sits in the main mode.
"""

from __future__ import annotations

import math

import numpy as np

from .. import constraints as C
from ..errors import DegenerateFitError
from ._base import Family, Param, jnp
from ._cdf_forms import LocationScale
from ._degenerate import require_spread
from ._derivatives import location_scale, log, per_row
from ._registry import register
from ._start import mean_var, median_iqr

LOG_PI = math.log(math.pi)


@register
class Cauchy(LocationScale, Family):
    name = "cauchy"
    scale_exponents = {"loc": 1, "scale": 1}
    params = (
        Param("loc", C.real, "median", typical=(-5.0, 5.0)),
        Param("scale", C.positive, "half the inter-quartile range", typical=(0.1, 10.0)),
    )
    support = C.real
    derivatives_broadcast = True

    def check_estimable(self, x, weights=None, fixed=None):
        require_spread(self, x, weights, fixed, "scale", "positive", "loc")
        _require_not_two_points(self, x, weights, fixed)

    def log_prob(self, params, x):
        z = (x - params["loc"]) / params["scale"]
        return -LOG_PI - jnp.log(params["scale"]) - jnp.log1p(z * z)

    def log_prob_derivatives(self, params, x):
        """NumPy (lp, d1, d2) in the order (loc, scale): log p = f(z) − log σ with
        f = −log(1 + z²), f′ = −2z w, f″ = −2w (w − r), where w = 1/(1 + z²) and r = z² w
        (bounded forms: no z⁴ to overflow); the chain rule is :func:`location_scale`'s.
        """
        loc, scale = per_row(params["loc"]), per_row(params["scale"])
        z = (np.asarray(x, dtype=float) - loc) / scale
        w = 1.0 / (1.0 + z * z)
        u = z * w
        lp = -LOG_PI - log(scale) - np.log1p(z * z)
        return (lp, *location_scale(z, scale, -2.0 * u, -2.0 * w * (w - z * u)))

    # -- distribution functions: F₀(z) = atan2(1, −z) / π (= ½ + atan(z)/π, without the
    # cancellation that loses the left tail); F₀⁻¹(q) = −1 / tan(πq) for q < ½. No mean, no variance.
    def _std_cdf(self, z, params, xp):
        return xp.arctan2(1.0, -z) / math.pi

    def _std_logcdf(self, z, params, xp):
        left = z < 0  # the right half as log1p(−S₀(z)): log F₀ is near 0 there
        return xp.where(left, xp.log(xp.arctan2(1.0, -xp.where(left, z, -1.0))) - LOG_PI, xp.log1p(-xp.arctan2(1.0, z) / math.pi))

    def _std_ppf(self, q, params):
        low = q < 0.5
        return np.where(low, -1.0 / np.tan(math.pi * np.where(low, q, 0.25)), 1.0 / np.tan(math.pi * (1.0 - np.where(low, 0.75, q))))

    def _std_mean(self, params):
        return np.nan

    def _std_var(self, params):
        return np.nan

    def sample(self, params, n, seed=None):
        loc, scale = float(params["loc"]), float(params["scale"])
        return loc + scale * np.random.default_rng(seed).standard_cauchy(size=n)

    def init(self, x, weights=None):
        med, iqr = median_iqr(x, weights)
        scale = iqr / 2.0
        if not scale > 0:
            scale = max(float(np.sqrt(mean_var(x, weights)[1])), 1e-8 * max(1.0, abs(med)))
        return {"loc": med, "scale": scale}


def _require_not_two_points(family, x, weights, fixed) -> None:
    """Data on which the Cauchy likelihood has no unique maximum (Copas 1975, Biometrika 62,
    701–704): a value that carries more than half of the weight makes it unbounded (a spike at
    that value: −w log σ beats the others' +w' log σ as σ → 0); exactly half makes it tend, as
    σ → 0 at that value, to a finite limit above every (loc, σ > 0) (the two terms cancel and the
    others' rise −2σ²Σw′/d² is still positive: Newton crawls towards σ = 0 and stopped at an
    arbitrary small σ after ~50 iterations); and two values of equal weight make
    it maximal on the whole circle through (x₁, 0) and (x₂, 0) in the (loc, scale) half-plane, so
    Newton would stop at an arbitrary point of it."""
    if fixed and ("loc" in fixed or "scale" in fixed):
        return
    x = np.asarray(x)
    if x.ndim != 1 or x.dtype.kind not in "fiu":
        return
    w = np.ones(x.shape) if weights is None else np.asarray(weights, dtype=float)
    values, inverse = np.unique(x[w > 0], return_inverse=True)
    if values.size < 2:
        return  # all equal: require_spread has said so
    totals = np.bincount(inverse, weights=w[w > 0])
    top = int(np.argmax(totals))
    if values.size == 2 and np.isclose(totals[0], totals[1], rtol=1e-12, atol=0):
        raise DegenerateFitError(
            f"{family.display_name}: data must not consist of two values of equal weight for (loc, scale) to have a "
            f"unique MLE; got only {values[0]:g} and {values[1]:g}, so every (loc, scale) on the circle through them "
            "maximises the likelihood (Copas 1975). Fix loc (e.g. fixed={'loc': ...}) or scale, or add data."
        )
    if totals[top] >= 0.5 * totals.sum() * (1 - 1e-12):
        grows = ("tends to a limit that no scale > 0 attains" if totals[top] <= 0.5 * totals.sum() * (1 + 1e-12)
                 else "grows without bound")
        raise DegenerateFitError(
            f"{family.display_name}: no value may carry half of the weight or more for (loc, scale) to have an MLE; "
            f"got {values[top]:g} with {totals[top] / totals.sum():.3g} of it, so the likelihood {grows} as "
            "the density narrows onto that value (Copas 1975). Fix scale (e.g. fixed={'scale': ...}) or add data."
        )
