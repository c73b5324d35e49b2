"""Iterative minimisers of a smooth scalar f(u), u ∈ ℝᵖ, as jittable ``lax.while_loop`` s.

Every method shares one outer loop (:func:`minimise`) so that all report the same things: the
iteration count, a status code, and per-iteration traces of f and of the gradient's max-norm.
Convergence means ‖∇f(u)‖∞ ≤ tol (f is the weighted *mean* NLL, so tol does not depend on n).

Methods (one ``(init, step)`` pair each):

* ``newton`` (:func:`minimise_newton`, its own loop) — Newton–Raphson with the exact autodiff
  Hessian H, evaluated together with f and ∇f in one pass. When H is not positive definite (or
  not finite) the step solves (H + μI) d = −g with μ = −λmin(H) + 10⁻³·max(|λmax|, 10⁻⁸)
  (Levenberg-style damping); the step is capped to a max-norm of 10 and then safeguarded by an
  Armijo backtracking line search (halving, up to 60 times).
* ``bfgs`` — optimistix.BFGS (dense inverse-Hessian update, its own line search).
* ``lbfgs`` — optax.lbfgs (zoom line search satisfying the strong Wolfe conditions).
* ``gradient_descent`` — optax.sgd with a backtracking (Armijo) line search whose step may grow.
"""

from __future__ import annotations

import optax
import optimistix as optx

from .._jax import jax, jnp

# status codes of a finished loop
RUNNING, CONVERGED, MAX_ITER, STALLED, NONFINITE = 0, 1, 2, 3, 4
ARMIJO = 1e-4



def _record(k, f_new, g_new, tf, tg, stalled, tol, max_iter):
    """Advance the iteration count, store f and the gradient max-norm in the traces, and classify
    the state: non-finite, converged (max|g| <= tol), stalled, out of iterations, or running."""
    gn = jnp.max(jnp.abs(g_new))
    k = k + 1
    tf = tf.at[k].set(f_new)
    tg = tg.at[k].set(gn)
    status = jnp.where(
        ~jnp.isfinite(f_new) | ~jnp.isfinite(gn),
        NONFINITE,
        jnp.where(gn <= tol, CONVERGED, jnp.where(stalled, STALLED, jnp.where(k >= max_iter, MAX_ITER, RUNNING))),
    )
    return k, tf, tg, status

def value_grad_hess(f):
    """u -> (f(u), ∇f(u), ∇²f(u)) in one forward-over-reverse pass over the data."""

    def g_aux(u):
        v, g = jax.value_and_grad(f)(u)
        return g, (v, g)

    def vgh(u):
        H, (v, g) = jax.jacfwd(g_aux, has_aux=True)(u)
        return v, g, 0.5 * (H + H.T)

    return vgh


def newton_direction(g, H):
    """Solve (H + μI) d = −g; μ = 0 when H is positive definite, else Levenberg damping
    μ = −λmin + 10⁻³·max|λ|. A non-finite H falls back to steepest descent. The step is capped
    to a max-norm of 10 (in unconstrained units)."""
    p = g.shape[0]
    finite = jnp.all(jnp.isfinite(H))
    H = jnp.where(finite, H, jnp.eye(p))
    lam = jnp.linalg.eigvalsh(H)
    lmin, lmax = lam[0], jnp.max(jnp.abs(lam))
    mu = jnp.where(lmin > 1e-12 * lmax, 0.0, -lmin + 1e-3 * jnp.maximum(lmax, 1e-8))
    d = jnp.linalg.solve(H + mu * jnp.eye(p), -g)
    dmax = jnp.max(jnp.abs(d))
    return jnp.where(dmax > 10.0, d * (10.0 / dmax), d)


def minimise_newton(f, u0, tol, max_iter, capacity: int):
    """Safeguarded Newton: the trial point u + d is evaluated with value, gradient and Hessian
    together (one pass); when it fails the Armijo test, the step is halved with value-only
    evaluations (up to 60 times). Returns what :func:`minimise` returns plus the final Hessian."""
    vgh = value_grad_hess(f)
    f0, g0, H0 = vgh(u0)
    gn0 = jnp.max(jnp.abs(g0))
    tf = jnp.full(capacity, jnp.nan).at[0].set(f0)
    tg = jnp.full(capacity, jnp.nan).at[0].set(gn0)
    status0 = jnp.where(
        ~jnp.isfinite(f0) | ~jnp.isfinite(gn0), NONFINITE, jnp.where(gn0 <= tol, CONVERGED, RUNNING)
    )

    def cond(c):
        return c[-1] == RUNNING

    def body(c):
        k, u, fu, g, H, tf, tg, _ = c
        d = newton_direction(g, H)
        slope = jnp.dot(g, d)
        slack = 8 * jnp.finfo(u.dtype).eps * jnp.abs(fu)  # rounding noise of f near the optimum
        f1, g1, H1 = vgh(u + d)

        def bad(alpha, f_new):
            return ~jnp.isfinite(f_new) | (f_new > fu + ARMIJO * alpha * slope + slack)

        def ls_cond(cc):
            alpha, f_new, j = cc
            return bad(alpha, f_new) & (j < 60)

        def ls_body(cc):
            alpha, _, j = cc
            alpha = 0.5 * alpha
            return alpha, f(u + alpha * d), j + 1

        alpha, f_new, _ = jax.lax.while_loop(ls_cond, ls_body, (1.0, f1, 0))
        ok = ~bad(alpha, f_new)
        full = alpha == 1.0

        def reeval(_):
            return vgh(u + alpha * d)

        def keep(_):
            return f1, g1, H1

        f_new, g_new, H_new = jax.lax.cond(full, keep, reeval, None)
        u_new = jnp.where(ok, u + alpha * d, u)
        f_new, g_new, H_new = (jnp.where(ok, f_new, fu), jnp.where(ok, g_new, g), jnp.where(ok, H_new, H))
        k, tf, tg, status = _record(k, f_new, g_new, tf, tg, ~ok, tol, max_iter)
        return k, u_new, f_new, g_new, H_new, tf, tg, status

    carry0 = (jnp.asarray(0), u0, f0, g0, H0, tf, tg, status0)
    k, u, fu, g, H, tf, tg, status = jax.lax.while_loop(cond, body, carry0)
    return u, fu, jnp.max(jnp.abs(g)), k, status, tf, tg, H


def _optax(opt):
    def init(f, u, fu, g):
        return opt.init(u)

    def step(f, u, fu, g, state):
        updates, state = opt.update(g, state, u, value=fu, grad=g, value_fn=f)
        return optax.apply_updates(u, updates), state

    return init, step


def _bfgs():
    solver = optx.BFGS(rtol=0.0, atol=0.0)
    f_struct = jax.ShapeDtypeStruct((), jnp.float64)

    def fn_aux(f):
        return lambda y, args: (f(y), None)

    def init(f, u, fu, g):
        return solver.init(fn_aux(f), u, None, {}, f_struct, None, frozenset())

    def step(f, u, fu, g, state):
        u_new, state, _ = solver.step(fn_aux(f), u, None, {}, state, frozenset())
        return u_new, state

    return init, step


def stepper(method: str):
    if method == "bfgs":
        return _bfgs()
    if method == "lbfgs":
        return _optax(optax.lbfgs())
    if method == "gradient_descent":
        return _optax(
            optax.chain(
                optax.sgd(1.0),
                optax.scale_by_backtracking_linesearch(
                    max_backtracking_steps=60, increase_factor=2.0, max_learning_rate=1e8
                ),
            )
        )
    raise ValueError(method)


def minimise(f, u0, tol, max_iter, capacity: int, method: str):
    """Minimise f from u0. Returns u, f(u), ‖∇f(u)‖∞, n_iter, status, trace_f, trace_g.
    ``max_iter`` may be traced; the traces have ``capacity`` (static, > max_iter) slots, and
    entries after n_iter are NaN."""
    init, step = stepper(method)
    vg = jax.value_and_grad(f)
    f0, g0 = vg(u0)
    gn0 = jnp.max(jnp.abs(g0)) if u0.shape[0] else jnp.zeros(())
    tf = jnp.full(capacity, jnp.nan).at[0].set(f0)
    tg = jnp.full(capacity, jnp.nan).at[0].set(gn0)
    status0 = jnp.where(
        ~jnp.isfinite(f0) | ~jnp.isfinite(gn0), NONFINITE, jnp.where(gn0 <= tol, CONVERGED, RUNNING)
    )
    carry0 = (jnp.asarray(0), u0, f0, g0, init(f, u0, f0, g0), tf, tg, status0)

    def cond(c):
        return c[-1] == RUNNING

    def body(c):
        k, u, fu, g, state, tf, tg, _ = c
        u_new, state = step(f, u, fu, g, state)
        f_new, g_new = vg(u_new)
        k, tf, tg, status = _record(k, f_new, g_new, tf, tg, jnp.zeros((), bool), tol, max_iter)
        return k, u_new, f_new, g_new, state, tf, tg, status

    k, u, fu, g, _, tf, tg, status = jax.lax.while_loop(cond, body, carry0)
    gn = jnp.max(jnp.abs(g)) if u0.shape[0] else jnp.zeros(())
    return u, fu, gn, k, status, tf, tg
