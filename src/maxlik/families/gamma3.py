"""Three-parameter gamma: ``concentration`` k, ``rate`` β and threshold ``loc``
(scipy ``gamma(a=k, loc=loc, scale=1/β)``; ``maxlik.Gamma(threshold=True)``).

    log p(x | k, β, loc) = k log β + (k − 1) log z − β z − log Γ(k),   z = x − loc > 0

Fitted through the profile over loc and the gap family (:mod:`maxlik.families._threshold`,
:mod:`maxlik.threshold_fit`). For k < 1 the density is infinite at loc, so the likelihood is
unbounded as loc → min(x); a maximum exists only with k > 1 (standard asymptotics for k > 2).

Derivatives: ∂k = log β + log z − ψ(k), ∂β = k/β − z, ∂kk = −ψ′(k), ∂kβ = 1/β, ∂ββ = −k/β²;
∂z = (k − 1)/z − β, ∂zz = −(k − 1)/z², ∂z∂k = 1/z, ∂z∂β = −1.
"""

from __future__ import annotations

import math

import numpy as np

from ._registry import register
from ._threshold import LOC, ThresholdFamily, assemble_z
from .gamma import Gamma


@register
class Gamma3(ThresholdFamily):
    name = "gamma3"
    scale_exponents = {"concentration": 0, "rate": -1, "loc": 1}
    base = "gamma"
    shape = "concentration"
    params = (*Gamma.params, LOC)

    def _derivatives_z(self, theta, z):
        from scipy.special import digamma, gammaln, polygamma  # here: importing scipy.special takes ~0.4 s

        k, rate = float(theta["concentration"]), float(theta["rate"])
        log_z = np.log(z)
        lp = k * math.log(rate) + (k - 1.0) * log_z - rate * z - float(gammaln(k))
        return (lp, *assemble_z(
            z.shape[0],
            [math.log(rate) + log_z - float(digamma(k)), k / rate - z],
            [[-float(polygamma(1, k)), 1.0 / rate], [-k / (rate * rate)]],
            (k - 1.0) / z - rate, -(k - 1.0) / (z * z), [1.0 / z, -1.0]))
