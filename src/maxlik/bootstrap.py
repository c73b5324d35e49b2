"""bootstrap: replicates of a fit's estimates, by resampling its rows or simulating from it.

    nonparametric   B samples of the n rows drawn with replacement (a row's weight goes with it;
                    censored data resample whole rows of the ``Censored`` set)
    parametric      B samples of n observations drawn from the fitted distribution

Every sample is refitted as the original was. A plain ``maxlik.fit`` of an array refits all B
samples in one batched call (:func:`maxlik._refit_many.refit_many`, i.e. ``fit_groups``); a fit
the batch cannot take (``fit_loglik``, censored data, truncation, a threshold family, optimizer
options) and the regression models' ``result_`` (:mod:`maxlik.models`) are refitted one by one,
with a progress bar on a terminal when that takes long. A replicate whose refit fails is counted
(``BootstrapResult.n_failed``, a ConvergenceWarning) and left out of the intervals, never dropped
unseen.
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np

from ._refit_many import check_n_boot, fit_of_limit, refit_each, refit_many
from .bootstrap_result import BootstrapResult
from .errors import ConvergenceWarning, ParameterError

KINDS = ("nonparametric", "parametric")
OWNER = "bootstrap"
MAX_JACKKNIFE_ROWS = 4000  # BCa's leave-one-out refits stack n × (n − 1) rows


def take_rows(data, index: np.ndarray):
    """The rows ``index`` of ``data``: an array, a ``Censored`` set, or a tuple / list / dict of arrays."""
    if isinstance(data, dict):
        return {k: take_rows(v, index) for k, v in data.items()}
    if isinstance(data, (tuple, list)):
        return type(data)(take_rows(v, index) for v in data)
    if hasattr(data, "left") and hasattr(data, "right") and hasattr(data, "kind"):  # Censored
        return type(data)(data.left[index], data.right[index])
    return np.asarray(data)[index]


def n_rows_of(data) -> int:
    if isinstance(data, dict):
        data = next(iter(data.values()))
    while isinstance(data, (tuple, list)):
        data = data[0]
    return int(data.n if hasattr(data, "left") and hasattr(data, "kind") else np.shape(data)[0])


def progress_reporter(progress, total: int, label: str):
    """A callable(done, total) for ``progress``: a callable is used as given; True shows a Rich bar
    on stderr; "auto" shows one only on a terminal and once the loop is expected to take > 2 s."""
    if callable(progress):
        return progress, lambda: None
    if progress not in (True, False, None, "auto"):
        raise ParameterError(f"{OWNER}: progress must be True, False, 'auto' or a callable(done, total); got {progress!r}.")
    if not progress or (progress == "auto" and not sys.stderr.isatty()):
        return None, lambda: None
    state = {"bar": None, "start": time.perf_counter()}

    def report(done: int, total: int):
        if state["bar"] is None:
            elapsed = time.perf_counter() - state["start"]
            if progress == "auto" and elapsed / done * total < 2.0:
                return
            from rich.progress import Progress

            state["bar"] = Progress(transient=True)
            state["bar"].start()
            state["task"] = state["bar"].add_task(label, total=total)
        state["bar"].update(state["task"], completed=done)

    return report, lambda: state["bar"] is not None and state["bar"].stop()


def bootstrap(result, n_boot: int = 999, kind: str = "nonparametric", seed=None, progress="auto") -> BootstrapResult:
    """``n_boot`` bootstrap replicates of ``result``'s free parameters (see the module docstring).

    result : a FitResult of ``maxlik.fit`` / ``fit_loglik`` on data in memory, or a regression
        model's ``result_`` (its rows (xₙ, yₙ, wₙ) resampled, the estimator refitted on each)
    kind : "nonparametric" (rows resampled) or "parametric" (samples from the fit)
    seed : int or numpy Generator;  progress : "auto" | True | False | callable(done, total)
    """
    n_boot = check_n_boot(n_boot, OWNER)
    if kind not in KINDS:
        raise ParameterError(f"{OWNER}: kind must be one of {', '.join(KINDS)}; got {kind!r}.")
    spec = getattr(result, "_resample", None)
    if spec is None:
        raise ParameterError(f"{OWNER}: the result must come from a fit of data in memory; got one without its data "
                             "(a file or Dask source, or a stored result). Fit an array (numpy.asarray) to bootstrap it.")
    limit = getattr(result, "limit", None)
    if limit is not None and spec.kind == "array":  # status boundary: the fitted model is the limit
        return _bootstrap_limit(result, limit, spec, n_boot, kind, seed, progress)
    rng = np.random.default_rng(seed)
    fam, names = getattr(result, "family", None), result.free  # a regression result has no family
    n = n_rows_of(spec.data)
    if kind == "parametric":
        datasets, weights, stacked = _simulated(result, spec, n, n_boot, rng)
    else:
        index = rng.integers(0, n, size=(n_boot, n))
        stacked = take_rows(spec.data, index) if spec.batched else None
        datasets = None if spec.batched else [take_rows(spec.data, i) for i in index]
        weights = None if spec.weights is None else np.asarray(spec.weights)[index]
    if spec.batched:
        params, ok = refit_many(fam, stacked, weights=weights, fixed=spec.fixed or None)
    else:
        report, close = progress_reporter(progress, n_boot, f"bootstrap {result.owner}")
        try:
            params, ok = refit_each(spec, datasets, names, weights=None if weights is None else list(weights),
                                    progress=report)
        finally:
            close()
    if not ok.all():
        warnings.warn(f"{OWNER}: {int((~ok).sum())} of {n_boot} replicates did not converge; they are NaN in "
                      "`replicates`, counted in `n_failed` and left out of the intervals.", ConvergenceWarning, stacklevel=3)
    replicates = {k: _as_float(params[k], result.params[k]) for k in names}
    estimate = {k: result.params[k] for k in names}
    jackknife = (lambda: _jackknife(spec, fam, names, n)) if kind == "nonparametric" else None
    return BootstrapResult(estimate, replicates, ok, kind, jackknife)


def _bootstrap_limit(result, limit, spec, n_boot, kind, seed, progress) -> BootstrapResult:
    """A fit at its family's boundary (df → ∞, total_count → ∞) is the limit model fitted to the
    data: the bootstrap is the limit's (its parameters: the Normal's loc and scale, the Poisson's
    rate), said in a warning. The family's own refits would end at the same edge, with no finite
    estimate to resample, and count as failures."""
    from .errors import InferenceWarning

    warnings.warn(f"{OWNER}: the {result.family.display_name} fit is at its boundary ({limit.param} → {limit.edge_text}); its "
                  f"fitted model is the limit, the {limit.family.display_name}, whose parameters "
                  f"({', '.join(limit.params)}) are bootstrapped.", InferenceWarning, stacklevel=4)
    return bootstrap(fit_of_limit(limit, spec), n_boot=n_boot, kind=kind, seed=seed, progress=progress)


def _simulated(result, spec, n: int, n_boot: int, rng):
    """(datasets, weights, stacked) of ``n_boot`` samples of size n from the fit."""
    if spec.kind != "array":
        what = {"censored": "censored data (the censoring mechanism is unknown)",
                "loglik": "a custom likelihood (fit_loglik has no sampler)",
                "regression": "a regression model (its rows are resampled: pairs (xₙ, yₙ))"}[spec.kind]
        raise ParameterError(f"{OWNER}: kind='parametric' needs a family that can simulate the data; got {what}. "
                             "Use kind='nonparametric'.")
    if spec.weights is not None:
        raise ParameterError(f"{OWNER}: kind='parametric' needs an unweighted fit; got weights. Use kind='nonparametric' "
                             "(weights travel with their rows), or expand integer weights into rows.")
    fam = result.family
    draws = np.asarray(fam.sample(result.params, n_boot * n, rng))
    stacked = draws.reshape(n_boot, n, *draws.shape[1:])
    return (None if spec.batched else list(stacked)), None, stacked


def _jackknife(spec, fam, names, n: int) -> dict:
    """name -> (n,) leave-one-out estimates (BCa's acceleration)."""
    if n > MAX_JACKKNIFE_ROWS:
        raise ParameterError(f"BootstrapResult.conf_int: method='bca' needs n leave-one-out refits; got n = {n} rows "
                             f"(at most {MAX_JACKKNIFE_ROWS} here). Use method='percentile' or 'basic'.")
    keep = np.array([np.delete(np.arange(n), i) for i in range(n)])  # (n, n - 1)
    weights = None if spec.weights is None else np.asarray(spec.weights)[keep]
    if spec.batched:
        params, ok = refit_many(fam, take_rows(spec.data, keep), weights=weights, fixed=spec.fixed or None)
    else:
        params, ok = refit_each(spec, [take_rows(spec.data, i) for i in keep], names,
                                weights=None if weights is None else list(weights))
    return {k: _as_float(params[k], params[k][np.flatnonzero(ok)[0]] if ok.any() else 0.0) for k in names}


def _as_float(column: np.ndarray, like) -> np.ndarray:
    """A column of estimates as floats (B,) or (B, ...) with NaN where the refit failed."""
    if column.dtype != object:
        return np.asarray(column, dtype=float)
    shape = np.shape(like)
    return np.stack([np.full(shape, np.nan) if v is None else np.asarray(v, dtype=float) for v in column])
