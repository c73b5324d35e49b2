"""Observed Fisher information → covariance of the estimates (the one place a Hessian is inverted).

The covariance of θ̂ is the inverse Hessian of the NLL at θ̂. It is computed with automatic
differentiation in the family's *unconstrained* coordinates u (where the Hessian of a regular
problem is positive definite even for simplex or matrix parameters) and carried to the
constrained parameters by the delta method:  Cov(θ̂) = J H_u⁻¹ Jᵀ,  J = ∂θ/∂u.

:func:`covariance_from_hessian` is the single Hessian → covariance routine of maxlik: the
numerical engine, the closed-form path (:func:`observed_covariance`), the GLMs and the Gaussian
mixture's observed information all go through it, so every fit gives the same reason when no
covariance exists (a non-finite Hessian, or one that is not positive definite, with its smallest
eigenvalue).

JAX is imported only by :func:`observed_covariance` (the autodiff Hessian): a closed-form fit
whose family gives ``exact_covariance`` never loads it (issue #11).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from . import constraints as C
from .families import flat_labels

NOT_FINITE = "the Hessian of the NLL at the estimate is not finite"
NOT_POSITIVE_DEFINITE = (
    "the Hessian of the NLL at the estimate is not positive definite (smallest eigenvalue {lmin:.3g}: "
    "a saddle point, or a parameter that is not identifiable)"
)


class InferenceUnavailable(Exception):
    """Internal: the observed information cannot give a covariance; the message says why."""


def boundary_message(names) -> str:
    """Why no covariance exists when the estimates of ``names`` lie on their domain's edge."""
    return (
        f"{', '.join(names)} lies on the boundary of its domain, where the observed information "
        "is not finite; Wald standard errors and intervals are undefined there (a scalar parameter has a "
        "one-sided profile interval: conf_int(method='profile'))"
    )


def on_boundary(family, params: dict, free: tuple[str, ...]) -> list[str]:
    """The free parameters whose estimate is not inside the open domain of its constraint
    (p̂ = 0 or 1, a simplex with an empty category, ...): there the unconstrained coordinate is
    infinite and no Wald covariance exists. NumPy only (no JAX)."""
    bad = []
    for k in free:
        constraint = family.param(k).constraint
        if isinstance(constraint, type(C.positive_definite)):
            continue  # estimates come with a Cholesky factor (mle_from_stats checks it): not judged here
        v = np.asarray(params[k], dtype=float)
        inside = np.all(constraint.check(v))
        if isinstance(constraint, type(C.simplex)):  # check() admits zeros; the open simplex does not
            inside = inside and np.all(v > 0)
        if not inside:
            bad.append(k)
    return bad


def covariance_from_hessian(hess_nll, jac=None) -> tuple[np.ndarray | None, str | None]:
    """(Cov, None) or (None, reason) from the Hessian of the NLL at the estimate.

    hess_nll : (p, p) Hessian of the *total* negative log-likelihood in the coordinates u it was
        taken in (symmetrised here).
    jac : optional (q, p) Jacobian J = ∂θ/∂u of the reported parameters θ; then the delta method
        gives Cov(θ̂) = J H⁻¹ Jᵀ (q, q). Without it, H⁻¹ (p, p).

    H must be finite and positive definite (a Cholesky factorisation succeeds); otherwise the
    reason names the smallest eigenvalue. The inverse comes from the Cholesky factor, never from
    an explicit ``inv`` of an indefinite matrix.
    """
    h = np.asarray(hess_nll, dtype=float)
    q = h.shape[0] if jac is None else np.shape(jac)[0]
    if h.size == 0:
        return np.zeros((q, q)), None
    if not np.all(np.isfinite(h)):
        return None, NOT_FINITE
    h = 0.5 * h + 0.5 * h.T  # not (h + hᵀ)/2: entries near 1e308 would overflow (a Student-t on ties, fuzz)
    try:
        chol = np.linalg.cholesky(h)
    except np.linalg.LinAlgError:
        return None, NOT_POSITIVE_DEFINITE.format(lmin=float(np.linalg.eigvalsh(h)[0]))
    inv_chol = np.linalg.solve(chol, np.eye(h.shape[0]))
    cov = inv_chol.T @ inv_chol
    if jac is not None:
        jac = np.asarray(jac, dtype=float)
        cov = jac @ cov @ jac.T
    return 0.5 * (cov + cov.T), None


def observed_covariance(family, params: dict, free: tuple[str, ...], nll: Callable) -> tuple[np.ndarray, list[str]]:
    """Covariance of the free parameters (flattened, constrained scale) and their labels.

    ``nll(params_dict)`` must be JAX-differentiable. Raises InferenceUnavailable with a reason.
    """
    from jax.flatten_util import ravel_pytree

    from ._jax import jax, jnp

    free_params = {k: jnp.asarray(params[k], dtype=float) for k in free}
    fixed_params = {k: jnp.asarray(v, dtype=float) for k, v in params.items() if k not in free}
    if not free_params:
        return np.zeros((0, 0)), []
    u0 = family.to_unconstrained(free_params)
    flat_u, unravel = ravel_pytree(u0)
    if not np.all(np.isfinite(np.asarray(flat_u))):
        bad = [k for k, v in u0.items() if not np.all(np.isfinite(np.asarray(v)))]
        raise InferenceUnavailable(boundary_message(bad))

    def constrained(u_flat):
        return family.from_unconstrained(unravel(u_flat))

    def objective(u_flat):
        return nll({**fixed_params, **constrained(u_flat)})

    hess = np.asarray(jax.hessian(objective)(flat_u))
    jac = np.asarray(jax.jacobian(lambda u: ravel_pytree(constrained(u))[0])(flat_u))
    cov, why = covariance_from_hessian(hess, jac)
    if cov is None:
        raise InferenceUnavailable(why)
    return cov, flat_labels(free_params)
