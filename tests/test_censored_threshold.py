"""Censored data with a threshold family (issue #14): a free loc is refused (the unbounded-likelihood
check, the profile over loc, is defined for exact data only); a fixed loc is a regular fit,
checked against scipy's censored log-likelihood maximised directly."""

import numpy as np
import pytest
import scipy.optimize
import scipy.stats

import maxlik
from maxlik import Censored
from maxlik.errors import DataError, ParameterError


def _data():
    rng = np.random.default_rng(0)
    x = 5.0 + 3.0 * rng.weibull(1.8, 200)
    left, right = np.where(x > 9.0, 9.0, x), np.where(x > 9.0, np.nan, x)
    left[:5], right[:5] = 4.0, np.nan  # "more than 4": below the threshold 4.5, no information
    return left, right


@pytest.mark.parametrize("family", ["weibull3", "gamma3", "lognormal3"])
def test_free_threshold_with_censored_data_is_refused(family):
    left, right = _data()
    with pytest.raises(ParameterError, match=r"censored data with a threshold family must have `loc` fixed; got loc "
                                             r"free\. .*unbounded.*Pass fixed=\{'loc': \.\.\.\}"):
        maxlik.fit(Censored(left, right), family)


def test_fixed_threshold_matches_scipy():
    left, right = _data()
    r = maxlik.fit(Censored(left, right), "weibull3", fixed={"loc": 4.5})
    exact, cens = left == right, np.isnan(right) & (left > 4.5)

    def nll(v):
        d = scipy.stats.weibull_min(np.exp(v[0]), loc=4.5, scale=np.exp(v[1]))
        return -(d.logpdf(left[exact]).sum() + d.logsf(left[cens]).sum())

    best = scipy.optimize.minimize(nll, [0.5, 1.0], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12})
    assert r.params["loc"] == 4.5 and "loc" in r.fixed
    np.testing.assert_allclose([r.params["concentration"], r.params["scale"]], np.exp(best.x), rtol=1e-5)
    assert r.loglik == pytest.approx(-best.fun, rel=1e-9)
    assert r.n == left.size


def test_fixed_threshold_above_an_observation_names_the_count_and_first_row():
    left, right = _data()
    n_bad = int(((left == right) & (left <= 6.0)).sum())
    first = int(np.flatnonzero((left == right) & (left <= 6.0))[0])
    with pytest.raises(DataError, match=rf"fixed `loc` must be below every exact observation and every upper bound.*"
                                        rf"got loc = 6 with {n_bad} row\(s\) at or below it \(first at row {first} "):
        maxlik.fit(Censored(left, right), "weibull3", fixed={"loc": 6.0})
