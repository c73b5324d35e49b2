"""The log-probability of an interval, log P(a < X ≤ b), stable in both tails.

    P(a < X ≤ b) = F(b) − F(a) = S(a) − S(b)

In log space, with the family's log-CDF and log-survival functions:

    log P = log F(b) + log1mexp(log F(a) − log F(b))   (the CDF form)
          = log S(a) + log1mexp(log S(b) − log S(a))   (the survival form)

The CDF form keeps its digits while F is small (a window in the left tail or the body); deep in
the right tail log F(a) and log F(b) both round to 0 and their difference is lost, while
log S(a), log S(b) stay exact. The rule: the survival form where F(a) > S(b) (more mass lies
below the window than above it, so the window is on the right), else the CDF form. Each branch
is evaluated at safe arguments where it is not taken, so gradients through ``where`` stay
finite. JAX-traceable in ``params`` (NumPy in, NumPy out).
"""

from __future__ import annotations

from .._xp import namespace
from ._cdf import log1mexp


def log_prob_between(family, params: dict, a, b):
    """log P(a < X ≤ b) elementwise, for a ≤ b (−inf where a == b); ``a`` may be −inf and ``b``
    +inf. Discrete families: their cdf at the bounds (floored), so the window holds the integers
    k with a < k ≤ b. ``family`` must have distribution functions (univariate)."""
    xp = namespace(params, a, b)
    lfa, lfb = family.logcdf(params, a), family.logcdf(params, b)
    lsa, lsb = family.logsf(params, a), family.logsf(params, b)
    right = lfa > lsb
    d_cdf = xp.where(right, -1.0, lfa - lfb)
    d_sf = xp.where(right, lsb - lsa, -1.0)
    return xp.where(right, lsa + log1mexp(xp.minimum(d_sf, 0.0)), lfb + log1mexp(xp.minimum(d_cdf, 0.0)))


__all__ = ["log_prob_between"]
