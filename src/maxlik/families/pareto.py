"""Pareto distribution (``scale`` xₘ, ``alpha`` α; scipy ``pareto(b=α, scale=xₘ)``).

    log p(x | xₘ, α) = log α + α log xₘ − (α + 1) log x   for x ≥ xₘ   (−∞ below xₘ)

The support depends on ``scale``, so the likelihood is not regular and the MLE is a closed
form rather than a stationary point: ℓ increases with xₘ up to the smallest observation, so

    xₘ = min x,   α = W / Σ wₙ log(xₙ / xₘ)      (W = Σ wₙ)

Sufficient statistics: weighted minimum (over rows with positive weight), Σ wₙ log xₙ, W, count.

Uncertainty (``exact_covariance``; weights count as frequencies, so N = W):
  * α: the inverse observed information α² / N, asymptotically exact (the exact sampling
    variance with xₘ estimated is N² α² / ((N − 2)² (N − 3)), which it approaches as N grows);
  * xₘ: the exact variance of the sample minimum, which is Pareto(xₘ, N α):
    Var = xₘ² N α / ((N α − 1)² (N α − 2)) (infinite when N α ≤ 2), evaluated at the estimates;
    it shrinks like 1/N², not 1/N, and its Wald interval is only a rough guide (min x ≥ xₘ
    always, so the true scale lies below the estimate);
  * Cov(xₘ, α) = 0: the minimum is independent of Σ log(xₙ / min x).
"""

from __future__ import annotations

import math

import numpy as np

from .. import constraints as C
from ..errors import DegenerateFitError, SupportError
from .._xp import namespace
from ._base import Family, Param, Stats, frozen, jnp
from ._cdf_forms import CumulativeHazard
from ._registry import register


@frozen
class ParetoStats(Stats):
    """count rows, weight W = Σ w, minimum of x over rows with w > 0, sum_log = Σ w log x."""

    count: int
    weight: float
    minimum: float
    sum_log: float

    def merge(self, other: "ParetoStats") -> "ParetoStats":
        self._check_mergeable(other)
        return ParetoStats(
            self.count + other.count,
            self.weight + other.weight,
            min(self.minimum, other.minimum),
            self.sum_log + other.sum_log,
        )


def _alpha(stats: ParetoStats, scale: float) -> float:
    """α = W / (Σ w log x − W log xₘ); DegenerateFitError when every point equals xₘ."""
    denom = stats.sum_log - stats.weight * math.log(scale)
    if not denom > 0.0:
        raise DegenerateFitError(
            f"Pareto: alpha must be finite, but all {stats.count} observations equal scale={scale:g}, "
            "so the likelihood is unbounded as alpha -> infinity and no MLE exists. "
            "Fix alpha with fixed={'alpha': ...}, or add varied data."
        )
    return stats.weight / denom


@register
class Pareto(CumulativeHazard, Family):
    name = "pareto"
    scale_exponents = {"scale": 1, "alpha": 0}
    rescale_by_minimum = True
    params = (
        Param("scale", C.positive, "minimum value xₘ (the lower end of the support)", typical=(0.1, 10.0)),
        Param("alpha", C.positive, "tail index α", typical=(0.5, 10.0)),
    )
    support = C.positive  # and x ≥ scale, which depends on the parameter

    def log_prob(self, params, x):
        scale, alpha = params["scale"], params["alpha"]
        lp = jnp.log(alpha) + alpha * jnp.log(scale) - (alpha + 1.0) * jnp.log(x)
        return jnp.where(x >= scale, lp, -jnp.inf)

    # -- distribution functions: cumulative hazard H(x) = α log(x / xₘ) for x ≥ xₘ, 0 below, with
    # log(x / xₘ) = log1p((x − xₘ) / xₘ) near xₘ (x − xₘ is exact there; log x − log xₘ is not)
    def _hazard(self, params, x, xp):
        scale = params["scale"]
        near, far = (x > scale) & (x < 2.0 * scale), x >= 2.0 * scale
        log_ratio = xp.where(near, xp.log1p((xp.where(near, x, scale) - scale) / scale),
                             xp.log(xp.where(far, x, 2.0 * scale)) - xp.log(scale))
        return xp.where(x > scale, params["alpha"] * log_ratio, 0.0)

    def _inverse_hazard(self, params, h):
        return params["scale"] * np.exp(h / params["alpha"])

    def _mean(self, params):
        a = params["alpha"]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(a > 1.0, a * params["scale"] / (a - 1.0), np.inf)

    def _var(self, params):
        a = params["alpha"]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(a > 2.0, params["scale"] ** 2 * a / ((a - 1.0) ** 2 * (a - 2.0)), np.inf)

    def sample(self, params, n, seed=None):
        scale, alpha = float(params["scale"]), float(params["alpha"])
        return scale * (1.0 + np.random.default_rng(seed).pareto(alpha, size=n))

    def suffstats(self, x, weights=None):
        if weights is None:
            return ParetoStats(x.shape[0], float(x.shape[0]), float(np.min(x)), math.fsum(np.log(x)))
        w = np.asarray(weights, dtype=float)
        return ParetoStats(
            x.shape[0], float(w.sum()), float(np.min(x[w > 0])), math.fsum(w * np.log(x))
        )

    def mle_from_stats(self, stats, fixed=None):
        fixed = fixed or {}
        if "scale" in fixed:
            scale = float(fixed["scale"])
            if stats.minimum < scale:
                raise SupportError(
                    f"Pareto: data must be >= the fixed scale={scale:g}; got a minimum of {stats.minimum:g}, "
                    "where the likelihood is 0 for every alpha. Fix a scale at or below min(x), or leave it free."
                )
        else:
            scale = stats.minimum
        alpha = float(fixed["alpha"]) if "alpha" in fixed else _alpha(stats, scale)
        return {"scale": scale, "alpha": alpha}

    def loglik_from_stats(self, stats, params):
        scale, alpha = params["scale"], params["alpha"]
        W = stats.weight
        xp = namespace(params)
        ll = W * xp.log(alpha) + W * alpha * xp.log(scale) - (alpha + 1.0) * stats.sum_log
        return xp.where(stats.minimum >= scale, ll, -np.inf)

    def exact_covariance(self, stats, params, free):
        N = stats.weight
        alpha, scale = float(params["alpha"]), float(params["scale"])
        var = {"alpha": alpha**2 / N}
        na = N * alpha
        var["scale"] = scale**2 * na / ((na - 1.0) ** 2 * (na - 2.0)) if na > 2.0 else math.inf
        labels = sorted(free)  # both parameters are scalars: maxlik.inference.flat_labels order
        return np.diag([var[k] for k in labels]).reshape(len(labels), len(labels)), labels
