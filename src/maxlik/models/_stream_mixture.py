"""GaussianMixture on a data source: each EM iteration is one pass.

Passes, in order:

1. totals (one pass): rows, the weighted mean (the centre every row is shifted by, as in the
   in-memory fit) and column variances (the collapse floor), as MultivariateNormal statistics
   merged exactly; NaN / inf and bad weights anywhere are counted and the first is named;
2. the sample (``src.sample()``, ≤ 10⁵ evenly strided rows): the k-means++ / random start and its
   first M-step, for each of the ``n_init`` starts (``*_init`` values are used as given);
3. per EM iteration, one pass of the E-step: each chunk runs the in-memory kernel
   (:mod:`._gaussian_estep`: NumPy for small chunks, the jitted scan otherwise) and returns
   ℓ and every component's centred statistics (N, mean, M2), merged across chunks by
   Chan–Golub–LeVeque (``merge_components``); the M-step is the in-memory one;
4. one pass for ℓ at the final parameters; ``result_`` (first access) one pass of the observed
   information, the closed-form Hessian summed over chunks.

With the same starting values the iterations are the in-memory ones to rounding, so the
estimates agree to far below EM's tolerance; a start drawn from the sample differs from one
drawn from all rows, as any two random starts do.
"""

from __future__ import annotations

import numpy as np

from ..errors import DataError
from ..families.mvnormal import MultivariateNormal
from ..sources import Chunk, Source
from . import _gaussian_estep as estep
from ._gaussian_scores import numpy_path
from ._sourced import check_chunk, design, first, raise_findings


class _Moments:
    """Rows, MultivariateNormal statistics of the rows with positive weight, findings."""

    def __init__(self, count, stats, bad_x, bad_w):
        self.count, self.stats, self.bad_x, self.bad_w = count, stats, bad_x, bad_w

    def merge(self, o: "_Moments") -> "_Moments":
        stats = o.stats if self.stats is None else self.stats if o.stats is None else self.stats.merge(o.stats)
        return _Moments(self.count + o.count, stats, first(self.bad_x, o.bad_x), first(self.bad_w, o.bad_w))


def moments(owner: str, src: Source):
    """(rows, Σw, weighted mean (d,), weighted column variances (d,)) of the source (one pass)."""
    family = MultivariateNormal()

    def part(c: Chunk):
        if len(c.x) == 0:
            return None
        bad_x, bad_w = check_chunk(c)
        stats = None
        if bad_x is None and bad_w is None and (c.w is None or c.w.sum() > 0):
            stats = family.suffstats(design(c), c.w)
        return _Moments(len(c.x), stats, bad_x, bad_w)

    m = src.map_reduce(part)
    if m is None:
        raise DataError(f"{owner}: data must contain at least one row; got none in {src.describe()}.")
    raise_findings(owner, src, m.count, 0.0 if m.stats is None else m.stats.weight, m.bad_x, m.bad_w)
    W = float(m.stats.weight)
    return m.count, W, np.asarray(m.stats.mean), np.diagonal(m.stats.m2) / W


def _kernel_on(c: Chunk, center, K):
    """The chunk's centred rows, weights and which E-step kernels to use (NumPy or jitted)."""
    X = design(c) - center
    w = np.ones(len(X)) if c.w is None else c.w
    if numpy_path(len(X), K, X.shape[1]):
        return (X, w), estep.small_e_step, estep.small_log_likelihood, lambda f: f
    from .._xp import jnp

    return estep.block_data(X, w), estep.e_step, estep.log_likelihood, lambda f: tuple(jnp.asarray(a) for a in f)


def _add_estep(a, b):
    if a is None or b is None:
        return a if b is None else b
    return (a[0] + b[0], *estep.merge_components(a[1:], b[1:], np))


def e_step_pass(src: Source, center, factors, diagonal):
    """One E-step over the source: (ℓ, N (K,), means (K, d), M2 (K, d, d))."""
    K = len(factors[0])

    def part(c: Chunk):
        if len(c.x) == 0:
            return None
        data, step, _, to = _kernel_on(c, center, K)
        ll, N, means, M2 = step(*data, *to(factors), diagonal=diagonal)
        return float(ll), np.asarray(N), np.asarray(means), np.asarray(M2)

    return src.map_reduce(part, _add_estep)


def loglik_pass(src: Source, center, factors, diagonal) -> float:
    """ℓ(θ) over the source (one pass)."""
    K = len(factors[0])

    def part(c: Chunk):
        if len(c.x) == 0:
            return None
        data, _, ll_fn, to = _kernel_on(c, center, K)
        return float(ll_fn(*data, *to(factors), diagonal=diagonal))

    return float(src.map_reduce(part, lambda a, b: b if a is None else a if b is None else a + b))


def hessian_pass(src: Source, center, theta, weights, means, covs, ct):
    """The observed information's Hessian H of ℓ (p, p), summed over chunks (one pass)."""
    from ._mixture_information import hessian

    def part(c: Chunk):
        if len(c.x) == 0:
            return None
        w = np.ones(len(c.x)) if c.w is None else c.w
        return hessian(design(c) - center, w, theta, weights, means, covs, ct)

    return src.map_reduce(part)


def score_pass(src: Source, log_prob_rows) -> tuple[float, int]:
    """(Σ log p(xₙ), rows) with ``log_prob_rows(X (m, d)) -> (m,)`` (one pass, unweighted as
    ``score``)."""

    def part(c: Chunk):
        if len(c.x) == 0:
            return None
        return float(np.sum(log_prob_rows(design(c)))), len(c.x)

    out = src.map_reduce(part, lambda a, b: b if a is None else a if b is None else (a[0] + b[0], a[1] + b[1]))
    return out


__all__ = ["e_step_pass", "hessian_pass", "loglik_pass", "moments", "score_pass"]
