"""The Hessian H of a Gaussian mixture's log-likelihood at its estimate (−H is the observed
information behind ``GaussianMixture.result_``'s standard errors),

    ℓ(θ) = Σₙ wₙ log Σₖ πₖ N(xₙ | μₖ, Σₖ),

in the free parameters θ = (π₀ … π_{K−2}, μ (K·d), the free covariance entries of
:func:`free_layout`), with π_{K−1} = 1 − Σ πₖ. Two ways to the same matrix:

* :func:`hessian_numpy`, in closed form, in NumPy (no JAX import, nothing to compile; rows in
  blocks over the cores, memory O(block · p), time O(n · p²): 5 s at n = 10⁵, d = K = 10 here). With aₙₖ(θ) = log πₖ + log N(xₙ | μₖ, Σₖ),
  responsibilities rₙₖ, gₙₖ = ∇aₙₖ, sₙ = Σₖ rₙₖ gₙₖ (the Hessian of a log-sum-exp):

      H = Σₙ wₙ [Σₖ rₙₖ (∇²aₙₖ + gₙₖ gₙₖᵀ) − sₙ sₙᵀ]

  and for one component (P = Σₖ⁻¹, v = P (x − μₖ); a covariance parameter moves Σₖ along a
  symmetric direction E: eₐe_bᵀ + e_beₐᵀ for an off-diagonal entry, eₐeₐᵀ for a diagonal one,
  I for a spherical variance; cⱼ = ∂ log πₖ / ∂πⱼ = δⱼₖ/πₖ, or −1/π_{K−1} for k = K−1):

      ∂a/∂π = c        ∂a/∂μ = v        ∂a/∂E = ½ (vᵀEv − tr(PE))
      ∂²a/∂π² = −ccᵀ   ∂²a/∂μ² = −P     ∂²a/∂μ∂E = −PEv     ∂²a/∂E∂F = ½ tr(EPFP) − vᵀEPFv

  so the row sums of ∇²a reduce to each component's Nₖ = Σ ω, m = Σ ω v, S = Σ ω vvᵀ (ω = w r·ₖ).
* :func:`hessian_jax`: JAX autodiff of ℓ, the reference the tests check the closed form against,
  and the path above ``UNROLL_MAX_D`` features (where the NumPy kernel stops). It holds p
  tangents of the (n, K, d) intermediates at once: at n = 2·10⁴, d = K = 10 (p = 659) it asks
  for 34 GB, which the closed form does in a few seconds with 8 MiB blocks.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .._threads import n_threads, one_blas_thread
from .._xp import jax, jnp
from ..families.mvnormal import UNROLL_MAX_D, factors
from ._gaussian_estep import small_responsibilities
from ._names import covariance_pairs


def free_layout(ct, K, d):
    """(component, i, j) of each free covariance entry, in :func:`._names.covariance_pairs`
    order: upper triangles row by row for "full" (per component) and "tied" (one, component 0),
    diagonals for "diag", one variance per component for "spherical" (given as (k, 0, 0))."""
    ks = [0] if ct == "tied" else range(K)
    return [(k, a, b) for k in ks for a, b in covariance_pairs(ct, d)]


def _directions(ct, d, layout):
    """E (q, d, d): how Σ moves with each free covariance entry."""
    E = np.zeros((len(layout), d, d))
    for j, (_, a, b) in enumerate(layout):
        if ct == "spherical":
            E[j] = np.eye(d)
        else:
            E[j, a, b] = E[j, b, a] = 1.0
    return E


HESSIAN_BLOCK_VALUES = 1 << 20  # rows per block × p: the per-row gradients of one block (8 MiB)


def hessian(X, w, theta, weights, means, covs, ct):
    """H (p, p) at ``theta`` (p,) = (weights, means, covs) in the layout above: the closed form,
    or JAX autodiff above ``UNROLL_MAX_D`` features."""
    K, d = means.shape
    if d <= UNROLL_MAX_D:
        return hessian_numpy(X, w, weights, means, covs, ct)
    return hessian_jax(X, w, theta, ct, K, d)


def hessian_numpy(X, w, weights, means, covs, ct):
    """H (p, p) in closed form. X (n, d) (centred like ``means``), w (n,), weights (K,),
    means (K, d), covs (K, d, d) (full matrices for every covariance type). Every term is a sum
    over rows, so the rows are taken in blocks (memory O(block · p))."""
    n, d = X.shape
    K = len(weights)
    layout = free_layout(ct, K, d)
    p = K - 1 + K * d + len(layout)
    E = _directions(ct, d, layout)
    with np.errstate(divide="ignore"):
        kernel = (np.log(weights), *factors(means, covs)[:3])
    precisions = np.linalg.inv(covs)
    precisions = 0.5 * (precisions + np.swapaxes(precisions, 1, 2))
    comps = []  # per component: its columns of θ, its directions E and entries (a, b), P = Σₖ⁻¹
    for k in range(K):
        cols = [j for j, (owner, _, _) in enumerate(layout) if owner == k or ct == "tied"]
        idx = np.r_[0 : K - 1, K - 1 + k * d : K - 1 + (k + 1) * d, K - 1 + K * d + np.array(cols, dtype=int)]
        a, b = (np.array([layout[j][i] for j in cols], dtype=int) for i in (1, 2))
        comps.append((idx, E[cols], a, b, precisions[k]))
    rows = max(1, HESSIAN_BLOCK_VALUES // p)
    blocks = [(X[i : i + rows], w[i : i + rows]) for i in range(0, n, rows)]
    if len(blocks) == 1:
        return _block_hessian(*blocks[0], weights, means, kernel, comps, p, ct == "spherical")
    # blocks over threads with BLAS at one thread, as the package's other large-data loops; a pool
    # of its own, so that a caller inside maxlik's shared pool cannot wait on itself
    with one_blas_thread(), ThreadPoolExecutor(n_threads()) as pool:
        parts = pool.map(lambda blk: _block_hessian(*blk, weights, means, kernel, comps, p, ct == "spherical"), blocks)
        return sum(parts, np.zeros((p, p)))


def _block_hessian(X, w, weights, means, kernel, comps, p, spherical):
    n, d = X.shape
    n_pi = len(weights) - 1
    r = small_responsibilities(X, *kernel)
    H, s = np.zeros((p, p)), np.zeros((n, p))
    mu, cv = slice(n_pi, n_pi + d), slice(n_pi + d, None)
    for k, (idx, Ek, a, b, P) in enumerate(comps):
        V = (X - means[k]) @ P
        if spherical:  # ½ (vᵀEv − tr(PE)) with E = I
            dE = 0.5 * (np.einsum("nd,nd->n", V, V) - np.trace(P))[:, None]
        else:  # E = eₐe_bᵀ + e_beₐᵀ (a ≠ b) or eₐeₐᵀ: (vₐv_b − Pₐ_b), halved on the diagonal
            dE = np.where(a == b, 0.5, 1.0) * (V[:, a] * V[:, b] - P[a, b])
        c = np.zeros(n_pi)
        if k < n_pi:
            c[k] = 1.0 / weights[k]
        else:
            c[:] = -1.0 / weights[k]
        G = np.hstack([np.broadcast_to(c, (n, n_pi)), V, dE])  # gₙₖ on this component's parameters
        om = w * r[:, k]
        Nk, m, S = om.sum(), om @ V, (V * om[:, None]).T @ V
        local = (G * om[:, None]).T @ G  # Σₙ ωₙ g gᵀ, then Σₙ ωₙ ∇²a:
        local[:n_pi, :n_pi] -= Nk * np.outer(c, c)
        local[mu, mu] -= Nk * P
        PEm = P @ (Ek @ m).T  # (d, q): column j is P Eⱼ m
        local[mu, cv] -= PEm
        local[cv, mu] -= PEm.T
        A = Ek @ P
        local[cv, cv] += 0.5 * Nk * np.einsum("iab,jba->ij", A, A) - np.einsum("iab,jba->ij", A, Ek @ S)
        H[np.ix_(idx, idx)] += local
        s[:, idx] += r[:, k : k + 1] * G
    return H - (s * w[:, None]).T @ s


def hessian_jax(X, w, theta, ct, K, d):
    """H (p, p) by JAX autodiff of ℓ at ``theta`` (p,) (the layout above)."""
    from ..families.mvnormal import log_densities  # the package's one Gaussian kernel, traceable

    layout = free_layout(ct, K, d)
    ks, ii, jj = (jnp.array([t[i] for t in layout], dtype=int) for i in range(3))
    X, w = jnp.asarray(X), jnp.asarray(w)

    def loglik(theta):
        pi = jnp.concatenate([theta[: K - 1], 1.0 - jnp.sum(theta[: K - 1], keepdims=True)])
        mu = theta[K - 1 : K - 1 + K * d].reshape(K, d)
        free = theta[K - 1 + K * d :]
        if ct == "spherical":
            C = free[:, None, None] * jnp.eye(d)
        else:
            C = jnp.zeros((K, d, d)).at[ks, ii, jj].set(free).at[ks, jj, ii].set(free)
            if ct == "tied":
                C = jnp.broadcast_to(C[0], (K, d, d))
        log_dens = log_densities(X, mu, C) + jnp.log(pi)[None]
        return jnp.sum(w * jax.scipy.special.logsumexp(log_dens, axis=1))

    return np.asarray(jax.jit(jax.hessian(loglik))(jnp.asarray(theta)))


__all__ = ["free_layout", "hessian", "hessian_jax", "hessian_numpy"]
