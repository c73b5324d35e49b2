"""Weighted sample summaries used by ``init`` (moment-based starting points).

Every function takes data ``x`` (n,) and optional non-negative weights ``w`` (n,) and returns
NumPy floats. They serve starting points only; estimates themselves come from the likelihood.
"""

from __future__ import annotations

import numpy as np


def weights_or_ones(x: np.ndarray, w: np.ndarray | None) -> np.ndarray:
    return np.ones(x.shape[0]) if w is None else np.asarray(w, dtype=float)


def mean_var(x: np.ndarray, w: np.ndarray | None = None) -> tuple[float, float]:
    """Weighted mean Σwx/W and variance Σw(x − mean)²/W (two passes)."""
    w = weights_or_ones(x, w)
    W = w.sum()
    m = float(np.dot(w, x) / W)
    v = float(np.dot(w, (x - m) ** 2) / W)
    return m, v


def quantile(x: np.ndarray, w: np.ndarray | None, q: float) -> float:
    """Weighted quantile: the smallest x whose cumulative weight reaches q·W. Without weights the
    same definition (numpy's "inverted_cdf"), so that integer weights start a fit where repeated
    rows do (an interpolated quantile would not, and a multimodal likelihood — Student's t or the
    Cauchy on a few values — can then climb to another maximum)."""
    if w is None:
        return float(np.quantile(x, q, method="inverted_cdf"))
    order = np.argsort(x)
    cw = np.cumsum(np.asarray(w, dtype=float)[order])
    i = int(np.searchsorted(cw, q * cw[-1]))
    return float(x[order][min(i, len(x) - 1)])


def median_iqr(x: np.ndarray, w: np.ndarray | None = None) -> tuple[float, float]:
    """Weighted median and inter-quartile range."""
    return quantile(x, w, 0.5), quantile(x, w, 0.75) - quantile(x, w, 0.25)


def spread_floor(x: np.ndarray, v: float) -> float:
    """A positive stand-in for a zero spread (constant data), so starting points stay finite."""
    return v if v > 0 else (1e-8 * max(1.0, float(np.max(np.abs(x))))) ** 2
