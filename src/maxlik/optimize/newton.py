"""Newton–Raphson with the exact Hessian: one host-side solver around a small derivative kernel.

The solver (:func:`iterations`) is a generator on p-dimensional NumPy vectors (p = the number of
free scalars, ≤ 50 on this path): it yields each point where it needs f, ∇f and H of the mean NLL
in unconstrained coordinates, and a :class:`~._kernels` kernel answers — the family's own NumPy
formulas (no JAX at all), or one jitted JAX pass — so neither a new data size, nor a new start,
nor a new ``tol``/``max_iter`` traces anything again (issue #11). On large data the JAX kernel
runs the passes inside one compiled loop that calls back into this generator, so that XLA
computes the terms that do not depend on θ (e.g. lgamma(y + 1)) once per fit, not once per pass.

Each iteration: when H is positive definite the step solves H d = −g; otherwise (H + μI) d = −g
with μ = −λmin(H) + 10⁻³·max(|λmax|, 10⁻⁸) (Levenberg-style damping), both in Jacobi-scaled units
so that the parameters' units do not matter; a non-finite H falls back to steepest descent. A
step is capped to a max-norm of 10 (on a positive-definite H, over the coordinates that are not
locations: those are in the data's units); every step is then safeguarded by an Armijo
backtracking line search (halving, up to 60 times); the derivatives at the accepted point come
with its evaluation, so a full step costs one pass. The measure is the Newton decrement ½gᵀH⁻¹g
of the total NLL (:mod:`._convergence`); once it is below tol, one last step is taken (its error
is of the order of the decrement squared) and kept when it does not fail.

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


def jacobi_scale(H: np.ndarray) -> np.ndarray:
    """1/√|Hᵢᵢ| (1 where Hᵢᵢ is 0) for the rows of H (..., p, p): solving in these units makes the
    positive-definiteness test and the damping blind to the parameters' units — a location in
    dollars (curvature ~ n/10¹²) beside a log-scale (curvature ~ 2n) is otherwise "indefinite"."""
    diag = np.abs(np.diagonal(H, axis1=-2, axis2=-1))
    return np.where(diag > 0, 1.0 / np.sqrt(np.where(diag > 0, diag, 1.0)), 1.0)


def newton_direction(g, H, linear=None):
    """Solve (H + μI) d = −g in Jacobi-scaled units (see :func:`jacobi_scale`); μ = 0 when H is
    positive definite, else Levenberg damping μ = −λmin + 10⁻³·max|λ|. A non-finite H falls back
    to steepest descent. The step is capped to a max-norm of 10 in unconstrained units — on a
    positive-definite H over the coordinates that are not ``linear`` only: a location's step is
    in the data's units (millions of dollars, say), a log-scale's would overflow exp. On an
    indefinite H a location's step counts in Jacobi units (d / s), so that the cap is the same
    at every scale of the data (a Cauchy's damped steps far from its mode, at data ~1e3)."""
    p = g.shape[0]
    if not np.all(np.isfinite(H)):
        H = np.eye(p)
    s = jacobi_scale(H)
    Hs = H * s[:, None] * s[None, :]
    lam = np.linalg.eigvalsh(Hs)
    lmin, lmax = lam[0], np.max(np.abs(lam))
    mu = 0.0 if lmin > 1e-12 * lmax else -lmin + 1e-3 * max(lmax, 1e-8)
    try:
        d = s * np.linalg.solve(Hs + mu * np.eye(p), -(s * g))
    except np.linalg.LinAlgError:
        d = -g
    if linear is None or not np.all(np.isfinite(d)):
        capped = np.abs(d)
    elif mu > 0:  # a location's step measured in its Jacobi units (unit-free), the others' as they are
        capped = np.abs(np.where(linear, d / s, d))
    else:
        capped = np.abs(d[~linear])
    dmax = np.max(capped) if capped.size else 0.0
    return d * (MAX_STEP / dmax) if dmax > MAX_STEP else d


def _gnorm(g) -> float:
    return float(np.max(np.abs(g))) if g.shape[0] else 0.0


def _finite(f, g) -> bool:
    return bool(np.isfinite(f) and np.all(np.isfinite(g)))


def iterations(u0, tol: float, max_iter: int, scale: float, linear=None):
    """Newton as a generator: it yields each point u where it needs (f, ∇f, H) of the mean NLL
    and is sent them back; it returns the :class:`NewtonRun`. Stops when the decrement of the
    total NLL (``scale``·f) is ≤ max(tol, 10⁻¹³·|scale·f|), the line search stalls, something is
    non-finite, or ``max_iter`` steps were taken. Run it with :func:`run` or a kernel's ``drive``.
    ``linear``: (p,) bool, the coordinates whose bijection is the identity (see :func:`newton_direction`)."""
    u = np.asarray(u0, dtype=float)
    f, g, H = yield u
    trace_f, trace_g = [f], [_gnorm(g)]

    def done(f, g, H) -> bool:
        return scale * decrement_from_hessian(g, H) <= threshold(tol, scale * f)

    def step(u, f, g, H):
        """One safeguarded step (a generator too): (u, f, g, H, moved). The full step's
        derivatives are kept, so an accepted full step costs one evaluation."""
        d = newton_direction(g, H, linear)
        slope = float(g @ d)
        slack = 8 * np.finfo(float).eps * abs(f)  # rounding noise of f near the optimum
        full = None
        alpha = 1.0
        for _ in range(MAX_HALVINGS + 1):  # Armijo backtracking, halving
            cand = u + alpha * d
            fc, gc, Hc = yield cand
            full = full or (cand, fc, gc, Hc)
            if np.isfinite(fc) and fc <= f + ARMIJO * alpha * slope + slack:
                if np.any(cand != u):  # a step too short to change u is no step
                    return cand, fc, gc, Hc, True
                break
            alpha *= 0.5
        if _contracts(full[1], full[2], full[3], g, H):  # no decrease: the full step may still be a rescue
            return (*full, True)
        return u, f, g, H, False

    k = 0
    if not _finite(f, g):
        return NewtonRun(u, f, g, H, 0, Status.NONFINITE, trace_f, trace_g)
    status = Status.CONVERGED if done(f, g, H) else None
    while status is None:
        u, f, g, H, moved = yield from step(u, f, g, H)
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
        # the full Newton step when it contracts the decrement: near the optimum f changes by less
        # than its rounding noise, so Armijo's test would often halve it (then the result keeps
        # an error of the order of the decrement, ~1e-7 relative, instead of its square)
        d = newton_direction(g, H, linear)
        cand = u + d
        fc, gc, Hc = yield cand
        if np.any(cand != u) and _contracts(fc, gc, Hc, g, H) and _finite(fc, gc):
            u1, f1, g1, H1, moved = cand, fc, gc, Hc, True
        else:
            u1, f1, g1, H1, moved = yield from step(u, f, g, H)
        if moved and _finite(f1, g1):
            u, f, g, H, k = u1, f1, g1, H1, k + 1
            trace_f.append(f)
            trace_g.append(_gnorm(g))
    return NewtonRun(u, float(f), g, H, k, status, trace_f, trace_g)


def run(steps, evaluate) -> NewtonRun:
    """Drive a generator from :func:`iterations` with ``evaluate(u) -> (f, g, H)`` on the host."""
    u = next(steps)
    try:
        while True:
            u = steps.send(evaluate(u))
    except StopIteration as stop:
        return stop.value


def _contracts(f1, g1, H1, g, H) -> bool:
    """No step length decreases f along a descent direction when the decrease is below f's own
    rounding noise (e.g. lgamma differences of arguments ~1e5). The full step is then judged by
    the decrement instead: kept when f is finite there and the decrement smaller (Newton's
    quadratic contraction)."""
    return bool(np.isfinite(f1) and decrement_from_hessian(g1, H1) < decrement_from_hessian(g, H))
