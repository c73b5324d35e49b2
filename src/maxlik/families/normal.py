"""Normal (Gaussian) distribution.

    log p(x | loc, scale) = −½ log(2π) − log scale − (x − loc)² / (2 scale²)

MLE (weights wₙ, W = Σ wₙ):  loc = Σ wₙ xₙ / W,  scale² = Σ wₙ (xₙ − loc)² / W  (divide by W,
not W − 1). ``Normal(ddof=1)`` gives the unbiased variance M2 / (W − 1) instead: it is *not* the
MLE and is never the default. With ``loc`` fixed, scale² = Σ wₙ (xₙ − loc)² / W.

Covariance (:func:`normal_covariance`, closed form): the inverse observed information,
Var(loc) = scale² / W and Var(scale) = scale⁴ / (2 S) with S = Σ wₙ (xₙ − loc)², uncorrelated
(at the MLE scale² = S / W, so Var(scale) = scale² / (2W)).
"""

from __future__ import annotations

import math

import numpy as np

from . import _moments
from .. import constraints as C
from ..errors import DegenerateFitError, ParameterError
from .._xp import namespace, special
from ._base import Family, Param, Stats, frozen, jnp
from ._cdf_forms import LocationScale
from ._registry import register

LOG_2PI = math.log(2 * math.pi)


@frozen
class NormalStats(Stats):
    """count rows, weight W, mean = mean_hi + mean_lo (double-double), m2 = Σ w (x − mean)²."""

    count: int
    weight: float
    mean_hi: float
    mean_lo: float
    m2: float

    @classmethod
    def from_moments(cls, count: int, moments: tuple) -> "NormalStats":
        W, hi, lo, m2 = moments
        return cls(int(count), float(W), float(hi), float(lo), float(m2))

    def merge(self, other: "NormalStats") -> "NormalStats":
        self._check_mergeable(other)
        a = (self.weight, self.mean_hi, self.mean_lo, self.m2)
        b = (other.weight, other.mean_hi, other.mean_lo, other.m2)
        return NormalStats.from_moments(self.count + other.count, _moments.merge(a, b))

    @property
    def mean(self) -> float:
        return self.mean_hi + self.mean_lo

    def sq_dev_about(self, loc):
        """Σ w (x − loc)² = m2 + W (mean − loc)², with mean − loc formed before rounding."""
        d = (self.mean_hi - loc) + self.mean_lo
        return self.m2 + self.weight * d * d


def normal_scale_mle(stats: NormalStats, loc: float, fixed_loc: bool, ddof: int, owner: str) -> float:
    """Closed-form scale for Normal-type families (also used by LogNormal on log x)."""
    if stats.count == 1 and not fixed_loc:
        raise DegenerateFitError(
            f"{owner}: data must contain at least 2 observations to estimate scale; got 1. "
            "With one point the likelihood is unbounded as scale -> 0. Add data, or fix scale "
            "with fixed={'scale': ...}."
        )
    ss = stats.sq_dev_about(loc)
    if ss <= 0.0:
        where = f"equal loc={loc:g}" if fixed_loc else f"are equal ({stats.mean:g})"
        raise DegenerateFitError(
            f"{owner}: scale must be positive, but all {stats.count} observations {where} "
            "(zero variance), so the likelihood is unbounded as scale -> 0 and no MLE exists. "
            "Fix scale with fixed={'scale': ...}, or add varied data."
        )
    denom = stats.weight - (ddof if not fixed_loc else 0)
    return math.sqrt(ss / denom)


def normal_loglik(stats: NormalStats, loc, scale):
    """ℓ = −W/2 log 2π − W log scale − Σ w (x − loc)² / (2 scale²) (NumPy for floats, JAX for
    JAX values: differentiable)."""
    W = stats.weight
    xp = namespace(loc, scale)
    return -0.5 * W * LOG_2PI - W * xp.log(scale) - stats.sq_dev_about(loc) / (2.0 * scale**2)


def normal_covariance(stats: NormalStats, params: dict, free: tuple[str, ...]):
    """(cov, labels) of the free ones of ``loc``, ``scale``: the inverse observed information,
    diag(scale² / W, scale⁴ / (2 S)), S = Σ w (x − loc)², labels in sorted-name order.

    This is the observed information in the fitting coordinates (loc, log scale) carried back
    by the delta method, which holds at any scale when loc is the (weighted) mean or fixed: the
    score in log scale, −W + S / scale², then cancels from the second derivative, which is
    2 S / scale² (so ``ddof=1``, not the MLE, is covered too). Also LogNormal's, on log x."""
    loc, scale = float(params["loc"]), float(params["scale"])
    labels = sorted(free)
    # scale² · (scale² / 2S), not scale⁴ / 2S: scale⁴ overflows from scale ≈ 1e77 (a Python float
    # raises OverflowError) while the variance itself, ~scale² / 2W, is representable
    var = [scale**2 / stats.weight if k == "loc" else scale**2 * (scale**2 / (2.0 * stats.sq_dev_about(loc)))
           for k in labels]
    return np.diag(var).reshape(len(labels), len(labels)), labels


@register
class Normal(LocationScale, Family):
    name = "normal"
    scale_exponents = {"loc": 1, "scale": 1}
    params = (
        Param("loc", C.real, "mean of the distribution", typical=(-5.0, 5.0)),
        Param("scale", C.positive, "standard deviation", typical=(0.1, 10.0)),
    )
    support = C.real
    stats_reveal_invalid_data = True  # a NaN or inf anywhere makes mean and m2 non-finite

    def __init__(self, ddof: int = 0):
        if ddof not in (0, 1):
            raise ParameterError(
                f"Normal: ddof must be 0 (the MLE) or 1 (unbiased variance); got {ddof!r}."
            )
        self.ddof = ddof

    @property
    def options(self):
        return {"ddof": self.ddof} if self.ddof else {}

    def log_prob(self, params, x):
        z = (x - params["loc"]) / params["scale"]
        return -0.5 * z * z - jnp.log(params["scale"]) - 0.5 * LOG_2PI

    # -- distribution functions: Φ(z) = ndtr(z), log Φ(z) = log_ndtr(z), finite to z ≈ −1e154 ---
    def _std_cdf(self, z, params, xp):
        return special(xp).ndtr(z)

    def _std_logcdf(self, z, params, xp):
        return special(xp).log_ndtr(z)

    def _std_ppf(self, q, params):
        from scipy.special import ndtri

        return ndtri(q)

    def _std_mean(self, params):
        return 0.0

    def _std_var(self, params):
        return 1.0

    def sample(self, params, n, seed=None):
        return np.random.default_rng(seed).normal(params["loc"], params["scale"], size=n)

    def suffstats(self, x, weights=None):
        return NormalStats.from_moments(x.shape[0], _moments.moments(x, weights))

    def mle_from_stats(self, stats, fixed=None):
        fixed = fixed or {}
        loc = float(fixed["loc"]) if "loc" in fixed else stats.mean
        if "scale" in fixed:
            return {"loc": loc, "scale": float(fixed["scale"])}
        scale = normal_scale_mle(stats, loc, "loc" in fixed, self.ddof, "Normal")
        return {"loc": loc, "scale": scale}

    def loglik_from_stats(self, stats, params):
        return normal_loglik(stats, params["loc"], params["scale"])

    def exact_covariance(self, stats, params, free):
        return normal_covariance(stats, params, free)
