"""Families fitted numerically (issue 3): Gamma, Weibull, Beta, StudentT, Cauchy, Logistic,
Gumbel, NegativeBinomial, VonMises, Dirichlet — and Pareto, whose support depends on a parameter
and which therefore has a closed form.

References: scipy.stats densities, scipy.stats fits where scipy solves the likelihood equations
exactly, otherwise a Nelder–Mead maximisation of scipy's log-density run to tight tolerances;
standard errors from statsmodels' finite-difference Hessian of scipy's log-likelihood.
"""

import itertools
import math
import warnings

import numpy as np
import pytest
import scipy.optimize as so
import scipy.special as sc
import scipy.stats as st
from statsmodels.tools.numdiff import approx_hess

import maxlik

# name -> (scipy log-density of (x, params), example parameters for samples)
SCIPY = {
    "gamma": lambda x, p: st.gamma.logpdf(x, p["concentration"], scale=1.0 / p["rate"]),
    "weibull": lambda x, p: st.weibull_min.logpdf(x, p["concentration"], scale=p["scale"]),
    "beta": lambda x, p: st.beta.logpdf(x, p["concentration1"], p["concentration0"]),
    "student_t": lambda x, p: st.t.logpdf(x, p["df"], p["loc"], p["scale"]),
    "cauchy": lambda x, p: st.cauchy.logpdf(x, p["loc"], p["scale"]),
    "logistic": lambda x, p: st.logistic.logpdf(x, p["loc"], p["scale"]),
    "gumbel": lambda x, p: st.gumbel_r.logpdf(x, p["loc"], p["scale"]),
    "pareto": lambda x, p: st.pareto.logpdf(x, p["alpha"], scale=p["scale"]),
    # torch convention: successes before total_count failures; scipy's p is 1 - probs
    "negative_binomial": lambda x, p: st.nbinom.logpmf(x, p["total_count"], 1.0 - p["probs"]),
    "von_mises": lambda x, p: st.vonmises.logpdf(x, p["concentration"], loc=p["loc"]),
    "dirichlet": lambda x, p: st.dirichlet.logpdf(x.T, p["concentration"]),
}

EXAMPLE = {
    "gamma": {"concentration": 2.5, "rate": 1.5},
    "weibull": {"concentration": 1.7, "scale": 2.0},
    "beta": {"concentration1": 2.0, "concentration0": 5.0},
    "student_t": {"df": 4.0, "loc": 1.0, "scale": 2.0},
    "cauchy": {"loc": 1.0, "scale": 0.5},
    "logistic": {"loc": -1.0, "scale": 2.0},
    "gumbel": {"loc": 0.5, "scale": 1.5},
    "pareto": {"scale": 2.0, "alpha": 3.0},
    "negative_binomial": {"total_count": 3.0, "probs": 0.6},
    "von_mises": {"loc": 2.5, "concentration": 3.0},
    "dirichlet": {"concentration": np.array([2.0, 3.0, 5.0])},
}

NAMES = sorted(SCIPY)


def _levels(lo, hi):
    mid = math.sqrt(lo * hi) if lo > 0 else 0.5 * (lo + hi)
    return (lo, mid, hi)


def _typical_grid(fam):
    """Every combination of (low, middle, high) of each parameter's typical range; vector
    parameters (Dirichlet, d = 3) take every combination of levels over their entries."""
    axes = []
    for p in fam.params:
        levels = _levels(*p.typical)
        if p.shape:
            axes.append([np.array(v) for v in itertools.product(levels, repeat=3)])
        else:
            axes.append(levels)
    for values in itertools.product(*axes):
        yield dict(zip(fam.param_names, values))


def test_registry_names_and_exports():
    for name in NAMES:
        fam = maxlik.get_family(name)
        assert fam.name == name
        assert getattr(maxlik, type(fam).__name__) is type(fam)
    assert maxlik.get_family("student-t") == maxlik.StudentT()


@pytest.mark.parametrize("name", NAMES)
def test_log_prob_matches_scipy_over_typical_range(name):
    fam = maxlik.get_family(name)
    n_checked = 0
    for i, p in enumerate(_typical_grid(fam)):
        x = fam.sample(p, 40, seed=i)
        if name == "dirichlet":  # tiny alphas can round an entry to 0: keep the open simplex
            x = x[np.all(x > 0, axis=1)]
        ours = np.asarray(fam.log_prob({k: np.asarray(v) for k, v in p.items()}, x))
        ref = SCIPY[name](x, p)
        assert ours.shape == (x.shape[0],)
        np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-10, err_msg=f"{name} at {p}")
        n_checked += 1
    assert n_checked >= 9


def test_pareto_log_prob_is_minus_infinity_below_scale():
    lp = np.asarray(maxlik.Pareto().log_prob({"scale": 2.0, "alpha": 3.0}, np.array([1.0, 1.999, 2.0])))
    assert np.isneginf(lp[:2]).all()
    assert lp[2] == pytest.approx(st.pareto.logpdf(2.0, 3.0, scale=2.0), rel=1e-13)


def test_von_mises_log_prob_does_not_overflow_for_large_concentration():
    lp = np.asarray(maxlik.VonMises().log_prob({"loc": 0.0, "concentration": 2000.0}, np.array([0.0, 0.01])))
    # log I0(k) = k + log i0e(k): the exact normaliser at a concentration where I0 overflows
    ref = 2000.0 * (np.cos([0.0, 0.01]) - 1.0) - np.log(2 * np.pi * sc.i0e(2000.0))
    np.testing.assert_allclose(lp, ref, rtol=1e-12)
    assert np.isinf(sc.i0(2000.0))


@pytest.mark.parametrize("name", [n for n in NAMES if n not in ("negative_binomial", "dirichlet")])
def test_samples_follow_the_scipy_distribution(name):
    fam = maxlik.get_family(name)
    x = fam.sample(EXAMPLE[name], 2000, seed=11)
    cdf = {
        "gamma": lambda v: st.gamma.cdf(v, 2.5, scale=1 / 1.5),
        "weibull": lambda v: st.weibull_min.cdf(v, 1.7, scale=2.0),
        "beta": lambda v: st.beta.cdf(v, 2.0, 5.0),
        "student_t": lambda v: st.t.cdf(v, 4.0, 1.0, 2.0),
        "cauchy": lambda v: st.cauchy.cdf(v, 1.0, 0.5),
        "logistic": lambda v: st.logistic.cdf(v, -1.0, 2.0),
        "gumbel": lambda v: st.gumbel_r.cdf(v, 0.5, 1.5),
        "pareto": lambda v: st.pareto.cdf(v, 3.0, scale=2.0),
        # scipy's von Mises cdf lives on [loc - pi, loc + pi]: compare the wrapped deviations
        "von_mises": lambda v: st.vonmises.cdf(v, 3.0),
    }[name]
    z = np.angle(np.exp(1j * (x - 2.5))) if name == "von_mises" else x
    assert st.kstest(z, cdf).pvalue > 1e-3
    fam.validate_data(x)  # samples lie in the support


def test_negative_binomial_and_dirichlet_samples_have_scipy_moments():
    x = maxlik.NegativeBinomial().sample(EXAMPLE["negative_binomial"], 20000, seed=12)
    ref = st.nbinom(3.0, 0.4)
    assert abs(x.mean() - ref.mean()) < 5 * ref.std() / math.sqrt(len(x))
    assert x.var() == pytest.approx(ref.var(), rel=0.05)
    a = EXAMPLE["dirichlet"]["concentration"]
    y = maxlik.Dirichlet().sample(EXAMPLE["dirichlet"], 20000, seed=13)
    m = st.dirichlet.mean(a)
    assert np.all(np.abs(y.mean(axis=0) - m) < 5 * np.sqrt(st.dirichlet.var(a) / len(y)))


@pytest.mark.parametrize("name", NAMES)
def test_init_gives_a_finite_loglik_inside_the_constraints(name):
    fam = maxlik.get_family(name)
    grid = list(_typical_grid(fam))
    for i, p in enumerate([grid[0], grid[len(grid) // 2], grid[-1], EXAMPLE[name]]):
        x = fam.sample(p, 300, seed=100 + i)
        if name == "dirichlet":
            x = x[np.all(x > 0, axis=1)]
        w = np.random.default_rng(i).uniform(0.5, 2.0, x.shape[0])
        for weights in (None, w):
            start = fam.init(x, weights)
            assert set(start) == set(fam.param_names)
            fam.check_params(start)  # every start value inside its constraint
            assert np.isfinite(SCIPY[name](x, start).sum()), f"{name}: init {start} for {p}"


def test_init_is_near_the_generating_parameters_on_large_samples():
    for name in ("gamma", "weibull", "beta", "logistic", "gumbel", "von_mises", "negative_binomial", "dirichlet"):
        fam = maxlik.get_family(name)
        x = fam.sample(EXAMPLE[name], 20000, seed=5)
        start = fam.init(x)
        for k, v in EXAMPLE[name].items():
            np.testing.assert_allclose(start[k], v, rtol=0.1, err_msg=f"{name}.{k}")


# -- support and degenerate data -----------------------------------------------------------

@pytest.mark.parametrize(
    "name, data, match",
    [
        ("gamma", [1.0, -2.0, 3.0], r"Gamma: data must be positive \(> 0\); got 1 value\(s\) outside the support \(first at row 1 \(0-based\): -2\)"),
        ("weibull", [0.0, 1.0], r"Weibull: data must be positive \(> 0\); got 1 value\(s\) outside the support \(first at row 0 \(0-based\): 0\)"),
        ("beta", [0.5, 1.0, 1.5], r"Beta: data must be in \(0, 1\); got 2 value\(s\) outside the support \(first at row 1 \(0-based\): 1\)"),
        ("pareto", [2.0, -1.0], r"Pareto: data must be positive \(> 0\); got 1 value\(s\) outside the support \(first at row 1 \(0-based\): -1\)"),
        ("negative_binomial", [0, 2, 1.5], r"NegativeBinomial: data must be integers >= 0; got 1 value\(s\) outside the support \(first at row 2 \(0-based\): 1.5\)"),
        ("negative_binomial", [0, -1], r"NegativeBinomial: data must be integers >= 0; got 1 value\(s\).*first at row 1 \(0-based\): -1"),
        ("von_mises", [0.1, 4.0, -3.5], r"VonMises: data must be angles in radians in \[-pi, pi\]; got 2 value\(s\) outside \(first at row 1 \(0-based\): 4\)\. Wrap angles with numpy\.angle"),
        ("dirichlet", [[0.2, 0.8], [0.5, 0.6]], r"Dirichlet: data must be rows of positive proportions summing to 1; got 1 value\(s\) outside the support \(first at row 1 \(0-based\): \[0\.5 0\.6\]\)"),
        ("dirichlet", [[0.0, 1.0], [0.5, 0.5]], r"Dirichlet: data must be rows of positive proportions.*first at row 0 \(0-based\)"),
    ],
)
def test_data_outside_the_support_is_rejected(name, data, match):
    with pytest.raises(maxlik.SupportError, match=match):
        maxlik.fit(data, name)


def test_dirichlet_needs_two_dimensional_data():
    with pytest.raises(maxlik.DataError, match=r"Dirichlet: data must have shape \(n, d\); got shape \(3,\)"):
        maxlik.fit([0.2, 0.3, 0.5], "dirichlet")


def test_real_line_families_accept_any_finite_value_but_not_nan():
    for name in ("student_t", "cauchy", "logistic", "gumbel"):
        maxlik.get_family(name).validate_data([-1e6, 0.0, 1e6])
        with pytest.raises(maxlik.DataError, match="data must be finite; got 1 NaN"):
            maxlik.get_family(name).validate_data([0.0, np.nan])


def test_parameters_outside_their_constraints_are_rejected():
    with pytest.raises(maxlik.ParameterError, match=r"fit\(NegativeBinomial\): `probs` must be in \(0, 1\); got 1"):
        maxlik.fit([0, 1, 5], "negative_binomial", fixed={"probs": 1.0})
    with pytest.raises(maxlik.ParameterError, match=r"fit\(Pareto\): `alpha` must be positive \(> 0\); got -1"):
        maxlik.fit([2.0, 3.0], "pareto", fixed={"alpha": -1.0})


# -- Pareto: closed form ---------------------------------------------------------------------

def _pareto_sample(n=400, seed=21):
    return maxlik.Pareto().sample({"scale": 2.0, "alpha": 3.0}, n, seed=seed)


def test_pareto_closed_form_matches_scipy_fit():
    x = _pareto_sample()
    r = maxlik.fit(x, "pareto")
    b, loc, scale = st.pareto.fit(x, floc=0)
    assert r.method == "closed_form" and r.converged
    assert r.params["scale"] == pytest.approx(scale, rel=1e-12)
    assert r.params["alpha"] == pytest.approx(b, rel=1e-10)
    assert r.loglik == pytest.approx(st.pareto.logpdf(x, b, scale=scale).sum(), rel=1e-12)


def test_pareto_closed_form_is_the_numerical_maximum():
    x = _pareto_sample()
    r = maxlik.fit(x, "pareto")
    nll = lambda s, a: -st.pareto.logpdf(x, a, scale=s).sum()  # noqa: E731
    # alpha: a bounded scalar maximisation of scipy's log-likelihood at scale = min x
    res = so.minimize_scalar(lambda a: nll(x.min(), a), bounds=(0.01, 100.0), method="bounded",
                             options={"xatol": 1e-12})
    assert r.params["alpha"] == pytest.approx(res.x, rel=1e-6)
    # scale: the profile likelihood increases up to min x and is -inf beyond it
    prof = [-so.minimize_scalar(lambda a: nll(s, a), bounds=(0.01, 100.0), method="bounded").fun
            for s in x.min() * np.array([0.9, 0.99, 0.999, 1.0])]
    assert np.all(np.diff(prof) > 0) and prof[-1] == pytest.approx(r.loglik, rel=1e-9)
    assert np.isneginf(-nll(x.min() * 1.0001, r.params["alpha"]))


def test_pareto_weights_and_fixed_parameters():
    x = _pareto_sample(50, seed=22)
    counts = np.random.default_rng(3).integers(0, 4, x.size)
    counts[np.argmin(x)] = 0  # a zero weight drops the smallest point: scale moves to the next
    r = maxlik.fit(x, "pareto", weights=counts)
    rep = np.repeat(x, counts)
    b, _, s = st.pareto.fit(rep, floc=0)
    assert r.params["scale"] == rep.min() == pytest.approx(s)
    assert r.params["alpha"] == pytest.approx(b, rel=1e-10)
    assert r.weight == counts.sum() and r.n == x.size
    # fixed scale below the data: alpha = n / sum log(x / scale)
    r = maxlik.fit(x, "pareto", fixed={"scale": 1.5})
    assert r.params["alpha"] == pytest.approx(x.size / np.log(x / 1.5).sum(), rel=1e-13)
    # fixed alpha: scale is still the minimum (the likelihood increases in scale)
    r = maxlik.fit(x, "pareto", fixed={"alpha": 2.0})
    assert r.params == {"scale": x.min(), "alpha": 2.0}


def test_pareto_statistics_merge_exactly():
    x = _pareto_sample(300, seed=23)
    fam = maxlik.Pareto()
    parts = [fam.suffstats(c) for c in np.array_split(x, 7)]
    whole = fam.suffstats(x)
    merged = maxlik.Stats.merge_all(parts)
    assert merged.minimum == whole.minimum and merged.count == whole.count == 300
    assert merged.sum_log == pytest.approx(whole.sum_log, rel=1e-14)
    r = maxlik.fit_stats(merged, "pareto")
    assert r.params["alpha"] == pytest.approx(maxlik.fit(x, "pareto").params["alpha"], rel=1e-13)


def test_pareto_standard_errors_documented_formulas():
    x = _pareto_sample()
    r = maxlik.fit(x, "pareto")
    n, a, s = x.size, r.params["alpha"], r.params["scale"]
    # alpha: inverse observed information d2(-l)/da2 = n / a^2, checked against a numerical Hessian
    h = approx_hess(np.array([a]), lambda v: -st.pareto.logpdf(x, v[0], scale=s).sum())
    assert r.stderr["alpha"] == pytest.approx(1 / math.sqrt(h[0, 0]), rel=1e-4)
    assert r.stderr["alpha"] == pytest.approx(a / math.sqrt(n), rel=1e-12)
    # scale: the sample minimum is Pareto(scale, n * alpha); its variance from scipy
    assert r.stderr["scale"] == pytest.approx(st.pareto.std(n * a, scale=s), rel=1e-10)
    assert r.cov_labels == ["alpha", "scale"] and r.cov[0, 1] == 0.0
    assert set(maxlik.fit(x, "pareto", fixed={"scale": 1.0}).stderr) == {"alpha"}


def test_pareto_degenerate_and_incompatible_data():
    with pytest.raises(maxlik.DegenerateFitError, match=r"Pareto: alpha must be finite, but all 3 observations equal scale=2.*unbounded as alpha -> infinity"):
        maxlik.fit([2.0, 2.0, 2.0], "pareto")
    with pytest.raises(maxlik.SupportError, match=r"Pareto: data must be >= the fixed scale=3; got a minimum of 2"):
        maxlik.fit([2.0, 4.0, 5.0], "pareto", fixed={"scale": 3.0})


# -- numerical fits against scipy -------------------------------------------------------------
# Where scipy solves the likelihood equations itself (gamma and beta with the location and scale
# fixed, logistic, gumbel_r, vonmises with scale fixed) its fit is the reference; otherwise
# (scipy's generic fit stops at ~1e-5) a Nelder–Mead maximisation of scipy's log-density in
# log / logit coordinates, restarted once, with tolerances far below the 1e-6 compared.

SCIPY_FIT = {
    "gamma": lambda x: dict(zip(("concentration", "rate"), (lambda a, _, s: (a, 1 / s))(*st.gamma.fit(x, floc=0)))),
    "beta": lambda x: dict(zip(("concentration1", "concentration0"), st.beta.fit(x, floc=0, fscale=1)[:2])),
    "logistic": lambda x: dict(zip(("loc", "scale"), st.logistic.fit(x))),
    "gumbel": lambda x: dict(zip(("loc", "scale"), st.gumbel_r.fit(x))),
    "von_mises": lambda x: dict(zip(("concentration", "loc"), st.vonmises.fit(x, fscale=1)[:2])),
}


def _dirichlet_logpdf(x, p):  # scipy.stats.dirichlet.logpdf, written out: 20x faster for Nelder–Mead
    a = np.asarray(p["concentration"])
    return sc.gammaln(a.sum()) - sc.gammaln(a).sum() + np.log(x) @ (a - 1)


def _logpdf(name):
    return _dirichlet_logpdf if name == "dirichlet" else SCIPY[name]


def _to_u(fam, p, free):
    out = []
    for k in free:
        v, c = np.atleast_1d(np.asarray(p[k], dtype=float)), fam.param(k).constraint
        out.append(np.log(v) if c == maxlik.constraints.positive else sc.logit(v) if c == maxlik.constraints.unit_interval else v)
    return np.concatenate(out)


def _from_flat(fam, theta, free, template, transform):
    out, i = {}, 0
    for k in free:
        size = int(np.size(template[k]))
        v, c = theta[i:i + size], fam.param(k).constraint
        if transform:
            v = np.exp(v) if c == maxlik.constraints.positive else sc.expit(v) if c == maxlik.constraints.unit_interval else v
        out[k] = v if np.ndim(template[k]) else float(v[0])
        i += size
    return out


def reference_fit(name, x, weights=None, fixed=None):
    """(estimates, standard errors) maximising Σ w · scipy logpdf; SEs from statsmodels'
    finite-difference Hessian of the NLL in the natural parameters at the estimate."""
    fam, fixed = maxlik.get_family(name), dict(fixed or {})
    w = np.ones(x.shape[0]) if weights is None else weights
    free = [k for k in fam.param_names if k not in fixed]
    logpdf = _logpdf(name)
    if name in SCIPY_FIT and weights is None and not fixed:
        est = SCIPY_FIT[name](x)
    else:
        start = {k: v for k, v in fam.init(x, weights).items() if k in free}

        def nll_u(u):
            return -np.dot(w, logpdf(x, {**fixed, **_from_flat(fam, u, free, start, True)}))

        u = _to_u(fam, start, free)
        for _ in range(2):
            u = so.minimize(nll_u, u, method="Nelder-Mead",
                            options=dict(xatol=1e-11, fatol=1e-13, maxiter=20000, maxfev=20000, adaptive=True)).x
        est = {**fixed, **_from_flat(fam, u, free, start, True)}
    theta = np.concatenate([np.atleast_1d(est[k]) for k in free])
    hess = approx_hess(theta, lambda t: -np.dot(w, logpdf(x, {**fixed, **_from_flat(fam, t, free, est, False)})))
    se = _from_flat(fam, np.sqrt(np.diag(np.linalg.inv(hess))), free, est, False)
    return {k: est[k] for k in free}, se


def _fit_quietly(x, name, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("error", maxlik.ConvergenceWarning)  # a convergence failure fails the test
        return maxlik.fit(x, name, **kw)


def _assert_matches(r, est, se, what):
    for k in est:
        np.testing.assert_allclose(r.params[k], est[k], rtol=1e-6, err_msg=f"{what}: estimate of {k}")
        np.testing.assert_allclose(r.stderr[k], se[k], rtol=1e-4, err_msg=f"{what}: standard error of {k}")


@pytest.mark.parametrize("name", [n for n in NAMES if n != "pareto"])
def test_numerical_fit_matches_scipy(name):
    fam = maxlik.get_family(name)
    x = fam.sample(EXAMPLE[name], 400, seed=7)
    r = _fit_quietly(x, name)
    assert r.converged
    if fam.has_closed_form:  # Gamma: Newton on its sufficient statistics (one pass over the data)
        assert r.method == fam.stats_method == "newton_on_stats"
        numerical = maxlik.fit(x, name, method="newton")  # the per-observation engine agrees
        _assert_matches(numerical, r.params, r.stderr, f"{name}: engine vs statistics")
    else:
        assert r.method in maxlik.optimize.METHODS and r.n_iter > 0
    est, se = reference_fit(name, x)
    _assert_matches(r, est, se, name)
    assert r.loglik == pytest.approx(SCIPY[name](x, r.params).sum(), rel=1e-10)


def test_weighted_gamma_fit_maximises_the_weighted_loglik():
    # 400 rows, as in test_numerical_fit_matches_scipy: the compiled fit is reused (weights are data)
    x = maxlik.Gamma().sample(EXAMPLE["gamma"], 400, seed=8)
    w = np.random.default_rng(8).uniform(0.0, 3.0, x.size)
    r = _fit_quietly(x, "gamma", weights=w)
    est, se = reference_fit("gamma", x, weights=w)
    _assert_matches(r, est, se, "weighted gamma")
    assert r.weight == pytest.approx(w.sum())


def test_negative_binomial_with_fixed_total_count_has_the_closed_form_probs():
    # fixed parameters: with r fixed, d/dp l = -W r / (1 - p) + sum(x) / p = 0 gives p = mean / (r + mean)
    x = maxlik.NegativeBinomial().sample(EXAMPLE["negative_binomial"], 300, seed=10)
    r = _fit_quietly(x, "negative_binomial", fixed={"total_count": 3.0})
    m = x.mean()
    assert r.params["probs"] == pytest.approx(m / (3.0 + m), rel=1e-8)
    # observed information: W r / (1 - p)^2 + sum(x) / p^2
    p = m / (3.0 + m)
    info = x.size * 3.0 / (1 - p) ** 2 + x.sum() / p**2
    assert r.stderr["probs"] == pytest.approx(1 / math.sqrt(info), rel=1e-6)


def test_negative_binomial_without_an_mle_is_detected():
    # under-dispersed counts: the profile likelihood (probs = mean / (r + mean)) increases in r, so
    # the supremum is the Poisson limit (tests/test_boundary_limits.py); only all-zero data are refused
    x = np.random.default_rng(0).binomial(10, 0.5, 200).astype(float)
    m = x.mean()
    assert x.var() < m
    prof = [st.nbinom.logpmf(x, r, r / (r + m)).sum() for r in (1.0, 10.0, 100.0, 1e3, 1e4)]
    assert np.all(np.diff(prof) > 0)
    fam = maxlik.NegativeBinomial()
    assert fam.check_estimable(x) is None  # the engine fits the Poisson limit instead
    fam.check_estimable(x, fixed={"total_count": 3.0})  # with r fixed, probs has an MLE
    with pytest.raises(maxlik.DegenerateFitError, match=r"data must contain a positive count for the MLE to exist; got 5 zeros"):
        fam.check_estimable(np.zeros(5), fixed={"total_count": 3.0})
    fam.check_estimable(fam.sample(EXAMPLE["negative_binomial"], 300, seed=1))  # over-dispersed: fine


def test_gamma_statistics_stream_and_merge_exactly():
    x = maxlik.Gamma().sample(EXAMPLE["gamma"], 400, seed=9)
    fam = maxlik.Gamma()
    merged = maxlik.Stats.merge_all(fam.suffstats(c) for c in np.array_split(x, 7))
    whole = maxlik.fit(x, "gamma")
    streamed = maxlik.fit_stats(merged, "gamma")
    np.testing.assert_allclose([streamed.params[k] for k in whole.params], list(whole.params.values()), rtol=1e-12)


def test_gamma_constant_data_is_reported():
    with pytest.raises(maxlik.DegenerateFitError, match=r"Gamma: concentration must be finite, but all 3 observations are equal \(2\)"):
        maxlik.fit([2.0, 2.0, 2.0], "gamma")


def test_underdispersed_counts_are_reported_by_fit_not_fitted_at_a_wrong_point():
    x = np.array([2, 3, 2, 3, 2, 3, 2, 3, 3, 2], dtype=float)  # variance 0.25 < mean 2.5
    with pytest.warns(maxlik.InferenceWarning, match=r"boundary: total_count → ∞: the counts show no overdispersion \(variance ≤ mean\)"):
        r = maxlik.fit(x, "negative_binomial")
    assert r.status.name == "BOUNDARY" and r.params == {"total_count": math.inf, "probs": 0.0}
    assert r.limit.params["rate"] == pytest.approx(2.5, rel=1e-15)


@pytest.mark.parametrize("family,collapsing,centre", [("weibull", "concentration", "scale"), ("student_t", "scale", "loc"),
                                                      ("cauchy", "scale", "loc"), ("logistic", "scale", "loc"),
                                                      ("gumbel", "scale", "loc")])
def test_identical_observations_have_no_mle_and_say_so(family, collapsing, centre):
    """All observations equal: the likelihood grows without bound as the density narrows (no
    maximum), reported at once instead of an optimizer running into the boundary."""
    x = np.full(25, 3.0)
    rule = "finite" if collapsing == "concentration" else "positive"
    with pytest.raises(maxlik.DegenerateFitError, match=rf"{collapsing} must be {rule}, but all 25 observations are equal \(3\), "
                                                        rf"so the likelihood grows without bound .* Fix {collapsing} with fixed="):
        maxlik.fit(x, family)
    w = np.r_[np.ones(25), 0.0]  # a zero-weight row does not count as variety
    with pytest.raises(maxlik.DegenerateFitError):
        maxlik.fit(np.r_[x, 7.0], family, weights=w)
    if centre == "loc":  # a location held away from the value: a bounded likelihood, scale = the distance's
        r = maxlik.fit(x, family, fixed={"loc": 2.0})
        assert np.isfinite(r.loglik) and r.params["scale"] > 0
