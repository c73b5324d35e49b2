"""The estimators' ``fit`` on a data source: which inputs are sources, and the checks every
streamed fit shares.

``est.fit(src)`` takes, wherever it takes arrays,

* a :func:`maxlik.scan` of files, with the label / response column named by
  ``scan(..., target="y")``, by ``fit(src, target="y")`` or as ``fit(src, "y")``, and weights
  by ``scan(..., weights="w")`` or ``fit(src, sample_weight="w")``;
* a ``dask.array`` X (n, d) with y and ``sample_weight`` as Dask or NumPy arrays of length n;
* a Dask DataFrame with ``target="col"`` (and ``sample_weight="col"``): X is its other numeric
  columns (select columns first, ``frame[[...]]``, to use fewer).

The feature names are the source's columns. Chunks arrive as :class:`~maxlik.sources.Chunk`
(x (m,) or (m, d), y (m,) or None, w (m,) or None); :func:`design` gives x as (m, d).
"""

from __future__ import annotations

import numpy as np

from ..errors import DataError, ParameterError
from ..sources import Chunk, Source, as_source, is_source
from ._names import set_feature_names


def source_of(owner: str, X, y=None, sample_weight=None, target=None, *, needs_target: bool = True) -> Source | None:
    """``X`` (with ``y`` / ``sample_weight`` / ``target``) as a :class:`Source`, or None when X is
    in-memory data (the caller's array path). A fit that needs labels or a response gets a
    DataError when the source has none."""
    if not is_source(X):
        if target is not None:
            raise ParameterError(f"{owner}: target must be used with a data source (maxlik.scan or a Dask "
                                 f"collection); got target={target!r} with {type(X).__name__} data. Pass y instead.")
        return None
    if isinstance(y, str):
        if target is not None and target != y:
            raise ParameterError(f"{owner}: the target column must be given once; got y={y!r} and target={target!r}.")
        y, target = None, y
    if isinstance(X, Source) or not _is_dask_array(X):
        if y is not None:
            raise DataError(f"{owner}: y must be a column name for data read from files or a Dask DataFrame; got "
                            f"{type(y).__name__}. Pass target='label' (the column holding the labels / response).")
        if sample_weight is not None and not isinstance(sample_weight, str):
            raise DataError(f"{owner}: sample_weight must be a column name for this source; got "
                            f"{type(sample_weight).__name__}. Pass sample_weight='w', or scan(..., weights='w').")
        if isinstance(X, Source):
            src = X.with_roles(target=target, weights=sample_weight) if (target or sample_weight) else X
        else:
            src = as_source(X, target=target, weights=sample_weight, owner=owner)
    else:  # a Dask array: y and sample_weight are arrays
        if target is not None:
            raise ParameterError(f"{owner}: target must name a column, which a Dask array has not; got "
                                 f"target={target!r}. Pass y as a Dask or NumPy array.")
        if isinstance(sample_weight, str):
            raise ParameterError(f"{owner}: sample_weight must be an array for a Dask array X; got the name "
                                 f"{sample_weight!r}. Pass a Dask or NumPy array of one weight per row.")
        src = as_source(X, target=y, weights=sample_weight, owner=owner)
    src = src.for_task(f"{owner}.fit")
    if needs_target and src.target is None:
        raise DataError(f"{owner}: the target (labels / response) must be given for a fit on {src.describe()}; got none. "
                        "Pass target='column' (or scan(..., target='column')), or y for a Dask array.")
    return src


def _is_dask_array(X) -> bool:
    import dask.array as da

    return isinstance(X, da.Array)


def adopt_columns(est, src: Source) -> int:
    """Set ``n_features_in_`` and the feature names (the source's columns) on ``est``; returns d."""
    for attr in ("feature_names_in_",):
        if hasattr(est, attr):
            delattr(est, attr)
    d = len(src.columns)
    est.n_features_in_ = d
    set_feature_names(est, list(src.columns), d)
    return d


def design(c: Chunk) -> np.ndarray:
    """The chunk's x as (m, d)."""
    return c.x[:, None] if c.x.ndim == 1 else c.x


def first(a, b):
    """Merge two (count, place, value) findings in row order (None: nothing found)."""
    if a is None or b is None:
        return a if b is None else b
    return a[0] + b[0], a[1], a[2]


def bad_rows(c: Chunk, values: np.ndarray, ok: np.ndarray):
    """(count, place, value shown) of the rows where ``ok`` (m,) is False, or None."""
    if ok.all():
        return None
    i = int(np.flatnonzero(~ok)[0])
    v = values[i]
    shown = f"{v:g}" if np.ndim(v) == 0 and isinstance(v, (float, np.floating, int, np.integer)) else (
        np.array2string(np.asarray(v), precision=4) if np.ndim(v) else repr(v))
    return int((~ok).sum()), c.place(i), shown


def check_chunk(c: Chunk):
    """Findings of one chunk: non-finite x rows, non-finite or negative weights: (bad_x, bad_w)."""
    X = design(c)
    with np.errstate(over="ignore", invalid="ignore"):
        clean = np.isfinite(X.sum())  # one reduction; NaN / inf anywhere (or an overflow) make it non-finite
    bad_x = None if clean else bad_rows(c, X, np.isfinite(X).all(axis=1))
    bad_w = None if c.w is None else bad_rows(c, c.w, np.isfinite(c.w) & (c.w >= 0))
    return bad_x, bad_w


def checked_pass(owner: str, src: Source, part):
    """``src.map_reduce(part)`` for a pass whose merged result carries ``count``, ``weight``,
    ``bad_x`` and ``bad_w``: no rows, bad X values and bad weights are raised here."""
    p = src.map_reduce(part)
    if p is None:
        raise DataError(f"{owner}: data must contain at least one row; got none in {src.describe()}.")
    raise_findings(owner, src, p.count, p.weight, p.bad_x, p.bad_w)
    return p


def raise_findings(owner: str, src: Source, count: int, weight: float, bad_x, bad_w, what="X") -> None:
    """The shared errors of a first pass: no rows, non-finite data, bad or all-zero weights."""
    if count == 0:
        raise DataError(f"{owner}: data must contain at least one row; got none in {src.describe()}.")
    if bad_x is not None:
        n, place, value = bad_x
        raise DataError(f"{owner}: {what} must be finite; got {n:,} row(s) with NaN or inf (first at {place}: {value}) "
                        f"in {src.describe()}. Drop or impute those rows.")
    if bad_w is not None:
        n, place, value = bad_w
        raise DataError(f"{owner}: sample_weight must be finite and non-negative; got {n:,} value(s) that are not "
                        f"(first at {place}: {value}). Replace them with 0 to drop those rows.")
    if not weight > 0:
        raise DataError(f"{owner}: sample_weight must not all be zero; got {count:,} zero weights in {src.describe()}.")



class _ScorePass:
    """Σw, Σw·[ŷ = y] (classifiers) or Σw, weighted mean and scatter of y, Σw(y − ŷ)² (regressors)."""

    def __init__(self, weight, hits, mean, m2, ssr):
        self.weight, self.hits, self.mean, self.m2, self.ssr = weight, hits, mean, m2, ssr

    def merge(self, o: "_ScorePass") -> "_ScorePass":
        W = self.weight + o.weight
        f = o.weight / W if W > 0 else 0.0
        delta = o.mean - self.mean
        return _ScorePass(W, self.hits + o.hits, self.mean + f * delta, self.m2 + o.m2 + delta * delta * self.weight * f,
                          self.ssr + o.ssr)


class SourceScore:
    """Mixin: ``score(X, y, sample_weight)`` also on a data source, in one pass — the accuracy
    of a classifier, R² of a regressor (scikit-learn's definitions, weighted)."""

    def score(self, X, y=None, sample_weight=None, *, target=None):
        src = source_of(type(self).__name__, X, y, sample_weight, target)
        if src is None:
            return super().score(X, y, sample_weight=sample_weight)
        from sklearn.base import is_classifier

        classify = is_classifier(self)

        def part(c: Chunk):
            if len(c.x) == 0:
                return None
            w = np.ones(len(c.x)) if c.w is None else c.w
            pred = self.predict(design(c))
            if classify:
                return _ScorePass(float(w.sum()), float(w @ (pred == c.y)), 0.0, 0.0, 0.0)
            y = np.asarray(c.y, dtype=float)
            W = float(w.sum())
            mean = float(w @ y) / W if W > 0 else 0.0
            return _ScorePass(W, 0.0, mean, float(w @ (y - mean) ** 2), float(w @ (y - pred) ** 2))

        p = src.map_reduce(part)
        if p is None or not p.weight > 0:
            raise DataError(f"{type(self).__name__}: score needs rows with positive weight; got none in {src.describe()}.")
        if classify:
            return p.hits / p.weight
        return 1.0 - p.ssr / p.m2 if p.m2 > 0 else (1.0 if p.ssr == 0 else 0.0)


__all__ = ["SourceScore", "adopt_columns", "bad_rows", "check_chunk", "design", "first", "raise_findings", "source_of"]
