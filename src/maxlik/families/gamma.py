"""Gamma distribution (shape ``concentration`` k, ``rate`` β; scipy: ``gamma(a=k, scale=1/β)``).

    log p(x | k, β) = k log β + (k − 1) log x − β x − log Γ(k),   x > 0

No closed form, but the log-likelihood depends on the data only through W = Σ w, Σ w x and
Σ w log x:  ℓ(k, β) = W (k log β − log Γ(k)) + (k − 1) Σ w log x − β Σ w x.  So the data are read
once into mergeable statistics (streaming, ``fit_stats``) and Newton runs on the statistics
(``maxlik.optimize.maximise_stats``), as scipy's ``gamma.fit(x, floc=0)`` does; results say
``method="newton_on_stats"``. ``method="newton"`` etc. still run the per-observation engine.

Starting point from the log-moment statistic s = log(mean) − mean(log x) with the approximation
k ≈ (3 − s + √((s − 3)² + 24 s)) / (12 s) (Minka 2002; within 1.5 % of the MLE), and β = k / mean,
the exact MLE of β given k.
"""

from __future__ import annotations

import math

import numpy as np
from jax.scipy.special import gammaln

from .. import constraints as C
from ..errors import DegenerateFitError
from ._base import Family, Param, Stats, frozen, jnp
from ._registry import register
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


@register
class Gamma(Family):
    name = "gamma"
    params = (
        Param("concentration", C.positive, "shape k", typical=(0.5, 20.0)),
        Param("rate", C.positive, "rate β = 1 / scale", typical=(0.1, 10.0)),
    )
    support = C.positive

    def log_prob(self, params, x):
        k, rate = params["concentration"], params["rate"]
        return k * jnp.log(rate) + (k - 1.0) * jnp.log(x) - rate * x - gammaln(k)

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
        log_x = np.log(x)
        if weights is None:
            return GammaStats(x.shape[0], float(x.shape[0]), float(x.sum()), float(log_x.sum()))
        return GammaStats(x.shape[0], float(weights.sum()), float(weights @ x), float(weights @ log_x))

    def loglik_from_stats(self, s, params):
        k, rate = params["concentration"], params["rate"]
        return s.weight * (k * jnp.log(rate) - gammaln(k)) + (k - 1.0) * s.sum_log_x - rate * s.sum_x

    def mle_from_stats(self, s, fixed=None):
        # the engine sits above the families layer; imported here to keep imports acyclic
        from ..optimize import maximise_stats

        fixed = fixed or {}
        mean, mean_log = s.sum_x / s.weight, s.sum_log_x / s.weight
        if "concentration" in fixed:  # then β = k / mean exactly
            k = float(fixed["concentration"])
            return {"concentration": k, "rate": float(fixed.get("rate", k / mean))}
        if math.log(mean) - mean_log <= 1e-14 * max(1.0, abs(mean_log)):
            raise DegenerateFitError(
                f"Gamma: concentration must be finite, but all {s.count} observations are equal ({mean:g}), "
                "so the likelihood grows without bound as the distribution narrows (concentration -> inf). "
                "Fix concentration with fixed={'concentration': ...}, or add varied data."
            )
        k0 = _minka_start(mean, mean_log)
        start = {"concentration": k0, "rate": float(fixed.get("rate", k0 / mean))}
        return maximise_stats(self, s, start, fixed, owner="Gamma")[0]

    def exact_covariance(self, s, params, free):
        from ..optimize import stats_covariance

        return stats_covariance(self, s, params, free)
