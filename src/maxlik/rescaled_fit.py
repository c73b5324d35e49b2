"""Fits of data near 1e±300: on an exactly rescaled copy, mapped back (issue #16 item 4).

Squares of data near 1e300 overflow (a Normal's Σ(x − x̄)², a Hessian entry n/σ², the variance of
a location), and those of data near 1e-300 underflow. For a scale family (one that declares
``scale_exponents``, see :mod:`maxlik.families._scale_rules`) whose data have their largest |x|
above 2^332 ≈ 8.7e99 or below 2^-332 ≈ 1.1e-100, :func:`maxlik.fit` therefore fits

    y = x / c,   c = 2^k,   k = the binary exponent of max |x|   (so max |y| lies in [½, 1))

(k lowered, when x also holds tiny non-zero values, so that no y leaves float64's normal range:
then y = x / c is exact; for Pareto, whose scale estimate is min x, the smallest |x| decides, see
:func:`_exponent_for_minimum`) and returns a :class:`~maxlik.results.rescaled_result.RescaledFitResult`,
whose estimates, standard errors, intervals, log-likelihood (ℓ = ℓ_y − W·log c), criteria and
distribution functions are in the user's units. ``fixed`` values and ``init`` starting values
are divided by c^e on the way in (e the parameter's exponent; a LOG parameter shifts by −log c),
a ``truncation`` window by c; weights pass unchanged.

Not rescaled (fitted as before): data read in passes (``maxlik.scan``, Dask), censored data,
``prior=``, families that are not scale families (counts, probabilities, angles,
the multivariate normal), and ``fit_groups``.
"""

from __future__ import annotations

import math

import numpy as np

from .errors import DataError
from .families import Family, Rescaling
from .results.rescaled_result import RescaledFitResult
from .stats_fit import check_fixed

#: rescale when the binary exponent of max |x| is above this or below its negative
THRESHOLD_LOG2 = 332


def rescaling_for(x, fam: Family, *, prior=None) -> Rescaling | None:
    """The Rescaling that brings the data's largest |x| near 1, or None where none is needed (data
    within 2^±332, non-finite or all zero) or none applies (see the module docstring)."""
    if prior is not None or fam.event_ndim != 0:
        return None
    exponents = fam.scale_exponents  # checked when the family was registered (scale_exponents_of)
    if exponents is None:
        return None
    a = x if type(x) is np.ndarray else _float_array(x, fam)  # noqa: E721  (the common case, fast)
    if a is None or a.dtype.kind != "f" or a.ndim != 1 or a.size == 0:
        return None
    big = max(abs(float(a.max())), abs(float(a.min())))  # two passes over x: ~0.3 ns per row
    if not math.isfinite(big) or big == 0.0:  # NaN, inf or all zeros: the usual errors and paths
        return None
    k = math.frexp(big)[1]
    if fam.rescale_by_minimum:
        k = _exponent_for_minimum(a, k)
    elif -THRESHOLD_LOG2 <= k <= THRESHOLD_LOG2:
        return None
    if k > 0:  # dividing: keep the smallest non-zero |x| in the normal range (exact division)
        tiny = float(np.min(np.abs(a[a != 0.0])))
        k = min(k, math.frexp(tiny)[1] + 1021)
    return Rescaling(k, exponents) if k != 0 else None


def _exponent_for_minimum(a: np.ndarray, k_big: int) -> int:
    """k for a family whose estimate is the data's minimum (``Family.rescale_by_minimum``): 0 when
    the smallest non-zero |x| and the largest are within 2^±332; otherwise the smallest y = x / 2^k
    is brought to 2^-332 or above (its square over N² stays a normal float) while the largest
    stays below 2^1000, the largest first when the data span more than both allow."""
    nonzero = np.abs(a[a != 0.0])
    k_tiny = math.frexp(float(np.min(nonzero)))[1] if nonzero.size else k_big
    if k_tiny >= -THRESHOLD_LOG2 and k_big <= THRESHOLD_LOG2:
        return 0
    return max(min(k_big, k_tiny + THRESHOLD_LOG2), k_big - 1000)


def _float_array(x, fam: Family) -> np.ndarray | None:
    """``x`` as a float array when it is data in memory (not censored, not read in passes)."""
    from .censored import Censored
    from .sources import as_source

    if isinstance(x, Censored) or as_source(x, owner=f"fit({fam.display_name})") is not None:
        return None
    try:
        a = np.asarray(x)
    except Exception:  # noqa: BLE001  (the usual path reports what is wrong with the data)
        return None
    return a if a.dtype.kind == "f" else None  # integers (|x| < 2^63) never need it


def scaled_inputs(x, fam: Family, rescaling: Rescaling, fixed, truncation, options: dict):
    """(x / c, fixed values / c^e, truncation bounds / c, options with ``init`` / c^e) for the fit on
    the rescaled copy. The data, ``fixed`` and ``truncation`` are checked at the user's scale first,
    so that their errors quote the user's values; weights need no change.
    """
    data = fam.validate_data(x)
    fixed_user = check_fixed(fam, fixed) if fixed is not None else None
    window = None
    if truncation is not None:
        window = tuple(float(b) for b in rescaling.data_to_scaled(_window(truncation, fam)))
    opts = dict(options)
    if isinstance(opts.get("init"), dict):
        opts["init"] = rescaling.params_to_scaled(opts["init"])
    return rescaling.data_to_scaled(data), rescaling.params_to_scaled(fixed_user), window, opts


def in_user_units(inner, rescaling: Rescaling, fam: Family, fixed, truncation=None) -> RescaledFitResult:
    """The fit on x / c as a RescaledFitResult in the user's units (a truncated family with the
    user's window); held values exactly as given (a LOG parameter's shift by log c and back may round)."""
    family = None
    if truncation is not None:
        from .truncated_family import TruncatedFamily

        family = TruncatedFamily(fam, *_window(truncation, fam))
    _check_representable(inner, rescaling, fam)
    result = RescaledFitResult.of(inner, rescaling, family)
    for k, v in (check_fixed(fam, fixed) if fixed is not None else {}).items():
        if k in result.params:
            result.params[k] = float(v) if np.ndim(v) == 0 else np.asarray(v, dtype=float)
    return result


def _check_representable(inner, rescaling: Rescaling, fam: Family) -> None:
    """A DataError when an estimate, finite in the fit's units, is beyond float64 in the user's
    (an Exponential's rate 1/mean for data around 1e-313: 4.5e312): no float can report it."""
    for k, v in inner.params.items():
        scaled = np.asarray(v, dtype=float)
        if np.all(np.isfinite(scaled)) and not np.all(np.isfinite(rescaling.to_user(k, scaled))):
            e = rescaling.exponents.get(k, 0)
            raise DataError(
                f"fit({fam.display_name}): the estimate of `{k}` must be within the float64 range (about "
                f"±1.8e308); got {float(np.max(np.abs(scaled))):.6g} x 2^{e * rescaling.log2} for these data "
                f"(fitted on the data divided by 2^{rescaling.log2}). Multiply the data by a power of two, fit, "
                f"and scale `{k}` back by hand (it moves as the data's scale to the power {e}).")


def in_fit_units(err: Exception, rescaling: Rescaling) -> Exception:
    """``err`` (raised by the fit on x / c) with a last sentence saying which units its values are in."""
    if err.args and isinstance(err.args[0], str):
        err.args = (f"{err.args[0]} (Values quoted are in the units of the fit: the data divided by "
                    f"2^{rescaling.log2}.)", *err.args[1:])
    return err


def _window(truncation, fam: Family) -> tuple[float, float]:
    from .truncated_fit import check_truncation

    return check_truncation(truncation, fam, f"fit({fam.display_name})")
