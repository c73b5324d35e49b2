"""Model-comparison criteria and the Wald multiplier, shared by every result type.

    AIC = 2k − 2ℓ̂        BIC = k log n − 2ℓ̂        Wald interval: θ̂ ± z₍₁₊ₗₑᵥₑₗ₎/₂ · se
"""

from __future__ import annotations

import math

from scipy import stats as _sps

from .errors import ParameterError


def aic(loglik: float, k: int) -> float:
    return 2.0 * k - 2.0 * loglik


def bic(loglik: float, k: int, n: float) -> float:
    return k * math.log(n) - 2.0 * loglik


def wald_z(level: float, owner: str = "conf_int") -> float:
    """The standard-normal quantile for a two-sided interval of coverage ``level``."""
    if not 0.0 < float(level) < 1.0:
        raise ParameterError(f"{owner}: level must be in (0, 1); got {level!r}. Use e.g. 0.95.")
    return float(_sps.norm.ppf(0.5 + float(level) / 2.0))
