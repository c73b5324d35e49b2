"""The negative binomial at its Poisson limit (issue #13 item 1: an estimate that runs to the edge
of its domain is recognised).

As total_count r → ∞ with the mean r·p/(1 − p) held (so probs p → 0), the negative binomial is
the Poisson. Counts with variance ≤ mean (divisor N) have no finite MLE of r (Aragón, Eberly &
Eberly 1992): the supremum of the likelihood is the Poisson's, so the fit reports status
BOUNDARY with the Poisson fit in ``result.limit``.

References are independent of maxlik: the Poisson log-likelihood is scipy.stats.poisson.logpmf
summed; its MLE is the (weighted) mean with standard error √(mean / W) (closed forms); the
negative binomial's profile in r has the closed-form inner maximum p = m / (r + m), evaluated with
scipy.stats.nbinom (scipy's p is our 1 − p) and solved by scipy.optimize.brentq; an interior fit
is checked against scipy.optimize.minimize of scipy.stats.nbinom's log-likelihood.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import optimize, stats

import maxlik
from maxlik.errors import DegenerateFitError
from maxlik.status import Status

UNDER = np.random.default_rng(0).binomial(10, 0.5, 200).astype(float)  # mean 5.195 > variance 2.837
# 41 counts with variance only 5.9e-4 above the mean: the interior maximum gains 2.4e-7 (< 1e-6)
SLIGHT = np.repeat(np.arange(10), [0, 2, 13, 6, 6, 6, 4, 2, 1, 1]).astype(float)
MEANING = "total_count → ∞: the counts show no overdispersion (variance ≤ mean); the Poisson fit is the limit"


def quiet_fit(x, family="negative_binomial", **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", maxlik.InferenceWarning)
        return maxlik.fit(x, family, **kw)


@pytest.fixture(scope="module")
def nb_at_limit():
    with pytest.warns(maxlik.InferenceWarning, match=r"^fit\(NegativeBinomial\): boundary: total_count → ∞: the counts show no overdispersion"):
        return maxlik.fit(UNDER, "negative_binomial")


def test_underdispersed_counts_are_the_poisson_limit(nb_at_limit):
    x, r = UNDER, nb_at_limit
    n, m = x.size, x.mean()
    assert x.var() < m and r.status is Status.BOUNDARY and not r.converged
    assert r.params == {"total_count": math.inf, "probs": 0.0}
    assert r.limit.family == maxlik.Poisson() and r.limit.param == "total_count" and r.limit.edge == math.inf
    assert r.limit.params["rate"] == pytest.approx(m, rel=1e-15)
    assert r.limit.stderr["rate"] == pytest.approx(math.sqrt(m / n), rel=1e-13)
    assert r.loglik == pytest.approx(stats.poisson.logpmf(x, m).sum(), rel=1e-12)
    assert r.limit.loglik == r.loglik
    assert all(np.isnan(s) for s in r.stderr.values())  # on the edge: the message says why
    assert r.message == (
        f"boundary: {MEANING}. The likelihood is largest as total_count → ∞ (the optimizer's best, "
        f"{r.message.split('best, ')[1].split(',')[0]}, is not 1e-06 above the limit's {r.loglik:.10g}), so "
        "total_count = ∞ and probs = 0 (the edge of the domain) have no standard errors; the fitted distribution "
        f"is the Poisson MLE, rate = {m:.6g} (std err {math.sqrt(m / n):.4g}), in result.limit. Against the Poisson, "
        "LR = 0 (p = 1 under ½χ²₀ + ½χ²₁; maxlik.lrt(fit(x, 'poisson'), result))")
    text = " ".join(r.summary().split())
    assert f"limit: Poisson: rate = {m:.6g} (std err {math.sqrt(m / n):.4g})" in text
    # the fitted distribution is the Poisson
    np.testing.assert_allclose(r.log_prob([0.0, 3.0, 9.0]), stats.poisson.logpmf([0, 3, 9], m), rtol=1e-12)
    assert r.cdf(4.0) == pytest.approx(stats.poisson.cdf(4, m), rel=1e-12)
    assert r.mean == pytest.approx(m, rel=1e-15) and r.var == pytest.approx(m, rel=1e-15)


def test_weighted_counts_reach_the_weighted_poisson_fit():
    x = np.array([2.0, 3.0, 4.0, 1.0, 3.0])
    w = np.array([3.0, 5.0, 2.0, 1.0, 4.0])
    W = w.sum()
    m = float(np.dot(w, x) / W)
    assert np.dot(w, (x - m) ** 2) / W < m
    r = quiet_fit(x, weights=w)
    assert r.status is Status.BOUNDARY
    assert r.limit.params["rate"] == pytest.approx(m, rel=1e-15)
    assert r.limit.stderr["rate"] == pytest.approx(math.sqrt(m / W), rel=1e-13)
    assert r.loglik == pytest.approx(np.dot(w, stats.poisson.logpmf(x, m)), rel=1e-12)


def test_lrt_of_overdispersion_at_the_limit_is_zero_with_p_one(nb_at_limit):
    res = maxlik.lrt(maxlik.fit(UNDER, "poisson"), nb_at_limit)
    assert (res.statistic, res.df, res.pvalue, res.mixture) == (0.0, 1, 1.0, True)
    assert "½χ²₀ + ½χ²₁" in res.summary()


def scipy_r_profile(x, r):
    """max over p of the negative binomial log-likelihood at total_count = r: p = m / (r + m)
    (scipy's success probability r / (r + m))."""
    return stats.nbinom.logpmf(x, r, r / (r + x.mean())).sum()


def test_profile_interval_of_total_count_is_one_sided_and_positive(nb_at_limit):
    x = UNDER
    top = stats.poisson.logpmf(x, x.mean()).sum()
    crit = stats.chi2.ppf(0.95, 1)
    want = optimize.brentq(lambda r: 2 * (top - scipy_r_profile(x, r)) - crit, 1.0, 1e4, xtol=1e-10)
    with warnings.catch_warnings():
        warnings.simplefilter("error", maxlik.InferenceWarning)  # the profile drops: no "does not drop" warning
        ci = nb_at_limit.conf_int(method="profile")
    lo, hi = ci["total_count"]
    assert hi == math.inf and 0 < lo < math.inf
    assert lo == pytest.approx(want, rel=1e-6)
    plo, phi = ci["probs"]  # probs = 0 is the edge: [0, a positive upper end)
    assert plo == 0.0 and 0 < phi < 1


def test_boundary_fit_round_trips_through_json_and_files(nb_at_limit, tmp_path):
    r = nb_at_limit
    back = maxlik.FitResult.from_json(r.to_json())
    assert back.status is Status.BOUNDARY and back.params == r.params and back.loglik == r.loglik
    assert back.limit.family == maxlik.Poisson() and back.limit.params == r.limit.params
    assert back.limit.at_edge == {"total_count": math.inf, "probs": 0.0}
    assert back.limit.stderr == pytest.approx(r.limit.stderr, rel=1e-15)
    assert back.summary() == r.summary() and back.message == r.message
    np.testing.assert_allclose(back.log_prob([1.0, 6.0]), r.log_prob([1.0, 6.0]), rtol=1e-14)
    path = tmp_path / "nb.json"
    maxlik.save(r, path)
    loaded = maxlik.load(path)
    assert loaded.status is Status.BOUNDARY and loaded.limit.params == r.limit.params
    assert loaded.limit.stderr == pytest.approx(r.limit.stderr, rel=1e-15) and loaded.summary() == r.summary()
    assert maxlik.lrt(maxlik.fit(UNDER, "poisson"), loaded).pvalue == 1.0


def test_a_limit_stored_without_at_edge_reads_as_the_family_beside_its_edge():
    """Dicts written before "at_edge" was stored (a Student's t at df = ∞): the edge beside the
    limit's parameters, which are the family's own."""
    x = np.random.default_rng(2).normal(size=300)
    t = quiet_fit(x, "student_t")
    d = t.to_dict()
    del d["limit"]["at_edge"]
    back = maxlik.FitResult.from_dict(d)
    assert back.limit.at_edge == {"df": math.inf, "loc": t.params["loc"], "scale": t.params["scale"]}
    assert back.limit.stderr["scale"] == pytest.approx(x.std() / math.sqrt(2 * x.size), rel=1e-12)


def test_data_read_in_passes_reach_the_same_limit(nb_at_limit):
    da = pytest.importorskip("dask.array")
    r = quiet_fit(da.from_array(UNDER, chunks=37))
    assert r.status is Status.BOUNDARY and r.params == {"total_count": math.inf, "probs": 0.0}
    assert r.limit.params["rate"] == pytest.approx(UNDER.mean(), rel=1e-14)
    assert r.limit.stderr["rate"] == pytest.approx(math.sqrt(UNDER.mean() / UNDER.size), rel=1e-13)
    assert r.loglik == pytest.approx(stats.poisson.logpmf(UNDER, UNDER.mean()).sum(), rel=1e-12)


def exact_gain_over_poisson(x, r):
    """ℓ_NB(r, p = m/(r+m)) − ℓ_Poisson(m) for integer counts, without cancellation:
    Σᵢ Σ_{j<xᵢ} log1p((j − m)/(r + m)) + W r h(m/r), h(t) = t − log1p(t) (its series for small t)."""
    m, W = x.mean(), x.size
    j = np.concatenate([np.arange(int(k)) for k in x])
    t = m / r
    h = t - math.log1p(t) if t > 1e-3 else sum((-1) ** k * t**k / k for k in range(2, 12))
    return float(np.sum(np.log1p((j - m) / (r + m))) + W * r * h)


def test_variance_just_above_the_mean_is_still_the_limit():
    x = SLIGHT
    m, v = x.mean(), x.var()
    assert 0 < v - m < 1e-3
    best = optimize.minimize_scalar(lambda a: -exact_gain_over_poisson(x, 1 / a), bounds=(1e-12, 1.0),
                                    method="bounded", options={"xatol": 1e-14})
    assert 0 < -best.fun < 1e-6  # an interior maximum, but not LIMIT_TOL above the Poisson
    with pytest.warns(maxlik.InferenceWarning, match=(
            rf"boundary: total_count → ∞: the counts show no overdispersion worth a parameter \(variance {v:.6g}, "
            rf"only just above the mean {m:.6g}\); the Poisson fit is the limit\.")):
        r = maxlik.fit(x, "negative_binomial")
    assert r.status is Status.BOUNDARY and r.limit.params["rate"] == pytest.approx(m, rel=1e-15)


def scipy_nb_fit(x):
    """(r, p in our convention, ℓ) by scipy.optimize on scipy.stats.nbinom (log r, logit of scipy's p)."""
    def nll(u):
        return -stats.nbinom.logpmf(x, math.exp(u[0]), 1 / (1 + math.exp(-u[1]))).sum()

    m, v = x.mean(), x.var()
    res = optimize.minimize(nll, [math.log(m * m / (v - m)), math.log(m / (v - m))], method="Nelder-Mead",
                            options={"xatol": 1e-11, "fatol": 1e-13, "maxiter": 5000})
    r, q = math.exp(res.x[0]), 1 / (1 + math.exp(-res.x[1]))
    return r, 1 - q, -res.fun


def test_overdispersed_counts_keep_an_interior_fit():
    x = np.random.default_rng(7).negative_binomial(6.0, 0.6, 300).astype(float)
    assert x.var() > 1.2 * x.mean()
    with warnings.catch_warnings():
        warnings.simplefilter("error", maxlik.InferenceWarning)
        r = maxlik.fit(x, "negative_binomial")
    assert r.status is Status.CONVERGED and r.limit is None
    rc, p, ll = scipy_nb_fit(x)
    assert r.params["total_count"] == pytest.approx(rc, rel=1e-5)
    assert r.params["probs"] == pytest.approx(p, rel=1e-5)
    assert r.loglik == pytest.approx(ll, rel=1e-10) and r.loglik >= ll - 1e-9
    assert r.loglik - stats.poisson.logpmf(x, x.mean()).sum() > 1.0  # far above the limit


def test_a_held_parameter_has_no_limit_to_run_to():
    m = UNDER.mean()
    with warnings.catch_warnings():
        warnings.simplefilter("error", maxlik.InferenceWarning)
        r = maxlik.fit(UNDER, "negative_binomial", fixed={"total_count": 3.0})
    assert r.status is Status.CONVERGED and r.limit is None
    assert r.params["probs"] == pytest.approx(m / (3.0 + m), rel=1e-8)  # the mean matched: closed form


def test_all_zero_counts_keep_their_error():
    with pytest.raises(DegenerateFitError, match=r"^NegativeBinomial: data must contain a positive count for the MLE to "
                                                 r"exist; got 6 zeros"):
        maxlik.fit(np.zeros(6), "negative_binomial")


def test_fit_groups_reports_a_group_at_the_limit():
    over = np.random.default_rng(7).negative_binomial(6.0, 0.6, 300).astype(float)
    x, g = np.r_[UNDER, over], np.repeat(["under", "over"], [UNDER.size, over.size])
    with pytest.warns(maxlik.InferenceWarning, match=r"fit_groups: 1 of 2 groups are at the edge of the domain"):
        fits = maxlik.fit_groups(x, g, "negative_binomial")
    assert fits["under"].status is Status.BOUNDARY and fits["over"].status is Status.CONVERGED
    assert fits["under"].limit.params["rate"] == pytest.approx(UNDER.mean(), rel=1e-15)
    j = list(fits).index("under")
    assert fits.params["total_count"][j] == math.inf and fits.message[j].startswith(f"boundary: {MEANING}.")
