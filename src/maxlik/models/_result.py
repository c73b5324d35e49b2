"""RegressionResult: named coefficients with Wald inference, shared by every regression model.

Given the estimate β̂ (p,) and its covariance V (p, p) (inverse observed information, or
σ̂²(XᵀX)⁻¹ for least squares), standard errors are sqrt(diag V), Wald intervals are
β̂ ± z_{(1+level)/2}·se and z-values are β̂/se. AIC = 2k − 2ℓ, BIC = k·log(n) − 2ℓ with
k = number of estimated scalars (coefficients, plus σ² for Gaussian noise) and n = Σ wₙ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import stats as _sps

from ..criteria import aic, bic, wald_z


@dataclass
class RegressionResult:
    """Fitted regression: ``names`` (p,), ``coef`` (p,), ``cov`` (p, p), ``loglik``, ``n`` (Σ w),
    ``n_params`` (k of AIC/BIC), ``converged``, ``n_iter``, ``method``, ``message``; ``extra``
    holds model-specific scalars shown in the summary header (e.g. ``sigma2``)."""

    model: str
    names: list[str]
    coef: np.ndarray
    cov: np.ndarray
    loglik: float
    n: float
    n_params: int
    converged: bool = True
    n_iter: int = 0
    method: str = ""
    message: str = "converged"
    extra: dict = field(default_factory=dict)

    @property
    def params(self) -> dict:
        """name -> estimate."""
        return dict(zip(self.names, map(float, self.coef)))

    @property
    def stderr(self) -> dict:
        """name -> standard error sqrt(V_jj)."""
        se = np.sqrt(np.clip(np.diag(self.cov), 0.0, None))
        return dict(zip(self.names, map(float, se)))

    @property
    def zvalues(self) -> dict:
        return {k: self.params[k] / s if s > 0 else math.inf for k, s in self.stderr.items()}

    @property
    def pvalues(self) -> dict:
        return {k: float(2.0 * _sps.norm.sf(abs(z))) for k, z in self.zvalues.items()}

    def conf_int(self, level: float = 0.95) -> dict:
        """name -> (lower, upper) Wald interval β̂ ± z·se."""
        z = wald_z(level)
        return {k: (b - z * self.stderr[k], b + z * self.stderr[k]) for k, b in self.params.items()}

    @property
    def aic(self) -> float:
        return aic(self.loglik, self.n_params)

    @property
    def bic(self) -> float:
        return bic(self.loglik, self.n_params, self.n)

    def summary(self, level: float = 0.95) -> str:
        """Plain-text table: estimate, std. error, z, p-value and the Wald interval per coefficient."""
        ci = self.conf_int(level)
        head = [
            f"{self.model}  (method: {self.method}, converged: {self.converged}, iterations: {self.n_iter})",
            f"n = {self.n:g}   log-likelihood = {self.loglik:.6g}   AIC = {self.aic:.6g}   BIC = {self.bic:.6g}",
        ]
        head += [f"{k} = {v:.6g}" if isinstance(v, (int, float)) else f"{k} = {v}" for k, v in self.extra.items()]
        w = max([len("coefficient")] + [len(n) for n in self.names])
        pct = f"{100 * level:g}%"
        cols = f"{'coefficient':<{w}} {'estimate':>12} {'std.err':>11} {'z':>9} {'P>|z|':>9} {pct + ' lower':>12} {pct + ' upper':>12}"
        lines = head + ["-" * len(cols), cols, "-" * len(cols)]
        se, z, p = self.stderr, self.zvalues, self.pvalues
        for k, b in self.params.items():
            lo, hi = ci[k]
            lines.append(f"{k:<{w}} {b:>12.6g} {se[k]:>11.4g} {z[k]:>9.3f} {p[k]:>9.3g} {lo:>12.6g} {hi:>12.6g}")
        lines.append("-" * len(cols))
        if not self.converged:
            lines.append(f"warning: {self.message}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()
