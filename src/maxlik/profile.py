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
MAX_EDGE_STEPS = 120  # doublings from 1e-10 reach 1e26: any finite root of an edge estimate
BIG = 1e300  # g's value where the profile is -inf or its refit fails (brentq needs finite values)
FAR = (1e15, 1e12, 1e9, 1e6)  # an infinite estimate is approached from this far (times the other edge's scale)


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
    top = result.loglik

    def g_theta(theta: float) -> float:
        """ℓₚ(θ) − ℓ̂ + χ²/2: −BIG where the refit fails or ℓₚ is −∞ (brentq needs finite values);
        NaN where ℓₚ is NaN (the density lost its digits, e.g. a t at ν = 10¹⁵: the search stops)."""
        try:
            ll = result._profile({name: theta})
        except Exception:  # noqa: BLE001  (a refit that fails is treated as far outside)
            return -BIG
        if np.isnan(ll):
            return math.nan
        return max(ll - top + half, -BIG) if np.isfinite(ll) else -BIG

    if not np.isfinite(u_hat):
        ends = _one_sided(bij, theta_hat, u_hat, g_theta)
        if ends is not None:
            return ends
        # the profile stays above the threshold across the whole domain: fall through to the warning
        lower_edge, upper_edge = _theta(bij, -math.inf), _theta(bij, math.inf)
        for side, edge in (("lower", lower_edge), ("upper", upper_edge)):
            if edge != theta_hat:
                _warn_no_drop(name, half, side, edge)
        return lower_edge, upper_edge
    slope = _slope(bij, u_hat)
    step = se / slope if se and np.isfinite(se) and slope > 0 else 0.1 * (1.0 + abs(u_hat))

    def g(u: float) -> float:
        return g_theta(_theta(bij, u))

    ends = []
    for direction in (-1.0, 1.0):
        inner, outer = u_hat, None
        h = step
        for _ in range(MAX_DOUBLINGS):
            cand = u_hat + direction * h
            if not np.isfinite(_theta(bij, cand)):
                break
            val = g(cand)
            if np.isnan(val):  # the profile cannot be evaluated this far out: it did not drop before
                break
            if val < 0:
                outer = cand
                break
            inner, h = cand, 2.0 * h
        if outer is None:
            edge = _theta(bij, direction * math.inf)
            _warn_no_drop(name, half, "lower" if direction < 0 else "upper", edge)
            ends.append(edge)
            continue
        if not np.isfinite(g(inner)):
            inner = u_hat
        root = _opt.brentq(g, min(inner, outer), max(inner, outer), xtol=1e-12, rtol=1e-12)
        ends.append(_theta(bij, root))
    return ends[0], ends[1]


def _warn_no_drop(name: str, half: float, side: str, edge: float) -> None:
    warnings.warn(
        f"conf_int: the profile likelihood of `{name}` does not drop by χ²/2 = {half:.4g} "
        f"on the {side} side; that end is the edge of the domain ({edge:g}).",
        InferenceWarning,
        stacklevel=6,  # user -> conf_int -> _profile_conf_int -> profile_conf_int -> _interval -> here
    )


def _one_sided(bij, theta_hat: float, u_hat: float, g_theta) -> tuple[float, float] | None:
    """The interval of an estimate on the edge of its domain (p̂ = 1, ν̂ = ∞): that end is the edge
    itself (closed: the estimate belongs to the interval), the other solves g(θ) = 0 inwards, or
    None when g stays positive up to the other edge.

    A finite edge is left on the constrained scale: θ(s) = θ̂ + s·(inward direction), s doubling
    from a tiny step (2⁻⁴⁰ of the span when the other edge is finite) until g(θ(s)) < 0 brackets
    the root with s = 0, where g = χ²/2 > 0 by definition; brentq solves it there (θ = 1 − 0.175
    for 10 heads in 10 flips: 10 log θ = −1.92). An infinite edge (ν̂ = ∞) is approached on the u
    scale from u₀ = T⁻¹(1e15 × the other edge's scale) (or 1e12, 1e9, … where the profile is not
    finite that far out), where the profile is still the limit's to rounding, stepping inwards by
    doubling steps.
    """
    inward = -1.0 if u_hat > 0 else 1.0
    other = _theta(bij, inward * math.inf)
    if np.isfinite(theta_hat):
        span = abs(other - theta_hat)

        def g(s: float) -> float:
            return g_theta(theta_hat + inward * s)

        h = span * 2.0**-40 if np.isfinite(span) else 1e-10 * max(1.0, abs(theta_hat))
        s_root = _bracket_and_solve(g, 0.0, h, span)
        if s_root is None:
            return None
        root = theta_hat + inward * s_root
    else:
        # the first far point whose profile is finite (a family's ν-terms may lose their digits at 1e15)
        for far in FAR:
            with np.errstate(divide="ignore"):
                u0 = float(bij.inverse(np.asarray(far * (1.0 + abs(other)) * (1.0 if u_hat > 0 else -1.0) + other)))
            if g_theta(_theta(bij, u0)) >= 0:
                break
        else:
            return None

        def g(s: float) -> float:
            return g_theta(_theta(bij, u0 + inward * s))

        s_root = _bracket_and_solve(g, 0.0, 1.0, math.inf)
        if s_root is None:
            return None
        root = _theta(bij, u0 + inward * s_root)
    return (root, theta_hat) if inward < 0 else (theta_hat, root)


def _bracket_and_solve(g, s0: float, h: float, limit: float) -> float | None:
    """The root of g on (s0, limit] given g(s0) > 0: doubling steps bracket it, brentq solves it."""
    inner = s0
    for _ in range(MAX_EDGE_STEPS):
        s = min(s0 + h, limit)
        val = g(s)
        if val < 0:
            return _opt.brentq(g, inner, s, xtol=1e-300, rtol=1e-13)
        if s >= limit or np.isnan(val):
            return None
        inner, h = s, 2.0 * h
    return None
