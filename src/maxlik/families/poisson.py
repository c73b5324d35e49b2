"""Poisson distribution: counts 0, 1, 2, …

    log p(x | rate) = x log(rate) − rate − log x!

Sufficient statistics (weights wₙ, W = Σ wₙ): S = Σ wₙ xₙ and the constant
L = Σ wₙ log xₙ! (kept so that ℓ from statistics is the exact log-likelihood, not ℓ up to a
constant). ℓ(rate) = S log(rate) − W rate − L is maximised at  rate = S / W.

If every observation with positive weight is 0, then S = 0 and ℓ increases all the way to
rate → 0, outside the positive domain: no MLE exists and DegenerateFitError says so.
Var(rate) = rate / W at the MLE (the inverse of the information S / rate²).
"""

from __future__ import annotations

import numpy as np

from .. import constraints as C
from .._xp import namespace, special
from ..errors import DegenerateFitError
from ._base import Family, Param, Stats, frozen, jnp
from ._cdf import log_gammainc, log_gammaincc
from ._counts import total_weight, weighted_sum
from ._discrete_quantiles import discrete_quantiles
from ._registry import register

MAX_COUNT = 2.0**53  # larger finite counts are taken as this (x = inf gives F = 1, S = 0 exactly)


@frozen
class PoissonStats(Stats):
    """count rows, weight W = Σ w, total S = Σ w x, log_factorial L = Σ w log x!."""

    count: int
    weight: float
    total: float
    log_factorial: float

    def merge(self, other: "PoissonStats") -> "PoissonStats":
        self._check_mergeable(other)
        return PoissonStats(
            self.count + other.count,
            self.weight + other.weight,
            self.total + other.total,
            self.log_factorial + other.log_factorial,
        )


@register
class Poisson(Family):
    name = "poisson"
    params = (Param("rate", C.positive, "mean number of events", typical=(0.1, 50.0)),)
    support = C.nonnegative_integer

    def log_prob(self, params, x):
        rate = params["rate"]
        sp = special(jnp)
        return sp.xlogy(x, rate) - rate - sp.gammaln(x + 1.0)

    # -- distribution functions (k = ⌊x⌋): F(k) = Q(k + 1, rate), S(k) = P(k + 1, rate) ---------
    def _k(self, params, x):
        xp = namespace(params, x)
        k = xp.floor(x)
        return xp, k < 0, k == xp.inf, xp.clip(k, 0.0, MAX_COUNT) + 1.0, params["rate"]

    def _cdf(self, params, x):
        xp, below, top, a, rate = self._k(params, x)
        return xp.where(below, 0.0, xp.where(top, 1.0, special(xp).gammaincc(a, rate)))

    def _sf(self, params, x):
        xp, below, top, a, rate = self._k(params, x)
        return xp.where(below, 1.0, xp.where(top, 0.0, special(xp).gammainc(a, rate)))

    def _logcdf(self, params, x):
        xp, below, top, a, rate = self._k(params, x)
        return xp.where(below, -xp.inf, xp.where(top, 0.0, log_gammaincc(a, rate)))

    def _logsf(self, params, x):
        xp, below, top, a, rate = self._k(params, x)
        return xp.where(below, 0.0, xp.where(top, -xp.inf, log_gammainc(a, rate)))

    def _ppf(self, params, q):
        return discrete_quantiles(self, params, q, 0.0, np.inf, upper=False)

    def _isf(self, params, q):
        return discrete_quantiles(self, params, q, 0.0, np.inf, upper=True)

    def _mean(self, params):
        return params["rate"]

    def _var(self, params):
        return params["rate"]

    def sample(self, params, n, seed=None):
        return np.random.default_rng(seed).poisson(params["rate"], size=n).astype(np.int64)

    def suffstats(self, x, weights=None):
        from scipy import special as _sp  # here: importing scipy.special takes ~0.4 s

        x = np.asarray(x, dtype=np.float64)
        return PoissonStats(
            int(x.shape[0]),
            total_weight(x.shape[0], weights),
            weighted_sum(x, weights),
            weighted_sum(_sp.gammaln(x + 1.0), weights),
        )

    def mle_from_stats(self, stats, fixed=None):
        fixed = fixed or {}
        if "rate" in fixed:
            return {"rate": float(fixed["rate"])}
        if stats.total <= 0.0:
            raise DegenerateFitError(
                f"Poisson: rate must be positive, but the data are all 0 ({stats.count} rows; "
                "every observation with positive weight is 0), so the likelihood increases as "
                "rate -> 0 and no MLE exists. Add data with non-zero counts, or fix the rate "
                "with fixed={'rate': ...}."
            )
        return {"rate": stats.total / stats.weight}

    def loglik_from_stats(self, stats, params):
        """ℓ = S log(rate) − W rate − Σ w log x!."""
        rate = params["rate"]
        return special(namespace(rate)).xlogy(stats.total, rate) - stats.weight * rate - stats.log_factorial

    def exact_covariance(self, stats, params, free):
        """Var(rate) = rate² / S = rate / W (inverse observed information at the MLE)."""
        if "rate" not in free:
            return np.zeros((0, 0)), []
        return np.array([[float(params["rate"]) / stats.weight]]), ["rate"]
