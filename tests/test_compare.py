"""maxlik.compare: ranking families by AIC, with scipy's fits as the reference log-likelihoods."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import stats

import maxlik
from maxlik import ParameterError, UnknownFamilyError

rng = np.random.default_rng(3)
X = rng.gamma(2.0, 1.5, size=300)


@pytest.fixture(scope="module")
def table():
    return maxlik.compare(X, ["normal", "lognormal", "gamma", "weibull", "poisson"])


def test_loglik_and_ranking_match_scipy(table):
    ref = {
        "normal": stats.norm.logpdf(X, *stats.norm.fit(X)).sum(),
        "lognormal": stats.lognorm.logpdf(X, *stats.lognorm.fit(X, floc=0)).sum(),
        "gamma": stats.gamma.logpdf(X, *stats.gamma.fit(X, floc=0)).sum(),
        "weibull": stats.weibull_min.logpdf(X, *stats.weibull_min.fit(X, floc=0)).sum(),
    }
    rows = {r.family: r for r in table if r.applicable}
    assert set(rows) == set(ref)
    for name, ll in ref.items():
        assert rows[name].loglik == pytest.approx(ll, rel=1e-6)  # scipy's own optimizer is the limit
        assert rows[name].n_params == 2
        assert rows[name].aic == pytest.approx(4 - 2 * rows[name].loglik, rel=1e-12)
        assert rows[name].bic == pytest.approx(2 * math.log(X.size) - 2 * rows[name].loglik, rel=1e-12)
    order = sorted(ref, key=lambda k: -ref[k])
    assert [r.family for r in table][:4] == order
    assert table.best.family == "gamma" and table.best.delta_aic == 0.0
    aics = np.array([rows[k].aic for k in order])
    w = np.exp(-0.5 * (aics - aics.min()))
    np.testing.assert_allclose([rows[k].akaike_weight for k in order], w / w.sum(), rtol=1e-12)


def test_not_applicable_candidates_are_listed_with_the_reason(table):
    last = table[len(table) - 1]
    assert last.family == "poisson" and not last.applicable
    assert last.reason.startswith("Poisson: data must be integers >= 0; got 300 value(s) outside the support")
    text = str(table)
    assert "poisson" in text and "not applicable: Poisson: data must be integers" in text
    assert text == table.summary()
    d = table.to_dict()
    json.dumps(d)
    assert d["rows"][0]["family"] == "gamma" and d["rows"][-1]["reason"] == last.reason


def test_negative_data_rule_out_positive_families():
    t = maxlik.compare(np.concatenate([X, [-0.5]]), ["normal", "lognormal"])
    assert [r.family for r in t] == ["normal", "lognormal"]
    assert t[0].akaike_weight == 1.0
    assert "LogNormal: data must be positive (> 0); got 1 value(s) outside the support (first at row 300 (0-based): -0.5)" in t[1].reason


def test_deprecated_row_and_table_spellings(table):
    row = table.best
    with pytest.warns(DeprecationWarning, match=r"^CompareRow.k is deprecated; use n_params\.$"):
        assert row.k == row.n_params
    with pytest.warns(DeprecationWarning, match=r"^CompareRow.weight is deprecated; use akaike_weight \(a result's weight is its Σw\)\.$"):
        assert row.weight == row.akaike_weight
    with pytest.warns(DeprecationWarning, match=r"^CompareTable.to_text is deprecated; use summary\(\)\.$"):
        assert table.to_text() == table.summary()
    assert json.loads(table.to_json())["rows"][0]["akaike_weight"] == row.akaike_weight


def test_compare_errors_are_pinned():
    with pytest.raises(UnknownFamilyError, match=r"compare: family must be one of .*; got 'gamm'\. Did you mean 'gamma'\?"):
        maxlik.compare(X, ["normal", "gamm"])
    with pytest.raises(ParameterError, match=r"compare: families must list at least one candidate; got none"):
        maxlik.compare(X, [])


def test_a_fixed_parameter_some_candidates_lack_makes_them_not_applicable():
    import scipy.stats as st

    x = np.random.default_rng(3).normal(2.0, 1.5, 400)
    table = maxlik.compare(x, ["normal", "exponential", "logistic"], fixed={"loc": 2.0})
    rows = {r.family: r for r in table}
    assert rows["exponential"].reason == "Exponential has no parameter 'loc' to hold fixed (its parameters: rate)"
    assert rows["normal"].params["scale"] == pytest.approx(np.sqrt(np.mean((x - 2.0) ** 2)), rel=1e-12)
    assert rows["logistic"].loglik >= st.logistic.logpdf(x, 2.0, st.logistic.fit(x, floc=2.0)[1]).sum() - 1e-9
