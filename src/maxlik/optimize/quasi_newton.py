"""BFGS (optimistix, dense inverse-Hessian update with its own line search) and L-BFGS (optax,
zoom line search satisfying the strong Wolfe conditions), as :class:`~._loop.Solver` s.

Both stop on the relative gradient (:func:`._convergence.relative_gradient`); the engine then
judges their end point by the Newton decrement with the exact Hessian, like every fit.
"""

from __future__ import annotations

import optax
import optimistix as optx

from .._xp import jax, jnp
from ._convergence import relative_gradient
from ._loop import first_order


def _measure(g, u, f):
    return relative_gradient(g, u, f, jnp)


def optax_solver(opt):
    """A first-order :class:`~._loop.Solver` from an optax ``GradientTransformationExtraArgs``
    that takes ``value``, ``grad`` and ``value_fn`` (lbfgs, or a chain with a line search)."""

    def init(f, u, fu, g):
        return opt.init(u)

    def update(f, u, fu, g, state):
        updates, state = opt.update(g, state, u, value=fu, grad=g, value_fn=f)
        return optax.apply_updates(u, updates), state

    return first_order(init, update, _measure)


def _bfgs():
    method = optx.BFGS(rtol=0.0, atol=0.0)
    f_struct = jax.ShapeDtypeStruct((), jnp.float64)

    def fn_aux(f):
        return lambda y, args: (f(y), None)

    def init(f, u, fu, g):
        return method.init(fn_aux(f), u, None, {}, f_struct, None, frozenset())

    def update(f, u, fu, g, state):
        u_new, state, _ = method.step(fn_aux(f), u, None, {}, state, frozenset())
        return u_new, state

    return first_order(init, update, _measure)


bfgs = _bfgs()
lbfgs = optax_solver(optax.lbfgs())
