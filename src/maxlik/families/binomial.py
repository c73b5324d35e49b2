"""Binomial distribution with a known number of trials ``total_count`` = N.

    log p(x | probs) = log C(N, x) + x log(probs) + (N − x) log(1 − probs),   x ∈ {0, …, N}
    log C(N, x) = lgamma(N + 1) − lgamma(x + 1) − lgamma(N − x + 1)

(``jax.scipy.special.betaln`` is avoided: in jax 0.10 it is off by ~1e-7 for small arguments.)

``total_count`` is known, not estimated: it is a required constructor option,
``maxlik.Binomial(total_count=10)``. Sufficient statistics (weights wₙ): S = Σ wₙ xₙ,
F = Σ wₙ (N − xₙ) and the constant Σ wₙ log C(N, xₙ); ℓ(p) = Σ w log C + S log p + F log(1 − p)
is maximised at  probs = S / (S + F) = Σ w x / (N Σ w). Data that are all 0 (or all N) give
probs = 0 (or 1): a bounded likelihood on the boundary, returned with standard errors
unavailable, as for Bernoulli. Inside (0, 1), Var(probs) = p(1 − p) / (N W).
"""

from __future__ import annotations

import numpy as np

from .. import constraints as C
from .._xp import namespace, special
from ..errors import ParameterError
from ._base import Family, Param, Stats, frozen, jnp
from ._cdf import betainc, log_betainc
from ._discrete_quantiles import discrete_quantiles
from .bernoulli import binary_covariance
from ._counts import instance_support, positive_int_option, total_weight, weighted_sum
from ._registry import register


@frozen
class BinomialStats(Stats):
    """count rows, weight W, successes S = Σ w x, failures F = Σ w (N − x),
    log_coef = Σ w log C(N, x), for trials N = total_count."""

    count: int
    weight: float
    successes: float
    failures: float
    log_coef: float
    total_count: int

    def merge(self, other: "BinomialStats") -> "BinomialStats":
        self._check_mergeable(other)
        if other.total_count != self.total_count:
            raise ParameterError(
                f"BinomialStats.merge: total_count must be equal; got {self.total_count} and "
                f"{other.total_count}. Merge statistics of the same Binomial(total_count=...) only."
            )
        return BinomialStats(
            self.count + other.count,
            self.weight + other.weight,
            self.successes + other.successes,
            self.failures + other.failures,
            self.log_coef + other.log_coef,
            self.total_count,
        )


@register
class Binomial(Family):
    name = "binomial"
    params = (Param("probs", C.unit_interval, "success probability of each trial", typical=(0.05, 0.95)),)

    def __init__(self, total_count: int | None = None):
        self.total_count = positive_int_option(
            total_count,
            "Binomial",
            "total_count",
            "the known number of trials per observation; it is not estimated",
            "maxlik.fit(x, maxlik.Binomial(total_count=10)) or maxlik.get_family('binomial', total_count=10)",
        )

    @property
    def options(self):
        return {"total_count": self.total_count}

    @instance_support(C.nonnegative_integer)
    def support(self):
        return C.integer_interval(0, self.total_count)

    def log_prob(self, params, x):
        n, p = self.total_count, params["probs"]
        sp = special(jnp)
        log_coef = sp.gammaln(n + 1.0) - sp.gammaln(x + 1.0) - sp.gammaln(n - x + 1.0)
        return log_coef + sp.xlogy(x, p) + sp.xlog1py(n - x, -p)

    # -- distribution functions (k = ⌊x⌋, N = total_count): F(k) = I_{1−p}(N − k, k + 1),
    # S(k) = I_p(k + 1, N − k) (regularised incomplete beta; differentiable in p under JAX)
    def _k(self, params, x):
        xp, n = namespace(params, x), float(self.total_count)
        k = xp.floor(x)
        return xp, k < 0, k >= n, xp.clip(k, 0.0, n - 1.0), n, params["probs"]

    def _cdf(self, params, x):
        xp, below, top, k, n, p = self._k(params, x)
        return xp.where(below, 0.0, xp.where(top, 1.0, betainc(n - k, k + 1.0, 1.0 - p, p)))

    def _sf(self, params, x):
        xp, below, top, k, n, p = self._k(params, x)
        return xp.where(below, 1.0, xp.where(top, 0.0, betainc(k + 1.0, n - k, p, 1.0 - p)))

    def _logcdf(self, params, x):
        xp, below, top, k, n, p = self._k(params, x)
        return xp.where(below, -xp.inf, xp.where(top, 0.0, log_betainc(n - k, k + 1.0, 1.0 - p, p)))

    def _logsf(self, params, x):
        xp, below, top, k, n, p = self._k(params, x)
        return xp.where(below, 0.0, xp.where(top, -xp.inf, log_betainc(k + 1.0, n - k, p, 1.0 - p)))

    def _ppf(self, params, q):
        return discrete_quantiles(self, params, q, 0.0, float(self.total_count), upper=False)

    def _isf(self, params, q):
        return discrete_quantiles(self, params, q, 0.0, float(self.total_count), upper=True)

    def _mean(self, params):
        return self.total_count * params["probs"]

    def _var(self, params):
        return self.total_count * params["probs"] * (1.0 - params["probs"])

    def sample(self, params, n, seed=None):
        return np.random.default_rng(seed).binomial(self.total_count, params["probs"], size=n).astype(np.int64)

    def suffstats(self, x, weights=None):
        from scipy import special as _sp  # here: importing scipy.special takes ~0.4 s

        x = np.asarray(x, dtype=np.float64)
        n = self.total_count
        log_coef = _sp.gammaln(n + 1.0) - _sp.gammaln(x + 1.0) - _sp.gammaln(n - x + 1.0)
        return BinomialStats(
            int(x.shape[0]),
            total_weight(x.shape[0], weights),
            weighted_sum(x, weights),
            weighted_sum(n - x, weights),
            weighted_sum(log_coef, weights),
            n,
        )

    def _check_stats(self, stats):
        if stats.total_count != self.total_count:
            raise ParameterError(
                f"Binomial: statistics must come from total_count={self.total_count}; got "
                f"statistics for total_count={stats.total_count}. Use the same Binomial(total_count=...) "
                "for suffstats and the fit."
            )

    def mle_from_stats(self, stats, fixed=None):
        self._check_stats(stats)
        fixed = fixed or {}
        if "probs" in fixed:
            return {"probs": float(fixed["probs"])}
        return {"probs": stats.successes / (stats.successes + stats.failures)}

    def loglik_from_stats(self, stats, params):
        """ℓ = Σ w log C(N, x) + S log p + F log(1 − p), with 0 · log 0 = 0."""
        self._check_stats(stats)
        p = params["probs"]
        sp = special(namespace(p))
        return stats.log_coef + sp.xlogy(stats.successes, p) + sp.xlog1py(stats.failures, -p)

    def exact_covariance(self, stats, params, free):
        self._check_stats(stats)
        return binary_covariance(stats.successes, stats.failures, params, free)
