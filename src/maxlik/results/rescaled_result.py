"""RescaledFitResult: a fit made on x / c (c = 2^k), seen in the user's units.

:mod:`maxlik.rescaled_fit` fits data near 1e±300 on an exactly rescaled copy (see
:class:`maxlik.families._scale_rules.Rescaling`) and wraps that fit (``_inner``) here. Every
number the user sees is the inner one mapped back, never recomputed at the user's scale, where
squares overflow:

    θ = c^e·θ_s (θ_s + log c for a LOG parameter)      se = c^e·se_s
    intervals (Wald, profile, exact): both ends mapped as θ
    ℓ = ℓ_s − W·log c                                   log p(x) = log p_s(x / c) − log c
    F(x) = F_s(x / c), quantiles c·q_s, draws c·x_s, mean c·m_s, variance c²·v_s

``cov`` is the inner covariance times c^(eᵢ+eⱼ): entries beyond float64 (the variance of a
location near 1e300 is near 1e600) come out inf or 0, while ``stderr`` stays exact. The trace's
"nll" is shifted by W·log c; its other entries ("grad_norm") and the message stay in the fit's
units. ``to_dict`` keeps the inner fit under "rescaled", which ``from_dict`` maps back again.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..errors import InferenceWarning
from ..families import Rescaling
from .fit_result import FitResult, family_from_dict


def _of_scaled_x(name: str):
    def method(self, x) -> np.ndarray:
        return getattr(self._inner, name)(self.rescaling.data_to_scaled(x))

    method.__name__, method.__doc__ = name, f"FitResult.{name} of the fit on x / c, at x / c."
    return method


def _quantile_in_user_units(name: str):
    def method(self, q) -> np.ndarray:
        return self.rescaling.data_to_user(getattr(self._inner, name)(q))

    method.__name__, method.__doc__ = name, f"c times FitResult.{name} of the fit on x / c."
    return method


@dataclass
class RescaledFitResult(FitResult):
    """A :class:`FitResult` in the user's units of a fit on x / 2^k (``rescaling.log2`` = k)."""

    rescaling: Any = field(default=None, repr=False, compare=False)
    _inner: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, inner: FitResult, rescaling: Rescaling, family=None) -> "RescaledFitResult":
        rs, w = rescaling, inner.weight
        profile = None
        if inner._profile is not None:
            def profile(values, _p=inner._profile):
                return rs.loglik_to_user(_p(rs.params_to_scaled(values)), w)
        trace = None if inner.trace is None else {
            k: [float(t) + w * rs.log_c for t in v] if k == "nll" else list(v) for k, v in inner.trace.items()}
        return cls(family=inner.family if family is None else family, params=rs.params_to_user(inner.params),
                   fixed=inner.fixed, loglik=rs.loglik_to_user(inner.loglik, w), n=inner.n, weight=w,
                   method=inner.method, status=inner.status, n_iter=inner.n_iter, message=inner.message,
                   trace=trace, _profile=profile, limit=_limit_to_user(inner.limit, rs, w),
                   rescaling=rs, _inner=inner)

    # -- uncertainty: the inner fit's, mapped ------------------------------------------------
    def _covariance(self):
        cov, labels, why = self._inner._covariance()
        return (None if cov is None else self.rescaling.cov_to_user(cov, labels)), labels, why

    @property
    def scaled_fit(self) -> FitResult:
        """The fit itself, on the data × 2^-k (k = ``rescaling.log2``), in its own units."""
        return self._inner

    @property
    def cov(self) -> np.ndarray | None:
        """The covariance in the user's units, with an InferenceWarning where some of its entries
        are beyond float64 (inf, or 0 from underflow); ``stderr`` is exact either way."""
        cov = super().cov
        inner = self._inner._covariance()[0]
        if cov is not None and np.any((~np.isfinite(cov) | (cov == 0)) & np.isfinite(inner) & (inner != 0)):
            warnings.warn(
                f"{self.owner}: cov entries must be within float64 to be exact; got some beyond it in the data's units "
                f"(inf or 0: the data are near 2^{self.rescaling.log2}). Use stderr (exact), or scaled_fit.cov (in "
                f"the units of the data × 2^{-self.rescaling.log2}).",
                InferenceWarning, stacklevel=2)
        return cov

    def _stderr_values(self):
        se = self._inner._stderr_values()
        if se is None:
            return None
        with np.errstate(over="ignore", under="ignore"):
            return {k: (float(v) * self.rescaling.factor(k) if np.ndim(v) == 0 else np.asarray(v) * self.rescaling.factor(k))
                    for k, v in se.items()}

    def _wald(self, level: float, natural: bool = False) -> dict:
        return {k: ends[:2] for k, ends in self.rescaling.intervals_to_user(self._inner._wald(level, natural)).items()}

    def _profile_conf_int(self, level: float) -> dict:
        return {k: ends[:2] for k, ends in self.rescaling.intervals_to_user(self._inner._profile_conf_int(level)).items()}

    def _exact_intervals(self, level: float) -> dict:
        return self.rescaling.intervals_to_user(self._inner._exact_intervals(level))

    def _details(self) -> list[tuple[str, str]]:
        k = self.rescaling.log2
        return [*super()._details(), ("rescaled", f"fitted on the data × 2^{-k}, estimates mapped back")]

    # -- the fitted distribution: the inner one at x / c ---------------------------------------
    def log_prob(self, x) -> np.ndarray:
        data = self.family.validate_data(x)
        return self._inner.log_prob(self.rescaling.data_to_scaled(data)) - self.rescaling.log_c

    def sample(self, n: int, seed=None) -> np.ndarray:
        return self.rescaling.data_to_user(self._inner.sample(n, seed))

    # F(x) = F_s(x / c) (cdf, sf and their logs); quantiles c·q_s (ppf, isf)
    cdf, sf, logcdf, logsf = (_of_scaled_x(n) for n in ("cdf", "sf", "logcdf", "logsf"))
    ppf, isf = (_quantile_in_user_units(n) for n in ("ppf", "isf"))

    @property
    def mean(self) -> float:
        return float(self.rescaling.data_to_user(self._inner.mean))

    @property
    def var(self) -> float:
        return float(self.rescaling.data_to_user(self.rescaling.data_to_user(self._inner.var)))

    # -- serialisation: the inner fit and the rescaling ------------------------------------------
    def _extra_dict(self) -> dict:
        return {**super()._extra_dict(), "rescaled": {**self.rescaling.to_dict(), "fit": self._inner.to_dict()}}

    @classmethod
    def _from_dict(cls, d: dict, family=None) -> "RescaledFitResult":
        inner = FitResult._from_dict(d["rescaled"]["fit"])  # its own family (a window in its units)
        return cls.of(inner, Rescaling.from_dict(d["rescaled"]), family_from_dict(d) if family is None else family)


def _limit_to_user(limit, rs: Rescaling, weight: float):
    """The boundary model (Student's t at df = ∞: the Normal) in the user's units."""
    if limit is None:
        return None
    lim_rs = Rescaling(rs.log2, dict(getattr(limit.family, "scale_exponents", None) or {}))
    cov = None if limit.cov is None else lim_rs.cov_to_user(limit.cov, limit.labels)
    return replace(limit, params=lim_rs.params_to_user(limit.params), loglik=rs.loglik_to_user(limit.loglik, weight),
                   at_edge=rs.params_to_user(limit.at_edge), cov=cov)


__all__ = ["RescaledFitResult"]
