"""Negative binomial distribution (``total_count`` r > 0, ``probs`` p; torch convention).

x counts the successes before the r-th failure, each trial succeeding with probability p:

    log p(x | r, p) = log Γ(x + r) − log Γ(r) − log Γ(x + 1) + r log(1 − p) + x log p,
    x = 0, 1, 2, …;   mean r p / (1 − p),  variance r p / (1 − p)².

In scipy's convention this is ``nbinom(n=r, p=1 − p)`` (scipy's p is the probability of the
event that is *not* counted). ``total_count`` is a real number and is estimated with ``probs``.

No closed form: fitted numerically. Starting point by moments: p = 1 − mean / var,
r = mean² / (var − mean). The MLE of r is finite only for over-dispersed data (variance,
divided by N, larger than the mean; Aragón, Eberly & Eberly 1992); otherwise the likelihood
increases towards the Poisson limit r → ∞ with the mean r p / (1 − p) held, so p → 0 (to first
order in α = 1/r, ℓ changes by W (var − mean) α / (2 mean²), the score test of overdispersion).
``limit_fit`` gives that Poisson fit (rate = the weighted mean, se √(rate / W)), and the engine
reports the result with status BOUNDARY, total_count = ∞, probs = 0 and the Poisson in
``result.limit``; so it does when var exceeds the mean by too little for the interior maximum to
gain ``LIMIT_TOL``. ``check_estimable`` refuses
all-zero data (probs → 0 with no Poisson rate to hold) before optimising.
"""

from __future__ import annotations

import numpy as np

from .. import constraints as C
from .._xp import namespace
from ..errors import DegenerateFitError
from ._base import Family, Param, jnp
from ._cdf import betainc, log_betainc
from ._derivatives import assemble, per_row, shift_diff
from ._log_gamma_shift import log_gamma_shift
from ._discrete_quantiles import discrete_quantiles
from ._limit import Limit
from ._registry import register
from ._start import mean_var

MAX_COUNT = 2.0**53  # larger finite counts are taken as this (x = inf gives F = 1, S = 0 exactly)
POISSON_LIMIT_MEANING = ("total_count → ∞: the counts show no overdispersion (variance ≤ mean); "
                         "the Poisson fit is the limit")
NEAR_POISSON_MEANING = ("total_count → ∞: the counts show no overdispersion worth a parameter (variance {v:.6g}, "
                        "only just above the mean {m:.6g}); the Poisson fit is the limit")


@register
class NegativeBinomial(Family):
    name = "negative_binomial"
    params = (
        Param("total_count", C.positive, "number of failures r (real, > 0)", typical=(0.5, 50.0)),
        Param("probs", C.unit_interval, "success probability p of each trial", typical=(0.05, 0.95)),
    )
    support = C.nonnegative_integer
    # as total_count → ∞ (mean held) the counts are Poisson: lrt(poisson_fit, nb_fit) is the test of
    # overdispersion, with the ½χ²₀ + ½χ²₁ reference; limit_fit gives the Poisson fit
    limit = ("total_count", "poisson")
    derivatives_broadcast = True

    def limit_fit(self, stats_of, fixed=None):
        """The Poisson, the limit as total_count → ∞ with the mean held (probs → 0; see
        :mod:`maxlik.families._limit`): rate = Σwx / W, Var(rate) = rate / W; None when
        total_count or probs is fixed (then the other one has a finite MLE)."""
        fixed = fixed or {}
        if "total_count" in fixed or "probs" in fixed:
            return None
        from .normal import Normal
        from .poisson import Poisson

        poisson = Poisson()
        stats = stats_of(poisson)
        if not stats.total > 0.0:  # all zeros: no rate to hold (check_estimable says so)
            return None
        p = poisson.mle_from_stats(stats)
        cov, labels = poisson.exact_covariance(stats, p, ("rate",))
        moments = stats_of(Normal())  # the variance, for the message: ≤ the mean, or only just above it
        m, v = moments.mean_hi + moments.mean_lo, moments.m2 / moments.weight
        meaning = POISSON_LIMIT_MEANING if v <= m else NEAR_POISSON_MEANING.format(v=v, m=m)
        return Limit("total_count", np.inf, meaning, poisson, p, float(poisson.loglik_from_stats(stats, p)),
                     {"total_count": np.inf, "probs": 0.0}, cov, tuple(labels))

    def log_prob(self, params, x):
        """log p(x | r, p); log Γ(x + r) − log Γ(r) by :func:`log_gamma_shift`, accurate for
        r ≫ x (near the Poisson limit), where the plain difference loses ~10⁻¹⁶·r log r."""
        from jax.scipy.special import gammaln, xlogy  # here, not at the top: importing the family loads no JAX
        r, p = params["total_count"], params["probs"]
        return log_gamma_shift(r, x) - gammaln(x + 1.0) + r * jnp.log1p(-p) + xlogy(x, p)

    def log_prob_derivatives(self, params, x):
        """NumPy (lp, d1, d2) in the order (total_count r, probs p):

            ∂r = ψ(x+r) − ψ(r) + log(1 − p)       ∂p = x/p − r/(1 − p)
            ∂rr = ψ₁(x+r) − ψ₁(r)   ∂rp = −1/(1 − p)   ∂pp = −x/p² − r/(1 − p)²

        The differences in r (and log Γ(x+r) − log Γ(r) in lp) come from :func:`shift_diff`,
        accurate for r ≫ x (near the Poisson limit), where the plain differences cancel; x = 0
        gives exact zeros. For one (r, p) the special functions run on the distinct counts only;
        r and p may also be arrays (n,) of per-row values (:func:`maxlik.fit_groups`).
        """
        from scipy.special import gammaln, xlogy as np_xlogy

        r, p = per_row(params["total_count"]), per_row(params["probs"])
        x = np.asarray(x, dtype=float)
        # counts repeat: for one r, the special functions of the distinct counts only
        u, inv = np.unique(x, return_inverse=True) if isinstance(r, float) else (x, slice(None))

        def shifted(order):
            return shift_diff(order, r, u)[inv]

        log_factorial = gammaln(u + 1.0)[inv]
        q = 1.0 - p
        lp = shifted(-1) - log_factorial + r * np.log1p(-p) + np_xlogy(x, p)
        d1, d2 = assemble(
            x.shape[0],
            [shifted(0) + np.log1p(-p), x / p - r / q],
            [[shifted(1), -1.0 / q], [-x / (p * p) - r / (q * q)]],
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
        """Raise DegenerateFitError for all-zero data (no MLE; see above). Counts with variance ≤
        mean are not refused: their supremum is the Poisson limit (``limit_fit``)."""
        m, _ = mean_var(x, weights)
        if m <= 0.0:
            raise DegenerateFitError(
                f"NegativeBinomial: data must contain a positive count for the MLE to exist; got "
                f"{x.shape[0]} zeros, so the likelihood is largest on the boundary (probs = 0 or "
                "total_count = 0). Add data, or fix the parameters with fixed={...}."
            )
