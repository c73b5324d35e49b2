"""refit_many: the maximum-likelihood fit of one family to each of B samples, in one call.

Shared by :mod:`maxlik.gof` (parametric bootstrap of the statistics), :mod:`maxlik.bootstrap`
(replicates of the estimates) and anything else that refits many samples (simulation studies).
The B samples are stacked as B groups (labels 0 … B−1) and solved by :func:`maxlik.fit_groups`:
closed forms and Gamma by segmented sufficient statistics, the other scalar families by one
batched Newton over all groups; so no second optimiser lives here. A group that cannot be fitted
(no convergence, degenerate data) comes back with ``converged[b] = False`` and NaN estimates;
the caller counts those and reports them.
"""

from __future__ import annotations

import warnings

import numpy as np

from .errors import ConvergenceWarning, DataError


def refit_many(family, samples, weights=None, fixed: dict | None = None) -> tuple[dict, np.ndarray]:
    """Fit ``family`` to every sample.

    Parameters
    ----------
    family : Family (an instance, as ``result.family``) or a name
    samples : array (B, n) of B samples of n observations ((B, n, d) for a vector family)
    weights : array (B, n) of observation weights, or None
    fixed : dict name -> value held fixed in every fit

    Returns
    -------
    params : dict name -> array (B,) of estimates (NaN where the fit failed; a fixed parameter
        repeats its value); a vector or matrix parameter is an object array of arrays (None where
        the fit failed)
    converged : bool array (B,)
    """
    from .groups import fit_groups

    samples = np.asarray(samples)
    if samples.ndim < 2 or samples.shape[0] < 1 or samples.shape[1] < 1:
        raise DataError(f"refit_many: samples must be an array (B, n) with B, n >= 1; got shape {samples.shape}. "
                        "Stack the samples as rows.")
    B, n = samples.shape[:2]
    labels = np.repeat(np.arange(B), n)
    w = None if weights is None else np.asarray(weights, dtype=float).reshape(B * n)
    with warnings.catch_warnings():  # failures are counted by the caller, not warned about B times
        warnings.simplefilter("ignore", ConvergenceWarning)
        table = fit_groups(samples.reshape(B * n, *samples.shape[2:]), labels, family, weights=w, fixed=fixed)
    converged = np.asarray(table.converged, dtype=bool)
    params = {}
    for k in table.family.param_names:
        if fixed and k in fixed:
            params[k] = _repeat(fixed[k], B)
            continue
        v = table.params[k]
        if v.dtype != object:
            v = np.where(converged, v, np.nan)
        params[k] = v
    return params, converged


def _repeat(value, B: int) -> np.ndarray:
    """A fixed value as a column of B rows (an object column for a vector value)."""
    if np.ndim(value) == 0:
        return np.full(B, float(value))
    out = np.empty(B, dtype=object)
    for b in range(B):
        out[b] = np.asarray(value, dtype=float)
    return out


def fit_of_limit(limit, spec):
    """The limit model of a boundary fit (Student-t df → ∞: the Normal; negative binomial
    total_count → ∞: the Poisson) fitted to the same data (``spec``: the result's resampling
    spec), with the held values that the limit family has: what gof and the bootstrap test and
    resample in place of a fit whose own parameters sit at the edge of their domain."""
    from .errors import InferenceWarning
    from .fitting import fit

    held = {k: v for k, v in (spec.fixed or {}).items() if k in limit.family.param_names}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InferenceWarning)
        return fit(spec.data, limit.family, weights=spec.weights, fixed=held or None)


def check_n_boot(n_boot, owner: str) -> int:
    """``n_boot`` as an int >= 1 (a bool or a float such as 999.0 is refused: say what you mean)."""
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        from .errors import ParameterError

        raise ParameterError(f"{owner}: n_boot must be an integer >= 1; got {n_boot!r}. "
                             "Pass the number of bootstrap samples, e.g. n_boot=999.")
    return int(n_boot)


def refit_each(spec, datasets, names, weights=None, progress=None) -> tuple[dict, np.ndarray]:
    """The fit of ``spec`` (a :class:`maxlik.results.resampling.ResampleData`) on each data set, one
    by one: for fits the batch cannot take (fit_loglik, censored data, truncation, optimizer options).

    datasets : a list of B data sets;  weights : a list of B weight arrays, or None
    progress : None, or a callable(done, total) after each fit
    Returns (params, converged) as :func:`refit_many` does.
    """
    from .errors import MaxlikError

    B = len(datasets)
    rows = []
    converged = np.zeros(B, dtype=bool)
    for b, data in enumerate(datasets):
        w = None if weights is None else weights[b]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                r = spec.refit(data, w)
            except (MaxlikError, ValueError, np.linalg.LinAlgError):  # a sample the fit cannot take: counted
                rows.append(None)
            else:
                converged[b] = bool(r.converged)
                rows.append(r.params if r.converged else None)
        if progress is not None:
            progress(b + 1, B)
    params = {}
    for k in names:
        first = next((p[k] for p in rows if p is not None), 0.0)
        if np.ndim(first) == 0:
            params[k] = np.array([np.nan if p is None else float(p[k]) for p in rows])
        else:
            params[k] = np.empty(B, dtype=object)
            for b, p in enumerate(rows):
                params[k][b] = None if p is None else np.asarray(p[k], dtype=float)
    return params, converged
