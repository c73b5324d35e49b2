"""Weibull distribution (``concentration`` k, ``scale`` λ; torch convention, scipy
``weibull_min(c=k, scale=λ)``).

    p(x | k, λ) = (k / λ) (x / λ)^(k − 1) exp(−(x / λ)^k),   x > 0
    log p = log k − log λ + (k − 1) z − exp(k z),   z = log x − log λ

No closed form: fitted numerically. Starting point from log-moments: log x = log λ + G / k
with G a standard minimum-Gumbel variable (mean −γ, variance π²/6), so
k = π / √(6 Var(log x)) and λ = exp(mean(log x) + γ / k).
"""

from __future__ import annotations

import math

import numpy as np

from .. import constraints as C
from ._base import Family, Param, jnp
from ._registry import register
from ._start import mean_var

EULER_GAMMA = 0.5772156649015329


@register
class Weibull(Family):
    name = "weibull"
    params = (
        Param("concentration", C.positive, "shape k", typical=(0.5, 5.0)),
        Param("scale", C.positive, "scale λ", typical=(0.1, 10.0)),
    )
    support = C.positive

    def log_prob(self, params, x):
        k, lam = params["concentration"], params["scale"]
        z = jnp.log(x) - jnp.log(lam)
        return jnp.log(k) - jnp.log(lam) + (k - 1.0) * z - jnp.exp(k * z)

    def sample(self, params, n, seed=None):
        k, lam = float(params["concentration"]), float(params["scale"])
        return lam * np.random.default_rng(seed).weibull(k, size=n)

    def init(self, x, weights=None):
        m, v = mean_var(np.log(x), weights)
        k = math.pi / math.sqrt(6.0 * v) if v > 0 else 1e6
        return {"concentration": k, "scale": math.exp(m + EULER_GAMMA / k)}
