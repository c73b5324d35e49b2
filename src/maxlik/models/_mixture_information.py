"""The Hessian H of a Gaussian mixture's log-likelihood at its estimate (−H is the observed
information behind ``GaussianMixture.result_``'s standard errors),

    ℓ(θ) = Σₙ wₙ log Σₖ πₖ N(xₙ | μₖ, Σₖ),

in the free parameters θ = (π₀ … π_{K−2}, μ (K·d), the free covariance entries of
:func:`free_layout`), with π_{K−1} = 1 − Σ πₖ. Two ways to the same matrix:

* :func:`hessian_numpy`, in closed form (small data: no JAX import, nothing to compile). With
  aₙₖ(θ) = log πₖ + log N(xₙ | μₖ, Σₖ), responsibilities rₙₖ, gₙₖ = ∇aₙₖ, sₙ = Σₖ rₙₖ gₙₖ
  (the Hessian of a log-sum-exp):

      H = Σₙ wₙ [Σₖ rₙₖ (∇²aₙₖ + gₙₖ gₙₖᵀ) − sₙ sₙᵀ]

  and for one component (P = Σₖ⁻¹, v = P (x − μₖ); a covariance parameter moves Σₖ along a
  symmetric direction E: eₐe_bᵀ + e_beₐᵀ for an off-diagonal entry, eₐeₐᵀ for a diagonal one,
  I for a spherical variance; cⱼ = ∂ log πₖ / ∂πⱼ = δⱼₖ/πₖ, or −1/π_{K−1} for k = K−1):

      ∂a/∂π = c        ∂a/∂μ = v        ∂a/∂E = ½ (vᵀEv − tr(PE))
      ∂²a/∂π² = −ccᵀ   ∂²a/∂μ² = −P     ∂²a/∂μ∂E = −PEv     ∂²a/∂E∂F = ½ tr(EPFP) − vᵀEPFv

  so the row sums reduce to each component's Nₖ = Σ ω, m = Σ ω v, S = Σ ω vvᵀ (ω = w r·ₖ).
* :func:`hessian_jax`: JAX autodiff of ℓ (large data, where one compiled program beats NumPy
  temporaries of size n × p). The tests check the two against each other.
"""

from __future__ import annotations

import numpy as np

from .._xp import jax, jnp
from ._gaussian_scores import GaussianScorer


def free_layout(ct, K, d):
    """(component, i, j) of each free covariance entry: lower triangles for "full" (per
    component) and "tied" (one, component 0), diagonals for "diag", one variance per component
    for "spherical" (given as (k, 0, 0))."""
    if ct in ("full", "tied"):
        i, j = np.tril_indices(d)
        ks = [0] if ct == "tied" else range(K)
        return [(k, a, b) for k in ks for a, b in zip(i, j)]
    if ct == "diag":
        return [(k, a, a) for k in range(K) for a in range(d)]
    return [(k, 0, 0) for k in range(K)]


def _directions(ct, d, layout):
    """E (q, d, d): how Σ moves with each free covariance entry."""
    E = np.zeros((len(layout), d, d))
    for j, (_, a, b) in enumerate(layout):
        if ct == "spherical":
            E[j] = np.eye(d)
        else:
            E[j, a, b] = E[j, b, a] = 1.0
    return E


def hessian_numpy(X, w, weights, means, covs, ct):
    """H (p, p) in closed form. X (n, d) (centred like ``means``), w (n,), weights (K,),
    means (K, d), covs (K, d, d) (full matrices for every covariance type)."""
    n, d = X.shape
    K = len(weights)
    layout = free_layout(ct, K, d)
    E = _directions(ct, d, layout)
    n_pi, base = K - 1, K - 1 + K * d
    p = base + len(layout)
    r = GaussianScorer(means, covs, log_weights=np.log(weights)).posterior_probabilities(X)
    H, s = np.zeros((p, p)), np.zeros((n, p))
    mu, cv = slice(n_pi, n_pi + d), slice(n_pi + d, None)
    for k in range(K):
        cols = [j for j, (owner, _, _) in enumerate(layout) if owner == k or ct == "tied"]
        idx = np.r_[0:n_pi, n_pi + k * d : n_pi + (k + 1) * d, base + np.array(cols, dtype=int)]
        Ek = E[cols]
        P = np.linalg.inv(covs[k])
        P = 0.5 * (P + P.T)
        V = (X - means[k]) @ P
        dE = 0.5 * ((V[:, :, None] * V[:, None, :]).reshape(n, d * d) @ Ek.reshape(-1, d * d).T
                    - np.einsum("ab,qba->q", P, Ek))
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


__all__ = ["free_layout", "hessian_jax", "hessian_numpy"]
