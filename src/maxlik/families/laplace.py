"""Laplace (double exponential) distribution.

    log p(x | loc, scale) = −log(2 scale) − |x − loc| / scale

(SciPy: ``scipy.stats.laplace(loc, scale)``.)

ℓ(loc, scale) = −W log(2 scale) − Σ wₙ |xₙ − loc| / scale. No fixed-size statistic suffices
(the median is not a sum), so the statistics keep the observations with positive weight, sorted
by (value, weight), with their weights. Merging concatenates and re-sorts: the result is the
same array whatever the order of merging, so merge is exact and associative. Memory is O(n).

MLE:
  loc   = the weighted median: any m with Σ_{x<m} w <= W/2 and Σ_{x>m} w <= W/2 minimises
          Σ w |x − m|. When the cumulative weight reaches exactly W/2 at some observation
          (e.g. an even number of unweighted observations) the likelihood is *flat* between it
          and the next one; we then return the midpoint of the two, as ``numpy.median`` does
          (and SciPy's ``laplace.fit``). Any point of that interval is an equally good MLE.
  scale = Σ w |x − loc| / W.
  loc fixed: scale = Σ w |x − loc| / W.  scale fixed: loc = the weighted median (ℓ in loc does
  not depend on scale). scale = 0 (all observations equal loc, e.g. a single point) makes ℓ
  unbounded: DegenerateFitError.

Uncertainty. ℓ is piecewise linear in loc, so its second derivative in loc is 0 almost
everywhere and the autodiff Hessian is useless. :meth:`exact_covariance` returns the asymptotic
(expected Fisher information) covariance instead,

    Var(loc) = scale² / W,   Var(scale) = scale² / W,   Cov = 0,

(the median's asymptotic variance 1 / (4 f(loc)² n) with f(loc) = 1 / (2 scale), and the
information 1 / scale² per observation for scale), with n = W so that integer weights match
repeated rows. It is asymptotic, not exact, in small samples.
"""

from __future__ import annotations

import math

import numpy as np

from .. import constraints as C
from ..errors import DegenerateFitError
from .._xp import namespace
from ._base import Family, Param, Stats, frozen, jnp
from ._cdf_forms import LocationScale
from ._moments import square_over
from ._registry import register

LOG_2 = math.log(2.0)


def _canonical(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop zero weights and sort by (value, weight); read-only copies."""
    keep = w > 0
    x, w = x[keep], w[keep]
    order = np.lexsort((w, x))
    x, w = x[order], w[order]
    x.flags.writeable = False
    w.flags.writeable = False
    return x, w


@frozen
class LaplaceStats(Stats):
    """count rows, weight W; ``values`` (m,) sorted observations with positive weight and their
    ``weights`` (m,)."""

    count: int
    weight: float
    values: np.ndarray
    weights: np.ndarray

    @classmethod
    def build(cls, count: int, x: np.ndarray, w: np.ndarray) -> "LaplaceStats":
        x, w = _canonical(np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64))
        return cls(int(count), float(w.sum()), x, w)

    def merge(self, other: "LaplaceStats") -> "LaplaceStats":
        self._check_mergeable(other)
        return LaplaceStats.build(
            self.count + other.count,
            np.concatenate([self.values, other.values]),
            np.concatenate([self.weights, other.weights]),
        )

    def abs_dev_about(self, loc: float) -> float:
        """Σ w |x − loc|."""
        return float(np.sum(self.weights * np.abs(self.values - loc)))


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """Weighted median of sorted ``values`` (positive ``weights``); the midpoint of the flat
    stretch when the cumulative weight hits exactly half (numpy.median for unit weights)."""
    cum = np.cumsum(weights)
    half = 0.5 * cum[-1]
    k = int(np.searchsorted(cum, half, side="left"))
    if cum[k] == half and k + 1 < values.shape[0]:
        return 0.5 * (float(values[k]) + float(values[k + 1]))
    return float(values[k])


@register
class Laplace(LocationScale, Family):
    name = "laplace"
    scale_exponents = {"loc": 1, "scale": 1}
    params = (
        Param("loc", C.real, "location (median)", typical=(-5.0, 5.0)),
        Param("scale", C.positive, "scale b (mean absolute deviation from loc)", typical=(0.1, 10.0)),
    )
    support = C.real

    def log_prob(self, params, x):
        scale = params["scale"]
        return -jnp.log(2.0 * scale) - jnp.abs(x - params["loc"]) / scale

    # -- distribution functions: F₀(z) = ½ eᶻ for z < 0, 1 − ½ e⁻ᶻ above ----------------------
    def _std_cdf(self, z, params, xp):
        e = 0.5 * xp.exp(-xp.abs(z))
        return xp.where(z < 0, e, 1.0 - e)

    def _std_logcdf(self, z, params, xp):
        e = 0.5 * xp.exp(-xp.abs(z))
        return xp.where(z < 0, -xp.abs(z) - LOG_2, xp.log1p(-e))

    def _std_ppf(self, q, params):
        low = q <= 0.5
        return np.where(low, np.log(2.0 * np.where(low, q, 0.5)), -np.log(2.0 - 2.0 * np.where(low, 0.5, q)))

    def _std_mean(self, params):
        return 0.0

    def _std_var(self, params):
        return 2.0

    def sample(self, params, n, seed=None):
        return np.random.default_rng(seed).laplace(params["loc"], params["scale"], size=n)

    def suffstats(self, x, weights=None):
        w = np.ones(x.shape[0]) if weights is None else weights
        return LaplaceStats.build(x.shape[0], x, w)

    def mle_from_stats(self, stats, fixed=None):
        fixed = fixed or {}
        if stats.values.shape[0] == 0:
            raise DegenerateFitError(
                f"Laplace: data must contain an observation with positive weight; got {stats.count} "
                "rows, all with weight 0. Give some rows a positive weight."
            )
        if stats.values.shape[0] == 1 and not fixed:
            raise DegenerateFitError(
                "Laplace: data must contain at least 2 observations with positive weight to "
                "estimate scale; got 1. With one point the likelihood is unbounded as scale -> 0. "
                "Add data, or fix scale with fixed={'scale': ...}."
            )
        loc = float(fixed["loc"]) if "loc" in fixed else weighted_median(stats.values, stats.weights)
        if "scale" in fixed:
            return {"loc": loc, "scale": float(fixed["scale"])}
        dev = stats.abs_dev_about(loc)
        if not dev > 0.0:
            where = f"equal loc={loc:g}" if "loc" in fixed else f"are equal ({loc:g})"
            raise DegenerateFitError(
                f"Laplace: scale must be positive, but all {stats.count} observations {where} "
                "(zero absolute deviation), so the likelihood is unbounded as scale -> 0 and no MLE "
                "exists. Fix scale with fixed={'scale': ...}, or add varied data."
            )
        return {"loc": loc, "scale": dev / stats.weight}

    def loglik_from_stats(self, stats, params):
        scale = params["scale"]
        xp = namespace(params)
        dev = xp.sum(stats.weights * xp.abs(stats.values - params["loc"]))
        return -stats.weight * xp.log(2.0 * scale) - dev / scale

    def exact_covariance(self, stats, params, free):
        """Asymptotic covariance diag(scale² / W, scale² / W) (see the module docstring);
        rows/columns in sorted-name order (``loc``, ``scale``), as ``flat_labels``."""
        labels = sorted(free)
        var = square_over(params["scale"], stats.weight)  # +inf beyond the float64 range
        return np.diag(np.full(len(labels), var)), labels  # not var · I: inf · 0 is NaN
