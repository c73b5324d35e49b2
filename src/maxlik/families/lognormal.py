"""Log-normal distribution: log x ~ Normal(loc, scale).

    log p(x | loc, scale) = −½ log(2π) − log scale − log x − (log x − loc)² / (2 scale²),  x > 0

(SciPy: ``scipy.stats.lognorm(s=scale, scale=exp(loc))``.)

The statistics are the Normal statistics of y = log x (weight W, compensated mean of y, centred
M2 of y, merged exactly as for Normal), and Σ w log x = W · mean(y). Hence

    ℓ(loc, scale) = ℓ_Normal(loc, scale; y) − Σ w log x

and the MLE is the Normal MLE on log x: loc = Σ w log x / W, scale² = Σ w (log x − loc)² / W.
``LogNormal(ddof=1)`` divides by W − 1 instead (not the MLE; never the default). With ``loc``
fixed, scale² = Σ w (log x − loc)² / W. Standard errors are those of Normal on log x
(closed form, :func:`maxlik.families.normal.normal_covariance`): se(loc) = scale / √W,
se(scale) = scale / √(2W) at the MLE.
"""

from __future__ import annotations

import math

import numpy as np

from . import _moments
from .. import constraints as C
from .._xp import namespace, special
from ..errors import DegenerateFitError, ParameterError
from ._base import Family, Param, frozen, jnp
from ._registry import register
from ._threshold import threshold_form
from .normal import LOG_2PI, NormalStats, normal_covariance, normal_loglik, normal_scale_mle
from ._scale_rules import LOG


@frozen
class LogNormalStats(NormalStats):
    """NormalStats of y = log x (count, weight, mean_hi + mean_lo = mean of log x, m2)."""

    def merge(self, other: "LogNormalStats") -> "LogNormalStats":
        self._check_mergeable(other)
        a = (self.weight, self.mean_hi, self.mean_lo, self.m2)
        b = (other.weight, other.mean_hi, other.mean_lo, other.m2)
        return LogNormalStats.from_moments(self.count + other.count, _moments.merge(a, b))

    @property
    def sum_log(self) -> float:
        """Σ w log x = W · mean(log x)."""
        return self.weight * self.mean_hi + self.weight * self.mean_lo


@register
class LogNormal(Family):
    name = "lognormal"
    scale_exponents = {"loc": LOG, "scale": 0}
    params = (
        Param("loc", C.real, "mean of log x", typical=(-2.0, 2.0)),
        Param("scale", C.positive, "standard deviation of log x", typical=(0.1, 2.0)),
    )
    support = C.positive

    def __new__(cls, ddof: int = 0, threshold: bool = False):
        """``LogNormal(threshold=True)`` is :class:`LogNormal3` (registry name ``lognormal3``)."""
        if threshold is True and ddof != 0:
            raise ParameterError(f"LogNormal: ddof must be 0 with threshold=True (LogNormal3 is fitted by maximum likelihood); got {ddof!r}.")
        return threshold_form(cls, threshold) or super().__new__(cls)

    def __init__(self, ddof: int = 0, threshold: bool = False):
        if ddof not in (0, 1):
            raise ParameterError(
                f"LogNormal: ddof must be 0 (the MLE) or 1 (unbiased variance of log x); got {ddof!r}."
            )
        self.ddof = ddof

    @property
    def options(self):
        return {"ddof": self.ddof} if self.ddof else {}

    def log_prob(self, params, x):
        inside = x > 0
        y = jnp.log(jnp.where(inside, x, 1.0))
        z = (y - params["loc"]) / params["scale"]
        lp = -0.5 * z * z - jnp.log(params["scale"]) - 0.5 * LOG_2PI - y
        return jnp.where(inside, lp, -jnp.inf)

    # -- distribution functions: those of Normal(loc, scale) at log x (0 mass at x ≤ 0) ----------
    def _z(self, params, x):
        xp = namespace(params, x)
        inside = x > 0
        return xp, inside, (xp.log(xp.where(inside, x, 1.0)) - params["loc"]) / params["scale"]

    def _cdf(self, params, x):
        xp, inside, z = self._z(params, x)
        return xp.where(inside, special(xp).ndtr(z), 0.0)

    def _sf(self, params, x):
        xp, inside, z = self._z(params, x)
        return xp.where(inside, special(xp).ndtr(-z), 1.0)

    def _logcdf(self, params, x):
        xp, inside, z = self._z(params, x)
        return xp.where(inside, special(xp).log_ndtr(z), -xp.inf)

    def _logsf(self, params, x):
        xp, inside, z = self._z(params, x)
        return xp.where(inside, special(xp).log_ndtr(-z), 0.0)

    def _ppf(self, params, q):
        from scipy.special import ndtri

        return np.exp(params["loc"] + params["scale"] * ndtri(q))

    def _isf(self, params, q):
        from scipy.special import ndtri

        return np.exp(params["loc"] - params["scale"] * ndtri(q))

    def _mean(self, params):
        return np.exp(params["loc"] + 0.5 * params["scale"] ** 2)

    def _var(self, params):
        s2 = params["scale"] ** 2
        return np.expm1(s2) * np.exp(2.0 * params["loc"] + s2)

    def sample(self, params, n, seed=None):
        return np.random.default_rng(seed).lognormal(params["loc"], params["scale"], size=n)

    def suffstats(self, x, weights=None):
        return LogNormalStats.from_moments(x.shape[0], _moments.moments(np.log(x), weights))

    def mle_from_stats(self, stats, fixed=None):
        fixed = fixed or {}
        loc = float(fixed["loc"]) if "loc" in fixed else stats.mean
        if "scale" in fixed:
            return {"loc": loc, "scale": float(fixed["scale"])}
        if (stats.count > 1 or "loc" in fixed) and stats.sq_dev_about(loc) <= 0.0:
            where = (
                f"equal exp(loc) = {math.exp(loc):g}" if "loc" in fixed else f"are equal ({math.exp(stats.mean):g})"
            )
            raise DegenerateFitError(
                f"LogNormal: scale must be positive, but all {stats.count} observations {where} "
                "(zero variance of log x), so the likelihood is unbounded as scale -> 0 and no MLE "
                "exists. Fix scale with fixed={'scale': ...}, or add varied data."
            )
        scale = normal_scale_mle(stats, loc, "loc" in fixed, self.ddof, "LogNormal")
        return {"loc": loc, "scale": scale}

    def loglik_from_stats(self, stats, params):
        return normal_loglik(stats, params["loc"], params["scale"]) - stats.sum_log

    def exact_covariance(self, stats, params, free):
        return normal_covariance(stats, params, free)
