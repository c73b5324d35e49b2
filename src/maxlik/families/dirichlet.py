"""Dirichlet distribution (``concentration`` α ∈ (0, ∞)^d; scipy ``dirichlet(alpha)``).

Each observation is a row x = (x₁, …, x_d) of positive proportions summing to 1:

    log p(x | α) = log Γ(α₀) − Σ log Γ(αᵢ) + Σ (αᵢ − 1) log xᵢ,   α₀ = Σ αᵢ

Data: shape (n, d). Rows must lie in the open simplex (every entry > 0, sum 1 within 1e-8):
a zero proportion has density 0 or ∞. No closed form: fitted numerically. Starting point by
Minka's (2000) moment match: α = s · mean, with the precision s = (m_i − E[x_i²]) / (E[x_i²] − m_i²)
combined over components through the mean of log s.
"""

from __future__ import annotations

import math

import numpy as np

from .. import constraints as C
from ._base import Family, Param, jnp
from ._registry import register
from ._start import weights_or_ones


class _OpenSimplex(C.Constraint):
    """Rows of positive entries summing to 1 (within 1e-8): the support of the Dirichlet."""

    name = "open_simplex"
    event_ndim = 1

    def check(self, value):
        v = np.asarray(value, dtype=float)
        return np.all(v > 0, axis=-1) & (np.abs(v.sum(axis=-1) - 1.0) < 1e-8)

    def describe(self):
        return "rows of positive proportions summing to 1"


open_simplex = _OpenSimplex()


@register
class Dirichlet(Family):
    name = "dirichlet"
    params = (
        Param("concentration", C.positive, "concentration αᵢ of each component", shape=("d",), typical=(0.5, 10.0)),
    )
    support = open_simplex
    event_ndim = 1

    def log_prob(self, params, x):
        from jax.scipy.special import gammaln  # here, not at the top: importing the family loads no JAX
        a = jnp.asarray(params["concentration"])
        norm = gammaln(jnp.sum(a)) - jnp.sum(gammaln(a))
        return norm + jnp.sum((a - 1.0) * jnp.log(x), axis=-1)

    def sample(self, params, n, seed=None):
        a = np.asarray(params["concentration"], dtype=float)
        return np.random.default_rng(seed).dirichlet(a, size=n)

    def init(self, x, weights=None):
        w = weights_or_ones(x, weights)
        W = w.sum()
        m = w @ x / W
        m2 = w @ (x * x) / W
        var = m2 - m * m
        ok = (var > 0) & (m > m2)
        if ok.any():
            s = math.exp(float(np.mean(np.log((m[ok] - m2[ok]) / var[ok]))))
        else:  # every row identical: the MLE is unbounded; start very concentrated
            s = 1e6
        return {"concentration": s * m}
