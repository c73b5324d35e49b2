"""The one Gaussian log-density kernel: log N(xₙ | μₖ, Σₖ) for n rows and K components, (n, K).

With the Cholesky factor Σₖ = Lₖ Lₖᵀ and the precision factor Pₖ = Lₖ⁻ᵀ (Σₖ⁻¹ = Pₖ Pₖᵀ):

    log N(x | μₖ, Σₖ) = −½ ‖xᵀPₖ − μₖᵀPₖ‖² − (d/2) log 2π − Σᵢ log (Lₖ)ᵢᵢ

(the Mahalanobis distance ‖Lₖ⁻¹(x − μₖ)‖² and the log-determinant ½ log|Σₖ| = Σ log diag Lₖ).
All K products xᵀPₖ come from ONE matrix product X (n, d) @ [P₁ … P_K] (d, K·d), feature-major
(column j·K + k holds Pₖ[:, j]), so the per-component sum of squares adds d contiguous (n, K)
slabs. Diagonal covariances ("diag", "spherical": Σₖ = diag(vₖ)) skip the product over zeros:
zₖⱼ = xⱼ/√vₖⱼ − μₖⱼ/√vₖⱼ elementwise.

Two halves, shared by every Gaussian in the package (the MultivariateNormal family's
``log_prob``, the mixture's E-step and standard errors, the classifier's blocked scorer):

* :func:`factors` / :func:`diag_factors` turn (means, covariances) into the kernel's factors.
  They take the array namespace ``xp`` (numpy or jax.numpy): NumPy for precomputing a scorer's
  factors without compiling anything, jax.numpy inside traced, differentiated code.
* :func:`scores` / :func:`diag_scores` evaluate the kernel on rows: pure jax.numpy, to be jitted
  by the caller (per block of rows for the cache-friendly NumPy-driven scorer, or inside a
  ``lax.scan`` for the E-step).

The rows should be centred on a point near the means first (the callers do): the product xᵀPₖ
is then formed from small numbers.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .._lapack import inv
from .._xp import jnp

LOG_2PI = math.log(2 * math.pi)
UNROLL_MAX_D = 64  # up to this dimension the sum over features is written out term by term


def factors(means, covs, xp=np, chol=None):
    """Factors of K full Gaussians: means (K, d), covs (K, d, d) ->

    ``P2`` (d, d·K) the precision factors side by side (feature-major), ``b`` (d·K,) = μₖᵀPₖ
    in the same order, ``log_norm`` (K,) = −(d/2) log 2π − Σ log diag Lₖ, ``chol_diag``
    (K, d) the diagonals of the Cholesky factors (their squares are the conditional variances:
    callers judge positive definiteness from them). ``xp`` is numpy or jax.numpy; with numpy a
    covariance that is not positive definite raises LinAlgError, with jax.numpy it gives NaN.
    ``chol`` (NumPy only): the Cholesky factors Lₖ of covs when the caller has them already."""
    if xp is np:
        return _np_factors(means, np.linalg.cholesky(covs) if chol is None else chol)
    K, d = means.shape
    L = xp.linalg.cholesky(covs)
    eye = xp.broadcast_to(xp.eye(d), covs.shape)
    P = xp.swapaxes(xp.linalg.solve(L, eye), -1, -2)  # Lₖ⁻ᵀ: upper triangular
    P = xp.triu(P)  # exactly (the solve leaves rounding noise below the diagonal)
    chol_diag = xp.diagonal(L, axis1=-2, axis2=-1)
    P2 = xp.reshape(xp.transpose(P, (1, 2, 0)), (d, d * K))
    b = xp.reshape(xp.einsum("kd,kde->ek", means, P), (d * K,))
    log_norm = -0.5 * d * LOG_2PI - xp.sum(xp.log(chol_diag), axis=-1)
    return P2, b, log_norm, chol_diag


@functools.cache
def _upper(d: int) -> np.ndarray:
    return np.triu(np.ones((d, d), dtype=bool))


def _np_factors(means, L):
    """:func:`factors` in NumPy from the Cholesky factors L (K, d, d): the same values in fewer
    calls (the mixture's EM computes them every iteration, where the calls cost more than the
    arithmetic): Lₖ⁻¹ by one batched inverse (LAPACK's gesv on the identity, as a solve; L is a
    Cholesky factor, so invertible, and unchecked: :mod:`maxlik._lapack`)."""
    K, d = means.shape
    P = np.where(_upper(d), inv(L).transpose(0, 2, 1), 0.0)  # Lₖ⁻ᵀ, exactly upper triangular
    chol_diag = L.diagonal(0, 1, 2)
    b = (means[:, None, :] @ P).reshape(K, d).T.reshape(d * K)
    log_norm = -0.5 * d * LOG_2PI - np.log(chol_diag).sum(1)
    return P.transpose(1, 2, 0).reshape(d, d * K), b, log_norm, chol_diag


def diag_factors(means, variances, xp=np):
    """Factors of K diagonal Gaussians: means (K, d), variances (K, d) -> ``inv_sd`` (d, K),
    ``mu_scaled`` (d, K) = μₖⱼ/√vₖⱼ, ``log_norm`` (K,), ``chol_diag`` (K, d) = √v."""
    d = means.shape[1]
    sd = xp.sqrt(variances)
    inv_sd = 1.0 / sd
    log_norm = -0.5 * d * LOG_2PI - xp.sum(xp.log(sd), axis=-1)
    return inv_sd.T, (means * inv_sd).T, log_norm, sd


def precision_cholesky(covs: np.ndarray) -> np.ndarray:
    """Pₖ = Lₖ⁻ᵀ (K, d, d) from covs (K, d, d), in scikit-learn's ``precisions_cholesky_`` form."""
    K, d, _ = covs.shape
    P2 = factors(np.zeros((K, d)), covs)[0]
    return np.transpose(P2.reshape(d, d, K), (2, 0, 1))


def _sum_of_squares(z, d: int, K: int):
    """quadₖ = Σⱼ z[:, j·K + k]² for z (n, d·K) in feature-major order: (n, K).

    Written as d adds of contiguous (n, K) slabs XLA fuses it into one vectorised loop; the
    reshape-and-sum over a minor axis of length d runs ~15% slower on the CPU (and is used
    above UNROLL_MAX_D, where unrolling would bloat the compiled program)."""
    if d > UNROLL_MAX_D:
        return jnp.sum(jnp.reshape(z * z, (z.shape[0], d, K)), axis=1)
    quad = z[:, :K] ** 2
    for j in range(1, d):
        quad = quad + z[:, j * K : (j + 1) * K] ** 2
    return quad


def scores(X, P2, b, log_norm):
    """log N(xₙ | μₖ, Σₖ) (n, K) for full covariances: z = X P2 − b by one GEMM."""
    K = log_norm.shape[0]
    z = X @ P2 - b
    return log_norm[None, :] - 0.5 * _sum_of_squares(z, X.shape[1], K)


def diag_scores(X, inv_sd, mu_scaled, log_norm):
    """log N(xₙ | μₖ, diag vₖ) (n, K); inv_sd and mu_scaled (d, K): one (n, K) slab per feature."""
    d = X.shape[1]
    if d > UNROLL_MAX_D:
        z = X[:, :, None] * inv_sd[None] - mu_scaled[None]  # (n, d, K)
        return log_norm[None, :] - 0.5 * jnp.sum(z * z, axis=1)
    quad = (X[:, :1] * inv_sd[0] - mu_scaled[0]) ** 2
    for j in range(1, d):
        quad = quad + (X[:, j : j + 1] * inv_sd[j] - mu_scaled[j]) ** 2
    return log_norm[None, :] - 0.5 * quad


def log_densities(X, means, covs):
    """JAX-traceable and differentiable log N(xₙ | μₖ, Σₖ): X (n, d), means (K, d), covs
    (K, d, d) -> (n, K). The data are centred on the mean of the μₖ first."""
    X, means, covs = jnp.asarray(X), jnp.asarray(means), jnp.asarray(covs)
    center = jnp.mean(means, axis=0)
    P2, b, log_norm, _ = factors(means - center, covs, xp=jnp)
    return scores(X - center, P2, b, log_norm)


__all__ = ["LOG_2PI", "factors", "diag_factors", "precision_cholesky", "scores", "diag_scores", "log_densities"]
