"""The log-probability of an interval, log P(a < X ≤ b), stable in both tails.

    P(a < X ≤ b) = F(b) − F(a) = S(a) − S(b)

In log space, with the family's log-CDF and log-survival functions:

    log P = log F(b) + log1mexp(log F(a) − log F(b))   (the CDF form)
          = log S(a) + log1mexp(log S(b) − log S(a))   (the survival form)

The CDF form keeps its digits while F is small (a window in the left tail or the body); deep in
the right tail log F(a) and log F(b) both round to 0 and their difference is lost, while
log S(a), log S(b) stay exact. The rule: the survival form where F(a) > S(b) (more mass lies
below the window than above it, so the window is on the right), else the CDF form.

Both forms are computed on every row, so each gets a safe argument (−1) where it is not taken,
and ``mask`` marks the rows whose value is used at all: elsewhere (a row of another kind, a
padding row, a == b) both get the safe argument, so the gradient through ``where`` stays finite
on every row. One function for the censored likelihood's interval rows
(:mod:`maxlik.censored_family`) and the truncated family's window (:mod:`maxlik.truncated_family`).
JAX-traceable in ``params`` (NumPy in, NumPy out).
"""

from __future__ import annotations

from .._xp import namespace
from ._cdf import log1mexp

SAFE = -1.0  # a log-difference whose log1mexp is finite and smooth


def log_prob_between(family, params: dict, a, b, mask=None):
    """log P(a < X ≤ b) elementwise, for a ≤ b (−inf where a == b and ``mask`` is None); ``a``
    may be −inf and ``b`` +inf. ``mask``: boolean, True where the value is used; elsewhere the
    result is finite garbage with a finite gradient (a row of another kind). Discrete families:
    their cdf at the bounds (floored), so the window holds the integers k with a < k ≤ b.
    ``family`` must have distribution functions (univariate)."""
    xp = namespace(params, a, b)
    lfa, lfb = family.logcdf(params, a), family.logcdf(params, b)
    lsa, lsb = family.logsf(params, a), family.logsf(params, b)
    right = lfa > lsb
    use = True if mask is None else mask
    d_cdf = xp.where(use & ~right, xp.minimum(lfa - lfb, 0.0), SAFE)
    d_sf = xp.where(use & right, xp.minimum(lsb - lsa, 0.0), SAFE)
    if mask is not None:  # unused rows: finite bases too (log F or log S may be −inf there)
        lfb, lsa = xp.where(use, lfb, 0.0), xp.where(use, lsa, 0.0)
    return xp.where(right, lsa + log1mexp(d_sf), lfb + log1mexp(d_cdf))


__all__ = ["log1mexp", "log_prob_between"]
