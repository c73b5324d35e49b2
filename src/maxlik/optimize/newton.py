"""Newton–Raphson with the exact autodiff Hessian, as a :class:`~._loop.Solver` (jittable).

Each iteration evaluates f, ∇f and H together in one forward-over-reverse pass. When H is
positive definite the step solves H d = −g; otherwise (H + μI) d = −g with
μ = −λmin(H) + 10⁻³·max(|λmax|, 10⁻⁸) (Levenberg-style damping); a non-finite H falls back to
steepest descent. The step is capped to a max-norm of 10 and then safeguarded by an Armijo
backtracking line search (halving, up to 60 times, value-only evaluations); f, ∇f and H are then
evaluated once at the accepted point, so each iteration costs one Hessian pass.
The measure is the Newton decrement ½gᵀH⁻¹g of the total NLL (:mod:`._convergence`); once it
is below tol, one last step is taken (its error is of the order of the decrement squared).

The GLM estimators use :mod:`.glm_newton` instead: the same rule with NumPy passes over large
data, chord steps and warm starts (no per-iteration Hessian).
"""

from __future__ import annotations

from .._jax import jax, jnp
from ._convergence import decrement_from_hessian
from ._loop import Solver

ARMIJO = 1e-4
MAX_STEP = 10.0
MAX_HALVINGS = 60


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
    return jnp.where(dmax > MAX_STEP, d * (MAX_STEP / dmax), d)


def backtrack(f, u, fu, d, slope, f_full):
    """Armijo backtracking along d from u (f(u) = fu, gᵀd = slope), starting from the already
    evaluated full step f(u + d) = f_full. Returns (alpha, f(u + αd), ok)."""
    slack = 8 * jnp.finfo(u.dtype).eps * jnp.abs(fu)  # rounding noise of f near the optimum

    def bad(alpha, f_new):
        return ~jnp.isfinite(f_new) | (f_new > fu + ARMIJO * alpha * slope + slack)

    def cond(c):
        alpha, f_new, j = c
        return bad(alpha, f_new) & (j < MAX_HALVINGS)

    def body(c):
        alpha, _, j = c
        alpha = 0.5 * alpha
        return alpha, f(u + alpha * d), j + 1

    alpha, f_new, _ = jax.lax.while_loop(cond, body, (1.0, f_full, 0))
    return alpha, f_new, ~bad(alpha, f_new)


def _init(f, u0):
    f0, g0, H0 = value_grad_hess(f)(u0)
    return u0, f0, g0, H0


def _step(f, state):
    """One safeguarded Newton step. The line search uses values only; f, ∇f and H are then
    evaluated once, at the accepted point (one Hessian per iteration, and one compiled copy)."""
    u, fu, g, H = state
    d = newton_direction(g, H)
    alpha, _, ok = backtrack(f, u, fu, d, jnp.dot(g, d), f(u + d))
    ok = ok & jnp.any(u + alpha * d != u)  # a step too short to change u is no step
    cand = u + jnp.where(ok, alpha, 1.0) * d  # no decrease: the full step may still be a rescue
    fc, gc, Hc = value_grad_hess(f)(cand)
    rescue = ~ok & _contracts(fc, gc, Hc, g, H)
    accept = (ok & jnp.isfinite(fc)) | rescue
    new = jax.tree_util.tree_map(lambda a, b: jnp.where(accept, a, b), (cand, fc, gc, Hc), state)
    return new, ~accept


def _contracts(f1, g1, H1, g, H):
    """No step length decreases f along a descent direction when the decrease is below f's own
    rounding noise (e.g. lgamma differences of arguments ~1e5). The full step is then judged by
    the decrement instead: kept when f is finite there and the decrement smaller (Newton's
    quadratic contraction)."""
    return jnp.isfinite(f1) & (decrement_from_hessian(g1, H1, jnp) < decrement_from_hessian(g, H, jnp))


def _measure(state, scale):
    u, f, g, H = state
    # decrement of the total NLL scale·f: ½ (scale g)ᵀ (scale H)⁻¹ (scale g) = scale · ½ gᵀH⁻¹g
    return u, f, g, scale * decrement_from_hessian(g, H, jnp)


solver = Solver(_init, _step, _measure, last_step=True)
