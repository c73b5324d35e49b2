"""von Mises distribution on the circle (``loc`` μ, ``concentration`` κ; scipy
``vonmises(kappa=κ, loc=μ)``).

    log p(x | μ, κ) = κ cos(x − μ) − log(2π I₀(κ))
                    = κ (cos(x − μ) − 1) − log(2π · i0e(κ))     (i0e(κ) = e^(−κ) I₀(κ); no overflow)

Data are angles in radians in the closed interval [−π, π] (wrap others with
``numpy.angle(numpy.exp(1j * x))``). ``loc`` is any real number: the density depends on it
modulo 2π, and fits start at the circular mean in (−π, π], so estimates come out near it.

No closed form for κ (the MLE solves A(κ) = I₁(κ)/I₀(κ) = R̄): fitted numerically, with
μ = atan2(S̄, C̄) (the circular mean, which is also the MLE of μ) and κ from Best and Fisher's
(1981) approximation to A⁻¹(R̄), R̄ = √(C̄² + S̄²) the mean resultant length.
"""

from __future__ import annotations

import math

import numpy as np

from .. import constraints as C
from .._validation import as_data
from ..errors import SupportError
from ._base import Family, Param, jnp
from ._registry import register
from ._start import weights_or_ones

LOG_2PI = math.log(2.0 * math.pi)


def kappa_from_resultant(R: float) -> float:
    """Best & Fisher (1981) approximation to the inverse of A(κ) = I₁(κ) / I₀(κ)."""
    if R < 0.53:
        k = 2.0 * R + R**3 + 5.0 * R**5 / 6.0
    elif R < 0.85:
        k = -0.4 + 1.39 * R + 0.43 / (1.0 - R)
    else:
        k = 1.0 / max(R**3 - 4.0 * R**2 + 3.0 * R, 1e-12)
    return min(max(k, 1e-3), 1e8)


@register
class VonMises(Family):
    name = "von_mises"
    params = (
        Param("loc", C.real, "mean direction μ (radians; defined modulo 2π)", typical=(-3.0, 3.0)),
        Param("concentration", C.positive, "concentration κ (≈ 1 / variance for large κ)", typical=(0.1, 50.0)),
    )
    support = C.Interval(-math.pi, math.pi, closed=True)

    def validate_data(self, x):
        arr = as_data(x, self.display_name, self.event_ndim)
        bad = ~self.support.check(arr)
        if bad.any():
            i = int(np.argmax(bad))
            raise SupportError(
                f"VonMises: data must be angles in radians in [-pi, pi]; got {int(bad.sum())} value(s) "
                f"outside (first at row {i}: {arr[i]:g}). Wrap angles with numpy.angle(numpy.exp(1j * x)), "
                "and convert degrees with numpy.deg2rad first."
            )
        return arr

    def log_prob(self, params, x):
        from jax.scipy.special import i0e  # here, not at the top: importing the family loads no JAX
        loc, kappa = params["loc"], params["concentration"]
        return kappa * (jnp.cos(x - loc) - 1.0) - LOG_2PI - jnp.log(i0e(kappa))

    def sample(self, params, n, seed=None):
        loc, kappa = float(params["loc"]), float(params["concentration"])
        draws = np.random.default_rng(seed).vonmises(loc, kappa, size=n)
        return np.angle(np.exp(1j * draws))  # numpy returns [−π, π] already; this keeps it so for any loc

    def init(self, x, weights=None):
        w = weights_or_ones(x, weights)
        c, s = float(np.dot(w, np.cos(x)) / w.sum()), float(np.dot(w, np.sin(x)) / w.sum())
        return {"loc": math.atan2(s, c), "concentration": kappa_from_resultant(math.hypot(c, s))}
