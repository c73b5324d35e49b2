"""Student's t distribution (``df`` ν, ``loc`` μ, ``scale`` σ; scipy ``t(df, loc, scale)``).

    log p(x | ν, μ, σ) = log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) − log σ
                         − (ν+1)/2 · log(1 + z²/ν),   z = (x − μ) / σ

No closed form: fitted numerically (all three parameters, or any subset with the others fixed).
Robust starting point: ν = 5, μ = median, σ = IQR / (2 t₅⁻¹(0.75)) (the quartiles of t₅ lie
at ±0.7267 σ). As ν → ∞ the family tends to the normal; data lighter-tailed than any t give
an MLE of ν that runs off to infinity, which the optimizer reports as non-convergence.
"""

from __future__ import annotations

import math

import numpy as np

from .. import constraints as C
from ._base import Family, Param, jnp
from ._registry import register
from ._start import median_iqr

T5_Q75 = 0.7266868438004231  # scipy.stats.t.ppf(0.75, 5)


@register
class StudentT(Family):
    name = "student_t"
    params = (
        Param("df", C.positive, "degrees of freedom ν", typical=(1.0, 30.0)),
        Param("loc", C.real, "centre (median; mean when ν > 1)", typical=(-5.0, 5.0)),
        Param("scale", C.positive, "scale σ", typical=(0.1, 10.0)),
    )
    support = C.real

    def log_prob(self, params, x):
        from jax.scipy.special import gammaln  # here, not at the top: importing the family loads no JAX
        df, loc, scale = params["df"], params["loc"], params["scale"]
        z = (x - loc) / scale
        norm = gammaln(0.5 * (df + 1.0)) - gammaln(0.5 * df) - 0.5 * jnp.log(df * math.pi) - jnp.log(scale)
        return norm - 0.5 * (df + 1.0) * jnp.log1p(z * z / df)

    def sample(self, params, n, seed=None):
        df, loc, scale = (float(params[k]) for k in ("df", "loc", "scale"))
        return loc + scale * np.random.default_rng(seed).standard_t(df, size=n)

    def init(self, x, weights=None):
        med, iqr = median_iqr(x, weights)
        scale = iqr / (2.0 * T5_Q75)
        if not scale > 0:
            scale = max(float(np.std(x)), 1e-8 * max(1.0, abs(med)))
        return {"df": 5.0, "loc": med, "scale": scale}
