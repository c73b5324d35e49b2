"""CurveFitResult: what :func:`maxlik.fit_curve` returns.

Model:  yₙ = f(xₙ, p) + εₙ,  εₙ ~ N(0, σ²) i.i.d.,  p of length k, N observations.

* ``rss`` = Σ rₙ²  with  r = y − f(x, p̂).
* ``sigma2`` (σ̂²) = RSS / N  (the maximum likelihood estimate, ``sigma_convention="mle"``, the
  default) or RSS / (N − k)  (``"dof"``: NIST's and ``scipy.optimize.curve_fit``'s residual
  degrees-of-freedom convention).
* ``loglik`` = −N/2 · (log(2π RSS/N) + 1): the log-likelihood maximised over p *and* σ², whatever
  the convention (AIC and BIC need the maximum). ``aic`` = 2(k+1) − 2ℓ and ``bic`` = (k+1) log N − 2ℓ
  count σ² as a parameter.
* ``cov`` = σ̂² (JᵀJ)⁻¹, J = ∂f/∂p at p̂ (exact, by autodiff): the inverse Fisher information of p
  (the Gauss–Newton form used by NIST, R's ``nls`` and ``curve_fit``). It is computed from the SVD
  of the column-scaled J, never by inverting JᵀJ formed explicitly.
* ``conf_int`` are Wald intervals p̂ ± q·se with q the normal quantile ("mle") or the Student-t
  quantile with N − k degrees of freedom ("dof").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import stats as _sps

from .errors import InferenceWarning, ParameterError
from .criteria import aic, bic


@dataclass
class CurveFitResult:
    """Estimates, uncertainty and convergence status of a nonlinear least-squares (Gaussian) fit.

    Attributes
    ----------
    params : ndarray (k,)          p̂
    names : tuple[str]             parameter names (``p[0]``, ``p[1]``, … unless given)
    rss : float                    residual sum of squares at p̂
    n : int                        number of observations N
    sigma_convention : str         "mle" (σ̂² = RSS/N) or "dof" (σ̂² = RSS/(N − k))
    converged : bool               True only when p̂ is a verified stationary point with a
                                   full-rank Jacobian (see ``message`` otherwise)
    n_iter : int                   solver iterations (plus Gauss–Newton polishing steps)
    message : str                  status, and the reason for any failure
    """

    params: np.ndarray
    names: tuple[str, ...]
    rss: float
    n: int
    sigma_convention: str
    converged: bool
    n_iter: int
    message: str
    residuals: np.ndarray = field(repr=False)
    _xtx_inv: np.ndarray | None = field(default=None, repr=False)  # (JᵀJ)⁻¹, None if singular
    _cov_reason: str | None = field(default=None, repr=False)

    # -- sizes and the noise variance ----------------------------------------------------------
    @property
    def k(self) -> int:
        """Number of regression parameters."""
        return int(self.params.shape[0])

    @property
    def dof(self) -> int:
        """Residual degrees of freedom N − k."""
        return self.n - self.k

    @property
    def sigma2(self) -> float:
        """σ̂²: RSS/N ("mle") or RSS/(N − k) ("dof")."""
        return self.rss / (self.n if self.sigma_convention == "mle" else self.dof)

    @property
    def sigma(self) -> float:
        return math.sqrt(self.sigma2)

    @property
    def params_dict(self) -> dict:
        """name -> estimate."""
        return {name: float(v) for name, v in zip(self.names, self.params)}

    # -- likelihood and criteria -----------------------------------------------------------------
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

    @property
    def aic(self) -> float:
        return aic(self.loglik, self.n_params)

    @property
    def bic(self) -> float:
        return bic(self.loglik, self.n_params, self.n)

    # -- uncertainty ----------------------------------------------------------------------------
    @property
    def cov(self) -> np.ndarray | None:
        """σ̂² (JᵀJ)⁻¹, shape (k, k); None (with an InferenceWarning) where J is rank-deficient."""
        if self._xtx_inv is None:
            import warnings

            warnings.warn(f"fit_curve: standard errors unavailable: {self._cov_reason}.", InferenceWarning, stacklevel=2)
            return None
        return self.sigma2 * self._xtx_inv

    @property
    def stderr(self) -> np.ndarray:
        """Standard errors, shape (k,); NaN where unavailable."""
        cov = self.cov
        if cov is None:
            return np.full(self.k, np.nan)
        return np.sqrt(np.clip(np.diag(cov), 0.0, None))

    @property
    def stderr_dict(self) -> dict:
        return {name: float(v) for name, v in zip(self.names, self.stderr)}

    def _quantile(self, level: float) -> float:
        if not 0.0 < level < 1.0:
            raise ParameterError(f"conf_int: level must be in (0, 1); got {level!r}. Use e.g. 0.95.")
        q = 0.5 + level / 2.0
        return float(_sps.norm.ppf(q) if self.sigma_convention == "mle" else _sps.t.ppf(q, self.dof))

    def conf_int(self, level: float = 0.95) -> np.ndarray:
        """Wald intervals, shape (k, 2): p̂ ± q·se (q: normal for "mle", t with N−k dof for "dof")."""
        q = self._quantile(level)
        se = self.stderr
        return np.column_stack([self.params - q * se, self.params + q * se])

    # -- presentation ---------------------------------------------------------------------------
    def summary(self, level: float = 0.95) -> str:
        """A plain-text table of the fit."""
        sig = "RSS/N (MLE)" if self.sigma_convention == "mle" else "RSS/(N-k)"
        head = [
            ("model", f"nonlinear regression, Gaussian noise; N={self.n}, k={self.k}"),
            ("converged", f"{self.converged} ({self.message})"),
            ("iterations", str(self.n_iter)),
            ("RSS", f"{self.rss:.10g}"),
            ("sigma^2", f"{self.sigma2:.6g}  [{sig}]"),
            ("log-likelihood", f"{self.loglik:.6g}"),
            ("AIC / BIC", f"{self.aic:.6g} / {self.bic:.6g}"),
        ]
        lines = [f"{k:>15}: {v}" for k, v in head]
        pct = f"{100 * level:g}%"
        title = f"{'parameter':<16}{'estimate':>16}{'std err':>12}{pct + ' low':>16}{pct + ' high':>16}"
        lines += ["", title, "-" * len(title)]
        if self._xtx_inv is None:
            se = np.full(self.k, np.nan)
            ci = np.column_stack([se, se])
        else:
            se, ci = self.stderr, self.conf_int(level)
        for i, name in enumerate(self.names):
            lines.append(f"{name:<16}{self.params[i]:>16.9g}{se[i]:>12.4g}{ci[i, 0]:>16.9g}{ci[i, 1]:>16.9g}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()
