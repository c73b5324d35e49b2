"""Categorical distribution over K labels 0, 1, …, K − 1.

    log p(x | probs) = log probs[x],   probs ∈ simplex of K entries (shape ("k",))

Data are integer labels. ``Categorical(num_categories=K)`` fixes K (labels outside 0..K−1 are
an error; categories never seen get probability 0); by default K is inferred as the largest
label + 1 (over all rows, including rows of weight 0, so that fits of the same data with
different weights — e.g. EM responsibilities — share K).

Sufficient statistics (weights wₙ): the weighted counts cₖ = Σₙ wₙ [xₙ = k], shape (K,).
Merging adds counts, padding the shorter vector with zeros. ℓ(p) = Σₖ cₖ log pₖ is maximised
at  probs = c / Σₖ cₖ. A category with count 0 gets probability 0: the likelihood is bounded
there, so the estimate is returned, but it lies on the boundary of the simplex and Wald
standard errors are unavailable. Inside the simplex the covariance of the K probabilities is
the multinomial one, (diag p − p pᵀ) / W (singular: the probabilities sum to 1).
"""

from __future__ import annotations

import numpy as np

from .. import constraints as C
from .._validation import check_support
from .._xp import namespace, special
from ..errors import DataError, ParameterError
from ._base import Family, Param, Stats, flat_labels, frozen, jnp
from ._counts import instance_support, positive_int_option, total_weight
from ._registry import register

MAX_INFERRED_CATEGORIES = 10_000_000  # guards np.bincount against a stray huge label


@frozen
class CategoricalStats(Stats):
    """count rows, weight W = Σ w, counts (K,) = weighted number of rows with each label."""

    count: int
    weight: float
    counts: np.ndarray

    def merge(self, other: "CategoricalStats") -> "CategoricalStats":
        self._check_mergeable(other)
        k = max(self.counts.shape[0], other.counts.shape[0])
        counts = _pad(self.counts, k) + _pad(other.counts, k)
        return CategoricalStats(self.count + other.count, self.weight + other.weight, counts)

    @property
    def num_categories(self) -> int:
        return int(self.counts.shape[0])


def _pad(counts: np.ndarray, k: int) -> np.ndarray:
    return np.concatenate([counts, np.zeros(k - counts.shape[0])]) if counts.shape[0] < k else counts


@register
class Categorical(Family):
    name = "categorical"
    params = (Param("probs", C.simplex, "probability of each category 0..K-1", shape=("k",)),)

    def __init__(self, num_categories: int | None = None):
        if num_categories is not None:
            num_categories = positive_int_option(
                num_categories, "Categorical", "num_categories", "the number of labels K; data are 0..K-1",
                "maxlik.Categorical(num_categories=3), or leave it out to use the largest label + 1",
            )
        self.num_categories = num_categories

    @property
    def options(self):
        return {} if self.num_categories is None else {"num_categories": self.num_categories}

    @instance_support(C.nonnegative_integer)
    def support(self):
        if self.num_categories is None:
            return C.nonnegative_integer
        return C.integer_interval(0, self.num_categories - 1)

    def log_prob(self, params, x):
        """log probs[x]; a label outside 0..K−1 has probability 0 (log_prob = −inf)."""
        logp = jnp.log(params["probs"])
        k = logp.shape[-1]
        idx = jnp.asarray(x).astype(jnp.int64)
        inside = (idx >= 0) & (idx < k)
        return jnp.where(inside, logp[jnp.clip(idx, 0, k - 1)], -jnp.inf)

    # -- distribution functions over the labels 0 … K − 1 (k = ⌊x⌋): tables of F(k) = Σ_{j≤k} pⱼ
    # and of S(k) = Σ_{j>k} pⱼ, each summed from its own end (S is not 1 − F: no cancellation)
    def _tables(self, params, x):
        xp, p = namespace(params, x), params["probs"]
        cdf = xp.concatenate([xp.cumsum(p)[:-1], xp.ones(1)])
        sf = xp.concatenate([xp.cumsum(p[::-1])[::-1][1:], xp.zeros(1)])
        k = xp.floor(x)
        idx = xp.clip(xp.where(xp.isnan(k), 0.0, k), 0, p.shape[-1] - 1).astype(int)
        return xp, k < 0, cdf, sf, idx

    def _cdf(self, params, x):
        xp, below, cdf, sf, idx = self._tables(params, x)
        return xp.where(below, 0.0, cdf[idx])

    def _sf(self, params, x):
        xp, below, cdf, sf, idx = self._tables(params, x)
        return xp.where(below, 1.0, sf[idx])

    def _logcdf(self, params, x):
        return namespace(params, x).log(self._cdf(params, x))

    def _logsf(self, params, x):
        return namespace(params, x).log(self._sf(params, x))

    def _ppf(self, params, q):
        _, _, cdf, _, _ = self._tables(params, 0.0)
        k = np.minimum(np.searchsorted(cdf, q, side="left"), cdf.shape[0] - 1).astype(float)
        return np.where(q == 0.0, -1.0, k)

    def _isf(self, params, q):
        _, _, _, sf, _ = self._tables(params, 0.0)
        k = np.minimum(np.searchsorted(-sf, -q, side="left"), sf.shape[0] - 1).astype(float)
        return np.where(q == 1.0, -1.0, k)

    def _mean(self, params):
        p = params["probs"]
        return p @ np.arange(p.shape[0], dtype=float)

    def _var(self, params):
        p = params["probs"]
        k = np.arange(p.shape[0], dtype=float)
        return p @ (k - p @ k) ** 2

    def sample(self, params, n, seed=None):
        p = np.asarray(params["probs"], dtype=float)
        return np.random.default_rng(seed).choice(p.shape[0], size=n, p=p / p.sum()).astype(np.int64)

    def suffstats(self, x, weights=None):
        x = np.asarray(x, dtype=np.float64)
        if self.num_categories is not None:
            check_support(x, self.support, self.display_name)
            k = self.num_categories
        else:
            top = float(x.max())
            if top >= MAX_INFERRED_CATEGORIES:
                raise DataError(
                    f"Categorical: labels must be below {MAX_INFERRED_CATEGORIES} when num_categories is "
                    f"not given; got {top:g}. Labels are 0..K-1: relabel with "
                    "np.unique(x, return_inverse=True), or pass Categorical(num_categories=...)."
                )
            k = int(top) + 1
        counts = np.bincount(x.astype(np.int64), weights=weights, minlength=k).astype(np.float64)
        return CategoricalStats(int(x.shape[0]), total_weight(x.shape[0], weights), counts)

    def _counts_for(self, stats, fixed_probs=None) -> np.ndarray:
        """Counts padded to the family's K (num_categories, or the fixed probs' length)."""
        counts = stats.counts
        want = self.num_categories if fixed_probs is None else fixed_probs.shape[0]
        if want is None:
            return counts
        if self.num_categories is not None and fixed_probs is not None and want != self.num_categories:
            raise ParameterError(
                f"Categorical: fixed probs must have num_categories={self.num_categories} entries; "
                f"got {want}. Give one probability per category."
            )
        if counts.shape[0] > want and np.any(counts[want:] > 0):
            label = want + int(np.argmax(counts[want:] > 0))
            raise ParameterError(
                f"Categorical: probs must have an entry for every label in the data; got {want} "
                f"entries, but the data contain label {label}. Give one probability per category 0..K-1."
            )
        return _pad(counts[:want] if counts.shape[0] > want else counts, want)

    def mle_from_stats(self, stats, fixed=None):
        fixed = fixed or {}
        if "probs" in fixed:
            probs = np.asarray(fixed["probs"], dtype=np.float64)
            self._counts_for(stats, probs)
            return {"probs": probs}
        counts = self._counts_for(stats)
        return {"probs": counts / counts.sum()}

    def loglik_from_stats(self, stats, params):
        """ℓ = Σₖ cₖ log pₖ, with 0 · log 0 = 0 (categories never seen may have pₖ = 0)."""
        p = params["probs"]
        xp = namespace(p)
        xlogy = special(xp).xlogy
        k = np.shape(p)[-1]
        counts = _pad(stats.counts, k)
        if counts.shape[0] > k:  # labels the parameters do not cover
            extra = counts[k:].sum()
            return xp.where(extra > 0, -np.inf, xp.sum(xlogy(counts[:k], p)))
        return xp.sum(xlogy(counts, p))

    def exact_covariance(self, stats, params, free):
        """(diag p − p pᵀ) / W over probs[0..K−1]: the delta-method image of the inverse
        observed information in the K − 1 free log-ratios, which at the MLE p = c / W is the
        multinomial covariance whatever coordinates the simplex is given."""
        if "probs" not in free:
            return np.zeros((0, 0)), []
        p = np.asarray(params["probs"], dtype=float)
        cov = (np.diag(p) - np.outer(p, p)) / float(stats.counts.sum())
        return cov, flat_labels({"probs": p})
