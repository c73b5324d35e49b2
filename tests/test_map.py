"""MAP estimation (maxlik.fit with prior=): conjugate closed forms, the Laplace standard errors,
the result's surface (no AIC/BIC) and bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

import maxlik
from maxlik.errors import ParameterError

BETA22 = {"probs": maxlik.prior("beta", concentration1=2.0, concentration0=2.0)}


@pytest.mark.parametrize("heads, flips, a, b", [(7, 10, 2.0, 2.0), (10, 10, 2.0, 2.0), (0, 5, 3.0, 1.5), (3, 40, 1.5, 8.0)])
def test_beta_bernoulli_mode_and_laplace_se(heads, flips, a, b):
    x = np.array([1.0] * heads + [0.0] * (flips - heads))
    r = maxlik.fit(x, "bernoulli", prior={"probs": maxlik.prior("beta", concentration1=a, concentration0=b)})
    mode = (heads + a - 1) / (flips + a + b - 2)  # the Beta(h + a, n − h + b) posterior's mode
    assert isinstance(r, maxlik.MAPResult) and r.method == "MAP" and r.converged
    assert r.params["probs"] == pytest.approx(mode, rel=1e-9)
    # Laplace: −d²/dp² log posterior = (h + a − 1)/p² + (n − h + b − 1)/(1 − p)² at the mode
    curvature = (heads + a - 1) / mode**2 + (flips - heads + b - 1) / (1 - mode) ** 2
    assert r.stderr["probs"] == pytest.approx(curvature**-0.5, rel=1e-6)
    # loglik is ℓ at the mode, log_posterior adds the log prior density there
    assert r.loglik == pytest.approx(heads * np.log(mode) + (flips - heads) * np.log1p(-mode), rel=1e-9)
    assert r.log_posterior == pytest.approx(r.loglik + stats.beta(a, b).logpdf(mode), rel=1e-9)


def test_normal_mean_with_normal_prior_and_known_scale():
    y = np.random.default_rng(3).normal(3.0, 2.0, size=25)
    sigma, mu0, tau = 2.0, -1.0, 0.5
    r = maxlik.fit(y, "normal", fixed={"scale": sigma}, prior={"loc": maxlik.prior("normal", loc=mu0, scale=tau)})
    precision = y.size / sigma**2 + 1 / tau**2
    assert r.params["loc"] == pytest.approx((y.sum() / sigma**2 + mu0 / tau**2) / precision, rel=1e-9)
    assert r.stderr["loc"] == pytest.approx(precision**-0.5, rel=1e-6)  # the exact posterior sd (Normal posterior)
    assert r.params["scale"] == sigma and r.fixed == ("scale",)


def test_gamma_map_matches_scipy_maximising_the_log_posterior_and_weights_count_as_rows():
    from scipy.optimize import minimize

    y = np.random.default_rng(4).gamma(2.0, 1.5, size=60)
    prior = {"concentration": maxlik.prior("lognormal", loc=0.0, scale=0.5)}
    r = maxlik.fit(y, "gamma", prior=prior)

    def neg_log_post(v):
        a, rate = np.exp(v)
        return -(stats.gamma(a, scale=1 / rate).logpdf(y).sum() + stats.lognorm(0.5).logpdf(a))

    ref = np.exp(minimize(neg_log_post, [0.0, 0.0], method="Nelder-Mead", options=dict(xatol=1e-10, fatol=1e-12)).x)
    assert [r.params["concentration"], r.params["rate"]] == pytest.approx(ref, rel=1e-6)
    x = np.array([1.0, 0.0, 1.0])
    rw = maxlik.fit(x, "bernoulli", weights=[3.0, 2.0, 4.0], prior=BETA22)
    assert rw.params["probs"] == pytest.approx((7 + 1) / (9 + 2), rel=1e-9)


def test_summary_and_criteria():
    r = maxlik.fit([1, 1, 1, 0, 1, 1, 0, 1, 1, 1], "bernoulli", prior=BETA22)
    text = r.summary()
    assert "MAP (posterior mode)" in text and "probs ~ Beta(concentration1=2, concentration0=2)" in text
    assert "Laplace approximation" in text and "not given: likelihood criteria" in text
    with pytest.raises(ParameterError, match="AIC must come from a maximum-likelihood fit.*likelihood criteria"):
        r.aic
    with pytest.raises(ParameterError, match="BIC must come from a maximum-likelihood fit"):
        r.bic
    d = json.loads(r.to_json())
    assert d["aic"] is None and d["type"] == "MAPResult"
    back = maxlik.results.Result.from_dict(d)
    assert isinstance(back, maxlik.MAPResult) and back.params == r.params and back.prior == r.prior


def test_profile_interval_is_the_posteriors():
    x = np.array([1.0] * 7 + [0.0] * 3)
    r = maxlik.fit(x, "bernoulli", prior=BETA22)
    lo, hi = r.conf_int(method="profile")["probs"]
    post = stats.beta(9.0, 5.0)  # log posterior drops by χ²₁(0.95)/2 from the mode at both ends
    drop = stats.chi2.ppf(0.95, 1) / 2
    assert post.logpdf(2 / 3) - post.logpdf(lo) == pytest.approx(drop, abs=1e-6)
    assert post.logpdf(2 / 3) - post.logpdf(hi) == pytest.approx(drop, abs=1e-6)


def test_bad_priors():
    y = [1.0, 2.0, 4.0]
    with pytest.raises(ParameterError, match=r"prior names must be parameters of Normal \(loc, scale\); got 'rate'"):
        maxlik.fit(y, "normal", prior={"rate": maxlik.prior("normal", loc=0.0, scale=1.0)})
    with pytest.raises(ParameterError, match="prior's support must contain the domain of 'loc'.*Gamma"):
        maxlik.fit(y, "normal", prior={"loc": maxlik.prior("gamma", concentration=2.0, rate=1.0)})
    with pytest.raises(ParameterError, match="must be a maxlik.prior"):
        maxlik.fit(y, "normal", prior={"loc": 3.0})
    with pytest.raises(ParameterError, match="must be free; got 'loc' both in fixed= and in prior="):
        maxlik.fit(y, "normal", fixed={"loc": 0.0}, prior={"loc": maxlik.prior("normal", loc=0.0, scale=1.0)})
    with pytest.raises(ParameterError, match="every parameter of Beta .* must be given; got no value for concentration0"):
        maxlik.prior("beta", concentration1=2.0)
    with pytest.raises(ParameterError, match="univariate continuous family"):
        maxlik.prior("poisson", rate=1.0)
    with pytest.raises(ParameterError, match="method must be 'auto' or a numerical optimizer with prior="):
        maxlik.fit(y, "normal", method="closed_form", prior={"loc": maxlik.prior("normal", loc=0.0, scale=1.0)})


def test_a_normal_prior_on_a_positive_scale_is_accepted():
    """Its support (the real line) contains the domain; the mode stays positive."""
    y = np.random.default_rng(5).normal(0.0, 1.0, size=30)
    r = maxlik.fit(y, "normal", prior={"scale": maxlik.prior("normal", loc=1.0, scale=0.1)})
    assert r.converged and 0.8 < r.params["scale"] < 1.2


def test_prior_refused_where_the_map_path_does_not_apply():
    normal_prior = {"loc": maxlik.prior("normal", loc=0.0, scale=1.0)}
    with pytest.raises(ParameterError, match="prior= must come with an array in memory, no truncation="):
        maxlik.fit([1.0, 2.0, 3.0], "normal", truncation=(0.0, None), prior=normal_prior)
    with pytest.raises(ParameterError, match="prior= with censored data is not implemented"):
        maxlik.fit(maxlik.Censored.from_events([1.0, 2.0, 3.0], [1, 0, 1]), "normal", prior=normal_prior)
    with pytest.raises(ParameterError, match="a prior must be on a scalar parameter with an interval domain; got 'probs'"):
        maxlik.fit([0, 1, 2, 1], maxlik.Categorical(3), prior={"probs": maxlik.prior("beta", concentration1=2.0, concentration0=2.0)})
