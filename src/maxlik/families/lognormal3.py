"""Three-parameter log-normal: log(x − loc) ~ Normal(``mu``, ``sigma``), threshold ``loc``
(scipy ``lognorm(s=sigma, loc=loc, scale=exp(mu))``; ``maxlik.LogNormal(threshold=True)``).

    log p(x | mu, sigma, loc) = −½ log(2π) − log sigma − log z − r²/2,   z = x − loc,  r = (log z − mu)/sigma

The two-parameter LogNormal calls mu and sigma ``loc`` and ``scale``; here ``loc`` is the
threshold, as in scipy. The likelihood is unbounded as loc → min(x) for every sigma (Hill 1963,
JRSS B 25:72): the estimate is the local maximum of the profile over loc, when there is one
(:mod:`maxlik.threshold_fit`).

Derivatives: ∂mu = r/σ, ∂σ = (r² − 1)/σ, ∂mu² = −1/σ², ∂mu∂σ = −2r/σ², ∂σ² = (1 − 3r²)/σ²;
∂z = −(1 + r/σ)/z, ∂zz = (1 + r/σ − 1/σ²)/z², ∂z∂mu = 1/(σ² z), ∂z∂σ = 2r/(σ² z).
"""

from __future__ import annotations

import math

import numpy as np

from .. import constraints as C
from ._base import Param
from ._registry import register
from ._threshold import LOC, ThresholdFamily, assemble_z
from ._scale_rules import LOG

LOG_2PI = math.log(2.0 * math.pi)


@register
class LogNormal3(ThresholdFamily):
    name = "lognormal3"
    scale_exponents = {"mu": LOG, "sigma": 0, "loc": 1}
    base = "lognormal"
    params = (
        Param("mu", C.real, "mean of log(x − loc)", typical=(-2.0, 2.0)),
        Param("sigma", C.positive, "standard deviation of log(x − loc)", typical=(0.1, 2.0)),
        LOC,
    )

    def base_params(self, params):
        return {"loc": params["mu"], "scale": params["sigma"]}

    def from_base_params(self, params):
        return {"mu": params["loc"], "sigma": params["scale"]}

    def _derivatives_z(self, theta, z):
        mu, s = float(theta["loc"]), float(theta["scale"])
        y = np.log(z)
        r = (y - mu) / s
        lp = -0.5 * LOG_2PI - math.log(s) - y - 0.5 * r * r
        return (lp, *assemble_z(
            z.shape[0],
            [r / s, (r * r - 1.0) / s],
            [[-1.0 / (s * s), -2.0 * r / (s * s)], [(1.0 - 3.0 * r * r) / (s * s)]],
            -(1.0 + r / s) / z, (1.0 + r / s - 1.0 / (s * s)) / (z * z), [1.0 / (s * s * z), 2.0 * r / (s * s * z)]))
