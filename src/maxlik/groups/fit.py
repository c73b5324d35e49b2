"""maxlik.fit_groups: one fit per group label, all groups in one call.

The rows are grouped by label once (:mod:`._segments`: no work when they come grouped); then, by family:

* closed-form families of :data:`._closed.SPECS` and Gamma: one pass of segmented sufficient
  statistics and vectorised estimates and standard errors (:mod:`._closed`);
* families fitted numerically, with scalar parameters: every group's Newton together
  (:mod:`.batched`), its derivatives summed per group in one pass per iteration;
* other families (vector parameters, Laplace's median, ...): ``maxlik.fit`` group by group.

A group that the vectorised path cannot fit (rows outside the support, one point, zero variance,
no convergence) is then fitted alone with ``maxlik.fit``: its row carries that fit's own result,
or ``converged=False`` and the text of the error maxlik.fit raises; the other groups are never
affected. The core takes NumPy arrays (x (n,), labels (n,)); DataFrames are read into them.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np

from .._validation import as_data, as_weights
from ..errors import ConvergenceWarning, DataError, InferenceWarning, MaxlikError, ParameterError
from ..families import ThresholdFamily, at_limit, flat_labels, get_family
from ..fitting import fit
from ..stats_fit import check_fixed, result_from_stats
from ..inference import covariance_from_hessian
from ..optimize import fit_numerical as _engine_fit
from ..optimize import status_message
from ..results import FitResult
from ..status import Status
from . import _closed, batched
from ._segments import Segments, segment_sum
from .table import GroupFits, _label

OWNER = "fit_groups"


def _frame_columns(frame, by, column, weights):
    names = [str(c) for c in frame.columns]
    for what, name in (("by", by), ("column", column)):
        if name is None:
            raise DataError(
                f"{OWNER}: {what}= must name a column of the DataFrame; got None. "
                f"Pass by='<group column>' and column='<value column>' (columns: {names[:8]})."
            )
        if str(name) not in names:
            raise DataError(
                f"{OWNER}: {what}= must name a column of the DataFrame; got {name!r}. "
                f"Choose one of {names[:8]}{' ...' if len(names) > 8 else ''}."
            )
    if isinstance(weights, str):
        if weights not in names:
            raise DataError(f"{OWNER}: weights= must name a column of the DataFrame; got {weights!r}. Choose one of {names[:8]}.")
        weights = np.asarray(frame[weights].to_numpy(), dtype=float)
    return np.asarray(frame[column].to_numpy()), np.asarray(frame[by].to_numpy()), weights


def _check_labels(groups, n: int) -> np.ndarray:
    g = np.asarray(groups.to_numpy() if hasattr(groups, "to_numpy") else groups)
    if g.ndim != 1 or g.shape[0] != n:
        raise DataError(
            f"{OWNER}: groups must have one label per row of x (shape ({n},)); got shape {g.shape}. "
            "Pass an array of labels as long as the data."
        )
    if g.dtype == object:
        missing = np.array([v is None or (isinstance(v, float) and v != v) for v in g.tolist()], dtype=bool)
    elif g.dtype.kind in "fc":
        missing = np.isnan(g)
    else:  # integers, strings, booleans: nothing can be missing
        return g
    if missing.any():
        raise DataError(
            f"{OWNER}: group labels must not be missing; got {int(missing.sum())} NaN/None label(s) "
            f"(first at row {int(np.argmax(missing))}). Drop those rows or give them a label."
        )
    return g


def _inputs(x, groups, weights, by, column):
    if hasattr(x, "columns") and not isinstance(x, np.ndarray):  # pandas / polars DataFrame
        x, groups, weights = _frame_columns(x, by, column, weights)
    elif by is not None or column is not None:
        raise DataError(
            f"{OWNER}: by= and column= must come with a DataFrame x; got {type(x).__name__}. "
            "Pass x and groups as arrays, or a DataFrame with by= and column=."
        )
    if groups is None:
        raise DataError(f"{OWNER}: groups must be given (one label per row); got None. Pass groups=, or a DataFrame with by=.")
    arr = np.asarray(x.to_numpy() if hasattr(x, "to_numpy") else x)
    if arr.shape[0:1] == (0,) or arr.size == 0:
        raise DataError(f"{OWNER}: data must contain at least one row (so at least one group); got 0 rows. Pass non-empty data.")
    return arr, _check_labels(groups, arr.shape[0]), weights


def _segments(labels: np.ndarray) -> Segments:
    try:
        return Segments.from_labels(labels)
    except TypeError:
        kinds = sorted({type(v).__name__ for v in labels.tolist()})
        raise DataError(
            f"{OWNER}: group labels must be of one sortable type; got a mix of {', '.join(kinds)}. "
            "Convert the labels to strings (or to numbers) first."
        ) from None


def fit_groups(x, groups=None, family=None, *, weights=None, fixed: dict | None = None, by=None, column=None) -> GroupFits:
    """Fit ``family`` separately to the rows of each group label, all groups in one call.

    Parameters
    ----------
    x : array (n,) of observations, or a pandas / polars DataFrame (then ``by=`` names the group
        column and ``column=`` the value column; ``family`` may then be the second argument)
    groups : array (n,) of labels (ints, strings, any sortable hashable), one per row
    family : str | Family class | Family instance
    weights : array (n,) of non-negative weights (or a column name with a DataFrame)
    fixed : dict of parameters held at given values in every group

    Returns
    -------
    GroupFits : one row per group (sorted labels): estimates, standard errors, loglik, n, weight,
        converged, message; ``fits[label]`` is that group's FitResult. Each group's numbers equal
        ``maxlik.fit(x[groups == label], family, ...)`` to rounding.
    """
    if family is None and (isinstance(groups, str) or hasattr(groups, "param_names") or isinstance(groups, type)):
        family, groups = groups, None  # fit_groups(frame, "gamma", by=..., column=...)
    if family is None:
        raise ParameterError(f"{OWNER}: family must be given; got None. Pass a name such as 'normal' or 'gamma'.")
    from ..sources import FileSource, is_source

    if isinstance(x, FileSource):
        from ._sources import fit_groups_scan

        return fit_groups_scan(fit_groups, x, groups if groups is not None else by, family, weights=weights, fixed=fixed)
    if is_source(x):
        from ._sources import fit_groups_dask

        return fit_groups_dask(fit_groups, x, groups, family, weights=weights, fixed=fixed, by=by, column=column)
    fam = get_family(family, owner=OWNER)
    raw, labels, weights = _inputs(x, groups, weights, by, column)
    data = as_data(raw, fam.display_name, fam.event_ndim, check_finite=False)
    w = as_weights(weights, data.shape[0], OWNER)
    fixed = check_fixed(fam, fixed)
    return _fit(fam, _segments(labels), fixed, data, w)


def _per_group(seg: Segments, values: np.ndarray) -> np.ndarray:
    """Σ of ``values`` (n,), in the original row order, per group."""
    return seg.bincount(lambda v: v, values) if seg.codes is not None else segment_sum(values, seg.starts)


def _bad_groups(fam, seg: Segments, x, w) -> np.ndarray:
    """Groups with a row that is not finite or outside the support, or with no positive weight
    (x, w in the original row order)."""
    with np.errstate(invalid="ignore"):
        if fam.event_ndim == 0:
            row_bad = ~np.isfinite(x) | ~np.asarray(fam.support.check(x), dtype=bool)
        else:
            row_bad = ~np.all(np.isfinite(x), axis=tuple(range(1, x.ndim)))
    bad = _per_group(seg, row_bad.astype(float)) > 0
    if w is not None:
        bad |= ~(_per_group(seg, w) > 0)
    return bad


def _fit(fam, seg: Segments, fixed: dict, data, w) -> GroupFits:
    """Every group's fit; ``data``, ``w`` in the original row order (sorted here where a path needs it)."""
    G = seg.n_groups
    spec = _closed.SPECS.get(fam.name) if fam.event_ndim == 0 else None
    if spec is not None and fam.stats_reveal_invalid_data:
        bad = np.zeros(G, dtype=bool)  # a bad row makes its group's statistics non-finite: flagged below
    else:
        bad = _bad_groups(fam, seg, data, w)
    weight = seg.counts.astype(float) if w is None else _per_group(seg, w)
    names = fam.param_names
    # a vector or matrix parameter (MultivariateNormal's loc, Categorical's probs) is a column of
    # arrays (None where a group has no estimate); scalars are float columns (NaN there)
    vector = {p.name for p in fam.params if p.shape != ()}
    params = {k: np.full(G, None, dtype=object) if k in vector else np.full(G, np.nan) for k in names}
    stderr = {k: np.full(G, None, dtype=object) if k in vector else np.full(G, np.nan) for k in names}
    loglik = np.full(G, np.nan)
    message = np.empty(G, dtype=object)
    ok = np.zeros(G, dtype=bool)
    good_fit = None  # j -> FitResult of a group fitted on the vectorised path
    scalar = all(p.shape == () for p in fam.params)
    if spec is not None:
        with np.errstate(all="ignore"):
            stats_type = type(fam.suffstats(data[:1], None if w is None else np.ones(1)))  # w[0] may be 0
        sums = _closed.Sums(seg, data, w)
        cf = _closed.fit_closed(fam, spec, sums, fixed, stats_type)
        ok = cf.ok & ~bad
        for k in names:
            params[k][ok], stderr[k][ok] = cf.params[k][ok], cf.stderr[k][ok]
        loglik[ok] = cf.loglik[ok]
        message[ok] = (Status.CLOSED_FORM.message if fam.stats_method == "closed_form"
                       else f"maximum found from the sufficient statistics ({fam.stats_method})")
        good_fit = functools.partial(_closed_result, fam, cf, fixed)

    # a threshold family's fit first profiles over loc for the right local maximum (Newton from
    # init may end at another one): its groups are fitted one by one below, as fit fits them
    elif (not fam.has_closed_form and scalar and fam.event_ndim == 0 and len(fixed) < len(names)
          and not isinstance(fam, ThresholdFamily)):
        xs, ws = seg.sort(data), None if w is None else seg.sort(w)
        nf = batched.fit_batched(fam, xs, ws, seg.starts, seg.counts, weight, fixed, ~bad)
        ok = nf.ok
        if fam.limit is not None and fam.limit[0] not in fixed:  # groups at the family's limit: fit() reports them
            for j in np.flatnonzero(ok):
                rows = slice(seg.starts[j], seg.starts[j] + seg.counts[j])
                xj, wj = xs[rows], None if ws is None else ws[rows]
                ok[j] = at_limit(fam, lambda f: f.suffstats(xj, wj), fixed, float(nf.loglik[j])) is None
        for k in names:
            params[k][ok], stderr[k][ok] = nf.params[k][ok], nf.stderr[k][ok]
        loglik[ok] = nf.loglik[ok]
        for j in np.flatnonzero(ok):
            message[j] = status_message(Status.CONVERGED, float(nf.decrement[j]), batched.TOL, int(nf.n_iter[j]),
                                        batched.MAX_ITER, "newton")
        good_fit = functools.partial(_numerical_result, fam, nf, fixed, seg, data, w, message, weight)

    results: dict[int, object] = {}  # j -> FitResult, or the MaxlikError of the group's own fit
    boundary = np.zeros(G, dtype=bool)  # groups whose fit is the family's limit (status BOUNDARY)
    for j in np.flatnonzero(~ok):  # the groups the vectorised path could not fit: each alone
        rows = seg.rows(j)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", InferenceWarning)  # the boundary groups: one warning below
            try:
                r = fit(data[rows], fam, weights=None if w is None else w[rows], fixed=fixed)
            except MaxlikError as error:
                results[j] = error
                message[j] = str(error)
                continue
        results[j] = r
        ok[j] = r.converged
        boundary[j] = r.status is Status.BOUNDARY
        message[j] = r.message
        loglik[j] = r.loglik
        se = r.stderr if r.converged or boundary[j] else None
        for k in names:
            if k in vector:
                params[k][j] = None if k not in r.params else np.asarray(r.params[k], dtype=float)
                stderr[k][j] = None if not se or se.get(k) is None else np.asarray(se[k], dtype=float)
                continue
            params[k][j] = float(r.params[k]) if k in r.params else np.nan
            stderr[k][j] = float(se[k]) if se and se.get(k) is not None else np.nan

    def fit_of(j):
        if j not in results:
            results[j] = good_fit(j)
        r = results[j]
        if isinstance(r, Exception):
            raise type(r)(str(r))
        return r

    if boundary.any():
        j = int(np.flatnonzero(boundary)[0])
        warnings.warn(
            f"{OWNER}: {int(boundary.sum())} of {G} groups are at the edge of the domain, fitted by the limiting model "
            f"(first: group {_label(seg.labels[j])!r}: {message[j]}). Their rows have converged=False and say so in `message`.",
            InferenceWarning, stacklevel=3,
        )
    failed = np.flatnonzero(~ok & ~boundary)
    if failed.size:
        j = int(failed[0])
        warnings.warn(
            f"{OWNER}: {failed.size} of {G} groups could not be fitted (first: group {_label(seg.labels[j])!r}: {message[j]}). "
            "Their rows have converged=False and the reason in `message`; the other groups are unaffected.",
            ConvergenceWarning, stacklevel=3,
        )
    return GroupFits(fam, seg.labels, params, stderr, loglik, seg.counts.copy(), weight, ok, message, fit_of,
                     tuple(k for k in names if k in fixed))


def _closed_result(fam, cf, fixed: dict, j: int) -> FitResult:
    """Group j's FitResult from its statistics: exactly what maxlik.fit builds on its rows."""
    return result_from_stats(fam, _closed.group_stats(cf, j), fixed)


def _numerical_result(fam, nf, fixed: dict, seg: Segments, data, w, messages, weights, j: int) -> FitResult:
    """Group j's FitResult from the batched Newton: its estimates, Newton's Hessian for the
    covariance (delta method, as the engine), and a profile likelihood by the engine on its rows."""
    free = nf.free
    params = {k: float(nf.params[k][j]) for k in fam.param_names}
    cov, why = covariance_from_hessian(nf.H_u[j], np.diag(nf.jac[j]))
    labels = flat_labels({k: params[k] for k in free})
    rows = seg.rows(j)
    xj, wj = data[rows], None if w is None else w[rows]

    def profile(extra_fixed: dict) -> float:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            init = {k: params[k] for k in free if k not in extra_fixed}
            return _engine_fit(xj, fam, weights=wj, fixed={**fixed, **extra_fixed}, init=init, method="newton").loglik

    return FitResult(
        family=fam, params=params, fixed=tuple(k for k in fam.param_names if k in fixed), loglik=float(nf.loglik[j]),
        n=int(rows.shape[0]), weight=float(weights[j]), method="newton", status=Status.CONVERGED, n_iter=int(nf.n_iter[j]),
        message=messages[j], trace=None,
        _cov_fn=lambda: (cov, labels, None) if cov is not None else (None, [], why), _profile=profile,
    )
