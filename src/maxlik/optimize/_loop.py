"""The loop contract every jitted solver implements, and its per-iteration bookkeeping.

A solver is a :class:`Solver` of three pure functions (after optimistix's init / step /
terminate; the objective ``fun`` is passed in, never closed over, so one compiled loop serves
any data of the same shapes):

* ``init(fun, u0) -> state`` — the state holds the current point and what the solver knows
  there (value, gradient, and a Hessian or an optimizer state);
* ``step(fun, state) -> (state, stalled)`` — one iteration; ``stalled`` when it could not move;
* ``measure(state, scale) -> (u, f, g, m)`` — the current point, value, gradient, and the
  convergence measure m that :func:`iterate` compares with ``tol``: the Newton decrement of the
  total NLL for second-order solvers (:mod:`._convergence`), the relative gradient otherwise;
* ``last_step`` — take one more ``step`` once converged (Newton: its error is of the order of
  the decrement squared), counted and traced as an iteration; it runs inside the same loop, so
  the step is compiled once, and a last step that does not move leaves the converged point.

:func:`iterate` runs the ``lax.while_loop`` and does the bookkeeping once for all solvers: the
iteration count, the traces of f and of the gradient's max-norm, and the status code (one of
the ``CODES`` below, mapped to :class:`maxlik.status.Status` by :data:`STATUS`).
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from .._jax import jax, jnp
from ..status import Status

RUNNING, CONVERGED, MAX_ITER, STALLED, NONFINITE = 0, 1, 2, 3, 4
STATUS = {CONVERGED: Status.CONVERGED, MAX_ITER: Status.MAX_ITER, STALLED: Status.STALLED, NONFINITE: Status.NONFINITE}


class Solver(NamedTuple):
    init: Callable
    step: Callable
    measure: Callable
    last_step: bool = False  # once converged, take one more step (counted and traced)


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


def iterate(solver: Solver, fun, u0, tol, max_iter, capacity: int, scale=1.0, threshold=None) -> LoopResult:
    """Minimise ``fun`` from ``u0`` until the measure is ≤ threshold(tol, scale·f), the solver
    stalls, something is non-finite, or ``max_iter`` steps were taken (max_iter may be traced;
    ``capacity`` is static and > max_iter). ``scale`` turns a mean objective into a total."""
    threshold = threshold or (lambda tol, F: tol)

    def gnorm(g):
        return jnp.max(jnp.abs(g)) if g.shape[0] else jnp.zeros(())

    state = solver.init(fun, u0)
    _, f0, g0, m0 = solver.measure(state, scale)
    tf = jnp.full(capacity, jnp.nan).at[0].set(f0)
    tg = jnp.full(capacity, jnp.nan).at[0].set(gnorm(g0))
    status0 = _classify(0, f0, g0, m0, threshold(tol, scale * f0), False, jnp.inf)
    # A solver with a last step runs it as one more iteration of the same loop body (one
    # compiled copy of the step): ``final`` marks that iteration.
    final0 = jnp.asarray(solver.last_step & (status0 == CONVERGED))
    status0 = jnp.where(final0, RUNNING, status0)

    def cond(c):
        return c[-2] == RUNNING

    def body(c):
        k, state, tf, tg, _, final = c
        new, stalled = solver.step(fun, state)
        _, f, g, m = solver.measure(new, scale)
        bad = ~jnp.isfinite(f) | ~jnp.all(jnp.isfinite(g))
        keep = final & (bad | stalled)  # a last step that fails leaves the converged point as it was
        new = jax.tree_util.tree_map(lambda a, b: jnp.where(keep, b, a), new, state)
        _, f, g, m = solver.measure(new, scale)
        k = k + jnp.where(keep, 0, 1)
        tf, tg = tf.at[k].set(f), tg.at[k].set(gnorm(g))
        status = _classify(k, f, g, m, threshold(tol, scale * f), stalled, max_iter)
        go_final = solver.last_step & ~final & (status == CONVERGED)
        status = jnp.where(final, CONVERGED, jnp.where(go_final, RUNNING, status))
        return k, new, tf, tg, status, go_final

    k, state, tf, tg, status, _ = jax.lax.while_loop(cond, body, (jnp.asarray(0), state, tf, tg, status0, final0))
    u, f, g, _ = solver.measure(state, scale)
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

    def s_measure(state, scale):
        u, f, g, _ = state
        return u, f, g, measure_fn(g, u, f)

    return Solver(s_init, s_step, s_measure)
