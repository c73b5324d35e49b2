"""The loop contract of the jitted first-order solvers, and its per-iteration bookkeeping.

A solver is a :class:`Solver` of three pure functions (after optimistix's init / step /
terminate; the objective ``fun`` is passed in, never closed over, so one compiled loop serves
any data of the same shapes):

* ``init(fun, u0) -> state`` — the state holds the current point and what the solver knows
  there (value, gradient, and a Hessian or an optimizer state);
* ``step(fun, state) -> (state, stalled)`` — one iteration; ``stalled`` when it could not move;
* ``measure(state) -> (u, f, g, m)`` — the current point, value, gradient, and the
  convergence measure m that :func:`iterate` compares with ``tol`` (the relative gradient,
  :func:`._convergence.relative_gradient`; the engine then judges the end point by the Newton
  decrement, like every fit).

:func:`iterate` runs the ``lax.while_loop`` and does the bookkeeping once for all solvers: the
iteration count, the traces of f and of the gradient's max-norm, and the status code (one of
the codes below, mapped to :class:`maxlik.status.Status` by :data:`STATUS`). Newton, which takes
few expensive steps, runs on the host instead (:mod:`.newton`).
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from .._xp import jax, jnp
from ..status import Status

RUNNING, CONVERGED, MAX_ITER, STALLED, NONFINITE = 0, 1, 2, 3, 4
STATUS = {CONVERGED: Status.CONVERGED, MAX_ITER: Status.MAX_ITER, STALLED: Status.STALLED, NONFINITE: Status.NONFINITE}


class Solver(NamedTuple):
    init: Callable
    step: Callable
    measure: Callable


class LoopResult(NamedTuple):
    u: jnp.ndarray
    f: jnp.ndarray
    g: jnp.ndarray
    n_iter: jnp.ndarray
    status: jnp.ndarray
    trace_f: jnp.ndarray  # (capacity,), NaN after n_iter
    trace_g: jnp.ndarray  # gradient max-norm per iteration
    state: object  # the solver's final state (e.g. the Newton Hessian)


def _classify(k, f, g, m, thresh, stalled, max_iter):
    gn = jnp.max(jnp.abs(g)) if g.shape[0] else jnp.zeros(())
    return jnp.where(
        ~jnp.isfinite(f) | ~jnp.isfinite(gn),
        NONFINITE,
        jnp.where(m <= thresh, CONVERGED, jnp.where(stalled, STALLED, jnp.where(k >= max_iter, MAX_ITER, RUNNING))),
    )


def iterate(solver: Solver, fun, u0, tol, max_iter, capacity: int) -> LoopResult:
    """Minimise ``fun`` from ``u0`` until the measure is ≤ tol, the solver stalls, something is
    non-finite, or ``max_iter`` steps were taken (max_iter may be traced; ``capacity`` is static
    and > max_iter)."""

    def gnorm(g):
        return jnp.max(jnp.abs(g)) if g.shape[0] else jnp.zeros(())

    state = solver.init(fun, u0)
    _, f0, g0, m0 = solver.measure(state)
    tf = jnp.full(capacity, jnp.nan).at[0].set(f0)
    tg = jnp.full(capacity, jnp.nan).at[0].set(gnorm(g0))
    status0 = _classify(0, f0, g0, m0, tol, False, jnp.inf)

    def cond(c):
        return c[-1] == RUNNING

    def body(c):
        k, state, tf, tg, _ = c
        state, stalled = solver.step(fun, state)
        _, f, g, m = solver.measure(state)
        k = k + 1
        tf, tg = tf.at[k].set(f), tg.at[k].set(gnorm(g))
        return k, state, tf, tg, _classify(k, f, g, m, tol, stalled, max_iter)

    k, state, tf, tg, status = jax.lax.while_loop(cond, body, (jnp.asarray(0), state, tf, tg, status0))
    u, f, g, _ = solver.measure(state)
    return LoopResult(u, f, g, k, status, tf, tg, state)


def first_order(init, update, measure_fn) -> Solver:
    """A :class:`Solver` from an optimizer's ``init(fun, u, f, g) -> opt_state`` and
    ``update(fun, u, f, g, opt_state) -> (u_new, opt_state)``: the state is (u, f, g, opt_state),
    re-evaluating f and ∇f at each new point."""

    def s_init(fun, u0):
        f0, g0 = jax.value_and_grad(fun)(u0)
        return u0, f0, g0, init(fun, u0, f0, g0)

    def s_step(fun, state):
        u, f, g, opt = state
        u_new, opt = update(fun, u, f, g, opt)
        f_new, g_new = jax.value_and_grad(fun)(u_new)
        return (u_new, f_new, g_new, opt), jnp.zeros((), bool)

    def s_measure(state):
        u, f, g, _ = state
        return u, f, g, measure_fn(g, u, f)

    return Solver(s_init, s_step, s_measure)
