"""Class labels: sorted distinct labels, each row's class index, and continuous values that are
not labels (shared by the classifiers' in-memory and streamed fits)."""

from __future__ import annotations

import numpy as np


def sorted_labels(y: np.ndarray) -> np.ndarray:
    """np.unique(y); integer labels in a small range by counting (a pass instead of a hash)."""
    if y.size and y.dtype.kind in "biu":
        lo, hi = int(y.min()), int(y.max())
        if hi - lo <= 4 * y.size:
            return (np.flatnonzero(np.bincount(y.astype(np.int64, copy=False) - lo)) + lo).astype(y.dtype)
    return np.unique(y)


def class_index(y: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Position of each label of y (n,) in the sorted ``classes`` as a small integer array; −1
    for a label not among them. Integer labels in a small range use a lookup table (one gather
    instead of a binary search per row)."""
    small = np.min_scalar_type(-classes.size)  # int8 up to 127 classes: a fast radix sort later
    if y.size and y.dtype.kind in "biu" and classes.dtype.kind in "biu":
        lo, hi = int(min(y.min(), classes.min())), int(max(y.max(), classes.max()))
        if hi - lo <= 4 * (y.size + classes.size):
            table = np.full(hi - lo + 1, -1, dtype=small)
            table[classes.astype(np.int64) - lo] = np.arange(classes.size)
            return table[y.astype(np.int64, copy=False) - lo]
    pos = np.minimum(np.searchsorted(classes, y), classes.size - 1)
    return np.where(classes[pos] == y, pos, -1).astype(small)


def continuous_labels(c):
    """(count, place, value) of a chunk's non-integer numeric labels (a regression target, not classes)."""
    y = c.y
    if y.dtype.kind != "f":
        return None
    bad = ~(np.isfinite(y) & (y == np.round(y)))
    if not bad.any():
        return None
    i = int(np.flatnonzero(bad)[0])
    return int(bad.sum()), c.place(i), f"{y[i]:g}"
