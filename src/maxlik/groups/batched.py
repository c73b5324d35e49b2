"""Numerical fits of every group at once: the batched Newton of
:mod:`maxlik.optimize.batched_newton` on per-group derivative sums (:mod:`._derivatives`).

Each group starts where ``maxlik.fit`` starts it — ``family.init`` on its rows, in the sorted
unconstrained coordinates u of the engine, and, for a family with several maxima, each of its
``extra_starts`` (one more batched run per further start, the best kept by fit's own rule) —
and is judged by the engine's rule: converged when its Newton decrement ½gᵀH⁻¹g of the total
NLL is ≤ max(tol, 10⁻¹³·|NLL|) and H is positive definite. Its covariance is J H⁻¹ Jᵀ
(J = ∂θ/∂u = diag T′(u), the delta method), the standard errors the square roots of its diagonal. Also used by :mod:`maxlik.threshold_fit`: its profile
over loc fits the two-parameter family at every grid point as one group each.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..families import Family
from ..constraints import real
from ..optimize import batched_newton
from ..optimize.batched_newton import decrements
from ._derivatives import derivatives_for, make_rows

TOL, MAX_ITER = 1e-8, 100  # maxlik.fit's defaults for Newton


class NumericalFits(NamedTuple):
    """Per group (G,): params / stderr name -> (G,), loglik, n_iter, decrement (of the total NLL),
    H_u (G, p, p) Hessian of the total NLL in u, jac (G, p) = T′(u), ok (converged)."""

    params: dict
    stderr: dict
    loglik: np.ndarray
    n_iter: np.ndarray
    decrement: np.ndarray
    H_u: np.ndarray
    jac: np.ndarray
    free: tuple
    ok: np.ndarray


def initial_points(family: Family, free: tuple, fixed: dict, x, w, starts, counts, ok: np.ndarray):
    """u₀ (G, p) from ``family.init`` on each group's rows (a loop over groups: init is the
    family's own moment code), and each group's further starts (a list of (p,) u vectors, from
    ``family.extra_starts``, as ``maxlik.fit`` takes them); ``ok`` is cleared where init fails or
    leaves the domain."""
    u0 = np.zeros((counts.shape[0], len(free)))
    extras: list[list[np.ndarray]] = [[] for _ in range(counts.shape[0])]
    estimable = type(family).check_estimable is not Family.check_estimable
    more = type(family).extra_starts is not Family.extra_starts
    domain = [family.param(k).constraint for k in free]

    def to_u(point):
        return [float(family.to_unconstrained({k: v})[k]) for k, v in zip(free, point)]

    with np.errstate(all="ignore"):
        for j in np.flatnonzero(ok):
            rows = slice(starts[j], starts[j] + counts[j])
            xj, wj = x[rows], None if w is None else w[rows]
            try:
                if estimable:
                    family.check_estimable(xj, wj, fixed)
                start = family.init(xj, wj)
                vals = [float(start[k]) for k in free]
                others = family.extra_starts(xj, wj, {k: start[k] for k in free}, fixed) if more else []
            except Exception:  # noqa: BLE001  (the group's own fit reports the reason)
                ok[j] = False
                continue
            if not all(c.check(v) for c, v in zip(domain, vals)):
                ok[j] = False
                continue
            u0[j] = to_u(vals)
            extras[j] = [np.array(to_u([float(e[k]) for k in free])) for e in others]
    return u0, extras


class _Run(NamedTuple):
    """One batched Newton from one start of each group in ``which`` (positions among the fitted
    groups): its end points and, per group, converged by the engine's rule, the total NLL and its
    Newton decrement."""

    which: np.ndarray
    run: batched_newton.BatchedRun
    converged: np.ndarray
    total: np.ndarray
    decrement: np.ndarray


def _newton(ev, u0, which, W, linear) -> _Run:
    run = batched_newton.iterate(u0, lambda u, idx: ev.evaluate(u, which[idx]), W, TOL, MAX_ITER, linear)
    with np.errstate(all="ignore"):
        total = W * run.f
        d = W * decrements(run.g, run.H)
        conv = (run.status == batched_newton.CONVERGED) & np.isfinite(total) & (d <= np.maximum(TOL, 1e-13 * np.abs(total)))
    return _Run(which, run, conv, total, d)


def _best_of(runs: list[_Run], m: int) -> _Run:
    """Per group, the run ``maxlik.fit`` keeps (``optimize._engine._pick_best``, vectorised over
    the groups): the lowest total NLL among the converged ones (among all, if none converged); the
    first start's run where it is within TOL of that. Returns the chosen rows of every run (m)."""
    score = np.full((len(runs), m), np.inf)
    conv = np.zeros((len(runs), m), dtype=bool)
    for i, r in enumerate(runs):
        score[i, r.which] = np.where(np.isfinite(r.total), r.total, np.inf)
        conv[i, r.which] = r.converged
    score = np.where(conv.any(axis=0) & ~conv, np.inf, score)
    best = np.argmin(score, axis=0)
    first = np.isfinite(score[0]) & (score[0] <= score[best, np.arange(m)] + TOL)
    best = np.where(first | ~np.isfinite(score).any(axis=0), 0, best)
    def columns(r: _Run) -> tuple:  # every per-group array of a run, end points first
        return (*r.run, r.converged, r.total, r.decrement)

    chosen = [np.array(a, copy=True) for a in columns(runs[0])]
    for i, r in enumerate(runs[1:], start=1):
        take = np.flatnonzero(best[r.which] == i)
        for a, b in zip(chosen, columns(r)):
            a[r.which[take]] = b[take]
    end = len(runs[0].run)
    return _Run(np.arange(m), batched_newton.BatchedRun(*chosen[:end]), *chosen[end:])


def fit_batched(family: Family, x, w, starts, counts, weight, fixed: dict, good: np.ndarray) -> NumericalFits:
    """Newton for the groups where ``good``; x, w sorted by group (segments ``starts``, ``counts``),
    from each group's init and from its further starts, the best kept as ``maxlik.fit`` keeps it."""
    G = counts.shape[0]
    free = tuple(sorted(k for k in family.param_names if k not in fixed))
    ok = good.copy()
    u0, extras = initial_points(family, free, fixed, x, w, starts, counts, ok)
    gi = np.flatnonzero(ok)
    ids = np.repeat(np.arange(G), counts)
    rank = np.full(G, -1)
    rank[gi] = np.arange(gi.shape[0])
    keep = ok[ids]
    rows = make_rows(x[keep], None if w is None else w[keep], rank[ids[keep]], gi.shape[0])
    ev = derivatives_for(family, free, {k: float(v) for k, v in fixed.items()}, rows, weight[gi])
    p = len(free)
    params = {k: np.full(G, np.nan) for k in family.param_names}
    stderr = {k: np.full(G, np.nan) for k in family.param_names}
    loglik, n_iter, dec = np.full(G, np.nan), np.zeros(G, dtype=int), np.full(G, np.inf)
    H_u, jac = np.full((G, p, p), np.nan), np.full((G, p), np.nan)
    for k, v in fixed.items():
        params[k][:] = float(v)
    if gi.size:
        linear = np.array([family.param(k).constraint is real for k in free])
        W = weight[gi]
        runs = [_newton(ev, u0[gi], np.arange(gi.size), W, linear)]
        for i in range(max(len(extras[j]) for j in gi)):  # the i-th further start of the groups that have one
            sub = np.flatnonzero([len(extras[j]) > i for j in gi])
            if sub.size:
                runs.append(_newton(ev, np.stack([extras[gi[s]][i] for s in sub]), sub, W[sub], linear))
        run, conv, total, d = _best_of(runs, gi.size)[1:]
        with np.errstate(all="ignore"):
            theta = ev.params(run.u)
            t1 = np.stack([np.broadcast_to(b.derivatives(run.u[:, j])[0], (gi.size,)) for j, b in enumerate(ev.bijections)], axis=1)
            Ht = W[:, None, None] * run.H
            cov_u = np.full_like(Ht, np.nan)
            pd = np.isfinite(d)
            if pd.any():
                cov_u[pd] = np.linalg.inv(Ht[pd])
            for j, k in enumerate(free):
                params[k][gi] = theta[k]
                stderr[k][gi] = np.abs(t1[:, j]) * np.sqrt(np.diagonal(cov_u, axis1=1, axis2=2)[:, j])
        loglik[gi], n_iter[gi], dec[gi], H_u[gi], jac[gi] = -total, run.n_iter, d, Ht, t1
        ok[gi] = conv
    return NumericalFits(params, stderr, loglik, n_iter, dec, H_u, jac, free, ok)
