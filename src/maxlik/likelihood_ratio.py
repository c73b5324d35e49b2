"""Likelihood-ratio test between nested fits.

    LR = 2 (ℓ_full − ℓ_restricted),   df = k_full − k_restricted,   p = P(χ²_df ≥ LR)

(Wilks' theorem; valid when the restricted model is the full one with parameters held at values
inside their domain. At a boundary, e.g. testing a mixing weight = 0, the χ² p-value is
conservative.)

A restricted model that is the full family's *limit* (the Normal is Student's t with df = ∞,
``Family.limit``) is the null value on the edge of the domain: one parameter on its boundary, so
LR is distributed as ½χ²₀ + ½χ²₁ (Self & Liang 1987) and p = ½ P(χ²₁ ≥ LR) for LR > 0, 1 at LR = 0.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass

from scipy import special as _special

from .errors import InferenceWarning, ParameterError
from .results import SUMMARY_WIDTH, wrap_text


@dataclass(frozen=True)
class LRTResult:
    """``statistic`` LR, ``df``, ``pvalue`` = P(χ²_df ≥ LR) (the test's reference distribution)."""

    statistic: float
    df: int
    pvalue: float
    #: the reference is ½χ²₀ + ½χ²₁ (the restricted model is the full family's limit, on its boundary)
    mixture: bool = False

    def __iter__(self):  # allows ``stat, df, p = maxlik.lrt(r0, r1)``
        return iter((self.statistic, self.df, self.pvalue))

    def summary(self) -> str:
        """The test and its reference distribution, each wrapped to 80 columns."""
        lines = [f"likelihood-ratio test: LR = {self.statistic:.6g}, df = {self.df}, p = {self.pvalue:.4g}",
                 (f"reference: ½χ²₀ + ½χ²₁ (the restricted model is the full one's limit, on the edge of its domain)"
                  if self.mixture else f"reference: chi-squared with {self.df} degrees of freedom")]
        return "\n".join(part for text in lines for part in wrap_text(text, SUMMARY_WIDTH, "", "  "))

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict:
        ref = {"name": "chi2-mixture", "weights": [0.5, 0.5], "df": [0, 1]} if self.mixture else {"name": "chi2", "df": int(self.df)}
        return {"type": "LRTResult", "statistic": float(self.statistic), "df": int(self.df), "pvalue": float(self.pvalue),
                "reference": ref}

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, d: dict) -> "LRTResult":
        mixture = (d.get("reference") or {}).get("name") == "chi2-mixture"
        return cls(float(d["statistic"]), int(d["df"]), float(d["pvalue"]), mixture)


def lrt(restricted, full) -> LRTResult:
    """Likelihood-ratio test of ``restricted`` (fewer free parameters) against ``full``.

    Both must be fits of the same data (same n and total weight) and, for registered families,
    of the same family (a restricted fit is typically ``fit(x, fam, fixed={...})``).
    """
    if restricted.n != full.n or not math.isclose(restricted.weight, full.weight, rel_tol=1e-12):
        raise ParameterError(
            f"lrt: both fits must use the same data; got n = {restricted.n} (total weight {restricted.weight:g}) "
            f"and n = {full.n} (total weight {full.weight:g}). Fit both models to the same observations."
        )
    custom = {"loglik"}
    limit = getattr(full.family, "limit", None)
    at_limit = limit is not None and restricted.family.name == limit[1] and limit[0] not in full.fixed
    if (not at_limit and restricted.family.name not in custom and full.family.name not in custom
            and type(restricted.family) is not type(full.family)):
        raise ParameterError(
            f"lrt: restricted and full must be nested fits of one family; got {restricted.family.display_name} "
            f"and {full.family.display_name}. Hold parameters fixed (fit(..., fixed={{...}})) to build the "
            "restricted model, or compare non-nested models with AIC (maxlik.compare)."
        )
    df = full.n_params - restricted.n_params
    if df < 1:
        raise ParameterError(
            f"lrt: full must have more free parameters than restricted; got {full.n_params} and "
            f"{restricted.n_params}. Pass the restricted fit first: lrt(restricted, full)."
        )
    stat = 2.0 * (full.loglik - restricted.loglik)
    if stat < 0:
        if stat < -1e-6 * max(1.0, abs(full.loglik)):
            warnings.warn(
                f"lrt: the full fit has a lower log-likelihood than the restricted one ({full.loglik:.6g} < "
                f"{restricted.loglik:.6g}); the full fit did not reach its maximum. Refit it (more "
                "iterations, n_init > 1). The statistic is set to 0.",
                InferenceWarning,
                stacklevel=2,
            )
        stat = 0.0
    if at_limit and df == 1:
        return LRTResult(float(stat), 1, 0.5 * float(_special.chdtrc(1, stat)) if stat > 0 else 1.0, mixture=True)
    return LRTResult(float(stat), int(df), float(_special.chdtrc(df, stat)))
