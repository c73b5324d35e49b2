"""The censored log-likelihood per row, as a family for the numerical engine.

    log L(θ | row) = log f(x)                 exact
                   = log F(b)                 left-censored   (X ≤ b)
                   = log S(a)                 right-censored  (X > a)
                   = log(F(b) − F(a))         interval-censored (a < X ≤ b)

Each term is evaluated only on its own rows: the rows are split by kind once, when the data are
prepared (:func:`segments`), instead of evaluating all four terms on every row and selecting.
Two layouts of the same rows:

* **segments** (JAX, any family): the rows sorted by kind into consecutive segments, each padded
  to a multiple of a granule (1/16 of the power of two above the row count, at least 16) with
  copies of its first row at weight 0. The segment sizes are part of the adapter (static
  shapes), and rounding them keeps the number of distinct compiled programs small: data sets
  of similar size and censoring share one. The pytree leaves: ``t`` (the point: x, b, a, a),
  ``t2`` (b on interval rows), ``pseudo`` (the start's pseudo-complete sample), ``row`` (the
  original row, for messages).
* **rows** (NumPy, a base family with ``log_prob_derivatives`` and ``logsf_derivatives``): an
  (n, 5) array [kind, t, t2, pseudo, row] sorted by kind (each term on a slice of its rows), fitted by the NumPy Newton kernel
  with the derivatives of log F and log(F(b) − F(a)) built from those of log S = s:

      log F = log1mexp(s),   ∇ = −r ∇s,   ∇² = −r ∇²s − r (1 + r) ∇s ∇sᵀ,   r = 1 / expm1(−s)
      log P = s_a + log1mexp(s_b − s_a),   α = S(a)/P = −1 / expm1(s_b − s_a),   β = α − 1
      ∇ log P = α ∇s_a − β ∇s_b,   ∇² log P = α (∇²s_a + ∇s_a ∇s_aᵀ) − β (∇²s_b + ∇s_b ∇s_bᵀ) − ∇ ∇ᵀ
"""

from __future__ import annotations

import numpy as np

from ._xp import jnp
from .censored import EXACT, INTERVAL, LEFT, RIGHT
from .families import Family
from .families.intervals import log1mexp, log_prob_between

NONE = 4  # a row whose bounds both fell outside the support: no information (contributes 0)
KINDS = (EXACT, LEFT, RIGHT, INTERVAL)


def _granule(n: int) -> int:
    return max(16, (1 << max(0, n - 1).bit_length()) // 16)


def segments(kind, t, t2, pseudo, weights):
    """The segment layout: (data pytree, weights (N,), sizes (4,) per kind in KINDS order).
    Padding rows have weight 0; rows of kind NONE come last, unpadded, with log-probability 0
    (they count in the total weight, as in the rows layout, but carry no information)."""
    w = np.ones(kind.shape[0]) if weights is None else np.asarray(weights, dtype=float)
    used = [np.flatnonzero(kind == k) for k in KINDS]
    g = _granule(sum(idx.size for idx in used))
    parts, sizes = [], []
    for idx in used:
        size = -(-idx.size // g) * g
        sizes.append(size)
        if size:
            parts.append((np.concatenate([idx, np.repeat(idx[:1], size - idx.size)]),
                          np.concatenate([w[idx], np.zeros(size - idx.size)])))
    none = np.flatnonzero(kind == NONE)
    parts.append((none, w[none]))
    rows = np.concatenate([p[0] for p in parts])
    wt = np.concatenate([p[1] for p in parts])
    data = dict(t=t[rows], t2=t2[rows], pseudo=pseudo[rows], row=rows)
    return data, wt, tuple(sizes)


def rows_array(kind, t, t2, pseudo):
    """The rows layout: (n, 5) [kind, t, t2, pseudo, row] sorted by kind (stable); ``row`` is the
    original row of each (for messages)."""
    order = np.argsort(kind, kind="stable")
    return np.stack([kind[order].astype(float), t[order], t2[order], pseudo[order], order.astype(float)], axis=1)


class CensoredFamily(Family):
    """Adapter: the censored log-likelihood of ``base`` per row (see the module docstring).
    ``sizes``: the segment sizes of the segment layout, or None for the rows layout."""

    name = "censored"
    is_adapter = True

    def __init__(self, base: Family, sizes: tuple | None = None):
        self.base = base
        self.sizes = None if sizes is None else tuple(int(s) for s in sizes)
        self.params = base.params
        self.support = base.support

    @property
    def display_name(self) -> str:
        return self.base.display_name

    def __repr__(self) -> str:
        return f"CensoredFamily({self.base!r}, sizes={self.sizes})"

    def __eq__(self, other) -> bool:
        return type(other) is CensoredFamily and (other.base, other.sizes) == (self.base, self.sizes)

    def __hash__(self) -> int:
        return hash((CensoredFamily, self.base, self.sizes))

    @property
    def has_derivatives(self) -> bool:
        return self.sizes is None and self.base.has_derivatives and self.base.has_logsf_derivatives

    def log_prob(self, params, data):
        fam = self.base
        if self.sizes is None:  # the rows layout: every term on every row (diagnostics only)
            kind, t, t2 = data[:, 0], data[:, 1], data[:, 2]
            terms = [fam.log_prob(params, t), fam.logcdf(params, t), fam.logsf(params, t),
                     log_prob_between(fam, params, t, t2, mask=kind == INTERVAL)]
            return jnp.select([kind == k for k in KINDS], terms, 0.0)
        t, t2 = data["t"], data["t2"]
        o = np.cumsum((0,) + self.sizes)
        terms = [fam.log_prob(params, t[o[0]:o[1]]), fam.logcdf(params, t[o[1]:o[2]]),
                 fam.logsf(params, t[o[2]:o[3]]), log_prob_between(fam, params, t[o[3]:o[4]], t2[o[3]:o[4]])]
        tail = t.shape[0] - int(o[4])  # rows without information, then the engine's padding (weight 0)
        return jnp.concatenate([jnp.asarray(v, dtype=t.dtype) for v in terms] + [jnp.zeros(tail, dtype=t.dtype)])

    def log_prob_derivatives(self, params, data):
        """NumPy (lp, d1, d2) of the rows layout (formulas in the module docstring)."""
        fam = self.base
        kind, t, t2 = data[:, 0], data[:, 1], data[:, 2]
        o = np.searchsorted(kind, np.arange(len(KINDS) + 2) - 0.5)  # segment starts: sorted by kind
        at = {k: slice(o[j], o[j + 1]) for j, k in enumerate(KINDS)}
        P, pieces = len(self.params), []
        if o[1] > o[0]:
            pieces.append(fam.log_prob_derivatives(params, t[at[EXACT]]))
        if o[2] > o[1]:
            s, g, h = fam.logsf_derivatives(params, t[at[LEFT]])
            r = 1.0 / np.expm1(-s)
            pieces.append((log1mexp(np.minimum(s, 0.0)), -r[:, None] * g,
                           -r[:, None, None] * h - (r * (1.0 + r))[:, None, None] * g[:, :, None] * g[:, None, :]))
        if o[3] > o[2]:
            pieces.append(fam.logsf_derivatives(params, t[at[RIGHT]]))
        if o[4] > o[3]:
            sa, ga, ha = fam.logsf_derivatives(params, t[at[INTERVAL]])
            sb, gb, hb = fam.logsf_derivatives(params, t2[at[INTERVAL]])
            d = np.minimum(sb - sa, 0.0)
            alpha = -1.0 / np.expm1(d)
            beta = alpha - 1.0
            g = alpha[:, None] * ga - beta[:, None] * gb
            pieces.append((sa + log1mexp(d), g,
                           alpha[:, None, None] * (ha + ga[:, :, None] * ga[:, None, :])
                           - beta[:, None, None] * (hb + gb[:, :, None] * gb[:, None, :]) - g[:, :, None] * g[:, None, :]))
        none = int(o[5] - o[4])  # rows without information: 0
        pieces.append((np.zeros(none), np.zeros((none, P)), np.zeros((none, P, P))))
        return tuple(np.concatenate([p[j] for p in pieces]) for j in range(3))

    def data_rows(self, data) -> np.ndarray:
        """The original row of each layout row (the engine names those in its messages)."""
        return (data[:, 4] if self.sizes is None else np.asarray(data["row"])).astype(int)

    def init(self, x, weights=None):
        pseudo = x[:, 3] if self.sizes is None else x["pseudo"]
        return self.base.init(np.asarray(pseudo), weights)

    def validate_data(self, x):
        return x


__all__ = ["CensoredFamily", "NONE", "rows_array", "segments"]
