"""Turnbull's nonparametric maximum likelihood estimate (NPMLE) of a distribution from censored data.

Each row of :class:`maxlik.Censored` is a set Aᵢ that holds the observation (fitdistrplus's
convention): {x} exact, (−∞, b] left-censored, (a, ∞) right-censored, (a, b] interval-censored.
The NPMLE puts all its mass on Turnbull's *innermost intervals* (Turnbull 1976, "equivalence
classes"): the sets (l, r] whose lower end l is a left end of some Aᵢ and whose upper end r is
the next end of any row, a right end. Inside an innermost interval the likelihood cannot tell
where the mass lies, so the NPMLE of F is a step function with non-unique parts: F is known
outside the intervals with mass and only bounded inside them (:meth:`NPMLE.cdf_bounds`).

Ends are ordered with ties broken as the sets require: at a value v, the left end of an exact
row {v} ("v⁻") < every right end v (closed, "]") < the left end of a censored row (open, "(v").
So an exact v lies in (a, v] but not in (v, b], as in survival's Surv(type="interval2").

The masses p (m,) maximise ℓ(p) = Σᵢ wᵢ log Σⱼ αᵢⱼ pⱼ (αᵢⱼ = 1 when interval j ⊂ Aᵢ) on the
simplex, by Turnbull's self-consistency EM

    pⱼ ← pⱼ dⱼ(p),    dⱼ(p) = (1/W) Σᵢ wᵢ αᵢⱼ / Σₖ αᵢₖ pₖ,    W = Σᵢ wᵢ.

Each Aᵢ covers a contiguous run of intervals, so both sums are cumulative sums, O(n + m) per
step. The iteration stops when max_j dⱼ − 1 < tol: by concavity ℓ(p̂) − ℓ(p) ≤ W (max_j dⱼ − 1),
so the log-likelihood is then within W·tol of the maximum (Gentleman & Geyer 1994's condition:
dⱼ ≤ 1 for all j, = 1 where pⱼ > 0). EM shrinks a mass that belongs at 0 only geometrically
(by dⱼ < 1 per step), so masses below ``drop`` (1e-8) are then set to 0.

Exact data reduce to the empirical distribution, right-censored data to Kaplan–Meier.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import as_weights
from .censored import EXACT, LEFT, RIGHT, Censored
from .errors import DataError

OWNER = "npmle"
_POINT, _CLOSED, _OPEN = 0, 1, 2  # tie order of ends at one value: v⁻ (exact row's left), v], (v


@dataclass(frozen=True)
class NPMLE:
    """Turnbull's NPMLE: intervals ``(left, right]`` (m,) sorted, a point {v} where left == right,
    with masses ``mass`` (m,) summing to 1 (only intervals with positive mass are kept).

    ``loglik`` ℓ(p̂) = Σᵢ wᵢ log P̂(Aᵢ); ``n_iter`` EM steps; ``converged`` max dⱼ − 1 < tol;
    ``gap`` = max dⱼ − 1 at the end (≥ 0 up to rounding).
    """

    left: np.ndarray
    right: np.ndarray
    mass: np.ndarray
    loglik: float
    n_iter: int
    converged: bool
    gap: float

    @property
    def is_point(self) -> np.ndarray:
        """(m,) True where the interval is a single point (the NPMLE is unique there)."""
        return self.left == self.right

    @property
    def cdf_before(self) -> np.ndarray:
        """(m,) F̂ just below interval j: the mass of the intervals before it."""
        return np.concatenate([[0.0], np.cumsum(self.mass)[:-1]])

    @property
    def cdf_after(self) -> np.ndarray:
        """(m,) F̂ at the top of interval j: the mass up to and including it."""
        return np.cumsum(self.mass)

    def cdf_bounds(self, x) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper) bounds of F(x) over every NPMLE: lower = mass of intervals wholly ≤ x
        (r ≤ x), upper = mass of intervals with some point ≤ x (l < x, or l ≤ x for a point).
        Equal outside the intervals with mass."""
        x = np.asarray(x, dtype=float)[..., None]
        lower = (self.mass * (self.right <= x)).sum(-1)
        reach = np.where(self.is_point, self.left <= x, self.left < x)
        return lower, np.minimum((self.mass * reach).sum(-1), 1.0)

    def sf_bounds(self, x) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper) bounds of S(x) = 1 − F(x)."""
        lo, hi = self.cdf_bounds(x)
        return 1.0 - hi, 1.0 - lo


def _keys(data: Censored) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The ends of every row as (value, tie) pairs: its left end and its right end."""
    kind = data.kind
    lv = np.where(kind == LEFT, -np.inf, data.left)
    lt = np.where(kind == EXACT, _POINT, _OPEN)
    rv = np.where(kind == RIGHT, np.inf, data.right)
    return lv, lt, rv, np.full(rv.shape, _CLOSED)


def innermost_intervals(data: Censored):
    """Turnbull's innermost intervals of ``data`` and, per row, the run [start, stop) of intervals
    inside it: returns (left (m,), right (m,), start (n,), stop (n,))."""
    lv, lt, rv, rt = _keys(data)
    vals, ties = np.concatenate([lv, rv]), np.concatenate([lt, rt])
    order = np.lexsort((ties, vals))
    v, t = vals[order], ties[order]
    new = np.concatenate([[True], (v[1:] != v[:-1]) | (t[1:] != t[:-1])])
    v, t = v[new], t[new]  # the distinct ends, sorted
    rank = np.empty(vals.size, dtype=np.int64)
    rank[order] = np.cumsum(new) - 1
    is_left = t != _CLOSED
    k = np.flatnonzero(is_left[:-1] & ~is_left[1:])  # a left end followed at once by a right end
    n = data.n
    start = np.searchsorted(k, rank[:n], side="left")  # first interval whose lower end ≥ Lᵢ
    stop = np.searchsorted(k + 1, rank[n:], side="right")  # past the last whose upper end ≤ Rᵢ
    return v[k], v[k + 1], start, stop


def npmle(data: Censored, *, weights=None, tol: float = 1e-10, max_iter: int = 100_000,
             drop: float = 1e-8) -> NPMLE:
    """Turnbull's NPMLE of the distribution of censored ``data`` (see the module docstring).

    ``weights`` (n,) observation weights (frequencies); ``tol`` the stopping gap max dⱼ − 1;
    ``max_iter`` EM steps at most (``converged=False`` past it); ``drop`` masses below it are 0.
    """
    if not isinstance(data, Censored):
        raise DataError(f"{OWNER}: data must be maxlik.Censored(left, right); got {type(data).__name__}. "
                        "Wrap exact values as Censored(x, x).")
    w = as_weights(weights, data.n, OWNER)
    w = np.ones(data.n) if w is None else w
    left, right, start, stop = innermost_intervals(data)
    keep = w > 0
    w, start, stop = w[keep], start[keep], stop[keep]
    m, total = left.size, w.sum()
    p = np.full(m, 1.0 / m)
    converged, it, gap = False, 0, np.inf
    for it in range(1, max_iter + 1):
        c = np.concatenate([[0.0], np.cumsum(p)])
        v = w / (c[stop] - c[start])
        d = np.cumsum(np.bincount(start, v, minlength=m + 1) - np.bincount(stop, v, minlength=m + 1))[:m] / total
        gap = float(d.max() - 1.0)
        if gap < tol:
            converged = True
            break
        p = p * d
        p /= p.sum()
    p = np.where(p < drop, 0.0, p)
    p /= p.sum()
    c = np.concatenate([[0.0], np.cumsum(p)])
    loglik = float(np.sum(w * np.log(c[stop] - c[start])))
    pos = p > 0
    return NPMLE(left=left[pos], right=right[pos], mass=p[pos], loglik=loglik, n_iter=it,
                 converged=converged, gap=gap)
