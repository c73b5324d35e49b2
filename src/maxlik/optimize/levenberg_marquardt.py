"""Levenberg–Marquardt for least squares min ½‖r(p)‖², r = f(p, x) − y (used by ``fit_curve``).

One loop, :func:`levenberg_marquardt`: from the current point (r, J and the SVD of J D⁻¹, D a
column scaling) take the damped step, which solves  min ‖r + J̃δ̃‖² + λ‖δ̃‖²,  J̃ = J D⁻¹,
δ = D⁻¹δ̃,  exactly from that SVD (never from the normal equations JᵀJ, which square the condition
number); evaluate it; accept or reject it; on acceptance refresh r, J and the SVD; test for a stop.
A damping strategy supplies what differs between the two variants (``scaled`` chooses):

* ``scaled=False`` (first), :class:`_TrustRegion`: no scaling (D = 1) and the classical
  trust-region update of λ (the rule of ``optimistix.LevenbergMarquardt``). A step whose predicted
  decrease is below a bound on the rounding error of the RSS cannot be judged by evaluating f, so
  it is lengthened rather than tried, and the iteration stops when even the Gauss–Newton step's
  predicted decrease (the Gauss–Newton decrement ½ gᵀ(JᵀJ)⁻¹g, g = Jᵀr: the :mod:`._convergence`
  measure with H = JᵀJ) is below that bound.
* ``scaled=True`` (the fallback), :class:`_Nielsen`: Moré-scaled columns with Nielsen's damping
  update, which copes with parameters on very different scales (NIST MGH10 from start 1), where
  the unscaled version crawls. The two fail in different places (BoxBOD and MGH17 from start 1
  defeat the scaled one), so together they solve all 54 NIST runs.

``optimistix.least_squares`` itself was tried first: it reaches the same digits, but compiling
its solver takes 3–7 s per model, ~6× the time of the whole fit here. The loop is NumPy around
one jitted ``(r, J)`` evaluation supplied by the caller.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

_EPS = float(np.finfo(np.float64).eps)


class _Point(NamedTuple):
    """The current iterate: p, its RSS ‖r‖² (as ``resid`` evaluated it when the step was tried),
    r and J from ``resid_jac``, the column scale D and the SVD J D⁻¹ = U diag(s) Vᵀ, c = Uᵀr."""

    p: np.ndarray
    rss: float
    r: np.ndarray
    J: np.ndarray
    D: np.ndarray
    s: np.ndarray
    Vt: np.ndarray
    c: np.ndarray


def _point(p, rss, r, J, strategy) -> _Point:
    """Decompose the (finite) Jacobian at p, scaled by the strategy's current D."""
    D = strategy.column_scale(J)
    U, s, Vt = np.linalg.svd(J / D, full_matrices=False)
    return _Point(p, rss, r, J, D, s, Vt, U.T @ r)


def _predicted_decrease(s: np.ndarray, c: np.ndarray, lam: float) -> float:
    """‖r‖² − ‖r + J̃δ̃‖² for the step damped by λ: Σ cᵢ² (1 − (λ/(sᵢ²+λ))²)."""
    damp = lam / (s * s + lam)
    return float(np.sum(c * c * (1.0 - damp * damp)))


def levenberg_marquardt(resid, resid_jac, p: np.ndarray, tol: float, max_iter: int, y: np.ndarray, scaled: bool = False):
    """Minimise ½‖resid(p)‖² from p. ``resid(p) -> r (N,)``, ``resid_jac(p) -> (r, J (N, k))``;
    ``y`` (N,) scales the rounding bound of the unscaled strategy. Returns
    (p, number of iterations, stop reason).

    A strategy has ``column_scale(J) -> D``, ``start(point)``, ``damping(point) -> λ`` (or a stop
    reason), ``accept(actual, predicted decrease of the RSS) -> bool``, ``reject() -> bool`` (True:
    no damping is left to try) and ``accepted(old, new, scaled step, actual, predicted)`` (updates λ;
    returns a stop reason or None).
    """
    strategy = _Nielsen(tol) if scaled else _TrustRegion(tol, y)
    r, J = resid_jac(p)
    pt = _point(p, float(r @ r), r, J, strategy)
    strategy.start(pt)
    for it in range(1, max_iter + 1):
        lam = strategy.damping(pt)
        if isinstance(lam, str):
            return pt.p, it - 1, lam
        step = -(pt.Vt.T @ (pt.s / (pt.s * pt.s + lam) * pt.c))
        p_new = pt.p + step / pt.D
        r_new = resid(p_new)
        rss_new = float(r_new @ r_new)
        pred, act = _predicted_decrease(pt.s, pt.c, lam), pt.rss - rss_new
        if not (np.isfinite(rss_new) and strategy.accept(act, pred)):
            if strategy.reject():
                return pt.p, it, "no step decreases the residual sum of squares any further"
            continue
        r, J = resid_jac(p_new)
        if not np.all(np.isfinite(J)):
            return p_new, it, "the Jacobian is not finite"
        old, pt = pt, _point(p_new, rss_new, r, J, strategy)
        stop = strategy.accepted(old, pt, step, act, pred)
        if stop is not None:
            return pt.p, it, stop
    return pt.p, max_iter, "reached max_iter"


class _TrustRegion:
    """Unscaled, with a classical trust-region update of the damping λ.

    The rule is optimistix's ``ClassicalTrustRegion`` (Gould et al.): λ = 1/Δ, Δ₀ = 1; a step is
    accepted when the actual decrease is at least 1% of the predicted one; Δ grows ×3.5 when it is
    at least 99%, and shrinks ×0.25 on rejection.

    Rounding: a step whose predicted decrease of ½‖r‖² is below the rounding error of ½‖r‖²
    (``_rounding_error``) cannot be judged by evaluating f, so it is not tried: Δ grows ×3.5 until
    the prediction is measurable. (Shrinking Δ on rejections caused by rounding noise shortens the
    step into more noise: that stalled NIST MGH17 from start 1 far from the minimum, in its valley.)

    Stops when the Gauss–Newton step's own predicted decrease is below that rounding error (nothing
    measurable is left); when a measurable step from this point failed and every shorter one is
    unmeasurable; or, after an accepted step, when the step, the Gauss–Newton step and the change of
    ½‖r‖² are all below ``tol`` in the relative-plus-absolute sense |Δ| ≤ tol·(1 + |value|) (the
    Gauss–Newton step too, because a step made short by heavy damping is no sign of a minimum).
    """

    def __init__(self, tol: float, y: np.ndarray):
        self.tol, self.y, self.radius = tol, y, 1.0

    def column_scale(self, J):
        return np.ones(J.shape[1])

    def start(self, pt: _Point):
        self.noise = _rounding_error(pt.r, pt.J, pt.p, self.y)
        self.failed_here = False  # a measurable step from the current point was rejected
        self.gn_decrease = None  # the Gauss–Newton step's predicted decrease there, when needed

    def damping(self, pt: _Point):
        while True:
            lam = 1.0 / self.radius if self.radius > _EPS else np.finfo(np.float64).max
            # the noise bounds the rounding of ½‖r‖², hence the ½
            if 0.5 * _predicted_decrease(pt.s, pt.c, lam) > self.noise or self.radius > 1e300:
                return lam
            if self.gn_decrease is None:
                self.gn_decrease = gauss_newton_step(pt.J, pt.r)[1]
            if self.gn_decrease <= self.noise:
                return "the Gauss–Newton step's predicted decrease is below the rounding error of the RSS"
            if self.failed_here:
                return "no step decreases the residual sum of squares by more than its rounding error"
            self.radius *= 3.5

    def accept(self, act: float, pred: float) -> bool:
        return act >= 0.01 * pred

    def reject(self) -> bool:
        self.radius *= 0.25
        self.failed_here = True
        return self.radius < 1e-300

    def accepted(self, old: _Point, new: _Point, step, act: float, pred: float):
        if act > 0.99 * pred and pred > 0:
            self.radius *= 3.5
        tol = self.tol
        self.start(new)
        if np.all(np.abs(step / old.D) <= tol * (1.0 + np.abs(old.p))) and 0.5 * abs(act) <= tol * (1.0 + 0.5 * old.rss):
            gn_step, self.gn_decrease, _ = gauss_newton_step(new.J, new.r)
            if np.all(np.abs(gn_step) <= tol * (1.0 + np.abs(new.p))):
                return "step, Gauss–Newton step and change in RSS below tol"
        return None


class _Nielsen:
    """Moré's column scaling and Nielsen's damping update (the fallback strategy).

    For problems whose parameters differ by orders of magnitude (MGH10). Dⱼ = the largest ‖Jⱼ‖
    seen so far (Moré 1978). μ starts at 10⁻³·max sᵢ² and follows Nielsen (1999):
    μ ← μ·max(1/3, 1 − (2ρ − 1)³) on a decrease (ρ = actual / predicted), μ ← μν, ν ← 2ν otherwise.
    Stops when the scaled step is below ε‖Dp‖·5, when the actual and predicted relative decreases
    of the RSS are both below tol/1000, when the residuals are within tol of orthogonal to the
    columns of J, or when no damping gives a decrease.
    """

    def __init__(self, tol: float):
        self.tol, self.D = tol, 0.0

    def column_scale(self, J):
        D = np.maximum(self.D, np.linalg.norm(J, axis=0))
        self.D = np.where(D > 0, D, 1.0)
        return self.D

    def start(self, pt: _Point):
        s0 = float(pt.s[0]) ** 2
        self.mu, self.nu, self.mu_max = 1e-3 * max(s0, _EPS), 2.0, 1e20 * max(s0, 1.0)

    def damping(self, pt: _Point):
        return self.mu

    def accept(self, act: float, pred: float) -> bool:
        self.rho = act / pred if pred > 0 else -1.0
        return act > 0 and self.rho > 0

    def reject(self) -> bool:
        self.mu, self.nu = self.mu * self.nu, self.nu * 2.0
        return self.mu > self.mu_max

    def accepted(self, old: _Point, new: _Point, step, act: float, pred: float):
        self.mu, self.nu = self.mu * max(1.0 / 3.0, 1.0 - (2.0 * self.rho - 1.0) ** 3), 2.0
        if new.rss == 0 or np.linalg.norm(step) <= 5 * _EPS * np.linalg.norm(new.D * new.p):
            return "relative step at rounding level"
        small_change = act <= 1e-3 * self.tol * old.rss and pred <= 1e-3 * self.tol * old.rss
        if small_change or np.sqrt(float(new.c @ new.c) / new.rss) <= self.tol:
            return "change in RSS or gradient below tol"
        return None


def _rounding_error(r: np.ndarray, J: np.ndarray, p: np.ndarray, y: np.ndarray) -> float:
    """Bound on the rounding error of ½‖r‖² as computed in float64: Σₙ |rₙ| ε (|yₙ| + Σⱼ |Jₙⱼ pⱼ|).

    Each term pⱼ·∂f/∂pⱼ of f carries a relative error ~ε, so f's error is that of its largest terms,
    not of f: on MGH17's way to the minimum, b2·e^(−b4·x) + b3·e^(−b5·x) with b2 ≈ −b3 ≈ 78 sums
    to ~1 with an error of ~1e-14. At the 27 NIST minima the bound is 3–800× the scatter of ½‖r‖²
    measured over last-bit changes of p: conservative, so that a decrease above it is real.
    """
    return _EPS * float(np.abs(r) @ (np.abs(y) + np.abs(J) @ np.abs(p)))


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
