"""Censored data (issue #14 item 2): maxlik.Censored and fit(Censored(...), family).

References: R fitdistrplus::fitdistcens on its own example data (values recorded below, with the
call that produced them), scipy.stats.CensoredData with weibull_min.fit, and the closed form of
the exponential with right censoring (rate = #events / Σ time).
"""

import math
import warnings

import numpy as np
import pytest
import scipy.stats

import maxlik
from maxlik import Censored
from maxlik.errors import DataError, DegenerateFitError, ParameterError, SupportError

NA = np.nan

# fitdistrplus 1.1.8 data sets (data(smokedfish), data(fluazinam), data(salinity)), written out by
#   Rscript -e 'library(fitdistrplus); data(smokedfish); write.csv(smokedfish, "sf.csv", row.names=FALSE)'
# (R 4.2.2 Patched (2022-11-10 r83330), fitdistrplus 1.1.8, survival 3.5.3; Debian packages).
SMOKEDFISH = (
    [NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA,
    NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA,
    NA, NA, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04,
    0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 15.0, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04,
    100.0, 100.0, NA, 1.0, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 1.0],
    [0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04,
    0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04,
    0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04,
    100.0, 100.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0,
    10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 15.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0,
    100.0, 100.0, NA, NA, 1.0, NA, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 100.0],
)
FLUAZINAM = (
    [3.8, 33.6, 87.0, 1700.0, 640.0, 1155.0, 113.0, 129.0, 586.0, 1856.0, 1.6, 4.8, 82.0, 155.0],
    [3.8, 33.6, 87.0, NA, 640.0, NA, 113.0, 129.0, 586.0, NA, 1.6, 4.8, 82.0, 155.0],
)
SALINITY = (
    [20.0, 20.0, 20.0, 20.0, 20.0, 21.5, 15.0, 20.0, 23.7, 25.0, 25.0, 25.0, 20.0, 20.0, 20.0, 25.0, 25.0, 3.2,
    3.2, 26.1, 26.2, 25.0, 29.1, 29.1, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0, 30.0,
    30.0, 35.0, 35.0, 35.0, 25.0, 30.0, 30.0, 35.0, 43.9, 35.0, 45.7, 47.0, 47.0, 47.0, 47.0, 47.0, 49.0, 0.1,
    0.1, 0.1, 0.1, 0.1, 0.23, 3.2, 3.2, 3.2, 6.4, 6.4, 6.4, 6.4, 6.4, 6.4, 3.2, 6.4, 0.1, 3.2, 12.6, 12.8, 12.8,
    12.8, 12.8, 12.8, 12.8, 12.8, 12.8, 12.8, 12.8, 12.8, 12.8, 12.8, 12.8, 15.0, 15.0, 15.0, 15.0, 15.0, 15.0,
    15.0, 15.0, 15.0, 15.0, 6.4, 15.0, 6.4, 12.8, 12.8, 3.2, 15.0, 12.8, 20.0, 20.0, 20.0],
    [NA, NA, NA, NA, NA, 21.5, 30.0, 25.0, 23.7, NA, NA, NA, 30.0, 30.0, 30.0, NA, NA, 47.0, 47.0, 26.1, 26.2,
    30.0, 29.1, 29.1, NA, NA, NA, NA, NA, 30.0, NA, NA, NA, NA, NA, 35.0, 35.0, 35.0, NA, NA, 47.0, 47.0, 50.0,
    47.0, 43.9, 55.0, 45.7, NA, NA, 47.0, NA, 47.0, 49.0, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA, NA,
    NA, 12.8, 12.8, 20.0, 20.0, 12.6, 12.8, NA, NA, NA, NA, 12.8, NA, NA, NA, NA, NA, NA, 15.0, 15.0, NA, NA,
    15.0, 15.0, NA, 15.0, NA, NA, NA, NA, 25.0, 20.0, 30.0, 25.0, 25.0, 35.0, 25.0, 20.0, NA, NA, NA],
)

# R's estimates and log-likelihoods, from
#   f <- fitdistcens(d, dist)                                          ("default": Nelder–Mead)
#   g <- fitdistcens(d, dist, control=list(reltol=1e-15, maxit=20000)) ("tight")
# printed with format(..., digits=17). Estimates are compared with the tight run (R's default
# Nelder–Mead stops ~1e-4 relative away from the optimum); our log-likelihood must reach R's.
# R names: lnorm (meanlog, sdlog) = LogNormal (loc, scale); weibull (shape, scale) = Weibull
# (concentration, scale); gamma (shape, rate) = Gamma (concentration, rate).
R_REFERENCE = [
    # data, family, default loglik, tight estimates, tight loglik, tight sd
    ("SMOKEDFISH", "lognormal", -90.651535537221704, (-3.6279972378773873, 3.5447173850303719), -90.65153517981544, (0.4637783640, 0.4877105498)),
    ("FLUAZINAM", "lognormal", -72.812663801166821, (4.9773107560562009, 2.6879298076374027), -72.812663648722975, (0.7422733369, 0.6057521294)),
    ("SALINITY", "lognormal", -139.05495623024657, (3.38537100010720415, 0.49613806337785771), -139.05495585180392, (0.06486319415, 0.05455178765)),
    ("SMOKEDFISH", "weibull", -91.969081803423705, (0.22950871389981192, 0.10106484472887961), -91.969081040243296, (0.02791223725, 0.05386971181)),
    ("FLUAZINAM", "weibull", -73.635836177602187, (0.4411019332686138, 434.5712680237586483), -73.635836052160428, (0.1111186808, 297.3483707945)),
    ("SALINITY", "weibull", -139.09971606106797, (2.647071788340102, 35.857086938302338), -139.09971357395517, (0.2996956848, 2.0038074566)),
    ("SMOKEDFISH", "gamma", -97.603838046470514, (0.088005603460213716, 0.019970571385204607), -97.603837328727707, (0.014758514957, 0.008972429686)),
    ("SALINITY", "gamma", -138.77627753613481, (4.91728581827192635, 0.15204184022511061), -138.77627735362435, (0.9687482217, 0.0345070723)),
]
# (fitdistcens(fluazinam, "gamma") fails in R: "non-finite finite-difference value [2]".)

DATA = {"SMOKEDFISH": SMOKEDFISH, "FLUAZINAM": FLUAZINAM, "SALINITY": SALINITY}


def _censored(name):
    left, right = DATA[name]
    return Censored(left, right)


@pytest.mark.parametrize("data, family, r_ll_default, r_est, r_ll, r_sd", R_REFERENCE,
                         ids=[f"{d}-{f}" for d, f, *_ in R_REFERENCE])
def test_matches_fitdistcens(data, family, r_ll_default, r_est, r_ll, r_sd):
    r = maxlik.fit(_censored(data), family)
    assert r.converged
    assert r.loglik >= max(r_ll_default, r_ll) - 1e-6 * abs(r_ll)
    est = [r.params[k] for k in r.family.param_names]
    np.testing.assert_allclose(est, r_est, rtol=1e-4)
    # R's standard errors come from optim's finite-difference Hessian: agreement to ~1e-3
    np.testing.assert_allclose([r.stderr[k] for k in r.family.param_names], r_sd, rtol=5e-3)


def _scipy_censored_loglik(dist, data: Censored):
    """ℓ from scipy's own distribution functions (the reference form of the censored likelihood)."""
    lo, hi, kind = data.left, data.right, data.kind
    ll = dist.logpdf(lo[kind == 0]).sum() + dist.logcdf(hi[kind == 1]).sum() + dist.logsf(lo[kind == 2]).sum()
    return ll + np.log(dist.cdf(hi[kind == 3]) - dist.cdf(lo[kind == 3])).sum()


def test_weibull_reaches_scipy_censored_fit():
    rng = np.random.default_rng(3)
    t = scipy.stats.weibull_min.rvs(1.7, scale=4.0, size=300, random_state=rng)
    c = rng.uniform(1.0, 9.0, size=300)  # random right-censoring times
    observed = t <= c
    left_lim = 0.8  # a detection limit: below it only "< 0.8" is known
    below = t < left_lim
    exact = observed & ~below
    sd = scipy.stats.CensoredData(uncensored=t[exact], left=np.full(below.sum(), left_lim),
                                  right=c[~observed & ~below])
    shape, _, scale = scipy.stats.weibull_min.fit(sd, floc=0)
    left = np.where(below, np.nan, np.where(observed, t, c))
    right = np.where(below, left_lim, np.where(observed, t, np.nan))
    data = Censored(left, right)
    r = maxlik.fit(data, "weibull")
    scipy_ll = _scipy_censored_loglik(scipy.stats.weibull_min(shape, scale=scale), data)
    ours_by_scipy = _scipy_censored_loglik(scipy.stats.weibull_min(r.params["concentration"], scale=r.params["scale"]), data)
    assert r.loglik >= scipy_ll - 1e-9 * abs(scipy_ll)
    assert ours_by_scipy == pytest.approx(r.loglik, rel=1e-10)  # the same likelihood, evaluated by scipy
    np.testing.assert_allclose([r.params["concentration"], r.params["scale"]], [shape, scale], rtol=1e-3)


def test_exponential_right_censoring_closed_form():
    rng = np.random.default_rng(0)
    t = rng.exponential(2.0, 200)
    c = rng.exponential(3.0, 200)
    time, observed = np.minimum(t, c), t <= c
    r = maxlik.fit(Censored.from_events(time, observed), "exponential")
    d, total = observed.sum(), time.sum()
    rate = d / total
    assert r.params["rate"] == pytest.approx(rate, rel=1e-10)
    assert r.loglik == pytest.approx(d * math.log(rate) - rate * total, rel=1e-12)
    assert r.stderr["rate"] == pytest.approx(rate / math.sqrt(d), rel=1e-8)  # observed information d / rate²
    # profile interval: d log λ − λT = ℓ̂ − χ²₁(0.95)/2, solved independently
    target = r.loglik - 0.5 * scipy.stats.chi2.ppf(0.95, 1)
    f = lambda lam: d * math.log(lam) - lam * total - target  # noqa: E731
    lo, hi = scipy.optimize.brentq(f, rate * 1e-3, rate), scipy.optimize.brentq(f, rate, rate * 10)
    np.testing.assert_allclose(r.conf_int(method="profile")["rate"], (lo, hi), rtol=1e-6)


def test_interval_log_probability_keeps_digits_in_both_tails():
    from maxlik.families.intervals import log_prob_between as log_interval_prob
    from maxlik._jax import jnp

    fam = maxlik.Normal()
    p = {"loc": jnp.asarray(0.0), "scale": jnp.asarray(1.0)}
    a, b = jnp.asarray([30.0, -31.0, -0.5]), jnp.asarray([31.0, -30.0, 0.25])
    got = np.asarray(log_interval_prob(fam, p, a, b))
    n = scipy.stats.norm
    # far right: S(a) − S(b); far left: F(b) − F(a) (1 − F rounds to 1 in both, so neither naive form works)
    want = [n.logsf(30.0) + np.log(-np.expm1(n.logsf(31.0) - n.logsf(30.0))),
            n.logcdf(-30.0) + np.log(-np.expm1(n.logcdf(-31.0) - n.logcdf(-30.0))),
            np.log(n.cdf(0.25) - n.cdf(-0.5))]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert np.all(np.isfinite(got))


def test_poisson_with_right_censored_counts_matches_direct_maximisation():
    rng = np.random.default_rng(1)
    k = rng.poisson(3.5, 150).astype(float)
    capped = k >= 6  # "6 or more"
    left = np.where(capped, 5.0, k)  # right-censored at 5: X > 5
    right = np.where(capped, np.nan, k)
    r = maxlik.fit(Censored(left, right), "poisson")
    nll = lambda lam: -(scipy.stats.poisson.logpmf(k[~capped], lam).sum()  # noqa: E731
                        + capped.sum() * scipy.stats.poisson.logsf(5, lam))
    best = scipy.optimize.minimize_scalar(nll, bounds=(0.5, 10), method="bounded", options={"xatol": 1e-10})
    assert r.params["rate"] == pytest.approx(best.x, rel=1e-6)
    assert r.loglik == pytest.approx(-best.fun, rel=1e-10)


def test_integer_weights_equal_repeated_rows():
    left, right = np.asarray(SALINITY[0]), np.asarray(SALINITY[1])
    w = np.arange(len(left)) % 3 + 1.0
    rep = np.repeat(np.arange(len(left)), w.astype(int))
    a = maxlik.fit(Censored(left, right), "lognormal", weights=w)
    b = maxlik.fit(Censored(left[rep], right[rep]), "lognormal")
    np.testing.assert_allclose([a.params["loc"], a.params["scale"]], [b.params["loc"], b.params["scale"]], rtol=1e-8)
    assert a.loglik == pytest.approx(b.loglik, rel=1e-10)


def test_fixed_lrt_and_compare():
    data = _censored("SALINITY")
    full = maxlik.fit(data, "weibull")
    restricted = maxlik.fit(data, "weibull", fixed={"concentration": 1.0})
    expo = maxlik.fit(data, "exponential")  # Weibull with k = 1 is the exponential with rate 1/scale
    assert restricted.loglik == pytest.approx(expo.loglik, rel=1e-9)
    assert restricted.params["scale"] == pytest.approx(1 / expo.params["rate"], rel=1e-6)
    test = maxlik.lrt(restricted, full)
    assert test.df == 1 and test.statistic == pytest.approx(2 * (full.loglik - restricted.loglik))
    table = maxlik.compare(data, ["weibull", "lognormal", "exponential", "mvnormal"])
    fitted = {row.family: row for row in table.rows if row.reason is None}
    assert set(fitted) == {"weibull", "lognormal", "exponential"}
    assert fitted["lognormal"].loglik == pytest.approx(-139.05495585180392, rel=1e-8)  # R, above
    assert table.best.family == min(fitted.values(), key=lambda row: row.aic).family
    assert full.aic == pytest.approx(2 * 2 - 2 * full.loglik)
    assert full.bic == pytest.approx(2 * math.log(data.n) - 2 * full.loglik)


def test_result_is_the_base_family_with_its_distribution_functions():
    r = maxlik.fit(_censored("FLUAZINAM"), "lognormal", n_init=3, seed=0)
    assert isinstance(r.family, maxlik.LogNormal)
    dist = scipy.stats.lognorm(r.params["scale"], scale=math.exp(r.params["loc"]))
    assert r.cdf(100.0) == pytest.approx(dist.cdf(100.0), rel=1e-12)
    back = maxlik.FitResult.from_json(r.to_json())
    assert back.loglik == r.loglik
    lo, hi = r.conf_int(method="profile")["scale"]
    assert lo < r.params["scale"] < hi


def test_init_option_and_closed_form_refusal():
    data = _censored("SMOKEDFISH")
    r = maxlik.fit(data, "lognormal", init={"loc": -1.0, "scale": 1.0})
    assert r.loglik == pytest.approx(-90.65153517981544, rel=1e-9)
    with pytest.raises(ParameterError, match=r"method='closed_form' has no censored form"):
        maxlik.fit(data, "normal", method="closed_form")
    with pytest.raises(ParameterError, match=r"options must be among .*'n_iter'"):
        maxlik.fit(data, "lognormal", n_iter=3)


def test_from_events_and_from_frame():
    d = Censored.from_events([5.0, 8.0, 3.0], [True, False, 1])
    np.testing.assert_array_equal(d.kind, [0, 2, 0])
    assert np.isnan(d.right[1]) and d.left[1] == 8.0
    frame = {"L": [None, 1.0, 2.0, 4.0], "R": [0.5, 1.0, 3.0, None]}
    c = Censored.from_frame(frame, left="L", right="R")
    assert c.counts() == {"exact": 1, "left-censored": 1, "right-censored": 1, "interval-censored": 1}
    pd = pytest.importorskip("pandas")
    c2 = Censored.from_frame(pd.DataFrame(frame), left="L", right="R")
    np.testing.assert_array_equal(c2.kind, c.kind)


def test_lower_bound_at_the_support_start_is_left_censoring():
    # fitdistrplus writes "below 0.5" as (0, 0.5] too: for a positive family it is left-censored
    a = maxlik.fit(Censored([0.0, 1.0, 2.0, 1.5], [0.5, 1.0, 2.0, 1.5]), "weibull")
    b = maxlik.fit(Censored([None, 1.0, 2.0, 1.5], [0.5, 1.0, 2.0, 1.5]), "weibull")
    assert a.loglik == pytest.approx(b.loglik, rel=1e-12)


# -- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize("left, right, match", [
    ([1.0, 3.0, 2.0, 5.0], [1.0, 2.0, 2.0, 4.0], r"left must be <= right on every row; got 2 row\(s\) with left > right "
                                                  r"\(first at row 1 \(0-based\): left=3, right=2\)"),
    ([1.0, None, np.nan], [1.0, np.nan, None], r"each row must have at least one bound; got 2 row\(s\) with both left and right "
                                               r"missing \(first at row 1 \(0-based\)\)"),
    ([1.0, np.inf], [1.0, np.inf], r"left bounds must be finite numbers or NaN/None \(missing\); got 1 infinite value\(s\) "
                                   r"\(first at row 1 \(0-based\): inf\)"),
    ([1.0, 2.0], [1.0, -np.inf], r"right bounds must be finite numbers or NaN/None"),
    ([], [], r"data must have at least one observation; got 0 rows"),
    ([1.0, 2.0], [1.0], r"left and right must have one bound each per observation; got 2 left and 1 right"),
    (["a", 1.0], [1.0, 1.0], r"left must be numbers \(NaN or None for a missing bound\)"),
    ([[1.0, 2.0]], [[1.0, 2.0]], r"left must be one-dimensional"),
])
def test_bad_bounds(left, right, match):
    with pytest.raises(DataError, match=r"^Censored: " + match):
        Censored(left, right)


def test_bad_events_and_frame():
    with pytest.raises(DataError, match=r"Censored.from_events: observed must be booleans or 0/1 \(1 = the event happened\); got 2 at row 1 \(0-based\)"):
        Censored.from_events([1.0, 2.0], [1, 2])
    with pytest.raises(DataError, match=r"Censored.from_events: observed must have one value per time; got 1 values for 2 times"):
        Censored.from_events([1.0, 2.0], [1])
    with pytest.raises(DataError, match=r"Censored.from_events: time must be finite; got NaN \(first at row 0 \(0-based\)\)"):
        Censored.from_events([np.nan, 2.0], [1, 0])
    with pytest.raises(DataError, match=r"Censored.from_frame: column 'lo' must be in the frame; got columns \['L', 'R'\]"):
        Censored.from_frame({"L": [1.0], "R": [1.0]}, left="lo", right="R")


def test_family_without_distribution_functions():
    with pytest.raises(DataError, match=r"fit\(MultivariateNormal\): censored data need a univariate family with a CDF; got a "
                                        r"multivariate family. Families that support censoring: .*\bweibull\b"):
        maxlik.fit(Censored([1.0, 2.0], [1.0, 2.0]), "mvnormal")


@pytest.mark.parametrize("left, right, side", [
    ([1.0, 2.0, 3.0], [np.nan, np.nan, np.nan], "right-censored"),
    ([np.nan, np.nan], [0.5, 0.7], "left-censored"),
])
def test_censored_all_on_one_side(left, right, side):
    with pytest.raises(DegenerateFitError, match=rf"fit\(Weibull\): censored data must not be censored all on one side; got all "
                                                 rf"\d rows {side}. .*the MLE may not exist"):
        maxlik.fit(Censored(left, right), "weibull")
    # with every free parameter but one held fixed it is still degenerate; with all fixed it is a value
    r = maxlik.fit(Censored(left, right), "weibull", fixed={"concentration": 1.0, "scale": 2.0})
    assert np.isfinite(r.loglik)


def test_zero_weight_rows_do_not_make_a_fit_estimable():
    with pytest.raises(DegenerateFitError, match="all 2 rows right-censored"):
        maxlik.fit(Censored([1.0, 2.0, 3.0], [1.0, np.nan, np.nan]), "exponential", weights=[0.0, 1.0, 1.0])


def test_values_outside_the_support():
    with pytest.raises(SupportError, match=r"Weibull: exact observations must be positive \(> 0\); got 1 value\(s\) outside the "
                                           r"support \(first at row 1 \(0-based\): -1\)"):
        maxlik.fit(Censored([1.0, -1.0], [1.0, -1.0]), "weibull")
    with pytest.raises(SupportError, match=r"Weibull: censoring bounds must overlap the support \(positive \(> 0\)\); got 1 row\(s\) "
                                           r"whose interval lies outside it \(first at row 2 \(0-based\): left=nan, right=-2\)"):
        maxlik.fit(Censored([1.0, 2.0, np.nan], [1.0, 2.0, -2.0]), "weibull")


@pytest.mark.parametrize("a, x", [(2.5, 1.7), (0.7, 3.0), (8.0, 12.0)])
def test_gamma_log_p_and_q_have_second_derivatives_in_the_shape(a, x):
    """A censored gamma fit needs ∂²/∂a² of log P(a, x) and log Q(a, x) (JAX's igamma has only the
    first). Reference: d/da and d²/da² of log ∫ t^(a−1) e^(−t) dt − log Γ(a) by quadrature."""
    import jax
    from scipy import integrate, special

    from maxlik.families._cdf import log_gammainc, log_gammaincc

    def moments(lo, hi):
        return [integrate.quad(lambda t: t ** (a - 1) * np.exp(-t) * np.log(t) ** j, lo, hi, epsabs=0, epsrel=1e-11, limit=200)[0]
                for j in range(3)]

    for fn, (lo, hi) in ((log_gammainc, (0.0, x)), (log_gammaincc, (x, np.inf))):
        g0, g1, g2 = moments(lo, hi)
        d1 = g1 / g0 - special.digamma(a)
        d2 = g2 / g0 - (g1 / g0) ** 2 - special.polygamma(1, a)
        f = lambda s: fn(s, jax.numpy.asarray(x))  # noqa: E731
        assert float(f(jax.numpy.asarray(a))) == pytest.approx(np.log(g0) - special.gammaln(a), rel=1e-12)
        assert float(jax.grad(f)(jax.numpy.asarray(a))) == pytest.approx(d1, rel=1e-8)
        assert float(jax.grad(jax.grad(f))(jax.numpy.asarray(a))) == pytest.approx(d2, rel=1e-7)


def test_truncation_of_censored_data_is_refused_not_ignored():
    data = maxlik.Censored([1.0, 2.0, 3.0, np.nan], [1.0, 2.5, np.nan, 4.0])
    with pytest.raises(maxlik.ParameterError, match=r"fit\(Weibull\): truncation of censored data is not implemented; "
                                                     r"got both a Censored data set and truncation="):
        maxlik.fit(data, "weibull", truncation=(0.5, 10.0))
