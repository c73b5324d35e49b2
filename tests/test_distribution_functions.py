"""Distribution functions of every univariate family (issue #14, item 1): cdf, sf, logcdf, logsf,
ppf, isf, mean and var against scipy.stats, far tails against scipy's log forms or a log-space
quadrature of the density, JAX traceability of the log forms, and the FitResult methods."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import integrate, stats

import maxlik
from maxlik.errors import ParameterError
from maxlik.families import family_names

MULTIVARIATE = {"mvnormal", "dirichlet"}  # families without distribution functions, on purpose
OWN_TEST = {"von_mises"}  # circular: tested in test_von_mises below

# name -> (family, params, the scipy distribution, points x across the support and its tails)
CONTINUOUS = {
    "normal": (maxlik.Normal(), {"loc": 1.5, "scale": 2.0}, stats.norm(1.5, 2.0), np.r_[-80, -20, -3, 0, 1.5, 4, 25, 81]),
    "lognormal": (maxlik.LogNormal(), {"loc": 0.3, "scale": 0.7}, stats.lognorm(s=0.7, scale=math.exp(0.3)),
                  np.r_[-1, 0, 1e-30, 1e-6, 0.5, 1.3, 10, 1e5, 1e12]),
    "exponential": (maxlik.Exponential(), {"rate": 2.5}, stats.expon(scale=1 / 2.5), np.r_[-1, 0, 1e-12, 0.1, 1, 5, 300, 1000]),
    "gamma": (maxlik.Gamma(), {"concentration": 2.5, "rate": 1.5}, stats.gamma(2.5, scale=1 / 1.5),
              np.r_[-1, 0, 1e-200, 1e-10, 0.3, 1.7, 6, 40, 300]),
    "weibull": (maxlik.Weibull(), {"concentration": 1.7, "scale": 2.0}, stats.weibull_min(1.7, scale=2.0),
                np.r_[-1, 0, 1e-100, 1e-8, 0.5, 2, 5, 60, 400]),
    "beta": (maxlik.Beta(), {"concentration1": 2.5, "concentration0": 0.8}, stats.beta(2.5, 0.8),
             np.r_[-0.5, 0, 1e-100, 1e-5, 0.2, 0.5, 0.9, 1 - 1e-9, 1, 2]),
    "cauchy": (maxlik.Cauchy(), {"loc": -1.0, "scale": 0.5}, stats.cauchy(-1.0, 0.5), np.r_[-1e200, -1e8, -3, -1, 0.5, 1e6, 1e300]),
    "gumbel": (maxlik.Gumbel(), {"loc": 0.5, "scale": 2.0}, stats.gumbel_r(0.5, 2.0), np.r_[-10, -3, 0, 0.5, 4, 60, 1500]),
    "logistic": (maxlik.Logistic(), {"loc": 0.5, "scale": 1.5}, stats.logistic(0.5, 1.5), np.r_[-1200, -40, -2, 0.5, 3, 45, 1200]),
    "laplace": (maxlik.Laplace(), {"loc": -0.5, "scale": 1.2}, stats.laplace(-0.5, 1.2), np.r_[-1000, -30, -1, -0.5, 0, 2, 40, 1000]),
    "student_t": (maxlik.StudentT(), {"df": 4.5, "loc": 1.0, "scale": 2.0}, stats.t(4.5, 1.0, 2.0),
                  np.r_[-1e80, -1e5, -30, -2, 1.0, 1.5, 8, 1e4, 1e80]),
    "pareto": (maxlik.Pareto(), {"scale": 1.5, "alpha": 2.5}, stats.pareto(2.5, scale=1.5), np.r_[0, 1.5, 1.5 + 1e-6, 2, 10, 1e8, 1e130]),
    "uniform": (maxlik.Uniform(), {"low": -1.0, "high": 3.0}, stats.uniform(-1.0, 4.0), np.r_[-5, -1, -0.999, 0, 2.5, 3, 7]),
    # threshold forms: scipy's loc
    "weibull3": (maxlik.Weibull(threshold=True), {"concentration": 1.7, "scale": 2.0, "loc": 3.0},
                 stats.weibull_min(1.7, 3.0, 2.0), np.r_[-1, 3, 3 + 1e-8, 3.5, 5, 60, 400]),
    "gamma3": (maxlik.Gamma(threshold=True), {"concentration": 2.5, "rate": 1.5, "loc": -2.0},
               stats.gamma(2.5, -2.0, 1 / 1.5), np.r_[-3, -2, -2 + 1e-10, -1.7, 0, 6, 300]),
    "lognormal3": (maxlik.LogNormal(threshold=True), {"mu": 0.3, "sigma": 0.7, "loc": 10.0},
                   stats.lognorm(s=0.7, loc=10.0, scale=math.exp(0.3)), np.r_[9, 10, 10 + 1e-6, 10.5, 11.3, 20, 1e5]),
    "exponential2": (maxlik.Exponential(threshold=True), {"rate": 2.5, "loc": 1.0}, stats.expon(1.0, 1 / 2.5),
                     np.r_[0, 1, 1 + 1e-12, 1.1, 2, 6, 300]),
}
DISCRETE = {
    "poisson": (maxlik.Poisson(), {"rate": 3.5}, stats.poisson(3.5), np.r_[-3, -0.5, 0, 0.7, 2, 3.5, 7, 20, 200]),
    "bernoulli": (maxlik.Bernoulli(), {"probs": 0.3}, stats.bernoulli(0.3), np.r_[-1, -0.2, 0, 0.5, 1, 1.5, 4]),
    "binomial": (maxlik.Binomial(total_count=400), {"probs": 0.35}, stats.binom(400, 0.35), np.r_[-1, 0, 3, 60, 140, 141.5, 250, 399, 400, 401]),
    "geometric": (maxlik.Geometric(), {"probs": 0.2}, stats.geom(0.2, loc=-1), np.r_[-2, 0, 0.9, 3, 30, 3000]),
    "negative_binomial": (maxlik.NegativeBinomial(), {"total_count": 3.5, "probs": 0.6}, stats.nbinom(3.5, 0.4),
                          np.r_[-1, 0, 1, 5, 5.5, 20, 600]),
    "categorical": (maxlik.Categorical(), {"probs": np.array([0.1, 0.0, 0.45, 0.3, 0.15])},
                    stats.rv_discrete(values=(np.arange(5), [0.1, 0.0, 0.45, 0.3, 0.15])), np.r_[-1, 0, 0.5, 1, 2, 3.9, 4, 9]),
}
ALL = {**CONTINUOUS, **DISCRETE}
Q = np.r_[0.0, 1e-300, 1e-12, 0.01, 0.2, 0.5, 0.77, 0.99, 1 - 1e-12, 1.0]


def _close(got, want, rtol=1e-9, atol=1e-300):
    np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol=rtol, atol=atol)


def test_every_univariate_family_has_distribution_functions():
    """A family registered later without cdf/sf/logcdf/logsf/ppf/isf fails here, unless it is
    listed as multivariate (von Mises, circular, has its own test)."""
    for name, cls in family_names().items():
        fam = maxlik.Binomial(total_count=3) if name == "binomial" else cls()
        assert fam.has_distribution_functions is (name not in MULTIVARIATE), name
        assert (name in ALL or name in OWN_TEST) is fam.has_distribution_functions, f"{name}: add it to this table"


@pytest.mark.parametrize("name", sorted(ALL))
def test_against_scipy(name):
    fam, params, ref, x = ALL[name]
    with np.errstate(divide="ignore"):
        _close(fam.cdf(params, x), ref.cdf(x))
        _close(fam.sf(params, x), ref.sf(x))
        # log F from the smaller of F and S (log1p(−S) when S < ½), where it has not underflowed
        F, S = ref.cdf(x), ref.sf(x)
        log_F, log_S = np.where(S < 0.5, np.log1p(-S), np.log(F)), np.where(F < 0.5, np.log1p(-F), np.log(S))
        _close(fam.logcdf(params, x)[F > 1e-290], log_F[F > 1e-290])
        _close(fam.logsf(params, x)[S > 1e-290], log_S[S > 1e-290])
    q = Q if name != "student_t" else Q[Q != 1e-300]  # scipy's t.ppf(1e-300) is -inf: see test_ppf_inverts_cdf
    _close(fam.ppf(params, q), ref.ppf(q), rtol=1e-8)
    q = Q if name in CONTINUOUS else Q[Q >= 1e-12]  # scipy's discrete isf gives inf or nan at 1e-300
    q = q if name != "student_t" else q[q != 1e-300]
    _close(fam.isf(params, q), ref.isf(q), rtol=1e-8)
    _close(fam.mean(params), ref.mean())
    _close(fam.var(params), ref.var())


def _log_tail(logpdf, x, sign):
    """log ∫ p over (x, ∞) (sign = +1) or (−∞, x) (sign = −1) by quadrature of p(x + sign·u) / p(x)."""
    l0 = logpdf(x)
    with np.errstate(over="ignore"):  # e^u of the log|X| substitution overflows far out, where p = 0
        val, _ = integrate.quad(lambda u: math.exp(logpdf(x + sign * u) - l0), 0, np.inf, epsabs=0, epsrel=1e-12, limit=200)
    return l0 + math.log(val)


# far tails, |log p| > 700: (name, params, scipy distribution, x, "sf" or "cdf"), referenced by a
# quadrature of scipy's log-density in log space
FAR_TAILS = [
    ("normal", {"loc": 0.0, "scale": 1.0}, stats.norm(), 40.0, "sf"), ("normal", {"loc": 0.0, "scale": 1.0}, stats.norm(), -40.0, "cdf"),
    ("gamma", {"concentration": 2.5, "rate": 1.5}, stats.gamma(2.5, scale=1 / 1.5), 520.0, "sf"),
    ("gamma", {"concentration": 40.0, "rate": 1.0}, stats.gamma(40.0), 900.0, "sf"),
    ("gamma", {"concentration": 3.0, "rate": 1.0}, stats.gamma(3.0), 1e-120, "cdf"),
    ("weibull", {"concentration": 1.7, "scale": 2.0}, stats.weibull_min(1.7, scale=2.0), 100.0, "sf"),
    ("exponential", {"rate": 2.5}, stats.expon(scale=0.4), 400.0, "sf"),
    ("lognormal", {"loc": 0.3, "scale": 0.7}, stats.lognorm(0.7, scale=math.exp(0.3)), 1e12, "sf"),
    ("lognormal", {"loc": 0.3, "scale": 0.7}, stats.lognorm(0.7, scale=math.exp(0.3)), 1e-12, "cdf"),
    ("gumbel", {"loc": 0.5, "scale": 2.0}, stats.gumbel_r(0.5, 2.0), 1500.0, "sf"),
    ("logistic", {"loc": 0.5, "scale": 1.5}, stats.logistic(0.5, 1.5), -1200.0, "cdf"),
    # scipy's laplace.logpdf underflows out there: the closed form −|x − loc| / scale − log(2 scale)
    ("laplace", {"loc": -0.5, "scale": 1.2}, SimpleNamespace(logpdf=lambda t: -abs(t + 0.5) / 1.2 - math.log(2.4)), 1000.0, "sf"),
    ("student_t", {"df": 4.5, "loc": 1.0, "scale": 2.0}, stats.t(4.5, 1.0, 2.0), -1e80, "cdf"),
    ("beta", {"concentration1": 2.5, "concentration0": 0.8}, stats.beta(2.5, 0.8), 1e-140, "cdf"),
]


@pytest.mark.parametrize("name,params,ref,x,side", FAR_TAILS)
def test_far_tails_in_log_space(name, params, ref, x, side):
    fam = maxlik.get_family(name)
    got = float((fam.logsf if side == "sf" else fam.logcdf)(params, x))
    assert got < -700
    if abs(math.log(abs(x))) > 20:
        # integrate the density of log|X| instead: smooth and O(1)-scaled there
        s = 1.0 if x > 0 else -1.0
        want = _log_tail(lambda u: ref.logpdf(s * np.exp(u)) + u, math.log(abs(x)), 1 if (side == "sf") == (x > 0) else -1)
    else:
        want = _log_tail(ref.logpdf, x, 1 if side == "sf" else -1)
    assert got == pytest.approx(want, rel=1e-9)


def test_scipy_log_forms_where_scipy_has_them():
    """scipy computes these log forms itself (no underflow): ours must agree to rounding."""
    x = np.r_[-60.0, -39.0, 0.0, 39.0, 60.0]
    _close(maxlik.Normal().logsf({"loc": 0.0, "scale": 1.0}, x), stats.norm.logsf(x), rtol=1e-12)
    _close(maxlik.Normal().logcdf({"loc": 0.0, "scale": 1.0}, x), stats.norm.logcdf(x), rtol=1e-12)
    w = np.r_[1e-200, 0.1, 3.0, 500.0]
    _close(maxlik.Weibull().logsf({"concentration": 1.7, "scale": 2.0}, w), stats.weibull_min(1.7, scale=2.0).logsf(w), rtol=1e-12)
    _close(maxlik.Weibull().logcdf({"concentration": 1.7, "scale": 2.0}, w), stats.weibull_min(1.7, scale=2.0).logcdf(w), rtol=1e-12)
    _close(maxlik.Gumbel().logcdf({"loc": 0.0, "scale": 1.0}, -x), stats.gumbel_r.logcdf(-x), rtol=1e-12)


@pytest.mark.parametrize("name", ["binomial", "geometric", "negative_binomial", "poisson"])
def test_discrete_far_tails_against_summed_masses(name):
    """log S(k) and log F(k) where they underflow, against log-sum-exp of the log masses."""
    fam, params, _, _ = DISCRETE[name]
    far = {"poisson": (400.0, None), "binomial": (300.0, None), "geometric": (5000.0, None),
           "negative_binomial": (2500.0, None)}[name]
    if name == "binomial":
        params = {"probs": 0.01}
    from scipy.special import logsumexp

    top = 400 if name == "binomial" else 20000
    ks = np.arange(0, top + 1, dtype=float)
    lp = np.asarray(fam.log_prob(params, ks))
    k, low = far
    assert float(fam.logsf(params, k)) < -700
    assert float(fam.logsf(params, k)) == pytest.approx(logsumexp(lp[int(k) + 1:]), rel=1e-10)
    if low is not None:
        assert float(fam.logcdf(params, low)) == pytest.approx(logsumexp(lp[: int(low) + 1]), rel=1e-10)


@pytest.mark.parametrize("name", sorted(CONTINUOUS))
def test_ppf_inverts_cdf(name):
    """ppf(cdf(x)) = x where F(x) ≤ ½ and isf(sf(x)) = x where S(x) ≤ ½ (each on the side where
    its probability keeps its digits), at the table's points inside the support."""
    fam, params, ref, x = CONTINUOUS[name]
    F, S = fam.cdf(params, x), fam.sf(params, x)
    left, right = (F > 1e-300) & (F <= 0.5), (S > 1e-300) & (S <= 0.5)
    _close(fam.ppf(params, F[left]), x[left], rtol=1e-8, atol=1e-14)
    _close(fam.isf(params, S[right]), x[right], rtol=1e-8, atol=1e-14)
    assert left.sum() >= 1 and right.sum() >= 1


@pytest.mark.parametrize("name", sorted(DISCRETE))
def test_discrete_steps(name):
    """F is a right-continuous step function on the integers (F(k + 0.5) = F(k) = F(k + 1) − p(k + 1)),
    ppf(F(k)) = k on the support, and ppf / isf are the smallest k with F(k) ≥ q / S(k) ≤ q."""
    fam, params, ref, _ = DISCRETE[name]
    ks = np.arange(0.0, 12.0) if name != "bernoulli" else np.r_[0.0, 1.0]
    if name == "categorical":
        ks = np.arange(0.0, 5.0)
    F = fam.cdf(params, ks)
    _close(fam.cdf(params, ks + 0.5), F, rtol=1e-14)
    _close(fam.cdf(params, ks - 1e-9), np.r_[0.0, F[:-1]], rtol=1e-14)
    _close(np.diff(F), np.exp(fam.log_prob(params, ks[1:])), rtol=1e-9, atol=1e-15)
    mass = np.exp(np.asarray(fam.log_prob(params, ks))) > 0
    _close(fam.ppf(params, F)[mass], ks[mass])
    q = np.r_[1e-300, 1e-12, np.linspace(0.001, 0.999, 101)]
    k = fam.ppf(params, q)
    assert np.all(fam.cdf(params, k) >= q) and np.all((fam.cdf(params, k - 1) < q) | (k == 0))
    k = fam.isf(params, q)
    assert np.all(fam.sf(params, k) <= q) and np.all((fam.sf(params, k - 1) > q) | (k == 0))


@pytest.mark.parametrize("loc,kappa", [(0.0, 2.0), (2.5, 0.7), (-3.0, 30.0), (1.0, 80.0), (7.0, 5.0), (0.3, 1e-3)])
def test_von_mises(loc, kappa):
    """On the data's interval [−π, π] for any loc: F(x) = scipy's (unwrapped) cdf(x) − cdf(−π),
    to the 12 digits of Hill's algorithm; ppf inverts it; mean direction and circular variance."""
    fam, p = maxlik.VonMises(), {"loc": loc, "concentration": kappa}
    ref = stats.vonmises(kappa, loc=loc)
    x = np.linspace(-np.pi, np.pi, 25)
    _close(fam.cdf(p, x), ref.cdf(x) - ref.cdf(-np.pi), rtol=0, atol=1e-12)
    _close(fam.sf(p, x), ref.cdf(np.pi) - ref.cdf(x), rtol=0, atol=1e-12)
    _close(fam.cdf(p, np.r_[-4.0, 4.0]), [0.0, 1.0])
    q = np.r_[0.001, 0.2, 0.5, 0.9, 0.999]
    _close(fam.cdf(p, fam.ppf(p, q)), q, rtol=0, atol=1e-12)
    _close(fam.sf(p, fam.isf(p, q)), q, rtol=0, atol=1e-12)
    # the first trigonometric moment by quadrature of scipy's density: E[e^(iX)] = (1 − var) e^(i·mean)
    c, s = (integrate.quad(lambda t: f(t) * ref.pdf(t), -np.pi, np.pi, limit=200)[0] for f in (math.cos, math.sin))
    m1 = c + 1j * s
    assert fam.var(p) == pytest.approx(1.0 - abs(m1), abs=1e-10)
    if kappa > 0.1:
        assert fam.mean(p) == pytest.approx(np.angle(m1), abs=1e-8)


JAX_CASES = [  # (name, params, the parameter differentiated, points x)
    ("normal", {"loc": 1.5, "scale": 2.0}, "scale", [-30.0, 0.0, 3.0, 50.0]),
    ("lognormal", {"loc": 0.3, "scale": 0.7}, "loc", [0.1, 1.0, 1e6]),
    ("exponential", {"rate": 2.5}, "rate", [0.1, 2.0, 400.0]),
    ("gamma", {"concentration": 2.5, "rate": 1.5}, "concentration", [1e-150, 0.3, 2.0, 520.0]),
    ("gamma", {"concentration": 2.5, "rate": 1.5}, "rate", [1e-150, 0.3, 2.0, 520.0]),
    ("weibull", {"concentration": 1.7, "scale": 2.0}, "concentration", [0.01, 1.0, 100.0]),
    ("beta", {"concentration1": 2.5, "concentration0": 0.8}, "concentration1", [1e-140, 0.01, 0.5, 0.99]),
    ("beta", {"concentration1": 2.5, "concentration0": 0.8}, "concentration0", [0.01, 0.5, 0.99, 1 - 1e-12]),
    ("cauchy", {"loc": -1.0, "scale": 0.5}, "loc", [-1e6, 0.0, 10.0]),
    ("gumbel", {"loc": 0.5, "scale": 2.0}, "scale", [-5.0, 0.0, 1000.0]),
    ("logistic", {"loc": 0.5, "scale": 1.5}, "loc", [-1000.0, 0.0, 5.0]),
    ("laplace", {"loc": -0.5, "scale": 1.2}, "scale", [-100.0, 0.5, 100.0]),
    ("student_t", {"df": 4.5, "loc": 1.0, "scale": 2.0}, "scale", [-1e10, 0.0, 5.0]),
    ("student_t", {"df": 4.5, "loc": 1.0, "scale": 2.0}, "df", [-1e30, -3.0, 0.5, 1.5, 30.0]),
    ("binomial", {"probs": 0.35}, "probs", [0.0, 3.0, 140.0, 395.0]),
    ("pareto", {"scale": 1.5, "alpha": 2.5}, "alpha", [2.0, 10.0, 1e100]),
    ("uniform", {"low": -1.0, "high": 3.0}, "high", [-0.5, 0.5, 2.0]),
    ("poisson", {"rate": 3.5}, "rate", [0.0, 3.0, 8.0, 400.0]),
    ("bernoulli", {"probs": 0.3}, "probs", [0.0]),
    ("geometric", {"probs": 0.2}, "probs", [0.0, 4.0, 3000.0]),
    ("negative_binomial", {"total_count": 3.5, "probs": 0.6}, "probs", [0.0, 5.0, 40.0]),
    ("negative_binomial", {"total_count": 3.5, "probs": 0.6}, "total_count", [0.0, 5.0, 40.0, 2500.0]),
    ("categorical", {"probs": np.array([0.1, 0.2, 0.45, 0.25])}, None, [0.0, 1.0, 2.0]),
    ("von_mises", {"loc": 0.5, "concentration": 3.0}, "concentration", [-2.0, 0.0, 2.5]),
    ("von_mises", {"loc": 0.5, "concentration": 70.0}, "loc", [-0.0, 0.3, 0.7]),
]


@pytest.mark.parametrize("name,params,wrt,x", JAX_CASES)
def test_log_forms_trace_and_differentiate_in_jax(name, params, wrt, x):
    """cdf, sf, logcdf and logsf take JAX values, run under jit, equal the NumPy values, and their
    gradient in a parameter equals a central difference of the NumPy values."""
    import jax
    import jax.numpy as jnp

    fam = ALL[name][0] if name in ALL else maxlik.get_family(name)
    x = np.asarray(x)
    for method in (fam.logcdf, fam.logsf, fam.cdf, fam.sf):
        jitted = jax.jit(lambda p: method(p, jnp.asarray(x)))
        _close(jitted({k: jnp.asarray(v) for k, v in params.items()}), method(params, x), rtol=1e-10)
    if wrt is None:
        return
    for method in (fam.logcdf, fam.logsf, fam.cdf, fam.sf):
        def total(v, method=method):
            return jnp.sum(method({**params, wrt: v}, jnp.asarray(x)))

        g = float(jax.grad(total)(jnp.asarray(float(params[wrt]))))
        h = 1e-6 * float(params[wrt])
        fd = (np.sum(method({**params, wrt: params[wrt] + h}, x)) - np.sum(method({**params, wrt: params[wrt] - h}, x))) / (2 * h)
        assert np.isfinite(g)
        assert g == pytest.approx(fd, rel=1e-5, abs=1e-7)


@pytest.mark.parametrize("name", sorted(set(ALL) - {"categorical"}))
def test_gradients_are_finite_wherever_the_value_is(name):
    """At every point of the table, including the ends of the support and both far tails, each
    of cdf, sf, logcdf, logsf that is finite has a finite gradient in every parameter (the
    where-branches not taken are evaluated at safe arguments)."""
    import jax
    import jax.numpy as jnp

    fam, params, _, x = ALL[name]
    for wrt in params:
        for method in (fam.logcdf, fam.logsf, fam.cdf, fam.sf):
            grad = jax.jit(jax.vmap(jax.grad(lambda v, t, m=method, w=wrt: m({**params, w: v}, t)), in_axes=(None, 0)))
            g = np.asarray(grad(jnp.asarray(float(params[wrt])), jnp.asarray(x, dtype=float)))
            finite = np.isfinite(np.asarray(method(params, x)))
            assert np.all(np.isfinite(g[finite])), (wrt, method.__name__, x[finite & ~np.isfinite(g)])


def test_fit_result_methods_are_the_family_at_the_estimate():
    rng = np.random.default_rng(3)
    x = rng.gamma(2.0, 1.5, 400)
    r = maxlik.fit(x, "gamma")
    t, q = np.r_[0.1, 1.0, 5.0, 300.0], np.r_[1e-6, 0.5, 0.9]
    fam, p = r.family, r.params
    for method in ("cdf", "sf", "logcdf", "logsf"):
        _close(getattr(r, method)(t), getattr(fam, method)(p, t), rtol=0)
    _close(r.ppf(q), fam.ppf(p, q), rtol=0)
    _close(r.isf(q), fam.isf(p, q), rtol=0)
    ref = stats.gamma(p["concentration"], scale=1 / p["rate"])
    assert r.mean == pytest.approx(ref.mean()) and r.var == pytest.approx(ref.var())
    assert r.ppf(0.5) == pytest.approx(ref.median())
    counts = maxlik.fit(rng.poisson(4.0, 300), "poisson")
    assert counts.cdf(3) == pytest.approx(stats.poisson(counts.params["rate"]).cdf(3))
    assert counts.mean == pytest.approx(counts.params["rate"])


def test_moments_that_do_not_exist():
    """As scipy.stats: nan where the mean is undefined, inf where the integral diverges."""
    assert np.isnan(maxlik.fit(np.r_[-1.0, 0.3, 2.0, 0.1, 5.0], "cauchy").mean)
    t = maxlik.StudentT()
    assert np.isnan(t.mean({"df": 0.8, "loc": 0.0, "scale": 1.0}))
    assert t.var({"df": 1.5, "loc": 0.0, "scale": 1.0}) == np.inf
    assert maxlik.Pareto().mean({"scale": 1.0, "alpha": 0.9}) == np.inf == stats.pareto(0.9).mean()
    assert maxlik.Pareto().var({"scale": 1.0, "alpha": 1.5}) == np.inf == stats.pareto(1.5).var()


def test_bad_probabilities():
    with pytest.raises(ParameterError, match=r"Normal.ppf: q must be probabilities in \[0, 1\]; got 2 value\(s\) outside \(first: 1.5\)"):
        maxlik.Normal().ppf({"loc": 0.0, "scale": 1.0}, [0.5, 1.5, -0.1])
    with pytest.raises(ParameterError, match=r"Poisson.isf: q must be probabilities in \[0, 1\]; got 1 value\(s\) outside \(first: nan\)"):
        maxlik.Poisson().isf({"rate": 1.0}, [np.nan, 0.2])
    with pytest.raises(ParameterError, match=r"Gamma.ppf: q must be numeric probabilities in \[0, 1\]; got 'half'"):
        maxlik.Gamma().ppf({"concentration": 2.0, "rate": 1.0}, "half")
    r = maxlik.fit(np.r_[1.0, 2.0, 4.0], "exponential")
    with pytest.raises(ParameterError, match=r"Exponential.ppf: q must be probabilities in \[0, 1\]; got 1 value\(s\) outside \(first: 95\)"):
        r.ppf(95)


def test_bad_params_and_x():
    with pytest.raises(ParameterError, match=r"Gamma.logsf: params must have exactly the names \['concentration', 'rate'\]; "
                                             r"got \['concentration'\]. Pass every parameter"):
        maxlik.Gamma().logsf({"concentration": 2.0}, 1.0)
    with pytest.raises(ParameterError, match=r"Normal.cdf: params and x must be numeric; got x='a'"):
        maxlik.Normal().cdf({"loc": 0.0, "scale": 1.0}, "a")


def test_families_without_distribution_functions():
    r = maxlik.fit(np.random.default_rng(0).normal(size=(50, 2)), "mvnormal")
    with pytest.raises(ParameterError, match=r"MultivariateNormal.cdf: the family must be univariate with distribution "
                                             r"functions .*; got a multivariate family .* Families that have them: bernoulli, beta,"):
        r.cdf(np.zeros(2))
    with pytest.raises(ParameterError, match="MultivariateNormal.mean: the family must be univariate"):
        r.mean
    with pytest.raises(ParameterError, match=r"Dirichlet.ppf: the family must be univariate"):
        maxlik.Dirichlet().ppf({"concentration": np.ones(3)}, 0.5)
    import jax.numpy as jnp

    u = maxlik.fit_loglik(lambda p, x: jnp.log(p["rate"]) - p["rate"] * x, np.r_[1.0, 2.0], {"rate": (1.0, "positive")})
    with pytest.raises(ParameterError, match=r"fit_loglik\(<lambda>\).logsf: the family must be univariate with distribution "
                                             r"functions .*; got a family without distribution functions"):
        u.logsf(1.0)


def test_numpy_distribution_functions_load_no_jax():
    """On NumPy values every distribution function computes with NumPy and scipy.special alone."""
    import subprocess
    import sys

    code = """
import sys
import numpy as np
import maxlik
r = maxlik.fit(np.random.default_rng(0).gamma(2.0, 1.0, 200), "gamma")
r.cdf(1.0), r.sf(1e3), r.logcdf(1e-200), r.logsf(1e3), r.ppf(0.5), r.isf(1e-9), r.mean, r.var
for name, cls in maxlik.family_names().items():
    fam = cls(total_count=5) if name == "binomial" else cls()
    if fam.has_distribution_functions:
        p = {q.name: (np.array([0.5, 0.5]) if q.shape else np.mean(q.typical or (0.5, 0.5))) for q in fam.params}
        p = {"low": -1.0, "high": 1.0} if name == "uniform" else p
        fam.logcdf(p, np.r_[0.0, 0.5, 3.0]), fam.logsf(p, np.r_[0.0, 0.5, 3.0]), fam.ppf(p, 0.3), fam.isf(p, 0.3)
print("jax" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
