"""Starting points of :func:`maxlik.optimize.fit_numerical`, checked: each value inside its
parameter's constraint, and the log-density finite there for every row of positive weight (an
array's, or a source's as found in one pass); else a ParameterError naming the value or the row."""

from __future__ import annotations

import warnings

import numpy as np

from .._validation import row_label, scalar_value
from .._xp import jnp
from ..errors import ParameterError


def _fmt_params(params: dict) -> str:
    def show(v):
        a = np.asarray(v, dtype=float)
        return f"{float(a):.6g}" if a.ndim == 0 else np.array2string(a, precision=6, threshold=8)

    return "{" + ", ".join(f"{k!r}: {show(v)}" for k, v in params.items()) + "}"


def check_start(family, start: dict, owner: str) -> dict:
    """Every start value inside its constraint; else ParameterError naming it."""
    out = {}
    for name, value in start.items():
        arr = scalar_value(family.param(name), np.asarray(value, dtype=float), owner, "starting value of", "init")
        c = family.param(name).constraint
        if not np.all(c.check(arr)):
            shown = f"{float(arr):g}" if arr.ndim == 0 else np.array2string(arr, precision=6, threshold=8)
            raise ParameterError(
                f"{owner}: starting value of `{name}` must be {c.describe()}; got {shown}. "
                f"Pass init={{'{name}': ...}} with a value inside the domain."
            )
        out[name] = arr
    return out


def check_finite_start(family, start: dict, data, w, owner: str, lp=None) -> None:
    """The log-density must be finite at the start for every observation with weight > 0
    (``lp``: the log-densities there, when already computed)."""
    if lp is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lp = family.log_prob({k: jnp.asarray(v) for k, v in start.items()}, data)
    lp = np.asarray(lp, dtype=float)
    bad = ~np.isfinite(lp) if w is None else ~np.isfinite(lp) & (np.asarray(w) > 0)
    if bad.any():
        # an adapter that reorders rows (a censored fit's layout) names the data's own rows
        rows = family.data_rows(data) if hasattr(family, "data_rows") else np.arange(lp.shape[0])
        at = np.flatnonzero(bad)
        j = int(at[np.argmin(rows[at])])
        i, count = int(rows[j]), int(np.unique(rows[at]).size)
        raise ParameterError(
            f"{owner}: the log-density must be finite at the starting point; got {count} "
            f"non-finite value(s) (first at {row_label(i)}: {lp[j]}) at params {_fmt_params(start)}. "
            "Pass init= with values nearer the data, or check that log_prob is defined on the data."
        )


def raise_nonfinite_start(found, start: dict, owner: str) -> None:
    """The streamed form of :func:`check_finite_start`: ``found`` = (count, place, value) or None."""
    if found is None:
        return
    count, place, value = found
    raise ParameterError(
        f"{owner}: the log-density must be finite at the starting point; got {count} non-finite value(s) "
        f"(first at {place}: {value}) at params {_fmt_params(start)}. "
        "Pass init= with values nearer the data, or check that log_prob is defined on the data."
    )
