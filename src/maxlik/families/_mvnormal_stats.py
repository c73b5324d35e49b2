"""Sufficient statistics of the multivariate normal: weight, a compensated mean and the centred
scatter M2 = Σ w (x − mean)(x − mean)ᵀ, merged exactly (Chan–Golub–LeVeque)."""

from __future__ import annotations

import numpy as np

from ._moments import two_sum
from ..errors import ParameterError
from ._base import Stats, frozen


@frozen
class MultivariateNormalStats(Stats):
    """count rows, weight W, mean = mean_hi + mean_lo (d,) (double-double),
    m2 = Σ w (x − mean)(x − mean)ᵀ (d, d)."""

    count: int
    weight: float
    mean_hi: np.ndarray
    mean_lo: np.ndarray
    m2: np.ndarray

    @property
    def dim(self) -> int:
        return int(self.mean_hi.shape[0])

    @property
    def mean(self) -> np.ndarray:
        return self.mean_hi + self.mean_lo

    def merge(self, other: "MultivariateNormalStats") -> "MultivariateNormalStats":
        """Chan–Golub–LeVeque with a compensated mean: exact to rounding, associative."""
        self._check_mergeable(other)
        if other.dim != self.dim:
            raise ParameterError(
                f"MultivariateNormalStats.merge: other must have the same dimension {self.dim}; "
                f"got {other.dim}. Merge statistics of data with the same columns only."
            )
        Wa, Wb = self.weight, other.weight
        if Wb == 0.0:
            return MultivariateNormalStats(self.count + other.count, Wa, self.mean_hi, self.mean_lo, self.m2)
        if Wa == 0.0:
            return MultivariateNormalStats(self.count + other.count, Wb, other.mean_hi, other.mean_lo, other.m2)
        W = Wa + Wb
        dh, dl = two_sum(other.mean_hi, -self.mean_hi)
        delta = dh + (dl + (other.mean_lo - self.mean_lo))
        s, e = two_sum(self.mean_hi, delta * (Wb / W))
        hi, lo = two_sum(s, e + self.mean_lo)
        m2 = self.m2 + other.m2 + np.outer(delta, delta) * (Wa * Wb / W)
        return MultivariateNormalStats(self.count + other.count, W, hi, lo, m2)

    def scatter_about(self, loc: np.ndarray) -> np.ndarray:
        """Σ w (x − loc)(x − loc)ᵀ = M2 + W δδᵀ, δ = mean − loc formed before rounding."""
        delta = (self.mean_hi - loc) + self.mean_lo
        return self.m2 + self.weight * np.outer(delta, delta)
