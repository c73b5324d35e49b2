"""Distribution functions shared by several families, as mixins: ``LocationScale`` (F(x) =
F₀((x − loc) / scale) from a standard form F₀) and ``CumulativeHazard`` (F = 1 − e^(−H) from a
closed-form cumulative hazard H, in log space at both ends)."""

from __future__ import annotations

import numpy as np

from .._xp import namespace
from ._cdf import log1mexp


class LocationScale:
    """Mixin: distribution functions of a location–scale family, F(x) = F₀((x − loc) / scale),
    from its standard form. A family defines ``_std_cdf(z, params, xp)``, ``_std_logcdf``,
    ``_std_ppf(q, params)`` (NumPy), ``_std_mean(params)`` and ``_std_var(params)`` (shape
    parameters such as Student's df come in ``params``); for a symmetric F₀ (the default) the
    survival forms are S₀(z) = F₀(−z) and S₀⁻¹(q) = −F₀⁻¹(q), else it defines ``_std_sf``,
    ``_std_logsf`` and ``_std_isf`` too."""

    def _z(self, params, x):
        return namespace(params, x), (x - params["loc"]) / params["scale"]

    def _std_sf(self, z, params, xp):
        return self._std_cdf(-z, params, xp)

    def _std_logsf(self, z, params, xp):
        return self._std_logcdf(-z, params, xp)

    def _std_isf(self, q, params):
        return -self._std_ppf(q, params)

    def _cdf(self, params, x):
        xp, z = self._z(params, x)
        return self._std_cdf(z, params, xp)

    def _sf(self, params, x):
        xp, z = self._z(params, x)
        return self._std_sf(z, params, xp)

    def _logcdf(self, params, x):
        xp, z = self._z(params, x)
        return self._std_logcdf(z, params, xp)

    def _logsf(self, params, x):
        xp, z = self._z(params, x)
        return self._std_logsf(z, params, xp)

    def _ppf(self, params, q):
        return params["loc"] + params["scale"] * self._std_ppf(q, params)

    def _isf(self, params, q):
        return params["loc"] + params["scale"] * self._std_isf(q, params)

    def _mean(self, params):
        return params["loc"] + params["scale"] * self._std_mean(params)

    def _var(self, params):
        return params["scale"] ** 2 * self._std_var(params) + 0.0 * params["loc"]


class CumulativeHazard:
    """Mixin: distribution functions from the cumulative hazard H(x) = −log S(x) ≥ 0, for the
    families where it has a closed form (Exponential: rate·x, Weibull: (x/λ)ᵏ, Pareto:
    α log(x/xₘ)): log S = −H, S = e^(−H), F = −expm1(−H), log F = log1mexp(−H) (no cancellation
    at either end), ppf(q) = H⁻¹(−log1p(−q)), isf(q) = H⁻¹(−log q). A family defines
    ``_hazard(params, x, xp)`` (0 below the support) and ``_inverse_hazard(params, h)`` (NumPy)."""

    def _h(self, params, x):
        xp = namespace(params, x)
        return xp, self._hazard(params, x, xp)

    def _cdf(self, params, x):
        xp, h = self._h(params, x)
        return -xp.expm1(-h)

    def _sf(self, params, x):
        xp, h = self._h(params, x)
        return xp.exp(-h)

    def _logcdf(self, params, x):
        return log1mexp(-self._h(params, x)[1])

    def _logsf(self, params, x):
        return -self._h(params, x)[1]

    def _ppf(self, params, q):
        return self._inverse_hazard(params, -np.log1p(-q))

    def _isf(self, params, q):
        return self._inverse_hazard(params, -np.log(q))
