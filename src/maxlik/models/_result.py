"""RegressionResult: named coefficients with Wald inference, shared by every regression model.

Given the estimate β̂ (p,) and its covariance V (p, p) (inverse observed information, or
σ̂²(XᵀX)⁻¹ for least squares), standard errors are sqrt(diag V), statistics are β̂/se, Wald
intervals are β̂ ± q·se, with q and the p-values from the declared ``reference`` distribution:
the standard normal, or Student t with N − p degrees of freedom where a Gaussian linear model
estimates σ² by RSS/(N − p) (as statsmodels' OLS). AIC and BIC come from :mod:`maxlik.criteria`
with k = ``n_params`` (coefficients, plus σ² for Gaussian noise) and n = Σ wₙ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..results import Reference, Result, Z
from ..status import Status


@dataclass(kw_only=True)
class RegressionResult(Result):
    """Fitted regression: ``names`` (p,), ``coef`` (p,), ``cov`` (p, p), ``loglik``, ``n`` (rows),
    ``weight`` (Σ w; defaults to n), ``n_params`` (k of AIC/BIC), ``status`` (``converged`` derives from it), ``n_iter``,
    ``method``, ``message``, ``reference``; ``extra`` holds model-specific scalars shown
    in the summary header (e.g. ``sigma2``)."""

    model: str
    names: list[str]
    coef: np.ndarray
    cov: np.ndarray = None
    loglik: float
    n: float
    weight: float | None = None
    n_params: int
    status: Status = Status.CLOSED_FORM
    n_iter: int = 0
    method: str = ""
    message: str = "converged"
    reference: Reference = Z
    extra: dict = field(default_factory=dict)
    # the rows and the refit behind bootstrap() (set by the estimator's fit on data in memory)
    _resample: object = field(default=None, repr=False, compare=False)

    show_tests = True

    def __post_init__(self):
        self.coef = np.asarray(self.coef, dtype=float)
        self.cov = np.asarray(self.cov, dtype=float)
        if self.weight is None:
            self.weight = float(self.n)

    def bootstrap(self, n_boot: int = 999, kind: str = "nonparametric", seed=None, progress="auto"):
        """``n_boot`` replicates of the coefficients from the rows (xₙ, yₙ, wₙ) resampled with
        replacement, the estimator refitted on each (one by one: a loop, with a progress bar on a
        terminal when it takes long); a :class:`maxlik.BootstrapResult`."""
        from ..bootstrap import bootstrap

        return bootstrap(self, n_boot=n_boot, kind=kind, seed=seed, progress=progress)

    @property
    def params(self) -> dict:
        """name -> estimate."""
        return dict(zip(self.names, map(float, self.coef)))

    @property
    def title(self) -> str:
        return self.model

    @property
    def owner(self) -> str:
        return self.model.split(" ")[0]

    def _covariance(self):
        return self.cov, list(self.names), None

    @property
    def zvalues(self) -> dict:
        """name -> β̂ / se: the test statistic of β = 0 (z or t, see ``reference``)."""
        return {k: self.params[k] / s if s > 0 else math.inf for k, s in self.stderr.items()}

    @property
    def pvalues(self) -> dict:
        """name -> two-sided p-value of β = 0 under the ``reference`` distribution."""
        return {k: self.reference.pvalue(z) for k, z in self.zvalues.items()}

    def _details(self) -> list[tuple[str, str]]:
        extra = [(k, f"{v:.6g}" if isinstance(v, (int, float)) else str(v)) for k, v in self.extra.items()]
        return [("method", self.method), ("iterations", str(self.n_iter)), *extra]

    def _extra_dict(self) -> dict:
        return {"model": self.model, "names": list(self.names), "coef": self.coef.tolist(), "n_iter": int(self.n_iter),
                "method": self.method, "extra": {k: (float(v) if isinstance(v, (int, float)) else v) for k, v in self.extra.items()}}

    @classmethod
    def _from_dict(cls, d: dict) -> "RegressionResult":
        return cls(model=d["model"], names=list(d["names"]), coef=np.asarray(d["coef"], dtype=float),
                   cov=np.asarray(d["cov"], dtype=float), loglik=float(d["loglik"]), n=d["n"], weight=float(d["weight"]),
                   n_params=int(d["n_params"]), n_iter=int(d["n_iter"]),
                   method=d["method"], message=d["message"], status=Status.parse(d["status"]),
                   reference=Reference.from_dict(d["reference"]), extra=dict(d["extra"]))
