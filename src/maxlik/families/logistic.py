"""Logistic distribution (``loc`` μ, ``scale`` s; scipy ``logistic(loc, scale)``).

    log p(x | μ, s) = −z − 2 log(1 + e^(−z)) − log s = −|z| − 2 log(1 + e^(−|z|)) − log s,
    z = (x − μ) / s   (the second form is the one computed: it never overflows)

No closed form: fitted numerically. Starting point by moments: μ = mean, s = √(3 Var) / π.
"""

from __future__ import annotations

import math

import numpy as np

from .. import constraints as C
from .._xp import special
from ._base import Family, Param, jnp
from ._cdf_forms import LocationScale
from ._degenerate import require_spread
from ._derivatives import location_scale, log, per_row
from ._registry import register
from ._start import mean_var, spread_floor


@register
class Logistic(LocationScale, Family):
    name = "logistic"
    scale_exponents = {"loc": 1, "scale": 1}
    params = (
        Param("loc", C.real, "mean and median", typical=(-5.0, 5.0)),
        Param("scale", C.positive, "scale s (standard deviation s·π/√3)", typical=(0.1, 10.0)),
    )
    support = C.real
    derivatives_broadcast = True

    def check_estimable(self, x, weights=None, fixed=None):
        require_spread(self, x, weights, fixed, "scale", "positive", "loc")

    def log_prob(self, params, x):
        a = jnp.abs((x - params["loc"]) / params["scale"])
        return -a - 2.0 * jnp.log1p(jnp.exp(-a)) - jnp.log(params["scale"])

    def log_prob_derivatives(self, params, x):
        """NumPy (lp, d1, d2) in the order (loc, scale): log p = f(z) − log s with
        f = −|z| − 2 log(1 + t), t = e^(−|z|) ≤ 1 (never overflows), f′ = −tanh(z/2),
        f″ = −2t/(1 + t)²; the chain rule is :func:`location_scale`'s.
        """
        loc, scale = per_row(params["loc"]), per_row(params["scale"])
        z = (np.asarray(x, dtype=float) - loc) / scale
        a = np.abs(z)
        t = np.exp(-a)
        lp = -a - 2.0 * np.log1p(t) - log(scale)
        return (lp, *location_scale(z, scale, -np.tanh(0.5 * z), -2.0 * t / (1.0 + t) ** 2))

    # -- distribution functions: F₀(z) = expit(z), log F₀(z) = −log(1 + e^(−z)) (logaddexp) ------
    def _std_cdf(self, z, params, xp):
        return special(xp).expit(z)

    def _std_logcdf(self, z, params, xp):
        return -xp.logaddexp(0.0, -z)

    def _std_ppf(self, q, params):
        from scipy.special import logit

        return logit(q)

    def _std_mean(self, params):
        return 0.0

    def _std_var(self, params):
        return math.pi**2 / 3.0

    def sample(self, params, n, seed=None):
        return np.random.default_rng(seed).logistic(float(params["loc"]), float(params["scale"]), size=n)

    def init(self, x, weights=None):
        m, v = mean_var(x, weights)
        return {"loc": m, "scale": math.sqrt(3.0 * spread_floor(x, v)) / math.pi}
