"""How a family's parameters move with the scale of its data, and the exact rescaling built on it.

A scale family declares ``scale_exponents``: for data multiplied by c > 0, its MLE moves as

    θ(c·x) = c^e · θ(x)          e = 1 for a location or a scale, −1 for a rate, 0 for a shape
    θ(c·x) = θ(x) + log c         e = LOG: the location of log x (the log-normal's ``loc``, ``mu``)

and its density as p(c·x | θ(c·x)) = p(x | θ(x)) / c, so a log-likelihood with weights wₙ moves by
−W·log c (W = Σ wₙ). A family that is not a scale family (counts, probabilities, angles, a
vector family) declares None.

:class:`Rescaling` is one such change of units with c = 2^log2: multiplying a float by a power of
two is exact (short of overflow or underflow), so the fit on x / c, mapped back, is the fit on x
to the last bit of the mapping. It maps parameters, intervals, standard errors and the
log-likelihood between the user's units ("user") and the units of the fit ("scaled").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ParameterError

#: the exponent of a parameter that shifts by log c instead of scaling (the log-normal's loc)
LOG = "log"


def scale_exponents_of(family) -> dict | None:
    """``family.scale_exponents`` (a family or its class) checked against its parameters: one entry
    per parameter, each an integer or LOG; None for a family that is not a scale family."""
    rules = getattr(family, "scale_exponents", None)
    if rules is None:
        return None
    names = {p.name for p in family.params}
    bad = [k for k, e in rules.items() if not (e == LOG or isinstance(e, int))]
    if set(rules) != names or bad:
        raise ParameterError(
            f"{getattr(family, '__name__', type(family).__name__)}: scale_exponents must give an integer or 'log' for each of "
            f"{sorted(names)}; got {rules!r}. Declare one entry per parameter, or None.")
    return dict(rules)


@dataclass(frozen=True)
class Rescaling:
    """Data divided by c = 2^log2 before the fit; ``exponents`` as ``Family.scale_exponents``."""

    log2: int
    exponents: dict = field(default_factory=dict)

    @property
    def log_c(self) -> float:
        """log c = log2 · log 2."""
        return self.log2 * math.log(2.0)

    def factor(self, name: str) -> float:
        """dθ_user / dθ_scaled: c^e (1 for a LOG parameter or an unknown name)."""
        e = self.exponents.get(name, 0)
        return 1.0 if e == LOG else math.ldexp(1.0, e * self.log2)

    def _move(self, name: str, v, sign: int):
        e = self.exponents.get(name, 0)
        if e == LOG:
            out = np.asarray(v, dtype=float) + sign * self.log_c
        else:
            with np.errstate(over="ignore", under="ignore"):
                out = np.ldexp(np.asarray(v, dtype=float), sign * e * self.log2)
        return float(out) if np.ndim(out) == 0 else out

    def to_user(self, name: str, v):
        """θ_user from θ_scaled (scalar or array)."""
        return self._move(name, v, 1)

    def to_scaled(self, name: str, v):
        """θ_scaled from θ_user (scalar or array)."""
        return self._move(name, v, -1)

    def params_to_user(self, params: dict) -> dict:
        return {k: self.to_user(k, v) for k, v in params.items()}

    def params_to_scaled(self, params: dict | None) -> dict | None:
        """The scaled values of ``params`` (names the family does not have pass through, for its error)."""
        if params is None:
            return None
        return {k: self.to_scaled(k, v) if k in self.exponents else v for k, v in params.items()}

    def intervals_to_user(self, intervals: dict) -> dict:
        """{name: (low, high, *rest)} mapped (c^e > 0 keeps the order of the ends)."""
        return {k: (self.to_user(k, lo), self.to_user(k, hi), *rest) for k, (lo, hi, *rest) in intervals.items()}

    def data_to_scaled(self, x) -> np.ndarray:
        """x / c, exactly (x an array of floats)."""
        return np.ldexp(np.asarray(x, dtype=float), -self.log2)

    def data_to_user(self, x) -> np.ndarray:
        with np.errstate(over="ignore"):
            return np.ldexp(np.asarray(x, dtype=float), self.log2)

    def loglik_to_user(self, loglik: float, weight: float) -> float:
        """ℓ_user = ℓ_scaled − W·log c (each density is divided by c)."""
        return float(loglik) - float(weight) * self.log_c

    def cov_to_user(self, cov: np.ndarray, labels) -> np.ndarray:
        """cov_user[i, j] = fᵢ·fⱼ·cov_scaled[i, j], f = ``factor`` of each label; entries beyond
        float64 (a variance of data near 1e300) come out inf or 0: use the standard errors."""
        f = np.asarray([self.factor(k) for k in labels], dtype=float)
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            return (np.asarray(cov, dtype=float) * f[:, None]) * f[None, :]

    def to_dict(self) -> dict:
        return {"log2": int(self.log2), "exponents": dict(self.exponents)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Rescaling":
        return cls(int(d["log2"]), dict(d["exponents"]))
