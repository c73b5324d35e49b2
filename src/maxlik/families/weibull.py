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
from ._cdf_forms import CumulativeHazard
from ._degenerate import require_spread
from ._derivatives import assemble, log, per_row
from ._registry import register
from ._threshold import threshold_form
from ._start import mean_var

EULER_GAMMA = 0.5772156649015329


@register
class Weibull(CumulativeHazard, Family):
    name = "weibull"
    scale_exponents = {"concentration": 0, "scale": 1}
    params = (
        Param("concentration", C.positive, "shape k", typical=(0.5, 5.0)),
        Param("scale", C.positive, "scale λ", typical=(0.1, 10.0)),
    )
    support = C.positive
    derivatives_broadcast = True

    def __new__(cls, threshold: bool = False):
        """``Weibull(threshold=True)`` is :class:`Weibull3` (registry name ``weibull3``): a threshold ``loc``."""
        return threshold_form(cls, threshold) or super().__new__(cls)

    def __init__(self, threshold: bool = False):
        pass  # threshold=False: the family itself, with no options

    def check_estimable(self, x, weights=None, fixed=None):
        require_spread(self, x, weights, fixed, "concentration", "finite", "scale")

    def log_prob(self, params, x):
        k, lam = params["concentration"], params["scale"]
        z = jnp.log(x) - jnp.log(lam)
        return jnp.log(k) - jnp.log(lam) + (k - 1.0) * z - jnp.exp(k * z)

    def log_prob_derivatives(self, params, x):
        """NumPy (lp, d1, d2) in the order (concentration k, scale λ); with z = log x − log λ,
        t = e^(kz) and t − 1 = expm1(kz) (accurate for x near λ):

            ∂k = 1/k − z (t − 1)          ∂λ = k (t − 1)/λ
            ∂kk = −1/k² − z² t   ∂kλ = (t − 1 + k z t)/λ   ∂λλ = −k (t − 1 + k t)/λ²
        """
        k, lam = per_row(params["concentration"]), per_row(params["scale"])
        x = np.asarray(x, dtype=float)
        z = np.log(x) - log(lam)
        with np.errstate(over="ignore"):  # e^(kz) = inf only where p underflows: lp = −inf, as log_prob
            tm1 = np.expm1(k * z)
            t = np.exp(k * z)
        lp = log(k) - log(lam) + (k - 1.0) * z - t
        d1, d2 = assemble(
            x.shape[0],
            [1.0 / k - z * tm1, k * tm1 / lam],
            [[-1.0 / (k * k) - z * z * t, (tm1 + k * z * t) / lam], [-k * (tm1 + k * t) / (lam * lam)]],
        )
        return lp, d1, d2

    def logsf_derivatives(self, params, x):
        """NumPy (log S, d1, d2) in the order (k, λ): log S = −t, t = (x/λ)ᵏ = e^(kz), so

            ∂k = −z t      ∂λ = k t/λ
            ∂kk = −z² t    ∂kλ = t (1 + k z)/λ    ∂λλ = −k (k + 1) t/λ²
        """
        k, lam = float(params["concentration"]), float(params["scale"])
        x = np.asarray(x, dtype=float)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            z = np.log(x) - math.log(lam)
            t = np.exp(k * z)
        return -t, *assemble(x.shape[0], [-z * t, k * t / lam],
                             [[-z * z * t, t * (1.0 + k * z) / lam], [-k * (k + 1.0) * t / (lam * lam)]])

    # -- distribution functions: cumulative hazard H(x) = (x / λ)ᵏ -------------------------------
    def _hazard(self, params, x, xp):
        return (xp.maximum(x, 0.0) / params["scale"]) ** params["concentration"]

    def _inverse_hazard(self, params, h):
        return params["scale"] * h ** (1.0 / params["concentration"])

    def _mean(self, params):
        from scipy.special import gamma

        return params["scale"] * gamma(1.0 + 1.0 / params["concentration"])

    def _var(self, params):
        from scipy.special import gamma

        k = params["concentration"]
        return params["scale"] ** 2 * (gamma(1.0 + 2.0 / k) - gamma(1.0 + 1.0 / k) ** 2)

    def sample(self, params, n, seed=None):
        k, lam = float(params["concentration"]), float(params["scale"])
        return lam * np.random.default_rng(seed).weibull(k, size=n)

    def init(self, x, weights=None):
        m, v = mean_var(np.log(x), weights)
        k = math.pi / math.sqrt(6.0 * v) if v > 0 else 1e6
        return {"concentration": k, "scale": math.exp(m + EULER_GAMMA / k)}
