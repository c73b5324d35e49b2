"""Numerical fits of every group at once: the batched Newton of
:mod:`maxlik.optimize.batched_newton` on per-group derivative sums (:mod:`._derivatives`).

Each group starts where ``maxlik.fit`` starts it — ``family.init`` on its rows, in the sorted
unconstrained coordinates u of the engine — and is judged by the engine's rule: converged when
its Newton decrement ½gᵀH⁻¹g of the total NLL is ≤ max(tol, 10⁻¹³·|NLL|) and H is positive
definite. Its covariance is J H⁻¹ Jᵀ (J = ∂θ/∂u = diag T′(u), the delta method), the standard
errors the square roots of its diagonal. Also used by :mod:`maxlik.threshold_fit`: its profile
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


def initial_points(family: Family, free: tuple, fixed: dict, x, w, starts, counts, ok: np.ndarray) -> np.ndarray:
    """u₀ (G, p) from ``family.init`` on each group's rows (a loop over groups: init is the
    family's own moment code); ``ok`` is cleared where init fails or leaves the domain."""
    u0 = np.zeros((counts.shape[0], len(free)))
    estimable = type(family).check_estimable is not Family.check_estimable
    with np.errstate(all="ignore"):
        for j in np.flatnonzero(ok):
            rows = slice(starts[j], starts[j] + counts[j])
            xj, wj = x[rows], None if w is None else w[rows]
            try:
                if estimable:
                    family.check_estimable(xj, wj, fixed)
                start = family.init(xj, wj)
                vals = [float(start[k]) for k in free]
            except Exception:  # noqa: BLE001  (the group's own fit reports the reason)
                ok[j] = False
                continue
            if not all(family.param(k).constraint.check(v) for k, v in zip(free, vals)):
                ok[j] = False
                continue
            u0[j] = [float(family.to_unconstrained({k: v})[k]) for k, v in zip(free, vals)]
    return u0


def fit_batched(family: Family, x, w, starts, counts, weight, fixed: dict, good: np.ndarray) -> NumericalFits:
    """Newton for the groups where ``good``; x, w sorted by group (segments ``starts``, ``counts``)."""
    G = counts.shape[0]
    free = tuple(sorted(k for k in family.param_names if k not in fixed))
    ok = good.copy()
    u0 = initial_points(family, free, fixed, x, w, starts, counts, ok)
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
        run = batched_newton.iterate(u0[gi], ev.evaluate, weight[gi], TOL, MAX_ITER, linear)
        W = weight[gi]
        with np.errstate(all="ignore"):
            d = W * decrements(run.g, run.H)
            total = W * run.f
            conv = (run.status == batched_newton.CONVERGED) & np.isfinite(total) & (d <= np.maximum(TOL, 1e-13 * np.abs(total)))
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
