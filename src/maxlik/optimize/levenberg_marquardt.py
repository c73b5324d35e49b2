"""Levenberg–Marquardt for least squares min ½‖r(p)‖², r = f(p, x) − y (used by ``fit_curve``).

One entry point, :func:`levenberg_marquardt`, with two damping strategies as an option:

* ``scaled=False`` (first): the classical trust-region update of the damping (the rule of
  ``optimistix.LevenbergMarquardt``), unscaled. Every damped step is solved from the SVD of J,
  never from the normal equations JᵀJ, which square the condition number. A step whose predicted
  decrease is below a bound on the rounding error of the RSS cannot be judged by evaluating f,
  so it is lengthened rather than tried, and the iteration stops when even the Gauss–Newton
  step's predicted decrease (the Gauss–Newton decrement ½ gᵀ(JᵀJ)⁻¹g, g = Jᵀr: the
  :mod:`._convergence` measure with H = JᵀJ) is below that bound.
* ``scaled=True`` (the fallback): Moré-scaled columns with Nielsen's damping update, which copes
  with parameters on very different scales (NIST MGH10 from start 1), where the unscaled
  version crawls. The two fail in different places (BoxBOD and MGH17 from start 1 defeat the
  scaled one), so together they solve all 54 NIST runs.

``optimistix.least_squares`` itself was tried first: it reaches the same digits, but compiling
its solver takes 3–7 s per model, ~6× the time of the whole fit here. The loops are NumPy around
one jitted ``(r, J)`` evaluation supplied by the caller.
"""

from __future__ import annotations

import numpy as np

_EPS = float(np.finfo(np.float64).eps)


def levenberg_marquardt(resid, resid_jac, p: np.ndarray, tol: float, max_iter: int, y: np.ndarray, scaled: bool = False):
    """Minimise ½‖resid(p)‖² from p. ``resid(p) -> r (N,)``, ``resid_jac(p) -> (r, J (N, k))``;
    ``y`` (N,) scales the rounding bound of the unscaled strategy. Returns
    (p, number of iterations, stop reason)."""
    if scaled:
        return _levenberg_marquardt_scaled(resid, resid_jac, p, tol, max_iter)
    return _levenberg_marquardt(resid, resid_jac, p, tol, max_iter, y)


def _rounding_error(r: np.ndarray, J: np.ndarray, p: np.ndarray, y: np.ndarray) -> float:
    """Bound on the rounding error of ½‖r‖² as computed in float64: Σₙ |rₙ| ε (|yₙ| + Σⱼ |Jₙⱼ pⱼ|).

    Each term pⱼ·∂f/∂pⱼ of f carries a relative error ~ε, so f's error is that of its largest terms,
    not of f: on MGH17's way to the minimum, b2·e^(−b4·x) + b3·e^(−b5·x) with b2 ≈ −b3 ≈ 78 sums
    to ~1 with an error of ~1e-14. At the 27 NIST minima the bound is 3–800× the scatter of ½‖r‖²
    measured over last-bit changes of p: conservative, so that a decrease above it is real.
    """
    return _EPS * float(np.abs(r) @ (np.abs(y) + np.abs(J) @ np.abs(p)))


def _levenberg_marquardt(resid, resid_jac, p: np.ndarray, tol: float, max_iter: int, y: np.ndarray):
    """Levenberg–Marquardt with a classical trust-region update of the damping λ.

    The damped step solves  min ‖r + Jδ‖² + λ‖δ‖²  exactly from the SVD J = U diag(s) Vᵀ:
    δ = −V diag(s/(s²+λ)) Uᵀr (no normal equations). The predicted decrease of ½‖r‖² is
    −½ Σ cᵢ² (1 − (λ/(sᵢ²+λ))²), c = Uᵀr. The trust-region rule is optimistix's
    ``ClassicalTrustRegion`` (Gould et al.): λ = 1/Δ, Δ₀ = 1; a step is accepted when the actual
    decrease is at least 1% of the predicted one; Δ grows ×3.5 when it is at least 99%, and
    shrinks ×0.25 on rejection.

    Rounding: a step whose predicted decrease is below the rounding error of ½‖r‖²
    (``_rounding_error``) cannot be judged by evaluating f, so it is not tried: Δ grows ×3.5 until
    the prediction is measurable. (Shrinking Δ on rejections caused by rounding noise shortens the
    step into more noise: that stalled NIST MGH17 from start 1 far from the minimum, in its valley.)

    Stops when the Gauss–Newton step's own predicted decrease is below that rounding error (nothing
    measurable is left); when a measurable step from this point failed and every shorter one is
    unmeasurable; or, after an accepted step, when the step, the Gauss–Newton step and the change of
    ½‖r‖² are all below ``tol`` in the relative-plus-absolute sense |Δ| ≤ tol·(1 + |value|) (the
    Gauss–Newton step too, because a step made short by heavy damping is no sign of a minimum).
    Returns (p, number of iterations, stop reason).
    """
    r, J = resid_jac(p)
    loss = 0.5 * float(r @ r)
    radius = 1.0
    U, s, Vt = np.linalg.svd(J, full_matrices=False)
    c = U.T @ r
    noise = _rounding_error(r, J, p, y)
    failed_here = False  # a measurable step from the current p was rejected
    gn_decrease = None  # the Gauss–Newton step's predicted decrease at p, computed when needed
    for it in range(1, max_iter + 1):
        while True:
            lam = 1.0 / radius if radius > _EPS else np.finfo(np.float64).max
            damp = lam / (s * s + lam)
            pred = -0.5 * float(np.sum(c * c * (1.0 - damp * damp)))
            if -pred > noise or radius > 1e300:
                break
            if gn_decrease is None:
                gn_decrease = gauss_newton_step(J, r)[1]
            if gn_decrease <= noise:
                return p, it - 1, "the Gauss–Newton step's predicted decrease is below the rounding error of the RSS"
            if failed_here:
                return p, it - 1, "no step decreases the residual sum of squares by more than its rounding error"
            radius *= 3.5
        step = -(Vt.T @ (s / (s * s + lam) * c))
        p_new = p + step
        r_new = resid(p_new)
        loss_new = 0.5 * float(r_new @ r_new)
        diff = loss_new - loss
        accept = np.isfinite(loss_new) and diff <= 0.01 * pred
        if not accept:
            radius *= 0.25
            failed_here = True
            if radius < 1e-300:
                return p, it, "no step decreases the residual sum of squares any further"
            continue
        if diff < 0.99 * pred and pred < 0:
            radius *= 3.5
        small = np.all(np.abs(step) <= tol * (1.0 + np.abs(p))) and abs(diff) <= tol * (1.0 + abs(loss))
        p, loss, failed_here = p_new, loss_new, False
        r, J = resid_jac(p)
        if not np.all(np.isfinite(J)):
            return p, it, "the Jacobian is not finite"
        gn_decrease = None
        if small:
            gn_step, gn_decrease, _ = gauss_newton_step(J, r)
            if np.all(np.abs(gn_step) <= tol * (1.0 + np.abs(p))):
                return p, it, "step, Gauss–Newton step and change in RSS below tol"
        U, s, Vt = np.linalg.svd(J, full_matrices=False)
        c = U.T @ r
        noise = _rounding_error(r, J, p, y)
    return p, max_iter, "reached max_iter"


def _levenberg_marquardt_scaled(resid, resid_jac, p: np.ndarray, tol: float, max_iter: int):
    """Levenberg–Marquardt with Moré's column scaling and Nielsen's damping update.

    The fallback strategy, for problems whose parameters differ by orders of magnitude (MGH10).
    Columns are scaled by D (Dⱼ = the largest ‖Jⱼ‖ seen so far, Moré 1978) and the damped step
    solves  min ‖r + J̃δ̃‖² + μ‖δ̃‖²,  J̃ = J D⁻¹,  δ = D⁻¹δ̃,  from the SVD of J̃. μ starts at
    10⁻³·max sᵢ² and follows Nielsen (1999): μ ← μ·max(1/3, 1 − (2ρ − 1)³) on a decrease,
    μ ← μν, ν ← 2ν otherwise. Stops when the scaled step is below ε‖Dp‖·5, when the actual and
    predicted relative decreases of the RSS are both below tol/1000, when the residuals are within
    tol of orthogonal to the columns of J, or when no damping gives a decrease.
    Returns (p, number of iterations, stop reason).
    """
    r, J = resid_jac(p)
    rss = float(r @ r)
    D = np.zeros(p.size)

    def decompose(J, D):
        D = np.maximum(D, np.linalg.norm(J, axis=0))
        D = np.where(D > 0, D, 1.0)
        U, s, Vt = np.linalg.svd(J / D, full_matrices=False)
        return D, U, s, Vt

    D, U, s, Vt = decompose(J, D)
    c = U.T @ r
    mu, nu = 1e-3 * max(float(s[0]) ** 2, _EPS), 2.0
    mu_max = 1e20 * max(float(s[0]) ** 2, 1.0)
    for it in range(1, max_iter + 1):
        damp = mu / (s * s + mu)
        step_t = -(Vt.T @ (s / (s * s + mu) * c))
        p_new = p + step_t / D
        r_new = resid(p_new)
        rss_new = float(r_new @ r_new)
        pred = float(np.sum(c * c * (1.0 - damp * damp)))
        act = rss - rss_new
        rho = act / pred if pred > 0 else -1.0
        if not (np.isfinite(rss_new) and act > 0 and rho > 0):
            mu, nu = mu * nu, nu * 2.0
            if mu > mu_max:
                return p, it, "no step decreases the residual sum of squares any further"
            continue
        mu, nu = mu * max(1.0 / 3.0, 1.0 - (2.0 * rho - 1.0) ** 3), 2.0
        small_change = act <= 1e-3 * tol * rss and pred <= 1e-3 * tol * rss
        p, rss = p_new, rss_new
        r, J = resid_jac(p)
        if not np.all(np.isfinite(J)):
            return p, it, "the Jacobian is not finite"
        D, U, s, Vt = decompose(J, D)
        c = U.T @ r
        if rss == 0 or np.linalg.norm(step_t) <= 5 * _EPS * np.linalg.norm(D * p):
            return p, it, "relative step at rounding level"
        if small_change or np.sqrt(float(c @ c) / rss) <= tol:
            return p, it, "change in RSS or gradient below tol"
    return p, max_iter, "reached max_iter"


def _scaled_svd(J: np.ndarray):
    """SVD of J with unit-norm columns: J = U diag(s) Vᵀ diag(norms)."""
    norms = np.linalg.norm(J, axis=0)
    norms = np.where(norms > 0, norms, 1.0)
    U, s, Vt = np.linalg.svd(J / norms, full_matrices=False)
    return U, s, Vt, norms


def gauss_newton_step(J: np.ndarray, r: np.ndarray):
    """δ minimising ‖r + Jδ‖ (pseudo-inverse with a rank cutoff), its predicted decrease of ½‖r‖²
    (½‖r‖² − ½‖r + Jδ‖² = ½ Σ over kept singular values of (Uᵀr)ᵢ²), and the SVD pieces."""
    U, s, Vt, norms = _scaled_svd(J)
    cutoff = s[0] * max(J.shape) * _EPS if s.size else 0.0
    keep = s > cutoff
    c = np.where(keep, U.T @ r, 0.0)
    step = -(Vt.T @ (c / np.where(keep, s, 1.0))) / norms
    return step, 0.5 * float(c @ c), (U, s, Vt, norms)
