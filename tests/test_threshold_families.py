"""Threshold (three-parameter) families, issue #14 item 4: weibull3, gamma3, lognormal3, exponential2.

References: scipy.stats densities (``weibull_min``, ``gamma``, ``lognorm``, ``expon`` with ``loc``)
and their ``fit``; a finite-difference Hessian of scipy's log-density sum, computed here; the
shifted exponential's closed form; the two-parameter fits of x − loc.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.stats as st

import maxlik
from maxlik.errors import DataError, DegenerateFitError, ParameterError

N = 2000


def _weibull(p):
    return st.weibull_min(p["concentration"], loc=p["loc"], scale=p["scale"])


def _gamma(p):
    return st.gamma(p["concentration"], loc=p["loc"], scale=1.0 / p["rate"])


def _lognormal(p):
    return st.lognorm(p["sigma"], loc=p["loc"], scale=np.exp(p["mu"]))


def _expon(p):
    return st.expon(loc=p["loc"], scale=1.0 / p["rate"])


# name -> (scipy frozen distribution of our params, true params, scipy's own 3-parameter fit -> our params)
CASES = {
    "weibull3": (_weibull, {"concentration": 2.5, "scale": 2.0, "loc": 10.0},
                 lambda x: dict(zip(("concentration", "loc", "scale"), st.weibull_min.fit(x)))),
    "gamma3": (_gamma, {"concentration": 3.0, "rate": 0.5, "loc": -4.0},
               lambda x: (lambda a, loc, scale: {"concentration": a, "loc": loc, "rate": 1.0 / scale})(*st.gamma.fit(x))),
    "lognormal3": (_lognormal, {"mu": 0.7, "sigma": 0.5, "loc": 3.0},
                   lambda x: (lambda s, loc, scale: {"sigma": s, "loc": loc, "mu": np.log(scale)})(*st.lognorm.fit(x))),
    "exponential2": (_expon, {"rate": 0.5, "loc": 10.0},
                     lambda x: (lambda loc, scale: {"loc": loc, "rate": 1.0 / scale})(*st.expon.fit(x))),
}


def _data(name, seed=0):
    dist, truth, _ = CASES[name]
    return dist(truth).rvs(size=N, random_state=np.random.default_rng(seed))


def _scipy_loglik(name, params, x):
    return float(np.sum(CASES[name][0](params).logpdf(x)))


@pytest.fixture(scope="module")
def fits():
    return {name: (x := _data(name), maxlik.fit(x, name)) for name in CASES}


@pytest.mark.parametrize("name", list(CASES))
def test_estimates_near_the_truth_and_at_least_scipys_loglik(name, fits):
    x, r = fits[name]
    _, truth, scipy_fit = CASES[name]
    assert r.converged
    se = r.stderr
    for k, v in truth.items():
        assert abs(r.params[k] - v) < 5.0 * se[k], (k, r.params[k], v, se[k])
    ours = _scipy_loglik(name, r.params, x)
    assert r.loglik == pytest.approx(ours, rel=1e-10)
    theirs = _scipy_loglik(name, scipy_fit(x), x)
    assert ours >= theirs - 1e-9 * abs(theirs)


def _numerical_hessian(f, theta, steps):
    """Central second differences of f at theta with per-coordinate steps."""
    p = theta.size
    H = np.empty((p, p))
    for i in range(p):
        for j in range(p):
            ei, ej = np.eye(p)[i] * steps[i], np.eye(p)[j] * steps[j]
            H[i, j] = (f(theta + ei + ej) - f(theta + ei - ej) - f(theta - ei + ej) + f(theta - ei - ej)) / (4 * steps[i] * steps[j])
    return 0.5 * (H + H.T)


@pytest.mark.parametrize("name", ["weibull3", "gamma3", "lognormal3"])
def test_standard_errors_are_the_inverse_hessian_of_scipys_loglik(name, fits):
    x, r = fits[name]
    names = list(r.family.param_names)
    theta = np.array([r.params[k] for k in names])
    se = r.stderr

    def loglik(t):
        return _scipy_loglik(name, dict(zip(names, t)), x)

    H = _numerical_hessian(loglik, theta, np.array([1e-2 * se[k] for k in names]))
    cov = np.linalg.inv(-H)
    want = dict(zip(names, np.sqrt(np.diag(cov))))
    for k in names:
        assert se[k] == pytest.approx(want[k], rel=1e-4), k
    # the covariance itself, off-diagonals included (labels in sorted order)
    cov_ours = r.cov
    order = [names.index(k) for k in sorted(names)]
    np.testing.assert_allclose(cov_ours, cov[np.ix_(order, order)], rtol=1e-3, atol=1e-12)


def test_exponential2_is_its_closed_form_with_the_exact_sd_of_the_minimum(fits):
    x, r = fits["exponential2"]
    m = x.min()
    assert r.method == "closed_form" and r.params["loc"] == m
    assert r.params["rate"] == pytest.approx(1.0 / np.mean(x - m), rel=1e-13)
    assert r.loglik == pytest.approx(N * np.log(r.params["rate"]) - r.params["rate"] * np.sum(x - m), rel=1e-13)
    # n·rate·(min − loc) ~ Exp(1): sd(min) = 1/(n·rate); var(rate) = rate²/n; min and Σ(x − min) independent
    assert r.stderr["loc"] == pytest.approx(1.0 / (N * r.params["rate"]), rel=1e-12)
    assert r.stderr["rate"] == pytest.approx(r.params["rate"] / np.sqrt(N), rel=1e-12)
    assert r.cov[0, 1] == 0.0
    fixed = maxlik.fit(x, "exponential2", fixed={"loc": 9.0})
    assert fixed.params["rate"] == pytest.approx(1.0 / np.mean(x - 9.0), rel=1e-13)
    held_rate = maxlik.fit(x, "exponential2", fixed={"rate": 0.3})
    assert held_rate.params["loc"] == m


def test_exponential2_statistics_merge_and_weights():
    fam = maxlik.Exponential2()
    x = _data("exponential2", seed=4)[:300]
    a, b = fam.suffstats(x[:100]), fam.suffstats(x[100:])
    whole, merged = fam.suffstats(x), a.merge(b)
    assert merged.minimum == whole.minimum and merged.weight == whole.weight
    assert merged.excess == pytest.approx(whole.excess, rel=1e-13)
    w = np.random.default_rng(0).integers(0, 4, 300).astype(float)
    rw, rep = maxlik.fit(x, fam, weights=w), maxlik.fit(np.repeat(x, w.astype(int)), fam)
    assert rw.params["loc"] == rep.params["loc"]
    assert rw.params["rate"] == pytest.approx(rep.params["rate"], rel=1e-12)


@pytest.mark.parametrize(("name", "base", "names"), [
    ("weibull3", "weibull", {"concentration": "concentration", "scale": "scale"}),
    ("gamma3", "gamma", {"concentration": "concentration", "rate": "rate"}),
    ("lognormal3", "lognormal", {"mu": "loc", "sigma": "scale"}),
])
def test_fixed_loc_equals_the_two_parameter_fit_of_x_minus_loc(name, base, names, fits):
    x, r = fits[name]
    loc = r.params["loc"] - 0.5
    ours = maxlik.fit(x, name, fixed={"loc": loc})
    ref = maxlik.fit(x - loc, base)
    assert ours.fixed == ("loc",) and ours.params["loc"] == loc and ours.n_params == 2
    for k, kb in names.items():
        assert ours.params[k] == pytest.approx(ref.params[kb], rel=1e-7), k
        assert ours.stderr[k] == pytest.approx(ref.stderr[kb], rel=1e-5), k
    assert ours.loglik == pytest.approx(ref.loglik, rel=1e-11)


@pytest.mark.parametrize(("name", "sample", "shape"), [
    ("weibull3", lambda rng: 10.0 + 2.0 * rng.weibull(0.7, N), "concentration"),
    ("gamma3", lambda rng: 10.0 + rng.gamma(0.6, 2.0, N), "concentration"),
])
def test_shape_below_one_is_the_unbounded_spike_never_an_optimum(name, sample, shape):
    x = sample(np.random.default_rng(5))
    base = name[:-1]
    with pytest.raises(DegenerateFitError, match=(
            rf"^fit\(\w+3\): the profile log-likelihood over loc must have a local maximum below min\(x\) with "
            rf"{shape} > 1; got none: it rises without bound as loc -> min\(x\) = {x.min():g} \({shape} 0\.\d+ near "
            rf"min\(x\)\), so the largest likelihood is a spike .* Fit the two-parameter family \(family='{base}'\), "
            r"or fix the threshold with fixed=\{'loc': \.\.\.\}")) as info:
        maxlik.fit(x, name)
    prof = info.value.profile
    assert np.all(prof["loc"] < x.min()) and prof[shape][0] < 1.0
    ll = prof["loglik"]
    # the profile is highest next to min(x) (the spike) and ℓ there beats any interior value
    assert ll[0] == np.nanmax(ll) and np.all(np.diff(prof["loc"]) < 0)
    # scipy's own log-density confirms: shape < 1 and loc -> min(x) grows without bound
    loc_near = x.min() - 1e-12 * (x.max() - x.min())
    two = maxlik.fit(x - loc_near, base)
    p = {**two.params, "loc": loc_near}
    assert _scipy_loglik(name, p, x) > ll[-1]


def test_symmetric_data_have_no_finite_threshold():
    x = np.random.default_rng(6).normal(10.0, 1.0, N)
    with pytest.raises(DegenerateFitError, match=(
            r"^fit\(LogNormal3\): the profile log-likelihood over loc must have a maximum at a finite loc; got one "
            r"still rising at loc = -?[\d.e+]+ \(1000 times the range of the data below min\(x\)\): the data are not "
            r"skewed enough for a threshold .* Fit the two-parameter family \(family='lognormal'\)")):
        maxlik.fit(x, "lognormal3")


def test_compare_ranks_two_against_three_parameter_fits_by_aic(fits):
    x, r = fits["weibull3"]
    table = maxlik.compare(x, ["weibull", "weibull3", "gamma", "exponential2"])
    rows = {row.family: row for row in table}
    assert table[0].family == "weibull3"
    assert rows["weibull3"].n_params == 3 and rows["exponential2"].n_params == 2 and rows["weibull"].n_params == 2
    assert rows["weibull3"].aic == pytest.approx(6.0 - 2.0 * r.loglik, rel=1e-12)
    # two-parameter Weibull data: the three-parameter fit is at least as likely (loc = 0 is inside its space)
    y = 2.0 * np.random.default_rng(7).weibull(2.5, N)
    two, three = maxlik.fit(y, "weibull"), maxlik.fit(y, "weibull3")
    assert three.loglik >= two.loglik - 1e-9 * abs(two.loglik)


def test_threshold_true_builds_the_registered_family():
    assert maxlik.Weibull(threshold=True) == maxlik.get_family("weibull3") == maxlik.Weibull3()
    assert maxlik.Gamma(threshold=True) == maxlik.Gamma3()
    assert maxlik.LogNormal(threshold=True) == maxlik.LogNormal3()
    assert maxlik.Exponential(threshold=True) == maxlik.Exponential2()
    assert maxlik.Weibull(threshold=False) == maxlik.Weibull() and maxlik.Weibull().options == {}
    assert {"weibull3", "gamma3", "lognormal3", "exponential2"} <= set(maxlik.names())
    assert maxlik.Weibull3().param_names == ("concentration", "scale", "loc")
    with pytest.raises(ParameterError, match=r"^Weibull: threshold must be True or False; got 'yes'\.$"):
        maxlik.Weibull(threshold="yes")
    with pytest.raises(ParameterError, match=r"^LogNormal: ddof must be 0 with threshold=True"):
        maxlik.LogNormal(ddof=1, threshold=True)


def test_integer_weights_equal_repeated_rows(fits):
    x = fits["weibull3"][0][:400]
    w = np.random.default_rng(8).integers(0, 4, 400).astype(float)
    a, b = maxlik.fit(x, "weibull3", weights=w), maxlik.fit(np.repeat(x, w.astype(int)), "weibull3")
    for k in a.params:
        assert a.params[k] == pytest.approx(b.params[k], rel=1e-6), k
    assert a.loglik == pytest.approx(b.loglik, rel=1e-10)


def test_profile_interval_of_loc_brackets_the_estimate(fits):
    x, r = fits["weibull3"]
    lo, hi = r.conf_int(method="profile")["loc"]
    assert lo < r.params["loc"] < hi < x.min()


# -- bad input -------------------------------------------------------------------------------

def test_fixed_loc_at_or_above_the_smallest_observation():
    x = np.array([3.0, 1.5, 2.0, 4.0, 1.2, 5.0])
    with pytest.raises(DataError, match=(
            r"^fit\(Weibull3\): fixed `loc` must be below every observation \(the density is 0 at and below loc\); "
            r"got loc = 2 with 3 observation\(s\) at or below it \(first at row 1 \(0-based\): 1\.5\)\. "
            r"Pass a loc below min\(x\) = 1\.2, or leave loc free\.$")):
        maxlik.fit(x, "weibull3", fixed={"loc": 2.0})
    with pytest.raises(DataError, match=r"got loc = 1\.2 with 1 observation\(s\) at or below it \(first at row 4"):
        maxlik.fit(x, "gamma3", fixed={"loc": 1.2})
    with pytest.raises(DataError, match=(
            r"^fit\(Exponential2\): fixed `loc` must be at most every observation \(the density is 0 below loc\); "
            r"got loc = 2 with 2 observation\(s\) below it \(first at row 1")):
        maxlik.fit(x, "exponential2", fixed={"loc": 2.0})
    assert maxlik.fit(x, "exponential2", fixed={"loc": 1.2}).params["rate"] == pytest.approx(1 / np.mean(x - 1.2))
    # rows of weight 0 do not count
    w = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 1.0])
    assert maxlik.fit(x, "lognormal3", fixed={"loc": 1.8}, weights=w).params["loc"] == 1.8


def test_too_few_distinct_values_and_bad_starts():
    with pytest.raises(DegenerateFitError, match=(
            r"^fit\(Gamma3\): data must have at least 3 distinct values to estimate loc with the other parameters; "
            r"got 2 \(1, 2\)\. Fix the threshold with fixed=\{'loc': \.\.\.\}, or fit the two-parameter family "
            r"\(family='gamma'\)\.$")):
        maxlik.fit([1.0, 2.0, 2.0, 1.0], "gamma3")
    x = _data("weibull3", seed=9)[:200]
    with pytest.raises(ParameterError, match=r"^fit\(Weibull3\): starting value of `loc` must be below min\(x\)"):
        maxlik.fit(x, "weibull3", init={"loc": x.min()})
    with pytest.raises(ParameterError, match=r"^fit\(Exponential2\): method must be 'auto' or 'closed_form'"):
        maxlik.fit(x, "exponential2", method="newton")


# -- the command line ------------------------------------------------------------------------

def _cli(args, cwd):
    code = "import sys\nfrom maxlik.cli import app\nsys.argv = ['maxlik', *sys.argv[1:]]\napp()"
    env = {**os.environ, "COLUMNS": "100",
           "PYTHONPATH": os.pathsep.join([str(Path(maxlik.__file__).parents[1]), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_cli_fits_weibull3_and_reports_the_spike(tmp_path):
    x = _data("weibull3", seed=10)[:500]
    (tmp_path / "good.csv").write_text("x\n" + "\n".join(f"{v:.17g}" for v in x) + "\n")
    proc = _cli(["fit", "good.csv", "-c", "x", "--family", "weibull3", "--format", "json"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    import json

    out = json.loads(proc.stdout)
    ref = maxlik.fit(x, "weibull3")
    for k in ref.params:
        assert out["params"][k] == pytest.approx(ref.params[k], rel=1e-9), k
    y = 10.0 + 2.0 * np.random.default_rng(11).weibull(0.6, 500)
    (tmp_path / "spike.csv").write_text("x\n" + "\n".join(f"{v:.17g}" for v in y) + "\n")
    proc = _cli(["fit", "spike.csv", "-c", "x", "--family", "weibull3"], tmp_path)
    assert proc.returncode == 1
    text = " ".join(proc.stderr.split())
    assert "rises without bound as loc -> min(x)" in text
    assert "Fit the two-parameter family (--family weibull), or fix the threshold with --fixed loc=..." in text
    assert "error.profile" not in text


def test_a_fixed_shape_at_or_below_one_is_the_spike_and_above_one_a_fit(fits):
    x = fits["weibull3"][0]
    with pytest.raises(DegenerateFitError, match=r"rises without bound as loc -> min\(x\) = .* \(concentration 0\.8 near"):
        maxlik.fit(x, "weibull3", fixed={"concentration": 0.8})
    r = maxlik.fit(x, "weibull3", fixed={"concentration": 2.5})
    # with k fixed the other two maximise scipy's log-density: its gradient in (loc, scale) vanishes
    names = ("scale", "loc")
    for k in names:
        h = 1e-6 * max(1.0, abs(r.params[k]))
        up, down = dict(r.params), dict(r.params)
        up[k] += h
        down[k] -= h
        slope = (_scipy_loglik("weibull3", up, x) - _scipy_loglik("weibull3", down, x)) / (2 * h)
        assert abs(slope) < 1e-3, k


def test_data_read_in_passes_are_refused(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("x\n" + "\n".join(str(v) for v in _data("gamma3")[:50]) + "\n")
    with pytest.raises(DataError, match=r"^fit\(Gamma3\): data must be an array for a threshold family"):
        maxlik.fit(maxlik.scan(path, column="x"), "gamma3")


def test_weibull3_near_its_gumbel_limit_converges_weighted_and_repeated():
    """35 rows, integer weights 0–4: the likelihood's maximum (concentration ≈ 600, loc ≈ −374) lies
    on a ridge toward the Gumbel limit (loc → −∞), flat to 10⁻⁵ nats from loc = −300 to −500. From
    the coarse profile grid, Newton crawled (60–100 damped steps), and the weighted fit stopped at
    max_iter while the repeated rows converged (the weights property at 10⁴, seed 20261252). The
    joint fit now starts at the profile's refined maximum: both converge in a few steps, to
    scipy's maximum within 1e-8 nats, above the Gumbel limit's likelihood."""
    x = np.array([4.656258595963895, 3.976965086600229, 3.9532016948794064, 3.0969011856108946, 3.399151373506115,
                  5.210655350340965, 4.208966328792538, 3.8991365295768294, 3.994806132868465, 4.243565033069729,
                  4.057515391108313, 4.232198933079602, 2.948966604108809, 2.848750137532946, 4.138496552968362,
                  4.909583423098011, 4.296517342118881, 3.6083953273341396, 4.32883224248837, 2.448578984342043,
                  5.163211477882165, 4.151148539384444, 5.347067293015735, 3.292934313270068, 3.262590471964143,
                  4.542901818125794, 4.863939087552254, 4.677137602499309, 3.974617635562907, 2.645217970768009,
                  4.169929397142308, 2.496691839024488, 5.16234001638629, 5.022734301441234, 4.804198173005762])
    w = np.array([3, 0, 1, 0, 1, 4, 3, 3, 2, 2, 0, 4, 3, 3, 4, 2, 1, 2, 3, 3, 2, 1, 1, 2, 0, 4, 0, 4, 0, 2, 3, 0, 3, 3, 1])
    repeated = np.repeat(x, w)
    weighted, plain = maxlik.fit(x, "weibull3", weights=w.astype(float)), maxlik.fit(repeated, "weibull3")
    assert weighted.converged and plain.converged and weighted.n_iter <= 10
    for k in plain.params:
        assert weighted.params[k] == pytest.approx(plain.params[k], rel=1e-5)
    assert weighted.loglik == pytest.approx(plain.loglik, rel=1e-12)
    c, loc, scale = st.weibull_min.fit(repeated)
    assert abs(plain.loglik - st.weibull_min.logpdf(repeated, c, loc, scale).sum()) < 1e-8
    assert plain.loglik > st.gumbel_l.logpdf(repeated, *st.gumbel_l.fit(repeated)).sum() + 1e-4
