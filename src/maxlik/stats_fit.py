"""The fit of a closed-form family from its sufficient statistics: the MLE, the log-likelihood and
the observed information from the statistics alone (the family's ``exact_covariance`` where it has
one, else the autodiff Hessian of ``loglik_from_stats``), and the profile log-likelihood — shared
by ``maxlik.fit`` on arrays, ``maxlik.fit_stats`` and the streamed fits of :mod:`maxlik.streamed`.
"""

from __future__ import annotations

import numpy as np

from .errors import ParameterError
from .families import Family, Stats
from .inference import InferenceUnavailable, boundary_message, observed_covariance, on_boundary
from .results import FitResult
from .status import Status

CLOSED_FORM = "closed_form"


def check_fixed(family: Family, fixed: dict | None) -> dict:
    if fixed is None:
        return {}
    if not isinstance(fixed, dict):
        raise ParameterError(
            f"fit: fixed must be a dict of parameter name -> value; got {type(fixed).__name__}. "
            "For example fixed={'loc': 0.0}."
        )
    return family.check_params(fixed, owner=f"fit({family.display_name})")


def _covariance_fn(family: Family, params: dict, fixed: tuple, nll, stats: Stats | None = None):
    free = tuple(k for k in family.param_names if k in params and k not in fixed)

    def compute():
        if stats is not None:
            bad = on_boundary(family, params, free)
            if bad:
                return None, [], boundary_message(bad)
        try:  # an infinite variance may be the answer (Pareto's scale for N·α ≤ 2); an overflow is not
            with np.errstate(over="raise"):
                exact = None if stats is None else family.exact_covariance(stats, params, free)
        except (FloatingPointError, OverflowError):
            return None, [], _overflow_message(params)
        if exact is not None:
            return exact[0], exact[1], None
        try:
            cov, labels = observed_covariance(family, params, free, nll)
            return cov, labels, None
        except InferenceUnavailable as why:
            return None, [], str(why)

    return compute


def _overflow_message(params: dict) -> str:
    """Why the closed-form covariance is missing: its entries (e.g. Σᵢₖ·Σⱼₗ/W for a covariance
    matrix's entries of 1e154) are beyond float64 although the estimates are not."""
    big = max(float(np.max(np.abs(np.asarray(v, dtype=float)))) for v in params.values())
    return (f"the covariance of the estimates overflows float64 (estimates up to {big:.3g}, their variances "
            "beyond 1.8e308): fit the data in other units (e.g. divided by a power of 10) and scale the "
            "standard errors back")


def result_from_stats(family: Family, stats: Stats, fixed: dict | None = None) -> FitResult:
    """FitResult of the closed-form MLE for already-computed (e.g. merged) statistics."""
    fixed = check_fixed(family, fixed)
    params = family.mle_from_stats(stats, fixed)
    params = {k: (float(v) if np.ndim(v) == 0 else np.asarray(v, dtype=float)) for k, v in params.items()}
    loglik = float(family.loglik_from_stats(stats, params))

    def nll(p):
        return -family.loglik_from_stats(stats, p)

    return FitResult(
        family=family,
        params=params,
        fixed=tuple(fixed),
        loglik=loglik,
        n=int(stats.count),
        weight=float(stats.weight),
        method=family.stats_method,
        status=Status.CLOSED_FORM if family.stats_method == CLOSED_FORM else Status.CONVERGED,
        message=("closed-form maximum likelihood estimate" if family.stats_method == CLOSED_FORM
                 else f"maximum found from the sufficient statistics ({family.stats_method})"),
        _cov_fn=_covariance_fn(family, params, tuple(fixed), nll, stats),
        _profile=_profile_fn(family, stats, fixed),
    )


def _profile_fn(family: Family, stats: Stats, fixed: dict):
    """Profile log-likelihood from the statistics: the closed-form MLE with more parameters held."""

    def profile(extra_fixed: dict) -> float:
        held = {**fixed, **{k: np.asarray(v, dtype=float) for k, v in extra_fixed.items()}}
        p = family.mle_from_stats(stats, held)
        return float(family.loglik_from_stats(stats, {k: np.asarray(v, dtype=float) for k, v in p.items()}))

    return profile
