"""Numerical MLE over sufficient statistics: for families whose log-likelihood depends on the
data only through a few sums (exponential families such as Gamma: W, Σwx, Σw log x; Beta;
Weibull with fixed shape) but whose MLE has no closed form.

    params, info = maximise_stats(family, stats, start, fixed)

minimises −ℓ(θ)/W with ℓ = ``family.loglik_from_stats(stats, θ)`` by the same safeguarded
Newton as :func:`maxlik.optimize.fit_numerical`, in unconstrained coordinates. The cost per
iteration no longer depends on n: the data are read once (to form the statistics), as in
scipy's ``gamma.fit(x, floc=0)``. A family uses it from its ``mle_from_stats``, and then gets
everything the closed-form path gives (streaming, merging, ``fit_stats``, exact-Hessian
standard errors from the statistics).

The statistics object is passed to the compiled solver as its dataclass fields (all numbers),
so fits of different data reuse one compilation.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from .._jax import jax, jnp
from ..errors import DegenerateFitError
from . import _solvers as S
from ._objective import Objective, flatten_start


@functools.lru_cache(maxsize=64)
def _compiled(family, stats_type, free_shapes: tuple, fixed_names: tuple):
    obj = Objective(family, free_shapes)

    def solve(u0, fields, fixed, tol, max_iter):
        stats = stats_type(**fields)

        def f(u):
            return -family.loglik_from_stats(stats, obj.params(u, fixed)) / fields["weight"]

        u, fu, gn, k, status, _, _, hess = S.minimise_newton(f, u0, tol, max_iter, 128)
        return u, fu, gn, k, status, hess

    return obj, jax.jit(solve)


def maximise_stats(family, stats, start: dict, fixed: dict | None = None, *, tol: float = 1e-10,
                   max_iter: int = 100, owner: str | None = None) -> tuple[dict, dict]:
    """Maximise ``family.loglik_from_stats(stats, θ)`` over the parameters not in ``fixed``.

    start : dict name -> starting value for every free parameter (e.g. from moments)
    Returns (params, info): params has every parameter (floats/arrays); info has ``n_iter``,
    ``grad_norm`` (of ℓ/W in unconstrained u), ``converged``. Raises DegenerateFitError when
    the NLL is not finite or the Newton iteration fails to converge (no interior maximum).
    """
    owner = owner or family.display_name
    fixed = {k: jnp.asarray(v, dtype=float) for k, v in (fixed or {}).items()}
    free = {k: np.asarray(start[k], dtype=float) for k in family.param_names if k not in fixed}
    free_shapes = tuple(sorted((k, tuple(np.shape(v))) for k, v in free.items()))
    fields = {f.name: np.asarray(getattr(stats, f.name), dtype=float) for f in dataclasses.fields(stats)}
    obj, solve = _compiled(family, type(stats), free_shapes, tuple(sorted(fixed)))
    u0 = jnp.asarray(flatten_start(family, {k: free[k] for k, _ in free_shapes}))
    u, fu, gn, k, status, hess = jax.device_get(solve(u0, fields, fixed, tol, max_iter))
    params = {kk: np.asarray(v, dtype=float) for kk, v in obj.params(jnp.asarray(u), {}).items()}
    params.update({kk: np.asarray(v, dtype=float) for kk, v in fixed.items()})
    params = {kk: (float(params[kk]) if params[kk].ndim == 0 else params[kk]) for kk in family.param_names}
    pd = bool(np.all(np.isfinite(hess))) and (hess.size == 0 or np.linalg.eigvalsh(0.5 * (hess + hess.T))[0] > 0)
    converged = int(status) == S.CONVERGED and np.isfinite(fu) and pd
    if not converged:
        raise DegenerateFitError(
            f"{owner}: the likelihood must have an interior maximum; got none (Newton on the "
            f"sufficient statistics stopped after {int(k)} iterations, gradient max-norm {float(gn):.3g}, "
            f"NLL/W {float(fu):.6g}, params {params}). Check the data (constant data make shape "
            "parameters unbounded), or fix a parameter with fixed={...}."
        )
    return params, {"n_iter": int(k), "grad_norm": float(gn), "converged": True}


@functools.lru_cache(maxsize=64)
def _compiled_cov(family, stats_type, free_shapes: tuple, fixed_names: tuple):
    obj = Objective(family, free_shapes)

    def hess_jac(u, fields, fixed):
        stats = stats_type(**fields)

        def nll(v):
            return -family.loglik_from_stats(stats, obj.params(v, fixed))

        return jax.hessian(nll)(u), jax.jacobian(obj.constrained_flat)(u)

    return obj, jax.jit(hess_jac)


def stats_covariance(family, stats, params: dict, free: tuple[str, ...]):
    """Observed-information covariance of the ``free`` parameters from the statistics, compiled
    once per (family, statistics type, shapes): J H⁻¹ Jᵀ with H the Hessian of −ℓ in
    unconstrained coordinates (as :func:`maxlik.inference.observed_covariance`, which it
    replaces in a family's ``exact_covariance`` hook for speed). Returns (cov, labels), or None
    when H is not finite or not positive definite (the caller then explains why)."""
    from ..inference import flat_labels

    free_p = {k: np.asarray(params[k], dtype=float) for k in free}
    fixed = {k: jnp.asarray(v, dtype=float) for k, v in params.items() if k not in free}
    free_shapes = tuple(sorted((k, tuple(np.shape(v))) for k, v in free_p.items()))
    obj, hess_jac = _compiled_cov(family, type(stats), free_shapes, tuple(sorted(fixed)))
    fields = {f.name: np.asarray(getattr(stats, f.name), dtype=float) for f in dataclasses.fields(stats)}
    u = flatten_start(family, {k: free_p[k] for k, _ in free_shapes})
    if not np.all(np.isfinite(u)):
        return None
    h, jac = (np.asarray(a) for a in jax.device_get(hess_jac(jnp.asarray(u), fields, fixed)))
    if not np.all(np.isfinite(h)):
        return None
    try:
        chol = np.linalg.cholesky(0.5 * (h + h.T))
    except np.linalg.LinAlgError:
        return None
    inv = np.linalg.solve(chol, np.eye(h.shape[0]))
    cov = jac @ (inv.T @ inv) @ jac.T
    return 0.5 * (cov + cov.T), flat_labels(free_p)
