"""The two layouts of a censored fit (maxlik.censored_family): each likelihood term evaluated only
on its own rows — the NumPy rows layout (Weibull: log f and log S derivatives written out) and the
JAX segment layout (any family, any optimizer). References: scipy.stats' logpdf / logcdf / logsf
for the values, direct maximisation of scipy's log-likelihood for the estimates, and JAX autodiff
of the density for the written-out derivatives."""

import numpy as np
import pytest
import scipy.optimize
import scipy.stats

import maxlik
from maxlik import Censored
from maxlik.censored_family import CensoredFamily, rows_array, segments

NA = np.nan


def _mixed(n=400, seed=3):
    """Weibull(1.7, 4) draws recorded four ways: exact, left-censored at 1, right-censored at 7,
    interval-censored to the unit cell around them; plus a row (0, NaN) with no information."""
    rng = np.random.default_rng(seed)
    x = 4.0 * rng.weibull(1.7, n)
    way = rng.integers(0, 4, n)
    left = np.where(way == 0, x, np.where(way == 1, NA, np.where(way == 2, np.minimum(x, 7.0), np.floor(x))))
    right = np.where(way == 0, x, np.where(way == 1, np.maximum(x, 1.0), np.where(way == 2, NA, np.floor(x) + 1.0)))
    left[way == 2] = np.where(x[way == 2] > 7.0, 7.0, x[way == 2])
    right[way == 2] = np.where(x[way == 2] > 7.0, NA, x[way == 2])
    return np.append(left, 0.0), np.append(right, NA)


def _scipy_loglik(dist, left, right):
    exact = left == right
    lo_m, hi_m = np.isnan(left), np.isnan(right)
    interval = ~exact & ~lo_m & ~hi_m & (left > 0)
    lcens = lo_m | (~hi_m & ~exact & (left <= 0))
    rcens = hi_m & (left > 0)
    return (dist.logpdf(left[exact]).sum() + dist.logcdf(right[lcens]).sum() + dist.logsf(left[rcens]).sum()
            + np.log(dist.cdf(right[interval]) - dist.cdf(left[interval])).sum())


@pytest.mark.parametrize("method", ["auto", "bfgs"])  # auto: the NumPy rows layout; bfgs: JAX segments
def test_loglik_at_fixed_params_matches_scipy(method):
    left, right = _mixed()
    p = {"concentration": 1.3, "scale": 5.0}
    r = maxlik.fit(Censored(left, right), "weibull", fixed=p, method=method)
    want = _scipy_loglik(scipy.stats.weibull_min(1.3, scale=5.0), left, right)
    assert r.loglik == pytest.approx(want, rel=1e-12)
    assert r.n == left.size and r.weight == left.size  # the row without information counts, in both layouts


@pytest.mark.parametrize("family, method", [("weibull", "auto"), ("weibull", "bfgs"), ("lognormal", "auto")])
def test_fit_matches_direct_maximisation_of_scipys_loglik(family, method):
    left, right = _mixed()
    r = maxlik.fit(Censored(left, right), family, method=method)
    if family == "weibull":
        make = lambda v: scipy.stats.weibull_min(np.exp(v[0]), scale=np.exp(v[1]))  # noqa: E731
        v0 = [np.log(r.params["concentration"]), np.log(r.params["scale"])]
    else:
        make = lambda v: scipy.stats.lognorm(np.exp(v[1]), scale=np.exp(v[0]))  # noqa: E731
        v0 = [r.params["loc"], np.log(r.params["scale"])]
    best = scipy.optimize.minimize(lambda v: -_scipy_loglik(make(v), left, right), np.asarray(v0) + 0.05,
                                   method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 4000})
    assert r.converged
    assert r.loglik >= -best.fun - 1e-8
    np.testing.assert_allclose(v0, best.x, rtol=1e-5, atol=1e-6)


def test_weibull_logsf_derivatives_match_autodiff():
    import jax

    fam = maxlik.Weibull()
    x = np.array([1e-3, 0.4, 2.0, 9.0, 40.0])
    p = {"concentration": 1.7, "scale": 3.0}
    ls, d1, d2 = fam.logsf_derivatives(p, x)

    def logsf(v, xi):
        return fam.logsf({"concentration": v[0], "scale": v[1]}, xi)

    v = jax.numpy.asarray([1.7, 3.0])
    np.testing.assert_allclose(ls, scipy.stats.weibull_min.logsf(x, 1.7, scale=3.0), rtol=1e-13)
    for i, xi in enumerate(x):
        np.testing.assert_allclose(d1[i], jax.grad(logsf)(v, xi), rtol=1e-10)
        np.testing.assert_allclose(d2[i], jax.hessian(logsf)(v, xi), rtol=1e-10, atol=1e-300)


def test_rows_layout_derivatives_match_autodiff_of_the_censored_density():
    import jax

    left, right = _mixed(60, seed=5)
    fam = maxlik.Weibull()
    prep = __import__("maxlik.censored_fit", fromlist=["prepare"]).prepare(Censored(left, right), fam, "t")
    rows = rows_array(prep["kind"], prep["t"], prep["t2"], prep["pseudo"])
    cf = CensoredFamily(fam)
    lp, d1, d2 = cf.log_prob_derivatives({"concentration": 1.3, "scale": 5.0}, rows)

    def total(v):  # the select form of the same rows: every term on every row, picked by kind
        return cf.log_prob({"concentration": v[0], "scale": v[1]}, jax.numpy.asarray(rows)).sum()

    v = jax.numpy.asarray([1.3, 5.0])
    assert lp.sum() == pytest.approx(float(total(v)), rel=1e-12)
    np.testing.assert_allclose(d1.sum(axis=0), jax.grad(total)(v), rtol=1e-9)
    np.testing.assert_allclose(d2.sum(axis=0), jax.hessian(total)(v), rtol=1e-9)


def test_segments_split_rows_by_kind_with_zero_weight_padding():
    kind = np.array([2, 0, 3, 2, 4, 0, 1])
    t = np.arange(7.0) + 1.0
    data, w, sizes = segments(kind, t, t + 0.5, t, None)
    assert sizes == (16, 16, 16, 16)  # one granule (16 rows) per kind present; the NONE row last, unpadded
    assert w.sum() == 7.0 and data["t"].shape == (65,)
    np.testing.assert_array_equal(data["row"][w > 0], [1, 5, 6, 0, 3, 2, 4])  # exact, left, right, interval, none


@pytest.mark.parametrize("family, init, count, first", [
    ("normal", {"loc": 5.0, "scale": 1e-200}, 1, 0),  # X <= 1 has log F = -inf; the layout puts it second
    ("weibull", {"concentration": 1e300, "scale": 1.0}, 2, 1),  # X > 2 and x = 5: (x / scale)^k = inf
])
def test_a_non_finite_start_names_the_data_rows_not_the_layouts(family, init, count, first):
    data = Censored([NA, 2.0, 5.0], [1.0, NA, 5.0])  # left-, right-censored, exact: sorted exact first
    with pytest.raises(maxlik.errors.ParameterError, match=rf"the log-density must be finite at the starting point; got "
                                                           rf"{count} non-finite value\(s\) \(first at row {first} \(0-based\)"):
        maxlik.fit(data, family, init=init)
