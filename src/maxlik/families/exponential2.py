"""Two-parameter (shifted) exponential: ``rate`` λ and threshold ``loc``
(scipy ``expon(loc=loc, scale=1/λ)``; ``maxlik.Exponential(threshold=True)``).

    log p(x | λ, loc) = log λ − λ (x − loc),   x >= loc

ℓ = W log λ − λ Σ wₙ (xₙ − loc) increases in loc up to the smallest observation, so the MLE is
closed form: loc = m = min(x) (rows of positive weight), λ = W / Σ wₙ (xₙ − m). With loc fixed
(<= m), λ = W / Σ wₙ (xₙ − loc); with λ fixed, loc = m still.

Statistics: count, W = Σ w, m and E = Σ w (x − m), merged exactly (E about the smaller minimum:
E = E_a + W_a (m_a − m) + E_b + W_b (m_b − m)).

Standard errors. ℓ is not differentiable in loc at m (the MLE sits on the edge of the support),
so loc's is not the Hessian's: n λ (m − loc) ~ Exp(1) exactly, so sd(m) = 1 / (W λ) at the
estimate (and m − loc is always >= 0: a Wald interval for loc is a rough summary only). m and E
are independent, so cov(loc, λ) = 0, and var(λ) = λ² / W (the information of λ at loc = m).

Exact intervals (``r.conf_int(method="exact")``, used by the summary's table; exact for unit
weights, with n = W). From n λ (m − loc) ~ Exp(1) = χ²₂/2 and 2λE ~ χ²₂₍ₙ₋₁₎, independent:

    loc, λ estimated:  n(n − 1)(m − loc)/E ~ F(2, 2n − 2)  →  [m − F⁻¹(level; 2, 2n − 2)·E/(n(n − 1)), m]
    loc, λ fixed:      [m − log(1/(1 − level))/(nλ), m]
    λ (loc estimated): [χ²₂₍ₙ₋₁₎((1 − level)/2), χ²₂₍ₙ₋₁₎((1 + level)/2)] / (2E)
    λ (loc fixed):     the same with 2n degrees of freedom and E + n(m − loc) = Σ (x − loc)

(loc's interval is one-sided: m − loc > 0 always, so its upper end is m itself.)
"""

from __future__ import annotations

import numpy as np

from .._xp import namespace
from ..errors import DegenerateFitError
from ._base import Family, Stats, flat_labels, frozen, jnp
from ._registry import register
from ._threshold import LOC, ThresholdFamily
from .exponential import Exponential


@frozen
class Exponential2Stats(Stats):
    """count rows, weight W = Σ w, minimum m (rows of positive weight), excess E = Σ w (x − m)."""

    count: int
    weight: float
    minimum: float
    excess: float

    def merge(self, other: "Exponential2Stats") -> "Exponential2Stats":
        self._check_mergeable(other)
        m = min(self.minimum, other.minimum)
        excess = self.excess + self.weight * (self.minimum - m) + other.excess + other.weight * (other.minimum - m)
        return Exponential2Stats(self.count + other.count, self.weight + other.weight, m, excess)


@register
class Exponential2(ThresholdFamily):
    name = "exponential2"
    scale_exponents = {"rate": -1, "loc": 1}
    base = "exponential"
    params = (Exponential.params[0], LOC)

    def log_prob(self, params, x):
        z = x - params["loc"]
        rate = params["rate"]
        return jnp.where(z >= 0, jnp.log(rate) - rate * z, -jnp.inf)

    log_prob_derivatives = Family.log_prob_derivatives  # closed form: never fitted numerically

    def init(self, x, weights=None):
        return self.mle_from_stats(self.suffstats(x, weights))

    def suffstats(self, x, weights=None):
        if weights is None:
            m = float(np.min(x))
            return Exponential2Stats(int(x.shape[0]), float(x.shape[0]), m, float(np.sum(x - m)))
        m = float(np.min(x[weights > 0]))
        return Exponential2Stats(int(x.shape[0]), float(weights.sum()), m, float(weights @ (x - m)))

    def mle_from_stats(self, stats, fixed=None):
        fixed = fixed or {}
        loc = float(fixed.get("loc", stats.minimum))
        if loc > stats.minimum:
            raise DegenerateFitError(
                f"Exponential2: fixed `loc` must be at most min(x) = {stats.minimum:g} (the density is 0 below loc); "
                f"got {loc:g}. Pass a loc at or below the smallest observation, or leave loc free."
            )
        if "rate" in fixed:
            return {"rate": float(fixed["rate"]), "loc": loc}
        excess = stats.excess + stats.weight * (stats.minimum - loc)
        if not excess > 0.0:
            raise DegenerateFitError(
                f"Exponential2: data must not all equal loc to estimate rate; got all {stats.count} observations "
                f"equal to {loc:g}, so the likelihood grows without bound as rate -> inf. Fix rate with "
                "fixed={'rate': ...}, or add varied data."
            )
        return {"rate": stats.weight / excess, "loc": loc}

    def loglik_from_stats(self, stats, params):
        rate, loc = params["rate"], params["loc"]
        xp = namespace(rate, loc)
        ll = stats.weight * xp.log(rate) - rate * (stats.excess + stats.weight * (stats.minimum - loc))
        return xp.where(loc <= stats.minimum, ll, -xp.inf)

    def exact_conf_int(self, params: dict, free: tuple, weight: float, level: float) -> dict:
        """{name: (low, high, how)} for the free parameters (formulas in the module docstring);
        ``params`` at the estimate, ``weight`` = W = n."""
        from scipy import stats as st

        rate, m, n = float(params["rate"]), float(params["loc"]), float(weight)
        total = n / rate  # Σ (x − loc): E when loc = m is estimated
        out = {}
        if "loc" in free:
            if "rate" in free:
                width = st.f.ppf(level, 2.0, 2.0 * n - 2.0) * total / (n * (n - 1.0))
                how = "exact one-sided [min(x) - F(level; 2, 2n-2) E/(n(n-1)), min(x)]"
            else:
                width = -np.log1p(-level) / (n * rate)
                how = "exact one-sided [min(x) - log(1/(1-level))/(n rate), min(x)]"
            out["loc"] = (float(m - width), m, how)
        if "rate" in free:
            df = 2.0 * n - 2.0 if "loc" in free else 2.0 * n
            lo, hi = st.chi2.ppf([(1.0 - level) / 2.0, (1.0 + level) / 2.0], df)
            out["rate"] = (float(lo / (2.0 * total)), float(hi / (2.0 * total)), f"exact chi-square({df:g})")
        return out

    def exact_covariance(self, stats, params, free):
        """var(loc) = 1/(Wλ)² (the exact variance of min(x) about loc), var(λ) = λ²/W, cov = 0."""
        rate = float(params["rate"])
        var = {"loc": 1.0 / (stats.weight * rate) ** 2, "rate": rate * rate / stats.weight}
        labels = flat_labels({k: params[k] for k in free})
        return np.diag([var[k] for k in labels]) if labels else np.zeros((0, 0)), labels
