"""The reference distribution of a result's Wald tests and intervals.

Every result declares one (``result.reference``) and states it in its summary:

* ``Z`` — the standard normal, the large-sample distribution of (θ̂ − θ)/se for any regular MLE
  (the default);
* ``student_t(df)`` — Student's t with ``df`` residual degrees of freedom, exact for a Gaussian
  linear model whose σ² is estimated by RSS/(N − k) (as statsmodels' OLS and R's ``lm``), and the
  usual convention for nonlinear least squares with that σ̂² (NIST, ``curve_fit``).

Interval: θ̂ ± q·se with q = F⁻¹((1 + level)/2).   Two-sided p-value of t = θ̂/se: 2·(1 − F(|t|)).

The standard normal needs only the standard library (z p-value erfc(|z|/√2)); scipy.special is
imported for Student t only, so that a closed-form fit's summary stays light.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..criteria import check_level, wald_z
from ..errors import ParameterError


@dataclass(frozen=True)
class Reference:
    """``df=None``: the standard normal (z); else Student's t with ``df`` degrees of freedom."""

    df: float | None = None

    def __post_init__(self):
        if self.df is not None and not (float(self.df) > 0 and math.isfinite(float(self.df))):
            raise ParameterError(f"Reference: df must be a positive finite number; got {self.df!r}.")

    @property
    def name(self) -> str:
        """"z" or "t" (the column heading of the test statistic)."""
        return "z" if self.df is None else "t"

    def quantile(self, level: float, owner: str = "conf_int") -> float:
        """q with P(|T| ≤ q) = level."""
        if self.df is None:
            return wald_z(level, owner)
        from scipy.special import stdtrit

        return float(stdtrit(self.df, 0.5 + check_level(level, owner) / 2.0))

    def pvalue(self, statistic: float) -> float:
        """Two-sided p-value P(|T| ≥ |statistic|)."""
        s = abs(float(statistic))
        if self.df is None:
            return math.erfc(s / math.sqrt(2.0)) if not math.isnan(s) else math.nan
        from scipy.special import stdtr

        return float(2.0 * stdtr(self.df, -s))

    def describe(self) -> str:
        """One line for a summary, e.g. "Student t, 37 degrees of freedom"."""
        if self.df is None:
            return "standard normal (z)"
        return f"Student t, {self.df:g} degrees of freedom (t)"

    def to_dict(self) -> dict:
        return {"name": self.name, "df": None if self.df is None else float(self.df)}

    @classmethod
    def from_dict(cls, d: dict | None) -> "Reference":
        return Z if not d or d.get("df") is None else cls(float(d["df"]))


Z = Reference()


def student_t(df: float) -> Reference:
    """Student's t reference with ``df`` residual degrees of freedom."""
    return Reference(float(df))
