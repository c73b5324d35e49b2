"""The Gaussian E-step on small data in NumPy, components-major: the formulas of
:mod:`._gaussian_estep` (the package's one Gaussian kernel, log-sum-exp over components, the
centred two-pass statistics about each component's own mean) laid out as (K, n) and (K, d, n)
arrays instead of (n, K) and (K, n, d).

Why: on small data every NumPy call costs more in dispatch than in arithmetic, and a reduction
or broadcast whose innermost axis is d (2 to 4 features) runs an inner loop of 2 to 4
elements. With the rows innermost every call runs one long contiguous loop (n rows), and the
reductions over components are K adds of contiguous rows. On Old Faithful (272 × 2, K = 5)
this halves an E-step. The results equal the row-major ones to rounding
(tests/test_models_small_data.py checks them against the jitted, blocked JAX E-step).

With the factors of :func:`maxlik.families.mvnormal.factors` (P2 (d, d·K) feature-major, b (d·K,),
log_norm (K,)), for the transposed rows Xᵀ (d, n):

    zᵀ = P2ᵀ Xᵀ − b           (d·K, n), viewed as (d, K, n)
    jllᵀ = log πₖ + log_normₖ − ½ Σⱼ zⱼₖₙ²                         (K, n)
    rᵀ = wₙ exp(jllᵀ − lseₙ),  lseₙ = log Σₖ exp jllₖₙ
    Nₖ = Σₙ rₖₙ,  mₖ = Σₙ rₖₙ xₙ / Nₖ,  Yₖ = Xᵀ − mₖ (d, n),
    M2ₖ = (rₖ Yₖ) Yₖᵀ − sₖsₖᵀ/Nₖ,  sₖ = Σₙ rₖₙ Yₖₙ  (the corrected two-pass term)

and for diagonal covariances (inv_sd, mu_scaled (d, K)) zⱼₖₙ = xⱼₙ / √vₖⱼ − μₖⱼ / √vₖⱼ.
"""

from __future__ import annotations

import numpy as np


def joint_t(Xt, log_w, f1, f2, log_norm, diagonal=False):
    """log πₖ + log N(xₙ | μₖ, Σₖ) as (K, n) and its log-sum-exp over k (n,), from the
    transposed rows Xt (d, n)."""
    d, K = Xt.shape[0], log_norm.shape[0]
    if diagonal:
        z = Xt[:, None, :] * f1[:, :, None] - f2[:, :, None]  # (d, K, n)
    else:
        z = (f1.T @ Xt - f2[:, None]).reshape(d, K, -1)
    z *= z
    jll = (log_norm + log_w)[:, None] - 0.5 * z.sum(0)
    top = jll.max(0)
    top = np.where(np.isfinite(top), top, 0.0)
    return jll, np.log(np.exp(jll - top).sum(0)) + top


def stats_t(Xt, rt):
    """Centred statistics of the rows Xt (d, n) under the weights rt (K, n): N (K,), means
    (K, d), M2 (K, d, d), exactly symmetric."""
    N = rt.sum(1)
    safe = np.where(N > 0, N, 1.0)
    mb = (rt @ Xt.T) / safe[:, None]
    Y = Xt[None] - mb[:, :, None]  # (K, d, n): the rows about each component's mean
    rY = Y * rt[:, None, :]
    s = rY.sum(2)  # ≈ 0: the rounding of mb, removed by the corrected two-pass term
    M2 = rY @ Y.transpose(0, 2, 1) - s[:, :, None] * s[:, None, :] / safe[:, None, None]
    return N, mb + s / safe[:, None], 0.5 * (M2 + M2.transpose(0, 2, 1))


def _weighted_sum(w, lse):
    """Σ wₙ lseₙ over the rows of positive weight: one dot product, unless a row of weight 0 has
    lse = ±inf (0 · inf is NaN there; the caller ignores invalid values)."""
    total = float(w @ lse)
    return total if total == total else float(np.where(w > 0, w * lse, 0.0).sum())


def e_step_t(X, w, log_w, f1, f2, log_norm, diagonal=False):
    """One E-step on X (n, d), w (n,): ℓ(θ) (float), N (K,), means (K, d), M2 (K, d, d)."""
    Xt = np.ascontiguousarray(X.T)
    with np.errstate(invalid="ignore", over="ignore"):  # NaN out, judged by the M-step's checks
        jll, lse = joint_t(Xt, log_w, f1, f2, log_norm, diagonal)
        rt = np.exp(jll - lse) * w
        N, means, M2 = stats_t(Xt, rt)
        return _weighted_sum(w, lse), N, means, M2


def responsibilities_t(X, log_w, f1, f2, log_norm, diagonal=False):
    """rₙₖ = p(k | xₙ) (n, K) on X (n, d)."""
    with np.errstate(invalid="ignore", over="ignore"):
        jll, lse = joint_t(np.ascontiguousarray(X.T), log_w, f1, f2, log_norm, diagonal)
        return np.exp(jll - lse).T


def log_likelihood_t(X, w, log_w, f1, f2, log_norm, diagonal=False):
    """ℓ(θ) = Σ wₙ log Σₖ πₖ N(xₙ | μₖ, Σₖ) on X (n, d), w (n,)."""
    with np.errstate(invalid="ignore", over="ignore"):
        return _weighted_sum(w, joint_t(np.ascontiguousarray(X.T), log_w, f1, f2, log_norm, diagonal)[1])


__all__ = ["e_step_t", "joint_t", "log_likelihood_t", "responsibilities_t", "stats_t"]
