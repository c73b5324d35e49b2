"""Beta distribution (``concentration1`` a, ``concentration0`` b; torch convention, scipy
``beta(a, b)``).

    log p(x | a, b) = (a − 1) log x + (b − 1) log(1 − x) − log B(a, b),   0 < x < 1

No closed form: fitted numerically. Starting point by the method of moments: with mean m and
variance v, c = m (1 − m) / v − 1, a = m c, b = (1 − m) c.
"""

from __future__ import annotations

import numpy as np

from .. import constraints as C
from ._base import Family, Param, jnp
from ._registry import register
from ._start import mean_var


@register
class Beta(Family):
    name = "beta"
    params = (
        Param("concentration1", C.positive, "a, the exponent of x", typical=(0.5, 10.0)),
        Param("concentration0", C.positive, "b, the exponent of 1 − x", typical=(0.5, 10.0)),
    )
    support = C.unit_interval

    def log_prob(self, params, x):
        from jax.scipy.special import gammaln  # here, not at the top: importing the family loads no JAX
        a, b = params["concentration1"], params["concentration0"]
        log_beta = gammaln(a) + gammaln(b) - gammaln(a + b)
        return (a - 1.0) * jnp.log(x) + (b - 1.0) * jnp.log1p(-x) - log_beta

    def sample(self, params, n, seed=None):
        a, b = float(params["concentration1"]), float(params["concentration0"])
        return np.random.default_rng(seed).beta(a, b, size=n)

    def init(self, x, weights=None):
        m, v = mean_var(x, weights)
        c = m * (1.0 - m) / v - 1.0 if v > 0 else 1e6
        c = max(c, 1e-3)
        return {"concentration1": m * c, "concentration0": (1.0 - m) * c}
