"""``maxlik.fit(x, family, truncation=(low, high))``: the fit of truncated data.

Data are truncated when values outside a known window (low, high] are never recorded (claims
below a deductible, detections above an instrument's floor): each observation's density is the
family's renormalised by the window's probability, ℓ(θ) = Σₙ wₙ [log p(xₙ | θ) − log P(low < X ≤ high | θ)]
(:mod:`maxlik.truncated_family`). The fit is numerical, on the engine of every other family,
with weights, ``fixed``, ``init``, ``n_init``, standard errors, Wald and profile intervals and
the criteria. Truncation combined with censoring is not implemented (see ``fit``'s docstring).
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import as_weights, row_label
from .errors import DataError, FitFailedError, ParameterError
from .families import ThresholdFamily
from .results import FitResult
from .stats_fit import CLOSED_FORM, check_fixed
from .truncated_family import TruncatedFamily, bound_text


def check_truncation(truncation, fam, owner: str) -> tuple[float, float]:
    """(low, high) as floats (None -> ∓inf), with low < high, for a family with distribution functions."""
    if not (isinstance(truncation, (tuple, list)) and len(truncation) == 2):
        raise ParameterError(
            f"{owner}: truncation must be a pair (low, high); got {truncation!r}. Pass e.g. truncation=(0, 10), "
            "or truncation=(0, None) for a window without an upper end.")
    bounds = []
    for side, v, default in zip(("low", "high"), truncation, (-math.inf, math.inf)):
        try:
            b = default if v is None else float(v)
        except (TypeError, ValueError):
            raise ParameterError(f"{owner}: truncation {side} must be a number or None; got {v!r}.") from None
        if math.isnan(b):
            raise ParameterError(f"{owner}: truncation {side} must be a number or None; got nan. Use None for no bound.")
        bounds.append(b)
    low, high = bounds
    if not low < high:
        raise ParameterError(
            f"{owner}: truncation low must be below high; got low = {bound_text(low)} >= high = {bound_text(high)}. "
            "Pass the window as (low, high) with low < high.")
    if not fam.has_distribution_functions:
        try:
            fam.logcdf({k: 0.0 for k in fam.param_names}, 0.0)
        except ParameterError as e:  # it names the families that have them
            raise ParameterError(f"{owner}: truncation needs the family's cdf. {e}") from None
    if isinstance(fam, ThresholdFamily):
        raise ParameterError(
            f"{owner}: truncation is not implemented for a threshold family; got {fam.display_name}. Fit the "
            f"two-parameter family '{fam.base}', or fix loc and fit the data minus loc.")
    return low, high


def check_window(fam: TruncatedFamily, data: np.ndarray, owner: str) -> None:
    """Every observation inside the window, else DataError with the count and the first row."""
    bad = ~fam.inside(data)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        rule = f"{bound_text(fam.low)} < x <= {bound_text(fam.high)}"
        if not fam.support.is_discrete:
            rule = f"{bound_text(fam.low)} <= x <= {bound_text(fam.high)}"
        raise DataError(
            f"{owner}: data must lie inside the truncation window {rule}; got {int(bad.sum())} value(s) outside "
            f"(first at {row_label(i)}: {data[i]:g}). Truncated data cannot hold values outside the window: widen "
            "it, or drop those rows.")


def fit_truncated(x, fam, truncation, *, weights=None, fixed=None, method="auto", **options) -> FitResult:
    """:func:`maxlik.fit` with ``truncation=(low, high)`` on an in-memory array."""
    owner = f"fit({fam.display_name})"
    low, high = check_truncation(truncation, fam, owner)
    tfam = TruncatedFamily(fam, low, high)
    owner = f"fit({tfam.display_name})"
    if method == CLOSED_FORM:
        raise ParameterError(
            f"{owner}: method must be 'auto' or a numerical optimizer for truncated data (the truncated likelihood "
            f"has no closed-form maximum); got {method!r}.")
    data = tfam.validate_data(x)
    check_window(tfam, data, owner)
    w = as_weights(weights, data.shape[0], owner)
    from .optimize import fit_numerical

    fixed = check_fixed(tfam, fixed)
    try:
        nf = fit_numerical(data, tfam, weights=w, fixed=fixed, method=method, _owner=owner, **options)
    except NotImplementedError as e:  # JAX lacks a second derivative (the incomplete gamma function in its a)
        raise FitFailedError(
            f"{owner}: the truncated log-likelihood must have second derivatives in the free parameters; got none from "
            f"JAX for {fam.display_name}'s cdf ({e}). Hold the shape parameter fixed (fixed={{...}}), or fit a family "
            "whose cdf JAX differentiates twice (e.g. weibull, lognormal).") from None
    return FitResult.from_numerical(tfam, nf)


__all__ = ["check_truncation", "fit_truncated"]
