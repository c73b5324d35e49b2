"""Accurate, mergeable centred moments: weight W, mean (as a double-double hi + lo), and
M2 = Σ wₙ (xₙ − mean)².

Never E[x²] − E[x]²: each block is centred on a shift near its mean (re-centred on its own mean
while in cache when the shift is poor, see :func:`_blocks`), and blocks are combined with the between-group form of the Chan–Golub–LeVeque update.
The mean carries a compensation term ``lo`` (error-free TwoSum), so merging thousands of chunks
one by one keeps the mean to ~1e-30 relative and M2 to a few ulps (a plain Chan / Welford
merge of single values loses more than a digit on NIST's Michelso data).
"""

from __future__ import annotations

import numpy as np

from .._threads import one_blas_thread

BLOCK = 1 << 15  # rows per block: 256 KiB of float64 stays in L2 while it is centred


def two_sum(a: float, b: float) -> tuple[float, float]:
    """s + e == a + b exactly, s = fl(a + b) (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def fast_two_sum(a: float, b: float) -> tuple[float, float]:
    """As two_sum, valid when |a| >= |b| (Dekker)."""
    s = a + b
    return s, b - (s - a)


def square_over(a: float, w: float) -> float:
    """a² / w as a float64 that is +inf beyond the float64 range (a variance scale² / W of data
    near 1e±154 and beyond), never Python's OverflowError of ``float(a) ** 2``."""
    with np.errstate(over="ignore"):
        return float(np.float64(a) * np.float64(a) / w)


def _block(x: np.ndarray, w: np.ndarray | None) -> tuple[float, float, float, float]:
    """Corrected two-pass moments of one block: (W, mean_hi, mean_lo, M2)."""
    if w is None:
        W = float(x.shape[0])
        m = float(x.sum()) / W
        d = x - m
        s = float(d.sum())
        m2 = float(d @ d) - s * s / W
    else:
        W = float(w.sum())
        m = float(w @ x) / W
        d = x - m
        wd = w * d
        s = float(wd.sum())
        m2 = float(wd @ d) - s * s / W
    hi, lo = fast_two_sum(m, s / W)
    return W, hi, lo, max(m2, 0.0)


def moments(x: np.ndarray, w: np.ndarray | None = None) -> tuple[float, float, float, float]:
    """(W, mean_hi, mean_lo, M2) of a 1-D float64 array, optionally weighted.

    Small arrays: the corrected two-pass algorithm on the whole array. Large arrays: one read of
    ``x`` from memory, block by block (:func:`_blocks`), then :func:`combine`. A NaN or inf
    anywhere makes the result non-finite (callers use that to validate lazily).
    """
    n = x.shape[0]
    if n <= 4 * BLOCK:
        if n <= 8192:  # below OpenBLAS's threading threshold for dot products
            return _block(x, w)
        with one_blas_thread():
            return _block(x, w)
    # A shift near the mean, from an evenly spaced sample of 1,024 values (no pass over x).
    shift = float(np.mean(x[:: max(1, n // 1024)]))
    with one_blas_thread():
        W, hi, lo, M2 = _blocks(x, w, shift)
    return combine(W, hi, lo, M2)


def _blocks(x: np.ndarray, w: np.ndarray | None, shift: float):
    """Per-block W, mean (as hi + lo) and M2 of blocks of :data:`BLOCK` rows, reading each
    block from memory once (the shifted-data algorithm of Chan, Golub & LeVeque, guarded):

        d = x − K,  s = Σ w d,  q = Σ w d²,  mean = K + s / W,  M2 = q − s² / W.

    K is ``shift`` (one value for every block, so the result does not depend on how the blocks
    are scheduled). When K is far from the block's mean (s² > W q / 16: trending or sorted
    data), the block, still in cache, is centred again on K + s / W: the corrected two-pass
    algorithm. Accepting only s² ≤ W q / 16 keeps M2 ≥ 15/16 q, which bounds the rounding error
    of M2 by ~1.6x that of the two-pass algorithm; E[x²] − E[x]² (K = 0) is never used on data
    whose mean is large against its spread.

    The mean is kept as hi = K, lo = s / W, never rounded to one double: rounding would move
    each block mean by up to half an ulp of the mean, which the between-block term of
    :func:`combine` turns into a relative M2 error of ~1e-10 when |mean| / sd ~ 1e9.
    Sums are BLAS dot products (with a vector of ones for plain sums): single-threaded ``ddot``
    is several times faster than ``ndarray.sum`` on data in cache. The centred block goes into
    one reused buffer: no temporary is allocated per block.
    """
    n, B = x.shape[0], BLOCK
    nb = -(-n // B)
    W, hi, lo, M2 = np.empty(nb), np.empty(nb), np.empty(nb), np.empty(nb)
    ones, d = np.ones(B), np.empty(B)
    wd = None if w is None else np.empty(B)
    for j in range(nb):
        xb = x[j * B : (j + 1) * B]
        k = xb.shape[0]
        o, dd = (ones, d) if k == B else (ones[:k], d[:k])
        if w is None:
            Wb = float(k)
            wdd = dd
        else:
            wb = w[j * B : (j + 1) * B]
            Wb = float(wb @ o)
            if Wb == 0.0:  # an all-zero-weight block adds nothing (combine drops it)
                W[j], hi[j], lo[j], M2[j] = 0.0, 0.0, 0.0, 0.0
                continue
            wdd = wd if k == B else wd[:k]
        K = shift
        for _ in range(2):
            np.subtract(xb, K, out=dd)
            if w is not None:
                np.multiply(wb, dd, out=wdd)
            s = float(wdd @ o)
            q = float(wdd @ dd)
            if not s * s > 0.0625 * Wb * q:  # accepted (NaN and inf pass through to the result)
                break
            K = K + s / Wb  # recentre on the block's own mean: the two-pass algorithm
        W[j], hi[j], lo[j], M2[j] = Wb, K, s / Wb, q - s * s / Wb
    return W, hi, lo, M2


def combine(W: np.ndarray, hi: np.ndarray, lo: np.ndarray, M2: np.ndarray) -> tuple[float, float, float, float]:
    """Combine many groups' moments at once (vectorised Chan–Golub–LeVeque):
    M2 = Σ M2ᵦ + Σ Wᵦ (meanᵦ − mean)², with the group means taken relative to a reference."""
    keep = W > 0
    W, hi, lo, M2 = W[keep], hi[keep], lo[keep], M2[keep]
    Wt = float(W.sum())
    ref = float(hi[0])
    dev = (hi - ref) + lo
    off = float(W @ dev) / Wt
    r = dev - off
    corr = float(W @ r)
    off += corr / Wt
    m2 = float(M2.sum()) + float(W @ (r * r)) - corr * corr / Wt
    mean_hi, mean_lo = two_sum(ref, off)
    return Wt, mean_hi, mean_lo, max(m2, 0.0)


def merge(a: tuple, b: tuple) -> tuple[float, float, float, float]:
    """Exact-as-possible merge of two (W, mean_hi, mean_lo, M2) tuples."""
    Wa, ha, la, Ma = a
    Wb, hb, lb, Mb = b
    if Wa == 0.0:
        return b
    if Wb == 0.0:
        return a
    W = Wa + Wb
    dh, dl = two_sum(hb, -ha)
    delta = dh + (dl + (lb - la))
    s, e = two_sum(ha, delta * (Wb / W))
    mean_hi, mean_lo = fast_two_sum(s, e + la)
    return W, mean_hi, mean_lo, Ma + Mb + delta * delta * (Wa * Wb / W)
