"""Gamma distribution (shape ``concentration`` k, ``rate`` β; scipy: ``gamma(a=k, scale=1/β)``).

    log p(x | k, β) = k log β + (k − 1) log x − β x − log Γ(k),   x > 0

No closed form, but the log-likelihood depends on the data only through W = Σ w, Σ w x and
Σ w log x:  ℓ(k, β) = W (k log β − log Γ(k)) + (k − 1) Σ w log x − β Σ w x.  So the data are read
once into mergeable statistics (streaming, ``fit_stats``; one NumPy pass for Σx and Σ log x)
and Newton runs on the statistics (NumPy and scipy.special: no JAX), as scipy's ``gamma.fit(x, floc=0)`` does; results say
``method="newton_on_stats"``. ``method="newton"`` etc. still run the per-observation engine.

With both parameters free, β = k / mean maximises ℓ for every k, and the profile score is
W (log k − ψ(k) − s) with the log-moment statistic s = log(mean) − mean(log x) > 0: a 1-D Newton
in log k (safeguarded by a bracket) from k ≈ (3 − s + √((s − 3)² + 24 s)) / (12 s) (Minka 2002,
within 1.5 % of the MLE) converges in 3–4 steps. With β fixed the score is W (log β + mean(log x)
− ψ(k)); with k fixed, β = k / mean exactly.

Observed information (= expected information here), per unit weight:
    I(k, β) = [[ψ′(k), −1/β], [−1/β, k/β²]],   cov = (W I)⁻¹ over the free parameters.
"""

from __future__ import annotations

import math

import numpy as np

from .. import constraints as C
from .._xp import namespace, special
from ..errors import DegenerateFitError
from ._base import Family, Param, Stats, flat_labels, frozen, jnp
from ._cdf import log_gammainc, log_gammaincc
from ._registry import register
from ._threshold import threshold_form
from ._start import mean_var, weights_or_ones


@frozen
class GammaStats(Stats):
    """count rows, weight W = Σ w, sum_x = Σ w x, sum_log_x = Σ w log x (merge: add)."""

    count: int
    weight: float
    sum_x: float
    sum_log_x: float

    def merge(self, other: "GammaStats") -> "GammaStats":
        self._check_mergeable(other)
        return GammaStats(self.count + other.count, self.weight + other.weight, self.sum_x + other.sum_x, self.sum_log_x + other.sum_log_x)


def _minka_start(mean: float, mean_log: float) -> float:
    s = math.log(mean) - mean_log
    if s > 1e-12:
        return (3.0 - s + math.sqrt((s - 3.0) ** 2 + 24.0 * s)) / (12.0 * s)
    return 1e6  # (nearly) constant data: the MLE of k is unbounded; start very peaked


def _solve_shape(score, score_slope, k0: float, what: str) -> float:
    """The root k > 0 of a strictly increasing ``score(k)``: Newton in t = log k, kept inside the
    bracket [lo, hi] that the signs of the score have established (bisection when a step leaves it).
    ``score_slope(k)`` is d score / dk."""
    t, lo, hi = math.log(k0), -math.inf, math.inf
    for _ in range(200):
        k = math.exp(t)
        g = float(score(k))
        if g == 0.0:
            return k
        if g > 0.0:
            hi = t
        else:
            lo = t
        t_new = t - g / (float(score_slope(k)) * k)
        if not lo < t_new < hi:
            t_new = 0.5 * (lo + hi) if math.isfinite(lo + hi) else t + (1.0 if g < 0.0 else -1.0)
        if abs(t_new - t) <= 4e-16 * max(1.0, abs(t)):
            return math.exp(t_new)
        t = t_new
    raise DegenerateFitError(
        f"Gamma: the {what} must have a finite maximum likelihood estimate; the Newton iteration on "
        f"the concentration did not settle (last value {math.exp(t):.6g}). Check the data for extreme "
        "values, or fix the concentration with fixed={'concentration': ...}."
    )


BLOCK = 1 << 15  # rows per block: 256 KiB of float64 stays in L2 while its log is summed


def _sums(x: np.ndarray) -> tuple[float, float]:
    """(Σx, Σ log x) reading x from memory once: block by block, the log going into one reused
    buffer (no temporary the size of x; as fast as one compiled JAX pass on 10⁷ values)."""
    if x.shape[0] <= BLOCK:
        return float(x.sum()), float(np.log(x).sum())
    buf = np.empty(BLOCK)
    sum_x = sum_log_x = 0.0
    for i in range(0, x.shape[0], BLOCK):
        xb = x[i : i + BLOCK]
        sum_x += float(xb.sum())
        sum_log_x += float(np.log(xb, out=buf[: xb.shape[0]]).sum())
    return sum_x, sum_log_x


@register
class Gamma(Family):
    name = "gamma"
    scale_exponents = {"concentration": 0, "rate": -1}
    params = (
        Param("concentration", C.positive, "shape k", typical=(0.5, 20.0)),
        Param("rate", C.positive, "rate β = 1 / scale", typical=(0.1, 10.0)),
    )
    support = C.positive

    def __new__(cls, threshold: bool = False):
        """``Gamma(threshold=True)`` is :class:`Gamma3` (registry name ``gamma3``): a threshold ``loc``."""
        return threshold_form(cls, threshold) or super().__new__(cls)

    def __init__(self, threshold: bool = False):
        pass  # threshold=False: the family itself, with no options

    def log_prob(self, params, x):
        k, rate = params["concentration"], params["rate"]
        return k * jnp.log(rate) + (k - 1.0) * jnp.log(x) - rate * x - special(jnp).gammaln(k)

    # -- distribution functions: F(x) = P(k, β x), S(x) = Q(k, β x) (regularised incomplete gamma) --
    # Under JAX, differentiable in both parameters (jax.scipy's gammainc has a gradient in k).
    def _bx(self, params, x):
        xp = namespace(params, x)
        return xp, params["concentration"], params["rate"] * xp.maximum(x, 0.0)

    def _cdf(self, params, x):
        xp, k, bx = self._bx(params, x)
        return special(xp).gammainc(k, bx)

    def _sf(self, params, x):
        xp, k, bx = self._bx(params, x)
        return special(xp).gammaincc(k, bx)

    def _logcdf(self, params, x):
        xp, k, bx = self._bx(params, x)
        return log_gammainc(k, bx)

    def _logsf(self, params, x):
        xp, k, bx = self._bx(params, x)
        return log_gammaincc(k, bx)

    def _ppf(self, params, q):
        from scipy.special import gammaincinv

        return gammaincinv(params["concentration"], q) / params["rate"]

    def _isf(self, params, q):
        from scipy.special import gammainccinv

        return gammainccinv(params["concentration"], q) / params["rate"]

    def _mean(self, params):
        return params["concentration"] / params["rate"]

    def _var(self, params):
        return params["concentration"] / params["rate"] ** 2

    def sample(self, params, n, seed=None):
        k, rate = float(params["concentration"]), float(params["rate"])
        return np.random.default_rng(seed).gamma(k, 1.0 / rate, size=n)

    stats_method = "newton_on_stats"
    stats_reveal_invalid_data = True  # NaN, inf or x <= 0 make Σx or Σ log x non-finite

    def init(self, x, weights=None):
        w = weights_or_ones(x, weights)
        m, _ = mean_var(x, w)
        k = _minka_start(m, float(np.dot(w, np.log(x)) / w.sum()))
        return {"concentration": k, "rate": k / m}

    def suffstats(self, x, weights=None):
        if weights is None:
            return GammaStats(x.shape[0], float(x.shape[0]), *_sums(x))
        return GammaStats(x.shape[0], float(weights.sum()), float(weights @ x), float(weights @ np.log(x)))

    def loglik_from_stats(self, s, params):
        k, rate = params["concentration"], params["rate"]
        xp = namespace(k, rate)
        return s.weight * (k * xp.log(rate) - special(xp).gammaln(k)) + (k - 1.0) * s.sum_log_x - rate * s.sum_x

    def mle_from_stats(self, s, fixed=None):
        from scipy.special import digamma, polygamma  # here: importing scipy.special takes ~0.4 s

        fixed = fixed or {}
        mean, mean_log = s.sum_x / s.weight, s.sum_log_x / s.weight
        if "concentration" in fixed:  # then β = k / mean exactly
            k = float(fixed["concentration"])
            return {"concentration": k, "rate": float(fixed.get("rate", k / mean))}
        if "rate" in fixed:  # score ψ(k) − log β − mean(log x) = 0, increasing in k
            rate = float(fixed["rate"])
            c = math.log(rate) + mean_log
            k = _solve_shape(lambda k: digamma(k) - c, lambda k: polygamma(1, k), _minka_start(mean, mean_log), "concentration given the rate")
            return {"concentration": k, "rate": rate}
        s_stat = math.log(mean) - mean_log
        if s_stat <= 1e-14 * max(1.0, abs(mean_log)):
            raise DegenerateFitError(
                f"Gamma: concentration must be finite, but all {s.count} observations are equal ({mean:g}), "
                "so the likelihood grows without bound as the distribution narrows (concentration -> inf). "
                "Fix concentration with fixed={'concentration': ...}, or add varied data."
            )
        # minus the profile score log k − ψ(k) − s, increasing in k
        k = _solve_shape(lambda k: s_stat - math.log(k) + digamma(k), lambda k: polygamma(1, k) - 1.0 / k,
                         _minka_start(mean, mean_log), "concentration")
        return {"concentration": k, "rate": k / mean}

    def exact_covariance(self, s, params, free):
        from scipy.special import polygamma

        k, rate = float(params["concentration"]), float(params["rate"])
        info = s.weight * np.array([[float(polygamma(1, k)), -1.0 / rate], [-1.0 / rate, k / rate**2]])
        idx = [i for i, name in enumerate(self.param_names) if name in free]
        sub = info[np.ix_(idx, idx)]
        if not np.all(np.isfinite(sub)) or np.linalg.eigvalsh(sub)[0] <= 0:
            return None
        return np.linalg.inv(sub), flat_labels({name: params[name] for name in free})
