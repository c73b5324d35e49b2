"""Negative binomial distribution (``total_count`` r > 0, ``probs`` p; torch convention).

x counts the successes before the r-th failure, each trial succeeding with probability p:

    log p(x | r, p) = log Γ(x + r) − log Γ(r) − log Γ(x + 1) + r log(1 − p) + x log p,
    x = 0, 1, 2, …;   mean r p / (1 − p),  variance r p / (1 − p)².

In scipy's convention this is ``nbinom(n=r, p=1 − p)`` (scipy's p is the probability of the
event that is *not* counted). ``total_count`` is a real number and is estimated with ``probs``.

No closed form: fitted numerically. Starting point by moments: p = 1 − mean / var,
r = mean² / (var − mean). The MLE of r is finite only for over-dispersed data (variance,
divided by N, larger than the mean; Aragón, Eberly & Eberly 1992); otherwise the likelihood
increases towards the Poisson limit r → ∞, where its gradient vanishes in float64, so an
optimizer can stop there and call it converged. ``check_estimable`` detects both that case and
all-zero data (probs → 0) before optimising, with a DegenerateFitError naming the remedies
(a Poisson fit, or a fixed ``total_count``).
"""

from __future__ import annotations

import numpy as np

from .. import constraints as C
from .._xp import namespace
from ..errors import DegenerateFitError
from ._base import Family, Param, jnp
from ._cdf import betainc, log_betainc
from ._derivatives import assemble, shift_diff
from ._discrete_quantiles import discrete_quantiles
from ._registry import register

MAX_COUNT = 2.0**53  # larger finite counts are taken as this (x = inf gives F = 1, S = 0 exactly)
from ._start import mean_var


@register
class NegativeBinomial(Family):
    name = "negative_binomial"
    params = (
        Param("total_count", C.positive, "number of failures r (real, > 0)", typical=(0.5, 50.0)),
        Param("probs", C.unit_interval, "success probability p of each trial", typical=(0.05, 0.95)),
    )
    support = C.nonnegative_integer
    # as total_count → ∞ (mean held) the counts are Poisson: lrt(poisson_fit, nb_fit) is the test of
    # overdispersion, with the ½χ²₀ + ½χ²₁ reference. No limit_fit: counts with variance ≤ mean have
    # no MLE and are refused by check_estimable (fit a Poisson), those above it have a finite one.
    limit = ("total_count", "poisson")

    def log_prob(self, params, x):
        from jax.scipy.special import gammaln, xlogy  # here, not at the top: importing the family loads no JAX
        r, p = params["total_count"], params["probs"]
        return gammaln(x + r) - gammaln(r) - gammaln(x + 1.0) + r * jnp.log1p(-p) + xlogy(x, p)

    def log_prob_derivatives(self, params, x):
        """NumPy (lp, d1, d2) in the order (total_count r, probs p):

            ∂r = ψ(x+r) − ψ(r) + log(1 − p)       ∂p = x/p − r/(1 − p)
            ∂rr = ψ₁(x+r) − ψ₁(r)   ∂rp = −1/(1 − p)   ∂pp = −x/p² − r/(1 − p)²

        The differences in r (and log Γ(x+r) − log Γ(r) in lp) come from :func:`shift_diff`,
        accurate for r ≫ x (near the Poisson limit), where the plain differences cancel; x = 0
        gives exact zeros. Counts repeat, so the special functions run on the distinct values only.
        """
        from scipy.special import gammaln, xlogy as np_xlogy

        r, p = float(params["total_count"]), float(params["probs"])
        x = np.asarray(x, dtype=float)
        u, inv = np.unique(x, return_inverse=True)
        q = 1.0 - p
        lp = (shift_diff(-1, r, u) - gammaln(u + 1.0))[inv] + r * np.log1p(-p) + np_xlogy(x, p)
        d1, d2 = assemble(
            x.shape[0],
            [shift_diff(0, r, u)[inv] + np.log1p(-p), x / p - r / q],
            [[shift_diff(1, r, u)[inv], -1.0 / q], [-x / (p * p) - r / (q * q)]],
        )
        return lp, d1, d2

    # -- distribution functions (k = ⌊x⌋): F(k) = I_{1−p}(r, k + 1), S(k) = I_p(k + 1, r)
    # (regularised incomplete beta; under JAX differentiable in both parameters)
    def _k(self, params, x):
        xp = namespace(params, x)
        k = xp.floor(x)
        return xp, k < 0, k == xp.inf, xp.clip(k, 0.0, MAX_COUNT), params["total_count"], params["probs"]

    def _cdf(self, params, x):
        xp, below, top, k, r, p = self._k(params, x)
        return xp.where(below, 0.0, xp.where(top, 1.0, betainc(r, k + 1.0, 1.0 - p, p)))

    def _sf(self, params, x):
        xp, below, top, k, r, p = self._k(params, x)
        return xp.where(below, 1.0, xp.where(top, 0.0, betainc(k + 1.0, r, p, 1.0 - p)))

    def _logcdf(self, params, x):
        xp, below, top, k, r, p = self._k(params, x)
        return xp.where(below, -xp.inf, xp.where(top, 0.0, log_betainc(r, k + 1.0, 1.0 - p, p)))

    def _logsf(self, params, x):
        xp, below, top, k, r, p = self._k(params, x)
        return xp.where(below, 0.0, xp.where(top, -xp.inf, log_betainc(k + 1.0, r, p, 1.0 - p)))

    def _ppf(self, params, q):
        return discrete_quantiles(self, params, q, 0.0, np.inf, upper=False)

    def _isf(self, params, q):
        return discrete_quantiles(self, params, q, 0.0, np.inf, upper=True)

    def _mean(self, params):
        r, p = params["total_count"], params["probs"]
        return r * p / (1.0 - p)

    def _var(self, params):
        r, p = params["total_count"], params["probs"]
        return r * p / (1.0 - p) ** 2

    def sample(self, params, n, seed=None):
        r, p = float(params["total_count"]), float(params["probs"])
        return np.random.default_rng(seed).negative_binomial(r, 1.0 - p, size=n).astype(np.float64)

    def init(self, x, weights=None):
        m, v = mean_var(x, weights)
        if m <= 0.0:  # all zeros: the MLE of probs is 0, on the boundary
            return {"total_count": 1.0, "probs": 1e-6}
        if v > m * (1.0 + 1e-6):
            return {"total_count": m * m / (v - m), "probs": 1.0 - m / v}
        r = 1e4 * max(m, 1.0)  # not over-dispersed: start near the Poisson limit
        return {"total_count": r, "probs": m / (r + m)}

    def check_estimable(self, x, weights=None, fixed=None):
        """Raise DegenerateFitError where no MLE exists for the free parameters (see above)."""
        fixed = fixed or {}
        m, v = mean_var(x, weights)
        if m <= 0.0:
            raise DegenerateFitError(
                f"NegativeBinomial: data must contain a positive count for the MLE to exist; got "
                f"{x.shape[0]} zeros, so the likelihood is largest on the boundary (probs = 0 or "
                "total_count = 0). Add data, or fix the parameters with fixed={...}."
            )
        if v <= m and "total_count" not in fixed and "probs" not in fixed:
            raise DegenerateFitError(
                f"NegativeBinomial: data must be over-dispersed (variance > mean) for total_count to have "
                f"a finite MLE; got mean {m:.6g} and variance {v:.6g} (divisor N). The likelihood increases "
                "without bound towards the Poisson limit (total_count -> infinity). Fit a Poisson instead, "
                "or fix total_count with fixed={'total_count': ...}."
            )
