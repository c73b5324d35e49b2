"""CurveFitResult: what :func:`maxlik.fit_curve` returns.

Model:  yₙ = f(xₙ, p) + εₙ,  εₙ ~ N(0, σ²) i.i.d.,  p of length k, N observations.

* ``rss`` = Σ rₙ²  with  r = y − f(x, p̂).
* ``sigma2`` (σ̂²) = RSS / N  (the maximum likelihood estimate, ``sigma_convention="mle"``, the
  default) or RSS / (N − k)  (``"dof"``: NIST's and ``scipy.optimize.curve_fit``'s residual
  degrees-of-freedom convention).
* ``loglik`` = −N/2 · (log(2π RSS/N) + 1): the log-likelihood maximised over p *and* σ², whatever
  the convention (AIC and BIC need the maximum). ``aic`` = 2(k+1) − 2ℓ and ``bic`` = (k+1) log N − 2ℓ
  count σ² as a parameter (``n_params`` = k + 1).
* ``cov`` = σ̂² (JᵀJ)⁻¹, J = ∂f/∂p at p̂ (exact, by autodiff): the inverse Fisher information of p
  (the Gauss–Newton form used by NIST, R's ``nls`` and ``curve_fit``). It is computed from the SVD
  of the column-scaled J, never by inverting JᵀJ formed explicitly.
* ``reference``: the standard normal ("mle") or Student t with N − k degrees of freedom ("dof");
  ``conf_int`` are Wald intervals p̂ ± q·se with its quantile q.

As every :class:`maxlik.results.Result`: ``params``, ``stderr`` and ``conf_int`` are dicts by name;
the estimates as an array (k,) are ``coef``.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from ..results import Result, Z, student_t
from ..status import Status


@dataclass(kw_only=True)
class CurveFitResult(Result):
    """Estimates, uncertainty and convergence status of a nonlinear least-squares (Gaussian) fit.

    Attributes
    ----------
    coef : ndarray (k,)            p̂ (``params`` is the same by name)
    names : tuple[str]             parameter names (``p[0]``, ``p[1]``, … unless given)
    rss : float                    residual sum of squares at p̂
    n : int                        number of observations N
    sigma_convention : str         "mle" (σ̂² = RSS/N) or "dof" (σ̂² = RSS/(N − k))
    converged : bool               True only when p̂ is a verified stationary point with a
                                   full-rank Jacobian (see ``message`` otherwise)
    n_iter : int                   solver iterations (plus Gauss–Newton polishing steps)
    message : str                  status, and the reason for any failure
    residuals : ndarray (N,)       y − f(x, p̂)
    """

    coef: np.ndarray
    names: tuple[str, ...]
    rss: float
    n: int
    sigma_convention: str
    converged: bool = False
    n_iter: int
    message: str
    residuals: np.ndarray = field(repr=False)
    status: Status | None = None
    _xtx_inv: np.ndarray | None = field(default=None, repr=False)  # (JᵀJ)⁻¹, None if singular
    _cov_reason: str | None = field(default=None, repr=False)

    digits = 9

    def __post_init__(self):
        self.coef = np.asarray(self.coef, dtype=float)
        if self.status is None:
            if self.converged:
                self.status = Status.CONVERGED
            elif self._cov_reason == "non-finite Jacobian":
                self.status = Status.NONFINITE
            elif self._xtx_inv is None:
                self.status = Status.RANK_DEFICIENT
            else:
                self.status = Status.MAX_ITER

    # -- sizes and the noise variance ----------------------------------------------------------
    @property
    def params(self) -> dict:
        """name -> estimate."""
        return {name: float(v) for name, v in zip(self.names, self.coef)}

    @property
    def k(self) -> int:
        """Number of regression parameters."""
        return int(self.coef.shape[0])

    @property
    def dof(self) -> int:
        """Residual degrees of freedom N − k."""
        return self.n - self.k

    @property
    def weight(self) -> float:
        return float(self.n)

    @property
    def sigma2(self) -> float:
        """σ̂²: RSS/N ("mle") or RSS/(N − k) ("dof")."""
        return self.rss / (self.n if self.sigma_convention == "mle" else self.dof)

    @property
    def sigma(self) -> float:
        return math.sqrt(self.sigma2)

    @property
    def reference(self):
        """z for "mle"; Student t with N − k degrees of freedom for "dof"."""
        return Z if self.sigma_convention == "mle" else student_t(self.dof)

    # -- likelihood ------------------------------------------------------------------------------
    @property
    def loglik(self) -> float:
        """ℓ = −N/2 (log(2π RSS/N) + 1), maximised over p and σ² (+inf for an exact fit)."""
        if self.rss <= 0:
            return math.inf
        return -0.5 * self.n * (math.log(2.0 * math.pi * self.rss / self.n) + 1.0)

    @property
    def n_params(self) -> int:
        """k + 1: the regression parameters and σ²."""
        return self.k + 1

    # -- the protocol's hooks --------------------------------------------------------------------
    @property
    def title(self) -> str:
        return f"nonlinear regression, Gaussian noise; N={self.n}, k={self.k}"

    @property
    def owner(self) -> str:
        return "fit_curve"

    def _covariance(self):
        """σ̂² (JᵀJ)⁻¹, shape (k, k), labels ``names``; None where J is rank-deficient."""
        if self._xtx_inv is None:
            return None, [], self._cov_reason
        return self.sigma2 * self._xtx_inv, list(self.names), None

    def _details(self) -> list[tuple[str, str]]:
        sig = "RSS/N (MLE)" if self.sigma_convention == "mle" else "RSS/(N-k)"
        return [("iterations", str(self.n_iter)), ("RSS", f"{self.rss:.10g}"), ("sigma^2", f"{self.sigma2:.6g}  [{sig}]")]

    # -- deprecated spellings (one release) ------------------------------------------------------
    @property
    def params_dict(self) -> dict:
        warnings.warn("CurveFitResult.params_dict is deprecated; use params (a dict) or coef (an array).",
                      DeprecationWarning, stacklevel=2)
        return self.params

    @property
    def stderr_dict(self) -> dict:
        warnings.warn("CurveFitResult.stderr_dict is deprecated; use stderr (now a dict).", DeprecationWarning, stacklevel=2)
        return self.stderr

    # -- serialisation -----------------------------------------------------------------------------
    def _extra_dict(self) -> dict:
        return {
            "names": list(self.names), "rss": float(self.rss), "sigma_convention": self.sigma_convention,
            "n_iter": int(self.n_iter), "residuals": np.asarray(self.residuals, dtype=float).tolist(),
            "xtx_inv": None if self._xtx_inv is None else self._xtx_inv.tolist(), "cov_reason": self._cov_reason,
        }

    @classmethod
    def _from_dict(cls, d: dict) -> "CurveFitResult":
        return cls(
            coef=np.asarray([d["params"][k] for k in d["names"]], dtype=float), names=tuple(d["names"]),
            rss=float(d["rss"]), n=int(d["n"]), sigma_convention=d["sigma_convention"], converged=bool(d["converged"]),
            n_iter=int(d["n_iter"]), message=d["message"], residuals=np.asarray(d["residuals"], dtype=float),
            status=Status.parse(d["status"]),
            _xtx_inv=None if d["xtx_inv"] is None else np.asarray(d["xtx_inv"], dtype=float), _cov_reason=d["cov_reason"],
        )


__all__ = ["CurveFitResult"]
