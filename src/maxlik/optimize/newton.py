"""Newton–Raphson with the exact Hessian: a host-side loop around a small derivative kernel.

The loop runs in Python/NumPy on p-dimensional vectors (p = the number of free scalars, ≤ 50 on
this path); each iteration asks a :class:`~._kernels.Kernel` for f, ∇f and H of the mean NLL in
unconstrained coordinates — one pass over the data, compiled once per process and row bucket
(JAX) or written out by the family (NumPy, no JAX at all) — so neither a new data size, nor a
new start, nor a new ``tol``/``max_iter`` traces anything again (issue #11).

Each iteration: when H is positive definite the step solves H d = −g; otherwise (H + μI) d = −g
with μ = −λmin(H) + 10⁻³·max(|λmax|, 10⁻⁸) (Levenberg-style damping); a non-finite H falls back
to steepest descent. The step is capped to a max-norm of 10 and then safeguarded by an Armijo
backtracking line search (halving, up to 60 times, value-only evaluations); f, ∇f and H are then
evaluated once at the accepted point. The measure is the Newton decrement ½gᵀH⁻¹g of the total
NLL (:mod:`._convergence`); once it is below tol, one last step is taken (its error is of the
order of the decrement squared) and kept when it does not fail.

The GLM estimators use :mod:`.glm_newton` instead: the same rule with NumPy passes over large
data, chord steps and warm starts (no per-iteration Hessian).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..status import Status
from ._convergence import decrement_from_hessian, threshold

ARMIJO = 1e-4
MAX_STEP = 10.0
MAX_HALVINGS = 60


class NewtonRun(NamedTuple):
    """One run from one start. f, g, H: mean NLL, its gradient and Hessian at u (unconstrained)."""

    u: np.ndarray
    f: float
    g: np.ndarray
    H: np.ndarray
    n_iter: int
    status: Status  # CONVERGED, MAX_ITER, STALLED or NONFINITE
    trace_f: list
    trace_g: list


def newton_direction(g, H):
    """Solve (H + μI) d = −g; μ = 0 when H is positive definite, else Levenberg damping
    μ = −λmin + 10⁻³·max|λ|. A non-finite H falls back to steepest descent. The step is capped
    to a max-norm of 10 (in unconstrained units)."""
    p = g.shape[0]
    if not np.all(np.isfinite(H)):
        H = np.eye(p)
    lam = np.linalg.eigvalsh(H)
    lmin, lmax = lam[0], np.max(np.abs(lam))
    mu = 0.0 if lmin > 1e-12 * lmax else -lmin + 1e-3 * max(lmax, 1e-8)
    try:
        d = np.linalg.solve(H + mu * np.eye(p), -g)
    except np.linalg.LinAlgError:
        d = -g
    dmax = np.max(np.abs(d)) if p else 0.0
    return d * (MAX_STEP / dmax) if dmax > MAX_STEP else d


def backtrack(value, u, fu, d, slope):
    """Armijo backtracking along d from u (f(u) = fu, gᵀd = slope), from the full step.
    Returns (alpha, ok)."""
    slack = 8 * np.finfo(float).eps * abs(fu)  # rounding noise of f near the optimum
    alpha = 1.0
    for _ in range(MAX_HALVINGS + 1):
        f_new = value(u + alpha * d)
        if np.isfinite(f_new) and f_new <= fu + ARMIJO * alpha * slope + slack:
            return alpha, True
        alpha *= 0.5
    return 2.0 * alpha, False


def _gnorm(g) -> float:
    return float(np.max(np.abs(g))) if g.shape[0] else 0.0


def _finite(f, g) -> bool:
    return bool(np.isfinite(f) and np.all(np.isfinite(g)))


def minimize(kernel, u0, tol: float, max_iter: int, scale: float) -> NewtonRun:
    """Minimise the kernel's mean NLL from u0 until the decrement of the total NLL (``scale``·f)
    is ≤ max(tol, 10⁻¹³·|scale·f|), the line search stalls, something is non-finite, or
    ``max_iter`` steps were taken."""
    u = np.asarray(u0, dtype=float)
    f, g, H = kernel.vgh(u)
    trace_f, trace_g = [f], [_gnorm(g)]

    def measure(f, g, H):
        return scale * decrement_from_hessian(g, H)

    def done(f, g, H) -> bool:
        return measure(f, g, H) <= threshold(tol, scale * f)

    def step(u, f, g, H):
        """One safeguarded step: (u, f, g, H, moved)."""
        d = newton_direction(g, H)
        alpha, ok = backtrack(kernel.value, u, f, d, float(g @ d))
        ok = ok and bool(np.any(u + alpha * d != u))  # a step too short to change u is no step
        cand = u + (alpha if ok else 1.0) * d  # no decrease: the full step may still be a rescue
        fc, gc, Hc = kernel.vgh(cand)
        rescue = not ok and _contracts(fc, gc, Hc, g, H)
        if (ok and np.isfinite(fc)) or rescue:
            return cand, fc, gc, Hc, True
        return u, f, g, H, False

    k = 0
    if not _finite(f, g):
        return NewtonRun(u, f, g, H, 0, Status.NONFINITE, trace_f, trace_g)
    status = Status.CONVERGED if done(f, g, H) else None
    while status is None:
        u, f, g, H, moved = step(u, f, g, H)
        if moved:
            k += 1
            trace_f.append(f)
            trace_g.append(_gnorm(g))
        if not _finite(f, g):
            status = Status.NONFINITE
        elif done(f, g, H):
            status = Status.CONVERGED
        elif not moved:
            status = Status.STALLED
        elif k >= max_iter:
            status = Status.MAX_ITER
    if status is Status.CONVERGED:  # the last step: kept unless it fails or does not move
        u1, f1, g1, H1, moved = step(u, f, g, H)
        if moved and _finite(f1, g1):
            u, f, g, H, k = u1, f1, g1, H1, k + 1
            trace_f.append(f)
            trace_g.append(_gnorm(g))
    return NewtonRun(u, float(f), g, H, k, status, trace_f, trace_g)


def _contracts(f1, g1, H1, g, H) -> bool:
    """No step length decreases f along a descent direction when the decrease is below f's own
    rounding noise (e.g. lgamma differences of arguments ~1e5). The full step is then judged by
    the decrement instead: kept when f is finite there and the decrement smaller (Newton's
    quadratic contraction)."""
    return bool(np.isfinite(f1) and decrement_from_hessian(g1, H1) < decrement_from_hessian(g, H))
