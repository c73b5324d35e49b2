"""The multivariate Gaussian log-likelihood from its sufficient statistics,

    ℓ = −W/2 (d log 2π + log|Σ|) − ½ tr(Σ⁻¹ (M2 + W δδᵀ)),  δ = mean − loc,

once in NumPy (for NumPy values) and once jitted in JAX (differentiable)."""

from __future__ import annotations

import functools
import math

import numpy as np

from ._base import jax, jnp
from ._gaussian_kernel import LOG_2PI


def loglik_numpy(W, mean_hi, mean_lo, m2, loc, cov):
    """loglik_from_stats on NumPy values; NaN, as JAX gives, for a covariance that is not
    positive definite."""
    d = m2.shape[0]
    try:
        L = np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        return math.nan
    delta = (mean_hi - loc) + mean_lo
    scatter = m2 + W * np.outer(delta, delta)
    half = np.linalg.solve(L, scatter)  # L⁻¹ S;  tr(Σ⁻¹ S) = tr(L⁻¹ (L⁻¹ S)ᵀ)
    tr = np.trace(np.linalg.solve(L, half.T))
    logdet = 2.0 * np.sum(np.log(np.diagonal(L)))
    return -0.5 * W * (d * LOG_2PI + logdet) - 0.5 * tr


@functools.cache
def loglik_jax():
    """The jitted, differentiable loglik_from_stats for JAX values (compiled once per d)."""

    @jax.jit
    def loglik(W, mean_hi, mean_lo, m2, loc, cov):
        d = m2.shape[0]
        L = jnp.linalg.cholesky(cov)
        delta = (mean_hi - loc) + mean_lo
        scatter = m2 + W * jnp.outer(delta, delta)
        tr = jnp.trace(jax.scipy.linalg.cho_solve((L, True), scatter))
        logdet = 2.0 * jnp.sum(jnp.log(jnp.diagonal(L)))
        return -0.5 * W * (d * LOG_2PI + logdet) - 0.5 * tr

    return loglik
