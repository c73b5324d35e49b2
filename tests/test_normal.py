"""Normal: closed form against NumPy/SciPy, fixed parameters, uncertainty against closed forms."""

import math

import numpy as np
import pytest
import scipy.stats as st

import maxlik


def test_mle_divides_by_n_and_matches_numpy():
    x = np.random.default_rng(1).normal(3.0, 2.0, 1000)
    r = maxlik.fit(x, "normal")
    assert r.params["loc"] == pytest.approx(x.mean(), rel=1e-14)
    assert r.params["scale"] == pytest.approx(x.std(ddof=0), rel=1e-14)
    assert r.loglik == pytest.approx(st.norm.logpdf(x, x.mean(), x.std()).sum(), rel=1e-12)


def test_unbiased_option_is_not_the_default():
    x = np.array([2.1, 1.9, 2.0, 2.3, 1.8])
    assert maxlik.fit(x, "normal").params["scale"] == pytest.approx(x.std(ddof=0))
    assert maxlik.fit(x, maxlik.Normal(ddof=1)).params["scale"] == pytest.approx(x.std(ddof=1))


def test_least_squares_example_gives_2_02():
    assert maxlik.fit([2.1, 1.9, 2.0, 2.3, 1.8], "normal").params["loc"] == pytest.approx(2.02)


def test_fixed_loc_changes_scale_mle():
    x = np.random.default_rng(2).normal(1.0, 1.5, 500)
    r = maxlik.fit(x, "normal", fixed={"loc": 0.0})
    assert r.params["scale"] == pytest.approx(math.sqrt(np.mean(x**2)), rel=1e-13)
    assert r.fixed == ("loc",)
    assert set(r.stderr) == {"scale"}


def test_stderr_equals_inverse_fisher_information():
    x = np.random.default_rng(3).normal(-2.0, 0.5, 400)
    r = maxlik.fit(x, "normal")
    s, n = r.params["scale"], len(x)
    assert r.stderr["loc"] == pytest.approx(s / math.sqrt(n), rel=1e-8)
    assert r.stderr["scale"] == pytest.approx(s / math.sqrt(2 * n), rel=1e-8)
    lo, hi = r.conf_int(0.95)["loc"]
    assert lo == pytest.approx(r.params["loc"] - 1.959963984540054 * s / math.sqrt(n), rel=1e-8)


def test_aic_bic():
    x = np.random.default_rng(4).normal(size=50)
    r = maxlik.fit(x, "normal")
    assert r.aic == pytest.approx(4 - 2 * r.loglik)
    assert r.bic == pytest.approx(2 * math.log(50) - 2 * r.loglik)


def test_json_round_trip_and_summary():
    r = maxlik.fit(np.random.default_rng(5).normal(size=30), "normal")
    back = maxlik.FitResult.from_json(r.to_json())
    assert back.params == r.params and back.stderr == r.stderr and back.aic == r.aic
    assert "loc" in r.summary() and "std err" in r.summary() and "<table>" in r._repr_html_()


def test_zero_variance_is_reported():
    with pytest.raises(maxlik.DegenerateFitError, match=r"all 4 observations are equal \(3\).*zero variance.*unbounded"):
        maxlik.fit([3.0, 3.0, 3.0, 3.0], "normal")


def test_single_observation_is_reported():
    with pytest.raises(maxlik.DegenerateFitError, match="at least 2 observations to estimate scale; got 1"):
        maxlik.fit([1.0], "normal")
