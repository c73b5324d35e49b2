"""Newton–Raphson for many independent problems at once (one per group of :func:`maxlik.fit_groups`).

The same algorithm as :mod:`.newton`, vectorised over G problems of p unconstrained scalars each:

    u (G, p)   f (G,) mean NLL   g (G, p) its gradient   H (G, p, p) its Hessian   W (G,) weights

Each group takes its own damped Newton step (Levenberg damping where H is not positive definite,
the step capped to a max-norm of 10), its own Armijo backtracking (halving, up to 60 times), the
same rescue of a full step whose decrement contracts, and stops by the same rule — the decrement
½gᵀH⁻¹g of its total NLL W·f is ≤ max(tol, 10⁻¹³·|W f|) (:mod:`._convergence`) — followed by one
last step (the full Newton step where it contracts the decrement, as in :mod:`.newton`). ``evaluate(u, which)`` returns (f, g, H) of the groups ``which`` (an index array) at
u (len(which), p): only the groups still iterating are evaluated, so a pass over the data reads
the rows of those groups only.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from ..status import Status
from ._convergence import decrement_from_hessian, threshold
from .newton import ARMIJO, MAX_HALVINGS, MAX_STEP, jacobi_scale

# Status codes of the arrays (Status members do not fit in a NumPy array of floats)
RUNNING, CONVERGED, MAX_ITER, STALLED, NONFINITE = 0, 1, 2, 3, 4
STATUS = {CONVERGED: Status.CONVERGED, MAX_ITER: Status.MAX_ITER, STALLED: Status.STALLED, NONFINITE: Status.NONFINITE}


class BatchedRun(NamedTuple):
    """End points of every group: u, f, g, H (mean NLL scale), n_iter (G,), status (G,) codes."""

    u: np.ndarray
    f: np.ndarray
    g: np.ndarray
    H: np.ndarray
    n_iter: np.ndarray
    status: np.ndarray


def decrements(g: np.ndarray, H: np.ndarray) -> np.ndarray:
    """½ gᵀ H⁻¹ g for each row: (m,) from g (m, p), H (m, p, p); +inf where H is not finite or
    not positive definite (Cholesky, as :func:`._convergence.decrement_from_hessian`)."""
    m, p = g.shape
    out = np.full(m, np.inf)
    if p == 0:
        return np.zeros(m)
    sym = 0.5 * H + 0.5 * np.swapaxes(H, 1, 2)
    finite = np.all(np.isfinite(sym), axis=(1, 2)) & np.all(np.isfinite(g), axis=1)
    lam = np.linalg.eigvalsh(np.where(finite[:, None, None], sym, np.eye(p)))
    pd = finite & (lam[:, 0] > 0)
    if pd.any():
        try:
            c = np.linalg.cholesky(sym[pd])
        except np.linalg.LinAlgError:
            # λmin > 0 by eigvalsh yet Cholesky fails: H ill-conditioned in the data's units (a
            # location's curvature ~1e-16 beside a log-scale's ~1): row by row, as a single fit
            # counts it (+inf where not positive definite)
            for i in np.flatnonzero(pd):
                out[i] = decrement_from_hessian(g[i], sym[i])
            return out
        z = np.linalg.solve(c, g[pd][..., None])[..., 0]
        dec = 0.5 * np.einsum("ij,ij->i", z, z)
        out[pd] = np.where(np.isfinite(dec), dec, np.inf)
    return out


def directions(g: np.ndarray, H: np.ndarray, linear=None) -> np.ndarray:
    """Row-wise :func:`.newton.newton_direction`: solve (H + μI) d = −g in Jacobi-scaled units,
    μ = 0 where H is positive definite, else −λmin + 10⁻³·max|λ|; steepest descent where H is not
    finite; max-norm ≤ 10 (over the coordinates that are not ``linear`` where H is positive definite,
    the ``linear`` ones in Jacobi units elsewhere)."""
    m, p = g.shape
    eye = np.eye(p)
    H = np.where(np.all(np.isfinite(H), axis=(1, 2))[:, None, None], H, eye)
    s = jacobi_scale(H)
    Hs = H * s[:, :, None] * s[:, None, :]
    lam = np.linalg.eigvalsh(Hs)
    lmin, lmax = lam[:, 0], np.max(np.abs(lam), axis=1)
    mu = np.where(lmin > 1e-12 * lmax, 0.0, -lmin + 1e-3 * np.maximum(lmax, 1e-8))
    A = Hs + mu[:, None, None] * eye
    b = -(s * g)
    try:
        d = s * np.linalg.solve(A, b[..., None])[..., 0]
    except np.linalg.LinAlgError:  # some system singular: solve row by row, steepest descent there
        d = np.empty_like(g)
        for i in range(m):
            try:
                d[i] = s[i] * np.linalg.solve(A[i], b[i])
            except np.linalg.LinAlgError:
                d[i] = -g[i]
    measured = np.ones(p, dtype=bool) if linear is None else ~np.asarray(linear, dtype=bool)
    everything = (mu > 0) | ~np.all(np.isfinite(d), axis=1)
    lin = ~measured[None, :] & (mu > 0)[:, None]  # as newton_direction: a location's damped step in Jacobi units
    a = np.abs(np.where(lin, d / s, d))
    dmax = np.where(everything, np.max(a, axis=1, initial=0.0), np.max(np.where(measured, a, 0.0), axis=1, initial=0.0))
    return np.where((dmax > MAX_STEP)[:, None], d * (MAX_STEP / np.where(dmax > 0, dmax, 1.0))[:, None], d)


def _finite(f, g):
    return np.isfinite(f) & np.all(np.isfinite(g), axis=1)


class _State:
    def __init__(self, u, f, g, H):
        self.u, self.f, self.g, self.H = u, f, g, H


def _step(s: _State, R: np.ndarray, evaluate: Callable, linear=None) -> np.ndarray:
    """One safeguarded step of the groups R (in place in ``s``); returns moved (len(R),) bool."""
    u, f, g, H = s.u[R], s.f[R], s.g[R], s.H[R]
    d = directions(g, H, linear)
    slope = np.einsum("ij,ij->i", g, d)
    slack = 8 * np.finfo(float).eps * np.abs(f)
    alpha = np.ones(R.shape[0])
    searching = np.ones(R.shape[0], dtype=bool)
    moved = np.zeros(R.shape[0], dtype=bool)
    full = None
    for _ in range(MAX_HALVINGS + 1):
        i = np.flatnonzero(searching)
        cand = u[i] + alpha[i, None] * d[i]
        fc, gc, Hc = evaluate(cand, R[i])
        if full is None:
            full = (cand, fc, gc, Hc)
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(fc) & (fc <= f[i] + ARMIJO * alpha[i] * slope[i] + slack[i])
        moves = np.any(cand != u[i], axis=1)
        take = ok & moves
        j = R[i[take]]
        s.u[j], s.f[j], s.g[j], s.H[j] = cand[take], fc[take], gc[take], Hc[take]
        moved[i[take]] = True
        searching[i[ok]] = False  # accepted, or a step too short to change u: done searching
        alpha[i[~ok]] *= 0.5
        if not searching.any():
            break
    # no decrease: the full step may still be a rescue when its decrement contracts
    rest = np.flatnonzero(~moved)
    if rest.size:
        cand, fc, gc, Hc = (a[rest] for a in full)
        with np.errstate(invalid="ignore"):
            rescue = np.isfinite(fc) & (decrements(gc, Hc) < decrements(g[rest], H[rest]))
        j = R[rest[rescue]]
        s.u[j], s.f[j], s.g[j], s.H[j] = cand[rescue], fc[rescue], gc[rescue], Hc[rescue]
        moved[rest[rescue]] = True
    return moved


def iterate(u0: np.ndarray, evaluate: Callable, W: np.ndarray, tol: float, max_iter: int, linear=None) -> BatchedRun:
    """Run Newton on every group from u0 (G, p) to its own end (see the module docstring);
    ``linear``: (p,) bool, the coordinates whose bijection is the identity (steps not capped)."""
    G = u0.shape[0]
    every = np.arange(G)
    f, g, H = evaluate(np.array(u0, dtype=float), every)
    s = _State(np.array(u0, dtype=float), f.copy(), g.copy(), H.copy())
    k = np.zeros(G, dtype=int)
    status = np.zeros(G, dtype=int)

    def done(idx):
        with np.errstate(invalid="ignore", over="ignore"):
            return W[idx] * decrements(s.g[idx], s.H[idx]) <= threshold(tol, W[idx] * s.f[idx])

    status[~_finite(s.f, s.g)] = NONFINITE
    run = np.flatnonzero(status == RUNNING)
    status[run[done(run)]] = CONVERGED
    run = np.flatnonzero(status == RUNNING)
    while run.size:
        moved = _step(s, run, evaluate, linear)
        k[run[moved]] += 1
        fin = _finite(s.f[run], s.g[run])
        conv = fin & done(run)
        status[run[~fin]] = NONFINITE
        status[run[conv]] = CONVERGED
        status[run[fin & ~conv & ~moved]] = STALLED
        status[run[fin & ~conv & moved & (k[run] >= max_iter)]] = MAX_ITER
        run = np.flatnonzero(status == RUNNING)
    last = np.flatnonzero(status == CONVERGED)  # the last step: kept unless it fails or does not move
    if last.size:
        keep = _State(s.u[last].copy(), s.f[last].copy(), s.g[last].copy(), s.H[last].copy())
        # the full Newton step where it contracts the decrement (as .newton), else the safeguarded one
        cand = s.u[last] + directions(s.g[last], s.H[last], linear)
        fc, gc, Hc = evaluate(cand, last)
        with np.errstate(invalid="ignore"):
            full = (np.any(cand != s.u[last], axis=1) & _finite(fc, gc)
                    & (decrements(gc, Hc) < decrements(s.g[last], s.H[last])))
        j = last[full]
        s.u[j], s.f[j], s.g[j], s.H[j] = cand[full], fc[full], gc[full], Hc[full]
        moved = full.copy()
        rest = np.flatnonzero(~full)
        if rest.size:
            moved[rest] = _step(s, last[rest], evaluate, linear)
        bad = ~(moved & _finite(s.f[last], s.g[last]))
        j = last[bad]
        s.u[j], s.f[j], s.g[j], s.H[j] = keep.u[bad], keep.f[bad], keep.g[bad], keep.H[bad]
        k[last[~bad]] += 1
    return BatchedRun(s.u, s.f, s.g, s.H, k, status)
