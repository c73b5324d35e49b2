"""fit_loglik: user-written log-densities, checked against statsmodels on the same data.

References: statsmodels' GenericLikelihoodModel on the same zero-inflated Poisson likelihood
(numerical derivatives), its ZeroInflatedPoisson model (estimates), and the Poisson GLM (exact
IRLS Hessian).
"""

from __future__ import annotations

import json
import warnings

import jax.scipy.special as jss
import numpy as np
import pytest
import statsmodels.api as sm
from scipy.special import gammaln
from statsmodels.base.model import GenericLikelihoodModel
from statsmodels.discrete.count_model import ZeroInflatedPoisson

import maxlik
from maxlik import DataError, ParameterError
from maxlik._jax import jnp

rng = np.random.default_rng(7)
N = 3000
Y = np.where(rng.random(N) < 0.3, 0, rng.poisson(2.5, N)).astype(float)


def zip_log_prob(p, y):
    log_pois = y * jnp.log(p["rate"]) - p["rate"] - jss.gammaln(y + 1.0)
    zero = jnp.logaddexp(jnp.log(p["pi"]), jnp.log1p(-p["pi"]) - p["rate"])
    return jnp.where(y == 0, zero, jnp.log1p(-p["pi"]) + log_pois)


ZIP_PARAMS = {"rate": (1.0, "positive"), "pi": (0.5, maxlik.constraints.unit_interval)}


@pytest.fixture(scope="module")
def zip_fit():
    return maxlik.fit_loglik(zip_log_prob, Y, ZIP_PARAMS)


class ZIPModel(GenericLikelihoodModel):
    """The same ZIP likelihood in (rate, pi), statsmodels' numerical score and Hessian."""

    def loglikeobs(self, params):
        rate, pi = params
        y = self.endog
        log_pois = y * np.log(rate) - rate - gammaln(y + 1.0)
        zero = np.logaddexp(np.log(pi), np.log1p(-pi) - rate)
        return np.where(y == 0, zero, np.log1p(-pi) + log_pois)


def test_zero_inflated_poisson_matches_statsmodels(zip_fit):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gen = ZIPModel(Y, np.ones((N, 1))).fit(start_params=[2.0, 0.3], method="newton", maxiter=100, tol=1e-14, disp=0)
        ones = np.ones((N, 1))
        zip_ = ZeroInflatedPoisson(Y, ones, exog_infl=ones, inflation="logit").fit(method="newton", maxiter=100, tol=1e-14, disp=0)
    r = zip_fit
    assert r.converged and r.method == "newton"
    assert r.params["rate"] == pytest.approx(gen.params[0], rel=1e-6)
    assert r.params["pi"] == pytest.approx(gen.params[1], rel=1e-6)
    assert r.stderr["rate"] == pytest.approx(gen.bse[0], rel=1e-4)
    assert r.stderr["pi"] == pytest.approx(gen.bse[1], rel=1e-4)
    assert r.loglik == pytest.approx(gen.llf, rel=1e-10)
    # statsmodels' dedicated ZIP model (logit π, log λ) agrees on the estimates. (Its analytic
    # Hessian leaves out the cross-derivative between the two parts, so its standard errors are
    # not a reference: they are ~3% off a finite-difference Hessian of its own loglike.)
    logit_pi, log_rate = zip_.params
    assert r.params["pi"] == pytest.approx(1 / (1 + np.exp(-logit_pi)), rel=1e-6)
    assert r.params["rate"] == pytest.approx(np.exp(log_rate), rel=1e-6)
    assert r.n_params == 2 and r.aic == pytest.approx(zip_.aic, rel=1e-10)
    assert "rate" in r.summary() and "pi" in r.summary()


def test_vector_parameter_and_pytree_data_poisson_regression():
    x = rng.normal(size=(400, 2))
    X = np.column_stack([np.ones(400), x])
    y = rng.poisson(np.exp(X @ np.array([0.3, 0.5, -0.2]))).astype(float)

    def lp(p, d):
        eta = d["X"] @ p["beta"]
        return d["y"] * eta - jnp.exp(eta) - jss.gammaln(d["y"] + 1.0)

    r = maxlik.fit_loglik(lp, {"X": X, "y": y}, {"beta": np.zeros(3)})
    ref = sm.GLM(y, X, family=sm.families.Poisson()).fit(tol=1e-14)
    np.testing.assert_allclose(r.params["beta"], ref.params, rtol=1e-6)
    np.testing.assert_allclose(r.stderr["beta"], ref.bse, rtol=1e-4)
    assert r.n_params == 3


def test_fixed_parameter_in_fit_loglik():
    r = maxlik.fit_loglik(zip_log_prob, Y, ZIP_PARAMS, fixed={"pi": 0.3})
    assert r.params["pi"] == 0.3 and r.fixed == ("pi",)
    # with π fixed, the score equation for λ: Σ_{y>0} (y/λ − 1) − n₀ (1−π) e^{−λ} / (π + (1−π) e^{−λ}) = 0
    lam = r.params["rate"]
    pos = Y[Y > 0]
    n0 = np.sum(Y == 0)
    score = np.sum(pos / lam - 1) - n0 * 0.7 * np.exp(-lam) / (0.3 + 0.7 * np.exp(-lam))
    assert abs(score) < 1e-6 * N


def test_errors_are_pinned():
    with pytest.raises(ParameterError, match=r"fit_loglik: log_prob_fn must return one log density per observation, shape \(3000,\); got shape \(\)\. Return the per-observation values, not their sum"):
        maxlik.fit_loglik(lambda p, y: jnp.sum(zip_log_prob(p, y)), Y, ZIP_PARAMS)
    with pytest.raises(ParameterError, match=r"fit_loglik: log_prob_fn must return floats; got dtype int"):
        maxlik.fit_loglik(lambda p, y: jnp.zeros(y.shape[0], dtype=int), Y, ZIP_PARAMS)
    with pytest.raises(ParameterError, match=r"fit_loglik: the log-density must be finite at the starting point; got \d+ non-finite value\(s\) \(first at row \d+ \(0-based\): -inf\) at params \{'rate': 1, 'pi': 0.5\}"):
        maxlik.fit_loglik(lambda p, y: jnp.where(y > 3, -jnp.inf, zip_log_prob(p, y)), Y, ZIP_PARAMS)
    with pytest.raises(ParameterError, match=r"fit_loglik: starting value of `pi` must be in \(0, 1\); got 1.5\. Pass init="):
        maxlik.fit_loglik(zip_log_prob, Y, {"rate": (1.0, "positive"), "pi": (1.5, "unit_interval")})
    with pytest.raises(ParameterError, match=r"constraints: constraint must be one of .*; got 'postive'"):
        maxlik.fit_loglik(zip_log_prob, Y, {"rate": (1.0, "postive"), "pi": (0.5, "unit_interval")})
    with pytest.raises(ParameterError, match=r"fit_loglik: params must be a non-empty dict"):
        maxlik.fit_loglik(zip_log_prob, Y, {})
    with pytest.raises(ParameterError, match=r"fit_loglik: log_prob_fn must be callable"):
        maxlik.fit_loglik("zip", Y, ZIP_PARAMS)
    with pytest.raises(ParameterError, match=r"fit_loglik: log_prob_fn\(params, data\) must run on JAX arrays; calling it raised"):
        maxlik.fit_loglik(lambda p, y: np.log(np.asarray(p["rate"])) + y, Y, ZIP_PARAMS)
    with pytest.raises(DataError, match=r"fit_loglik: data arrays must share their number of rows; got \[3, 4\]"):
        maxlik.fit_loglik(zip_log_prob, (np.ones(3), np.ones(4)), ZIP_PARAMS)
    with pytest.raises(DataError, match=r"fit_loglik: data must be finite; got 1 NaN or infinite values"):
        maxlik.fit_loglik(zip_log_prob, np.array([1.0, np.nan]), ZIP_PARAMS)


def test_json_round_trip_keeps_the_numbers_not_the_function(zip_fit):
    r = maxlik.FitResult.from_json(zip_fit.to_json())
    assert r.to_dict() == zip_fit.to_dict()
    assert r.params == zip_fit.params and r.stderr == zip_fit.stderr
    assert (r.loglik, r.n, r.n_params, r.aic, r.bic) == (zip_fit.loglik, zip_fit.n, 2, zip_fit.aic, zip_fit.bic)
    assert r.family.param("pi").constraint == maxlik.constraints.unit_interval
    np.testing.assert_array_equal(r.conf_int()["rate"], zip_fit.conf_int()["rate"])
    with pytest.raises(ParameterError, match=r"^fit_loglik\(zip_log_prob\): log_prob needs the user's log_prob_fn; got a "
                       r"result rebuilt from to_dict/JSON, which keep only the numbers\. Refit with maxlik\.fit_loglik"):
        r.log_prob(Y[:5])


def test_round_trip_of_parametrised_and_vector_constraints():
    """n_params (AIC/BIC's k) depends on the constraints: a K-simplex counts K − 1."""
    from maxlik.loglik import LoglikFamily, _param_specs

    specs, start = _param_specs({"w": (np.full(3, 1 / 3), "simplex"), "c": (2.0, maxlik.constraints.interval(0, 5)),
                                 "k": (1.0, maxlik.constraints.greater_than(0.5))})
    fam = LoglikFamily(lambda p, x: x, specs, start, "toy")
    back = LoglikFamily.from_options(**json.loads(json.dumps(fam.options)))
    assert back.params == fam.params and back.fn is None
    assert back.n_free_params(start) == fam.n_free_params(start) == 4


def test_sample_from_a_user_likelihood_is_a_clear_error():
    y = np.random.default_rng(3).poisson(2.0, 200).astype(float)

    def pois(p, y):
        return y * jnp.log(p["rate"]) - p["rate"] - jss.gammaln(y + 1.0)

    r = maxlik.fit_loglik(pois, y, params={"rate": (1.0, "positive")})
    with pytest.raises(maxlik.ParameterError, match=r"fit_loglik\(pois\): sample needs a sampler; got only a log-density"):
        r.sample(5)
