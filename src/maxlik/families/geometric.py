"""Geometric distribution: the number of failures before the first success (torch / NumPyro
convention), x ∈ {0, 1, 2, …}. (SciPy's ``geom`` counts trials instead: scipy x = ours + 1.)

    log p(x | probs) = x log(1 − probs) + log(probs)

Sufficient statistics (weights wₙ, W = Σ wₙ): S = Σ wₙ xₙ.
ℓ(p) = S log(1 − p) + W log p is maximised at  probs = W / (W + S) = 1 / (1 + mean).
All-zero data give probs = 1: a bounded likelihood (ℓ = 0) on the boundary, returned with
standard errors unavailable, as for Bernoulli. Inside (0, 1), Var(probs) = p²(1 − p) / W, the
inverse of the observed information S/(1 − p)² + W/p² = (W + S)³ / (S W).
"""

from __future__ import annotations

import numpy as np

from .. import constraints as C
from .._xp import namespace, special
from ._base import Family, Param, Stats, frozen, jnp
from ._cdf import log1mexp
from ._counts import total_weight, weighted_sum
from ._discrete_quantiles import discrete_quantiles
from ._registry import register


@frozen
class GeometricStats(Stats):
    """count rows, weight W = Σ w, failures S = Σ w x."""

    count: int
    weight: float
    failures: float

    def merge(self, other: "GeometricStats") -> "GeometricStats":
        self._check_mergeable(other)
        return GeometricStats(self.count + other.count, self.weight + other.weight, self.failures + other.failures)


@register
class Geometric(Family):
    name = "geometric"
    params = (Param("probs", C.unit_interval, "success probability of each trial", typical=(0.05, 0.95)),)
    support = C.nonnegative_integer

    def log_prob(self, params, x):
        p = params["probs"]
        return special(jnp).xlog1py(x, -p) + jnp.log(p)

    # -- distribution functions (k = ⌊x⌋): log S(k) = (k + 1) log(1 − p), F = −expm1(log S) ------
    def _logsf(self, params, x):
        xp = namespace(params, x)
        k = xp.floor(x)
        return xp.where(k < 0, 0.0, (xp.maximum(k, 0.0) + 1.0) * xp.log1p(-params["probs"]))

    def _cdf(self, params, x):
        return -namespace(params, x).expm1(self._logsf(params, x))

    def _logcdf(self, params, x):
        return log1mexp(self._logsf(params, x))

    def _ppf(self, params, q):
        return discrete_quantiles(self, params, q, 0.0, np.inf, upper=False)

    def _isf(self, params, q):
        return discrete_quantiles(self, params, q, 0.0, np.inf, upper=True)

    def _mean(self, params):
        p = params["probs"]
        return (1.0 - p) / p

    def _var(self, params):
        p = params["probs"]
        return (1.0 - p) / p**2

    def sample(self, params, n, seed=None):
        # numpy counts trials up to and including the first success (>= 1)
        return np.random.default_rng(seed).geometric(params["probs"], size=n).astype(np.int64) - 1

    def suffstats(self, x, weights=None):
        x = np.asarray(x, dtype=np.float64)
        return GeometricStats(int(x.shape[0]), total_weight(x.shape[0], weights), weighted_sum(x, weights))

    def mle_from_stats(self, stats, fixed=None):
        fixed = fixed or {}
        if "probs" in fixed:
            return {"probs": float(fixed["probs"])}
        return {"probs": stats.weight / (stats.weight + stats.failures)}

    def loglik_from_stats(self, stats, params):
        """ℓ = S log(1 − p) + W log p, with 0 · log 0 = 0 (so p̂ = 1 gives ℓ = 0)."""
        p = params["probs"]
        xp = namespace(p)
        return special(xp).xlog1py(stats.failures, -p) + stats.weight * xp.log(p)

    def exact_covariance(self, stats, params, free):
        if "probs" not in free:
            return np.zeros((0, 0)), []
        p = float(params["probs"])
        return np.array([[p * p * (1.0 - p) / stats.weight]]), ["probs"]
