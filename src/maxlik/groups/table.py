"""GroupFits: the table that :func:`maxlik.fit_groups` returns, one row per group.

Columns (arrays of length G, rows in sorted label order):

    group                the label
    <param>, <param>_se  each parameter's estimate and standard error (NaN: fixed, or none exists;
                         a vector or matrix parameter is a column of arrays, None where absent)
    loglik, n, weight    ℓ(θ̂) of the group, its rows and Σ w
    converged, message   whether the group was fitted, and how (or why not: maxlik.fit's error)

``fits[label]`` is that group's ordinary :class:`maxlik.FitResult` (built on first use; for a
group that could not be fitted it raises the error maxlik.fit raises on that group's rows).
``len(fits)`` is the number of groups; iterating yields the labels (as a mapping does).
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from ..errors import MaxlikError, ParameterError

WIDTH = 80


def _unpickle(family, labels, params, stderr, loglik, n, weight, converged, message, fits, fixed) -> "GroupFits":
    def fit_of(j):
        if isinstance(fits[j], Exception):
            raise type(fits[j])(str(fits[j]))
        return fits[j]

    return GroupFits(family, labels, params, stderr, loglik, n, weight, converged, message, fit_of, fixed)


def _label(v):
    """A label as a Python value (np.str_('a') -> 'a')."""
    return v.item() if isinstance(v, np.generic) else v


class GroupFits:
    def __init__(self, family, labels: np.ndarray, params: dict, stderr: dict, loglik, n, weight, converged,
                 message, fit_of: Callable[[int], object], fixed: tuple = ()):
        self.family = family
        self.labels = labels
        self.params, self.stderr = params, stderr
        self.loglik, self.n, self.weight = loglik, n, weight
        self.converged, self.message = converged, message
        self.fixed = fixed
        self._fit_of = fit_of
        self._lookup = None  # label -> row, built on first look-up

    def __reduce__(self):
        """pickle / joblib: every group's FitResult (or its error) in place of the closure over the data."""
        fits = []
        for j in range(len(self)):
            try:
                fits.append(self._fit_of(j))
            except MaxlikError as exc:  # the error maxlik.fit raised on that group: raised again on look-up
                fits.append(exc)
        return _unpickle, (self.family, self.labels, self.params, self.stderr, self.loglik, self.n, self.weight,
                           self.converged, self.message, fits, self.fixed)

    # -- mapping ------------------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self.labels.shape[0])

    def __iter__(self):
        return iter(self.labels.tolist())

    @property
    def _index(self) -> dict:
        if self._lookup is None:
            self._lookup = dict(zip(self.labels.tolist(), range(len(self))))
        return self._lookup

    def __contains__(self, label) -> bool:
        return _key(label) in self._index

    def __getitem__(self, label):
        """The FitResult of group ``label`` (as ``maxlik.fit`` on that group's rows gives it)."""
        j = self._index.get(_key(label))
        if j is None:
            shown = ", ".join(map(repr, self.labels[:5].tolist())) + (", ..." if len(self) > 5 else "")
            raise KeyError(f"GroupFits: label must be one of the groups ({shown}); got {label!r}.")
        return self._fit_of(j)

    def items(self):
        return ((v, self[v]) for v in self)

    # -- columns ------------------------------------------------------------------------------
    @property
    def columns(self) -> dict:
        """Column name -> array (G,), in table order."""
        out = {"group": self.labels}
        for k in self.family.param_names:
            out[k] = self.params[k]
            out[f"{k}_se"] = self.stderr[k]
        out.update(loglik=self.loglik, n=self.n, weight=self.weight, converged=self.converged, message=self.message)
        return out

    def to_pandas(self):
        import pandas as pd

        return pd.DataFrame({k: (v.tolist() if k == "group" and v.dtype == object else v) for k, v in self.columns.items()})

    def to_polars(self):
        import polars as pl

        return pl.DataFrame({k: _listed(v) for k, v in self.columns.items()})

    def to_arrow(self):
        import pyarrow as pa

        return pa.table({k: _listed(v) for k, v in self.columns.items()})

    def to_records(self) -> list[dict]:
        """One dict per group, JSON-ready (NaN becomes None)."""
        cols = self.columns
        out = []
        for j in range(len(self)):
            row = {}
            for k, v in cols.items():
                item = v[j].item() if isinstance(v[j], np.generic) else v[j]
                item = item.tolist() if isinstance(item, np.ndarray) else item
                row[k] = None if isinstance(item, float) and not math.isfinite(item) else item
            out.append(row)
        return out

    # -- display ------------------------------------------------------------------------------
    def summary(self, max_rows: int = 20) -> str:
        """A text table at most 80 columns wide: one row per group (the first and last
        ``max_rows // 2`` when there are more), each parameter as "estimate (se)"; the columns are
        wrapped into blocks when they do not fit, each block repeating the group column."""
        G = len(self)
        shown = list(range(G)) if G <= max_rows else [*range(max_rows // 2), None, *range(G - max_rows // 2, G)]
        group = ["group"] + ["..." if j is None else str(_label(self.labels[j]))[:16] for j in shown]
        cols = []
        for k in self.family.param_names:
            cells = [k] + ["" if j is None else _cell(self.params[k][j], self.stderr[k][j]) for j in shown]
            cols.append(cells)
        cols.append(["loglik"] + ["" if j is None else f"{self.loglik[j]:.6g}" for j in shown])
        cols.append(["n"] + ["" if j is None else str(int(self.n[j])) for j in shown])
        cols.append(["ok"] + ["" if j is None else ("yes" if self.converged[j] else "NO") for j in shown])
        gw = max(map(len, group))
        widths = [max(map(len, c)) for c in cols]
        blocks, cur, used = [], [], gw
        for i, w in enumerate(widths):
            if cur and used + 2 + w > WIDTH:
                blocks.append(cur)
                cur, used = [], gw
            cur.append(i)
            used += 2 + w
        blocks.append(cur)
        failed = int(G - np.count_nonzero(self.converged))
        lines = [f"GroupFits: {self.family!r}, {G} groups, {failed} not fitted"[:WIDTH]]
        for block in blocks:
            lines.append("")
            for r in range(len(group)):
                parts = [group[r].ljust(gw)] + [cols[i][r].rjust(widths[i]) for i in block]
                lines.append("  ".join(parts).rstrip())
        if failed:
            j = int(np.flatnonzero(~self.converged)[0])
            first = f"first not fitted: {_label(self.labels[j])}: {self.message[j]}"
            lines += [""] + [first[i : i + WIDTH] for i in range(0, len(first), WIDTH)]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()


def _listed(column: np.ndarray):
    """A column for Arrow / polars: numbers as the array, labels, messages and vector estimates
    as Python lists (nested lists for arrays)."""
    if column.dtype != object and column.dtype.kind not in "US":
        return column
    return [v.tolist() if isinstance(v, (np.ndarray, np.generic)) else v for v in column]


def _cell(est, se) -> str:
    if est is None or np.ndim(est):  # a vector or matrix estimate: its shape (fits[label] has it)
        return "-" if est is None else f"array{tuple(np.shape(est))}"
    if not math.isfinite(est):
        return "-"
    return f"{est:.5g}" + ("" if not math.isfinite(se) else f" ({se:.2g})")


def _key(label):
    """Hashable look-up key: NumPy scalars as Python values (np.int64(3) and 3 find one group)."""
    if isinstance(label, np.generic):
        return label.item()
    if isinstance(label, (list, dict, set)):
        raise ParameterError(f"GroupFits: label must be hashable (a number or a string); got {type(label).__name__}.")
    return label
