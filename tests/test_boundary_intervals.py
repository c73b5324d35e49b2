"""Intervals that respect the parameter's domain (issue #13 item 1).

References are closed forms: the profile of a Bernoulli on all heads is n·log p, so its interval
is [exp(−χ²₁(L)/(2n)), 1]; the log-scale Wald interval of an exponential rate is
exp(log λ̂ ± z/√n) (se(λ̂) = λ̂/√n); the logit-scale one of a Bernoulli is
expit(logit p̂ ± z/√(n p̂(1 − p̂))).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import special, stats

import maxlik
from maxlik import ParameterError


def flat(text: str) -> str:
    """The summary with its wrapped lines joined (one space between words)."""
    return " ".join(text.split())


@pytest.mark.parametrize("n", [10, 3])
def test_profile_interval_of_all_heads_is_one_sided_and_exact(n):
    r = maxlik.fit(np.ones(n), "bernoulli")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "does not drop" warning: the profile does drop
        (lo, hi), = r.conf_int(method="profile").values()
    assert hi == 1.0
    assert lo == pytest.approx(np.exp(-stats.chi2.ppf(0.95, 1) / (2 * n)), rel=1e-10)  # 0.825 at n = 10, 0.527 at 3


def test_profile_interval_of_all_tails_and_other_levels():
    r = maxlik.fit(np.zeros(10), "bernoulli")
    (lo, hi), = r.conf_int(0.99, method="profile").values()
    assert lo == 0.0 and hi == pytest.approx(-np.expm1(-stats.chi2.ppf(0.99, 1) / 20), rel=1e-10)


def test_profile_interval_near_the_boundary_is_two_sided():
    x = np.r_[np.ones(9), 0.0]  # ℓ(p) = 9 log p + log(1 − p)
    (lo, hi), = maxlik.fit(x, "bernoulli").conf_int(method="profile").values()
    top = 9 * np.log(0.9) + np.log(0.1)
    for end in (lo, hi):
        assert 2 * (top - (9 * np.log(end) + np.log1p(-end))) == pytest.approx(stats.chi2.ppf(0.95, 1), rel=1e-9)
    assert 0.5 < lo < 0.9 < hi < 1.0


def test_default_wald_interval_is_on_the_log_scale_for_a_rate():
    x = np.random.default_rng(3).exponential(2.0, 40)
    r = maxlik.fit(x, "exponential")
    lam, z = 1 / x.mean(), stats.norm.ppf(0.975)
    np.testing.assert_allclose(r.conf_int()["rate"], lam * np.exp(np.array([-1, 1]) * z / np.sqrt(x.size)), rtol=1e-12)
    se = lam / np.sqrt(x.size)
    np.testing.assert_allclose(r.conf_int(method="wald-natural")["rate"], (lam - z * se, lam + z * se), rtol=1e-12)
    row, = r.rows()
    assert (row.low, row.high) == r.conf_int()["rate"]
    assert "intervals: Wald on the log scale of rate, mapped back (method='wald-natural'" in flat(r.summary())


def test_default_wald_interval_is_on_the_logit_scale_for_a_probability():
    x = np.r_[np.ones(9), 0.0]
    r = maxlik.fit(x, "bernoulli")
    p, z = 0.9, stats.norm.ppf(0.975)
    half = z / np.sqrt(x.size * p * (1 - p))
    np.testing.assert_allclose(r.conf_int()["probs"], special.expit(special.logit(p) + np.array([-1, 1]) * half), rtol=1e-12)
    lo, hi = r.conf_int(method="wald-natural")["probs"]
    assert hi > 1.0  # the natural-scale interval leaves the domain; the default never does
    assert "logit scale of probs" in flat(r.summary())


def test_location_parameters_keep_the_natural_interval():
    x = np.random.default_rng(1).normal(3.0, 2.0, 50)
    r = maxlik.fit(x, "normal")
    assert r.conf_int()["loc"] == r.conf_int(method="wald-natural")["loc"]
    assert r.conf_int()["scale"] != r.conf_int(method="wald-natural")["scale"]
    assert "log scale of scale" in flat(r.summary())


def test_regression_coefficients_keep_their_intervals():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2))
    y = X @ [1.0, -0.5] + rng.normal(size=80)
    res = maxlik.LinearRegression().fit(X, y).result_
    assert res.conf_int() == res.conf_int(method="wald-natural")


def test_unknown_method_lists_the_valid_ones():
    r = maxlik.fit(np.ones(4), "bernoulli")
    with pytest.raises(ParameterError, match=(
            r"^conf_int: method must be 'wald' or 'profile'; got 'boot'\. The valid methods are 'wald': .*; "
            r"'wald-natural': .*; 'profile': .*\.$")):
        r.conf_int(method="boot")
