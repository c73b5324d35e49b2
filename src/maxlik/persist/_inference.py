"""The kinds of the inference objects that are not :class:`maxlik.results.Result`\\ s:
``BootstrapResult`` (``r.bootstrap()``), ``GofResult`` (``r.gof()``), ``SimulationResult``
(``maxlik.simulate``) and ``NPMLE`` (``maxlik.npmle``), each as an explicit state of numbers.

What does not travel is the data behind them, which only the closures of a fresh object hold: a
nonparametric ``BootstrapResult`` keeps BCa's acceleration instead of its leave-one-out refits (it
is computed when saving if ``conf_int(method="bca")`` has not done it yet: n refits), so its BCa
intervals come back as they were; a ``SimulationResult`` keeps every row and estimate of the
derived ``functions=`` (which the result never held: only their values).
"""

from __future__ import annotations

import numpy as np

from ..bootstrap_result import BootstrapResult
from ..gof import GofResult
from ..simulation import SimulationResult
from ..simulation.result import COLUMNS
from ..turnbull import NPMLE
from ._registry import Invalid, checked_dict, family_of, family_state, field, register

_VALUE = (float, np.ndarray)  # a scalar estimate, or a vector parameter's


def _value(v):
    return float(v) if np.ndim(v) == 0 else np.asarray(v, dtype=float)


# -- BootstrapResult ------------------------------------------------------------------------------
def _bootstrap_state(b: BootstrapResult) -> dict:
    acceleration, why = b.stored_acceleration()
    return {"kind": b.kind, "estimate": {k: _value(v) for k, v in b.estimate.items()},
            "replicates": {k: np.asarray(v, dtype=float) for k, v in b.replicates.items()},
            "converged": np.asarray(b.converged, dtype=bool),
            "acceleration": None if acceleration is None else {k: _value(v) for k, v in acceleration.items()},
            "bca_unavailable": why}


def _bootstrap(state: dict) -> BootstrapResult:
    kind = field(state, "kind", str)
    if kind not in ("nonparametric", "parametric"):
        raise Invalid("state.kind", f"'nonparametric' or 'parametric'; got {kind!r}")
    estimate, replicates = checked_dict(state, "estimate", _VALUE), checked_dict(state, "replicates", np.ndarray)
    converged = field(state, "converged", np.ndarray)
    if converged.dtype != bool or converged.ndim != 1:
        raise Invalid("state.converged", "a one-dimensional bool array (one per replicate)")
    if estimate.keys() != replicates.keys():
        raise Invalid("state.replicates", f"one array per estimated parameter ({', '.join(estimate)})")
    for k, rep in replicates.items():
        if rep.shape != (converged.shape[0], *np.shape(estimate[k])):
            raise Invalid(f"state.replicates.{k}", f"an array of shape ({converged.shape[0]}, ...) like its estimate")
    acceleration = checked_dict(state, "acceleration", _VALUE, optional=True)
    if acceleration is not None and acceleration.keys() != estimate.keys():
        raise Invalid("state.acceleration", f"one value per estimated parameter ({', '.join(estimate)})")
    return BootstrapResult(estimate, replicates, converged, kind, None, acceleration,
                           field(state, "bca_unavailable", str, optional=True))


# -- GofResult --------------------------------------------------------------------------------------
_CELLS = ("breaks", "observed", "expected")


def _gof_state(g: GofResult) -> dict:
    chisq = None if g.chisq_df is None else {"df": int(g.chisq_df), **{k: np.asarray(g.chisq_table[k], dtype=float)
                                                                        for k in _CELLS}}
    return {**family_state(g.family), "statistics": {k: float(v) for k, v in g.statistics.items()},
            "p_values": {k: float(v) for k, v in g.p_values.items()},
            "null": {k: np.asarray(v, dtype=float) for k, v in g.null.items()}, "n_boot": int(g.n_boot),
            "n_failed": int(g.n_failed), "chisq": chisq,
            "chisq_pvalue": None if g.chisq_pvalue is None else float(g.chisq_pvalue)}


def _gof(state: dict) -> GofResult:
    statistics = checked_dict(state, "statistics", float)
    p_values, null = checked_dict(state, "p_values", float), checked_dict(state, "null", np.ndarray)
    if not statistics.keys() == p_values.keys() == null.keys():
        raise Invalid("state.p_values", f"one p-value and one null sample per statistic ({', '.join(statistics)})")
    cells = field(state, "chisq", dict, optional=True)
    chisq = None
    if cells is not None:
        if "chisq" not in statistics:
            raise Invalid("state.chisq", "null unless the statistics hold 'chisq'")
        chisq = {"df": field(cells, "df", int, "state.chisq"), "chisq": statistics["chisq"],
                 **{k: field(cells, k, np.ndarray, "state.chisq") for k in _CELLS}}
    g = GofResult(family_of(state), statistics, p_values, null, field(state, "n_boot", int), field(state, "n_failed", int),
                  chisq)
    g.chisq_pvalue = field(state, "chisq_pvalue", float, optional=True)
    return g


# -- SimulationResult -------------------------------------------------------------------------------
_TEXT, _INTS = ("parameter",), ("n", "n_failed")


def _simulation_state(s: SimulationResult) -> dict:
    return {**family_state(s.family), "true": {k: float(v) for k, v in s.true.items()}, "sizes": [int(n) for n in s.sizes],
            "n_rep": int(s.n_rep), "level": float(s.level),
            "table": [{c: r[c] if c in _TEXT + _INTS or r[c] is None else float(r[c]) for c in COLUMNS} for r in s.table],
            "estimates": [[int(n), {k: np.asarray(v, dtype=float) for k, v in est.items()}] for n, est in s.estimates.items()],
            "information": s.information, "fixed": [str(k) for k in s.fixed],
            "failures": [[int(n), str(why)] for n, why in s.failures.items()]}


def _row(r, i: int) -> dict:
    where = f"state.table[{i}]"
    if not (isinstance(r, dict) and set(r) == set(COLUMNS)):
        raise Invalid(where, f"an object with the fields {', '.join(COLUMNS)}")
    return {c: field(r, c, str if c in _TEXT else int if c in _INTS else float, where, optional=c not in _TEXT + _INTS)
            for c in COLUMNS}


def _pairs(state: dict, key: str, check) -> dict:
    """A list of [n, value] pairs (n a sample size) as the dict n -> value."""
    pairs = field(state, key, list)
    if not all(isinstance(p, list) and len(p) == 2 and isinstance(p[0], int) and not isinstance(p[0], bool) for p in pairs):
        raise Invalid(f"state.{key}", "a list of [sample size, value] pairs")
    return {n: check({"v": v}, f"state.{key}[{n}]") for n, v in pairs}


def _simulation(state: dict) -> SimulationResult:
    sizes = field(state, "sizes", list)
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in sizes):
        raise Invalid("state.sizes", "a list of sample sizes (integers >= 1)")
    fixed = field(state, "fixed", list)
    if not all(isinstance(k, str) for k in fixed):
        raise Invalid("state.fixed", "a list of parameter names")
    table = [_row(r, i) for i, r in enumerate(field(state, "table", list))]
    estimates = _pairs(state, "estimates", lambda d, where: checked_dict(d, "v", np.ndarray, where))
    failures = _pairs(state, "failures", lambda d, where: field(d, "v", str, where))
    return SimulationResult(family_of(state), checked_dict(state, "true", float), sizes, field(state, "n_rep", int),
                            field(state, "level", float), table, estimates, field(state, "information", str), tuple(fixed),
                            failures)


# -- NPMLE ------------------------------------------------------------------------------------------
def _npmle_state(p: NPMLE) -> dict:
    return {"left": p.left, "right": p.right, "mass": p.mass, "loglik": float(p.loglik), "n_iter": int(p.n_iter),
            "converged": bool(p.converged), "gap": float(p.gap)}


def _npmle(state: dict) -> NPMLE:
    arrays = {k: field(state, k, np.ndarray) for k in ("left", "right", "mass")}
    if not all(a.dtype == np.float64 and a.ndim == 1 and a.shape == arrays["mass"].shape for a in arrays.values()):
        raise Invalid("state.mass", "a float array (m,), as left and right (the intervals with mass)")
    return NPMLE(**arrays, loglik=field(state, "loglik", float), n_iter=field(state, "n_iter", int),
                 converged=field(state, "converged", bool), gap=field(state, "gap", float))


register(BootstrapResult, _bootstrap_state, _bootstrap)
register(GofResult, _gof_state, _gof)
register(SimulationResult, _simulation_state, _simulation)
register(NPMLE, _npmle_state, _npmle)
