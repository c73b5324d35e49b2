"""Observed Fisher information → covariance of the estimates.

The covariance of θ̂ is the inverse Hessian of the NLL at θ̂. It is computed with automatic
differentiation in the family's *unconstrained* coordinates u (where the Hessian of a regular
problem is positive definite even for simplex or matrix parameters) and carried to the
constrained parameters by the delta method:  Cov(θ̂) = J H_u⁻¹ Jᵀ,  J = ∂θ/∂u.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from jax.flatten_util import ravel_pytree

from ._jax import jax, jnp


class InferenceUnavailable(Exception):
    """Internal: the observed information cannot give a covariance; the message says why."""


def flat_labels(params: dict) -> list[str]:
    """'loc', 'cov[0,1]', ... in ravel_pytree order (sorted keys, row-major)."""
    labels = []
    for name in sorted(params):
        shape = np.shape(params[name])
        if shape == ():
            labels.append(name)
        else:
            labels += [f"{name}[{','.join(map(str, idx))}]" for idx in np.ndindex(shape)]
    return labels


def observed_covariance(family, params: dict, free: tuple[str, ...], nll: Callable) -> tuple[np.ndarray, list[str]]:
    """Covariance of the free parameters (flattened, constrained scale) and their labels.

    ``nll(params_dict)`` must be JAX-differentiable. Raises InferenceUnavailable with a reason.
    """
    free_params = {k: jnp.asarray(params[k], dtype=float) for k in free}
    fixed_params = {k: jnp.asarray(v, dtype=float) for k, v in params.items() if k not in free}
    if not free_params:
        return np.zeros((0, 0)), []
    u0 = family.to_unconstrained(free_params)
    flat_u, unravel = ravel_pytree(u0)
    if not np.all(np.isfinite(np.asarray(flat_u))):
        bad = [k for k, v in u0.items() if not np.all(np.isfinite(np.asarray(v)))]
        raise InferenceUnavailable(
            f"{', '.join(bad)} lies on the boundary of its domain, where the observed information "
            "is not finite; Wald standard errors and intervals are undefined there"
        )

    def constrained(u_flat):
        return family.from_unconstrained(unravel(u_flat))

    def objective(u_flat):
        return nll({**fixed_params, **constrained(u_flat)})

    hess = np.asarray(jax.hessian(objective)(flat_u))
    jac = np.asarray(jax.jacobian(lambda u: ravel_pytree(constrained(u))[0])(flat_u))
    if not np.all(np.isfinite(hess)):
        raise InferenceUnavailable("the Hessian of the NLL at the estimate is not finite")
    hess = 0.5 * (hess + hess.T)
    try:
        chol = np.linalg.cholesky(hess)
    except np.linalg.LinAlgError:
        raise InferenceUnavailable(
            "the Hessian of the NLL at the estimate is not positive definite (the estimate is not "
            "a strict local maximum, or a parameter is not identifiable)"
        ) from None
    inv_chol = np.linalg.solve(chol, np.eye(len(flat_u)))
    cov_u = inv_chol.T @ inv_chol
    cov = jac @ cov_u @ jac.T
    return 0.5 * (cov + cov.T), flat_labels(free_params)
