"""The truncated form of a univariate family: its density renormalised on a window (low, high].

    log p_T(x | θ) = log p(x | θ) − log P(low < X ≤ high | θ),   low < x ≤ high

with log P from :func:`maxlik.families.intervals.log_prob_between` (the CDF form, or the survival
form for a window deep in the right tail); an infinite bound reduces it to log S(low) or
log F(high), chosen when the family is built so that no infinite argument is differentiated.

Discrete families use their cdf at the bounds, so the window holds the integers k with
low < k ≤ high (``truncation=(0, None)`` is the zero-truncated Poisson, x ≥ 1), as R's
``truncdist`` does. For a continuous family the end points have probability 0: observations
equal to a bound are accepted.

:class:`TruncatedFamily` is an adapter (as :class:`maxlik.loglik.LoglikFamily`): it has the
base family's parameters and the truncated ``log_prob``, ``cdf`` / ``sf`` / their logs,
``ppf`` / ``isf``, ``mean`` / ``var`` (quadrature of the renormalised distribution) and ``sample``
(inverse transform), so the numerical engine, standard
errors, intervals, criteria, ``compare`` and ``lrt`` apply unchanged. It is not registered by
name; ``FitResult.from_dict`` rebuilds it from its options.
"""

from __future__ import annotations

import math

import numpy as np

from ._xp import namespace
from .families import Family, get_family
from .families.intervals import log_prob_between
from .results import register_family_builder


def bound_text(v: float) -> str:
    """A bound in messages and reprs: ``-inf``, ``inf`` or ``%g``."""
    return "-inf" if v == -math.inf else "inf" if v == math.inf else f"{v:g}"


def _effective_ends(support, low: float, high: float) -> tuple[float, float]:
    """(low, high) with a bound that excludes nothing of the support replaced by ∓inf: for a
    continuous support (L, U), low ≤ L or high ≥ U; for integers from L to U, low < L or high ≥ U."""
    lower, upper = getattr(support, "lower", None), getattr(support, "upper", None)
    if support.is_discrete:
        cut_low = lower is not None and low < lower
        cut_high = upper is not None and high >= upper
    else:
        cut_low = lower is not None and low <= lower
        cut_high = upper is not None and high >= upper
    return (-math.inf if cut_low else low), (math.inf if cut_high else high)


class TruncatedFamily(Family):
    """``base`` truncated to (low, high]; ``low`` may be −inf and ``high`` +inf (both: nothing is
    cut off, log P = 0)."""

    name = "truncated"
    is_adapter = True

    def __init__(self, base: Family, low: float, high: float):
        self.base = base
        self.low, self.high = float(low), float(high)
        self.params = base.params
        self.support = base.support
        self.event_ndim = base.event_ndim
        self._ends = _effective_ends(base.support, self.low, self.high)

    @property
    def options(self) -> dict:
        """Enough to rebuild it (JSON: an infinite bound is stored as None)."""
        return {"base": self.base.name, "base_options": self.base.options,
                "low": None if math.isinf(self.low) else self.low,
                "high": None if math.isinf(self.high) else self.high}

    @classmethod
    def from_options(cls, base: str, base_options: dict, low, high) -> "TruncatedFamily":
        return cls(get_family(base, **base_options), -math.inf if low is None else low,
                   math.inf if high is None else high)

    @property
    def window(self) -> str:
        return f"({bound_text(self.low)}, {bound_text(self.high)}]"

    @property
    def display_name(self) -> str:
        return f"{self.base.display_name} truncated to {self.window}"

    def __repr__(self) -> str:
        return f"Truncated({self.base!r}, low={bound_text(self.low)}, high={bound_text(self.high)})"

    def __eq__(self, other) -> bool:
        return type(other) is TruncatedFamily and (other.base, other.low, other.high) == (self.base, self.low, self.high)

    def __hash__(self) -> int:
        return hash((TruncatedFamily, self.base, self.low, self.high))

    # -- the window ---------------------------------------------------------------------------
    def inside(self, x):
        """Where observations lie in the window: low < x ≤ high (a continuous family also
        accepts x == low). NumPy in, NumPy out; JAX in, JAX out."""
        above = x > self.low if self.support.is_discrete else x >= self.low
        return above & (x <= self.high)

    def log_mass(self, params: dict):
        """log P(low < X ≤ high | θ): a scalar, JAX-traceable in params. A bound at or beyond an
        end of the support cuts nothing off and is dropped (its log-CDF, −inf, would make the
        gradient NaN)."""
        low, high = self._ends
        if low == -math.inf and high == math.inf:
            return 0.0
        if low == -math.inf:
            return self.base.logcdf(params, high)
        if high == math.inf:
            return self.base.logsf(params, low)
        return log_prob_between(self.base, params, low, high)

    # -- the density --------------------------------------------------------------------------
    def validate_data(self, x) -> np.ndarray:
        return self.base.validate_data(x)

    def log_prob(self, params, x):
        xp = namespace(params, x)
        lp = self.base.log_prob(params, x) - self.log_mass(params)
        return xp.where(self.inside(x), lp, -xp.inf)

    def init(self, x, weights=None):
        """The base family's moment start on the truncated data (biased, but inside the domain)."""
        return self.base.init(x, weights)

    def check_estimable(self, x, weights=None, fixed=None) -> None:
        self.base.check_estimable(x, weights, fixed)

    # -- distribution functions: F_T(x) = P(low < X ≤ min(x, high)) / P(window) ------------------
    def _clip(self, x):
        xp = namespace(x)
        return xp.clip(x, self.low, self.high)

    def _logcdf(self, params, x):
        return log_prob_between(self.base, params, self.low, self._clip(x)) - self.log_mass(params)

    def _logsf(self, params, x):
        return log_prob_between(self.base, params, self._clip(x), self.high) - self.log_mass(params)

    def _on_right(self, params) -> bool:
        """True when more of the base's mass lies below the window than above it (then quantiles
        come from isf, which keeps the digits of small survival probabilities)."""
        return bool(np.asarray(self.base.logcdf(params, self.low)) > np.asarray(self.base.logsf(params, self.high)))

    def _ppf(self, params, q):
        if self._on_right(params):
            return self._isf(params, 1.0 - q)
        f_low, f_high = self.base.cdf(params, self.low), self.base.cdf(params, self.high)
        return np.clip(self.base.ppf(params, np.clip(f_low + q * (f_high - f_low), 0.0, 1.0)), self.low, self.high)

    def _isf(self, params, q):
        if not self._on_right(params):
            return self._ppf(params, 1.0 - q)
        s_low, s_high = self.base.sf(params, self.low), self.base.sf(params, self.high)
        return np.clip(self.base.isf(params, np.clip(s_high + q * (s_low - s_high), 0.0, 1.0)), self.low, self.high)

    # -- moments: E[Xʲ] = ∫ xʲ p_T(x) dx over the window (a sum over its integers if discrete) ----
    def _mean(self, params):
        return self._moment(params, central=False)

    def _var(self, params):
        return self._moment(params, central=True)

    def _moment(self, params, central: bool) -> float:
        """The mean or the variance of the renormalised density. Continuous: from a finite end c
        of the window by parts, with G = S_T (c = low) or F_T (c = high, low = −inf),

            E[X] = c ± ∫ G dx,   Var X = 2 ∫ |x − c| G dx − (E[X] − c)²,

        by adaptive quadrature (scipy.integrate.quad) on each side of the truncated median, so
        the mass is found at any scale (NumPy distribution functions, no JAX). Discrete: sums
        over the window's integers up to where the truncated survival falls below 1e-17. A window open on a side where
        the base's moment is infinite or undefined: ±inf (as scipy.stats reports such moments)."""
        p = {k: float(np.asarray(v)) for k, v in params.items()}
        low, high = self._ends
        base = self.base.var(p) if central else self.base.mean(p)
        if low == -math.inf and high == math.inf:
            return float(base)
        if not np.isfinite(base) and (low == -math.inf or high == math.inf):
            return math.inf if central or high == math.inf else -math.inf
        if self.support.is_discrete:
            start = getattr(self.support, "lower", None)
            lo = low if low > -math.inf else (start - 1.0 if start is not None else float(self.base.ppf(p, 1e-17)) - 1.0)
            log_mass = float(self.log_mass(p))
            hi = float(self.base.isf(p, 1e-17 * math.exp(log_mass))) if high == math.inf else high
            k = np.arange(math.floor(lo) + 1.0, math.floor(hi) + 1.0)
            pk = np.exp(np.asarray(self.base.log_prob(p, k), dtype=float) - log_mass)
            m = float(np.sum(k * pk))
            return float(np.sum((k - m) ** 2 * pk)) if central else m
        from scipy import integrate

        lower, upper = getattr(self.support, "lower", None), getattr(self.support, "upper", None)
        low = low if lower is None else max(low, float(lower))  # quadrature over the support only
        high = high if upper is None else min(high, float(upper))
        c, sign = (low, 1.0) if low > -math.inf else (high, -1.0)
        tail = self.sf if sign > 0 else self.cdf
        mid = float(self.ppf(p, 0.5))

        def integral(power: int) -> float:
            f = lambda x: abs(x - c) ** power * float(tail(p, x))  # noqa: E731
            return sum(integrate.quad(f, a, b, limit=200, epsabs=0.0, epsrel=1e-12)[0]
                       for a, b in ((low, mid), (mid, high)) if a < b)

        d = integral(0)  # |E[X] − c|
        return 2.0 * integral(1) - d * d if central else c + sign * d

    def sample(self, params, n, seed=None):
        """n draws by inverse transform: ppf of uniforms on (0, 1) (as floats; discrete values are integers)."""
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        p = {k: np.asarray(v, dtype=float) for k, v in params.items()}
        return np.asarray(self.ppf(p, rng.uniform(size=int(n))), dtype=float)


register_family_builder(TruncatedFamily.name, TruncatedFamily.from_options)  # FitResult.from_dict rebuilds it

__all__ = ["TruncatedFamily"]
