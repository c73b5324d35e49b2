"""The runs of :func:`maxlik.optimize.fit_numerical`: from each start, Newton on the host around
one derivative kernel (:mod:`._kernels`: NumPy formulas, jitted JAX, or passes over a source), or
a first-order method (BFGS, L-BFGS, gradient descent) whose whole loop is jitted and vmapped over
the starts. Each run ends as a :class:`Run` on the total-NLL scale, judged afterwards by the one
convergence rule (:mod:`._convergence`)."""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from ..status import Status
from . import newton
from ._objective import pad_rows
from ._stream_kernel import StreamKernel, Streamed


@functools.lru_cache(maxsize=128)
def _compiled(family, free_shapes: tuple, fixed_names: tuple, method: str, capacity: int):
    """The first-order methods' whole loop, jitted and vmapped over starts (they take many cheap
    iterations, so the loop runs compiled); the end point's exact Hessian comes with it."""
    from .._jax import jax, jnp
    from . import gradient_descent, quasi_newton
    from ._loop import iterate
    from ._objective import Objective, row_weights

    solvers = {"bfgs": quasi_newton.bfgs, "lbfgs": quasi_newton.lbfgs, "gradient_descent": gradient_descent.solver}
    obj = Objective(family, free_shapes)

    def solve(u0, data, w, fixed, total_weight, n_valid, tol, max_iter):
        w = row_weights(data, w, n_valid, u0.dtype)

        def f(u):
            return obj.mean_nll(u, data, w, fixed, total_weight)

        # relative gradient in the loop; the end point is judged by the decrement afterwards
        res = iterate(solvers[method], f, u0, tol, max_iter, capacity)
        hess = jax.hessian(f)(res.u) * total_weight
        jac = jax.jacobian(obj.constrained_flat)(res.u)
        return dict(u=res.u, nll=res.f * total_weight, grad=res.g * total_weight, n_iter=res.n_iter,
                    status=res.status, trace_nll=res.trace_f * total_weight, trace_g=res.trace_g,
                    hess=hess, jac=jac)

    return obj, jax.jit(jax.vmap(solve, in_axes=(0, None, None, None, None, None, None, None)))


def first_order_runs(fam, free_shapes, fixed, method, starts, data, w, n, total_weight, tol, max_iter):
    """[(u, nll, grad, hess, n_iter, status, trace_nll, trace_g)] per start, and u -> ∂θ/∂u."""
    from .._jax import jax, jnp
    from ._loop import STATUS

    capacity = max(128, 1 << max_iter.bit_length())  # trace slots: a power of two > max_iter
    obj, solve = _compiled(fam, free_shapes, tuple(sorted(fixed)), method, capacity)
    fixed_j = {k: jnp.asarray(v, dtype=float) for k, v in fixed.items()}
    data_p, w_p = pad_rows(data, n, w)
    w_arg = None if w_p is None else jnp.asarray(w_p)
    out = jax.device_get(solve(jnp.asarray(np.stack(starts)), data_p, w_arg, fixed_j, total_weight, n, tol, max_iter))
    runs = []
    for i in range(len(starts)):
        k = int(out["n_iter"][i])
        runs.append(Run(np.asarray(out["u"][i]), float(out["nll"][i]), np.asarray(out["grad"][i]),
                        np.asarray(out["hess"][i]), k, STATUS[int(out["status"][i])],
                        [float(t) for t in out["trace_nll"][i][: k + 1]],
                        [float(t) for t in out["trace_g"][i][: k + 1]]))
    jacs = {i: np.asarray(out["jac"][i]) for i in range(len(starts))}

    def to_params(u):
        return {k: np.asarray(v, dtype=float) for k, v in obj.params(jnp.asarray(u), {}).items()}

    return runs, (lambda i, u: jacs[i]), to_params


def newton_runs(fam, free_shapes, fixed, starts, data, w, n, total_weight, tol, max_iter, start):
    """Newton from each start on the host, around one derivative kernel (:mod:`._kernels`)."""
    from ._kernels import JaxKernel, NumpyKernel, numpy_kernel_applies

    if isinstance(data, Streamed):
        kernel = StreamKernel(fam, free_shapes, fixed, data)
    elif numpy_kernel_applies(fam, data, start):
        kernel = NumpyKernel(fam, [k for k, _ in free_shapes], fixed, data, w, total_weight)
    else:
        data_p, w_p = pad_rows(data, n, w)
        kernel = JaxKernel(fam, free_shapes, fixed, data_p, w_p, total_weight, n)
    runs = []
    for u0 in starts:
        r = kernel.drive(newton.iterations(u0, tol, max_iter, total_weight, linear_coordinates(fam, free_shapes)))
        runs.append(Run(r.u, r.f * total_weight, r.g * total_weight, r.H * total_weight, r.n_iter, r.status,
                        [t * total_weight for t in r.trace_f], list(r.trace_g)))
    return runs, kernel


def linear_coordinates(fam, free_shapes) -> np.ndarray:
    """(p,) bool: the unconstrained coordinates that are the parameters themselves (real-valued,
    identity bijection), in the order of ``free_shapes`` [(name, shape), ...]."""
    from ..constraints import real

    return np.concatenate([np.full(int(np.prod(shape, dtype=int)), fam.param(k).constraint is real)
                           for k, shape in free_shapes] or [np.zeros(0, dtype=bool)])


class Run(NamedTuple):
    """One start's end point, on the total-NLL scale (NumPy values)."""

    u: np.ndarray
    nll: float
    grad: np.ndarray
    hess: np.ndarray
    n_iter: int
    status: Status  # the loop's own: CONVERGED, MAX_ITER, STALLED or NONFINITE
    trace_nll: list
    trace_g: list  # gradient max-norm (mean NLL) per iteration
