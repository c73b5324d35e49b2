"""The Gaussian fast path of EM: one jitted XLA kernel per iteration.

It computes exactly what the generic path (:mod:`._em`, the MultivariateNormal family's weighted
closed-form MLE with the responsibilities as weights) computes, fused into one pass over the data:

E-step (parameters θ = (π, μ, Σ) in, per row n and component k):

    log rₙₖ = log πₖ + log N(xₙ | μₖ, Σₖ) − log Σⱼ πⱼ N(xₙ | μⱼ, Σⱼ)       (log-sum-exp)
    ℓ(θ)    = Σₙ wₙ log Σⱼ πⱼ N(xₙ | μⱼ, Σⱼ)

M-step (the weighted MLE of each component with weights wₙ rₙₖ), accumulated in the same pass
as GEMMs over the data centred on their weighted mean x̄ (the caller centres them):

    Nₖ = Σ wₙ rₙₖ + 10ε,   μₖ' = Σ wₙ rₙₖ xₙ / Nₖ
    Sₖ = Σ wₙ rₙₖ xₙ xₙᵀ / Nₖ − μₖ' μₖ'ᵀ                   (the weighted scatter about μₖ')
    full: Σₖ' = Sₖ + reg I;  tied: Σ' = Σₖ Nₖ Sₖ / Σₖ Nₖ + reg I;  diag: diag(Sₖ) + reg;
    spherical: tr(Sₖ)/d + reg;   πₖ' = Nₖ / Σⱼ Nⱼ

(the 10ε added to Nₖ is scikit-learn's guard against empty components; it changes nothing
else). The one-pass scatter loses about ε·‖μₖ − x̄‖²/λmin(Sₖ) in relative accuracy (1e-14 for
components ten standard deviations from the centre); the generic path and scikit-learn centre
each component exactly, and the tests check that the fits agree. Rows are processed in blocks by ``lax.scan`` (padding rows carry weight 0) so memory
stays O(block · K · d). Covariances are carried as (K, d, d) matrices for every type.
After each M-step the Cholesky factors of the new covariances are formed; a component whose
covariance is not numerically positive definite, or whose weight has vanished, is reported by
index (``ok`` is False) instead of propagating NaNs.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np

from .._jax import jax, jnp

EPS10 = 10.0 * np.finfo(np.float64).eps
BLOCK = 8192


def block_data(X: np.ndarray, w: np.ndarray):
    """Pad rows to a multiple of the block size (padding weight 0); X (n, d) -> (B, b, d)."""
    n, d = X.shape
    b = min(BLOCK, n)
    B = -(-n // b)
    Xp = np.zeros((B * b, d))
    wp = np.zeros(B * b)
    Xp[:n], wp[:n] = X, w
    return jnp.asarray(Xp.reshape(B, b, d)), jnp.asarray(wp.reshape(B, b))


@jax.jit
def prepare(covs, nk, total, floor):
    """Precision factors Pₖ = Lₖ⁻ᵀ, log normalisers and per-component health flags: a
    covariance is healthy if its Cholesky factor exists and every conditional variance Lⱼⱼ²
    exceeds ``floor`` (d,) (a tiny fraction of the data's variance per column); a weight is
    healthy above 1e-10 of the total."""
    d = covs.shape[-1]
    L = jnp.linalg.cholesky(covs)
    eye = jnp.broadcast_to(jnp.eye(d), covs.shape)
    P = jnp.swapaxes(jax.scipy.linalg.solve_triangular(L, eye, lower=True), -1, -2)
    diag = jnp.diagonal(L, axis1=-2, axis2=-1)
    log_norm = -0.5 * d * math.log(2 * math.pi) - jnp.sum(jnp.log(diag), axis=-1)
    pd_ok = jnp.all(jnp.isfinite(L), axis=(-2, -1)) & jnp.all(diag * diag > floor, axis=-1)
    weight_ok = nk > 1e-10 * total
    return P, log_norm, pd_ok, weight_ok


def _block_terms(Xb, log_w, muP, Pcat, log_norm):
    """Log responsibilities and log p(xₙ) for one block; z = x P − μP is one GEMM."""
    b = Xb.shape[0]
    K, d = muP.shape
    z = (Xb @ Pcat).reshape(b, K, d) - muP[None]
    log_dens = log_norm[None] - 0.5 * jnp.sum(z * z, axis=-1) + log_w[None]
    lse = jax.scipy.special.logsumexp(log_dens, axis=1)
    return log_dens - lse[:, None], lse


def _factors(means, P):
    K, d = means.shape
    return jnp.einsum("kd,kde->ke", means, P), jnp.transpose(P, (1, 0, 2)).reshape(d, K * d)


@jax.jit
def log_likelihood(Xb, wb, log_w, means, P, log_norm):
    """ℓ(θ) = Σ wₙ log Σₖ πₖ N(xₙ | μₖ, Σₖ) over the blocked data."""
    muP, Pcat = _factors(means, P)

    def body(acc, blk):
        Xi, wi = blk
        _, lse = _block_terms(Xi, log_w, muP, Pcat, log_norm)
        return acc + jnp.sum(jnp.where(wi > 0, wi * lse, 0.0)), None

    return jax.lax.scan(body, jnp.zeros(()), (Xb, wb))[0]


@partial(jax.jit, static_argnames=("cov_type",))
def em_step(Xb, wb, log_w, means, P, log_norm, reg, cov_type):
    """One EM iteration. Returns ℓ(θ_old), log π', μ', Σ' (K, d, d), N (K,)."""
    K, d = means.shape
    muP, Pcat = _factors(means, P)

    def body(acc, blk):
        ll, nk, s1, s2 = acc
        Xi, wi = blk
        log_r, lse = _block_terms(Xi, log_w, muP, Pcat, log_norm)
        r = jnp.exp(log_r) * wi[:, None]
        return (
            ll + jnp.sum(jnp.where(wi > 0, wi * lse, 0.0)),
            nk + jnp.sum(r, axis=0),
            s1 + r.T @ Xi,
            s2 + jnp.einsum("nk,nd,ne->kde", r, Xi, Xi),
        ), None

    init = (jnp.zeros(()), jnp.zeros(K), jnp.zeros((K, d)), jnp.zeros((K, d, d)))
    (ll, nk, s1, s2), _ = jax.lax.scan(body, init, (Xb, wb))
    nk = nk + EPS10
    new_means = s1 / nk[:, None]
    S = s2 / nk[:, None, None] - new_means[:, :, None] * new_means[:, None, :]
    eye = jnp.eye(d)
    if cov_type == "full":
        covs = S + reg * eye
    elif cov_type == "tied":
        pooled = jnp.sum(nk[:, None, None] * S, axis=0) / jnp.sum(nk)
        covs = jnp.broadcast_to(pooled + reg * eye, (K, d, d))
    elif cov_type == "diag":
        covs = (jnp.diagonal(S, axis1=1, axis2=2) + reg)[:, :, None] * eye
    else:  # spherical
        covs = (jnp.trace(S, axis1=1, axis2=2) / d + reg)[:, None, None] * eye
    covs = 0.5 * (covs + jnp.swapaxes(covs, 1, 2))
    log_w_new = jnp.log(nk) - jnp.log(jnp.sum(nk))
    return ll, log_w_new, new_means, covs, nk


__all__ = ["block_data", "prepare", "em_step", "log_likelihood"]
