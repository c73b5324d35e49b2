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

import functools
import math

import numpy as np

from .. import constraints as C
from .._validation import as_data, row_label
from ..errors import SupportError
from .._xp import namespace, special
from ._base import Family, Param, jnp
from ._cdf import _loop
from ._degenerate import require_spread
from ._derivatives import assemble, log, on_runs, per_row
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


BESSEL_ASYMPTOTIC_FROM = 50.0  # κ from which e(κ) = 1 − I₁/I₀ comes from its asymptotic series
BESSEL_SERIES_TERMS = 16  # at κ ≥ 50 the omitted terms are below 1e-18 relative


@functools.lru_cache(maxsize=1)
def _bessel_ratio_series() -> tuple[float, ...]:
    """e₁, e₂, … of e(κ) = 1 − I₁(κ)/I₀(κ) ~ Σ eₖ κ⁻ᵏ (1/2, 1/8, 1/8, 25/128, …), by exact
    division of the asymptotic series e^(−κ) √(2πκ) I_ν(κ) ~ Σ (−1)ᵏ aₖ(ν) κ⁻ᵏ, with
    aₖ(ν) = ∏ⱼ₌₁..ₖ (4ν² − (2j − 1)²) / (k! 8ᵏ) (DLMF 10.40.1)."""
    from fractions import Fraction  # here, not at import: only fits with κ ≥ 50 need it

    def a(nu: int, k: int) -> Fraction:
        return Fraction((-1) ** k * math.prod(4 * nu * nu - (2 * j - 1) ** 2 for j in range(1, k + 1)),
                        math.factorial(k) * 8**k)

    K = BESSEL_SERIES_TERMS
    i0, i1 = [a(0, k) for k in range(K + 1)], [a(1, k) for k in range(K + 1)]
    e = [Fraction(0)] * (K + 1)
    for k in range(1, K + 1):  # (I₀ − I₁) / I₀ term by term; i0[0] = 1
        e[k] = i0[k] - i1[k] - sum(i0[j] * e[k - j] for j in range(1, k + 1))
    return tuple(float(c) for c in e[1:])


def _one_minus_bessel_ratio(kappa: float) -> tuple[float, float]:
    """e(κ) = 1 − A(κ) and A′(κ) = 1 − A/κ − A², A(κ) = I₁(κ)/I₀(κ), accurate for large κ
    (elementwise for an array κ)."""
    if np.ndim(kappa):
        return _one_minus_bessel_ratio_rows(np.asarray(kappa, dtype=float))
    if kappa >= BESSEL_ASYMPTOTIC_FROM:
        t = 1.0 / kappa
        coef = _bessel_ratio_series()
        e = sum(c * t ** (k + 1) for k, c in enumerate(coef))
        a_prime = sum((k + 1) * c * t ** (k + 2) for k, c in enumerate(coef))  # −de/dκ
        return e, a_prime
    from scipy.special import i0e, i1e

    ratio = float(i1e(kappa) / i0e(kappa))
    e = 1.0 - ratio
    if kappa < 1.0:  # A ≈ κ/2 is small: 1 − A/κ − A² has no cancellation, and (1 − e)/κ would lose A
        return e, 1.0 - ratio / kappa - ratio * ratio
    return e, e * (2.0 - e) - (1.0 - e) / kappa


def _one_minus_bessel_ratio_rows(kappa: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from scipy.special import i0e, i1e

    e, a_prime = np.empty_like(kappa), np.empty_like(kappa)
    big = kappa >= BESSEL_ASYMPTOTIC_FROM
    t = 1.0 / kappa[big]
    coef = _bessel_ratio_series() if big.any() else ()
    e[big] = sum(c * t ** (k + 1) for k, c in enumerate(coef))
    a_prime[big] = sum((k + 1) * c * t ** (k + 2) for k, c in enumerate(coef))
    kb = kappa[~big]
    ratio = i1e(kb) / i0e(kb)
    eb = 1.0 - ratio
    e[~big] = eb
    with np.errstate(divide="ignore", invalid="ignore"):
        a_prime[~big] = np.where(kb < 1.0, 1.0 - ratio / kb - ratio * ratio, eb * (2.0 - eb) - (1.0 - eb) / kb)
    return e, a_prime


def _kappa_terms(kappa):
    """(e(κ), A′(κ), log I₀ᵉ(κ)): the terms of log p and its derivatives that depend on κ alone."""
    from scipy.special import i0e

    def terms(k):
        e, a_prime = _one_minus_bessel_ratio(k)
        return e, a_prime, log(i0e(k))

    return on_runs(terms, kappa)


CDF_NORMAL_FROM = 50.0  # κ from which G is the normal approximation (scipy's CK, Hill 1977)
CDF_SERIES_TERMS = 54  # ≥ ⌈28 + κ/2 − 100/(κ + 5)⌉ for every κ < 50: Hill's terms for 12 digits


def centred_cdf(y, kappa, xp):
    """G(y) = P(Y ≤ y), Y ~ VonMises(0, κ), for |y| ≤ π (see ``VonMises._unwrapped``)."""
    y, kappa = xp.broadcast_arrays(xp.asarray(y, dtype=float), xp.asarray(kappa, dtype=float))
    ks = xp.minimum(kappa, CDF_NORMAL_FROM)  # each branch at safe arguments (finite gradients)
    kn = xp.maximum(kappa, CDF_NORMAL_FROM)

    def body(i, carry):
        r, v = carry
        n = CDF_SERIES_TERMS - 1.0 - i
        r = 1.0 / (2.0 * n / ks + r)
        return r, r * (xp.sin(n * y) / n + v)

    _, v = _loop(CDF_SERIES_TERMS - 1, body, (xp.zeros_like(y), xp.zeros_like(y)), xp)
    series = xp.clip(0.5 + y / (2.0 * math.pi) + v / math.pi, 0.0, 1.0)
    sp = special(xp)
    normal = sp.ndtr(math.sqrt(2.0 / math.pi) / sp.i0e(kn) * xp.sin(0.5 * y))
    return xp.where(kappa < CDF_NORMAL_FROM, series, normal)


@register
class VonMises(Family):
    name = "von_mises"
    params = (
        Param("loc", C.real, "mean direction μ (radians; defined modulo 2π)", typical=(-3.0, 3.0)),
        Param("concentration", C.positive, "concentration κ (≈ 1 / variance for large κ)", typical=(0.1, 50.0)),
    )
    support = C.Interval(-math.pi, math.pi, closed=True)
    derivatives_broadcast = True

    def check_estimable(self, x, weights=None, fixed=None):
        require_spread(self, x, weights, fixed, "concentration", "finite", "loc")

    def validate_data(self, x):
        arr = as_data(x, self.display_name, self.event_ndim)
        bad = ~self.support.check(arr)
        if bad.any():
            i = int(np.argmax(bad))
            raise SupportError(
                f"VonMises: data must be angles in radians in [-pi, pi]; got {int(bad.sum())} value(s) "
                f"outside (first at {row_label(i)}: {arr[i]:g}). Wrap angles with numpy.angle(numpy.exp(1j * x)), "
                "and convert degrees with numpy.deg2rad first."
            )
        return arr

    def log_prob(self, params, x):
        from jax.scipy.special import i0e  # here, not at the top: importing the family loads no JAX
        loc, kappa = params["loc"], params["concentration"]
        return kappa * (jnp.cos(x - loc) - 1.0) - LOG_2PI - jnp.log(i0e(kappa))

    def log_prob_derivatives(self, params, x):
        """NumPy (lp, d1, d2) in the order (loc μ, concentration κ). With δ = x − μ,
        cos δ − 1 = −2 sin²(δ/2) (no cancellation near the mode), A(κ) = I₁(κ)/I₀(κ) and
        e(κ) = 1 − A(κ):

            ∂μ = κ sin δ          ∂κ = (cos δ − 1) + e(κ)
            ∂μμ = −κ cos δ   ∂μκ = sin δ   ∂κκ = −A′(κ) = −[e (2 − e) − (1 − e)/κ]

        e and A′ are O(1/κ) and O(1/κ²) for large κ, where 1 − i1e/i0e and the bracket
        cancel; from κ ≥ 50 both come from the asymptotic series of I₀ and I₁ (see
        :func:`_one_minus_bessel_ratio`).
        """
        loc, kappa = per_row(params["loc"]), per_row(params["concentration"])
        x = np.asarray(x, dtype=float)
        delta = x - loc
        sin, cosm1 = np.sin(delta), -2.0 * np.sin(0.5 * delta) ** 2
        e, a_prime, log_i0e = _kappa_terms(kappa)
        lp = kappa * cosm1 - LOG_2PI - log_i0e
        d1, d2 = assemble(x.shape[0], [kappa * sin, cosm1 + e], [[-kappa * (1.0 + cosm1), sin], [-a_prime]])
        return lp, d1, d2

    # -- distribution functions on [−π, π]: F(x) = H(x − μ) − H(−π − μ), S(x) = H(π − μ) − H(x − μ),
    # with H(y) = G(y − 2πm) + m, m = round(y / 2π), the CDF of the centred law unwrapped, and G
    # that CDF on [−π, π] by Hill's (1977) algorithm as scipy.stats.vonmises: a backward
    # recurrence of its Fourier series for κ < 50, the normal approximation
    # Φ(√(2/π) sin(y/2) / i0e(κ)) above; about 12 correct digits, absolute (so the log forms
    # are not accurate below ~1e-12, unlike the other families'). mean: the mean direction μ
    # wrapped to (−π, π]; var: the circular variance 1 − I₁(κ)/I₀(κ).
    def _unwrapped(self, y, kappa, xp):
        m = xp.round(y / (2.0 * math.pi))
        return centred_cdf(y - 2.0 * math.pi * m, kappa, xp) + m

    def _cdf(self, params, x):
        xp, loc, kappa = namespace(params, x), params["loc"], params["concentration"]
        x = xp.clip(x, -math.pi, math.pi)
        return xp.clip(self._unwrapped(x - loc, kappa, xp) - self._unwrapped(-math.pi - loc, kappa, xp), 0.0, 1.0)

    def _sf(self, params, x):
        xp, loc, kappa = namespace(params, x), params["loc"], params["concentration"]
        x = xp.clip(x, -math.pi, math.pi)
        return xp.clip(self._unwrapped(math.pi - loc, kappa, xp) - self._unwrapped(x - loc, kappa, xp), 0.0, 1.0)

    def _logcdf(self, params, x):
        return namespace(params, x).log(self._cdf(params, x))

    def _logsf(self, params, x):
        return namespace(params, x).log(self._sf(params, x))

    def _invert(self, params, q, fn, increasing: bool):
        """Bisection on [−π, π] (64 halvings: below the spacing of doubles)."""
        q = np.broadcast_arrays(q, *params.values())[0]
        lo, hi = np.full(q.shape, -math.pi), np.full(q.shape, math.pi)
        for _ in range(64):
            mid = 0.5 * (lo + hi)
            v = fn(params, mid)
            right = v < q if increasing else v > q
            lo, hi = np.where(right, mid, lo), np.where(right, hi, mid)
        return 0.5 * (lo + hi)

    def _ppf(self, params, q):
        return self._invert(params, q, self._cdf, True)

    def _isf(self, params, q):
        return self._invert(params, q, self._sf, False)

    def _mean(self, params):
        return np.angle(np.exp(1j * params["loc"])) + 0.0 * params["concentration"]

    def _var(self, params):
        from scipy.special import i0e, i1e

        return 1.0 - i1e(params["concentration"]) / i0e(params["concentration"]) + 0.0 * params["loc"]

    def sample(self, params, n, seed=None):
        loc, kappa = float(params["loc"]), float(params["concentration"])
        draws = np.random.default_rng(seed).vonmises(loc, kappa, size=n)
        return np.angle(np.exp(1j * draws))  # numpy returns [−π, π] already; this keeps it so for any loc

    def init(self, x, weights=None):
        w = weights_or_ones(x, weights)
        c, s = float(np.dot(w, np.cos(x)) / w.sum()), float(np.dot(w, np.sin(x)) / w.sum())
        return {"loc": math.atan2(s, c), "concentration": kappa_from_resultant(math.hypot(c, s))}
