"""Profile-likelihood confidence intervals.

For a scalar parameter θⱼ the profile log-likelihood is ℓₚ(θⱼ) = max over the other free
parameters of ℓ. The level-L interval is {θⱼ : 2(ℓ̂ − ℓₚ(θⱼ)) ≤ χ²₁,L}; each end is a root of
g(θⱼ) = ℓₚ(θⱼ) − ℓ̂ + χ²₁,L / 2. Roots are searched in the parameter's unconstrained coordinate
u (θ = T(u)), so a positive parameter never leaves its domain: starting from û the bracket grows
by doubling steps (first step: the Wald standard error in u) until g < 0, then
:func:`scipy.optimize.brentq` finds the root. When g stays positive up to the edge of the
domain, that end of the interval is the domain's edge (e.g. +∞), with an InferenceWarning.

The bijections of scalar parameters run in NumPy here, so the profile interval of a closed-form
fit (whose profile is its ``mle_from_stats`` with one more parameter held) imports no JAX.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import optimize as _opt
from scipy import special as _special

from ._xp import jax, jnp
from .errors import InferenceWarning, ParameterError
from .transforms import bijection_for

MAX_DOUBLINGS = 60


def profile_conf_int(result, level: float = 0.95) -> dict:
    """name -> (low, high) for every free scalar parameter of ``result``."""
    if result._profile is None:
        raise ParameterError(
            f"conf_int: method='profile' needs the data of the fit; got a result without it "
            f"({result.family.display_name}, e.g. rebuilt from JSON). Refit, then call conf_int."
        )
    for k in result.free:
        if np.ndim(result.params[k]) != 0:
            raise ParameterError(
                f"conf_int: method='profile' needs scalar parameters; got `{k}` with shape "
                f"{np.shape(result.params[k])}. Use method='wald' for vector parameters."
            )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InferenceWarning)
        cov, labels, _ = result._covariance()
    se = {} if cov is None else dict(zip(labels, np.sqrt(np.clip(np.diag(cov), 0, None))))
    half = 0.5 * float(_special.chdtri(1, 1.0 - level))
    out = {}
    for k in result.free:  # a loop, not a comprehension: keeps warnings' stacklevel right
        out[k] = _interval(result, k, half, se.get(k))
    return out


def _theta(bij, u: float) -> float:
    """θ = T(u) as a float (T(±∞) is the domain's edge; exp overflowing to ∞ is no error)."""
    with np.errstate(over="ignore"):
        return float(bij.forward(np.asarray(u, dtype=float)))


def _slope(bij, u: float) -> float:
    """|dθ/du| of a scalar bijection θ = T(u) at u (it sizes the first bracketing step)."""
    if hasattr(bij, "derivatives"):  # the scalar bijections: T′ in NumPy
        return abs(float(bij.derivatives(u)[0]))
    return abs(float(jax.grad(lambda v: bij.forward(v))(jnp.asarray(u))))


def _interval(result, name: str, half: float, se: float | None) -> tuple[float, float]:
    bij = bijection_for(result.family.param(name).constraint)
    theta_hat = float(result.params[name])
    with np.errstate(divide="ignore"):  # an estimate on the domain's edge has u = ±∞
        u_hat = float(bij.inverse(np.asarray(theta_hat)))
    slope = _slope(bij, u_hat)
    step = se / slope if se and np.isfinite(se) and slope > 0 else 0.1 * (1.0 + abs(u_hat))
    top = result.loglik

    def g(u: float) -> float:
        theta = _theta(bij, u)
        try:
            ll = result._profile({name: theta})
        except Exception:  # noqa: BLE001  (a refit that fails is treated as far outside)
            return -math.inf
        return ll - top + half if np.isfinite(ll) else -math.inf

    ends = []
    for direction in (-1.0, 1.0):
        inner, outer = u_hat, None
        h = step
        for _ in range(MAX_DOUBLINGS):
            cand = u_hat + direction * h
            if not np.isfinite(_theta(bij, cand)):
                break
            if g(cand) < 0:
                outer = cand
                break
            inner, h = cand, 2.0 * h
        if outer is None:
            edge = _theta(bij, direction * math.inf)
            warnings.warn(
                f"conf_int: the profile likelihood of `{name}` does not drop by χ²/2 = {half:.4g} "
                f"on the {'lower' if direction < 0 else 'upper'} side; that end is the edge of the "
                f"domain ({edge:g}).",
                InferenceWarning,
                stacklevel=5,  # user -> conf_int -> _profile_conf_int -> profile_conf_int -> _interval
            )
            ends.append(edge)
            continue
        if not np.isfinite(g(inner)):
            inner = u_hat
        root = _opt.brentq(g, min(inner, outer), max(inner, outer), xtol=1e-12, rtol=1e-12)
        ends.append(_theta(bij, root))
    return ends[0], ends[1]
