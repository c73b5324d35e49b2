"""maxlik.fit(x, family, truncation=(low, high)) (issue #14 item 3).

References: scipy's ``truncnorm`` / ``truncexpon`` log-densities maximised directly in the test
(scipy.optimize.minimize on the negative sum of their logpdf), scipy's truncnorm log-density for
windows deep in both tails, and the zero-truncated Poisson's score equation
x̄ = λ / (1 − e^−λ) solved by brentq; one fit recorded from R fitdistrplus (its command beside it).
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import scipy.optimize as so
import scipy.stats as st

import maxlik
from maxlik.errors import DataError, ParameterError
from maxlik.truncated_family import TruncatedFamily


def _scipy_max(nll, x0):
    """The reference optimum of scipy's own log-density: Nelder–Mead polished by BFGS."""
    a = so.minimize(nll, x0, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000})
    b = so.minimize(nll, a.x, method="BFGS", options={"gtol": 1e-10})
    return b if b.fun <= a.fun else a


def _truncnorm_nll(x, low, high):
    def nll(t):
        loc, scale = t[0], np.exp(t[1])
        return -st.truncnorm.logpdf(x, (low - loc) / scale, (high - loc) / scale, loc=loc, scale=scale).sum()

    return nll


def _agree(r, ref_loglik, ref_params, rtol=1e-4):
    assert r.converged
    assert r.loglik >= ref_loglik - 1e-9 * abs(ref_loglik)
    for k, v in ref_params.items():
        assert r.params[k] == pytest.approx(v, rel=rtol, abs=rtol)


@pytest.mark.parametrize("low, high", [(-1.0, 5.0), (0.5, None), (None, 2.0)])
def test_normal_matches_scipy_truncnorm_maximised(low, high):
    lo, hi = (-np.inf if low is None else low), (np.inf if high is None else high)
    x = st.truncnorm.rvs((lo - 1.0) / 2.0, (hi - 1.0) / 2.0, loc=1.0, scale=2.0, size=400, random_state=1)
    r = maxlik.fit(x, "normal", truncation=(low, high))
    ref = _scipy_max(_truncnorm_nll(x, lo, hi), [np.mean(x), np.log(np.std(x))])
    _agree(r, -ref.fun, {"loc": ref.x[0], "scale": np.exp(ref.x[1])})
    # the reported log-likelihood is scipy's log-density summed at our estimate
    loc, scale = r.params["loc"], r.params["scale"]
    theirs = st.truncnorm.logpdf(x, (lo - loc) / scale, (hi - loc) / scale, loc=loc, scale=scale).sum()
    assert r.loglik == pytest.approx(theirs, rel=1e-12)
    assert np.all(np.isfinite(list(r.stderr.values())))


@pytest.mark.parametrize("low, high", [(None, 3.0), (1.0, 4.0), (-1.0, 3.0)])
def test_exponential_matches_scipy_truncexpon_maximised(low, high):
    # truncexpon(b, loc, scale) lives on [loc, loc + b·scale]; a window starting below 0 is (0, high]
    start = 0.0 if low is None or low < 0 else low
    x = start + st.truncexpon.rvs((high - start) * 0.8, scale=1 / 0.8, size=300, random_state=2)

    def nll(t):
        scale = np.exp(-t[0])
        return -st.truncexpon.logpdf(x, (high - start) / scale, loc=start, scale=scale).sum()

    ref = _scipy_max(nll, [0.0])
    r = maxlik.fit(x, "exponential", truncation=(low, high))
    _agree(r, -ref.fun, {"rate": np.exp(ref.x[0])})


def test_window_deep_in_the_right_tail():
    """N(0, 1) truncated to (8, inf): P = S(8) ≈ 6e-16, so 1 − F(8) would round to 0 in the CDF form."""
    x = st.truncnorm.rvs(8.0, np.inf, size=300, random_state=3)
    r = maxlik.fit(x, "normal", truncation=(8.0, None), fixed={"scale": 1.0})

    def nll(loc):
        return -st.truncnorm.logpdf(x, 8.0 - loc, np.inf, loc=loc).sum()

    ref = so.minimize_scalar(nll, bracket=(-3.0, 3.0), tol=1e-12)
    assert np.isfinite(r.loglik) and np.isfinite(r.stderr["loc"])
    _agree(r, -ref.fun, {"loc": ref.x}, rtol=1e-5)


@pytest.mark.parametrize("low, high", [(8.0, 9.0), (40.0, 41.0), (-41.0, -40.0), (30.0, np.inf), (-np.inf, -30.0)])
def test_log_density_in_far_tails_matches_scipy(low, high):
    """|log P| up to ~800: the survival form on the right, the CDF form on the left (finite both)."""
    fam = TruncatedFamily(maxlik.Normal(), low, high)
    a, b = max(low, -1e300), min(high, 1e300)
    x = np.linspace(a, b, 7) if np.isfinite(low) and np.isfinite(high) else (low + np.arange(1, 6) * 0.1
                                                                                if np.isfinite(low) else high - np.arange(1, 6) * 0.1)
    p = {"loc": np.float64(0.0), "scale": np.float64(1.0)}
    ours = np.asarray(fam.log_prob(p, x))
    theirs = st.truncnorm.logpdf(x, low, high)
    assert np.all(np.isfinite(ours))
    np.testing.assert_allclose(ours, theirs, rtol=1e-9)


def test_log_mass_gradient_against_scipy():
    """d/dloc log P(8 < X ≤ 9) by JAX against a central difference of scipy's log(sf(8) − sf(9))."""
    import jax

    fam = TruncatedFamily(maxlik.Normal(), 8.0, 9.0)
    g = jax.grad(lambda m: fam.log_mass({"loc": m, "scale": 1.0}))(0.3)

    def ref(m):
        s8, s9 = st.norm.logsf(8.0 - m), st.norm.logsf(9.0 - m)
        return s8 + np.log1p(-np.exp(s9 - s8))

    h = 1e-5
    assert float(g) == pytest.approx((ref(0.3 + h) - ref(0.3 - h)) / (2 * h), rel=1e-6)


def test_zero_truncated_poisson_score_equation():
    """Discrete: truncation=(0, None) keeps k >= 1; the MLE solves x̄ = λ / (1 − e^−λ)."""
    y = st.poisson.rvs(1.7, size=3000, random_state=4)
    y = y[y > 0]
    r = maxlik.fit(y, "poisson", truncation=(0, None))
    lam = so.brentq(lambda t: t / -np.expm1(-t) - y.mean(), 1e-6, 50.0, xtol=1e-14)
    assert r.converged
    assert r.params["rate"] == pytest.approx(lam, rel=1e-8)
    # the density sums to one over the window k = 1, 2, ...
    k = np.arange(1, 80)
    assert np.exp(r.log_prob(k)).sum() == pytest.approx(1.0, rel=1e-12)
    with pytest.raises(DataError, match=r"window 0 < x <= inf; got 1 value\(s\) outside \(first at row 2 \(0-based\): 0\)"):
        maxlik.fit(np.array([1, 2, 0, 3]), "poisson", truncation=(0, None))


def test_weights_equal_repeated_rows():
    x = st.truncnorm.rvs(-1.0, 1.5, size=60, random_state=5)
    w = np.random.default_rng(5).integers(1, 4, size=x.size)
    a = maxlik.fit(x, "normal", truncation=(-1.0, 1.5), weights=w)
    b = maxlik.fit(np.repeat(x, w), "normal", truncation=(-1.0, 1.5))
    assert a.loglik == pytest.approx(b.loglik, rel=1e-10)
    for k in ("loc", "scale"):
        assert a.params[k] == pytest.approx(b.params[k], rel=1e-7)


def test_fixed_profile_lrt_and_compare():
    x = 0.5 + st.truncexpon.rvs(4.0, scale=1.0, size=300, random_state=6)  # claims above a deductible of 0.5
    window = (0.5, None)
    full = maxlik.fit(x, "weibull", truncation=window)
    restricted = maxlik.fit(x, "weibull", truncation=window, fixed={"concentration": 1.0})
    expo = maxlik.fit(x, "exponential", truncation=window)
    assert restricted.loglik == pytest.approx(expo.loglik, rel=1e-9)  # weibull(1, scale) is the exponential
    assert restricted.params["scale"] == pytest.approx(1 / expo.params["rate"], rel=1e-7)
    test = maxlik.lrt(restricted, full)
    assert test.df == 1 and 0.0 <= test.pvalue <= 1.0
    lo, hi = full.conf_int(method="profile")["scale"]
    assert lo < full.params["scale"] < hi
    table = maxlik.compare(x, ["exponential", "weibull", "lognormal", "gamma"], truncation=window)
    by_name = {row.family: row for row in table}
    assert all(by_name[k].applicable for k in ("exponential", "weibull", "lognormal", "gamma"))
    assert by_name["weibull"].loglik == pytest.approx(full.loglik, rel=1e-9)
    assert by_name["exponential"].aic == pytest.approx(expo.aic, rel=1e-9)
    # the gamma nests the exponential (concentration 1): its truncated maximum is at least as high
    assert by_name["gamma"].loglik >= expo.loglik - 1e-9 * abs(expo.loglik)
    fixed_shape = maxlik.fit(x, "gamma", truncation=window, fixed={"concentration": 1.0})
    assert fixed_shape.loglik == pytest.approx(expo.loglik, rel=1e-9)


def test_fitted_distribution_functions_are_the_truncated_ones():
    x = st.truncnorm.rvs(-0.5, 2.0, loc=1.0, scale=2.0, size=300, random_state=7)
    r = maxlik.fit(x, "normal", truncation=(0.0, 5.0))
    assert "truncated to (0, 5]" in r.family.display_name and "Truncated(Normal(), low=0, high=5)" in r.summary()
    loc, scale = r.params["loc"], r.params["scale"]
    ref = st.truncnorm(-loc / scale, (5.0 - loc) / scale, loc=loc, scale=scale)
    t = np.array([-1.0, 0.0, 0.3, 2.0, 4.9, 5.0, 7.0])
    np.testing.assert_allclose(r.cdf(t), ref.cdf(t), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(r.sf(t), ref.sf(t), rtol=1e-10, atol=1e-15)
    q = np.array([0.01, 0.5, 0.99])
    np.testing.assert_allclose(r.ppf(q), ref.ppf(q), rtol=1e-9)
    np.testing.assert_allclose(r.isf(q), ref.isf(q), rtol=1e-9)
    np.testing.assert_allclose(r.log_prob(x[:5]), ref.logpdf(x[:5]), rtol=1e-10)
    draws = r.sample(2000, seed=0)
    assert draws.min() >= 0.0 and draws.max() <= 5.0
    back = maxlik.FitResult.from_json(r.to_json())
    assert back.family == r.family and back.loglik == r.loglik
    assert json.loads(maxlik.fit(x, "normal", truncation=(0.0, None)).to_json())["family_options"]["high"] is None


def test_bad_input():
    x = np.array([1.0, 2.0, 3.0, 12.0, 0.5, 11.0])
    with pytest.raises(ParameterError, match=r"truncation low must be below high; got low = 5 >= high = 5"):
        maxlik.fit(x, "normal", truncation=(5, 5))
    with pytest.raises(ParameterError, match=r"truncation must be a pair \(low, high\); got 3"):
        maxlik.fit(x, "normal", truncation=3)
    with pytest.raises(ParameterError, match=r"truncation high must be a number or None; got 'ten'"):
        maxlik.fit(x, "normal", truncation=(0, "ten"))
    with pytest.raises(DataError, match=r"window 1 <= x <= 10; got 3 value\(s\) outside \(first at row 3 \(0-based\): 12\)"):
        maxlik.fit(x, "normal", truncation=(1, 10))
    with pytest.raises(ParameterError, match=r"truncation needs the family's cdf.*must be univariate with distribution "
                       r"functions.*multivariate.*Families that have them: bernoulli, beta") as info:
        maxlik.fit(np.ones((5, 2)), "mvnormal", truncation=(0, 10))
    listed = str(info.value).split("Families that have them: ")[1].rstrip(".").split(", ")
    assert "normal" in listed and "truncated" not in listed and "family" not in listed  # adapters, bases: not named
    with pytest.raises(ParameterError, match=r"truncation is not implemented for a threshold family"):
        maxlik.fit(x, "weibull3", truncation=(0, 20))
    with pytest.raises(ParameterError, match=r"no closed-form maximum"):
        maxlik.fit(x, "normal", truncation=(0, 20), method="closed_form")


def test_cli_truncated_fit(tmp_path):
    x = 0.5 + st.truncexpon.rvs(8.0, scale=1.0, size=200, random_state=8)
    csv = tmp_path / "claims.csv"
    csv.write_text("x\n" + "\n".join(f"{v:.17g}" for v in x) + "\n")
    cmd = [sys.executable, "-m", "maxlik.cli", "fit", str(csv), "-c", "x", "--family", "exponential",
           "--truncate-low", "0.5", "--format", "json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    expected = maxlik.fit(np.loadtxt(csv, skiprows=1), "exponential", truncation=(0.5, None))
    assert out["family"] == "truncated" and out["params"]["rate"] == pytest.approx(expected.params["rate"], rel=1e-9)
    # memorylessness: the exponential truncated to (0.5, inf) has rate 1 / mean(x − 0.5)
    assert out["params"]["rate"] == pytest.approx(1 / np.mean(np.loadtxt(csv, skiprows=1) - 0.5), rel=1e-7)
    bad = subprocess.run(cmd[:-2] + ["--truncate-high", "3"], capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and "truncation window" in bad.stderr


# A normal truncated to (1.25, 4.5] fitted by R fitdistrplus 1.1.8 (R 4.2.2): fitdist(x, "tnorm",
# start = list(mean = mean(x), sd = sd(x)), control = list(reltol = 1e-14, maxit = 10000)) with
#   dtnorm <- function(x, mean, sd) dnorm(x, mean, sd) / (pnorm(4.5, mean, sd) - pnorm(1.25, mean, sd))
#   ptnorm <- function(q, mean, sd) (pnorm(pmin(pmax(q, 1.25), 4.5), mean, sd) - pnorm(1.25, mean, sd)) /
#                                    (pnorm(4.5, mean, sd) - pnorm(1.25, mean, sd))
# printed with sprintf("%.12g"): estimate mean, sd, then loglik. (R's optimiser is Nelder–Mead.)
R_X = [1.702, 1.301, 2.372, 3.066, 2.268, 2.426, 1.284, 2.431, 3.896, 3.492, 3.081, 1.528, 3.668, 3.516, 1.665,
       2.802, 1.304, 1.548, 2.023, 1.648, 3.172, 3.371, 2.090, 2.029, 1.535, 1.466, 3.029, 2.714, 1.395, 2.412,
       2.224, 3.481, 3.045, 2.721, 2.593, 3.934, 4.158, 2.074, 1.843, 3.295]
R_FIT = {"loc": 1.62444592966, "scale": 1.54077993338, "loglik": -43.2615357809}


def test_normal_matches_r_fitdistrplus():
    r = maxlik.fit(np.array(R_X), "normal", truncation=(1.25, 4.5))
    assert r.loglik >= R_FIT["loglik"] - 1e-9 * abs(R_FIT["loglik"])
    assert r.loglik == pytest.approx(R_FIT["loglik"], rel=1e-6)
    assert r.params["loc"] == pytest.approx(R_FIT["loc"], rel=1e-4)
    assert r.params["scale"] == pytest.approx(R_FIT["scale"], rel=1e-4)


def test_a_truncated_gamma_with_a_free_shape_matches_scipy_maximised_directly():
    from scipy import optimize, stats as st

    x = np.random.default_rng(4).gamma(2.5, 1.0, 5000)
    x = x[(x > 1.0) & (x < 6.0)]
    r = maxlik.fit(x, "gamma", truncation=(1.0, 6.0))

    def nll(p):
        a, s = np.exp(p)
        d = st.gamma(a, scale=s)
        return -(d.logpdf(x) - np.log(d.cdf(6.0) - d.cdf(1.0))).sum()

    best = optimize.minimize(nll, [0.0, 0.0], method="Nelder-Mead", options=dict(xatol=1e-10, fatol=1e-12, maxiter=5000))
    assert r.converged and r.loglik >= -best.fun - 1e-9 * abs(best.fun)
    assert r.params["concentration"] == pytest.approx(np.exp(best.x[0]), rel=1e-5)
    assert r.params["rate"] == pytest.approx(np.exp(-best.x[1]), rel=1e-5)
