"""Threshold (three-parameter) families: a positive family shifted by a location ``loc``.

    p(x | θ, loc) = p₀(x − loc | θ),   x > loc

(scipy's ``loc``: ``weibull_min(c, loc, scale)``, ``gamma(a, loc, scale)``, ``lognorm(s, loc,
scale)``, ``expon(loc, scale)``). ``Weibull(threshold=True)`` is :class:`~.weibull3.Weibull3`,
likewise ``Gamma3``, ``LogNormal3`` and ``Exponential2``; ``loc`` is always the last parameter.

The support depends on a parameter, so the fit (:mod:`maxlik.threshold_fit`) never optimises
``loc`` itself. With m = min(x) over the rows of positive weight it writes

    loc = m − g,   g = exp(u) > 0,   yₙ = xₙ − m ≥ 0,   log q(yₙ | θ, g) = log p₀(yₙ + g | θ)

and fits the *gap family* q (:class:`GapFamily`), whose parameters all have fixed domains, with
the numerical engine. loc = m − g is affine in g, so the observed information in loc is the one
in g, and cov(loc, θ) = −cov(g, θ) (the delta method with ∂loc/∂g = −1).

A subclass writes ``_derivatives_z(theta, z)``: the two-parameter log-density at z = x − loc and
its derivatives in θ and z, from which :meth:`ThresholdFamily.log_prob_derivatives` follows by
∂z/∂loc = −1.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from .. import constraints as C
from ..errors import ParameterError
from ._base import Family, Param, jnp
from ._derivatives import assemble

# two-parameter registry name -> its threshold form
VARIANTS = {"weibull": "weibull3", "gamma": "gamma3", "lognormal": "lognormal3", "exponential": "exponential2"}

LOC = Param("loc", C.real, "threshold: the density is 0 for x <= loc", typical=(-2.0, 2.0))


def threshold_form(cls, threshold, **options):
    """The threshold family ``cls(threshold=True)`` stands for, or None for ``threshold=False``."""
    if threshold is False:
        return None
    if threshold is not True:
        raise ParameterError(f"{cls.__name__}: threshold must be True or False; got {threshold!r}.")
    from ._registry import get_family

    return get_family(VARIANTS[cls.name], **options)


class ThresholdFamily(Family):
    """A two-parameter family on (0, ∞) shifted by ``loc``; parameters: the base's, then ``loc``.

    base : the two-parameter registry name;  shape : the parameter whose estimate must exceed 1
    for the likelihood to stay bounded as loc → min(x) (None: no such rule, see LogNormal3)
    """

    base: ClassVar[str] = ""
    shape: ClassVar[str | None] = None
    support = C.real

    @property
    def base_family(self) -> Family:
        from ._registry import get_family

        return get_family(self.base)

    def base_params(self, params: dict) -> dict:
        """The two-parameter family's own parameters from ours (other names where they differ)."""
        return {k: v for k, v in params.items() if k != "loc"}

    def from_base_params(self, params: dict) -> dict:
        return dict(params)

    # distribution functions: the base family's at z = x − loc (quantiles shifted back by loc)
    def _base_at(self, params):
        return self.base_family, self.base_params(params)

    def _cdf(self, params, x):
        fam, p = self._base_at(params)
        return fam._cdf(p, x - params["loc"])

    def _sf(self, params, x):
        fam, p = self._base_at(params)
        return fam._sf(p, x - params["loc"])

    def _logcdf(self, params, x):
        fam, p = self._base_at(params)
        return fam._logcdf(p, x - params["loc"])

    def _logsf(self, params, x):
        fam, p = self._base_at(params)
        return fam._logsf(p, x - params["loc"])

    def _ppf(self, params, q):
        fam, p = self._base_at(params)
        return fam._ppf(p, q) + params["loc"]

    def _isf(self, params, q):
        fam, p = self._base_at(params)
        return fam._isf(p, q) + params["loc"]

    def _mean(self, params):
        fam, p = self._base_at(params)
        return fam._mean(p) + params["loc"]

    def _var(self, params):
        fam, p = self._base_at(params)
        return fam._var(p)

    def log_prob(self, params, x):
        z = x - params["loc"]
        inside = z > 0
        lp = self.base_family.log_prob(self.base_params(params), jnp.where(inside, z, 1.0))
        return jnp.where(inside, lp, -jnp.inf)

    def sample(self, params, n, seed=None):
        return float(params["loc"]) + self.base_family.sample(self.base_params(params), n, seed)

    def init(self, x, weights=None):
        """A start with loc a tenth of the data's range below min(x) (the fit itself starts from
        the profile over loc instead, :mod:`maxlik.threshold_fit`)."""
        lo, hi = float(np.min(x)), float(np.max(x))
        loc = lo - 0.1 * max(hi - lo, 1e-8 * max(1.0, abs(lo)))
        return {**self.start_at(x - loc, weights), "loc": loc}

    def start_at(self, z, weights=None) -> dict:
        """Moment-based start of the other parameters for the shifted data z = x − loc > 0."""
        return self.from_base_params(self.base_family.init(z, weights))

    def _derivatives_z(self, theta: dict, z: np.ndarray):
        """(lp, d1 (n, P₀), d2 (n, P₀, P₀), dz, dzz, dz_dθ (n, P₀)) of log p₀(z | θ) (NumPy)."""
        raise NotImplementedError

    def log_prob_derivatives(self, params, x):
        """(lp, d1, d2) in the order of ``param_names`` (θ..., loc); with z = x − loc,
        ∂loc = −∂z, ∂loc∂loc = ∂zz, ∂loc∂θ = −∂z∂θ. Rows with x <= loc get lp = −inf."""
        p = {k: float(v) for k, v in params.items()}
        x = np.asarray(x, dtype=float)
        z = x - p["loc"]
        inside = z > 0
        with np.errstate(all="ignore"):
            lp, d1, d2, dz, dzz, dzt = self._derivatives_z(self.base_params(p), np.where(inside, z, np.nan))
        n, P0 = x.shape[0], d1.shape[1]
        g = np.empty((n, P0 + 1))
        h = np.empty((n, P0 + 1, P0 + 1))
        g[:, :P0], g[:, P0] = d1, -dz
        h[:, :P0, :P0] = d2
        h[:, P0, :P0] = h[:, :P0, P0] = -dzt
        h[:, P0, P0] = dzz
        return np.where(inside, lp, -np.inf), g, h

    def gap_family(self) -> "GapFamily":
        return GapFamily(self.name)


class GapFamily(Family):
    """log q(y | θ, gap) = log p(y | θ, loc = −gap): the threshold family on y = x − min(x),
    with ``gap`` = min(x) − loc > 0 in place of ``loc`` (same position; the same place in the
    sorted order of names, so covariance labels map one to one). Internal: not registered."""

    name = "gap"

    def __init__(self, of: str):
        from ._registry import get_family

        self.of = of
        self.threshold_family = get_family(of)
        self.params = tuple(Param("gap", C.positive, "min(x) − loc") if p.name == "loc" else p
                            for p in self.threshold_family.params)

    @property
    def options(self):
        return {"of": self.of}

    @property
    def display_name(self) -> str:
        return self.threshold_family.display_name

    def _as_loc(self, params):
        out = {k: v for k, v in params.items() if k != "gap"}
        out["loc"] = -params["gap"]
        return out

    def log_prob(self, params, y):
        return self.threshold_family.log_prob(self._as_loc(params), y)

    def log_prob_derivatives(self, params, y):
        lp, d1, d2 = self.threshold_family.log_prob_derivatives(self._as_loc(params), y)
        i = len(self.params) - 1  # loc, then gap = −loc: flip the sign of its row and column
        d1[:, i] *= -1.0
        d2[:, i, :] *= -1.0
        d2[:, :, i] *= -1.0
        return lp, d1, d2

    def init(self, y, weights=None):
        gap = 0.1 * max(float(np.max(y)), 1e-300)
        return {**self.threshold_family.start_at(y + gap, weights), "gap": gap}

    def sample(self, params, n, seed=None):
        return self.threshold_family.sample(self._as_loc(params), n, seed)


def assemble_z(n, d1, d2_upper, dz, dzz, dzt):
    """:func:`~._derivatives.assemble` for the θ part, plus the z-derivatives as arrays."""
    g, h = assemble(n, d1, d2_upper)
    dzt_arr = np.empty((n, len(dzt)))
    for j, col in enumerate(dzt):
        dzt_arr[:, j] = col
    return g, h, np.broadcast_to(dz, (n,)), np.broadcast_to(dzz, (n,)), dzt_arr
