"""Three-parameter Weibull: ``concentration`` k, ``scale`` λ and threshold ``loc``
(scipy ``weibull_min(c=k, loc=loc, scale=λ)``; ``maxlik.Weibull(threshold=True)``).

    log p(x | k, λ, loc) = log k − log λ + (k − 1) w − e^(k w),   w = log(x − loc) − log λ,   x > loc

Fitted through the profile over loc and the gap family (:mod:`maxlik.families._threshold`,
:mod:`maxlik.threshold_fit`). For k < 1 the density is infinite at loc, so the likelihood is
unbounded as loc → min(x); a maximum exists only with k > 1, and its standard errors follow the
usual asymptotics only for k > 2 (Smith 1985, Biometrika 72:67).

Derivatives in z = x − loc (t = e^(k w)):
    ∂z = (k − 1 − k t)/z,   ∂zz = −(k − 1)(1 + k t)/z²,
    ∂z∂k = (1 − t − k w t)/z,   ∂z∂λ = k² t/(λ z)
"""

from __future__ import annotations

import numpy as np

from ._registry import register
from ._threshold import LOC, ThresholdFamily
from .weibull import Weibull


@register
class Weibull3(ThresholdFamily):
    name = "weibull3"
    scale_exponents = {"concentration": 0, "scale": 1, "loc": 1}
    base = "weibull"
    shape = "concentration"
    params = (*Weibull.params, LOC)

    def _derivatives_z(self, theta, z):
        k, lam = float(theta["concentration"]), float(theta["scale"])
        lp, d1, d2 = Weibull().log_prob_derivatives(theta, z)
        w = np.log(z) - np.log(lam)
        t = np.exp(k * w)
        dz = (k - 1.0 - k * t) / z
        dzz = -(k - 1.0) * (1.0 + k * t) / (z * z)
        dzt = np.stack([(1.0 - t - k * w * t) / z, k * k * t / (lam * z)], axis=1)
        return lp, d1, d2, dz, dzz, dzt
