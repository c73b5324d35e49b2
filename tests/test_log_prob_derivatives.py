"""Family.log_prob_derivatives (issue #11): NumPy (lp, d1, d2) of the log-density for the
numerically fitted families with scalar parameters.

References: JAX autodiff (forward-over-forward Jacobians) of each family's own ``log_prob`` at
points of every Param's ``typical`` range and at extreme points where float64 autodiff is still
accurate; beyond that (b ≪ a, r ≫ x, ν → ∞, κ → ∞), where the textbook formulas that autodiff
also follows cancel, exact finite sums over integer steps (math.fsum) and 50-digit ``decimal``
series.
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

import numpy as np
import pytest

import maxlik
from maxlik._jax import jax, jnp
from maxlik.families import Family, Param, get_family
from maxlik.families._derivatives import shift_diff
from maxlik.families.student_t import _half_shift
from maxlik.families.von_mises import _one_minus_bessel_ratio

NAMES = ("weibull", "beta", "cauchy", "gumbel", "logistic", "student_t", "negative_binomial", "von_mises",
         "weibull3", "gamma3", "lognormal3")

# Extreme but still float64-autodiff-accurate points (the JAX reference follows the textbook
# formulas, so points where those cancel are tested against exact references further down).
EXTREME = {
    "weibull": [{"concentration": 0.2, "scale": 1e-3}, {"concentration": 30.0, "scale": 1e3}],
    "beta": [{"concentration1": 0.05, "concentration0": 0.1}, {"concentration1": 200.0, "concentration0": 3.0}],
    "cauchy": [{"loc": 1e3, "scale": 1e-3}, {"loc": -2.0, "scale": 1e4}],
    "gumbel": [{"loc": 1e3, "scale": 1e-3}, {"loc": -2.0, "scale": 1e4}],
    "logistic": [{"loc": 1e3, "scale": 1e-3}, {"loc": -2.0, "scale": 1e4}],
    "student_t": [{"df": 0.2, "loc": 0.0, "scale": 1e-3}, {"df": 200.0, "loc": 3.0, "scale": 1e3}],
    "negative_binomial": [{"total_count": 0.05, "probs": 0.99}, {"total_count": 500.0, "probs": 0.01}],
    "von_mises": [{"loc": 0.0, "concentration": 1e-3}, {"loc": -3.0, "concentration": 45.0}],
    "weibull3": [{"concentration": 0.3, "scale": 1e-2, "loc": 0.0}, {"concentration": 20.0, "scale": 1e2, "loc": 1e3}],
    "gamma3": [{"concentration": 0.2, "rate": 1e2, "loc": 0.0}, {"concentration": 200.0, "rate": 1e-2, "loc": -1e3}],
    "lognormal3": [{"mu": -3.0, "sigma": 0.05, "loc": 0.0}, {"mu": 5.0, "sigma": 3.0, "loc": 1e2}],
}

# data far in the tails of the location-scale families, in units of scale from loc
# (z = 0 itself is left out: autodiff of logistic's |z| form has a kink there that the density has not)
TAIL_Z = {"cauchy": [-1e6, -50.0, 1e-9, 3.0, 1e8], "gumbel": [-30.0, -5.0, 1e-9, 40.0, 700.0],
          "logistic": [-800.0, -40.0, 1e-9, 35.0, 750.0]}


def _typical_points(family, n_random=4, seed=0):
    """Corners of the typical box, its (geometric) centre and seeded random draws inside it."""
    rng = np.random.default_rng(seed)
    ranges = [p.typical for p in family.params]

    def draw(lo, hi, u):
        if lo > 0 and hi / lo >= 10:
            return float(lo * (hi / lo) ** u)
        return float(lo + (hi - lo) * u)

    points = [dict(zip(family.param_names, (draw(lo, hi, u) for (lo, hi) in ranges)))
              for u in (0.0, 0.5, 1.0)]
    points += [dict(zip(family.param_names, (draw(lo, hi, rng.uniform()) for (lo, hi) in ranges)))
               for _ in range(n_random)]
    return points


def _cases():
    for name in NAMES:
        family = get_family(name)
        for i, p in enumerate(_typical_points(family)):
            yield pytest.param(name, p, id=f"{name}-typical{i}")
        for i, p in enumerate(EXTREME[name]):
            yield pytest.param(name, p, id=f"{name}-extreme{i}")


def _data(family, params, n=40, seed=1):
    x = family.sample(params, n, seed=seed)
    if family.name in TAIL_Z:
        x = np.concatenate([x, params["loc"] + params["scale"] * np.asarray(TAIL_Z[family.name])])
    if family.name == "beta":  # draws can round to 0 or 1, outside the open support
        x = np.clip(x, 1e-300, np.nextafter(1.0, 0.0))
    if family.name == "weibull":
        x = np.maximum(x, 1e-300)
    return x


def _autodiff(family, params, x):
    """lp (n,), d1 (n, P), d2 (n, P, P) by JAX autodiff of the family's own log_prob."""
    names = family.param_names

    def lp(theta):
        return family.log_prob(dict(zip(names, theta)), jnp.asarray(x))

    theta = jnp.asarray([float(params[k]) for k in names])
    return (np.asarray(lp(theta)), np.asarray(jax.jacfwd(lp)(theta)),
            np.asarray(jax.jacfwd(jax.jacfwd(lp))(theta)))


def _close(got, want, rtol=1e-9):
    """Relative agreement, with an absolute floor of 1e-12 × the largest |entry| at the same
    parameter index over the observations: an entry near zero is the cancellation of terms of
    that size, each known to a few ulps in either computation, so its relative error is no test."""
    floor = 1e-12 * np.max(np.abs(want), axis=0, keepdims=True)
    bad = ~(np.abs(got - want) <= rtol * np.abs(want) + floor)
    assert not bad.any(), (
        f"{int(bad.sum())} of {bad.size} entries differ; first: got {got[bad][0]!r}, want {want[bad][0]!r}")


@pytest.mark.parametrize(("name", "params"), list(_cases()))
def test_derivatives_match_autodiff_of_log_prob(name, params):
    family = get_family(name)
    x = _data(family, params)
    lp, d1, d2 = family.log_prob_derivatives(params, x)
    want_lp, want_d1, want_d2 = _autodiff(family, params, x)
    n, P = x.shape[0], len(family.params)
    assert lp.shape == (n,) and d1.shape == (n, P) and d2.shape == (n, P, P)
    assert np.all(np.isfinite(lp)) and np.all(np.isfinite(d1)) and np.all(np.isfinite(d2))
    _close(lp, want_lp)
    _close(d1, want_d1)
    _close(d2, want_d2)
    assert np.array_equal(d2, np.swapaxes(d2, 1, 2))


@pytest.mark.parametrize("name", NAMES)
def test_params_may_be_numpy_scalars(name):
    family = get_family(name)
    params = _typical_points(family, n_random=0)[1]
    x = _data(family, params, n=5)
    as_arrays = {k: np.asarray(v) for k, v in params.items()}
    for got, want in zip(family.log_prob_derivatives(as_arrays, x), family.log_prob_derivatives(params, x)):
        np.testing.assert_array_equal(got, want)


def test_a_family_without_the_method_returns_none():
    class Toy(Family):  # not registered: only log_prob
        params = (Param("loc", maxlik.constraints.real, "centre"),)

        def log_prob(self, params, x):
            return -0.5 * (x - params["loc"]) ** 2

    assert Toy().log_prob_derivatives({"loc": 0.0}, np.zeros(3)) is None
    assert not Toy().has_derivatives
    assert all(get_family(name).has_derivatives for name in NAMES)


# Families with scalar parameters fitted numerically that may rely on autodiff (none so far).
WITHOUT_DERIVATIVES: set[str] = set()


def test_every_numerically_fitted_scalar_family_has_derivatives():
    missing = []
    for name, cls in maxlik.family_names().items():
        bare = object.__new__(cls)  # the class-level properties, without configuring options
        if all(p.shape == () for p in cls.params) and not bare.has_closed_form and not bare.has_derivatives:
            missing.append(name)
    assert sorted(missing) == sorted(WITHOUT_DERIVATIVES), (
        "numerically fitted scalar families must implement log_prob_derivatives (issue #11) "
        "or be listed in WITHOUT_DERIVATIVES with the reason")


# -- where the textbook formulas cancel: exact references -------------------------------------

def _rising(order, a, m):
    """F(a + m) − F(a) for integer m ≥ 0 by the recurrence: Σⱼ log(a+j), Σ 1/(a+j), −Σ 1/(a+j)²."""
    terms = {-1: lambda j: math.log(a + j), 0: lambda j: 1.0 / (a + j), 1: lambda j: -1.0 / (a + j) ** 2}[order]
    return math.fsum(terms(j) for j in range(m))


@pytest.mark.parametrize("order", [-1, 0, 1])
@pytest.mark.parametrize("a", [0.3, 0.9, 1.5, 40.0, 1e5, 1e9, 1e13])
def test_shift_diff_against_finite_sums(order, a):
    m = np.array([0, 1, 2, 3, 7, 60, 400])
    got = shift_diff(order, a, m.astype(float))
    want = np.array([_rising(order, a, int(k)) for k in m])
    assert got[0] == 0.0
    np.testing.assert_allclose(got[1:], want[1:], rtol=1e-13)
    np.testing.assert_allclose(shift_diff(order, a, 3.0), want[3], rtol=1e-13)  # scalar b


def test_beta_with_one_concentration_far_larger():
    family = get_family("beta")
    a, b = 1e9, 3  # integer b: ψ(a+b) − ψ(a) and friends are finite sums
    x = np.clip(family.sample({"concentration1": a, "concentration0": float(b)}, 30, seed=2), None, 1 - 1e-16)
    lp, d1, d2 = family.log_prob_derivatives({"concentration1": a, "concentration0": float(b)}, x)
    from scipy.special import digamma, gammaln, polygamma

    log_beta = gammaln(b) - _rising(-1, a, b)
    np.testing.assert_allclose(lp, (a - 1) * np.log(x) + (b - 1) * np.log1p(-x) - log_beta, rtol=1e-13)
    # d1[:, 0] = log x + ψ(a+b) − ψ(a): both parts ~3e-9; the plain ψ difference would be off by ~4e-15
    np.testing.assert_allclose(d1[:, 0], np.log(x) + _rising(0, a, b), rtol=0, atol=1e-23)
    np.testing.assert_allclose(d1[:, 1], np.log1p(-x) + digamma(a + b) - digamma(b), rtol=1e-13)
    np.testing.assert_allclose(d2[0, 0, 0], _rising(1, a, b), rtol=1e-12)
    np.testing.assert_allclose(d2[0, 0, 1], polygamma(1, a + b), rtol=1e-13)
    np.testing.assert_allclose(d2[0, 1, 1], polygamma(1, a + b) - polygamma(1, b), rtol=1e-13)


def test_negative_binomial_near_the_poisson_limit():
    family = get_family("negative_binomial")
    r, mean = 1e7, 4.0
    p = mean / (r + mean)
    x = np.array([0, 1, 2, 3, 4, 5, 9, 17, 30], dtype=float)
    lp, d1, d2 = family.log_prob_derivatives({"total_count": r, "probs": p}, x)
    from scipy.special import gammaln

    want_lp = [_rising(-1, r, int(k)) - gammaln(k + 1) + r * math.log1p(-p) + k * math.log(p) for k in x]
    np.testing.assert_allclose(lp, want_lp, rtol=1e-13)
    # ∂r = [ψ(x+r) − ψ(r)] + log(1 − p), two terms of ~4e-7 that cancel near x = mean: a few ulps of them
    np.testing.assert_allclose(d1[:, 0], [_rising(0, r, int(k)) + math.log1p(-p) for k in x], rtol=1e-12,
                               atol=1e-15 * abs(math.log1p(-p)))
    np.testing.assert_allclose(d2[:, 0, 0], [_rising(1, r, int(k)) for k in x], rtol=1e-12)
    assert d2[0, 0, 0] == 0.0  # x = 0: ψ₁(r) − ψ₁(r) exactly


@pytest.mark.parametrize("r", [0.7, 49.99, 50.0, 300.0, 1e7, 1.5e9, 1e13])
def test_negative_binomial_jax_log_prob_near_the_poisson_limit(r):
    """The JAX log_prob (fit_groups' and the JAX engine's evaluator) against exact finite sums: the
    plain log Γ(x + r) − log Γ(r) lost 5e-6 nats per row at r = 1.5e9, enough to rank a finite r
    above the Poisson limit on under-dispersed counts (fit_groups said converged where fit said
    boundary). Its derivative in r is the exact ψ(x + r) − ψ(r) + log(1 − p)."""
    from scipy.special import gammaln

    family = get_family("negative_binomial")
    p = 4.0 / (r + 4.0)
    x = np.array([0, 1, 2, 3, 4, 5, 9, 17, 30, 200], dtype=float)
    want = [_rising(-1, r, int(k)) - gammaln(k + 1) + r * math.log1p(-p) + k * math.log(p) for k in x]
    np.testing.assert_allclose(np.asarray(family.log_prob({"total_count": r, "probs": p}, jnp.asarray(x))), want,
                               rtol=5e-14)
    d_r = jax.grad(lambda t: jnp.sum(family.log_prob({"total_count": t, "probs": p}, jnp.asarray(x))))(r)
    want_d = math.fsum(_rising(0, r, int(k)) for k in x) + x.size * math.log1p(-p)
    assert float(d_r) == pytest.approx(want_d, rel=1e-9, abs=1e-13 * x.size * abs(math.log1p(-p)))


def test_negative_binomial_derivatives_per_row_equal_one_value_each():
    """fit_groups passes one (r, p) per row; each row equals the derivatives at its own scalar values."""
    family = get_family("negative_binomial")
    x = np.array([0, 3, 3, 7, 1, 0, 12, 4], dtype=float)
    r = np.array([0.5, 0.5, 2.0, 2.0, 1e9, 1e9, 30.0, 30.0])
    p = np.array([0.3, 0.3, 0.6, 0.6, 4e-9, 4e-9, 0.2, 0.2])
    lp, d1, d2 = family.log_prob_derivatives({"total_count": r, "probs": p}, x)
    for i in range(x.size):
        one = family.log_prob_derivatives({"total_count": float(r[i]), "probs": float(p[i])}, x[i:i + 1])
        np.testing.assert_allclose(lp[i], one[0][0], rtol=1e-14)
        np.testing.assert_allclose(d1[i], one[1][0], rtol=1e-14)
        np.testing.assert_allclose(d2[i], one[2][0], rtol=1e-14)


PI50 = Decimal("3.14159265358979323846264338327950288419716939937510")


def _half_shift_decimal(n: int):
    """S(n) = ψ(n + ½) − ψ(n) − 1/(2n), S′(n) = ψ₁(n + ½) − ψ₁(n) + 1/(2n²) for integer n, from
    ψ(n+½) = −γ − 2 log 2 + Σₖ₌₁ⁿ 2/(2k−1), ψ(n) = −γ + Σₖ₌₁ⁿ⁻¹ 1/k, ψ₁(n+½) = π²/2 − 4 Σₖ₌₁ⁿ
    1/(2k−1)², ψ₁(n) = π²/6 − Σₖ₌₁ⁿ⁻¹ 1/k² (50 digits)."""
    with localcontext() as ctx:
        ctx.prec = 50
        odd = [Decimal(2 * k - 1) for k in range(1, n + 1)]
        s = (-2 * Decimal(2).ln() + sum(2 / o for o in odd) - sum(1 / Decimal(k) for k in range(1, n))
             - 1 / Decimal(2 * n))
        s1 = (PI50**2 / 3 - 4 * sum(1 / o**2 for o in odd) + sum(1 / Decimal(k) ** 2 for k in range(1, n))
              + 1 / (2 * Decimal(n) ** 2))
        return s, s1


@pytest.mark.parametrize("n", [1, 3, 9, 10, 11, 50, 400, 5000])
def test_student_t_df_terms_at_large_df(n):
    s, s1 = _half_shift(float(n))
    want_s, want_s1 = _half_shift_decimal(n)
    np.testing.assert_allclose(s, float(want_s), rtol=1e-12)
    np.testing.assert_allclose(s1, float(want_s1), rtol=1e-12)

    # ∂ν and ∂νν per observation at ν = 2n, against the textbook forms evaluated in 50 digits
    family = get_family("student_t")
    nu = 2.0 * n
    z = np.array([-40.0, -3.0, -1.0, -0.1, 1e-4, 0.5, 2.0, 7.0])
    _, d1, d2 = family.log_prob_derivatives({"df": nu, "loc": 0.0, "scale": 1.0}, z)
    with localcontext() as ctx:
        ctx.prec = 50
        D = Decimal
        for i, zi in enumerate(z):
            v, z2 = D(nu), D(float(zi)) ** 2
            dnu = want_s / 2 - (1 + z2 / v).ln() / 2 + (v + 1) * z2 / (2 * v * (v + z2))
            g1 = (v * (v + z2) - (v + 1) * (2 * v + z2)) / (v**2 * (v + z2) ** 2)
            dnunu = want_s1 / 4 + z2 / (2 * v * (v + z2)) + z2 / 2 * g1
            np.testing.assert_allclose(d1[i, 0], float(dnu), rtol=1e-10)
            np.testing.assert_allclose(d2[i, 0, 0], float(dnunu), rtol=1e-10)


def _bessel_decimal(kappa: int):
    """e(κ) = 1 − I₁(κ)/I₀(κ) and A′(κ) = 1 − A/κ − A² from the power series of I₀ and I₁ (60 digits)."""
    with localcontext() as ctx:
        ctx.prec = 60
        h2 = (Decimal(kappa) / 2) ** 2
        term, i0, i1, k = Decimal(1), Decimal(0), Decimal(0), 0
        while True:  # term = (κ/2)^(2k) / (k!)²
            i0 += term
            i1 += term * Decimal(kappa) / 2 / (k + 1)
            k += 1
            term = term * h2 / (k * k)
            if k > kappa and term < i0 * Decimal("1e-60"):
                break
        a = i1 / i0
        return 1 - a, 1 - a / kappa - a * a


@pytest.mark.parametrize("kappa", [1, 20, 49, 50, 300, 3000])
def test_von_mises_bessel_ratio_at_large_concentration(kappa):
    e, a_prime = _one_minus_bessel_ratio(float(kappa))
    want_e, want_a_prime = _bessel_decimal(kappa)
    np.testing.assert_allclose(e, float(want_e), rtol=1e-13)
    np.testing.assert_allclose(a_prime, float(want_a_prime), rtol=1e-11)


@pytest.mark.parametrize(("name", "params", "x"), [
    ("weibull", {"concentration": 50.0, "scale": 1.0}, [1e10, 2.0]),
    ("gumbel", {"loc": 0.0, "scale": 1.0}, [-800.0, 1.0]),
])
def test_exp_overflow_gives_minus_infinity_like_log_prob(name, params, x):
    family = get_family(name)
    x = np.asarray(x)
    with np.errstate(all="raise"):
        lp, d1, d2 = family.log_prob_derivatives(params, x)
    np.testing.assert_array_equal(lp, np.asarray(family.log_prob(params, jnp.asarray(x))))
    assert lp[0] == -np.inf and np.isfinite(lp[1])
    assert not np.isnan(d1).any() and not np.isnan(d2).any()
