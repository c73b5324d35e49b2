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

Small problems (:func:`maxlik.models._gaussian_scores.numpy_path`) take :func:`small_e_step` /
:func:`small_log_likelihood` instead: the same formulas on NumPy arrays, all rows as one block,
without importing JAX or compiling (compiling the scan costs a new process ~1 s, the NumPy pass
on 1000 × 3 data about a millisecond). The jitted kernels are built on their first call.
"""

from __future__ import annotations

import functools

import numpy as np

from .._xp import jax, jnp, special
from ..families.mvnormal import diag_scores, scores
from . import _small_estep as _small

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
    """log πₖ + log N(xₙ | μₖ, Σₖ) (b, K) and its log-sum-exp over k (b,) (jax.numpy; the NumPy
    path is :mod:`._small_estep`, whose own log-sum-exp avoids scipy's ~1 ms array-API dispatch)."""
    jll = (diag_scores if diagonal else scores)(Xi, f1, f2, log_norm) + log_w[None]
    return jll, special(jnp).logsumexp(jll, axis=1)


def _block_stats(Xi, r, xp=jnp):
    """Centred statistics of one block with weights r (b, K): N (K,), mean (K, d), M2 (K, d, d)."""
    Nb = xp.sum(r, axis=0)
    safe = xp.where(Nb > 0, Nb, 1.0)
    rt = r.T
    mb = (rt @ Xi) / safe[:, None]
    Y = Xi[None] - mb[:, None, :]  # (K, b, d): each row about each component's block mean
    rY = rt[:, :, None] * Y
    s = xp.sum(rY, axis=1)  # ≈ 0: the rounding of mb, removed by the corrected two-pass term
    M2 = xp.matmul(xp.swapaxes(rY, 1, 2), Y) - s[:, :, None] * s[:, None, :] / safe[:, None, None]
    return Nb, mb + s / safe[:, None], M2


def _weighted_sum(w, lse, xp=jnp):
    """Σ wₙ lseₙ over the rows of positive weight (a padding row's −inf never meets its 0)."""
    return xp.sum(xp.where(w > 0, w * lse, 0.0))


def merge_components(acc, part, xp=jnp):
    """Chan–Golub–LeVeque merge of per-component (N, mean, M2), vectorised over components."""
    Na, ma, Ma = acc
    Nb, mb, Mb = part
    N = Na + Nb
    f = xp.where(N > 0, Nb / xp.where(N > 0, N, 1.0), 0.0)  # Nᵦ/N
    delta = mb - ma
    return N, ma + f[:, None] * delta, Ma + Mb + (Na * f)[:, None, None] * delta[:, :, None] * delta[:, None, :]


def _lazy_jit(**options):
    """``jax.jit(f, **options)`` built on the first call (JAX is imported then, not with this module)."""

    def wrap(f):
        compiled = functools.cache(lambda: jax.jit(f, **options))

        @functools.wraps(f)
        def call(*args, **kwargs):
            return compiled()(*args, **kwargs)

        return call

    return wrap


@_lazy_jit(static_argnames=("diagonal",))
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
        ll = ll + _weighted_sum(wi, lse)
        return (ll, merge_components(stats, _block_stats(Xi, r))), None

    init = (jnp.zeros(()), (jnp.zeros(K), jnp.zeros((K, d)), jnp.zeros((K, d, d))))
    (ll, (N, means, M2)), _ = jax.lax.scan(body, init, (Xb, wb))
    return ll, N, means, 0.5 * (M2 + jnp.swapaxes(M2, 1, 2))


@_lazy_jit(static_argnames=("diagonal",))
def log_likelihood(Xb, wb, log_w, f1, f2, log_norm, diagonal=False):
    """ℓ(θ) = Σ wₙ log Σₖ πₖ N(xₙ | μₖ, Σₖ) over the blocked data (no statistics)."""

    def body(acc, blk):
        Xi, wi = blk
        _, lse = _joint(Xi, log_w, f1, f2, log_norm, diagonal)
        return acc + _weighted_sum(wi, lse), None

    return jax.lax.scan(body, jnp.zeros(()), (Xb, wb))[0]


def small_e_step(X, w, log_w, f1, f2, log_norm, diagonal=False):
    """:func:`e_step` in NumPy on unblocked X (n, d), w (n,) and NumPy factors: the same
    ℓ(θ) (float), N (K,), means (K, d), M2 (K, d, d), all rows as one block (components-major:
    :mod:`._small_estep`)."""
    return _small.e_step_t(X, w, log_w, f1, f2, log_norm, diagonal)


def small_stats(X, r):
    """Centred statistics N (K,), means (K, d), M2 (K, d, d) of X (n, d) under the weights
    r (n, K) (the E-step's, in NumPy; exactly symmetric)."""
    return _small.stats_t(np.ascontiguousarray(X.T), np.ascontiguousarray(r.T))


def small_responsibilities(X, log_w, f1, f2, log_norm, diagonal=False):
    """rₙₖ = p(k | xₙ) (n, K) in NumPy on X (n, d): the E-step's responsibilities alone."""
    return _small.responsibilities_t(X, log_w, f1, f2, log_norm, diagonal)


def small_log_likelihood(X, w, log_w, f1, f2, log_norm, diagonal=False):
    """:func:`log_likelihood` in NumPy on unblocked X (n, d), w (n,)."""
    return _small.log_likelihood_t(X, w, log_w, f1, f2, log_norm, diagonal)


__all__ = ["block_data", "block_rows", "e_step", "log_likelihood", "merge_components", "small_e_step", "small_log_likelihood",
           "small_responsibilities", "small_stats"]
