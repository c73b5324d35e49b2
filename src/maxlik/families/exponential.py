"""Exponential distribution (parameterised by its rate, as torch.distributions / NumPyro).

    log p(x | rate) = log rate − rate · x,   x >= 0

Statistics: W = Σ wₙ and S = Σ wₙ xₙ (kept as a double-double ``sum_hi + sum_lo`` so that
merging many chunks loses nothing). ℓ(rate) = W log rate − rate · S.

MLE: rate = W / S. When every observation with positive weight is 0 (S = 0), ℓ grows without
bound as rate → ∞ and no MLE exists: DegenerateFitError. With ``rate`` fixed there is nothing
to estimate. The observed information is W / rate², so se(rate) = rate / √W.
"""

from __future__ import annotations

import numpy as np

from .. import constraints as C
from ._moments import fast_two_sum, square_over, two_sum
from ..errors import DegenerateFitError
from .._xp import namespace
from ._base import Family, Param, Stats, frozen, jnp
from ._cdf_forms import CumulativeHazard
from ._registry import register
from ._threshold import threshold_form


@frozen
class ExponentialStats(Stats):
    """count rows, weight W = Σ w, and S = Σ w x = sum_hi + sum_lo (double-double)."""

    count: int
    weight: float
    sum_hi: float
    sum_lo: float

    def merge(self, other: "ExponentialStats") -> "ExponentialStats":
        self._check_mergeable(other)
        s, e = two_sum(self.sum_hi, other.sum_hi)
        hi, lo = fast_two_sum(s, e + (self.sum_lo + other.sum_lo))
        return ExponentialStats(self.count + other.count, self.weight + other.weight, hi, lo)

    @property
    def total(self) -> float:
        """S = Σ w x."""
        return self.sum_hi + self.sum_lo


@register
class Exponential(CumulativeHazard, Family):
    name = "exponential"
    scale_exponents = {"rate": -1}
    params = (Param("rate", C.positive, "rate λ = 1 / mean", typical=(0.1, 10.0)),)
    support = C.nonnegative

    def __new__(cls, threshold: bool = False):
        """``Exponential(threshold=True)`` is :class:`Exponential2` (registry name ``exponential2``): a threshold ``loc``."""
        return threshold_form(cls, threshold) or super().__new__(cls)

    def __init__(self, threshold: bool = False):
        pass  # threshold=False: the family itself, with no options

    def log_prob(self, params, x):
        rate = params["rate"]
        return jnp.where(x >= 0, jnp.log(rate) - rate * x, -jnp.inf)

    # -- distribution functions: cumulative hazard H(x) = rate · x -------------------------------
    def _hazard(self, params, x, xp):
        return params["rate"] * xp.maximum(x, 0.0)

    def _inverse_hazard(self, params, h):
        return h / params["rate"]

    def _mean(self, params):
        return 1.0 / params["rate"]

    def _var(self, params):
        return 1.0 / params["rate"] ** 2

    def sample(self, params, n, seed=None):
        return np.random.default_rng(seed).exponential(1.0 / float(params["rate"]), size=n)

    def suffstats(self, x, weights=None):
        if weights is None:
            W, S = float(x.shape[0]), float(x.sum())
        else:
            W, S = float(weights.sum()), float(weights @ x)
        return ExponentialStats(int(x.shape[0]), W, S, 0.0)

    def mle_from_stats(self, stats, fixed=None):
        fixed = fixed or {}
        if "rate" in fixed:
            return {"rate": float(fixed["rate"])}
        S = stats.total
        if not S > 0.0:
            raise DegenerateFitError(
                f"Exponential: data must contain a positive value to estimate rate; got all "
                f"{stats.count} observations equal to 0 (Σ w·x = 0), so the likelihood grows "
                "without bound as rate -> inf and no MLE exists. Fix rate with "
                "fixed={'rate': ...}, or add non-zero data."
            )
        return {"rate": stats.weight / S}

    def loglik_from_stats(self, stats, params):
        rate = params["rate"]
        return stats.weight * namespace(rate).log(rate) - (rate * stats.sum_hi + rate * stats.sum_lo)

    def exact_covariance(self, stats, params, free):
        """Var(rate) = rate² / W (the inverse of the information W / rate²); +inf where it exceeds
        the float64 range (rate ≳ 1e154·√W: data of size ~1e-154 and below), never an OverflowError."""
        if "rate" not in free:
            return np.zeros((0, 0)), []
        return np.array([[square_over(params["rate"], stats.weight)]]), ["rate"]
