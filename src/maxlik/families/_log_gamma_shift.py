"""log Γ(a + x) − log Γ(a) in JAX, accurate when a ≫ x (a negative binomial near its Poisson limit).

The plain difference of two log Γ of size ~a log a loses ~10⁻¹⁶·a log a (5·10⁻⁶ nats per row at
a = 1.5·10⁹). For a ≥ 50 Stirling's series of both terms, subtracted analytically,

    log Γ(a + x) − log Γ(a) = (a − ½) log1p(x/a) + x log(a + x) − x + R(a + x) − R(a),
    R(z) = 1/(12z) − 1/(360z³) + 1/(1260z⁵)      (the next term, −1/(1680z⁷), < 10⁻¹⁵ at z ≥ 50),

loses only ~10⁻¹⁶·x log a (DLMF 5.11.1). Below 50 the plain difference is accurate to ~10⁻¹⁴.
The NumPy counterpart is :func:`maxlik.families._derivatives.shift_diff` (order −1).
"""

from __future__ import annotations

from ._base import jnp

STIRLING_FROM = 50.0


def _stirling_remainder(z):
    w = 1.0 / (z * z)
    return (1.0 / 12.0 + w * (-1.0 / 360.0 + w / 1260.0)) / z


def log_gamma_shift(a, x):
    """log Γ(a + x) − log Γ(a) for a > 0, x ≥ 0 (JAX, broadcasting, differentiable in a). Each
    branch sees only values it is finite at: both are evaluated, and a NaN in the unused one would
    still poison the gradient."""
    from jax.scipy.special import gammaln

    big = a >= STIRLING_FROM
    a_s, a_p = jnp.where(big, a, STIRLING_FROM), jnp.where(big, 1.0, a)
    stirling = ((a_s - 0.5) * jnp.log1p(x / a_s) + x * jnp.log(a_s + x) - x
                + _stirling_remainder(a_s + x) - _stirling_remainder(a_s))
    plain = gammaln(a_p + x) - gammaln(a_p)
    return jnp.where(big, stirling, plain)
