"""Newton's method (IRLS) with lazily refreshed exact Hessians, for smooth convex NLLs (GLMs).

The GLM counterpart of :mod:`.newton`: NumPy passes over possibly large data (``models/_glm``,
threaded) instead of a jitted loop, because the Hessian is the costly part and is formed only
when needed. Same convergence rule (:mod:`._convergence`).

``glm_newton(fun, beta0, max_iter, tol)`` where ``fun(beta, need)`` returns (nll, grad, hess) with
``need`` one of "nll", "grad", "hess" (the entries not asked for may be None).

Step δ = H⁻¹g by Cholesky, with backtracking (halving) until the NLL does not increase. Forming
H is the costly part (O(N p²) against O(N p) for the gradient), so after a full step the old
Hessian is kept while it still contracts the Newton decrement by 20× per step (a "chord"
step: near the optimum H barely changes); otherwise it is recomputed. Converged when the Newton
decrement gᵀH⁻¹g/2 (the predicted NLL decrease, ≈ ½‖β̂ − β‖² in standard-error units) is below
``tol`` (or 1e-13·|nll|, where rounding of the sums dominates: :func:`._convergence.threshold`,
the rule of every maxlik fit); one last full step is then taken,
the exact gradient and Hessian are evaluated there (the Hessian gives the standard errors), and
a final Newton correction from them is applied without another pass (its effect on H and on the
NLL is of the order of the decrement, far below the reported precision). When the chord steps
start from a subsample's Hessian ``H0`` (large data, where one more pass is costly and the
Hessian varies slowly), that exact evaluation is brought one step forward: it is made at the end
of the step after which the decrement is *predicted* (from the last contraction) to be below
``tol``, and convergence is then declared only if the exact decrement there is below ``tol``.
Returns (beta, nll, grad, hess, n_iter, converged).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sl

from ..inference import covariance_from_hessian
from ._convergence import decrement, threshold


def solve_psd(H, g):
    """H⁻¹g for symmetric positive (semi)definite H; None if H is numerically singular."""
    try:
        c = sl.cho_factor(H, check_finite=False)
        return sl.cho_solve(c, g, check_finite=False)
    except (np.linalg.LinAlgError, ValueError):
        return None


def glm_covariance(H, p: int):
    """Cov(β̂) = H⁻¹ (:func:`maxlik.inference.covariance_from_hessian`), or a (p, p) NaN matrix
    when H is missing, not finite or not positive definite (collinear features)."""
    cov = None if H is None else covariance_from_hessian(H)[0]
    return np.full((p, p), np.nan) if cov is None else cov


def glm_newton(fun, beta0, max_iter=100, tol=1e-8, H0=None):
    """``H0``: an approximate Hessian at ``beta0`` (e.g. from a subsample) to start with chord
    steps instead of forming the exact Hessian first."""
    beta = np.asarray(beta0, float).copy()
    if H0 is None:
        nll, g, H = fun(beta, "hess")
        Hk, fresh = H, True  # Hk: Hessian used for the steps (possibly from an earlier iterate)
    else:
        nll, g, _ = fun(beta, "grad")
        H = Hk = H0
        fresh = False
    prev_dec = np.inf
    for it in range(1, max_iter + 1):
        step = solve_psd(Hk, g)
        if step is None or not np.all(np.isfinite(step)):
            if fresh:
                return beta, nll, g, H, it, False
            nll, g, H = fun(beta, "hess")
            Hk, fresh, prev_dec = H, True, np.inf
            continue
        dec = decrement(g, step)
        if not fresh and dec > prev_dec / 20.0:  # stale Hessian no longer contracts well
            nll, g, H = fun(beta, "hess")
            Hk, fresh, prev_dec = H, True, np.inf
            step = solve_psd(Hk, g)
            if step is None or not np.all(np.isfinite(step)):
                return beta, nll, g, H, it, False
            dec = decrement(g, step)
        thresh = threshold(tol, nll)
        # chord steps shrink the decrement by a steady factor ≈ dec / prev_dec: when the next
        # decrement is predicted below thresh, the exact Hessian is formed after this step
        # rather than one (gradient) pass later
        predicted = dec * dec / prev_dec if H0 is not None and not fresh and np.isfinite(prev_dec) else np.inf
        if dec < thresh or predicted < thresh:
            cand = beta - step
            new = fun(cand, "hess")
            if np.isfinite(new[0]) and new[0] <= nll + 1e-12 * abs(nll):
                polish = solve_psd(new[2], new[1])  # a true Newton step: error of order dec²
                polish_ok = polish is not None and np.all(np.isfinite(polish))
                if dec < thresh or (polish_ok and decrement(new[1], polish) < thresh):
                    return (cand - polish if polish_ok else cand, *new, it, True)
                # the prediction was optimistic: go on from cand with its exact Hessian
                beta, (nll, g, H) = cand, new
                Hk, fresh, prev_dec = H, True, np.inf
                continue
            if dec < thresh:
                if not fresh:
                    H = fun(beta, "hess")[2]
                return beta, nll, g, H, it - 1, True
        t = 1.0
        for _ in range(60):
            cand = beta - t * step
            new = fun(cand, "grad")
            if np.isfinite(new[0]) and new[0] <= nll + 1e-12 * abs(nll):
                break
            t *= 0.5
        else:
            return beta, nll, g, H, it, False
        beta = cand
        if t < 1.0:  # damped step: far from the optimum, refresh the Hessian
            nll, g, H = fun(beta, "hess")
            Hk, fresh, prev_dec = H, True, np.inf
        else:
            nll, g = new[0], new[1]
            fresh, prev_dec = False, dec
    if not fresh:
        nll, g, H = fun(beta, "hess")
    step = solve_psd(H, g)
    ok = step is not None and decrement(g, step) < threshold(tol, nll)
    return beta, nll, g, H, max_iter, ok


def warm_start(fun_on, X, y, w, beta0, min_rows=200_000, strides=(256, 16), tol=1e-3):
    """Starting point and Hessian for large data: Newton on every 256th row, then from there on
    every 16th row (deterministic subsamples; each level starts with the previous level's
    Hessian, rescaled). ``fun_on(X, y, w)`` gives the ``fun`` of :func:`glm_newton` for those rows.
    The subsample fits stop at a Newton decrement of ``tol``, far below their own sampling error.

    Returns (beta, H): H is the last subsample's Hessian rescaled to the full weight, a good
    stand-in for the full Hessian in the first (chord) steps of the full fit; (beta0, None) for
    small data or if a subsample fit fails."""
    if X.shape[0] < min_rows:
        return beta0, None
    beta, H, weight = beta0, None, None
    for stride in strides:
        sub = slice(None, None, stride)
        Xs, ys, ws = np.ascontiguousarray(X[sub]), y[sub], w[sub]
        if not ws.sum() > 0:
            return beta0, None
        H0 = None if H is None else H * (ws.sum() / weight)
        beta, _, _, H, _, ok = glm_newton(fun_on(Xs, ys, ws), beta, 50, tol, H0=H0)
        if not ok or not np.all(np.isfinite(beta)):
            return beta0, None
        weight = ws.sum()
    return beta, H * (w.sum() / weight)
