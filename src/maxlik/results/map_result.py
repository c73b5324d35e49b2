"""MAPResult: what :func:`maxlik.fit` returns with ``prior=`` — the posterior mode.

The same surface as :class:`FitResult` (the parameters are the MAP estimates θ̂_MAP), with

    method = "MAP"        optimizer        the numerical method that found the mode
    loglik                ℓ(θ̂_MAP), the log-likelihood at the mode (not its maximum)
    log_posterior         ℓ(θ̂_MAP) + Σ log pₖ(θ̂ₖ), the maximised objective (up to a constant)
    prior                 name -> the prior in words ("Beta(concentration1=2, concentration0=2)")

Standard errors are the Laplace approximation: the inverse Hessian of −log p(θ | x) at the mode,
mapped through the bijections (delta method) as for the MLE. A profile interval is the
posterior's: {θₖ : log p̂(θ | x) − max over the others of log p(θ | x) ≤ χ²₁/2}. AIC and BIC are
refused: they are likelihood criteria (penalised maxima of ℓ), and θ̂_MAP does not maximise ℓ.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .fit_result import FitResult

WHY_NO_CRITERIA = ("the estimate is a posterior mode (MAP), not the maximum of the likelihood: AIC and BIC "
                   "are likelihood criteria. Refit without prior= to compare models by AIC or BIC")


@dataclass
class MAPResult(FitResult):
    optimizer: str = "newton"
    log_posterior: float = float("nan")
    prior: dict = field(default_factory=dict)
    prior_spec: dict = field(default_factory=dict, repr=False)

    criteria_unavailable = WHY_NO_CRITERIA

    def header(self) -> list[tuple[str, str]]:
        head = [(k, v) for k, v in super().header() if k != "method"]
        priors = "; ".join(f"{k} ~ {v}" for k, v in self.prior.items())
        head.insert(2, ("method", f"MAP (posterior mode), {self.optimizer}"))
        head.insert(3, ("prior", priors + " (other parameters: flat)"))
        i = [k for k, _ in head].index("log-likelihood")
        head.insert(i + 1, ("log-posterior", f"{self.log_posterior:.6g} (ℓ + log prior, up to a constant)"))
        head.append(("std err", "Laplace approximation (inverse Hessian of −log posterior at the mode)"))
        return head

    def _extra_dict(self) -> dict:
        return {**super()._extra_dict(), "optimizer": self.optimizer, "log_posterior": float(self.log_posterior),
                "prior": dict(self.prior), "prior_spec": dict(self.prior_spec)}

    @classmethod
    def _from_dict(cls, d: dict, family=None) -> "MAPResult":
        r = super()._from_dict(d, family)
        r.optimizer, r.log_posterior = d["optimizer"], float(d["log_posterior"])
        r.prior, r.prior_spec = dict(d["prior"]), dict(d["prior_spec"])
        return r
