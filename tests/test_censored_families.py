"""Which families censored data accept (issue #14): every registered univariate family with a CDF,
read off the registry (binomial, whose total_count is an option, included), and the message for
one without, which lists them. References: scipy.stats.binom maximised directly."""

import numpy as np
import pytest
import scipy.optimize
import scipy.stats

import maxlik
from maxlik import Censored
from maxlik.censored_fit import censoring_families
from maxlik.errors import DataError
from maxlik.families import Family, Param, family_names, with_distribution_functions
from maxlik import constraints as C


def test_the_list_is_the_registry_of_univariate_families_with_a_cdf():
    listed = censoring_families()
    want = sorted(name for name, cls in family_names().items()
                  if cls.event_ndim == 0 and "_logcdf" in {k for c in cls.__mro__[:-1] if c is not Family for k in vars(c)})
    assert listed == with_distribution_functions() == want
    assert "binomial" in listed and "mvnormal" not in listed and "dirichlet" not in listed


def test_binomial_with_censored_counts_matches_scipy():
    rng = np.random.default_rng(2)
    k = rng.binomial(12, 0.35, 300).astype(float)
    top = k >= 7  # recorded as "7 or more": right-censored at 6 (X > 6)
    low = k <= 1  # recorded as "at most 1": left-censored at 1
    left = np.where(top, 6.0, np.where(low, np.nan, k))
    right = np.where(top, np.nan, np.where(low, 1.0, k))
    r = maxlik.fit(Censored(left, right), maxlik.Binomial(total_count=12))
    exact = ~top & ~low

    def nll(p):
        b = scipy.stats.binom(12, p)
        return -(b.logpmf(k[exact]).sum() + top.sum() * b.logsf(6) + low.sum() * b.logcdf(1))

    best = scipy.optimize.minimize_scalar(nll, bounds=(0.01, 0.99), method="bounded", options={"xatol": 1e-12})
    assert r.converged
    assert r.params["probs"] == pytest.approx(best.x, rel=1e-7)
    assert r.loglik == pytest.approx(-best.fun, rel=1e-11)


class _NoCdf(Family):
    """A univariate family without distribution functions (only a density)."""

    name = "no_cdf_test"
    params = (Param("loc", C.real, "centre"),)
    support = C.real

    def log_prob(self, params, x):
        return -0.5 * (x - params["loc"]) ** 2


def test_a_univariate_family_without_a_cdf_is_refused_with_the_list():
    with pytest.raises(DataError, match=r"^fit\(.*\): censored data need a univariate family with a CDF; got a family "
                                        r"without distribution functions\. Families that support censoring: (.*)\.$") as info:
        maxlik.fit(Censored([1.0, np.nan], [1.0, 2.0]), _NoCdf())
    assert str(info.value).split("censoring: ")[1].rstrip(".").split(", ") == with_distribution_functions()
