"""Continuous uniform distribution on [low, high].

    log p(x | low, high) = −log(high − low)  for low <= x <= high, −∞ outside

(SciPy: ``scipy.stats.uniform(loc=low, scale=high − low)``.)

Statistics: count, W = Σ wₙ, and min / max of the rows with positive weight (zero-weight rows
do not constrain the fit). Merging takes min of mins and max of maxes: exact and associative.
ℓ(low, high) = −W log(high − low) when low <= min and high >= max, else −∞; it increases as
the interval shrinks, so

    MLE: low = min, high = max;   low fixed: high = max;   high fixed: low = min.

A fixed low above the smallest observation (or a fixed high below the largest) gives those
observations zero likelihood: SupportError. A zero range (all observations equal) makes ℓ
unbounded: DegenerateFitError.

Uncertainty (non-regular problem). The support depends on the parameters, so ℓ is not
differentiable at the MLE and the observed information is meaningless. :meth:`exact_covariance`
gives instead the exact covariance of the order statistics (min, max) of n draws from
U(a, b), with b − a replaced by its estimate high − low:

    Var(max) = Var(min) = (b − a)² n / ((n + 1)² (n + 2)),   Cov(min, max) = (b − a)² / ((n + 1)² (n + 2)).

For weighted data n is taken as W = Σ wₙ, so integer weights give the same standard errors as
repeated rows (unweighted: n = count). These standard errors shrink like 1/n, not 1/√n, and the
estimators are biased inwards (E[max] = b − (b − a)/(n + 1)); Wald intervals built from them are
only a rough guide: the sampling distribution of (min, max) is not normal.
"""

from __future__ import annotations

import numpy as np

from .. import constraints as C
from ..errors import DegenerateFitError, ParameterError, SupportError
from .._xp import namespace
from ._base import Family, Param, Stats, frozen, jnp
from ._registry import register


@frozen
class UniformStats(Stats):
    """count rows, weight W, and min / max over rows with positive weight (+inf / −inf if none)."""

    count: int
    weight: float
    min: float
    max: float

    def merge(self, other: "UniformStats") -> "UniformStats":
        self._check_mergeable(other)
        return UniformStats(
            self.count + other.count,
            self.weight + other.weight,
            min(self.min, other.min),
            max(self.max, other.max),
        )


def order_statistic_covariance(range_: float, n: float) -> np.ndarray:
    """Exact covariance of (min, max) of n i.i.d. U(a, b) draws, b − a = ``range_``: shape (2, 2)."""
    c = range_**2 / ((n + 1.0) ** 2 * (n + 2.0))
    return np.array([[n * c, c], [c, n * c]])


@register
class Uniform(Family):
    name = "uniform"
    scale_exponents = {"low": 1, "high": 1}
    params = (
        Param("low", C.real, "lower end of the support", typical=(-5.0, -0.5)),
        Param("high", C.real, "upper end of the support (> low)", typical=(0.5, 5.0)),
    )
    support = C.real

    def log_prob(self, params, x):
        low, high = params["low"], params["high"]
        return jnp.where((x >= low) & (x <= high), -jnp.log(high - low), -jnp.inf)

    # -- distribution functions: F(x) = (x − low) / (high − low), S(x) = (high − x) / (high − low) --
    def _cdf(self, params, x):
        xp = namespace(params, x)
        return xp.clip((x - params["low"]) / (params["high"] - params["low"]), 0.0, 1.0)

    def _sf(self, params, x):
        xp = namespace(params, x)
        return xp.clip((params["high"] - x) / (params["high"] - params["low"]), 0.0, 1.0)

    def _logcdf(self, params, x):
        return namespace(params, x).log(self._cdf(params, x))

    def _logsf(self, params, x):
        return namespace(params, x).log(self._sf(params, x))

    def _ppf(self, params, q):
        return params["low"] + q * (params["high"] - params["low"])

    def _isf(self, params, q):
        return params["high"] - q * (params["high"] - params["low"])

    def _mean(self, params):
        return 0.5 * (params["low"] + params["high"])

    def _var(self, params):
        return (params["high"] - params["low"]) ** 2 / 12.0

    def sample(self, params, n, seed=None):
        return np.random.default_rng(seed).uniform(params["low"], params["high"], size=n)

    def suffstats(self, x, weights=None):
        kept = x if weights is None else x[weights > 0]
        W = float(x.shape[0]) if weights is None else float(weights.sum())
        lo = float(kept.min()) if kept.size else np.inf
        hi = float(kept.max()) if kept.size else -np.inf
        return UniformStats(int(x.shape[0]), W, lo, hi)

    def mle_from_stats(self, stats, fixed=None):
        fixed = fixed or {}
        if not stats.min <= stats.max:
            raise DegenerateFitError(
                f"Uniform: data must contain an observation with positive weight; got {stats.count} "
                "rows, all with weight 0. Give some rows a positive weight."
            )
        if "low" in fixed and "high" in fixed and not float(fixed["low"]) < float(fixed["high"]):
            raise ParameterError(
                f"Uniform: fixed low must be < fixed high; got low={float(fixed['low']):g}, "
                f"high={float(fixed['high']):g}. Swap or correct them."
            )
        low = float(fixed["low"]) if "low" in fixed else stats.min
        high = float(fixed["high"]) if "high" in fixed else stats.max
        if low > stats.min:
            raise SupportError(
                f"Uniform: fixed low must be <= the smallest observation ({stats.min:g}); got "
                f"low={low:g}, which gives that observation zero likelihood. Lower the fixed low, "
                "or leave low free."
            )
        if high < stats.max:
            raise SupportError(
                f"Uniform: fixed high must be >= the largest observation ({stats.max:g}); got "
                f"high={high:g}, which gives that observation zero likelihood. Raise the fixed "
                "high, or leave high free."
            )
        if not high > low:
            raise DegenerateFitError(
                f"Uniform: high - low must be positive; got all {stats.count} observations equal "
                f"to {stats.min:g} (zero range), so the likelihood -W log(high - low) is unbounded "
                "and no MLE exists. Add varied data, or fix low or high away from the data "
                "with fixed={...}."
            )
        return {"low": low, "high": high}

    def loglik_from_stats(self, stats, params):
        low, high = params["low"], params["high"]
        inside = (low <= stats.min) & (high >= stats.max)
        xp = namespace(params)
        return xp.where(inside, -stats.weight * xp.log(high - low), -np.inf)

    def exact_covariance(self, stats, params, free):
        """Exact order-statistic covariance of (min, max) with n = W (see the module docstring);
        rows/columns in the order of ``maxlik.inference.flat_labels`` (sorted names: ``high``
        before ``low``)."""
        labels = sorted(free)
        full = order_statistic_covariance(float(params["high"]) - float(params["low"]), stats.weight)
        index = {"low": 0, "high": 1}
        pick = [index[k] for k in labels]
        return full[np.ix_(pick, pick)], labels
