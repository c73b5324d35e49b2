"""fit_groups on data read in passes: ``maxlik.scan`` files and Dask collections.

* a scan: one pass gathers the three columns a grouped fit uses (values, labels, weights: about
  16–24 bytes a row, whatever else the files hold), then the in-memory fit of :mod:`.fit`;
* a Dask DataFrame (``by=``, ``column=``) or Dask arrays (x and groups): the rows are shuffled so
  that every group lies in one partition (``DataFrame.shuffle(on=by)``), each partition's groups
  are fitted on its worker by the same vectorised code, and only the table's rows (a few numbers
  per group) come back. ``fits[label]`` then reads that group's rows from the cluster on first use
  and fits them with ``maxlik.fit``.
"""

from __future__ import annotations

import numpy as np

from ..errors import DataError
from .table import GroupFits

OWNER = "fit_groups"


def fit_groups_scan(fit_groups, src, groups, family, *, weights=None, fixed=None):
    """``groups`` names the label column of the scanned files (or pass the scan's ``target``);
    ``fit_groups``: the in-memory entry point (:func:`.fit.fit_groups`)."""

    label_col = groups if groups is not None else src.target
    if not isinstance(label_col, str):
        raise DataError(f"{OWNER}: groups must name a column of the scanned files; got {type(label_col).__name__}. "
                        "Pass groups='<label column>' (or scan(..., target='<label column>')).")
    if weights is not None and not isinstance(weights, str):
        raise DataError(f"{OWNER}: weights must name a column of the scanned files; got {type(weights).__name__}. "
                        "Pass weights='<column>'.")
    names = list(src.files[0].types)
    if label_col not in names:
        from ..io import column_hint

        raise DataError(f"{OWNER}: groups must name a column of the scanned files, one of {names}; got {label_col!r}. "
                        + column_hint(label_col, names))
    src = src.with_roles(target=label_col, weights=weights)
    if src.event_ndim != 0:
        raise DataError(f"{OWNER}: the scan must have one value column; got {len(src.columns)} ({', '.join(src.columns)}). "
                        "Scan with column='...'.")

    def take(c):
        return (c.x, c.y, c.w)

    def join(a, b):
        if a is None or b is None:
            return a if b is None else b
        return tuple(None if p is None else np.concatenate([p, q]) for p, q in zip(a, b))

    got = src.map_reduce(take, join)
    if got is None or len(got[0]) == 0:
        raise DataError(f"{OWNER}: data must contain at least one row (so at least one group); got 0 rows in {src.describe()}.")
    x, labels, w = got
    return fit_groups(x, labels, family, weights=w, fixed=fixed)


def _frame(x, groups, by, column, weights):
    """(Dask DataFrame, by, column, weights column or None) from a frame or from Dask arrays."""
    import dask.array as da
    import dask.dataframe as dd

    if isinstance(x, dd.DataFrame):
        names = list(x.columns)
        for what, name in (("by", by), ("column", column)):
            if name is None or name not in names:
                raise DataError(f"{OWNER}: {what}= must name a column of the Dask DataFrame; got {name!r}. "
                                f"Choose one of {names[:8]}.")
        if weights is not None and weights not in names:
            raise DataError(f"{OWNER}: weights= must name a column of the Dask DataFrame; got {weights!r}. Choose one of {names[:8]}.")
        return x[[c for c in dict.fromkeys([column, by, weights]) if c is not None]], by, column, weights
    if not isinstance(x, da.Array):
        raise DataError(f"{OWNER}: Dask data must be a DataFrame (with by=, column=) or a dask array with groups; "
                        f"got {type(x).__name__}.")
    if groups is None:
        raise DataError(f"{OWNER}: groups must be given (one label per row); got None. Pass groups= (a dask array).")
    g = groups if isinstance(groups, da.Array) else da.from_array(np.asarray(groups), chunks=x.chunks[0])
    if any(np.isnan(c) for c in (*x.chunks[0], *g.chunks[0])):
        raise DataError(f"{OWNER}: x and groups must have known chunk sizes; got unknown (NaN) sizes. "
                        "Call x.compute_chunk_sizes() first.")
    if g.shape != (x.shape[0],):
        raise DataError(f"{OWNER}: groups must have one label per row of x (shape ({x.shape[0]},)); got shape {g.shape}.")
    parts = {"x": x, "group": g.rechunk(x.chunks[0])}
    if weights is not None:
        wa = weights if isinstance(weights, da.Array) else da.from_array(np.asarray(weights, dtype=float), chunks=x.chunks[0])
        if wa.shape != (x.shape[0],):
            raise DataError(f"{OWNER}: weights must have one value per row of x (shape ({x.shape[0]},)); got shape {wa.shape}.")
        parts["w"] = wa.rechunk(x.chunks[0])
    frame = dd.concat([dd.from_dask_array(v, columns=k) for k, v in parts.items()], axis=1)
    return frame, "group", "x", "w" if weights is not None else None


def _fit_partition(fit_groups, pdf, family, by, column, weights, fixed):
    """Runs on a worker: the columns of the GroupFits of the groups in one partition (None if empty)."""
    import warnings

    from ..errors import ConvergenceWarning

    if len(pdf) == 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # reported once, on the client
        r = fit_groups(pdf, family, by=by, column=column, weights=weights, fixed=fixed)
    return r.columns


def fit_groups_dask(fit_groups, x, groups, family, *, weights=None, fixed=None, by=None, column=None) -> GroupFits:
    import warnings

    import dask

    from ..errors import ConvergenceWarning
    from ..families import get_family

    fam = get_family(family, owner=OWNER)
    frame, by, column, wcol = _frame(x, groups, by, column, weights)
    shuffled = frame.shuffle(on=by)
    parts = [dask.delayed(_fit_partition, pure=False)(fit_groups, p, fam, by, column, wcol, fixed) for p in shuffled.to_delayed()]
    tables = [t for t in dask.compute(*parts) if t is not None]
    if not tables:
        raise DataError(f"{OWNER}: data must contain at least one row (so at least one group); got 0 rows.")
    cols = {k: np.concatenate([t[k] for t in tables]) for k in tables[0]}
    order = np.argsort(cols["group"], kind="stable")
    cols = {k: v[order] for k, v in cols.items()}
    names = fam.param_names
    fixed_names = tuple(k for k in names if fixed and k in fixed)

    def fit_of(j):
        from ..fitting import fit

        label = cols["group"][j]
        rows = frame[frame[by] == label].compute()
        w = None if wcol is None else rows[wcol].to_numpy(dtype=float)
        return fit(rows[column].to_numpy(), fam, weights=w, fixed=fixed)

    failed = np.flatnonzero(~cols["converged"].astype(bool))
    if failed.size:
        j = int(failed[0])
        warnings.warn(
            f"{OWNER}: {failed.size} of {len(order)} groups could not be fitted (first: group {cols['group'][j]!r}: "
            f"{cols['message'][j]}). Their rows have converged=False and the reason in `message`; the other groups "
            "are unaffected.", ConvergenceWarning, stacklevel=3)
    return GroupFits(fam, cols["group"], {k: cols[k] for k in names}, {k: cols[f"{k}_se"] for k in names},
                     cols["loglik"], cols["n"], cols["weight"], cols["converged"].astype(bool), cols["message"], fit_of,
                     fixed_names)
