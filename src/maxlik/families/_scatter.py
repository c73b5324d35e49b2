"""Fast, accurate weighted mean vector and centred scatter matrix of an (n, d) array.

    mean = Σ wₙ xₙ / W,        M2 = Σ wₙ (xₙ − mean)(xₙ − mean)ᵀ        (d, d)

Never E[xxᵀ] − E[x]E[x]ᵀ. The data are read from memory once, in blocks of up to 20,000 rows
(~16 MiB at most), each centred into one reused buffer:

1. block mean  mᵦ = Σ w x / Wᵦ  by a BLAS gemv (w or ones)       (reads the block into cache)
2. T = [√w (x − mᵦ), √w]  into one reused buffer                 (no copy of the whole data)
3. TᵀT by BLAS (NumPy's matmul calls ``syrk`` for AᵀA) gives, in one call, the block's
   scatter about mᵦ, its residual sum sᵦ = Σ w (x − mᵦ) and Wᵦ; the corrected two-pass term
   removes the rounding error of mᵦ: M2ᵦ = (TᵀT)₁₁ − sᵦsᵦᵀ/Wᵦ, meanᵦ = mᵦ + sᵦ/Wᵦ.
4. Blocks are combined at the end with the vectorised Chan–Golub–LeVeque update
   M2 = Σ M2ᵦ + Σ Wᵦ (meanᵦ − mean)(meanᵦ − mean)ᵀ (relative to a reference block, with a
   compensated mean), as :func:`maxlik.families._moments.combine` does for scalars.

Large inputs are split over the available cores (Python threads: NumPy and BLAS release the
GIL), each thread running BLAS single-threaded through ``threadpoolctl`` for the duration of
the call (:mod:`maxlik._threads`) — on a small machine this beats one multi-threaded BLAS call,
because the centring runs in parallel too.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ._moments import two_sum
from .._threads import n_threads, one_blas_thread

# Rows per block: BLAS syrk is far more efficient on long blocks than on cache-sized ones (1e6 x 100
# on 2 threads: 1,285-row blocks of 1 MiB 256 ms, 20,000-row blocks 210 ms; 1e6 x 20: 6,241 rows
# 35 ms, 20,000 rows 32 ms), up to ~16 MiB per block.
BLOCK_BYTES = 1 << 24
MAX_BLOCK_ROWS = 20_000
PARALLEL_MIN_ELEMENTS = 1 << 21  # below n·d = 2M values one thread is faster than starting more


def block_rows(d: int) -> int:
    """Rows per block for data of dimension d: BLOCK_BYTES of rows, at most MAX_BLOCK_ROWS, at least 64."""
    return max(64, min(MAX_BLOCK_ROWS, BLOCK_BYTES // (8 * (d + 1))))


def _blocks(x, w, starts, rows, j0, C, hi, lo, Ws, index=None):
    """Process blocks starting at ``starts`` (indices j0, j0+1, ... in the output arrays):
    accumulate Σ M2ᵦ into C (d, d); write each block's mean (hi + lo) and weight. With ``index``,
    the data are the rows x[index] (gathered block by block into a cached buffer)."""
    d = x.shape[1]
    buf = np.empty((rows, d + 1))  # C order; buf[:b].T @ buf[:b] is a syrk
    tmp = np.empty((d + 1, d + 1))
    gathered = None if index is None else np.empty((rows, d))
    if w is None:
        buf[:, d] = 1.0
        ones = np.ones(rows)  # ones @ block: a BLAS gemv, faster than block.sum(axis=0)
    for j, i in enumerate(starts, start=j0):
        if index is None:
            blk = x[i : i + rows]
        else:
            picked = index[i : i + rows]
            blk = np.take(x, picked, axis=0, out=gathered[: picked.shape[0]], mode="clip")
        b = blk.shape[0]
        t = buf[:b]
        if w is None:
            Wb = float(b)
            mb = (ones[:b] @ blk) / Wb
            np.subtract(blk, mb, out=t[:, :d])
        else:
            wb = w[i : i + rows]
            Wb = float(wb.sum())
            if Wb == 0.0:
                Ws[j], hi[j], lo[j] = 0.0, 0.0, 0.0
                continue
            mb = (wb @ blk) / Wb
            sw = np.sqrt(wb)
            np.subtract(blk, mb, out=t[:, :d])
            t[:, :d] *= sw[:, None]
            t[:, d] = sw
        np.matmul(t.T, t, out=tmp)
        s = tmp[:d, d]
        C += tmp[:d, :d]
        C -= np.outer(s, s) / Wb
        hi[j], lo[j] = two_sum(mb, s / Wb)
        Ws[j] = Wb


def _blocks_with_errstate(state: dict, job: tuple):
    with np.errstate(**state):
        _blocks(*job)


def mean_and_scatter(x: np.ndarray, w: np.ndarray | None = None, block: int | None = None, threads: int | None = None,
                     index: np.ndarray | None = None):
    """(W, mean_hi (d,), mean_lo (d,), M2 (d, d)) of a float64 (n, d) array.

    ``w``: optional non-negative weights (n,). mean = mean_hi + mean_lo to about twice working
    precision; M2 is exactly symmetric and positive semi-definite up to rounding. ``block``
    (rows per block) and ``threads`` override the defaults (for tests and benchmarks).
    ``index`` (m,): use the rows x[index] (w then has m entries) without forming that copy.
    """
    x = np.ascontiguousarray(x, dtype=np.float64)
    d = x.shape[1]
    n = x.shape[0] if index is None else index.shape[0]
    rows = min(n, block or block_rows(d))
    starts = list(range(0, n, rows))
    nb = len(starts)
    hi, lo, Ws = np.empty((nb, d)), np.empty((nb, d)), np.empty(nb)
    if threads is None:
        threads = n_threads() if n * d >= PARALLEL_MIN_ELEMENTS else 1
    k = max(1, min(threads, nb))
    cuts = [nb * i // k for i in range(k + 1)]
    Cs = [np.zeros((d, d)) for _ in range(k)]
    jobs = [(x, w, starts[cuts[i] : cuts[i + 1]], rows, cuts[i], Cs[i], hi, lo, Ws, index) for i in range(k)]
    with one_blas_thread():
        if k == 1:
            _blocks(*jobs[0])
        else:  # a pool of its own: callers may already run this in a maxlik.thread_pool worker
            with ThreadPoolExecutor(k) as pool:  # np.errstate does not reach pool threads: pass it on
                state = np.geterr()
                list(pool.map(lambda job: _blocks_with_errstate(state, job), jobs))
    return _combine(sum(Cs[1:], Cs[0]), hi, lo, Ws)


def _combine(C, hi, lo, Ws):
    """Chan–Golub–LeVeque over blocks: M2 = Σ M2ᵦ + Σ Wᵦ rᵦrᵦᵀ − corr corrᵀ/W, with
    rᵦ = meanᵦ − mean taken relative to the first block's mean (compensated)."""
    keep = Ws > 0
    hi, lo, Ws = hi[keep], lo[keep], Ws[keep]
    W = float(Ws.sum())
    ref = hi[0]
    dev = (hi - ref) + lo
    off = (Ws @ dev) / W
    r = dev - off
    corr = Ws @ r
    off = off + corr / W
    m2 = C + (r * Ws[:, None]).T @ r - np.outer(corr, corr) / W
    m2 = 0.5 * (m2 + m2.T)
    idx = np.arange(m2.shape[0])
    m2[idx, idx] = np.maximum(m2[idx, idx], 0.0)  # rounding can leave -ε on a constant column
    mean_hi, mean_lo = two_sum(ref, off)
    return W, mean_hi, mean_lo, m2


__all__ = ["mean_and_scatter", "block_rows", "n_threads"]
