"""The blocked Gaussian scorer of the classifier and the mixture: log N(x | μₖ, Σₖ) for the rows
of X (n, d) and k = 1..K -> (n, K), by the package's one Gaussian kernel
(:mod:`maxlik.families.mvnormal`: ``factors`` / ``scores``, ``diag_factors`` / ``diag_scores``).

The factors are precomputed in NumPy once per fitted model. The data are centred on a reference
point (the mean of the μₖ) first, so the products are formed from small numbers; log-sum-exp
(``log_posteriors``) follows the scores in the same pass.

Two paths, one kernel:

* small problems (n·K·d ≤ ``SMALL_VALUES``, d ≤ ``UNROLL_MAX_D``; :func:`numpy_path`) evaluate
  the kernel on NumPy arrays in one go: no JAX import and no compilation, which would cost far
  more than the pass itself (issue #11: a first fit on 1000 × 3 data in well under a second);
* larger ones feed the rows in blocks to the jitted kernel, so that each block's (rows, K·d)
  intermediate stays in cache.
"""

from __future__ import annotations

import functools

import numpy as np

from .._xp import jax, jnp, special
from ..families.mvnormal import UNROLL_MAX_D, diag_factors, diag_scores, factors, scores

# Rows per kernel call: the block's (rows, K·d) intermediate should stay in cache (2²¹ values,
# 16 MiB). At N = 10⁶, D = 20, K = 10 (8,192-row blocks) this is ~4x faster than blocks of
# 65,536 rows, whose 100 MiB intermediate goes through memory twice, and ~15% faster than 16,384.
BLOCK_VALUES = 1 << 21
MIN_BLOCK_ROWS, MAX_BLOCK_ROWS = 1 << 9, 1 << 16
# Up to this many values (n·K·d) a NumPy pass takes about a millisecond and a mixture's whole EM
# (tens of passes) well under the ~0.5-1 s that compiling the jitted kernels costs a new process.
SMALL_VALUES = 1 << 16


def numpy_path(n: int, K: int, d: int) -> bool:
    """True when n rows of K Gaussians in d dimensions are scored in NumPy (see the module docstring)."""
    return n * K * d <= SMALL_VALUES and d <= UNROLL_MAX_D


def block_rows(width: int) -> int:
    """Rows per block for an intermediate of ``width`` values per row: a power of two (fewer
    distinct shapes to compile), ≤ BLOCK_VALUES / width, within [MIN_BLOCK_ROWS, MAX_BLOCK_ROWS]."""
    rows = 1 << max(0, (BLOCK_VALUES // max(width, 1)).bit_length() - 1)
    return min(max(rows, MIN_BLOCK_ROWS), MAX_BLOCK_ROWS)


def _centred(kernel):
    def f(X, center, f1, f2, log_norm):
        return kernel(X - center, f1, f2, log_norm)

    return f


def _normalised(scores_fn, exponentiate: bool, xp):
    lse = special(xp).logsumexp

    def log_posterior(*args):
        jll = scores_fn(*args)
        out = jll - lse(jll, axis=1, keepdims=True)
        return xp.exp(out) if exponentiate else out

    return log_posterior


def _three(diagonal: bool, xp):
    """(log densities, log posteriors, posteriors) from the one kernel, in namespace ``xp``."""
    kernel = _centred(diag_scores if diagonal else scores)
    return kernel, _normalised(kernel, False, xp), _normalised(kernel, True, xp)


_NUMPY_KERNELS = {diagonal: _three(diagonal, np) for diagonal in (False, True)}


@functools.cache
def _jax_kernels(diagonal: bool):
    """The jitted kernels, built on first use (importing JAX then, not with this module)."""
    return tuple(jax.jit(f) for f in _three(diagonal, jnp))


class GaussianScorer:
    """Precomputed factors for K Gaussians; call ``log_densities`` / ``log_posteriors`` on data.

    means (K, d); covs (K, d, d), or (K, d) variances when ``diagonal``; ``log_weights`` (K,)
    are added to every row (class priors or mixture weights; zeros by default).
    """

    def __init__(self, means: np.ndarray, covs: np.ndarray, diagonal: bool = False, log_weights=None):
        means = np.asarray(means, dtype=np.float64)
        K, d = means.shape
        center = means.mean(axis=0)
        lw = np.zeros(K) if log_weights is None else np.asarray(log_weights, dtype=np.float64)
        make = diag_factors if diagonal else factors  # raises LinAlgError if a Σₖ is not positive definite
        f1, f2, log_norm, _ = make(means - center, np.asarray(covs, dtype=np.float64))
        # NumPy arrays (a pickled scorer needs no JAX); the JAX path converts them per call
        self.args = (center, np.ascontiguousarray(f1), f2, lw + log_norm)
        self.diagonal = bool(diagonal)  # kernels are looked up per call: jitted functions do not pickle
        self.K, self.d = K, d
        self.block_rows = block_rows(K * d)

    def _blocks(self, X, which: int) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if numpy_path(X.shape[0], self.K, self.d):
            with np.errstate(invalid="ignore", over="ignore"):  # as in JAX: a NaN or inf row, no warning
                return _NUMPY_KERNELS[self.diagonal][which](X, *self.args)
        kernel = _jax_kernels(self.diagonal)[which]
        args = tuple(jnp.asarray(a) for a in self.args)
        out = np.empty((X.shape[0], self.K))
        for start in range(0, X.shape[0], self.block_rows):
            block = X[start : start + self.block_rows]
            out[start : start + block.shape[0]] = np.asarray(kernel(block, *args))
        return out

    def log_densities(self, X) -> np.ndarray:
        """log wₖ + log N(xₙ | μₖ, Σₖ): (n, K)."""
        return self._blocks(X, 0)

    def log_posteriors(self, X) -> np.ndarray:
        """log p(k | xₙ) = the above minus log Σⱼ (…): (n, K), computed with log-sum-exp."""
        return self._blocks(X, 1)

    def posterior_probabilities(self, X) -> np.ndarray:
        """p(k | xₙ) = exp of :meth:`log_posteriors`, exponentiated inside the same kernel."""
        return self._blocks(X, 2)


def gaussian_log_densities(X, means, covs, diagonal: bool = False) -> np.ndarray:
    """log N(xₙ | μₖ, Σₖ): X (n, d), means (K, d), covs (K, d, d) or (K, d) -> (n, K)."""
    return GaussianScorer(means, covs, diagonal).log_densities(X)
