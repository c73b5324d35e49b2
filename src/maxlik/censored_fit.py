"""fit(Censored(...), family): maximum likelihood for censored observations.

For a univariate family with distribution functions (F = cdf, S = sf, f = density),

    ℓ(θ) = Σ_exact w log f(x) + Σ_left w log F(b) + Σ_right w log S(a) + Σ_interval w log(F(b) − F(a)),

with the interval term a stable log-difference: log F(b) + log(1 − e^{log F(a) − log F(b)}) when
F(a) ≤ S(b), else log S(a) + log(1 − e^{log S(b) − log S(a)}) (in the right tail F(a) and F(b)
both round to 1, while S(a) and S(b) keep their digits): :func:`maxlik.families.intervals.log_prob_between`.
Each term is evaluated only on its own rows (:mod:`maxlik.censored_family`). For discrete families an interval
(a, b] means P(a < X ≤ b) = F(b) − F(a), a left-censored row P(X ≤ b), a right-censored one P(X > a).

The fit runs on the numerical engine (as :func:`maxlik.fit_loglik` does) through the adapter
:class:`~maxlik.censored_family.CensoredFamily`, so weights, fixed, init, n_init, standard errors, Wald and profile
intervals, AIC/BIC, ``compare`` and ``lrt`` work as for complete data; the result's family is the
base family, so ``r.cdf``, ``r.ppf``, ``summary`` and JSON are those of a plain fit.

Bounds at or beyond the support's ends carry no information on that side: an interval (0, b]
for a positive family is left-censored at b, a right bound at a finite upper end (Beta's 1) is
dropped. The start is the family's ``init`` on a pseudo-complete sample (interval midpoints,
the observed bound of one-sided rows).

Every observation censored on the same side (all left- or all right-censored): the likelihood
is maximised at the edge of the parameter space (e.g. an exponential's rate → 0 when every
time is right-censored), so the MLE does not exist and the fit raises ``DegenerateFitError``
rather than return the point where the optimizer gave up.

A threshold family (``weibull3``, ...) needs ``fixed={"loc": ...}`` with censored data: the check
that tells a spike of the likelihood at loc → min(x) from a maximum is defined for exact data
only (:mod:`maxlik.threshold_fit`), so a free loc is refused rather than risk returning a spike.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from . import constraints as C
from ._validation import as_weights, row_label
from .censored import EXACT, INTERVAL, KIND_NAMES, LEFT, RIGHT, Censored
from .censored_family import NONE, CensoredFamily, rows_array, segments
from .errors import DataError, DegenerateFitError, ParameterError, SupportError
from .families import Family, ThresholdFamily, with_distribution_functions
from .results import FitResult
from .stats_fit import check_fixed



def censoring_families() -> list[str]:
    """Registry names of the families that can fit censored data (univariate, with a CDF)."""
    return with_distribution_functions()


def _support_ends(support) -> tuple[float, float, bool]:
    """(lower, upper, discrete) of a univariate support."""
    if isinstance(support, C.IntegerInterval):
        return float(support.lower), math.inf if support.upper is None else float(support.upper), True
    return float(getattr(support, "lower", -math.inf)), float(getattr(support, "upper", math.inf)), False


def prepare(data: Censored, fam: Family, owner: str) -> dict:
    """The adapter's data: bounds outside the support dropped, exact values checked, a safe
    point on the rows where a term is not used."""
    lo, hi, kind = data.left.copy(), data.right.copy(), data.kind
    exact = kind == EXACT
    inside = np.asarray(fam.support.check(np.where(exact, lo, np.nan)))
    bad = exact & ~inside
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise SupportError(
            f"{fam.display_name}: exact observations must be {fam.support.describe()}; got {int(bad.sum())} value(s) "
            f"outside the support (first at {row_label(i)}: {lo[i]:g}). Check the data, or choose a family whose "
            "support contains them.")
    lower, upper, discrete = _support_ends(fam.support)
    cens = ~exact
    with np.errstate(invalid="ignore"):
        # a lower bound at/below the support's start (or an upper bound at/above its end) says nothing
        lo_void = cens & ((lo < lower) if discrete else (lo <= lower))
        hi_void = cens & (hi >= upper)
        impossible = cens & ((hi < lower) | (lo >= upper))
    if impossible.any():
        i = int(np.flatnonzero(impossible)[0])
        raise SupportError(
            f"{fam.display_name}: censoring bounds must overlap the support ({fam.support.describe()}); got "
            f"{int(impossible.sum())} row(s) whose interval lies outside it (first at {row_label(i)}: "
            f"left={lo[i]:g}, right={hi[i]:g}), which have probability 0. Check the data or the family.")
    lo[lo_void], hi[hi_void] = np.nan, np.nan
    lo_m, hi_m = np.isnan(lo), np.isnan(hi)
    kind = np.select([exact, lo_m & hi_m, lo_m, hi_m], [EXACT, NONE, LEFT, RIGHT], INTERVAL)
    pseudo = np.select([kind == LEFT, kind == RIGHT, kind == INTERVAL, kind == NONE],
                       [hi, lo, 0.5 * (lo + hi), np.nan], lo)
    if discrete:
        pseudo = np.floor(pseudo)
    finite = np.sort(pseudo[np.isfinite(pseudo)])
    safe = finite[finite.size // 2] if finite.size else (lower + 1.0 if np.isfinite(lower) else 0.0)
    pseudo = np.where(np.isfinite(pseudo), pseudo, safe)
    t = np.select([kind == LEFT, kind == EXACT], [hi, lo], np.where(kind == NONE, safe, lo))
    t2 = np.where(kind == INTERVAL, hi, t)
    return dict(kind=kind.astype(np.int32), t=t, t2=t2, pseudo=pseudo)


def _check_estimable(kind: np.ndarray, w, fam: Family, owner: str, n_free: int) -> None:
    used = kind != NONE if w is None else (kind != NONE) & (w > 0)
    if not used.any():
        raise DegenerateFitError(f"{owner}: censored data must have at least one informative row; got none "
                                 "(every bound lies at the ends of the support). Check the data.")
    sides = set(np.unique(kind[used]).tolist())
    if n_free and sides in ({LEFT}, {RIGHT}):
        side = KIND_NAMES[sides.pop()]
        raise DegenerateFitError(
            f"{owner}: censored data must not be censored all on one side; got all {int(used.sum())} rows "
            f"{side}. The likelihood then grows toward the edge of the parameter space and the MLE may not "
            "exist. Add exact or interval-censored observations, or hold parameters fixed=...")


def _above_threshold(data: Censored, fam: ThresholdFamily, fixed: dict, w, owner: str) -> Censored:
    """A threshold family on censored data needs a fixed ``loc``: the bounds at or below it carry
    no information (P(X ≤ loc) = 0) and become missing; a row that needs X ≤ loc is an error.

    A free loc is refused. The likelihood of exact data is unbounded as loc → min(x) when the
    shape is ≤ 1, and :mod:`maxlik.threshold_fit` detects that from the profile over loc of the
    two-parameter fits of x − loc; for censored data the profile is not implemented, so a spike
    could be returned as an optimum unnoticed."""
    if "loc" not in fixed:
        raise ParameterError(
            f"{owner}: censored data with a threshold family must have `loc` fixed; got loc free. With exact "
            f"observations the likelihood is unbounded as loc -> the smallest one when the {fam.shape or 'sigma'} "
            "estimate is small, and the check that detects it (the profile over loc) is implemented for "
            f"uncensored data only. Pass fixed={{'loc': ...}} (a known lower limit, e.g. 0), or fit the "
            f"two-parameter family (family='{fam.base}') to the censored data minus a known threshold.")
    loc = float(fixed["loc"])
    lo, hi = data.left.copy(), data.right.copy()
    with np.errstate(invalid="ignore"):
        # exact x <= loc, or an upper bound <= loc: probability 0 under the fixed threshold
        bad = ((lo == hi) & (lo <= loc)) | (hi <= loc)
    if w is not None:
        bad &= w > 0
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        at = lo[i] if lo[i] == hi[i] else hi[i]
        raise DataError(
            f"{owner}: fixed `loc` must be below every exact observation and every upper bound (the density is 0 at "
            f"and below loc); got loc = {loc:g} with {int(bad.sum())} row(s) at or below it (first at {row_label(i)}: "
            f"{at:g}). Pass a loc below them, or fit the two-parameter family (family='{fam.base}').")
    with np.errstate(invalid="ignore"):
        lo[(lo <= loc) & (lo != hi)] = np.nan  # "X > a" with a <= loc says nothing
    out = object.__new__(Censored)  # (NaN, NaN) rows are allowed here: prepare gives them no weight
    object.__setattr__(out, "left", lo)
    object.__setattr__(out, "right", hi)
    return out


def fit_censored(data: Censored, fam: Family, *, weights=None, fixed=None, method="auto", **options) -> FitResult:
    """Maximum likelihood of ``fam`` on censored ``data`` (see the module docstring)."""
    owner = f"fit({fam.display_name})"
    if not fam.has_distribution_functions:
        kind = "a multivariate family" if fam.event_ndim else "a family without distribution functions"
        raise DataError(
            f"{owner}: censored data need a univariate family with a CDF; got {kind}. Families that support "
            f"censoring: {', '.join(censoring_families())}.")
    if method == "closed_form":
        raise ParameterError(f"{owner}: method='closed_form' has no censored form; got censored data. "
                             "Use method='auto' (numerical maximum likelihood).")
    w = as_weights(weights, data.n, owner)
    fixed = check_fixed(fam, fixed)
    if isinstance(fam, ThresholdFamily):
        data = _above_threshold(data, fam, fixed, w, owner)
    arrays = prepare(data, fam, owner)
    n_free = sum(1 for k in fam.param_names if k not in fixed)
    _check_estimable(arrays["kind"], w, fam, owner, n_free)
    from .optimize import check_options, fit_numerical

    check_options(options, owner)
    family, layout, lw = _layout(fam, arrays, w, method)
    nf = fit_numerical(layout, family, weights=lw, fixed=fixed, method=method, _owner=owner, **options)
    return FitResult.from_numerical(fam, dataclasses.replace(nf, n=data.n))


def _layout(fam: Family, arrays: dict, w, method: str):
    """(adapter, data, weights): the NumPy rows layout where the
    base family has the derivatives of log f and log S and the NumPy Newton kernel serves this
    size, else the JAX segment layout (:mod:`maxlik.censored_family`)."""
    from .optimize import NUMPY_MAX_ROWS

    kind, t, t2, pseudo = arrays["kind"], arrays["t"], arrays["t2"], arrays["pseudo"]
    rows = CensoredFamily(fam)
    if rows.has_derivatives and method in ("auto", "newton") and kind.shape[0] <= NUMPY_MAX_ROWS:
        layout = rows_array(kind, t, t2, pseudo)
        return rows, layout, None if w is None else w[layout[:, 4].astype(int)]
    data, lw, sizes = segments(kind, t, t2, pseudo, w)
    return CensoredFamily(fam, sizes), data, lw
