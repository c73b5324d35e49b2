"""ppf and isf of a discrete family on the integers: the smallest integer k with cdf(k) ≥ q (or
sf(k) ≤ q), found by an exponential search from the normal approximation mean ± sd · Φ⁻¹(q) to a
bracket, then bisection (O(log |k − guess|) evaluations of the cdf), elementwise over arrays."""

from __future__ import annotations

import numpy as np


def smallest_integer(pred, guess, low, high) -> np.ndarray:
    """The smallest integer k in [low, high] with ``pred(k)`` True, for a predicate that is False
    then True along the integers (True at ``high``), elementwise over the broadcast arrays: an
    exponential search from ``guess`` (a float array, e.g. a normal approximation) to a bracket,
    then bisection; O(log |k − guess|) evaluations of ``pred``."""
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    guess = np.asarray(guess, dtype=float)
    guess = np.where(np.isfinite(guess), guess, low)
    hi = np.clip(np.floor(guess), low, np.minimum(high, 2.0**62))
    step = np.ones_like(hi)
    for _ in range(200):  # hi: pred(hi) True (or hi = high)
        up = ~pred(hi) & (hi < high)
        if not up.any():
            break
        hi = np.where(up, np.minimum(hi + step, high), hi)
        step = np.where(up, 2.0 * step, step)
    lo = hi - 1.0
    step = np.ones_like(lo)
    for _ in range(200):  # lo: pred(lo) False (or lo = low − 1)
        down = (lo >= low) & pred(np.maximum(lo, low))
        if not down.any():
            break
        hi = np.where(down, lo, hi)
        lo = np.where(down, np.maximum(lo - step, low - 1.0), lo)
        step = np.where(down, 2.0 * step, step)
    for _ in range(200):  # bisection on lo < k ≤ hi
        wide = hi - lo > 1.0
        if not wide.any():
            break
        mid = np.floor(0.5 * (lo + hi))
        ok = pred(mid)
        hi = np.where(wide & ok, mid, hi)
        lo = np.where(wide & ~ok, mid, lo)
    return hi


def discrete_quantiles(family, params: dict, q: np.ndarray, low, high, upper: bool) -> np.ndarray:
    """ppf (``upper=False``: the smallest k with cdf(k) ≥ q) or isf (``upper=True``: the smallest
    k with sf(k) ≤ q) of a discrete family on the integers low … high, as scipy: ppf(0) = isf(1)
    = low − 1, ppf(1) = isf(0) = high. The search starts at the normal approximation
    mean ± sd · Φ⁻¹(q)."""
    import scipy.special

    arrays = np.broadcast_arrays(q, *(np.asarray(v, dtype=float) for v in params.values()))
    q, p = arrays[0], dict(zip(params, arrays[1:]))
    mean, sd = np.asarray(family._mean(p), dtype=float), np.sqrt(np.asarray(family._var(p), dtype=float))
    z = scipy.special.ndtri(np.clip(q, 1e-300, 1.0 - 1e-16))
    guess = mean + (-sd if upper else sd) * z
    if upper:
        pred = lambda k: family._sf(p, k) <= q  # noqa: E731
        edge_low, edge_high = q == 1.0, q == 0.0
    else:
        pred = lambda k: family._cdf(p, k) >= q  # noqa: E731
        edge_low, edge_high = q == 0.0, q == 1.0
    k = smallest_integer(pred, guess, low, high)
    k = np.where(edge_low, np.asarray(low, dtype=float) - 1.0, k)
    return np.where(edge_high, np.asarray(high, dtype=float), k)
