"""The distribution functions of a univariate family: the public methods ``cdf``, ``sf``,
``logcdf``, ``logsf``, ``ppf``, ``isf``, ``mean`` and ``var`` (which check and convert their inputs)
and the hooks a family implements (``_logcdf``, …; see :mod:`maxlik.families._cdf` and
:mod:`._cdf_forms`), as a base class of :class:`maxlik.families.Family`."""

from __future__ import annotations

import numpy as np

from .._xp import namespace
from ..errors import ParameterError
from ._cdf import check_probabilities, quiet


REGISTRY: dict[str, type] = {}  # registry name -> Family class, filled by ._registry.register


class DistributionFunctions:
    """Mixed into :class:`~maxlik.families.Family` (which supplies ``event_ndim``,
    ``display_name`` and ``param_names``)."""

    # -- distribution functions (univariate families) ---------------------------------------
    # Public methods convert the inputs and check q; a family implements the hooks ``_logcdf``,
    # ``_logsf``, ``_ppf``, ``_isf``, ``_mean``, ``_var`` (and ``_cdf`` / ``_sf`` where a direct
    # form beats exp of the log), given params and x as arrays of one namespace (ppf, isf, mean
    # and var: NumPy). The log forms must be JAX-traceable and stable in the tails (never
    # log(1 − cdf)).
    @property
    def has_distribution_functions(self) -> bool:
        """True when the family implements cdf, sf, logcdf, logsf, ppf and isf."""
        return self.event_ndim == 0 and type(self)._logcdf is not DistributionFunctions._logcdf

    def cdf(self, params: dict, x):
        """F(x) = P(X ≤ x), elementwise; ``params`` broadcast against ``x``. Discrete families
        floor x (scipy's convention). NumPy in, NumPy out; JAX in, JAX out."""
        params, x = self._distribution_args(params, x, "cdf")
        with quiet():
            return _nan_at_nan(x, self._cdf(params, x))

    def sf(self, params: dict, x):
        """S(x) = P(X > x) = 1 − F(x), computed directly (accurate where it is tiny)."""
        params, x = self._distribution_args(params, x, "sf")
        with quiet():
            return _nan_at_nan(x, self._sf(params, x))

    def logcdf(self, params: dict, x):
        """log F(x), finite far into the left tail; JAX-traceable (differentiable in params)."""
        params, x = self._distribution_args(params, x, "logcdf")
        with quiet():
            return _nan_at_nan(x, self._logcdf(params, x))

    def logsf(self, params: dict, x):
        """log S(x), finite far into the right tail; JAX-traceable (differentiable in params)."""
        params, x = self._distribution_args(params, x, "logsf")
        with quiet():
            return _nan_at_nan(x, self._logsf(params, x))

    def ppf(self, params: dict, q):
        """The quantile function F⁻¹(q), q in [0, 1] (NumPy). Discrete families: the smallest
        integer k with F(k) ≥ q (scipy's convention, with ppf(0) = lower end − 1)."""
        params, _ = self._distribution_args(params, 0.0, "ppf", numpy=True)
        q = check_probabilities(q, f"{self.display_name}.ppf")
        with quiet():
            return self._ppf(params, q)

    def isf(self, params: dict, q):
        """The inverse survival function S⁻¹(q) (= ppf(1 − q), without the rounding of 1 − q at
        small q). Discrete families: the smallest integer k with S(k) ≤ q."""
        params, _ = self._distribution_args(params, 0.0, "isf", numpy=True)
        q = check_probabilities(q, f"{self.display_name}.isf")
        with quiet():
            return self._isf(params, q)

    def mean(self, params: dict):
        """E[X]; as scipy.stats: inf where the integral diverges to +inf, nan where it is undefined."""
        params = self._distribution_args(params, 0.0, "mean", numpy=True)[0]
        with quiet():
            return self._mean(params)

    def var(self, params: dict):
        """Var[X]; as scipy.stats: inf where it diverges, nan where the mean is undefined."""
        params = self._distribution_args(params, 0.0, "var", numpy=True)[0]
        with quiet():
            return self._var(params)

    def _cdf(self, params, x):
        return namespace(params, x).exp(self._logcdf(params, x))

    def _sf(self, params, x):
        return namespace(params, x).exp(self._logsf(params, x))

    def _logcdf(self, params, x):
        raise self._no_distribution_functions("logcdf")

    def _logsf(self, params, x):
        raise self._no_distribution_functions("logsf")

    def _ppf(self, params, q):
        raise self._no_distribution_functions("ppf")

    def _isf(self, params, q):
        raise self._no_distribution_functions("isf")

    def _mean(self, params):
        raise self._no_distribution_functions("mean")

    def _var(self, params):
        raise self._no_distribution_functions("var")

    def _distribution_args(self, params: dict, x, method: str, numpy: bool = False):
        """(params, x) as float arrays of one namespace (NumPy unless a value is a JAX array)."""
        if not self.has_distribution_functions:
            raise self._no_distribution_functions(method)
        owner = f"{self.display_name}.{method}"
        if sorted(params) != sorted(self.param_names):
            raise ParameterError(
                f"{owner}: params must have exactly the names {list(self.param_names)}; got {sorted(params)}. "
                "Pass every parameter, e.g. a fit's result.params."
            )
        xp = np if numpy else namespace(params, x)
        try:
            return {k: xp.asarray(v, dtype=float) for k, v in params.items()}, xp.asarray(x, dtype=float)
        except (TypeError, ValueError):
            raise ParameterError(f"{owner}: params and x must be numeric; got x={x!r}.") from None

    def _no_distribution_functions(self, method: str) -> ParameterError:
        having = with_distribution_functions()
        kind = ("a multivariate family (each observation is a vector)" if self.event_ndim
                else "a family without distribution functions")
        return ParameterError(
            f"{self.display_name}.{method}: the family must be univariate with distribution functions "
            f"(cdf, sf, logcdf, logsf, ppf, isf, mean, var); got {kind}. Families that have them: "
            f"{', '.join(having)}."
        )


def _nan_at_nan(x, out):
    """``out`` with NaN wherever x is NaN (a NaN observation has no probability)."""
    xp = namespace(x, out)
    return xp.where(xp.isnan(x), xp.nan, out)


def with_distribution_functions() -> list[str]:
    """Registry names of the univariate families with cdf, sf, their logs, ppf and isf (those
    that censoring and truncation accept), read off the registered classes (so families that
    need options, such as ``binomial``'s total_count, are listed too)."""
    return sorted(name for name, cls in REGISTRY.items() if cls.event_ndim == 0 and cls._logcdf is not DistributionFunctions._logcdf)
