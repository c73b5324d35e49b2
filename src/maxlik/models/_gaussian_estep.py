"""The Gaussian E-step kernel: one jitted pass over the rows per EM iteration that returns the
log-likelihood and each component's CENTRED weighted statistics, ready for the
MultivariateNormal family's ``mle_from_stats`` (the M-step).

Parameters θ = (π, μ, Σ) in; for each row n and component k, with weights wₙ:

    log rₙₖ = log πₖ + log N(xₙ | μₖ, Σₖ) − log Σⱼ πⱼ N(xₙ | μⱼ, Σⱼ)   (the package's Gaussian kernel)
    ℓ(θ)    = Σₙ wₙ log Σⱼ πⱼ N(xₙ | μⱼ, Σⱼ)

Statistics out, per component (weights ωₙₖ = wₙ rₙₖ):

    Nₖ = Σₙ ωₙₖ,   x̄ₖ = Σₙ ωₙₖ xₙ / Nₖ,   M2ₖ = Σₙ ωₙₖ (xₙ − x̄ₖ)(xₙ − x̄ₖ)ᵀ

M2ₖ is the scatter about the component's OWN mean, never Σ ω x xᵀ − N x̄x̄ᵀ: the rows are
processed in blocks by ``lax.scan`` (padding rows carry weight 0, so memory stays
O(block · K · d)); in each block the statistics are a corrected two-pass about the block's
component means (M2ᵦ = Σ ω (x − mᵦ)(x − mᵦ)ᵀ − sᵦsᵦᵀ/Nᵦ, sᵦ = Σ ω (x − mᵦ), which removes the
rounding of mᵦ), and blocks merge exactly by Chan–Golub–LeVeque,
M2 = M2ₐ + M2ᵦ + δδᵀ NₐNᵦ/N, δ = x̄ᵦ − x̄ₐ — as the family's own ``Stats.merge`` does.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from .._jax import jax, jnp
from ..families.mvnormal import diag_scores, scores

BLOCK = 8192
MIN_BLOCK = 64


def block_rows(n: int) -> int:
    """Rows per block: BLOCK, or for fewer rows the next power of two (≥ MIN_BLOCK), so that
    small problems of similar size share one compiled kernel."""
    if n >= BLOCK:
        return BLOCK
    return max(MIN_BLOCK, 1 << (int(n) - 1).bit_length())


def block_data(X: np.ndarray, w: np.ndarray):
    """Pad rows to a multiple of the block size (padding weight 0); X (n, d) -> (B, b, d), w -> (B, b)."""
    n, d = X.shape
    b = block_rows(n)
    B = -(-n // b)
    Xp = np.zeros((B * b, d))
    wp = np.zeros(B * b)
    Xp[:n], wp[:n] = X, w
    return jnp.asarray(Xp.reshape(B, b, d)), jnp.asarray(wp.reshape(B, b))


def _joint(Xi, log_w, f1, f2, log_norm, diagonal):
    """log πₖ + log N(xₙ | μₖ, Σₖ) (b, K) and its log-sum-exp over k (b,)."""
    jll = (diag_scores if diagonal else scores)(Xi, f1, f2, log_norm) + log_w[None]
    return jll, jax.scipy.special.logsumexp(jll, axis=1)


def _block_stats(Xi, r):
    """Centred statistics of one block with weights r (b, K): N (K,), mean (K, d), M2 (K, d, d)."""
    Nb = jnp.sum(r, axis=0)
    safe = jnp.where(Nb > 0, Nb, 1.0)
    rt = r.T
    mb = (rt @ Xi) / safe[:, None]
    Y = Xi[None] - mb[:, None, :]  # (K, b, d): each row about each component's block mean
    rY = rt[:, :, None] * Y
    s = jnp.sum(rY, axis=1)  # ≈ 0: the rounding of mb, removed by the corrected two-pass term
    M2 = jnp.einsum("knd,kne->kde", rY, Y) - s[:, :, None] * s[:, None, :] / safe[:, None, None]
    return Nb, mb + s / safe[:, None], M2


def _merge(acc, part):
    """Chan–Golub–LeVeque merge of per-component (N, mean, M2), vectorised over components."""
    Na, ma, Ma = acc
    Nb, mb, Mb = part
    N = Na + Nb
    f = jnp.where(N > 0, Nb / jnp.where(N > 0, N, 1.0), 0.0)  # Nᵦ/N
    delta = mb - ma
    return N, ma + f[:, None] * delta, Ma + Mb + (Na * f)[:, None, None] * delta[:, :, None] * delta[:, None, :]


@partial(jax.jit, static_argnames=("diagonal",))
def e_step(Xb, wb, log_w, f1, f2, log_norm, diagonal=False):
    """One E-step over blocked data Xb (B, b, d), wb (B, b), with the kernel's factors of the
    components (:func:`maxlik.families.mvnormal.factors` or ``diag_factors``: f1, f2, log_norm).
    Returns ℓ(θ), N (K,), means (K, d), M2 (K, d, d) (centred, see the module docstring)."""
    K, d = log_norm.shape[0], Xb.shape[-1]

    def body(acc, blk):
        ll, stats = acc
        Xi, wi = blk
        jll, lse = _joint(Xi, log_w, f1, f2, log_norm, diagonal)
        r = jnp.exp(jll - lse[:, None]) * wi[:, None]
        ll = ll + jnp.sum(jnp.where(wi > 0, wi * lse, 0.0))
        return (ll, _merge(stats, _block_stats(Xi, r))), None

    init = (jnp.zeros(()), (jnp.zeros(K), jnp.zeros((K, d)), jnp.zeros((K, d, d))))
    (ll, (N, means, M2)), _ = jax.lax.scan(body, init, (Xb, wb))
    return ll, N, means, 0.5 * (M2 + jnp.swapaxes(M2, 1, 2))


@partial(jax.jit, static_argnames=("diagonal",))
def log_likelihood(Xb, wb, log_w, f1, f2, log_norm, diagonal=False):
    """ℓ(θ) = Σ wₙ log Σₖ πₖ N(xₙ | μₖ, Σₖ) over the blocked data (no statistics)."""

    def body(acc, blk):
        Xi, wi = blk
        _, lse = _joint(Xi, log_w, f1, f2, log_norm, diagonal)
        return acc + jnp.sum(jnp.where(wi > 0, wi * lse, 0.0)), None

    return jax.lax.scan(body, jnp.zeros(()), (Xb, wb))[0]


__all__ = ["block_data", "block_rows", "e_step", "log_likelihood"]
