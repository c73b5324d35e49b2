"""Limit: the model a family tends to when one parameter runs to the edge of its domain.

Student's t with ν → ∞ is the Normal. When the data show no heavier tails than a Normal, the
likelihood of the t increases all the way to ν = ∞ (to first order in 1/ν it changes by
(n/4)(kurtosis − 3)/ν, with the kurtosis of the data about the Normal MLE), so there is no interior
maximum: the supremum is the Normal's likelihood, attained only in the limit. A family declares
such a limit by returning a :class:`Limit` from ``Family.limit_fit``; the numerical engine compares
the limit's log-likelihood with its own optimum and reports ``Status.BOUNDARY`` when the limit is
at least as good. The hook receives ``stats_of(limit_family) -> Stats`` (the sufficient
statistics of the data, from an array or in one pass over a source), so that a fit read in
passes reaches the same limit as the array fit.

A Limit holds the limit model's fit, in plain values:

    param, edge        the parameter that runs off and where to (``"df"``, ``inf``)
    meaning            what that says about the data, in words
    family, params     the limiting model and its MLE (Normal: loc, scale)
    loglik             its log-likelihood (the supremum of the family's)
    cov, labels        covariance of the limit's free parameters (observed information) and labels;
                       ``stderr`` gives {label: √(cov diagonal)}
    at_edge            the family's own parameters at the limit (``{"df": inf, "loc": …, "scale": …}``;
                       the negative binomial's ``{"total_count": inf, "probs": 0}``, whose limit's
                       parameter is the Poisson rate, a name the family does not have)

``LIMIT_TOL`` = 1e-6 nats: a gain over the limit below it is a likelihood-ratio statistic under
2e-6 (p = 1 to five digits against ½χ²₀ + ½χ²₁), no evidence of an interior maximum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

LIMIT_TOL = 1e-6


@dataclass(frozen=True)
class Limit:
    param: str
    edge: float
    meaning: str
    family: Any
    params: dict
    loglik: float
    at_edge: dict
    cov: np.ndarray | None = field(default=None, repr=False)
    labels: tuple[str, ...] = ()

    @property
    def stderr(self) -> dict:
        """label -> standard error of the limit's free parameters (√ of the covariance's diagonal);
        {} without a covariance."""
        if self.cov is None:
            return {}
        return dict(zip(self.labels, (float(s) for s in np.sqrt(np.clip(np.diag(self.cov), 0.0, None)))))

    @property
    def edge_text(self) -> str:
        """The edge in words for messages: "∞", or the value."""
        return "∞" if self.edge == float("inf") else f"{self.edge:g}"

    def to_dict(self) -> dict:
        """Plain values (JSON-ready): what ``FitResult.to_dict`` stores under "limit" (the
        covariance travels as the result's own, which it is)."""
        return {"param": self.param, "edge": float(self.edge), "meaning": self.meaning, "family": self.family.name,
                "params": {k: float(v) for k, v in self.params.items()}, "loglik": float(self.loglik),
                "at_edge": {k: float(v) for k, v in self.at_edge.items()}}


def at_limit(family, stats_of, fixed: dict, loglik: float, tol: float = LIMIT_TOL) -> Limit | None:
    """The family's Limit fitted to the data when it is at least as likely as an optimum with
    log-likelihood ``loglik`` (less ``tol``: LIMIT_TOL, times the mean weight where weights average
    below 1, as the engine's convergence rule), else None (no limit declared, or an interior
    maximum). ``stats_of(limit_family)`` gives the limit family's sufficient statistics of the
    data (an array's, or merged over a source's chunks: the limits are closed-form families)."""
    limit = family.limit_fit(stats_of, fixed)
    if limit is None or not limit.loglik >= loglik - tol:
        return None
    return limit
