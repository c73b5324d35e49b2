"""Beta distribution (``concentration1`` a, ``concentration0`` b; torch convention, scipy
``beta(a, b)``).

    log p(x | a, b) = (a − 1) log x + (b − 1) log(1 − x) − log B(a, b),   0 < x < 1

No closed form: fitted numerically. Starting point by the method of moments: with mean m and
variance v, c = m (1 − m) / v − 1, a = m c, b = (1 − m) c.
"""

from __future__ import annotations

import numpy as np

from .. import constraints as C
from .._xp import namespace
from ._base import Family, Param, jnp
from ._cdf import betainc, log_betainc, log_betaincc
from ._degenerate import require_spread
from ._derivatives import assemble, on_runs, per_row, shift_diff
from ._registry import register
from ._start import mean_var


def _tail_quantile(a, b, q):
    """x with I_x(a, b) = q for q < 1e-300 (where scipy's betaincinv gives NaN): from
    I_x(a, b) = xᵃ / (a B(a, b)) · (1 + O(x)), x = (q a B(a, b))^(1/a)."""
    from scipy.special import betaln

    return np.exp((np.log(q) + np.log(a) + betaln(a, b)) / a)


@register
class Beta(Family):
    name = "beta"
    params = (
        Param("concentration1", C.positive, "a, the exponent of x", typical=(0.5, 10.0)),
        Param("concentration0", C.positive, "b, the exponent of 1 − x", typical=(0.5, 10.0)),
    )
    support = C.unit_interval
    derivatives_broadcast = True

    def check_estimable(self, x, weights=None, fixed=None):
        # a and b grow together, their ratio held at x / (1 - x): a spike at the common value
        require_spread(self, x, weights, fixed, "concentration1", "finite", "concentration0")

    def log_prob(self, params, x):
        from jax.scipy.special import gammaln  # here, not at the top: importing the family loads no JAX
        a, b = params["concentration1"], params["concentration0"]
        log_beta = gammaln(a) + gammaln(b) - gammaln(a + b)
        return (a - 1.0) * jnp.log(x) + (b - 1.0) * jnp.log1p(-x) - log_beta

    def log_prob_derivatives(self, params, x):
        """NumPy (lp, d1, d2) in the order (concentration1 a, concentration0 b):

            ∂a = log x + ψ(a+b) − ψ(a)      ∂b = log(1 − x) + ψ(a+b) − ψ(b)
            ∂aa = ψ₁(a+b) − ψ₁(a)   ∂ab = ψ₁(a+b)   ∂bb = ψ₁(a+b) − ψ₁(b)

        The differences (and log B(a, b) = log Γ(s) − [log Γ(L+s) − log Γ(L)], s ≤ L the two
        concentrations) come from :func:`shift_diff`, accurate when one concentration is much
        larger than the other, where the plain differences cancel.
        """
        from scipy.special import gammaln, zeta

        a, b = per_row(params["concentration1"]), per_row(params["concentration0"])
        x = np.asarray(x, dtype=float)

        def terms(a, b):  # the terms that depend on (a, b) only
            small, large = np.minimum(a, b), np.maximum(a, b)
            log_beta = gammaln(small) - shift_diff(-1, large, small)
            # ψ₁(y) = ζ(2, y)
            return log_beta, shift_diff(0, a, b), shift_diff(0, b, a), shift_diff(1, a, b), zeta(2.0, a + b), shift_diff(1, b, a)

        log_beta, psi_a, psi_b, psi1_a, psi1_ab, psi1_b = on_runs(terms, a, b)
        lp = (a - 1.0) * np.log(x) + (b - 1.0) * np.log1p(-x) - log_beta
        d1, d2 = assemble(x.shape[0], [np.log(x) + psi_a, np.log1p(-x) + psi_b], [[psi1_a, psi1_ab], [psi1_b]])
        return lp, d1, d2

    # -- distribution functions: F(x) = I_x(a, b), S(x) = I_{1−x}(b, a) (regularised incomplete
    # beta). Under JAX differentiable in a and b too (by continued fractions: see _cdf.betainc).
    def _x(self, params, x):
        xp = namespace(params, x)
        return xp, params["concentration1"], params["concentration0"], xp.clip(x, 0.0, 1.0)

    def _cdf(self, params, x):
        xp, a, b, x = self._x(params, x)
        return betainc(a, b, x)

    def _sf(self, params, x):
        xp, a, b, x = self._x(params, x)
        return betainc(b, a, 1.0 - x, x)

    def _logcdf(self, params, x):
        xp, a, b, x = self._x(params, x)
        return log_betainc(a, b, x)

    def _logsf(self, params, x):
        xp, a, b, x = self._x(params, x)
        return log_betaincc(a, b, x)

    def _ppf(self, params, q):
        from scipy.special import betaincinv

        a, b = params["concentration1"], params["concentration0"]
        return np.where(q < 1e-300, _tail_quantile(a, b, q), betaincinv(a, b, q))

    def _isf(self, params, q):
        from scipy.special import betainccinv

        a, b = params["concentration1"], params["concentration0"]
        return np.where(q < 1e-300, 1.0 - _tail_quantile(b, a, q), betainccinv(a, b, q))

    def _mean(self, params):
        a, b = params["concentration1"], params["concentration0"]
        return a / (a + b)

    def _var(self, params):
        a, b = params["concentration1"], params["concentration0"]
        return a * b / ((a + b) ** 2 * (a + b + 1.0))

    def sample(self, params, n, seed=None):
        a, b = float(params["concentration1"]), float(params["concentration0"])
        return np.random.default_rng(seed).beta(a, b, size=n)

    def init(self, x, weights=None):
        m, v = mean_var(x, weights)
        c = m * (1.0 - m) / v - 1.0 if v > 0 else 1e6
        c = max(c, 1e-3)
        return {"concentration1": m * c, "concentration0": (1.0 - m) * c}
