"""Bernoulli distribution (a coin flip): data are 0 or 1.

    log p(x | probs) = x log(probs) + (1 − x) log(1 − probs)

Sufficient statistics (weights wₙ): S = Σ wₙ xₙ (weighted successes), F = Σ wₙ (1 − xₙ).
ℓ(p) = S log p + F log(1 − p), maximised at  probs = S / (S + F)  (7 heads in 10 flips: 0.7).

All zeros or all ones give probs = 0 or 1: the likelihood is bounded there (ℓ = 0), so the
estimate is returned, but it lies on the boundary of (0, 1), where the observed information is
infinite and Wald standard errors are unavailable (FitResult reports why).
Sums of integer data with integer weights are exact in binary64 (below 2⁵³), so merges are
exact there; real weights merge to rounding.
"""

from __future__ import annotations

import numpy as np

from .. import constraints as C
from .._xp import namespace, special
from ._base import Family, Param, Stats, frozen, jnp
from ._counts import total_weight, weighted_sum
from ._discrete_quantiles import discrete_quantiles
from ._registry import register


@frozen
class BernoulliStats(Stats):
    """count rows, weight W = Σ w, successes S = Σ w x, failures F = Σ w (1 − x)."""

    count: int
    weight: float
    successes: float
    failures: float

    def merge(self, other: "BernoulliStats") -> "BernoulliStats":
        self._check_mergeable(other)
        return BernoulliStats(
            self.count + other.count,
            self.weight + other.weight,
            self.successes + other.successes,
            self.failures + other.failures,
        )


@register
class Bernoulli(Family):
    name = "bernoulli"
    params = (Param("probs", C.unit_interval, "probability of a 1 (success)", typical=(0.05, 0.95)),)
    support = C.boolean

    def log_prob(self, params, x):
        p = params["probs"]
        sp = special(jnp)
        return sp.xlogy(x, p) + sp.xlog1py(1.0 - x, -p)

    # -- distribution functions: F = 0 below 0, 1 − p on [0, 1), 1 from 1 ------------------------
    def _cdf(self, params, x):
        xp, p = namespace(params, x), params["probs"]
        return xp.where(x < 0, 0.0, xp.where(x < 1, 1.0 - p, 1.0))

    def _sf(self, params, x):
        xp, p = namespace(params, x), params["probs"]
        return xp.where(x < 0, 1.0, xp.where(x < 1, p, 0.0))

    def _logcdf(self, params, x):
        xp, p = namespace(params, x), params["probs"]
        return xp.where(x < 0, -xp.inf, xp.where(x < 1, xp.log1p(-p), 0.0))

    def _logsf(self, params, x):
        xp, p = namespace(params, x), params["probs"]
        return xp.where(x < 0, 0.0, xp.where(x < 1, xp.log(p), -xp.inf))

    def _ppf(self, params, q):
        return discrete_quantiles(self, params, q, 0.0, 1.0, upper=False)

    def _isf(self, params, q):
        return discrete_quantiles(self, params, q, 0.0, 1.0, upper=True)

    def _mean(self, params):
        return params["probs"]

    def _var(self, params):
        return params["probs"] * (1.0 - params["probs"])

    def sample(self, params, n, seed=None):
        return (np.random.default_rng(seed).random(n) < params["probs"]).astype(np.int64)

    def suffstats(self, x, weights=None):
        x = np.asarray(x, dtype=np.float64)
        S = weighted_sum(x, weights)
        F = weighted_sum(1.0 - x, weights)
        return BernoulliStats(int(x.shape[0]), total_weight(x.shape[0], weights), S, F)

    def mle_from_stats(self, stats, fixed=None):
        fixed = fixed or {}
        if "probs" in fixed:
            return {"probs": float(fixed["probs"])}
        return {"probs": stats.successes / (stats.successes + stats.failures)}

    def loglik_from_stats(self, stats, params):
        """ℓ = S log p + F log(1 − p), with 0 · log 0 = 0 (so p̂ = 0 or 1 gives finite ℓ)."""
        p = params["probs"]
        sp = special(namespace(p))
        return sp.xlogy(stats.successes, p) + sp.xlog1py(stats.failures, -p)

    def exact_covariance(self, stats, params, free):
        return binary_covariance(stats.successes, stats.failures, params, free)


def binary_covariance(successes: float, failures: float, params: dict, free: tuple[str, ...]):
    """Var(probs) of ℓ(p) = S log p + F log(1 − p) at its maximum p = S / (S + F): the inverse
    of the observed information S/p² + F/(1 − p)² = (S + F)³ / (S F), i.e. p(1 − p) / (S + F).
    (Bernoulli; Binomial with F = Σ w (N − x).)"""
    if "probs" not in free:
        return np.zeros((0, 0)), []
    p = float(params["probs"])
    return np.array([[p * (1.0 - p) / (successes + failures)]]), ["probs"]
