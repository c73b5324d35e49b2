"""Gumbel distribution for maxima (``loc`` μ, ``scale`` β; scipy ``gumbel_r(loc, scale)``).

    log p(x | μ, β) = −z − e^(−z) − log β,   z = (x − μ) / β

No closed form: fitted numerically. Starting point by moments: mean = μ + γβ and
variance = π²β²/6, so β = √(6 Var) / π and μ = mean − γβ (γ: Euler's constant).
"""

from __future__ import annotations

import math

import numpy as np

from .. import constraints as C
from ._base import Family, Param, jnp
from ._cdf import log1mexp
from ._cdf_forms import LocationScale
from ._degenerate import require_spread
from ._derivatives import location_scale, log, per_row
from ._registry import register
from ._start import mean_var, spread_floor

EULER_GAMMA = 0.5772156649015329


@register
class Gumbel(LocationScale, Family):
    name = "gumbel"
    scale_exponents = {"loc": 1, "scale": 1}
    params = (
        Param("loc", C.real, "mode μ", typical=(-5.0, 5.0)),
        Param("scale", C.positive, "scale β", typical=(0.1, 10.0)),
    )
    support = C.real
    derivatives_broadcast = True

    def check_estimable(self, x, weights=None, fixed=None):
        require_spread(self, x, weights, fixed, "scale", "positive", "loc")

    def log_prob(self, params, x):
        z = (x - params["loc"]) / params["scale"]
        return -z - jnp.exp(-z) - jnp.log(params["scale"])

    def log_prob_derivatives(self, params, x):
        """NumPy (lp, d1, d2) in the order (loc, scale): log p = f(z) − log β with
        f = −z − e^(−z), f′ = e^(−z) − 1 = expm1(−z) (accurate near the mode), f″ = −e^(−z);
        the chain rule is :func:`location_scale`'s.
        """
        loc, scale = per_row(params["loc"]), per_row(params["scale"])
        z = (np.asarray(x, dtype=float) - loc) / scale
        with np.errstate(over="ignore"):  # e^(−z) = inf only where p underflows: lp = −inf, as log_prob
            f1 = np.expm1(-z)
            e = np.exp(-z)
        lp = -z - e - log(scale)
        return (lp, *location_scale(z, scale, f1, -e))

    # -- distribution functions: log F₀(z) = −e^(−z), S₀ = −expm1(−e^(−z)), not symmetric ------
    def _std_cdf(self, z, params, xp):
        return xp.exp(-xp.exp(-z))

    def _std_logcdf(self, z, params, xp):
        return -xp.exp(-z)

    def _std_sf(self, z, params, xp):
        return -xp.expm1(-xp.exp(-z))

    def _std_logsf(self, z, params, xp):
        # log(1 − e^(−t)), t = e^(−z); for t < 1e-5, −z + log1p(−t/2 + t²/6) (t itself underflows
        # from z ≈ 745, where log S ≈ −z is still finite)
        small = z > 11.5
        t = xp.exp(-xp.where(small, z, 11.5))
        return xp.where(small, -z + xp.log1p(t * (t / 6.0 - 0.5)), log1mexp(-xp.exp(-xp.where(small, 11.5, z))))

    def _std_ppf(self, q, params):
        return -np.log(-np.log(q))

    def _std_isf(self, q, params):
        return -np.log(-np.log1p(-q))

    def _std_mean(self, params):
        return EULER_GAMMA

    def _std_var(self, params):
        return math.pi**2 / 6.0

    def sample(self, params, n, seed=None):
        return np.random.default_rng(seed).gumbel(float(params["loc"]), float(params["scale"]), size=n)

    def init(self, x, weights=None):
        m, v = mean_var(x, weights)
        scale = math.sqrt(6.0 * spread_floor(x, v)) / math.pi
        return {"loc": m - EULER_GAMMA * scale, "scale": scale}
