"""Censored observations: each row known only to lie in [left, right].

fitdistrplus's interval convention (``fitdistcens``), one row per observation:

    left == right           exact observation x = left
    left missing (NaN/None) left-censored:  x ≤ right   (e.g. below a detection limit)
    right missing           right-censored: x > left    (e.g. still alive at the end of follow-up)
    left < right            interval-censored: left < x ≤ right

``Censored.from_events(time, observed)`` builds survival data (observed=False: right-censored at
``time``); ``Censored.from_frame(df, left="L", right="R")`` reads two columns of a DataFrame.
``maxlik.fit(Censored(...), family)`` fits it (:mod:`maxlik.censored_fit`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import row_label
from .errors import DataError

OWNER = "Censored"
EXACT, LEFT, RIGHT, INTERVAL = 0, 1, 2, 3
KIND_NAMES = ("exact", "left-censored", "right-censored", "interval-censored")


def _bounds(values, what: str) -> np.ndarray:
    """A 1-d float array with None -> NaN (the missing-bound marker)."""
    if hasattr(values, "to_numpy"):  # pandas / polars Series
        values = values.to_numpy()
    obj = np.asarray(values, dtype=object)
    try:
        arr = np.where(np.equal(obj, None), np.nan, obj).astype(float)
    except (TypeError, ValueError):
        raise DataError(f"{OWNER}: {what} must be numbers (NaN or None for a missing bound); got "
                        f"non-numeric values in {type(values).__name__}.") from None
    if arr.ndim != 1:
        raise DataError(f"{OWNER}: {what} must be one-dimensional (one bound per observation); got shape {arr.shape}.")
    return arr


@dataclass(frozen=True, eq=False)
class Censored:
    """Censored data: ``left``, ``right`` (n,) floats, NaN marking a missing bound.

    ``kind`` (n,) codes 0 exact, 1 left-, 2 right-, 3 interval-censored (``KIND_NAMES``).
    """

    left: np.ndarray
    right: np.ndarray

    def __init__(self, left, right):
        lo, hi = _bounds(left, "left"), _bounds(right, "right")
        if lo.shape != hi.shape:
            raise DataError(f"{OWNER}: left and right must have one bound each per observation; got "
                            f"{lo.shape[0]} left and {hi.shape[0]} right values.")
        if lo.size == 0:
            raise DataError(f"{OWNER}: data must have at least one observation; got 0 rows.")
        for name, a in (("left", lo), ("right", hi)):
            bad = np.isinf(a)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise DataError(
                    f"{OWNER}: {name} bounds must be finite numbers or NaN/None (missing); got {int(bad.sum())} "
                    f"infinite value(s) (first at {row_label(i)}: {a[i]}). Write a missing bound as NaN: "
                    f"left=NaN for 'at most right', right=NaN for 'more than left'.")
        both = np.isnan(lo) & np.isnan(hi)
        if both.any():
            i = int(np.flatnonzero(both)[0])
            raise DataError(f"{OWNER}: each row must have at least one bound; got {int(both.sum())} row(s) with both "
                            f"left and right missing (first at {row_label(i)}). Drop those rows: they carry no information.")
        with np.errstate(invalid="ignore"):
            swapped = lo > hi
        if swapped.any():
            i = int(np.flatnonzero(swapped)[0])
            raise DataError(f"{OWNER}: left must be <= right on every row; got {int(swapped.sum())} row(s) with "
                            f"left > right (first at {row_label(i)}: left={lo[i]:g}, right={hi[i]:g}). "
                            "Check the order of the two columns.")
        object.__setattr__(self, "left", lo)
        object.__setattr__(self, "right", hi)

    @classmethod
    def from_events(cls, time, observed) -> "Censored":
        """Survival data: ``time`` (n,) and ``observed`` (n,) booleans (1/0); an unobserved event
        is right-censored at its time (left = time, right = NaN)."""
        t = _bounds(time, "time")
        e = observed.to_numpy() if hasattr(observed, "to_numpy") else observed
        e = np.asarray(e)
        if e.shape != t.shape:
            raise DataError(f"{OWNER}.from_events: observed must have one value per time; got {e.shape[0] if e.ndim else 'a scalar'} "
                            f"values for {t.shape[0]} times.")
        values = e.tolist()
        bad = [i for i, v in enumerate(values) if v not in (0, 1)]  # True == 1 and False == 0
        if bad:
            raise DataError(f"{OWNER}.from_events: observed must be booleans or 0/1 (1 = the event happened); "
                            f"got {values[bad[0]]!r} at {row_label(bad[0])}. Code censored rows as 0 or False.")
        ok = np.asarray(values, dtype=float) == 1.0
        if np.isnan(t).any():
            i = int(np.flatnonzero(np.isnan(t))[0])
            raise DataError(f"{OWNER}.from_events: time must be finite; got NaN (first at {row_label(i)}). Drop those rows.")
        return cls(t, np.where(ok, t, np.nan))

    @classmethod
    def from_frame(cls, df, left: str = "left", right: str = "right") -> "Censored":
        """Two columns of a DataFrame (pandas, polars, or a dict of columns) as left and right bounds."""
        cols = list(df.columns) if hasattr(df, "columns") else list(df)
        for name in (left, right):
            if name not in cols:
                raise DataError(f"{OWNER}.from_frame: column {name!r} must be in the frame; got columns {cols}. "
                                f"Pass left=... and right=... with the names of the bound columns.")
        return cls(df[left], df[right])

    # -- views -----------------------------------------------------------------------------
    @property
    def n(self) -> int:
        return int(self.left.shape[0])

    def __len__(self) -> int:
        return self.n

    @property
    def kind(self) -> np.ndarray:
        """(n,) codes: 0 exact, 1 left-, 2 right-, 3 interval-censored."""
        lo_missing, hi_missing = np.isnan(self.left), np.isnan(self.right)
        return np.select([lo_missing, hi_missing, self.left == self.right], [LEFT, RIGHT, EXACT], INTERVAL)

    def counts(self) -> dict:
        """{"exact": k, "left-censored": k, ...}"""
        c = np.bincount(self.kind, minlength=4)
        return {name: int(k) for name, k in zip(KIND_NAMES, c)}

    def __repr__(self) -> str:
        return "Censored(" + ", ".join(f"{k}={v}" for k, v in self.counts().items()) + ")"
