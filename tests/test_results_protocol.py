"""One result protocol: every fit's result has the same core (see maxlik.results)."""

from __future__ import annotations

import json
import math

import jax.numpy as jnp
import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

import maxlik
from maxlik.errors import ParameterError
from maxlik.results import Reference, Result, Z, student_t
from maxlik.status import Status

RNG = np.random.default_rng(11)
X1 = RNG.gamma(2.0, 1.5, size=120)
XY = RNG.normal(size=(80, 2))
Y_LIN = 1.0 + XY @ np.array([0.5, -0.3]) + RNG.normal(0, 0.4, 80)


def _fit_normal():
    return maxlik.fit(X1, "normal")


def _fit_gamma_numerical():
    return maxlik.fit(X1, "gamma", method="newton")


def _fit_mvnormal():
    return maxlik.fit(XY, "mvnormal")


def _fit_loglik():
    return maxlik.fit_loglik(lambda p, x: -p["rate"] * x + jnp.log(p["rate"]), X1, {"rate": (1.0, "positive")})


def _curve(convention):
    return lambda: maxlik.fit_curve(lambda p, x: p[0] + p[1] * x, XY[:, 0], Y_LIN, [0.0, 0.0],
                                    names=["a", "b"], sigma_convention=convention)


def _linear(sigma):
    return lambda: maxlik.LinearRegression(sigma=sigma).fit(XY, Y_LIN).result_


def _logistic():
    return maxlik.LogisticRegression().fit(XY, (Y_LIN > 1.0).astype(int)).result_


def _classifier():
    d = maxlik.datasets.load("iris")
    return maxlik.GaussianClassifier("diag").fit(d.X, d.y).result_


def _mixture():
    X = maxlik.datasets.load("faithful").X
    return maxlik.GaussianMixture(2, random_state=0).fit(X).result_


MAKERS = {
    "fit-closed-form": _fit_normal, "fit-numerical": _fit_gamma_numerical, "fit-mvnormal": _fit_mvnormal,
    "fit_loglik": _fit_loglik, "curve-mle": _curve("mle"), "curve-dof": _curve("dof"),
    "linear-mle": _linear("mle"), "linear-unbiased": _linear("unbiased"), "logistic": _logistic,
    "classifier": _classifier, "mixture": _mixture,
}


@pytest.fixture(scope="module", params=list(MAKERS))
def result(request):
    return MAKERS[request.param]()


def test_core_shape(result):
    assert isinstance(result, Result)
    assert isinstance(result.params, dict) and set(result.free) <= set(result.params)
    se, ci = result.stderr, result.conf_int(0.9)
    assert list(se) == list(result.free) == list(ci)
    for k in result.free:
        assert np.shape(se[k]) == np.shape(result.params[k])
        lo, hi = ci[k]
        assert np.all(np.asarray(lo) <= np.asarray(result.params[k])) and np.all(np.asarray(result.params[k]) <= np.asarray(hi))
    assert sum(int(np.size(v)) for v in result.params.values()) == len(result.rows())
    assert isinstance(result.status, Status) and result.converged == result.status.ok
    assert isinstance(result.message, str) and result.message


def test_criteria_are_the_formulas(result):
    k, ll = result.n_params, result.loglik
    assert result.aic == pytest.approx(2 * k - 2 * ll, rel=1e-12)
    assert result.bic == pytest.approx(k * math.log(result.weight) - 2 * ll, rel=1e-12)
    assert result.n >= 1 and result.weight > 0


def test_wald_interval_uses_the_reference_quantile(result):
    q = result.reference.quantile(0.9)
    expect = stats.norm.ppf(0.95) if result.reference.df is None else stats.t.ppf(0.95, result.reference.df)
    assert q == pytest.approx(expect, rel=1e-14)
    k = result.free[0]
    lo, hi = result.conf_int(0.9, method="wald-natural")[k]  # θ̂ ± q·se: a natural-scale reference
    np.testing.assert_allclose(np.asarray(hi) - np.asarray(lo), 2 * q * np.asarray(result.stderr[k]), rtol=1e-12)
    lo, hi = result.conf_int(0.9)[k]  # the default: on the log scale for a positive parameter
    est, se = np.asarray(result.params[k]), np.asarray(result.stderr[k])
    if isinstance(result, maxlik.FitResult) and result.family.param(k).constraint == maxlik.constraints.positive:
        np.testing.assert_allclose(np.log(hi) - np.log(lo), 2 * q * se / est, rtol=1e-12)
    else:
        np.testing.assert_allclose(np.asarray(hi) - np.asarray(lo), 2 * q * se, rtol=1e-12)


def test_summary_and_html_state_the_reference(result):
    text = result.summary()
    assert f"reference: {result.reference.describe()} for tests and intervals" in text
    assert result.free[0] in text and "std err" in text
    html = result._repr_html_()
    assert "<table>" in html and result.reference.describe() in html


def test_cov_labels_match_cov(result):
    cov, labels, why = result._covariance()
    if cov is None:  # marginal standard errors only (the classifier): no joint covariance, and it says why
        assert labels == [] and why and set(result.stderr) == set(result.free)
        with pytest.warns(maxlik.InferenceWarning, match=r"standard errors unavailable: .*marginal standard errors only"):
            assert result.cov is None
    else:
        assert np.shape(result.cov) == (len(result.cov_labels),) * 2


def test_dict_and_json_round_trip(result):
    d = result.to_dict()
    text = json.dumps(d)
    assert d["type"] == type(result).__name__ and d["status"] == result.status.name.lower()
    back = Result.from_json(text)
    assert type(back) is type(result)
    assert back.to_json() == result.to_json()
    assert back.summary() == result.summary()
    assert type(result).from_dict(d).to_json() == text


def test_profile_needs_a_result_that_has_one(result):
    if isinstance(result, maxlik.FitResult):
        return
    with pytest.raises(ParameterError, match=(
            rf"^conf_int: method='profile' needs a profile likelihood; got a {type(result).__name__}, "
            r"which has none\. Use method='wald'\.$")):
        result.conf_int(method="profile")


# -- the reference distribution ----------------------------------------------------------------
def test_unbiased_linear_regression_uses_t_as_statsmodels_ols():
    ref = sm.OLS(Y_LIN, sm.add_constant(XY)).fit()
    res = maxlik.LinearRegression(sigma="unbiased").fit(XY, Y_LIN).result_
    assert res.reference == student_t(ref.df_resid)
    np.testing.assert_allclose(list(res.stderr.values()), ref.bse, rtol=1e-10)
    np.testing.assert_allclose(list(res.pvalues.values()), ref.pvalues, rtol=1e-8)
    np.testing.assert_allclose(list(res.conf_int(0.9).values()), ref.conf_int(0.1), rtol=1e-10)
    np.testing.assert_allclose([r.pvalue for r in res.rows()], ref.pvalues, rtol=1e-8)
    assert "P>|t|" in res.summary()


def test_mle_linear_regression_and_glms_use_z():
    res = maxlik.LinearRegression().fit(XY, Y_LIN).result_
    assert res.reference == Z and "P>|z|" in res.summary()
    y = (Y_LIN > 1.0).astype(int)
    ref = sm.Logit(y, sm.add_constant(XY)).fit(disp=0)
    lr = maxlik.LogisticRegression().fit(XY, y).result_
    assert lr.reference == Z
    np.testing.assert_allclose(list(lr.zvalues.values()), ref.tvalues, rtol=1e-5)  # statsmodels' own tolerance
    np.testing.assert_allclose(list(lr.pvalues.values()), ref.pvalues, rtol=1e-3)
    np.testing.assert_allclose(list(lr.conf_int(0.95).values()), ref.conf_int(0.05), rtol=1e-5)


def test_curve_dof_convention_is_t_on_the_shared_mechanism():
    ref = sm.OLS(Y_LIN, sm.add_constant(XY[:, 0])).fit()
    res = _curve("dof")()
    assert res.reference == student_t(ref.df_resid) and _curve("mle")().reference == Z
    np.testing.assert_allclose([r.pvalue for r in res.rows()], ref.pvalues, rtol=1e-7)
    np.testing.assert_allclose(list(res.conf_int(0.9).values()), ref.conf_int(0.1), rtol=1e-8)


def test_classifier_loglik_is_the_joint_likelihood():
    d = maxlik.datasets.load("iris")
    for ct in ("full", "diag", "tied", "spherical"):
        m = maxlik.GaussianClassifier(ct, reg_covar=0.05).fit(d.X, d.y)
        ll = sum(stats.multivariate_normal(m.means_[k], m.covariances_[k]).logpdf(d.X[d.y == c]).sum()
                 + np.sum(d.y == c) * np.log(m.class_prior_[k]) for k, c in enumerate(m.classes_))
        assert m.result_.loglik == pytest.approx(ll, rel=1e-12)


def test_reference_distribution_values():
    assert Z.name == "z" and student_t(7).name == "t"
    assert student_t(7).pvalue(2.0) == pytest.approx(2 * stats.t.sf(2.0, 7), rel=1e-14)
    assert Reference.from_dict(student_t(7).to_dict()) == student_t(7) and Reference.from_dict(None) is Z
    with pytest.raises(ParameterError, match=r"^Reference: df must be a positive finite number; got 0\.0\.$"):
        student_t(0)
    with pytest.raises(ParameterError, match=r"^conf_int: level must be in \(0, 1\); got 1\.2\. Use e\.g\. 0\.95\.$"):
        student_t(5).quantile(1.2)


# -- rows, deprecated spellings, errors ---------------------------------------------------------
def test_rows_are_the_public_table():
    r = maxlik.fit(X1, "gamma", fixed={"rate": 1.0})
    (row,) = [x for x in r.rows() if x.label == "rate"]
    assert row.stderr is None and row.low is None
    (c,) = [x for x in r.rows() if x.label == "concentration"]
    lo, hi = r.conf_int()["concentration"]
    assert (c.estimate, c.stderr, c.low, c.high) == (r.params["concentration"], r.stderr["concentration"], lo, hi)
    assert c.statistic == pytest.approx(c.estimate / c.stderr) and c.pvalue == pytest.approx(2 * stats.norm.sf(c.statistic))


def test_deprecated_result_spellings():
    with pytest.warns(DeprecationWarning, match=r"^ClassifierResult.stderr_ is deprecated; use stderr\.$"):
        assert _classifier().stderr_ == _classifier().stderr
    with pytest.warns(DeprecationWarning, match=r"^GaussianMixtureResult.labels is deprecated; use cov_labels\.$"):
        assert _mixture().labels == _mixture().cov_labels


def test_from_dict_errors_are_pinned():
    d = _fit_normal().to_dict()
    with pytest.raises(ParameterError, match=r"^Result.from_dict: d\['type'\] must name a result class \(.*FitResult.*\); got None\. "
                                             r"Call the class's own from_dict, e\.g\. FitResult\.from_dict\(d\)\.$"):
        Result.from_dict({k: v for k, v in d.items() if k != "type"})
    with pytest.raises(ParameterError, match=r"^CurveFitResult.from_dict: d must come from a CurveFitResult; got one from a FitResult\.$"):
        maxlik.CurveFitResult.from_dict(d)
    legacy = {k: v for k, v in d.items() if k not in ("type", "status", "reference")}  # a result saved before the protocol
    assert maxlik.FitResult.from_dict(legacy).status is Status.CLOSED_FORM

    class Bare(Result):
        pass

    with pytest.raises(ParameterError, match=r"^Bare.from_dict: this result type cannot be rebuilt from a dict; got \['type'\]\.$"):
        Bare.from_dict({"type": "Bare"})


def test_lrt_and_selection_serialise():
    r0, r1 = maxlik.fit(X1, "gamma", fixed={"concentration": 2.0}), maxlik.fit(X1, "gamma")
    t = maxlik.lrt(r0, r1)
    assert type(t).from_dict(json.loads(t.to_json())) == t
    assert "chi-squared with 1 degrees of freedom" in t.summary() and str(t) == t.summary()
    sel = maxlik.select_mixture(maxlik.datasets.load("faithful").X, n_components=[1, 2], covariance_types="full")
    d = json.loads(json.dumps(sel.to_dict()))
    assert d["best_config"] == ["full", 2] and len(d["table"]) == 2
    assert d["table"][1]["bic"] == pytest.approx(sel.best.result_.bic, rel=1e-12)


def test_fit_mixture_result_is_on_the_protocol():
    # a generic mixture: core numbers from the protocol; no standard errors, said in one warning
    x = np.r_[RNG.poisson(2.0, 150), RNG.poisson(9.0, 100)]
    r = maxlik.fit_mixture(x, "poisson", 2, seed=0, tol=1e-10, max_iter=500)
    assert isinstance(r, Result) and r.status is Status.CONVERGED and r.converged
    assert list(r.params) == ["weights", "rate"] and np.shape(r.params["rate"]) == (2,)
    rates, w = r.params["rate"], r.params["weights"]
    ll = np.sum(np.log(w[0] * stats.poisson.pmf(x, rates[0]) + w[1] * stats.poisson.pmf(x, rates[1])))
    assert r.loglik == pytest.approx(ll, rel=1e-10)
    assert r.n_params == 3 and r.aic == pytest.approx(6 - 2 * ll, rel=1e-10)
    assert r.bic == pytest.approx(3 * math.log(len(x)) - 2 * ll, rel=1e-10) and r.weight == r.W == len(x)
    with pytest.warns(maxlik.InferenceWarning, match=r"fit_mixture: standard errors unavailable: fit_mixture does not "
                                                     r"compute standard errors \(GaussianMixture\(\.\.\.\)\.result_ has them"):
        assert np.isnan(r.stderr["rate"]).all()
    assert "EM converged after" in r.summary() and json.loads(r.to_json())["type"] == "MixtureFit"
