"""Model-comparison criteria and the confidence-level check, shared by every result type.

    AIC = 2k − 2ℓ̂        BIC = k log n − 2ℓ̂        (n: the total weight Σ wₙ)

These are the only implementations in maxlik: every result's ``aic`` / ``bic`` and every table
(``compare``, ``select_mixture``) calls them.
"""

from __future__ import annotations

import math
from statistics import NormalDist  # (not scipy: importing scipy.special alone takes ~0.4 s)

from .errors import ParameterError

_STANDARD_NORMAL = NormalDist()


def aic(loglik: float, k: int) -> float:
    """Akaike's criterion 2k − 2ℓ̂ (smaller is better)."""
    return 2.0 * k - 2.0 * loglik


def bic(loglik: float, k: int, n: float) -> float:
    """Schwarz's criterion k log n − 2ℓ̂ (smaller is better); n is the sample size Σ wₙ."""
    return k * math.log(n) - 2.0 * loglik


def check_level(level, owner: str = "conf_int") -> float:
    """``level`` as a float in (0, 1), else a ParameterError."""
    if not 0.0 < float(level) < 1.0:
        raise ParameterError(f"{owner}: level must be in (0, 1); got {level!r}. Use e.g. 0.95.")
    return float(level)


def wald_z(level: float, owner: str = "conf_int") -> float:
    """The standard-normal quantile z₍₁₊ₗₑᵥₑₗ₎/₂ of a two-sided interval of coverage ``level``
    (Wichura's AS 241, as ``statistics.NormalDist``: within 1e-15 relative of scipy's ndtri)."""
    p = 0.5 + check_level(level, owner) / 2.0
    return _STANDARD_NORMAL.inv_cdf(p) if p < 1.0 else math.inf  # (a level within 1 ulp of 1)
