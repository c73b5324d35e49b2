"""Building blocks of the distribution functions (cdf, sf, their logs, ppf, isf) of the families.

Log-space forms that stay finite where the probability underflows (|log p| > 745):

    log1mexp(a)              log(1 − eᵃ), a ≤ 0 (Mächler 2012: expm1 near 0, log1p far from it)
    log_gammainc(a, x)       log P(a, x), the regularised lower incomplete gamma function
    log_gammaincc(a, x)      log Q(a, x) = log(1 − P(a, x))
    log_betainc(a, b, x, y)  log I_x(a, b), with y = 1 − x given exactly by the caller
    log_betaincc(a, b, x, y) log(1 − I_x(a, b)) = log I_y(b, a)

Each takes the special function's value where it is representable (scipy.special for NumPy
input, jax.scipy.special for JAX input: ``namespace`` picks) and, where it is below ``TINY``, a
tail expansion in log space: for P the power series
P(a, x) = xᵃ e⁻ˣ / Γ(a + 1) · Σₖ xᵏ / ((a + 1)…(a + k)); for Q Legendre's continued fraction
Q(a, x) = xᵃ e⁻ˣ / Γ(a) · 1 / (x + 1 − a − 1·(1 − a) / (x + 3 − a − 2·(2 − a) / (x + 5 − a − …)));
for I the hypergeometric series I_x(a, b) = xᵃ yᵇ / (a B(a, b)) · Σₖ (a + b)ₖ / (a + 1)ₖ xᵏ. The
expansions run a fixed number of terms (a Python loop for NumPy, ``lax.fori_loop`` under JAX,
so they can be traced and differentiated), the series with the geometric estimate of their
remainder. Both branches are evaluated at safe arguments, so gradients through ``where`` stay
finite.
Under JAX, log P and log Q keep jax.scipy's values but take their derivatives from the
expansions alone (``_smooth_log_p_q``): igamma has no second derivative in a, which the Hessian
of a censored gamma likelihood needs.

Also: the check of probabilities given to ppf / isf. The integer search of discrete quantiles is in
``_discrete_quantiles``; the location–scale and cumulative-hazard forms are in ``_cdf_forms``.
"""

from __future__ import annotations

import math

import numpy as np

from .._xp import jax, namespace, special
from ..errors import ParameterError

TINY = 1e-250  # below this, a regularised incomplete function is taken from its tail expansion
SERIES_TERMS = 256  # with the remainder estimate: ~1e-8 relative even at a = 3e6 (x near a)
FRACTION_DEPTH = 128  # the fraction converges faster: ~1e-11 relative at a = 3e6
BETA_FRACTION_DEPTH = 256  # pairs of terms of I's continued fraction (JAX path)
LOG_HALF = -math.log(2.0)


# log(0) = −inf and exp(large) = inf are the intended values at the ends of a support, and a
# where-branch that is not taken may hold inf − inf (at x = ±inf) or NaN (a NaN x gives NaN):
# NumPy would warn about each
def quiet():
    """The NumPy error state of the distribution functions' evaluations."""
    return np.errstate(divide="ignore", over="ignore", under="ignore", invalid="ignore")


def check_probabilities(q, owner: str) -> np.ndarray:
    """``q`` as a float64 array of probabilities in [0, 1], else a ParameterError naming the count
    of bad values and the first one."""
    try:
        arr = np.asarray(q, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParameterError(f"{owner}: q must be numeric probabilities in [0, 1]; got {q!r}.") from None
    bad = ~((arr >= 0.0) & (arr <= 1.0))
    if bad.any():
        first = arr.ravel()[int(np.argmax(bad.ravel()))]
        raise ParameterError(
            f"{owner}: q must be probabilities in [0, 1]; got {int(bad.sum())} value(s) outside "
            f"(first: {first:g}). Pass probabilities, e.g. 0.95, not percentages or log-probabilities."
        )
    return arr


def _loop(n: int, body, init, xp):
    """``init`` carried through ``body(i, carry)`` for i = 0 … n − 1 (lax.fori_loop under JAX)."""
    if xp is np:
        carry = init
        for i in range(n):
            carry = body(i, carry)
        return carry
    return jax.lax.fori_loop(0, n, body, init)


def log1mexp(a):
    """log(1 − eᵃ) for a ≤ 0, accurate at both ends (−inf at a = 0)."""
    xp = namespace(a)
    near = a > LOG_HALF
    a_near = xp.where(near, a, LOG_HALF)  # safe arguments: each branch finite where it is not used
    a_far = xp.where(near, LOG_HALF, a)
    return xp.where(near, xp.log(-xp.expm1(a_near)), xp.log1p(-xp.exp(a_far)))


def _log_series(first_ratio, ratio, n: int, xp):
    """log Σₖ₌₀ tₖ, t₀ = 1, tₖ = tₖ₋₁ · ratio(k), for a series with ratios below 1, the terms
    after the n-th estimated as a geometric series (ratio(n + 1) / (1 − ratio(n + 1)) · tₙ)."""
    def body(i, carry):
        term, total = carry
        term = term * ratio(i + 1.0)
        return term, total + term

    term, total = _loop(n, body, (xp.ones_like(first_ratio), xp.ones_like(first_ratio)), xp)
    r = xp.minimum(ratio(n + 1.0), 0.999)  # below 1 wherever the series is used (x < the mean)
    return xp.log(total + term * r / (1.0 - r))


def _log_near_one(p, complement, xp):
    """log p for p ≥ TINY: log p itself up to ½, log1p(−(1 − p)) above, with 1 − p computed
    directly by ``complement()`` (so a log-probability near 0 keeps its digits)."""
    high = p > 0.5
    return xp.where(high, xp.log1p(-xp.where(high, complement(), 0.0)), xp.log(xp.where(high | (p < TINY), 1.0, p)))


def _where_tiny(tiny, expansion, direct, xp):
    """``expansion()`` where ``tiny``, else ``direct`` (NumPy skips the expansion when nothing is)."""
    if xp is np and not np.any(tiny):
        return direct
    return xp.where(tiny, expansion(), direct)


def _gammaln(xp):
    return special(xp).gammaln


def _smooth_log_p_q(a, x, xp):
    """(log P, log Q) from the expansions alone (the series below x = a + 1, the fraction above,
    the other one by log1mexp): pure arithmetic, so JAX differentiates it to any order, which
    its ``igamma`` (no derivative of ``igamma_grad_a``) does not."""
    below = x < a + 1.0
    xs = xp.where(below & (x > 0), x, 0.5 * a)
    log_p_series = a * xp.log(xs) - xs - _gammaln(xp)(a + 1.0) + _log_series(xs, lambda k: xs / (a + k), SERIES_TERMS, xp)
    xf = xp.where(below | ~(x < xp.inf), 2.0 * a + 2.0, x)
    log_q_fraction = a * xp.log(xf) - xf - _gammaln(xp)(a) + _log_fraction_q(a, xf, xp)
    log_p = xp.where(below, log_p_series, log1mexp(xp.minimum(log_q_fraction, -1e-300)))
    log_q = xp.where(below, log1mexp(xp.minimum(log_p_series, -1e-300)), log_q_fraction)
    return log_p, log_q


def log_gammainc(a, x):
    """log P(a, x) for a > 0, x ≥ 0 (−inf at x = 0)."""
    xp = namespace(a, x)
    a, x = xp.broadcast_arrays(xp.asarray(a, dtype=float), xp.asarray(x, dtype=float))
    if xp is not np:
        return _with_smooth_derivatives(_log_gammainc(*_frozen(a, x), xp), _smooth_log_p_q(a, x, xp)[0], x > 0)
    return _log_gammainc(a, x, xp)


def _frozen(*args):
    """The arguments without derivatives (jax.lax.stop_gradient), for the values' evaluation."""
    return tuple(jax.lax.stop_gradient(v) for v in args)


def _with_smooth_derivatives(value, smooth, where):
    """``value``'s numbers with ``smooth``'s derivatives (of every order), where ``where``."""
    smooth = jax.numpy.where(where, smooth, 0.0)
    return jax.numpy.where(where, jax.lax.stop_gradient(value - smooth) + smooth, jax.lax.stop_gradient(value))


def _log_gammainc(a, x, xp):
    p = special(xp).gammainc(a, x)
    tiny = p < TINY
    def series():
        xs = xp.where(tiny & (x > 0), x, 0.5 * a)  # in the tail region P < TINY forces x < a
        return a * xp.log(xs) - xs - _gammaln(xp)(a + 1.0) + _log_series(xs, lambda k: xs / (a + k), SERIES_TERMS, xp)

    out = _where_tiny(tiny, series, _log_near_one(p, lambda: special(xp).gammaincc(a, x), xp), xp)
    return xp.where(x <= 0, -xp.inf, out)


def _log_fraction_q(a, x, xp):
    """log of Legendre's continued fraction of Q(a, x) (x > a), by backward recurrence."""
    def body(i, t):
        n = FRACTION_DEPTH - i * 1.0
        return n * (n - a) / (x + 2.0 * n + 1.0 - a - t)

    t = _loop(FRACTION_DEPTH, body, xp.zeros_like(x), xp)
    return -xp.log(x + 1.0 - a - t)


def log_gammaincc(a, x):
    """log Q(a, x) = log(1 − P(a, x)) for a > 0, x ≥ 0 (0 at x = 0)."""
    xp = namespace(a, x)
    a, x = xp.broadcast_arrays(xp.asarray(a, dtype=float), xp.asarray(x, dtype=float))
    if xp is not np:
        return _with_smooth_derivatives(_log_gammaincc(*_frozen(a, x), xp), _smooth_log_p_q(a, x, xp)[1], (x > 0) & (x < xp.inf))
    return _log_gammaincc(a, x, xp)


def _log_gammaincc(a, x, xp):
    q = special(xp).gammaincc(a, xp.maximum(x, 0.0))
    tiny = q < TINY
    finite = x < xp.inf

    def fraction():
        xs = xp.where(tiny & finite, x, 2.0 * a + 2.0)  # in the tail region Q < TINY forces x > a + 1
        return a * xp.log(xs) - xs - _gammaln(xp)(a) + _log_fraction_q(a, xs, xp)

    out = _where_tiny(tiny, fraction, _log_near_one(q, lambda: special(xp).gammainc(a, xp.maximum(x, 0.0)), xp), xp)
    return xp.where(finite, out, -xp.inf)


def _log_beta(a, b, xp):
    if xp is np:
        import scipy.special

        return scipy.special.betaln(a, b)
    lg = _gammaln(xp)  # (jax.scipy.special.betaln is off by ~1e-7 for small arguments in jax 0.10)
    return lg(a) + lg(b) - lg(a + b)


def _log_fraction_i(a, b, x, y, xp):
    """log I_x(a, b) by its continued fraction (Numerical Recipes 6.4), for x < (a + 1)/(a + b + 2):
    I = xᵃ yᵇ / (a B(a, b)) · 1 / (1 + d₁ / (1 + d₂ / (1 + …))), d₂ₘ₊₁ = −(a + m)(a + b + m) x /
    ((a + 2m)(a + 2m + 1)), d₂ₘ = m (b − m) x / ((a + 2m − 1)(a + 2m)), by backward recurrence."""
    def body(i, t):
        j = 2.0 * BETA_FRACTION_DEPTH - i
        m = xp.floor(0.5 * j)
        me = xp.maximum(m, 1.0)
        odd = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0))
        even = me * (b - me) * x / ((a + 2.0 * me - 1.0) * (a + 2.0 * me))
        return xp.where(j - 2.0 * m > 0.5, odd, even) / (1.0 + t)

    t = _loop(2 * BETA_FRACTION_DEPTH, body, xp.zeros_like(x), xp)
    return a * xp.log(x) + b * xp.log(y) - xp.log(a) - _log_beta(a, b, xp) - xp.log1p(t)


def _log_betainc_traced(a, b, x, y, xp):
    """log I_x(a, b) from continued fractions alone: differentiable in a and b too (jax.scipy's
    betainc is not), the fraction of I_x(a, b) below x = (a + 1)/(a + b + 2), of
    I_y(b, a) = 1 − I_x(a, b) above (each branch at safe arguments)."""
    swap = x > (a + 1.0) / (a + b + 2.0)
    one = y <= 0.0  # x = 1: I = 1
    xd = xp.where(swap, 0.5 * (a + 1.0) / (a + b + 2.0), x)
    ys = xp.where(swap & ~one, y, 0.5 * (b + 1.0) / (a + b + 2.0))
    direct = _log_fraction_i(a, b, xd, xp.where(swap, 1.0 - xd, y), xp)
    other = log1mexp(_log_fraction_i(b, a, ys, xp.where(swap & ~one, x, 1.0 - ys), xp))
    return xp.where(one, 0.0, xp.where(swap, other, direct))


def log_betainc(a, b, x, y=None):
    """log I_x(a, b) for a, b > 0, 0 ≤ x ≤ 1; ``y`` = 1 − x when the caller knows it more
    accurately than 1 − x (−inf at x = 0, 0 at x = 1)."""
    xp = namespace(a, b, x, y)
    y = 1.0 - x if y is None else y
    a, b, x, y = xp.broadcast_arrays(*(xp.asarray(v, dtype=float) for v in (a, b, x, y)))
    if xp is not np:
        inside = x > 0  # x ≤ 0 at safe arguments: I = 0 there, with a zero gradient
        return xp.where(inside, _log_betainc_traced(a, b, xp.where(inside, x, 0.5), xp.where(inside, y, 0.5), xp), -xp.inf)
    i = special(xp).betainc(a, b, x)
    tiny = i < TINY

    def series():
        xs = xp.where(tiny & (x > 0), x, 0.5 * a / (a + b))  # I < TINY forces x below the mean a/(a+b)
        ys = xp.where(tiny & (x > 0), y, 1.0 - xs)
        log_sum = _log_series(xs, lambda k: xs * (a + b + k - 1.0) / (a + k), SERIES_TERMS, xp)
        return a * xp.log(xs) + b * xp.log(ys) - xp.log(a) - _log_beta(a, b, xp) + log_sum

    out = _where_tiny(tiny, series, _log_near_one(i, lambda: special(xp).betainc(b, a, y), xp), xp)
    return xp.where(x <= 0, -xp.inf, out)


def betainc(a, b, x, y=None):
    """I_x(a, b): scipy.special's for NumPy values; for JAX values exp of :func:`log_betainc`, so
    that it is differentiable in a and b too."""
    xp = namespace(a, b, x, y)
    if xp is np:
        return special(np).betainc(a, b, x)
    return xp.exp(log_betainc(a, b, x, y))


def log_betaincc(a, b, x, y=None):
    """log(1 − I_x(a, b)) = log I_y(b, a), y = 1 − x: log1p(−I) while I ≤ ½, the tail form beyond."""
    xp = namespace(a, b, x, y)
    y = 1.0 - x if y is None else y
    if xp is not np:
        return log_betainc(b, a, y, x)
    i = special(xp).betainc(a, b, x)
    low = i <= 0.5
    return xp.where(low, xp.log1p(-xp.where(low, i, 0.0)), log_betainc(b, a, y, x))
