"""Per-component Gaussian log-densities for many rows at once, shared by the classifier and the
mixture:  log N(x | μₖ, Σₖ) for x in X (n, d) and k = 1..K  ->  (n, K).

With Σₖ⁻¹ = Pₖ Pₖᵀ (Pₖ = Lₖ⁻ᵀ from the Cholesky factor Σₖ = Lₖ Lₖᵀ):

    log N(x | μₖ, Σₖ) = −½ ‖xᵀPₖ − μₖᵀPₖ‖² − (d/2) log 2π + Σ log diag(Pₖ)

All K products xᵀPₖ come from ONE matrix product X (n, d) @ [P₁ … P_K] (d, K·d), so the work is
a single GEMM plus an elementwise square-and-sum, jitted per block of rows (diagonal covariances
skip the GEMM: the scaling is elementwise). The columns are in feature-major order, so the sum
over features adds contiguous (n, K) slabs. The data are
centred on a reference point (the mean of the μₖ) first, so the products are formed from
small numbers. ``log_posteriors`` also applies log-sum-exp in the same kernel.
"""

from __future__ import annotations

import math

import numpy as np

from .._jax import jax, jnp

# Rows per kernel call: the block's (rows, K·d) intermediate should stay in cache (2²¹ values,
# 16 MiB). At N = 10⁶, D = 20, K = 10 (8,192-row blocks) this is ~4x faster than blocks of
# 65,536 rows, whose 100 MiB intermediate goes through memory twice, and ~15% faster than 16,384.
BLOCK_VALUES = 1 << 21
MIN_BLOCK_ROWS, MAX_BLOCK_ROWS = 1 << 9, 1 << 16


def block_rows(width: int) -> int:
    """Rows per block for an intermediate of ``width`` values per row: a power of two (fewer
    distinct shapes to compile), ≤ BLOCK_VALUES / width, within [MIN_BLOCK_ROWS, MAX_BLOCK_ROWS]."""
    rows = 1 << max(0, (BLOCK_VALUES // max(width, 1)).bit_length() - 1)
    return min(max(rows, MIN_BLOCK_ROWS), MAX_BLOCK_ROWS)


UNROLL_MAX_D = 64  # up to this dimension the sum over features is written out term by term


def _sum_of_squares(z, d: int, K: int):
    """quadₖ = Σⱼ z[:, j·K + k]² for z (n, d·K) in feature-major order: (n, K).

    Written as d adds of contiguous (n, K) slabs, XLA fuses it into one vectorised loop; the
    equivalent reshape-and-sum over a minor axis of length d runs ~15% slower on the CPU (and is
    used above UNROLL_MAX_D, where unrolling would bloat the compiled program)."""
    if d > UNROLL_MAX_D:
        return jnp.sum(jnp.reshape(z * z, (z.shape[0], d, K)), axis=1)
    quad = z[:, :K] ** 2
    for j in range(1, d):
        quad = quad + z[:, j * K : (j + 1) * K] ** 2
    return quad


def _scores(X, center, P2, b, log_norm):
    """Full covariances: z = (x − c)ᵀ[P₁ … P_K] − b by one GEMM, columns in feature-major order
    (column j·K + k is Pₖ[:, j]), then the per-component sum of squares."""
    K = log_norm.shape[0]
    z = (X - center) @ P2 - b  # (n, d·K)
    return log_norm[None, :] - 0.5 * _sum_of_squares(z, X.shape[1], K)


def _diag_scores(X, center, inv_sd, mu_scaled, log_norm):
    """Diagonal covariances: zₖⱼ = (xⱼ − cⱼ)·sₖⱼ − μₖⱼ·sₖⱼ elementwise (no GEMM over zeros);
    inv_sd and mu_scaled are (d, K), so each feature contributes one (n, K) slab."""
    K, d = log_norm.shape[0], X.shape[1]
    Xc = X - center
    if d > UNROLL_MAX_D:
        z = Xc[:, :, None] * inv_sd[None] - mu_scaled[None]  # (n, d, K)
        return log_norm[None, :] - 0.5 * jnp.sum(z * z, axis=1)
    quad = (Xc[:, :1] * inv_sd[0] - mu_scaled[0]) ** 2
    for j in range(1, d):
        quad = quad + (Xc[:, j : j + 1] * inv_sd[j] - mu_scaled[j]) ** 2
    return log_norm[None, :] - 0.5 * quad


def _normalised(scores, exponentiate: bool):
    def log_posterior(*args):
        jll = scores(*args)
        out = jll - jax.scipy.special.logsumexp(jll, axis=1, keepdims=True)
        return jnp.exp(out) if exponentiate else out

    return jax.jit(log_posterior)


_KERNELS = {
    diag: (jax.jit(f), _normalised(f, False), _normalised(f, True))
    for diag, f in ((False, _scores), (True, _diag_scores))
}


def precision_cholesky(covs: np.ndarray) -> np.ndarray:
    """Pₖ = Lₖ⁻ᵀ for each Σₖ = Lₖ Lₖᵀ; covs (K, d, d) -> (K, d, d). Raises LinAlgError if a
    covariance is not positive definite."""
    L = np.linalg.cholesky(covs)
    eye = np.broadcast_to(np.eye(covs.shape[-1]), covs.shape)
    return np.swapaxes(np.linalg.solve(L, eye), -1, -2)


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
        if diagonal:
            inv_sd = 1.0 / np.sqrt(np.asarray(covs, dtype=np.float64))  # (K, d)
            factors = (inv_sd.T.copy(), ((means - center) * inv_sd).T.copy())  # (d, K) each
            log_det_p = np.log(inv_sd).sum(axis=1)
        else:
            P = precision_cholesky(np.asarray(covs, dtype=np.float64))  # (K, d, d)
            # feature-major columns: column j·K + k holds Pₖ[:, j]
            factors = (np.transpose(P, (1, 2, 0)).reshape(d, d * K), np.einsum("kd,kde->ek", means - center, P).reshape(d * K))
            log_det_p = np.log(np.diagonal(P, axis1=1, axis2=2)).sum(axis=1)
        self.args = (jnp.asarray(center), *(jnp.asarray(f) for f in factors), jnp.asarray(lw - 0.5 * d * math.log(2 * math.pi) + log_det_p))
        self.diagonal = bool(diagonal)  # kernels are looked up per call: jitted functions do not pickle
        self.K = K
        self.block_rows = block_rows(K * d)

    def _blocks(self, X, kernel) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        out = np.empty((X.shape[0], self.K))
        for start in range(0, X.shape[0], self.block_rows):
            block = X[start : start + self.block_rows]
            out[start : start + block.shape[0]] = np.asarray(kernel(block, *self.args))
        return out

    def log_densities(self, X) -> np.ndarray:
        """log wₖ + log N(xₙ | μₖ, Σₖ): (n, K)."""
        return self._blocks(X, _KERNELS[self.diagonal][0])

    def log_posteriors(self, X) -> np.ndarray:
        """log p(k | xₙ) = the above minus log Σⱼ (…): (n, K), computed with log-sum-exp."""
        return self._blocks(X, _KERNELS[self.diagonal][1])

    def posterior_probabilities(self, X) -> np.ndarray:
        """p(k | xₙ) = exp of :meth:`log_posteriors`, exponentiated inside the same kernel."""
        return self._blocks(X, _KERNELS[self.diagonal][2])


def gaussian_log_densities(X, means, covs, diagonal: bool = False) -> np.ndarray:
    """log N(xₙ | μₖ, Σₖ): X (n, d), means (K, d), covs (K, d, d) or (K, d) -> (n, K)."""
    return GaussianScorer(means, covs, diagonal).log_densities(X)
