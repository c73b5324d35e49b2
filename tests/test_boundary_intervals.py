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
from maxlik.likelihood_ratio import LRTResult
from maxlik.status import Status


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


def test_negative_binomial_near_poisson_keeps_its_intervals_in_the_domain():
    x = np.random.default_rng(1).poisson(3.0, 200).astype(float)  # variance 3.149 > mean 3.03: a finite, huge r̂
    r = maxlik.fit(x, "negative_binomial")
    z = stats.norm.ppf(0.975)
    nat = r.conf_int(method="wald-natural")
    assert nat["total_count"][0] < 0 and nat["probs"][0] < 0  # the natural-scale interval leaves the domain
    rc, se = r.params["total_count"], r.stderr["total_count"]
    np.testing.assert_allclose(r.conf_int()["total_count"], rc * np.exp(np.array([-1, 1]) * z * se / rc), rtol=1e-12)
    p, se = r.params["probs"], r.stderr["probs"]
    want = special.expit(special.logit(p) + np.array([-1, 1]) * z * se / (p * (1 - p)))
    np.testing.assert_allclose(r.conf_int()["probs"], want, rtol=1e-12)


# -- Student's t with df → ∞: the Normal is the limit ---------------------------------------------
NORMAL_X = np.random.default_rng(2).normal(size=300)  # sample excess kurtosis −0.19: no heavier tails than a Normal


@pytest.fixture(scope="module")
def t_at_limit():
    with pytest.warns(maxlik.InferenceWarning, match=r"fit\(StudentT\): boundary: df → ∞: the data show no heavier tails"):
        return maxlik.fit(NORMAL_X, "student_t")


def test_student_t_on_normal_data_reports_the_boundary_and_the_normal_fit(t_at_limit):
    r, x, n = t_at_limit, NORMAL_X, NORMAL_X.size
    assert r.status is Status.BOUNDARY and not r.converged
    assert r.message.startswith(
        "boundary: df → ∞: the data show no heavier tails than a Normal; the Normal fit is the limit.")
    assert "df = ∞ has no standard error" in r.message
    mean, sd = x.mean(), np.sqrt(x.var(ddof=0))
    assert r.params["df"] == np.inf
    assert r.params["loc"] == pytest.approx(mean, rel=1e-12) and r.params["scale"] == pytest.approx(sd, rel=1e-12)
    assert r.loglik == pytest.approx(stats.norm.logpdf(x, mean, sd).sum(), rel=1e-12)
    se = r.stderr
    assert se["loc"] == pytest.approx(sd / np.sqrt(n), rel=1e-12)
    assert se["scale"] == pytest.approx(sd / np.sqrt(2 * n), rel=1e-12)
    assert np.isnan(se["df"])  # with its reason in the message
    np.testing.assert_allclose(r.log_prob(x[:5]), stats.norm.logpdf(x[:5], mean, sd), rtol=1e-12)
    assert r.cdf(0.3) == pytest.approx(stats.norm.cdf(0.3, mean, sd), rel=1e-12)
    assert "boundary: df → ∞" in flat(r.summary())


def test_lrt_against_the_limit_uses_the_half_chi2_mixture(t_at_limit):
    res = maxlik.lrt(maxlik.fit(NORMAL_X, "normal"), t_at_limit)
    assert (res.statistic, res.df, res.pvalue, res.mixture) == (0.0, 1, 1.0, True)
    y = np.random.default_rng(5).standard_t(4.0, 400)  # heavy tails: an interior df
    rt, rn = maxlik.fit(y, "student_t"), maxlik.fit(y, "normal")
    assert rt.status is Status.CONVERGED and np.isfinite(rt.params["df"])
    ll_t = stats.t.logpdf(y, rt.params["df"], rt.params["loc"], rt.params["scale"]).sum()
    lr = 2 * (ll_t - stats.norm.logpdf(y, y.mean(), y.std()).sum())
    res = maxlik.lrt(rn, rt)
    assert res.statistic == pytest.approx(lr, rel=1e-9)
    assert res.pvalue == pytest.approx(0.5 * stats.chi2.sf(lr, 1), rel=1e-9)
    assert "½χ²₀ + ½χ²₁" in res.summary() and LRTResult.from_dict(res.to_dict()) == res


def test_boundary_respects_held_parameters():
    with pytest.warns(maxlik.InferenceWarning, match="boundary"):
        r = maxlik.fit(NORMAL_X, "student_t", fixed={"loc": 0.0})
    assert r.params["loc"] == 0.0 and r.params["scale"] == pytest.approx(np.sqrt(np.mean(NORMAL_X**2)), rel=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error", maxlik.InferenceWarning)
        held = maxlik.fit(NORMAL_X, "student_t", fixed={"df": 30.0})  # df held: no limit to run to
    assert held.status is Status.CONVERGED


def scipy_df_profile(x, nu):
    """max over loc, log scale of the t log-likelihood with df = nu held (scipy, Nelder–Mead)."""
    from scipy import optimize

    f = lambda v: -stats.t.logpdf(x, nu, v[0], np.exp(v[1])).sum()
    return -optimize.minimize(f, [x.mean(), np.log(x.std())], method="Nelder-Mead",
                              options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 4000}).fun


def scipy_df_lower_end(x, top):
    from scipy import optimize

    return optimize.brentq(lambda nu: 2 * (top - scipy_df_profile(x, nu)) - stats.chi2.ppf(0.95, 1), 2.0, 150.0, xtol=1e-8)


def test_profile_interval_of_df_at_infinity_is_one_sided(t_at_limit):
    x = NORMAL_X
    want = scipy_df_lower_end(x, stats.norm.logpdf(x, x.mean(), x.std()).sum())
    with warnings.catch_warnings():
        warnings.simplefilter("error", maxlik.InferenceWarning)
        lo, hi = t_at_limit.conf_int(method="profile")["df"]
    assert hi == np.inf and lo == pytest.approx(want, rel=1e-5)


def test_boundary_result_round_trips(t_at_limit):
    back = maxlik.FitResult.from_json(t_at_limit.to_json())
    assert back.status is Status.BOUNDARY and back.limit.family == maxlik.Normal()
    assert back.summary() == t_at_limit.summary()
    np.testing.assert_allclose(back.log_prob([1.0, 2.0]), t_at_limit.log_prob([1.0, 2.0]), rtol=1e-14)


def test_fit_groups_reports_a_group_at_the_limit_as_fit_does():
    x = np.r_[NORMAL_X, np.random.default_rng(0).standard_t(3.0, 300)]
    g = np.repeat(["normal", "heavy"], 300)
    with pytest.warns(maxlik.InferenceWarning, match=r"fit_groups: 1 of 2 groups are at the edge of the domain"):
        fits = maxlik.fit_groups(x, g, "student_t")
    j = list(fits).index("normal")
    assert fits.params["df"][j] == np.inf and not fits.converged[j] and fits.message[j].startswith("boundary: df → ∞")
    assert fits.params["loc"][j] == pytest.approx(NORMAL_X.mean(), rel=1e-12)
    assert fits.stderr["scale"][j] == pytest.approx(NORMAL_X.std() / np.sqrt(2 * NORMAL_X.size), rel=1e-12)
    assert fits["normal"].status is Status.BOUNDARY and fits["heavy"].status is Status.CONVERGED


def test_lrt_of_overdispersion_poisson_against_negative_binomial():
    x = np.random.default_rng(7).negative_binomial(6.0, 0.6, 300).astype(float)  # var > mean
    nb, po = maxlik.fit(x, "negative_binomial"), maxlik.fit(x, "poisson")
    r, p = nb.params["total_count"], nb.params["probs"]
    ll_nb = stats.nbinom.logpmf(x, r, 1 - p).sum()  # scipy's p is the probability of a failure here
    lr = 2 * (ll_nb - stats.poisson.logpmf(x, x.mean()).sum())
    res = maxlik.lrt(po, nb)
    assert res.mixture and res.df == 1
    assert res.statistic == pytest.approx(lr, rel=1e-8)
    assert res.pvalue == pytest.approx(0.5 * stats.chi2.sf(lr, 1), rel=1e-8)
    with pytest.raises(ParameterError, match="restricted and full must be nested fits of one family"):
        maxlik.lrt(maxlik.fit(x, "normal"), nb)  # not the negative binomial's limit


def test_compare_marks_a_fit_at_its_limit():
    with pytest.warns(maxlik.InferenceWarning, match="boundary"):
        text = maxlik.compare(NORMAL_X, ["normal", "student_t"]).summary()
    (line,) = [ln for ln in text.splitlines() if ln.startswith("student_t")]
    assert line.endswith("(boundary: its limit)")


def test_data_read_in_passes_reach_the_same_limit():
    da = pytest.importorskip("dask.array")
    with pytest.warns(maxlik.InferenceWarning, match="boundary"):
        r = maxlik.fit(da.from_array(NORMAL_X, chunks=70), "student_t")
    assert r.status is Status.BOUNDARY and r.params["df"] == np.inf
    assert r.params["loc"] == pytest.approx(NORMAL_X.mean(), rel=1e-12)
    assert r.params["scale"] == pytest.approx(NORMAL_X.std(), rel=1e-12)


def test_profile_of_an_interior_df_that_never_drops_on_the_upper_side():
    x = np.random.default_rng(0).normal(size=300)  # excess kurtosis +0.03: df̂ ≈ 192, ℓ̂ only 0.006 above the Normal
    r = maxlik.fit(x, "student_t")
    assert r.status is Status.CONVERGED and 100 < r.params["df"] < 300
    with pytest.warns(maxlik.InferenceWarning, match=r"`df` does not drop by χ²/2 = 1.921 on the upper side; .* \(inf\)"):
        lo, hi = r.conf_int(method="profile")["df"]
    assert hi == np.inf  # the Normal (df = ∞) is within χ²/2 of the top: no finite upper end
    assert lo == pytest.approx(scipy_df_lower_end(x, r.loglik), rel=1e-5)
