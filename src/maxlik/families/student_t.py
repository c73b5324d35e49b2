"""Student's t distribution (``df`` ν, ``loc`` μ, ``scale`` σ; scipy ``t(df, loc, scale)``).

    log p(x | ν, μ, σ) = log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) − log σ
                         − (ν+1)/2 · log(1 + z²/ν),   z = (x − μ) / σ

No closed form: fitted numerically (all three parameters, or any subset with the others fixed).
Robust starting point: ν = 5, μ = median, σ = IQR / (2 t₅⁻¹(0.75)) (the quartiles of t₅ lie
at ±0.7267 σ). As ν → ∞ the family tends to the normal; data no heavier-tailed than a normal give
an MLE of ν that runs off to infinity: ``limit_fit`` gives the Normal fit, and the engine reports
the result with status BOUNDARY, df = ∞ and the Normal's loc, scale and standard errors.
"""

from __future__ import annotations

import math

import numpy as np

from .. import constraints as C
from ._base import Family, Param, jnp
from ._cdf import betainc, log1mexp, log_betainc
from ._cdf_forms import LocationScale
from ._degenerate import require_spread
from ._limit import Limit
from ._derivatives import location_scale, log, on_runs, per_row, shift_diff
from ._registry import register
from ._start import mean_var, median_iqr, quantile

T5_Q75 = 0.7266868438004231
DF_LIMIT_MEANING = "df → ∞: the data show no heavier tails than a Normal; the Normal fit is the limit"  # scipy.stats.t.ppf(0.75, 5)

# S(y) = ψ(y + ½) − ψ(y) − 1/(2y) ~ Σ cₖ / yᵏ for large y, with cₖ = (2 − 2^(1−k)) Bₖ / k
# (Bₖ the Bernoulli numbers; the derivative of log Γ(y + h) ~ (y + h − ½) log y − y + ½ log 2π
# + Σ (−1)ᵏ Bₖ(h) / (k(k−1) yᵏ⁻¹), DLMF 5.11.8, at h = ½ minus h = 0, with Bₖ(½) = (2^(1−k) − 1) Bₖ).
# With B₂ … B₂₀, at y ≥ 10 the omitted terms are below 1e-16 relative; below, the plain
# difference loses at most ~2000 ulps (|ψ(y)| / S(y) < 2000).
BERNOULLI_EVEN = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330)
HALF_SHIFT_SERIES = tuple((k, (2.0 - 2.0 ** (1 - k)) * b / k) for k, b in zip(range(2, 21, 2), BERNOULLI_EVEN))
HALF_SHIFT_ASYMPTOTIC_FROM = 10.0
LOG1M_SERIES_BELOW = 0.05  # h(v) by its power series Σ_{k≥2} vᵏ/k below this (13 terms: < 1e-17)


def _half_shift(y: float) -> tuple[float, float]:
    """S(y) = ψ(y + ½) − ψ(y) − 1/(2y) and S′(y) = ψ₁(y + ½) − ψ₁(y) + 1/(2y²); O(1/y²) and
    O(1/y³) for large y, where the plain differences cancel. Elementwise for an array y."""
    if np.ndim(y):
        return _half_shift_rows(np.asarray(y, dtype=float))
    if y >= HALF_SHIFT_ASYMPTOTIC_FROM:
        r = 1.0 / y  # powers of 1/y underflow to 0 where powers of y would overflow (y ~ 1e15)
        s = sum(c * r**k for k, c in HALF_SHIFT_SERIES)
        s1 = -sum(k * c * r ** (k + 1) for k, c in HALF_SHIFT_SERIES)
        return s, s1
    from scipy.special import digamma, zeta

    s = float(digamma(y + 0.5) - digamma(y)) - 0.5 / y
    s1 = float(zeta(2.0, y + 0.5) - zeta(2.0, y)) + 0.5 / (y * y)  # ψ₁(y) = ζ(2, y)
    return s, s1


def _half_shift_rows(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from scipy.special import digamma, zeta

    s, s1 = np.empty_like(y), np.empty_like(y)
    big = y >= HALF_SHIFT_ASYMPTOTIC_FROM
    yb, ys = y[big], y[~big]
    s[big] = sum(c / yb**k for k, c in HALF_SHIFT_SERIES)
    s1[big] = -sum(k * c / yb ** (k + 1) for k, c in HALF_SHIFT_SERIES)
    s[~big] = digamma(ys + 0.5) - digamma(ys) - 0.5 / ys
    s1[~big] = zeta(2.0, ys + 0.5) - zeta(2.0, ys) + 0.5 / (ys * ys)
    return s, s1


def _df_terms(df):
    """The terms of log p and its ν-derivatives that depend on ν alone: log Γ((ν+1)/2) −
    log Γ(ν/2) − ½ log(νπ), S(ν/2), S′(ν/2) (float ν, or per-row ν evaluated once per run)."""
    def terms(nu):
        s, s1 = _half_shift(0.5 * nu)
        return shift_diff(-1, 0.5 * nu, 0.5) - 0.5 * log(nu * math.pi), s, s1

    return on_runs(terms, df)


def _log1m_excess(v, log1p_y):
    """h(v) = −log(1 − v) − v for v in [0, 1) (array), given −log(1 − v) = log(1 + y),
    y = v / (1 − v) (finite where v rounds to 1); without the cancellation at small v."""
    out = log1p_y - v
    small = v < LOG1M_SERIES_BELOW
    if np.any(small):
        vs = v[small]
        acc = np.zeros_like(vs)
        for k in range(14, 1, -1):  # Horner: v²(1/2 + v(1/3 + v(1/4 + …)))
            acc = 1.0 / k + vs * acc
        out[small] = vs * vs * acc
    return out


@register
class StudentT(LocationScale, Family):
    name = "student_t"
    scale_exponents = {"df": 0, "loc": 1, "scale": 1}
    params = (
        Param("df", C.positive, "degrees of freedom ν", typical=(1.0, 30.0)),
        Param("loc", C.real, "centre (median; mean when ν > 1)", typical=(-5.0, 5.0)),
        Param("scale", C.positive, "scale σ", typical=(0.1, 10.0)),
    )
    support = C.real
    derivatives_broadcast = True
    limit = ("df", "normal")  # as df → ∞ the t is the Normal (limit_fit; lrt's ½χ²₀ + ½χ²₁)

    def check_estimable(self, x, weights=None, fixed=None):
        require_spread(self, x, weights, fixed, "scale", "positive", "loc")

    def limit_fit(self, stats_of, fixed=None):
        """The Normal, the limit as df → ∞ (see :mod:`maxlik.families._limit`), with loc and
        scale held where they are held here; None when df is fixed."""
        fixed = fixed or {}
        if "df" in fixed:
            return None
        from .normal import Normal

        normal = Normal()
        stats = stats_of(normal)
        held = {k: float(fixed[k]) for k in ("loc", "scale") if k in fixed}
        p = normal.mle_from_stats(stats, held)
        free = tuple(k for k in ("loc", "scale") if k not in held)
        cov, labels = normal.exact_covariance(stats, p, free)
        return Limit("df", math.inf, DF_LIMIT_MEANING, normal, p, float(normal.loglik_from_stats(stats, p)),
                     {"df": math.inf, **p}, cov, tuple(labels))

    def log_prob(self, params, x):
        from jax.scipy.special import gammaln  # here, not at the top: importing the family loads no JAX
        df, loc, scale = params["df"], params["loc"], params["scale"]
        z = (x - loc) / scale
        # log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ): the plain difference of two log Γ of size
        # ~½ν log ν loses ~10⁻¹⁶·ν log ν (3·10⁻⁵ nats per row at ν = 10⁸); for ν ≥ 50 its
        # asymptotic series, −½ log 2π − 1/(4ν) + 1/(24ν³) − 1/(20ν⁵) + 17/(112ν⁷) (from
        # log Γ(a + ½) − log Γ(a) ~ ½ log a − 1/(8a) + 1/(192a³) − 1/(640a⁵) + 17/(14336a⁷),
        # a = ν/2), accurate to rounding there (the next term is ~ν⁻⁹, its second derivative ~90ν⁻¹¹). Each branch sees only values it is finite at
        # (both are evaluated, and a NaN in the unused one would still poison the gradient).
        big = df >= 50.0
        nu_s, nu_p = jnp.where(big, df, 50.0), jnp.where(big, 1.0, df)
        r = 1.0 / nu_s
        series = -0.5 * math.log(2.0 * math.pi) + r * (-0.25 + r * r * (1.0 / 24 + r * r * (-0.05 + r * r * 17.0 / 112)))
        plain = gammaln(0.5 * (nu_p + 1.0)) - gammaln(0.5 * nu_p) - 0.5 * jnp.log(nu_p * math.pi)
        norm = jnp.where(big, series, plain) - jnp.log(scale)
        return norm - 0.5 * (df + 1.0) * jnp.log1p(z * z / df)

    def log_prob_derivatives(self, params, x):
        """NumPy (lp, d1, d2) in the order (df ν, loc μ, scale σ). With z = (x − μ)/σ,
        w = 1/(ν + z²), v = z² w ∈ [0, 1), h(v) = −log(1 − v) − v and
        S(y) = ψ(y + ½) − ψ(y) − 1/(2y):

            ∂ν = ½ S(ν/2) − ½ h(v) + v/(2ν)
            ∂νν = ¼ S′(ν/2) + v ((ν+1) v − 2)/(2ν²)
            ∂νμ = −z w (w − v)/σ      ∂νσ = −v (w − v)/σ

        and (μ, σ) by :func:`location_scale` with f′ = −(ν+1) z w, f″ = −(ν+1) w (1 − 2v).
        These forms keep their accuracy as ν → ∞ (the normal limit), where ∂ν is O(1/ν²)
        and the textbook terms, ½[ψ((ν+1)/2) − ψ(ν/2)] − 1/(2ν) and log(1 + z²/ν) −
        z²/(ν + z²), cancel: S uses its asymptotic series for ν ≥ 20, h its power series for
        v < 0.05, and log Γ((ν+1)/2) − log Γ(ν/2) in lp comes from :func:`shift_diff`.
        """
        df, loc, scale = (per_row(params[k]) for k in ("df", "loc", "scale"))
        x = np.asarray(x, dtype=float)
        z = (x - loc) / scale
        w = 1.0 / (df + z * z)
        v = z * z * w
        norm_df, s, s1 = _df_terms(df)
        norm = norm_df - log(scale)
        log1p_y = np.log1p(z * z / df)
        lp = norm - 0.5 * (df + 1.0) * log1p_y
        g_ls, h_ls = location_scale(z, scale, -(df + 1.0) * z * w, -(df + 1.0) * w * (1.0 - 2.0 * v))
        n = x.shape[0]
        d1 = np.empty((n, 3))
        d1[:, 0] = 0.5 * s - 0.5 * _log1m_excess(v, log1p_y) + v / (2.0 * df)
        d1[:, 1:] = g_ls
        d2 = np.empty((n, 3, 3))
        d2[:, 0, 0] = 0.25 * s1 + v * ((df + 1.0) * v - 2.0) / (2.0 * df * df)
        d2[:, 0, 1] = d2[:, 1, 0] = -z * w * (w - v) / scale
        d2[:, 0, 2] = d2[:, 2, 0] = -v * (w - v) / scale
        d2[:, 1:, 1:] = h_ls
        return lp, d1, d2

    # -- distribution functions: for z < 0, F₀(z) = ½ I_t(ν/2, ½) with t = ν / (ν + z²) and
    # 1 − t = z² / (ν + z²) formed without cancellation; for z ≥ 0, F₀(z) = 1 − ½ I_t(ν/2, ½).
    # Under JAX all four are differentiable in all three parameters.
    def _tail(self, z, params, xp):
        df = params["df"]
        d = df + z * z
        return df, df / d, z * z / d

    def _std_cdf(self, z, params, xp):
        df, t, u = self._tail(z, params, xp)
        half = 0.5 * betainc(0.5 * df, 0.5, t, u)
        return xp.where(z < 0, half, 1.0 - half)

    def _std_logcdf(self, z, params, xp):
        df, t, u = self._tail(z, params, xp)
        tail = log_betainc(0.5 * df, 0.5, t, u) - math.log(2.0)  # log P(Z < −|z|) ≤ log ½
        return xp.where(z < 0, tail, log1mexp(tail))

    def _std_ppf(self, q, params):
        """By inverting the incomplete beta function on the side where its argument keeps its
        digits (scipy.special.stdtrit returns +inf at q = 1e-300): with the tail probability
        p = min(q, 1 − q), t² = ν (1 − x) / x, x = I⁻¹(2p; ν/2, ½), for p < ¼, else
        t² = ν y / (1 − y), y = I⁻¹(1 − 2p; ½, ν/2)."""
        from scipy.special import betaincinv

        df = params["df"]
        p = np.minimum(q, 1.0 - q)
        tail = p < 0.25
        x = betaincinv(0.5 * df, 0.5, np.where(tail, 2.0 * p, 0.5))
        y = betaincinv(0.5, 0.5 * df, np.where(tail, 0.5, 1.0 - 2.0 * p))
        t = np.sqrt(np.where(tail, df * (1.0 - x) / x, df * y / (1.0 - y)))
        return np.where(q < 0.5, -t, t)

    def _std_mean(self, params):
        df = params["df"]
        return np.where(df > 1.0, 0.0, np.nan)

    def _std_var(self, params):
        df = params["df"]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(df > 2.0, df / (df - 2.0), np.where(df > 1.0, np.inf, np.nan))

    def sample(self, params, n, seed=None):
        df, loc, scale = (float(params[k]) for k in ("df", "loc", "scale"))
        return loc + scale * np.random.default_rng(seed).standard_t(df, size=n)

    def init(self, x, weights=None):
        med, iqr = median_iqr(x, weights)
        scale = iqr / (2.0 * T5_Q75)
        if not scale > 0:
            scale = max(float(np.sqrt(mean_var(x, weights)[1])), 1e-8 * max(1.0, abs(med)))
        return {"df": 5.0, "loc": med, "scale": scale}

    def extra_starts(self, x, weights, start, fixed):
        """Cauchy-like starts (df = 1, with scale IQR/2 and the median absolute deviation — both
        the Cauchy's scale, and different when the values cluster): on a few values or with
        outliers the likelihood can have a maximum at small df besides one towards the Normal
        (df → ∞), and Newton from df = 5 reaches whichever basin it starts in."""
        if "df" in fixed:
            return []
        med, iqr = median_iqr(x, weights)
        mad = quantile(np.abs(np.asarray(x, dtype=float) - med), weights, 0.5)
        scales = [v for v in (iqr / 2.0, mad) if v > 0] if "scale" in start else []
        return [{**start, "df": 1.0, **({"scale": v} if scales else {})} for v in (scales or [None])]
