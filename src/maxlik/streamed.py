"""``maxlik.fit`` on a data source read in passes (``maxlik.scan`` files, Dask collections).

The same estimates as the in-memory fit, in memory bounded by the chunk size:

* closed-form families and Gamma: one pass of sufficient statistics, merged exactly
  (``Stats.merge``), then the in-memory closed form on the merged statistics;
* every other family: one pass for the row count, the total weight and the data's validity,
  one for an evenly strided sample (the start, from ``family.init``), then Newton with each
  step's log-likelihood, gradient and Hessian summed over the chunks (one pass per evaluation;
  :mod:`maxlik.optimize._stream_kernel`).

Invalid values anywhere are counted over the whole data and the first is named by its file and
line / row; no result is returned from a partly read source.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .errors import DataError, ParameterError
from .families import Family, Stats
from .results import FitResult
from .sources import Chunk, Source, working_on
from .stats_fit import CLOSED_FORM, check_fixed, result_from_stats


def _invalid_rows(family: Family, c: Chunk):
    """(count of NaN / inf / out-of-support rows, first place, its value) of a chunk, or None."""
    x = c.x
    if family.event_ndim == 1 and x.ndim == 1:
        x = x[:, None]
    finite = np.isfinite(x) if x.ndim == 1 else np.isfinite(x).all(axis=1)
    with np.errstate(invalid="ignore"):
        inside = np.asarray(family.support.check(np.where(np.isfinite(x), x, 0.0)), dtype=bool)
    if inside.ndim > 1:
        inside = inside.all(axis=1)
    bad = ~(finite & inside)
    if not bad.any():
        return None
    i = int(np.flatnonzero(bad)[0])
    value = x[i]
    shown = f"{float(value):g}" if np.ndim(value) == 0 else np.array2string(np.asarray(value), precision=4)
    return int(bad.sum()), c.place(i), shown


def _invalid_weights(c: Chunk):
    if c.w is None:
        return None
    bad = ~np.isfinite(c.w) | (c.w < 0)
    if not bad.any():
        return None
    i = int(np.flatnonzero(bad)[0])
    return int(bad.sum()), c.place(i), f"{c.w[i]:g}"


def _first(a, b):
    """Merge (count, first place, value) findings in row order."""
    if a is None or b is None:
        return a if b is None else b
    return a[0] + b[0], a[1], a[2]


class _Pass:
    """One pass's merged result: statistics (or row/weight totals) plus bad-row findings."""

    def __init__(self, value, count, weight, bad_x, bad_w):
        self.value, self.count, self.weight, self.bad_x, self.bad_w = value, count, weight, bad_x, bad_w

    def merge(self, other: "_Pass") -> "_Pass":
        from .sources import merge

        return _Pass(merge(self.value, other.value), self.count + other.count, self.weight + other.weight,
                     _first(self.bad_x, other.bad_x), _first(self.bad_w, other.bad_w))


def _raise_findings(family: Family, src: Source, p: "_Pass | None") -> None:
    if p is None or p.count == 0:
        raise DataError(f"{family.display_name}: data must contain at least one observation; got no rows in {src.describe()}.")
    if p.bad_x is not None:
        count, place, value = p.bad_x
        raise DataError(
            f"{family.display_name}: data must be finite and {family.support.describe()}; got {count:,} value(s) that "
            f"are not (first at {place}: {value}) in {src.describe()}. Drop or fix those rows, or choose a family "
            "whose support contains them.")
    if p.bad_w is not None:
        count, place, value = p.bad_w
        raise DataError(f"{family.display_name}: weights must be finite and non-negative; got {count:,} that are not "
                        f"(first at {place}: {value}) in column {src.weights!r}. Replace them with 0 to drop those rows.")
    if p.weight <= 0:
        raise DataError(f"{family.display_name}: weights must not all be zero; got {p.count:,} zero weights in column "
                        f"{src.weights!r}. At least one observation needs a positive weight.")


def _data(family: Family, c: Chunk) -> np.ndarray:
    return c.x[:, None] if family.event_ndim == 1 and c.x.ndim == 1 else c.x


def stats_of_source(family: Family, src: Source) -> Stats:
    """The family's sufficient statistics of every row, in one pass (merged exactly)."""
    lazy = family.stats_reveal_invalid_data and src.weights is None

    def part(c: Chunk):
        if len(c.x) == 0:
            return None
        x = _data(family, c)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            stats = family.suffstats(x, c.w)
        found = None if lazy else _invalid_rows(family, c)
        return _Pass(stats, len(c.x), float(len(c.x) if c.w is None else c.w.sum()), found, _invalid_weights(c))

    p = src.map_reduce(part)
    _raise_findings(family, src, p)
    stats = p.value
    floats = (getattr(stats, f.name) for f in dataclasses.fields(stats))
    if all(np.all(np.isfinite(v)) for v in floats if isinstance(v, (float, np.floating, np.ndarray))):
        return stats
    _raise_findings(family, src, src.map_reduce(lambda c: _Pass(None, len(c.x), 1.0, _invalid_rows(family, c), None)))
    raise DataError(f"{family.display_name}: data must be small enough in magnitude for their sums of squares to be "
                    f"finite in {src.describe()}. Rescale the data and scale the estimates back.")


def streamed_data(family: Family, src: Source, with_target: bool = False):
    """The engine's :class:`~maxlik.optimize.Streamed` view: totals and validity (one pass), then
    an evenly strided sample (one more). ``with_target``: the log-density sees (x, y) per chunk."""
    from .optimize import Streamed

    def part(c: Chunk):
        if len(c.x) == 0:
            return None
        return _Pass(None, len(c.x), float(len(c.x) if c.w is None else c.w.sum()), _invalid_rows(family, c),
                     _invalid_weights(c))

    p = src.map_reduce(part)
    _raise_findings(family, src, p)
    src.learned_rows(p.count)  # (a CSV's rows are known only once read: the sample needs them)
    sample = src.sample()
    seen = (sample.x, sample.y) if with_target else _data(family, sample)
    return Streamed(src, int(p.count), float(p.weight), seen, sample.w, with_target)


def fit_source(src: Source, family: Family, *, weights=None, fixed=None, method="auto", **options):
    """``maxlik.fit`` for a :class:`~maxlik.sources.Source` (see the module docstring)."""
    with working_on(f"fit({family.display_name})"):
        return _fit_source(src, family, weights=weights, fixed=fixed, method=method, **options)


def _fit_source(src: Source, family: Family, *, weights=None, fixed=None, method="auto", **options):

    if weights is not None:  # a column of a scan; a column or an array for a Dask collection
        src = src.with_roles(weights=weights)
    if src.event_ndim != family.event_ndim and not (family.event_ndim == 1):
        raise DataError(f"fit({family.display_name}): data must have one column for a scalar family; got "
                        f"{len(src.columns)} columns ({', '.join(src.columns)}). Scan one column (column='...').")
    closed = method in ("auto", CLOSED_FORM) and family.has_closed_form and not options
    if closed:
        return result_from_stats(family, stats_of_source(family, src), fixed)
    if method == CLOSED_FORM:
        raise ParameterError(f"fit: method='closed_form' needs a family with a closed-form MLE; {family.display_name} "
                             "has none. Use method='auto'.")
    from .optimize import fit_numerical

    data = streamed_data(family, src)
    return FitResult.from_numerical(family, fit_numerical(data, family, fixed=check_fixed(family, fixed), method=method,
                                                          **options))
