"""Data near 1e±300 (issue #16 item 4): ``fit`` works on the exact copy x / 2^k and maps back.

References: the fit of the same family on the unscaled data x, mapped through the family's
equivariance (θ → c^e·θ, se → c^e·se, ℓ → ℓ − W·log c), and scipy.stats' ``logpdf`` summed at the
mapped estimates (scipy standardises (x − loc) / scale before any square, so it evaluates these
densities at 1e±271 in float64)."""

from __future__ import annotations

import math
import pickle
import warnings

import numpy as np
import pytest
from scipy import stats

import maxlik
from maxlik.errors import DegenerateFitError, InferenceWarning, ParameterError, SupportError
from maxlik.families import LOG, family_names, get_family, scale_exponents_of
from maxlik.rescaled_fit import rescaling_for
from maxlik.results import FitResult, RescaledFitResult, Result

rng = np.random.default_rng(16)
N = 120
POSITIVE = rng.gamma(3.0, 1.0, size=N)
REAL = rng.standard_t(6.0, size=N) * 1.5 + 0.7

# family -> (data on the unit scale, scipy logpdf(x, params))
CASES = {
    "normal": (REAL, lambda x, p: stats.norm.logpdf(x, p["loc"], p["scale"])),
    "cauchy": (REAL, lambda x, p: stats.cauchy.logpdf(x, p["loc"], p["scale"])),
    "laplace": (REAL, lambda x, p: stats.laplace.logpdf(x, p["loc"], p["scale"])),
    "logistic": (REAL, lambda x, p: stats.logistic.logpdf(x, p["loc"], p["scale"])),
    "gumbel": (POSITIVE, lambda x, p: stats.gumbel_r.logpdf(x, p["loc"], p["scale"])),
    "student_t": (REAL, lambda x, p: stats.t.logpdf(x, p["df"], p["loc"], p["scale"])),
    "uniform": (REAL, lambda x, p: stats.uniform.logpdf(x, p["low"], p["high"] - p["low"])),
    "exponential": (POSITIVE, lambda x, p: stats.expon.logpdf(x, scale=1 / p["rate"])),
    "exponential2": (POSITIVE, lambda x, p: stats.expon.logpdf(x, p["loc"], 1 / p["rate"])),
    "gamma": (POSITIVE, lambda x, p: stats.gamma.logpdf(x, p["concentration"], scale=1 / p["rate"])),
    "gamma3": (POSITIVE, lambda x, p: stats.gamma.logpdf(x, p["concentration"], p["loc"], 1 / p["rate"])),
    "weibull": (POSITIVE, lambda x, p: stats.weibull_min.logpdf(x, p["concentration"], scale=p["scale"])),
    "weibull3": (POSITIVE, lambda x, p: stats.weibull_min.logpdf(x, p["concentration"], p["loc"], p["scale"])),
    "pareto": (POSITIVE, lambda x, p: stats.pareto.logpdf(x, p["alpha"], scale=p["scale"])),
    "lognormal": (POSITIVE, lambda x, p: stats.lognorm.logpdf(x, p["scale"], scale=math.exp(p["loc"]))),
    "lognormal3": (POSITIVE, lambda x, p: stats.lognorm.logpdf(x, p["sigma"], p["loc"], math.exp(p["mu"]))),
}
# how each parameter moves with the data's units, written out here (not read from the families)
EXPONENTS = {
    "normal": {"loc": 1, "scale": 1}, "cauchy": {"loc": 1, "scale": 1}, "laplace": {"loc": 1, "scale": 1},
    "logistic": {"loc": 1, "scale": 1}, "gumbel": {"loc": 1, "scale": 1}, "student_t": {"df": 0, "loc": 1, "scale": 1},
    "uniform": {"low": 1, "high": 1}, "exponential": {"rate": -1}, "exponential2": {"rate": -1, "loc": 1},
    "gamma": {"concentration": 0, "rate": -1}, "gamma3": {"concentration": 0, "rate": -1, "loc": 1},
    "weibull": {"concentration": 0, "scale": 1}, "weibull3": {"concentration": 0, "scale": 1, "loc": 1},
    "pareto": {"scale": 1, "alpha": 0}, "lognormal": {"loc": LOG, "scale": 0}, "lognormal3": {"mu": LOG, "sigma": 0, "loc": 1},
}
SCALES = [pytest.param(2.0**900, id="2^900"), pytest.param(2.0**-900, id="2^-900")]


def moved(name: str, k: str, v, c: float):
    e = EXPONENTS[name][k]
    return v + math.log(c) if e == LOG else v * c**e


def se_moved(name: str, k: str, v, c: float):
    e = EXPONENTS[name][k]
    return v if e == LOG else v * c**e


_FITS: dict = {}


def fits(name: str, c: float):
    """(fit of x, fit of c·x, x, c·x), computed once per case."""
    if (name, c) not in _FITS:
        x = CASES[name][0]
        y = x * c
        _FITS[name, c] = maxlik.fit(x, name), maxlik.fit(y, name), x, y
    return _FITS[name, c]


def test_every_declaration_names_each_parameter_once():
    """The families rescaled are the scale families tabled above; the others declare None."""
    declared = {}
    for name, cls in family_names().items():
        rules = scale_exponents_of(cls)
        if rules is not None:
            declared[name] = rules
    assert declared == EXPONENTS


@pytest.mark.parametrize("c", SCALES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_estimates_errors_and_loglik_are_those_of_the_unscaled_fit(name, c):
    rx, ry, x, y = fits(name, c)
    assert isinstance(ry, RescaledFitResult) and not isinstance(rx, RescaledFitResult)
    assert ry.converged, ry.message
    assert ry.status == rx.status
    for k, v in rx.params.items():
        got, want = ry.params[k], moved(name, k, v, c)
        assert math.isfinite(got)
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=0, err_msg=k)
    for k, v in rx.stderr.items():
        got = ry.stderr[k]
        assert math.isfinite(got) and got > 0, (k, got)
        np.testing.assert_allclose(got, se_moved(name, k, v, c), rtol=1e-8, atol=0, err_msg=k)
    shift = x.size * math.log(c)
    assert math.isfinite(ry.loglik)
    assert ry.loglik == pytest.approx(rx.loglik - shift, rel=1e-12, abs=1e-8)
    assert ry.aic == pytest.approx(rx.aic + 2 * shift, rel=1e-12, abs=1e-8)
    assert ry.bic == pytest.approx(rx.bic + 2 * shift, rel=1e-12, abs=1e-8)


@pytest.mark.parametrize("c", SCALES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_loglik_and_log_prob_agree_with_scipy_at_the_users_scale(name, c):
    _, ry, _, y = fits(name, c)
    ref = CASES[name][1](y, ry.params)
    assert np.all(np.isfinite(ref))
    assert ry.loglik == pytest.approx(float(np.sum(ref)), rel=1e-10)
    np.testing.assert_allclose(ry.log_prob(y), ref, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("c", SCALES)
@pytest.mark.parametrize("name", sorted(CASES))
def test_wald_intervals_are_the_unscaled_ones_mapped(name, c):
    rx, ry, _, _ = fits(name, c)
    for method in ("wald", "wald-natural"):
        cx, cy = rx.conf_int(method=method), ry.conf_int(method=method)
        for k, (lo, hi) in cx.items():
            assert lo < hi or not math.isfinite(lo)
            np.testing.assert_allclose(cy[k], [moved(name, k, lo, c), moved(name, k, hi, c)], rtol=1e-8, err_msg=(method, k))


PROFILE = ["normal", "exponential", "gamma", "weibull", "cauchy", "student_t", "lognormal", "pareto", "gumbel"]


@pytest.mark.parametrize("c", SCALES)
@pytest.mark.parametrize("name", PROFILE)
def test_profile_intervals_are_the_unscaled_ones_mapped(name, c):
    rx, ry, _, _ = fits(name, c)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InferenceWarning)
        cx, cy = rx.conf_int(method="profile"), ry.conf_int(method="profile")
    for k, (lo, hi) in cx.items():
        assert math.isfinite(cy[k][0]) and math.isfinite(cy[k][1]), k
        np.testing.assert_allclose(cy[k], [moved(name, k, lo, c), moved(name, k, hi, c)], rtol=1e-7, err_msg=k)
    # an end of the profile interval: ℓ there is ℓ̂ − χ²₁(0.95)/2 at the user's scale too (the last
    # parameter: pareto's scale ends at min(x), the edge of its domain, where ℓ does not drop)
    k = list(cy)[-1]
    assert ry._profile({k: cy[k][1]}) == pytest.approx(ry.loglik - stats.chi2.ppf(0.95, 1) / 2, abs=1e-5)


@pytest.mark.parametrize("name", ["normal", "gamma", "student_t", "lognormal3"])
def test_json_pickle_and_save_round_trips(name, tmp_path):
    _, ry, _, y = fits(name, 2.0**900)
    for back in (FitResult.from_json(ry.to_json()), Result.from_dict(ry.to_dict()),
                 RescaledFitResult.from_dict(ry.to_dict()), pickle.loads(pickle.dumps(ry))):
        assert isinstance(back, RescaledFitResult)
        assert back.params == ry.params and back.stderr == ry.stderr and back.loglik == ry.loglik
        assert back.conf_int() == ry.conf_int()
        assert back.summary() == ry.summary()
        np.testing.assert_array_equal(back.log_prob(y[:5]), ry.log_prob(y[:5]))
    maxlik.save(ry, tmp_path / "fit.json")
    loaded = maxlik.load(tmp_path / "fit.json")
    assert isinstance(loaded, RescaledFitResult) and loaded.params == ry.params and loaded.stderr == ry.stderr


def test_summary_reads_in_the_users_units():
    _, ry, _, _ = fits("normal", 2.0**900)
    text = ry.summary()
    assert "rescaled: fitted on the data × 2^-" in text
    assert f"{ry.params['scale']:.6g}" in text and f"{ry.stderr['scale']:.4g}" in text
    assert "inf" not in text and "nan" not in text


def test_covariance_keeps_what_float64_can_hold():
    """Var(loĉ) of data near 1e271 is near 1e540: inf in float64; the standard errors stay exact."""
    rx, ry, _, _ = fits("normal", 2.0**900)
    assert ry.cov_labels == rx.cov_labels
    with pytest.warns(InferenceWarning, match=r"^Normal: cov entries must be within float64 to be exact; got some beyond "
                      r"it in the data's units \(inf or 0: the data are near 2\^903\)\. Use stderr \(exact\)"):
        assert np.isinf(ry.cov[0, 0])
    rx2, ry2, _, _ = fits("exponential", 2.0**-900)  # rate ~ 1e271: variance ~ 1e540 also
    assert ry2.stderr["rate"] == pytest.approx(rx2.stderr["rate"] * 2.0**900, rel=1e-12)
    _, rg, _, _ = fits("gamma", 2.0**900)  # cov(concentration, rate) ~ 1e-271: representable
    i, j = rg.cov_labels.index("concentration"), rg.cov_labels.index("rate")
    rxg = fits("gamma", 2.0**900)[0]
    with pytest.warns(InferenceWarning, match=r"Use stderr \(exact\), or scaled_fit\.cov \(in the units of the data × 2\^-904\)\.$"):
        cov = rg.cov  # Var(rate) ~ 1e-545 underflows to 0
    assert cov[i, j] == pytest.approx(rxg.cov[i, j] * 2.0**-900, rel=1e-10)
    np.testing.assert_allclose(rg.scaled_fit.cov, rxg.cov * np.outer([1, 2.0**4], [1, 2.0**4]), rtol=1e-10)


@pytest.mark.parametrize("c", SCALES)
def test_distribution_functions_at_the_users_scale(c):
    _, ry, _, y = fits("weibull", c)
    k, s = ry.params["concentration"], ry.params["scale"]
    q = np.array([1e-6, 0.1, 0.5, 0.9])
    np.testing.assert_allclose(ry.ppf(q), stats.weibull_min.ppf(q, k, scale=s), rtol=1e-10)
    np.testing.assert_allclose(ry.cdf(y[:5]), stats.weibull_min.cdf(y[:5], k, scale=s), rtol=1e-10)
    np.testing.assert_allclose(ry.logsf(y[:5]), stats.weibull_min.logsf(y[:5], k, scale=s), rtol=1e-10)
    assert ry.mean == pytest.approx(stats.weibull_min.mean(k, scale=s), rel=1e-10)
    draws = ry.sample(1000, seed=1)
    assert np.all(np.isfinite(draws)) and np.median(draws) == pytest.approx(float(ry.ppf(0.5)), rel=0.15)


@pytest.mark.parametrize("c", SCALES)
def test_fixed_values_init_and_weights_are_mapped(c):
    x = REAL
    w = rng.integers(1, 4, size=x.size).astype(float)
    ref = maxlik.fit(x, "normal", weights=w, fixed={"scale": 2.0})
    r = maxlik.fit(x * c, "normal", weights=w, fixed={"scale": 2.0 * c})
    assert isinstance(r, RescaledFitResult) and r.fixed == ("scale",) and r.params["scale"] == 2.0 * c
    assert r.params["loc"] == pytest.approx(ref.params["loc"] * c, rel=1e-12)
    assert r.stderr["loc"] == pytest.approx(ref.stderr["loc"] * c, rel=1e-12)
    assert r.loglik == pytest.approx(ref.loglik - w.sum() * math.log(c), rel=1e-12)
    assert r.loglik == pytest.approx(float(w @ stats.norm.logpdf(x * c, r.params["loc"], 2.0 * c)), rel=1e-10)

    ref = maxlik.fit(POSITIVE, "lognormal", fixed={"loc": 1.0})
    r = maxlik.fit(POSITIVE * c, "lognormal", fixed={"loc": 1.0 + math.log(c)})
    assert r.params["loc"] == 1.0 + math.log(c)
    assert r.params["scale"] == pytest.approx(math.sqrt(np.mean((np.log(POSITIVE * c) - r.params["loc"]) ** 2)), rel=1e-10)

    ref = maxlik.fit(POSITIVE, "weibull", fixed={"concentration": 1.5})
    r = maxlik.fit(POSITIVE * c, "weibull", fixed={"concentration": 1.5}, init={"scale": 2.0 * c})
    assert r.params["scale"] == pytest.approx(ref.params["scale"] * c, rel=1e-10)


def test_bootstrap_refits_at_the_users_scale():
    c = 2.0**900
    r = maxlik.fit(POSITIVE * c, "exponential")
    boot = r.bootstrap(n_boot=20, seed=3)
    reps = np.asarray(boot.replicates["rate"])
    assert np.all(np.isfinite(reps)) and np.all(reps > 0)
    ref = maxlik.fit(POSITIVE, "exponential").bootstrap(n_boot=20, seed=3)
    np.testing.assert_allclose(reps, np.asarray(ref.replicates["rate"]) / c, rtol=1e-10)


def test_errors_quote_the_users_values():
    y = POSITIVE * 2.0**900
    y[7] = -y[7]
    with pytest.raises(SupportError, match=r"row 7.*-[0-9.]+e\+27[0-9]"):
        maxlik.fit(y, "exponential")


@pytest.mark.parametrize("x, name", [
    (POSITIVE * 1e50, "gamma"), (REAL * 1e-50, "normal"),  # inside 2^±332: fitted as before
    (POSITIVE * 2.0**900, "poisson"), (np.full(3, np.nan), "normal"), (np.zeros(4), "normal"),
    (np.array([1e300, np.inf]), "normal"),
])
def test_data_or_families_that_are_not_rescaled(x, name):
    assert rescaling_for(x, get_family(name)) is None


def test_the_rescaling_keeps_tiny_values_exact():
    """1e300 beside 1e-30: the factor is lowered so that the smallest value survives the division."""
    x = np.array([1e300, 3e299, 1e-30, 2.0])
    rs = rescaling_for(x, get_family("exponential"))
    assert rs is not None and 0 < rs.log2 < 997
    assert np.all(np.ldexp(rs.data_to_scaled(x), rs.log2) == x)
    assert rs.data_to_scaled(x).min() >= np.finfo(float).tiny


def test_pareto_with_tiny_values_among_unit_ones_has_its_standard_error():
    """Pareto's scale is min x and Var = xₘ²·Nα/((Nα−1)²(Nα−2)): with xₘ = 1e-300 beside values of
    order 1 (largest |x| inside 2^±332) that variance underflowed to 0 (se = 0, fuzz of issue #16).
    The smallest value now decides the rescaling; reference: the closed form in log space, scipy."""
    x = np.array([1e-300] * 6 + np.linspace(0.1, 10.0, 2000).tolist())
    rs = rescaling_for(x, get_family("pareto"))
    assert rs is not None and rs.log2 < 0 and np.all(np.ldexp(rs.data_to_scaled(x), rs.log2) == x)
    r = maxlik.fit(x, "pareto")
    n = x.size
    alpha = n / math.fsum(np.log(x) - math.log(1e-300))
    na = n * alpha
    log_se = math.log(1e-300) + 0.5 * math.log(na) - math.log(na - 1.0) - 0.5 * math.log(na - 2.0)
    assert r.status.ok and r.params["scale"] == 1e-300
    np.testing.assert_allclose(r.params["alpha"], alpha, rtol=1e-12)
    np.testing.assert_allclose(r.stderr["scale"], math.exp(log_se), rtol=1e-12)
    np.testing.assert_allclose(r.stderr["alpha"], alpha / math.sqrt(n), rtol=1e-12)
    np.testing.assert_allclose(r.loglik, stats.pareto.logpdf(x, alpha, scale=1e-300).sum(), rtol=1e-12)
    # values of order 1 alone need no rescaling, for the Pareto as for any family
    assert rescaling_for(np.linspace(0.1, 10.0, 50), get_family("pareto")) is None


def test_exact_intervals_are_mapped():
    """Exponential2's exact intervals (chi-square for the rate, F for loc) in the user's units."""
    c = 2.0**900
    rx, ry = maxlik.fit(POSITIVE, "exponential2"), maxlik.fit(POSITIVE * c, "exponential2")
    ex, ey = rx.conf_int(method="exact"), ry.conf_int(method="exact")
    np.testing.assert_allclose(ey["rate"], np.asarray(ex["rate"]) / c, rtol=1e-12)
    np.testing.assert_allclose(ey["loc"], np.asarray(ex["loc"]) * c, rtol=1e-12)
    n, rate = POSITIVE.size, ry.params["rate"]  # 2nλ/λ̂ ~ χ²(2n − 2) (closed form of the pivot)
    np.testing.assert_allclose(ey["rate"], rate * stats.chi2.ppf([0.025, 0.975], 2 * n - 2) / (2 * n), rtol=1e-10)
    assert "exact chi-square" in ry.summary()


def test_gof_statistics_do_not_depend_on_the_units():
    c = 2.0**-900
    ry = maxlik.fit(POSITIVE * c, "gamma")
    gx, gy = maxlik.fit(POSITIVE, "gamma").gof(n_boot=19, seed=1), ry.gof(n_boot=19, seed=1)
    for k, v in gx.statistics.items():
        assert gy.statistics[k] == pytest.approx(v, rel=1e-9), k
    fitted = stats.gamma(ry.params["concentration"], scale=1 / ry.params["rate"])
    assert gy.statistics["ks"] == pytest.approx(stats.kstest(POSITIVE * c, fitted.cdf).statistic, rel=1e-9)


@pytest.mark.parametrize("c", SCALES)
def test_truncated_fits_are_rescaled_with_their_window(c):
    """Data truncated to (1, 6] in the unit scale are truncated to (c, 6c] at scale c."""
    x = POSITIVE[(POSITIVE > 1.0) & (POSITIVE <= 6.0)]
    rx = maxlik.fit(x, "gamma", truncation=(1.0, 6.0))
    ry = maxlik.fit(x * c, "gamma", truncation=(1.0 * c, 6.0 * c))
    assert isinstance(ry, RescaledFitResult) and ry.converged, ry.message
    assert (ry.family.low, ry.family.high) == (c, 6.0 * c) and "Truncated(Gamma(), low=" in ry.summary()
    for k, v in rx.params.items():
        np.testing.assert_allclose(ry.params[k], moved("gamma", k, v, c), rtol=1e-8, err_msg=k)
        np.testing.assert_allclose(ry.stderr[k], se_moved("gamma", k, rx.stderr[k], c), rtol=1e-6, err_msg=k)
    a, scale = ry.params["concentration"], 1 / ry.params["rate"]
    mass = stats.gamma.cdf(6.0 * c, a, scale=scale) - stats.gamma.cdf(c, a, scale=scale)
    ref = np.sum(stats.gamma.logpdf(x * c, a, scale=scale) - np.log(mass))
    assert ry.loglik == pytest.approx(ref, rel=1e-10)
    back = pickle.loads(pickle.dumps(ry))
    assert back.family == ry.family and back.params == ry.params and back.loglik == ry.loglik
    back = FitResult.from_json(ry.to_json())
    assert back.family == ry.family and back.stderr == ry.stderr


def test_errors_of_the_rescaled_fit_say_their_units():
    with pytest.raises(DegenerateFitError, match=r"all 5 observations are equal .* \(Values quoted are in the units of "
                       r"the fit: the data divided by 2\^997\.\)$"):
        maxlik.fit(np.full(5, 1e300), "normal")


def test_a_malformed_declaration_fails_at_registration():
    from maxlik.families import Family, Param, register
    from maxlik import constraints as C

    class Bad(Family):
        name = "bad_scale_rules"
        params = (Param("loc", C.real, "centre"), Param("scale", C.positive, "spread"))
        scale_exponents = {"loc": 1}

    with pytest.raises(ParameterError, match=r"^Bad: scale_exponents must give an integer or 'log' for each of "
                       r"\['loc', 'scale'\]; got \{'loc': 1\}\. Declare one entry per parameter, or None\.$"):
        register(Bad)


def test_an_estimate_beyond_float64_is_an_error_not_inf():
    # the Exponential's rate 1 / mean for data around 1e-310 is ~1e310: no float can hold it
    with pytest.raises(maxlik.DataError, match=r"fit\(Exponential\): the estimate of `rate` must be within the "
                                               r"float64 range \(about ±1\.8e308\); got 1\.73834 x 2\^1028 for these "
                                               r"data \(fitted on the data divided by 2\^-1028\)\. Multiply the data"):
        maxlik.fit(np.array([1e-310, 3e-310]), "exponential")
    # the same data by a power of two: the rate scales back exactly (1 / mean)
    r = maxlik.fit(np.array([1e-310, 3e-310]) * 2.0**100, "exponential")
    assert r.params["rate"] == pytest.approx(1.0 / (2e-310 * 2.0**100), rel=1e-12)
