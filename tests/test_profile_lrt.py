"""Profile-likelihood intervals and likelihood-ratio tests against exact formulas.

Normal with unknown scale: the profile log-likelihood of loc is ℓₚ(μ) = −n/2 log(σ̂² + (μ − x̄)²)
+ const, so the level-L interval solves n·log(1 + (μ − x̄)²/σ̂²) = χ²₁,L:
μ = x̄ ± σ̂ √(exp(χ²₁,L / n) − 1). Its scale profile, n log(σ/σ̂)·2 + n(σ̂²/σ² − 1) = χ²₁,L, is
solved here with scipy's brentq. LRT of loc = 0: LR = n log(Σx²/n / σ̂²), p from scipy's χ²₁.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import optimize, stats

import maxlik
from maxlik import InferenceWarning, ParameterError
from maxlik._jax import jnp

rng = np.random.default_rng(11)
X = rng.normal(0.4, 1.5, size=200)
N = X.size


def exact_loc_interval(x, level):
    s = np.sqrt(np.mean((x - x.mean()) ** 2))
    h = s * np.sqrt(np.expm1(stats.chi2.ppf(level, 1) / x.size))
    return x.mean() - h, x.mean() + h


def exact_scale_interval(x, level):
    n, s = x.size, np.sqrt(np.mean((x - x.mean()) ** 2))
    c = stats.chi2.ppf(level, 1)

    def g(sig):
        return 2 * n * np.log(sig / s) + n * (s**2 / sig**2 - 1) - c

    return optimize.brentq(g, s * 0.5, s, xtol=1e-14), optimize.brentq(g, s, s * 2, xtol=1e-14)


@pytest.mark.parametrize("level", [0.95, 0.99])
def test_profile_interval_normal_closed_form_path(level):
    r = maxlik.fit(X, "normal")
    ci = r.conf_int(level, method="profile")
    np.testing.assert_allclose(ci["loc"], exact_loc_interval(X, level), rtol=1e-9)
    np.testing.assert_allclose(ci["scale"], exact_scale_interval(X, level), rtol=1e-9)


def test_profile_interval_normal_numerical_path():
    r = maxlik.fit(X, "normal", method="newton")
    ci = r.conf_int(0.95, method="profile")
    np.testing.assert_allclose(ci["loc"], exact_loc_interval(X, 0.95), rtol=1e-7)
    np.testing.assert_allclose(ci["scale"], exact_scale_interval(X, 0.95), rtol=1e-7)


def test_wald_stays_the_default():
    r = maxlik.fit(X, "normal")
    z = stats.norm.ppf(0.975)
    se = np.sqrt(np.mean((X - X.mean()) ** 2) / N)
    np.testing.assert_allclose(r.conf_int()["loc"], (X.mean() - z * se, X.mean() + z * se), rtol=1e-12)
    assert r.conf_int(method="wald") == r.conf_int()


def test_profile_errors_are_pinned():
    r = maxlik.fit(X, "normal")
    with pytest.raises(ParameterError, match=r"conf_int: method must be 'wald' or 'profile'; got 'bootstrap'"):
        r.conf_int(method="bootstrap")
    rebuilt = maxlik.FitResult.from_json(r.to_json())
    with pytest.raises(ParameterError, match=r"conf_int: method='profile' needs the data of the fit; got a result without it"):
        rebuilt.conf_int(method="profile")


def test_profile_of_the_only_free_parameter():
    def lp(p, x):
        return -0.5 * ((x - p["a"]) / p["s"]) ** 2

    r = maxlik.fit_loglik(lp, X, {"a": 0.0, "s": (1.0, "positive")}, fixed={"s": 1.0})
    ci = r.conf_int(method="profile")  # ℓ(a) = −n/2 (a − x̄)² + const: exact half-width √(χ²/n)
    h = np.sqrt(stats.chi2.ppf(0.95, 1) / N)
    np.testing.assert_allclose(ci["a"], (X.mean() - h, X.mean() + h), rtol=1e-8)


def test_profile_that_never_drops_enough_ends_at_the_domain_edge():
    # ℓ(s) = 0.005·n·exp(−(s − 1)²): maximal at s = 1, but ℓ̂ − ℓ(s) < χ²₁,0.95/2 for every s > 0.
    def lp(p, x):
        return -0.5 * (x - p["a"]) ** 2 + 0.005 * jnp.exp(-((p["s"] - 1.0) ** 2))

    r = maxlik.fit_loglik(lp, X, {"a": 0.0, "s": (1.2, "positive")})
    assert r.params["s"] == pytest.approx(1.0, abs=1e-6)
    with pytest.warns(InferenceWarning) as record:
        ci = r.conf_int(method="profile")
    messages = [str(w.message) for w in record]
    assert messages == [
        "conf_int: the profile likelihood of `s` does not drop by χ²/2 = 1.921 on the lower side; that end is the edge of the domain (0).",
        "conf_int: the profile likelihood of `s` does not drop by χ²/2 = 1.921 on the upper side; that end is the edge of the domain (inf).",
    ]
    assert record[0].filename == __file__
    assert ci["s"] == (0.0, np.inf)


def test_lrt_normal_loc_zero():
    full = maxlik.fit(X, "normal")
    restricted = maxlik.fit(X, "normal", fixed={"loc": 0.0})
    res = maxlik.lrt(restricted, full)
    lr = N * np.log(np.mean(X**2) / np.mean((X - X.mean()) ** 2))
    assert res.statistic == pytest.approx(lr, rel=1e-9)
    assert res.df == 1
    assert res.pvalue == pytest.approx(stats.chi2.sf(lr, 1), rel=1e-9)
    stat, df, p = res
    assert (stat, df, p) == (res.statistic, res.df, res.pvalue)
    assert "LR =" in str(res)


def test_lrt_errors_are_pinned():
    full = maxlik.fit(X, "normal")
    restricted = maxlik.fit(X, "normal", fixed={"loc": 0.0})
    with pytest.raises(ParameterError, match=r"lrt: full must have more free parameters than restricted; got 1 and 2"):
        maxlik.lrt(full, restricted)
    with pytest.raises(ParameterError, match=r"lrt: both fits must use the same data; got n = 100"):
        maxlik.lrt(maxlik.fit(X[:100], "normal", fixed={"loc": 0.0}), full)
    with pytest.raises(ParameterError, match=r"lrt: restricted and full must be nested fits of one family; got Exponential and Normal"):
        maxlik.lrt(maxlik.fit(np.abs(X), "exponential"), maxlik.fit(np.abs(X), "normal"))
