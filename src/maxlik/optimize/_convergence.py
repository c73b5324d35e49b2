"""The one convergence rule of maxlik's iterative fits: the Newton decrement.

For the total negative log-likelihood F(u) with gradient g and (positive definite) Hessian H,

    δ(u) = ½ gᵀ H⁻¹ g

is the decrease of F that a Newton step predicts: the log-likelihood still to be gained. Near the
optimum û, δ ≈ ½ (u − û)ᵀ H (u − û), half the squared distance to the optimum in standard-error
units (H is the observed information). So δ is scale-aware: it does not change when the data
or a parameter are rescaled, nor with the coordinates (it is affine-invariant), and ``tol`` has
one meaning everywhere — log-likelihood units. A fit has converged when

    δ ≤ max(tol, 10⁻¹³·|F|)

(the second term is the rounding level of F itself, below which no decrease can be measured).

With weights, F is the weighted NLL, and weights c·w (a common factor c) scale F, g, H and δ by
c. For c ≥ 1 (frequency weights, counts) the absolute rule only gets stricter, but weights
normalised below 1 (probabilities, w/Σw) would stop the fit up to √(2·tol/c) standard errors away.
So the engine judges δ against ``tol`` times the mean weight of the rows that carry weight when
that mean is below 1 (:func:`weight_factor`): a common factor in the weights then changes no estimate.

Where H comes from: the exact Hessian (Newton, the GLM Newton/IRLS), JᵀJ/σ̂² (Gauss–Newton, for
least squares: :func:`maxlik.fit_curve`), and for first-order methods (BFGS, L-BFGS, gradient
descent), which carry no Hessian, the exact Hessian at the end point: their loop stops on the
cheap relative gradient (:func:`relative_gradient`) or at ``max_iter``, and the end point is then
judged by δ like any other.

A raw gradient max-norm is *not* used: it depends on the parameters' units and on rounding in the
gradient (a Beta fit with concentrations ~10⁵ has gradient noise ~10⁻⁶ in log coordinates while
its estimates agree with scipy's to 7 digits, and δ ≈ 10⁻⁹).

The functions take an array namespace ``xp`` (numpy or jax.numpy), so the jitted loops and the
NumPy loops (GLM Newton, Levenberg–Marquardt) share them.
"""

from __future__ import annotations

import numpy as np

ROUNDING = 1e-13  # relative rounding level of a sum of log-densities


def threshold(tol, f, xp=np):
    """max(tol, 10⁻¹³·|f|): the decrement below which a fit has converged (f: total NLL)."""
    return xp.maximum(tol, ROUNDING * xp.abs(f))


def weight_factor(total_weight: float, n_weighted: int) -> float:
    """min(1, W/n): the mean weight of the n rows of positive weight, capped at 1 — the factor by
    which tolerances in log-likelihood units are scaled (1 for counts, the mean for weights below 1)."""
    if not (n_weighted > 0 and np.isfinite(total_weight) and total_weight > 0):
        return 1.0
    return min(1.0, total_weight / n_weighted)


def decrement(g, step):
    """½ gᵀ H⁻¹ g from the gradient and the Newton step H⁻¹g (already solved)."""
    return 0.5 * (g @ step)


def decrement_from_hessian(g, H, xp=np):
    """½ gᵀ H⁻¹ g by Cholesky; +inf when H is not positive definite or not finite."""
    if g.shape[0] == 0:
        return xp.zeros(())
    if xp is np:
        if not (np.all(np.isfinite(H)) and np.all(np.isfinite(g))):
            return np.inf
        with np.errstate(over="ignore", invalid="ignore"):  # an end point far out (a start that diverged)
            try:
                c = np.linalg.cholesky(0.5 * H + 0.5 * H.T)
            except np.linalg.LinAlgError:
                return np.inf
            z = np.linalg.solve(c, g)
            dec = 0.5 * float(z @ z)
        return dec if np.isfinite(dec) else np.inf
    c = xp.linalg.cholesky(0.5 * (H + H.T))  # NaN when not positive definite
    z = xp.linalg.solve(c, g)  # jax.scipy's triangular solve would do; solve is exact enough here
    dec = 0.5 * (z @ z)
    return xp.where(xp.isfinite(dec), dec, xp.inf)


def converged(dec, tol, f, xp=np):
    """The rule: δ ≤ max(tol, 10⁻¹³·|F|)."""
    return dec <= threshold(tol, f, xp)


def relative_gradient(g, u, f, xp=np):
    """max_i |gᵢ|·max(|uᵢ|, 1) / max(|f|, 1): the first-order methods' stopping test (the
    relative change of f per relative change of each coordinate, Dennis & Schnabel §7.2)."""
    if g.shape[0] == 0:
        return xp.zeros(())
    return xp.max(xp.abs(g) * xp.maximum(xp.abs(u), 1.0)) / xp.maximum(xp.abs(f), 1.0)
