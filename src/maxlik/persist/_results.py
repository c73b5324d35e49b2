"""The result kinds: every :class:`maxlik.results.Result` (``MAPResult`` included: its prior in
words and as ``Prior.to_dict``) through its own ``to_dict`` /
``from_dict`` (families rebuilt by name from the family registry), and the tables that are not
results (``LRTResult``, ``CompareTable``, ``MixtureSelection``, ``GroupFits``, ``MixtureFit``)
through explicit states here."""

from __future__ import annotations

import numpy as np

from .. import errors
from ..curve import CurveFitResult
from ..groups import GroupFits
from ..likelihood_ratio import LRTResult
from ..model_selection import CompareRow, CompareTable
from ..models import (ClassifierResult, GaussianMixture, GaussianMixtureResult, MixtureFit, MixtureSelection,
                      RegressionResult)
from ..results import FitResult, MAPResult, RescaledFitResult, Result
from ..status import Status
from . import _estimators  # noqa: F401  (GaussianMixture, nested in a MixtureSelection)
from ._registry import Invalid, family_of, family_state, field, register

# fit_loglik and truncated fits register how FitResult.from_dict rebuilds their families
from .. import loglik as _loglik, truncated_family as _truncated  # noqa: E401,F401


# the to_dict fields that can be large: written as arrays (one flat list, or a .npy member), which
# from_dict reads as it reads the nested lists
_ARRAY_FIELDS = ("cov", "coef", "residuals", "xtx_inv")


def _result_state(r) -> dict:
    d = r.to_dict()
    return {k: np.asarray(v, dtype=float) if k in _ARRAY_FIELDS and isinstance(v, list) else v for k, v in d.items()}


def _result_kind(cls: type) -> None:
    """``cls`` (a Result subclass with ``_from_dict``) saved as its ``to_dict``."""

    def from_state(state: dict):
        if field(state, "type", str) != cls.__name__:
            raise Invalid("state.type", f"{cls.__name__!r}; got {state['type']!r}")
        return Result.from_dict(state)

    register(cls, _result_state, from_state)


# -- MixtureFit (fit_mixture) -------------------------------------------------------------------
def _mixture_fit_state(r: MixtureFit) -> dict:
    return {**family_state(r.family), "weights": np.asarray(r.weights, dtype=float),
            "components": [{k: np.asarray(v, dtype=float) for k, v in c.items()} for c in r.components],
            "lower_bounds": np.asarray(r.lower_bounds, dtype=float), "status": r.status.name.lower(),
            "n_iter": int(r.n_iter), "loglik": float(r.loglik), "n": int(r.n), "weight": float(r.weight),
            "product": bool(r.product)}


def _mixture_fit(state: dict) -> MixtureFit:
    comps = field(state, "components", list)
    if not comps or not all(isinstance(c, dict) for c in comps):
        raise Invalid("state.components", "a non-empty list of parameter objects")
    return MixtureFit(
        family=family_of(state), weights=field(state, "weights", np.ndarray),
        components=[{k: float(v) if v.ndim == 0 else v for k, v in c.items()} for c in comps],
        lower_bounds=field(state, "lower_bounds", np.ndarray), status=Status.parse(field(state, "status", str)),
        n_iter=field(state, "n_iter", int), loglik=field(state, "loglik", float), n=field(state, "n", int),
        weight=field(state, "weight", float), product=field(state, "product", bool))


# -- tables ---------------------------------------------------------------------------------------
_ROW_FIELDS = ("family", "params", "loglik", "n_params", "aic", "delta_aic", "akaike_weight", "bic", "converged", "reason", "result")


def _compare_table(state: dict) -> CompareTable:
    rows = field(state, "rows", list)
    if not all(isinstance(r, dict) and set(r) == set(_ROW_FIELDS) for r in rows):
        raise Invalid("state.rows", f"a list of objects with the fields {', '.join(_ROW_FIELDS)}")
    if not all(r["result"] is None or isinstance(r["result"], FitResult) for r in rows):
        raise Invalid("state.rows[].result", "a FitResult or null")
    return CompareTable([CompareRow(**r) for r in rows])


def _selection(state: dict) -> MixtureSelection:
    table = field(state, "table", list)
    if not all(isinstance(r, dict) for r in table):
        raise Invalid("state.table", "a list of objects")
    best = field(state, "best", GaussianMixture)
    return MixtureSelection(table, best, field(state, "best_config", tuple))


# GroupFits: columns of arrays; a vector parameter's column is an object array of arrays (None
# where a group has no value), kept as a list. Each group's FitResult is kept (or its error).
_ERRORS = {c.__name__: c for c in (errors.DataError, errors.SupportError, errors.ParameterError, errors.DegenerateFitError,
                                   errors.UnknownFamilyError, errors.FitFailedError, errors.MaxlikError)}


def _column(v: np.ndarray):
    if v.dtype == object and not all(isinstance(x, str) for x in v.tolist()):
        return {"objects": list(v)}
    return v


def _uncolumn(v, where: str) -> np.ndarray:
    if isinstance(v, np.ndarray):
        return v
    if isinstance(v, dict) and isinstance(v.get("objects"), list):
        out = np.empty(len(v["objects"]), dtype=object)
        out[:] = v["objects"]
        return out
    raise Invalid(where, "an array")


def _group_fits_state(g: GroupFits) -> dict:
    results = []
    for label in g:
        try:
            results.append(g[label])
        except errors.MaxlikError as exc:
            results.append({"error": type(exc).__name__ if type(exc).__name__ in _ERRORS else "MaxlikError", "message": str(exc)})
    return {**family_state(g.family), "labels": _column(g.labels), "params": {k: _column(v) for k, v in g.params.items()},
            "stderr": {k: _column(v) for k, v in g.stderr.items()}, "loglik": g.loglik, "n": g.n, "weight": g.weight,
            "converged": g.converged, "message": g.message, "fixed": tuple(g.fixed), "results": results}


def _group_fits(state: dict) -> GroupFits:
    results = field(state, "results", list)
    for i, r in enumerate(results):
        if not isinstance(r, FitResult) and not (isinstance(r, dict) and r.get("error") in _ERRORS and isinstance(r.get("message"), str)):
            raise Invalid(f"state.results[{i}]", "a FitResult or an error of maxlik.errors with its message")

    def fit_of(j):
        r = results[j]
        if isinstance(r, dict):
            raise _ERRORS[r["error"]](r["message"])
        return r

    cols = {k: {name: _uncolumn(v, f"state.{k}.{name}") for name, v in field(state, k, dict).items()} for k in ("params", "stderr")}
    arrays = {k: _uncolumn(state.get(k), f"state.{k}") for k in ("labels", "loglik", "n", "weight", "converged", "message")}
    if len({len(results), *(len(a) for a in arrays.values()), *(len(v) for c in cols.values() for v in c.values())}) != 1:
        raise Invalid("state", "columns of one length, one per group")
    return GroupFits(family_of(state), arrays["labels"], cols["params"], cols["stderr"], arrays["loglik"], arrays["n"],
                     arrays["weight"], arrays["converged"], arrays["message"], fit_of, field(state, "fixed", tuple))


def _lrt(state: dict) -> LRTResult:
    return LRTResult(field(state, "statistic", float), field(state, "df", int), field(state, "pvalue", float))


for _cls in (FitResult, RescaledFitResult, MAPResult, CurveFitResult, RegressionResult, ClassifierResult, GaussianMixtureResult):
    _result_kind(_cls)
register(MixtureFit, _mixture_fit_state, _mixture_fit)
register(LRTResult, lambda t: {"statistic": float(t.statistic), "df": int(t.df), "pvalue": float(t.pvalue)}, _lrt)
register(CompareTable, lambda t: {"rows": [{k: getattr(r, k) for k in _ROW_FIELDS} for r in t.rows]}, _compare_table)
register(MixtureSelection, lambda s: {"table": s.table, "best": s.best, "best_config": tuple(s.best_config)}, _selection)
register(GroupFits, _group_fits_state, _group_fits)
