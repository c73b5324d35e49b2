"""result.gof(): the statistics against fitdistrplus gofstat (recorded) and scipy, the bootstrap
p-value against scipy.stats.goodness_of_fit, the batched refit, and bad input."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import stats

import maxlik
from maxlik import ParameterError
from maxlik._refit_many import refit_many
from fitdistrplus_data import GROUNDBEEF, TOXOCARA

# fitdistrplus 1.1.8 on R 4.2.2, computed at maxlik's MLE (fitdist's Nelder–Mead stops a little
# away from it: shape 4.00825 vs 4.00834, which moves KS in the 4th digit), with gofstat's own
# internal function so that the formulas are gofstat's:
#   x <- groundbeef$serving; n <- length(x)
#   fitdistrplus:::compute.gofstat.KSCvMAD(sort(x), n, "gamma", "pgamma",
#       c(shape=4.008339031829043, rate=0.054427355612347746), NULL, "mle")[c("ks", "cvm", "ad")]
# (likewise "weibull" with shape, scale and "lnorm" with meanlog, sdlog), options(digits=17).
GOFSTAT = {
    "gamma": ({"concentration": 4.008339031829043, "rate": 0.054427355612347746},
              {"ks": 0.12804789726189741, "cvm": 0.69367629305919010, "ad": 3.56709098145574899}),
    "weibull": ({"concentration": 2.1856123322594794, "scale": 83.3466688316299},
                {"ks": 0.13962563667533517, "cvm": 0.68395998446478257, "ad": 3.57307185091281099}),
    "lognormal": ({"loc": 4.1693700894537065, "scale": 0.5366095133952559},
                  {"ks": 0.14930897968462076, "cvm": 0.82773577647237362, "ad": 4.54365415719826160}),
}
# Discrete: toxocara$number, gofstat's breaks (its code: meancount = round(n/((4n)^(2/5))), a break at
# every meancount-th value left) -> c(0, 1, 3, 4, 9, 21), then at maxlik's MLE
#   fitdistrplus:::compute.gofstat.Chi2(sort(y), length(y), "nbinom", "pnbinom",
#       c(size=r, mu=r*p/(1-p)), NULL, c(0, 1, 3, 4, 9, 21))      r, p = total_count, probs below
# and "pois" with lambda = 8.679245283018869. gofstat(fitdist(y, "nbinom")) gives the same breaks
# and df (its own estimate: chisq 7.48606).
CHISQ = {
    "negative_binomial": ({"total_count": 0.39699649273662996, "probs": 0.9562598151806522},
                          7.48739817479694914, 4, 0.11226626558613791,
                          [15.3006626554178737, 5.8086179944712386, 6.8442371493777578, 2.4073936162668916,
                           7.8334742471732621, 8.2690731826204598, 6.5365411546725163]),
    "poisson": ({"rate": 8.679245283018869}, 31256.961582591219, 5, 0.0, None),
}


@pytest.mark.parametrize("family", sorted(GOFSTAT))
def test_statistics_equal_fitdistrplus_gofstat(family):
    params, ref = GOFSTAT[family]
    r = maxlik.fit(GROUNDBEEF, family)
    for k, v in params.items():  # the recorded values were computed at these estimates
        assert r.params[k] == pytest.approx(v, rel=1e-9)
    g = r.gof(n_boot=19, seed=0)
    assert set(g.statistics) == {"ks", "cvm", "ad"}
    for k, v in ref.items():
        assert g.statistics[k] == pytest.approx(v, abs=1e-6)


@pytest.mark.parametrize("family, dist, args", [
    ("gamma", stats.gamma, lambda p: (p["concentration"], 0, 1 / p["rate"])),
    ("weibull", stats.weibull_min, lambda p: (p["concentration"], 0, p["scale"])),
    ("normal", stats.norm, lambda p: (p["loc"], p["scale"])),
])
def test_statistics_equal_scipy(family, dist, args):
    x = np.random.default_rng(4).gamma(3.0, 2.0, 300)
    r = maxlik.fit(x, family)
    g = r.gof(n_boot=9, seed=1)
    a = args(r.params)
    assert g.statistics["ks"] == pytest.approx(stats.kstest(x, dist.cdf, args=a).statistic, abs=1e-12)
    assert g.statistics["cvm"] == pytest.approx(stats.cramervonmises(x, dist.cdf, args=a).statistic, abs=1e-10)
    known = dict(zip(["a", "loc", "scale"] if len(a) == 3 else ["loc", "scale"], a))
    if family == "weibull":
        known = {"c": a[0], "loc": 0, "scale": a[2]}
    ad = stats.goodness_of_fit(dist, x, known_params=known, statistic="ad", n_mc_samples=1).statistic
    assert g.statistics["ad"] == pytest.approx(ad, abs=1e-9)


@pytest.mark.parametrize("family", sorted(CHISQ))
def test_discrete_chisq_equals_fitdistrplus_gofstat(family):
    params, chisq, df, pvalue, expected = CHISQ[family]
    r = maxlik.fit(TOXOCARA, family)
    for k, v in params.items():
        assert r.params[k] == pytest.approx(v, rel=1e-8)
    g = r.gof(n_boot=19, seed=0)
    assert set(g.statistics) == {"chisq"}
    assert g.statistics["chisq"] == pytest.approx(chisq, rel=1e-9, abs=1e-6)
    assert g.chisq_df == df
    assert g.chisq_pvalue == pytest.approx(pvalue, abs=1e-12)
    np.testing.assert_array_equal(g.chisq_table["breaks"], [0, 1, 3, 4, 9, 21])
    np.testing.assert_array_equal(g.chisq_table["observed"], [14, 8, 6, 6, 6, 6, 7])
    if expected is not None:
        np.testing.assert_allclose(g.chisq_table["expected"], expected, rtol=1e-9)


def test_bootstrap_p_value_agrees_with_scipy_goodness_of_fit():
    # scipy refits every Monte-Carlo sample too; for expon with loc known its fit is the MLE (the mean),
    # as ours (for norm it uses the N−1 scale, so that case is not comparable). Two Monte-Carlo
    # estimates of the same p, each with standard error sqrt(p(1-p)/B).
    x = np.random.default_rng(11).gamma(1.5, size=60)
    B = 999
    ours = maxlik.fit(x, "exponential").gof(n_boot=B, seed=5)
    for stat in ("ks", "cvm", "ad"):
        ref = stats.goodness_of_fit(stats.expon, x, known_params={"loc": 0.0}, statistic=stat, n_mc_samples=B,
                                    random_state=7)
        assert ours.statistics[stat] == pytest.approx(ref.statistic, rel=1e-9)
        p = ref.pvalue
        assert abs(ours.p_values[stat] - p) < 4 * math.sqrt(2 * p * (1 - p) / B) + 2 / B


def test_null_distribution_has_one_value_per_replicate_and_p_values_are_fractions():
    r = maxlik.fit(GROUNDBEEF, "gamma")
    g = r.gof(n_boot=99, seed=3)
    assert g.n_boot == 99 and g.n_failed == 0
    for k in ("ks", "cvm", "ad"):
        assert g.null[k].shape == (99,)
        assert g.p_values[k] == (1 + np.sum(g.null[k] >= g.statistics[k])) / 100
    assert g.p_values["ad"] < 0.05  # groundbeef is not gamma-like enough (fitdistrplus: AD "rejected")
    again = r.gof(n_boot=99, seed=3)
    assert again.p_values == g.p_values  # seeded
    assert "Anderson-Darling" in str(g) and g.to_dict()["n_boot"] == 99


def test_refits_are_batched_not_one_fit_per_sample(monkeypatch):
    import maxlik.groups.fit as groups_fit

    calls = []
    monkeypatch.setattr(groups_fit, "fit", lambda *a, **k: calls.append(1))
    r = maxlik.fit(np.random.default_rng(0).gamma(2.0, 1.0, 1000), "gamma")
    g = r.gof(n_boot=200, seed=0)
    assert calls == [] and g.n_failed == 0


def test_refit_many_matches_fit_per_sample_and_flags_failures():
    rng = np.random.default_rng(2)
    samples = rng.weibull(1.7, size=(5, 40)) * 3.0
    samples[3] = 2.0  # identical observations: no Weibull MLE
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # failures are counted, not warned about
        params, ok = refit_many("weibull", samples)
    np.testing.assert_array_equal(ok, [True, True, True, False, True])
    assert math.isnan(params["concentration"][3]) and math.isnan(params["scale"][3])
    for b in (0, 1, 2, 4):
        c, _, _ = stats.weibull_min.fit(samples[b], floc=0)  # scipy's optimizer stops within ~1e-5
        k = params["concentration"][b]
        assert k == pytest.approx(c, rel=1e-4)
        assert params["scale"][b] == pytest.approx(np.mean(samples[b] ** k) ** (1 / k), rel=1e-10)  # scalê(k)
    fixed, _ = refit_many("normal", samples[:2], fixed={"loc": 3.0})
    np.testing.assert_array_equal(fixed["loc"], [3.0, 3.0])
    np.testing.assert_allclose(fixed["scale"], np.sqrt(((samples[:2] - 3.0) ** 2).mean(axis=1)), rtol=1e-12)


def test_fixed_parameters_stay_fixed_in_the_refits():
    x = np.random.default_rng(5).exponential(2.0, 200)
    g = maxlik.fit(x, "gamma", fixed={"concentration": 1.0}).gof(n_boot=49, seed=0)
    r = maxlik.fit(x, "exponential")
    ref = stats.kstest(x, stats.expon.cdf, args=(0, 1 / r.params["rate"])).statistic
    assert g.statistics["ks"] == pytest.approx(ref, abs=1e-12)


@pytest.mark.parametrize("n_boot", [0, -5, 2.5, 999.0, True, "999"])
def test_n_boot_must_be_a_positive_integer(n_boot):
    r = maxlik.fit(GROUNDBEEF, "gamma")
    with pytest.raises(ParameterError, match=r"gof: n_boot must be an integer >= 1; got .*n_boot=999"):
        r.gof(n_boot=n_boot)


def test_gof_refuses_what_it_cannot_test():
    X = np.random.default_rng(0).normal(size=(50, 2))
    with pytest.raises(ParameterError, match="gof: the family must be univariate; got MultivariateNormal"):
        maxlik.fit(X, "mvnormal").gof(n_boot=9)
    x = GROUNDBEEF
    with pytest.raises(ParameterError, match="gof: the fit must be unweighted"):
        maxlik.fit(x, "gamma", weights=np.ones(x.size)).gof(n_boot=9)
    c = maxlik.Censored.from_events(x, np.arange(x.size) % 3 > 0)
    with pytest.raises(ParameterError, match="gof: the result must be a fit of uncensored data in memory; got censored"):
        maxlik.fit(c, "weibull").gof(n_boot=9)
    stored = maxlik.FitResult.from_dict(maxlik.fit(x, "gamma").to_dict())
    with pytest.raises(ParameterError, match="gof: the result must be a fit of uncensored data in memory; got no data"):
        stored.gof(n_boot=9)


def test_compare_with_gof_adds_statistics_and_p_values():
    x = GROUNDBEEF
    table = maxlik.compare(x, ["gamma", "weibull", "poisson"], gof=True, n_boot=49, gof_seed=1)
    rows = {r.family: r for r in table}
    for name in ("gamma", "weibull"):
        ref = maxlik.fit(x, name).gof(n_boot=49, seed=1)
        assert rows[name].gof.statistics == ref.statistics
        assert rows[name].gof.p_values == ref.p_values
        assert rows[name].to_dict()["gof"]["statistics"] == ref.statistics
    assert not rows["poisson"].applicable and rows["poisson"].gof is None
    text = table.summary()
    assert "KS" in text and "p(AD)" in text
    with pytest.raises(ParameterError, match="compare: n_boot and gof_seed go with gof=True"):
        maxlik.compare(x, ["gamma"], n_boot=49)
