"""maxlik.fit_curve: nonlinear regression as Gaussian-noise maximum likelihood.

For  yₙ = f(p, xₙ) + εₙ,  εₙ ~ N(0, σ²),  the MLE of p minimises RSS(p) = ‖y − f(p, x)‖², and
σ̂² = RSS(p̂)/N. ``f(p, x)`` (parameters first, data second: the order of every maxlik callback,
as ``fit_loglik``'s ``log_prob(params, data)``) is written with ``jax.numpy``; its Jacobian J = ∂f/∂p is exact
(``jax.jacfwd``), never a finite difference.

Solver (three stages; numpy loops around ONE jitted function per model, ``(r, J)`` at p, so a
second fit of the same ``f`` — another start, other data of the same shape — compiles nothing):

1. Levenberg–Marquardt (:mod:`maxlik.optimize.levenberg_marquardt`): unscaled with a classical
   trust-region damping first; if its end point fails the verification (3), again from p0 with
   Moré-scaled columns and Nielsen's damping. Together they solve all 54 NIST runs.
2. Polishing: up to 30 Gauss–Newton steps from the SVD of the column-scaled Jacobian, each kept
   only if it does not raise the RSS beyond its rounding error. These take the decreases too small
   for (1) to confirm: on the NIST runs the unscaled strategy solves, it ends 1e-8 to 2e-5
   standard errors from the certified values (LRE 5.6–10.6); polished, all 54 runs reach LRE ≥ 10.3.
3. Verification, which alone decides ``converged``: the RSS must be finite, the Jacobian must have
   full numerical rank (condition number of the column-scaled J below 1e12), and the point must
   be stationary: the Gauss–Newton step to the minimum of the linearised problem must be below
   1e-6 standard errors for every parameter, or below 1e-10 relative to every parameter (the
   second test covers exact fits, where the residuals are rounding noise). An end point that
   fails any of these is returned with ``converged=False``, a message naming the reason, and a
   ``ConvergenceWarning`` (``strict=True`` raises ``FitFailedError`` instead).

The reported residuals and RSS (hence σ̂, the standard errors and the log-likelihood) come from one
more evaluation of f at p̂ in extended precision (``np.longdouble``, by interpreting f's jaxpr with
NumPy: ``_extended_eval``). The solver's float64 residuals carry f's rounding error, ≈ 1e-16·|f| per
point, which is all of the RSS's digits but ~3 for an exact fit (NIST Lanczos1: residuals ~1e-13).
Where that evaluation is impossible (an operation the interpreter lacks, a platform whose long
double is float64) the float64 values are reported, silently. x and y may be given as
``np.longdouble`` arrays: the solver uses their float64 roundings, the final evaluation the arrays
themselves (for Lanczos1, rounding y to float64 alone moves the RSS in its 4th digit).
"""

from __future__ import annotations

import warnings
from functools import partial
from typing import Callable

import numpy as np
from jax.experimental import checkify

from .._jax import jax, jnp
from .result import CurveFitResult
from ..errors import ConvergenceWarning, DataError, DegenerateFitError, FitFailedError, ParameterError
from ..optimize.levenberg_marquardt import gauss_newton_step, levenberg_marquardt
from ._argument_order import params_first as _params_first
from ._extended_eval import call_extended

OWNER = "fit_curve"
SIGMA_CONVENTIONS = ("mle", "dof")
_COND_MAX = 1e12  # numerical rank: condition number of the column-scaled Jacobian
_STAT_SE = 1e-6  # stationarity: Gauss–Newton step in standard errors ...
_STAT_REL = 1e-10  # ... or relative to the parameters
_POLISH_STEPS = 30
_EPS = float(np.finfo(np.float64).eps)


# ---------------------------------------------------------------------------------------------
# input checks
# ---------------------------------------------------------------------------------------------
def _finite_array(a, what: str, fix: str) -> np.ndarray:
    try:
        arr = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{OWNER}: {what} must be numeric; got {type(a).__name__} ({exc}). {fix}") from None
    if arr.ndim == 0 or arr.size == 0:
        raise DataError(f"{OWNER}: {what} must be a non-empty array; got shape {arr.shape}. {fix}")
    bad = ~np.isfinite(arr)
    if bad.any():
        first = tuple(int(i) for i in np.unravel_index(int(np.argmax(bad)), arr.shape))
        where = first[0] if len(first) == 1 else first
        raise DataError(
            f"{OWNER}: {what} must be finite; got {int(bad.sum())} NaN/inf value(s) (first at index {where} (0-based)). "
            "Drop or impute those observations before fitting."
        )
    return arr


def _check_options(sigma_convention, tol, max_iter):
    if sigma_convention not in SIGMA_CONVENTIONS:
        raise ParameterError(
            f"{OWNER}: sigma_convention must be one of {SIGMA_CONVENTIONS}; got {sigma_convention!r}. "
            'Use "mle" (σ̂² = RSS/N) or "dof" (σ̂² = RSS/(N−k), as NIST and curve_fit).'
        )
    if not (isinstance(tol, (int, float)) and np.isfinite(tol) and 0 < tol < 1):
        raise ParameterError(f"{OWNER}: tol must be a number in (0, 1); got {tol!r}. The default is 1e-12.")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ParameterError(f"{OWNER}: max_iter must be a positive integer; got {max_iter!r}. The default is 10000.")


def _check_p0(p0, names):
    try:
        p = np.asarray(p0, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParameterError(f"{OWNER}: p0 must be a 1-D array of numbers; got {p0!r}. Pass one starting value per parameter.") from None
    if p.ndim != 1 or p.size == 0:
        raise ParameterError(
            f"{OWNER}: p0 must be a non-empty 1-D array (one starting value per parameter); got shape {p.shape}. "
            "Flatten it, e.g. np.ravel(p0)."
        )
    if not np.isfinite(p).all():
        raise ParameterError(f"{OWNER}: p0 must be finite; got {p.tolist()}. Choose finite starting values.")
    if names is None:
        names = tuple(f"p[{i}]" for i in range(p.size))
    else:
        names = tuple(str(n) for n in names)
        if len(names) != p.size or len(set(names)) != len(names):
            raise ParameterError(
                f"{OWNER}: names must be {p.size} distinct names, one per entry of p0; got {list(names)}. "
                "Give one name per parameter, or leave names out."
            )
    return p, names


def _check_model(f: Callable, x, y: np.ndarray, p: np.ndarray):
    """Call f once at p0: shape, dtype and finiteness of the model."""
    try:
        out = jax.eval_shape(f, jnp.asarray(p), x)
    except Exception as exc:  # the user's function failed: report it as an input problem
        raise ParameterError(
            f"{OWNER}: f(p0, x) must evaluate for p0 of length {p.size}; calling it raised "
            f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}. "
            "Check that p0 has one entry per parameter f uses, and that f uses jax.numpy."
        ) from None
    if not hasattr(out, "shape") or tuple(out.shape) != y.shape:
        got = getattr(out, "shape", type(out).__name__)
        raise DataError(
            f"{OWNER}: f(p, x) must return an array shaped like y, {y.shape}; got {got}. "
            "Make f return one prediction per observation (e.g. drop a trailing axis with [:, 0])."
        )
    if not (jnp.issubdtype(out.dtype, jnp.floating) or jnp.issubdtype(out.dtype, jnp.integer)):
        raise DataError(f"{OWNER}: f(p, x) must return real numbers; got dtype {out.dtype}. Return a real-valued array.")
    err, r0 = _checked_residual(f, x, jnp.asarray(y), jnp.asarray(p))
    if err.get() is not None:  # jnp clamps out-of-bounds indices silently; checkify does not
        raise ParameterError(
            f"{OWNER}: f(p0, x) must only index p within its length {p.size}; got {err.get().strip()} "
            "Check that p0 has one entry per parameter f uses."
        )
    r0 = np.asarray(r0)
    bad = ~np.isfinite(r0)
    if bad.any():
        raise ParameterError(
            f"{OWNER}: f(p0, x) must be finite at the starting values p0 = {p.tolist()}; got "
            f"{int(bad.sum())} NaN/inf prediction(s) of {y.size} (first at index {int(np.argmax(bad))} (0-based)). "
            "Choose starting values where the model is defined."
        )


# ---------------------------------------------------------------------------------------------
# solver
# ---------------------------------------------------------------------------------------------
@partial(jax.jit, static_argnums=0)
def _residual(f, x, y, p):
    """r = f(p, x) − y, shape (N,)."""
    return jnp.reshape(f(p, x), y.shape).astype(y.dtype) - y


@partial(jax.jit, static_argnums=0)
def _checked_residual(f, x, y, p):
    """(checkify error, r): r with out-of-bounds indexing of p reported instead of clamped."""
    return checkify.checkify(lambda q: _residual(f, x, y, q), errors=checkify.index_checks)(p)


@partial(jax.jit, static_argnums=0)
def _residual_jacobian(f, x, y, p):
    """(r, J): residuals (N,) and the exact Jacobian ∂r/∂p (N, k) by forward-mode autodiff."""
    r = _residual(f, x, y, p)
    return r, jax.jacfwd(lambda q: _residual(f, x, y, q))(p)


def _polish(resid_jac, p: np.ndarray, y: np.ndarray):
    """Up to 10 undamped Gauss–Newton steps, kept while the RSS does not rise beyond its
    rounding error (≈ 16 ε Σ|rₙ|(|yₙ| + |fₙ|)). Returns (p, r, J, steps)."""
    r, J = resid_jac(p)
    rss = float(r @ r)
    steps = 0
    if not (np.isfinite(rss) and np.all(np.isfinite(J))):
        return p, r, J, steps
    for _ in range(_POLISH_STEPS):
        step, _, _ = gauss_newton_step(J, r)
        if not np.all(np.isfinite(step)):
            break
        p_new = p + step
        r_new, J_new = resid_jac(p_new)
        rss_new = float(r_new @ r_new)
        noise = 16.0 * _EPS * float(np.sum(np.abs(r) * (2.0 * np.abs(y) + np.abs(r))))
        if not np.isfinite(rss_new) or not np.all(np.isfinite(J_new)) or rss_new > rss + noise:
            break
        small = np.all(np.abs(step) <= 4.0 * _EPS * np.abs(p))
        p, r, J, rss, steps = p_new, r_new, J_new, rss_new, steps + 1
        if small:
            break
    return p, r, J, steps


def _verify(J: np.ndarray, r: np.ndarray, p: np.ndarray, n: int, names):
    """(converged, reason, (JᵀJ)⁻¹ or None, why-no-cov)."""
    k = p.size
    rss = float(r @ r)
    if not (np.isfinite(rss) and np.all(np.isfinite(J))):
        return False, "the residuals or the Jacobian are not finite at the end point", None, "non-finite Jacobian"
    step, _, (U, s, Vt, norms) = gauss_newton_step(J, r)
    cond = s[0] / s[-1] if s[-1] > 0 else np.inf
    if not cond < _COND_MAX:
        weak = names[int(np.argmax(np.abs(Vt[-1])))]
        why = (
            f"the Jacobian is rank-deficient at the end point (condition number {cond:.3g}): the parameters are "
            f"not identifiable there ({weak} is the least determined; it may have drifted towards infinity)"
        )
        return False, why + ". Try other starting values", None, "the Jacobian is rank-deficient"
    xtx_inv = (Vt.T / s**2) @ Vt / np.outer(norms, norms)
    se = np.sqrt(rss / max(n - k, 1) * np.diag(xtx_inv))
    with np.errstate(divide="ignore", invalid="ignore"):
        in_se = np.abs(step) / se
        rel = np.abs(step) / np.abs(p)
    in_se = np.where(np.abs(step) == 0, 0.0, in_se)
    rel = np.where(np.abs(step) == 0, 0.0, rel)
    if np.all(in_se <= _STAT_SE) or np.all(rel <= _STAT_REL):
        return True, "stationary point verified (Gauss–Newton step below tolerance, full-rank Jacobian)", xtx_inv, None
    i = int(np.argmax(np.minimum(in_se, rel / _STAT_REL * _STAT_SE)))
    return (
        False,
        f"not a stationary point: a Gauss–Newton step would still move {names[i]} by {float(in_se[i]):.3g} standard errors. "
        "Raise max_iter, loosen tol, or try other starting values",
        xtx_inv,
        None,
    )


def _extended_input(a, arr64: np.ndarray) -> np.ndarray:
    """The user's array itself where it carries more digits than float64 (np.longdouble), else arr64."""
    if isinstance(a, np.ndarray) and a.dtype == np.longdouble and a.shape == arr64.shape:
        return a
    return arr64


def _final_residuals(f, x, y, p: np.ndarray, r: np.ndarray):
    """(y − f(p̂, x) as float64, RSS) from one extended-precision evaluation of f at p̂.

    ``r`` = f − y are the solver's float64 residuals: they are returned (negated, with r·r) where
    the extended evaluation is unavailable, or where it disagrees with them beyond any rounding
    (1e-8 of the data's scale), which would mean f was not interpreted faithfully.
    """
    fx = call_extended(f, p, x)
    if fx is not None and fx.size == y.size:
        e = y - fx.reshape(y.shape)  # long double
        scale = float(np.max(np.abs(y))) + float(np.max(np.abs(fx)))
        if np.all(np.isfinite(e)) and float(np.max(np.abs(e + r))) <= 1e-8 * scale:
            return e.astype(np.float64), float(np.sum(e * e))
    return -r, float(r @ r)


def fit_curve(
    f: Callable,
    x,
    y,
    p0,
    *,
    names=None,
    sigma_convention: str = "mle",
    tol: float = 1e-12,
    max_iter: int = 10000,
    strict: bool = False,
    data_first: bool | None = None,
) -> CurveFitResult:
    """Fit y ≈ f(p, x) by maximum likelihood under i.i.d. Gaussian noise (= least squares).

    Parameters
    ----------
    f : callable ``f(p, x) -> array shaped like y``, written with ``jax.numpy``; p has shape (k,).
        The old order ``f(x, p)`` works for one release with a ``DeprecationWarning``: pass
        ``data_first=True``, or it is detected when f's first parameter is named ``x`` or ``t``.
    x : array-like, any shape (e.g. (N,) or (N, d)); passed to f as a float64 JAX array.
    y : array-like, shape (N,), N > k. x and y given as ``np.longdouble`` arrays keep their extra
        digits in the final residuals and RSS (see the module docstring).
    p0 : array-like, shape (k,): starting values.
    names : optional k parameter names (for ``params_dict`` and the summary).
    sigma_convention : "mle" (σ̂² = RSS/N, the default) or "dof" (σ̂² = RSS/(N − k)); scales
        ``cov``, ``stderr`` and ``conf_int``. ``loglik``/AIC/BIC always use the MLE.
    tol : relative (and absolute) tolerance of the Levenberg–Marquardt stopping rule on the
        parameter step (damped and Gauss–Newton) and the objective change. Whatever tol, the
        iteration also stops once the decrease it could still make is below the RSS's rounding
        error (with the default, that rule ends all 54 NIST runs).
    max_iter : maximum Levenberg–Marquardt iterations (trial steps, rejected ones included) per
        strategy; a fit that needs the fallback strategy may take up to 2·max_iter + 60.
    strict : raise ``FitFailedError`` instead of warning when the fit does not converge.
    data_first : None (detect), True (deprecated ``f(x, p)``) or False (``f(p, x)``).
    """
    _check_options(sigma_convention, tol, max_iter)
    f = _params_first(f, data_first)
    x_in, y_in = x, y
    y = _finite_array(y, "y", "Pass the responses as a 1-D numeric array.")
    if y.ndim != 1:
        raise DataError(f"{OWNER}: y must have shape (N,); got shape {y.shape}. Pass a 1-D array of responses.")
    y_ext = _extended_input(y_in, y)
    x = _finite_array(x, "x", "Pass the predictors as a numeric array.")
    x_ext = _extended_input(x_in, x)
    p, names = _check_p0(p0, names)
    n, k = y.size, p.size
    if n <= k:
        raise DegenerateFitError(
            f"{OWNER}: the number of observations must exceed the number of parameters; got N={n} for k={k}. "
            "Add observations or fix some parameters (write them into f as constants)."
        )
    xj, yj = jnp.asarray(x), jnp.asarray(y)
    _check_model(f, xj, y, p)

    def resid(q):
        return np.asarray(_residual(f, xj, yj, jnp.asarray(q)), dtype=np.float64)

    def resid_jac(q):
        r, J = _residual_jacobian(f, xj, yj, jnp.asarray(q))
        return np.asarray(r, dtype=np.float64), np.asarray(J, dtype=np.float64).reshape(n, k)

    J0 = resid_jac(p)[1]
    if not np.all(np.isfinite(J0)):
        bad = [names[j] for j in range(k) if not np.all(np.isfinite(J0[:, j]))]
        raise ParameterError(
            f"{OWNER}: the Jacobian ∂f/∂p must be finite at the starting values p0 = {p.tolist()}; got NaN/inf "
            f"derivatives for {', '.join(bad)}. Choose starting values where f is differentiable (away from "
            "e.g. sqrt(0) or a power of 0)."
        )
    attempts = []
    for scaled in (False, True):
        with np.errstate(all="ignore"):  # overflowing trial steps are rejected, not reported
            p_hat, n_steps, stop = levenberg_marquardt(resid, resid_jac, p, float(tol), int(max_iter), y, scaled=scaled)
            p_hat, r, J, n_polish = _polish(resid_jac, p_hat, y)
            verdict = _verify(J, r, p_hat, n, names)
        attempts.append((not verdict[0], float(r @ r) if np.isfinite(r @ r) else np.inf, p_hat, r, n_steps + n_polish, stop, verdict))
        if verdict[0]:
            break
    # the verified attempt; if none, the one with the smaller RSS
    _, _, p_hat, r, n_iter, stop, verdict = min(attempts, key=lambda a: a[:2])
    n_iter = sum(a[4] for a in attempts)
    converged, message, xtx_inv, cov_reason = verdict
    if not converged:
        message += f" (Levenberg–Marquardt stopped: {stop})"
    residuals, rss = _final_residuals(f, x_ext, y_ext, p_hat, r)
    res = CurveFitResult(
        coef=p_hat,
        names=names,
        rss=rss,
        n=n,
        sigma_convention=sigma_convention,
        converged=converged,
        n_iter=n_iter,
        message=message,
        residuals=residuals,
        _xtx_inv=xtx_inv,
        _cov_reason=cov_reason,
    )
    if not converged:
        text = f"{OWNER}: the fit did not converge: {message}."
        if strict:
            raise FitFailedError(text)
        warnings.warn(text, ConvergenceWarning, stacklevel=2)
    return res
