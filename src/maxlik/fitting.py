"""maxlik.fit: one entry point for every family.

``method="auto"`` uses the closed form when the family has one, else numerical optimisation.
The closed-form path reads the data once (sufficient statistics) and computes the
log-likelihood and the observed information from the statistics alone, in NumPy: the family's
``exact_covariance`` gives the inverse information in closed form, so a closed-form fit, its
standard errors, intervals, criteria and summary never import JAX (issue #11). Only a family
without ``exact_covariance`` falls back to the autodiff Hessian of ``loglik_from_stats``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from ._deprecation import warn_renamed
from ._validation import as_data, as_weights
from .errors import DataError, MaxlikError, ParameterError
from .families import Family, Stats, ThresholdFamily, get_family
from .results import FitResult
from .rescaled_fit import in_fit_units, in_user_units, rescaling_for, scaled_inputs
from .results import RescaledFitResult
from .results.resampling import ResampleData
from .stats_fit import CLOSED_FORM, check_fixed, result_from_stats


def fit_stats(stats: Stats, family, *, fixed: dict | None = None) -> FitResult:
    """Closed-form fit from sufficient statistics (e.g. merged over chunks of a large file).

    >>> parts = [fam.suffstats(chunk) for chunk in chunks]
    >>> maxlik.fit_stats(Stats.merge_all(parts), fam)
    """
    fam = get_family(family, owner="fit_stats")
    if not isinstance(stats, Stats):
        raise DataError(
            f"fit_stats: stats must be sufficient statistics (a Stats from {fam.display_name}().suffstats); "
            f"got {type(stats).__name__}. Use maxlik.fit for raw data."
        )
    return result_from_stats(fam, stats, fixed)


def _stats_validated_lazily(fam: Family, x) -> Stats:
    """Statistics of ``x`` with one pass over the data instead of two: a NaN, an inf or a value
    outside the support makes the statistics non-finite (``fam.stats_reveal_invalid_data``), and
    only then is the data scanned for the usual error (count and first bad row)."""
    data = as_data(x, fam.display_name, fam.event_ndim, check_finite=False)
    if data.size == 0:  # no rows or no columns: the full check says which
        fam.validate_data(data)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # bad values are reported below instead
        stats = fam.suffstats(data, None)
    floats = (getattr(stats, f.name) for f in dataclasses.fields(stats))
    if all(np.all(np.isfinite(v)) for v in floats if isinstance(v, (float, np.floating, np.ndarray))):
        return stats
    fam.validate_data(data)  # raises DataError / SupportError naming the first bad row
    big = float(np.max(np.abs(data)))
    raise DataError(
        f"{fam.display_name}: data must be small enough in magnitude for their sums of squares to be "
        f"finite; got max |x| = {big:g}. Rescale the data (e.g. divide by {10 ** round(np.log10(big)):g}) "
        "and scale the estimates back."
    )


def restart_spelling(options: dict, owner: str) -> dict:
    """``n_init`` is the one name for random restarts (scikit-learn's, as in GaussianMixture);
    ``n_starts``, its spelling in 0.1, works until 0.2 with a DeprecationWarning."""
    options = dict(options)
    if "n_starts" in options:
        if "n_init" in options:
            raise ParameterError(f"{owner}: pass n_init only; got both n_init and n_starts (its deprecated spelling).")
        warn_renamed(owner, "n_starts", "n_init", stacklevel=3)
        options["n_init"] = options.pop("n_starts")
    return options


def fit(x, family, *, weights=None, fixed: dict | None = None, method: str = "auto", truncation=None,
        prior: dict | None = None, **options: Any) -> FitResult:
    """Maximum likelihood fit of ``family`` to data ``x``.

    Parameters
    ----------
    x : array-like, shape (n,) for scalar families or (n, d) for vector families; or data read in
        passes: ``maxlik.scan(...)`` (Parquet / CSV files larger than memory) or a Dask array /
        DataFrame column (computed on the active scheduler), see :mod:`maxlik.streamed`
    family : str | Family class | Family instance   e.g. "normal", maxlik.Normal,
        maxlik.MultivariateNormal(covariance_type="diag")
    weights : array-like (n,), optional   non-negative observation weights wₙ (for a scan: the name of
        a column; for a Dask collection: a dask or NumPy array); the fit maximises
        ℓ(θ) = Σ wₙ log p(xₙ | θ). Integer weights are equivalent to repeated rows.
    fixed : dict, optional   parameters held at given values, e.g. {"loc": 0.0}; the others are
        maximised with these fixed.
    method : "auto" | "closed_form" | a numerical optimizer name.
    truncation : (low, high), optional   the data are truncated to the window (low, high] (either
        bound None or infinite): each density is renormalised by P(low < X ≤ high), see
        :mod:`maxlik.truncated_fit`. Univariate families, arrays in memory; not with censoring.
    prior : dict, optional   name -> ``maxlik.prior(family, **params)``: the posterior mode (MAP)
        instead of the MLE, a :class:`maxlik.results.MAPResult` with Laplace-approximation standard
        errors and no AIC/BIC (see :mod:`maxlik.map_fit`). Arrays in memory, numerical path.
    options : of the numerical path: tol, max_iter, n_init (the number of starts, the first from
        ``family.init``, the others randomised; the best is kept), seed (seeds those starts), init
        (dict of starting values), strict (raise instead of warning when the fit does not converge).

    Data whose largest |x| is beyond 2^±332 (≈ 1e±100) are fitted, for a scale family, on the exact
    copy x / 2^k and mapped back (:mod:`maxlik.rescaled_fit`): the result is a RescaledFitResult.
    """
    fam = get_family(family, owner="fit")
    rescaling = rescaling_for(x, fam, prior=prior)  # data near 1e±300
    # the fit on x / 2^k called from here, as every fit: warnings' stack levels point at the caller
    y, fixed_y, window, opts = ((x, fixed, truncation, options) if rescaling is None
                                else scaled_inputs(x, fam, rescaling, fixed, truncation, options))
    try:
        result = _fit(y, fam, weights, fixed_y, method, window, prior, opts)
    except MaxlikError as err:  # raised by the fit on x / 2^k: its values are in those units
        if rescaling is not None:
            in_fit_units(err, rescaling)
        raise
    if rescaling is not None:
        result = in_user_units(result, rescaling, fam, fixed, truncation)
    return _resamplable(result, x, fam, weights, fixed, method, truncation, prior, options)


def _resamplable(result: FitResult, x, fam: Family, weights, fixed, method, truncation, prior, options) -> FitResult:
    """``result`` with the data and the refit that gof() and bootstrap() need (data in memory only)."""
    from .censored import Censored
    from .sources import as_source

    censored = isinstance(x, Censored)
    if not censored and as_source(x, owner=f"fit({fam.display_name})") is not None:
        return result

    def refit(data, w):
        return fit(data, fam, weights=w, fixed=fixed, method=method, truncation=truncation, prior=prior, **options)

    batched = (not censored and truncation is None and not isinstance(fam, ThresholdFamily) and method == "auto"
               and not options and prior is None and not isinstance(result, RescaledFitResult))
    result._resample = ResampleData(x, weights, "censored" if censored else "array", refit, batched, dict(fixed or {}))
    return result


def _fit(x, fam: Family, weights, fixed, method, truncation, prior, options: dict) -> FitResult:
    """The fit, by the path the data and the family call for (see :func:`fit`)."""
    from .censored import Censored

    if isinstance(x, Censored):  # censored observations: their own likelihood (maxlik.censored_fit)
        from .censored_fit import fit_censored

        if prior is not None:
            raise ParameterError(
                f"fit({fam.display_name}): prior= with censored data is not implemented; got a Censored data set. "
                "Fit the MAP estimate on exact observations, or the censored data without prior=.")
        if truncation is not None:
            raise ParameterError(
                f"fit({fam.display_name}): truncation of censored data is not implemented; got both a Censored data "
                "set and truncation=. Fit the censored data without truncation, or the exact observations with it.")

        options = restart_spelling(options, f"fit({fam.display_name})")
        return fit_censored(x, fam, weights=weights, fixed=fixed, method=method, **options)
    from .sources import as_source

    src = as_source(x, owner=f"fit({fam.display_name})")
    if prior is not None:
        if src is not None or truncation is not None or isinstance(fam, ThresholdFamily):
            raise ParameterError(
                f"fit({fam.display_name}): prior= must come with an array in memory, no truncation= and a family other "
                f"than a threshold one; got {'data read in passes' if src is not None else 'truncation=' if truncation is not None else 'a threshold family'}. "
                "Fit the MAP estimate on an array, without truncation, of a two-parameter family.")

        from .map_fit import fit_map

        if options:
            from .optimize import check_options

            options = restart_spelling(options, f"fit({fam.display_name})")
            check_options(options, f"fit({fam.display_name})")
        return fit_map(x, fam, prior, weights=weights, fixed=fixed, method=method, **options)
    if options:
        from .optimize import check_options  # optimize imports optax/optimistix: only when needed

        options = restart_spelling(options, f"fit({fam.display_name})")
        check_options(options, f"fit({fam.display_name})")
    if truncation is not None:
        if src is not None:
            raise DataError(
                f"fit({fam.display_name}): data must be an array for a truncated fit; got data read in passes "
                f"({type(src).__name__}). Load the column into memory (numpy.asarray).")
        from .truncated_fit import fit_truncated

        return fit_truncated(x, fam, truncation, weights=weights, fixed=fixed, method=method, **options)
    if isinstance(fam, ThresholdFamily):
        if src is not None:
            raise DataError(
                f"fit({fam.display_name}): data must be an array for a threshold family (its fit needs min(x) and "
                f"a profile over loc first); got data read in passes ({type(src).__name__}). Load the column into "
                f"memory (numpy.asarray), or fit the two-parameter family '{fam.base}'.")
        from .threshold_fit import fit_threshold

        return fit_threshold(x, fam, weights=weights, fixed=fixed, method=method,
                             **options)
    if src is not None:
        from .streamed import fit_source

        return fit_source(src, fam, weights=weights, fixed=fixed, method=method, **options)
    closed = method in ("auto", CLOSED_FORM) and fam.has_closed_form and not options
    if closed and weights is None and fam.stats_reveal_invalid_data:
        return result_from_stats(fam, _stats_validated_lazily(fam, x), fixed)
    data = fam.validate_data(x)
    w = as_weights(weights, data.shape[0], f"fit({fam.display_name})")
    if closed:
        return result_from_stats(fam, fam.suffstats(data, w), fixed)
    if method == CLOSED_FORM:
        raise ParameterError(
            f"fit: method='closed_form' needs a family with a closed-form MLE; {fam.display_name} has none. "
            "Use method='auto'."
        )
    from .optimize import fit_numerical

    return FitResult.from_numerical(fam, fit_numerical(data, fam, weights=w, fixed=check_fixed(fam, fixed), method=method, **options))
