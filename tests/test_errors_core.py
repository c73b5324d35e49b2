"""Every core error message, pinned: bad data, bad weights, unknown families, bad ``fixed``,
bad confidence levels. Each is a maxlik error subclassing ValueError (so ``except ValueError``
works), raised before any JAX code runs: the traceback holds no frame from inside JAX."""

from __future__ import annotations

import re
import traceback

import numpy as np
import pandas as pd
import pytest

import maxlik
from maxlik.errors import DataError, MaxlikError, ParameterError, UnknownFamilyError

X = [1.0, 2.0, 4.0]


def _raises(exc_type, pattern, fn):
    """pytest.raises plus the two promises every error keeps: a ValueError, no JAX frames."""
    with pytest.raises(exc_type, match=pattern) as info:
        fn()
    err = info.value
    assert isinstance(err, MaxlikError) and isinstance(err, ValueError)
    frames = traceback.extract_tb(err.__traceback__)
    assert not any("/jax/" in f.filename or "/jaxlib/" in f.filename for f in frames), frames
    assert err.__cause__ is None
    return err


# -- data -----------------------------------------------------------------------------------


@pytest.mark.parametrize("empty", [[], np.array([]), np.empty((0, 1))])
def test_empty_data(empty):
    _raises(DataError, r"^Normal: data must contain at least one observation; got an empty array\.$",
            lambda: maxlik.fit(empty, "normal"))


def test_nan_reports_count_and_first_row():
    x = [1.0, 2.0, np.nan, 3.0, np.nan, 5.0]
    _raises(DataError, r"^Normal: data must be finite; got 2 NaN value\(s\) \(first at row 2 \(0-based\)\)\. Drop or impute them",
            lambda: maxlik.fit(x, "normal"))


def test_inf_reports_count_and_first_row():
    x = np.array([1.0, 2.0, 3.0, -np.inf, 5.0, np.inf, np.inf])
    _raises(DataError, r"data must be finite; got 3 infinite value\(s\) \(first at row 3 \(0-based\)\)",
            lambda: maxlik.fit(x, "normal"))


def test_nan_and_inf_are_both_counted():
    _raises(DataError, r"got 1 NaN, 2 infinite value\(s\) \(first at row 1 \(0-based\)\)",
            lambda: maxlik.fit([0.0, np.inf, np.nan, -np.inf], "normal"))


def test_nan_in_a_large_array_is_found():
    x = np.random.default_rng(0).normal(size=200_000)
    x[123_457] = np.nan
    _raises(DataError, r"got 1 NaN value\(s\) \(first at row 123457 \(0-based\)\)", lambda: maxlik.fit(x, "normal"))


@pytest.mark.parametrize("row", [0, 99_999, 199_999])
def test_inf_in_a_large_array_is_found_in_any_block(row):
    x = np.random.default_rng(1).normal(size=200_000)
    x[row] = -np.inf
    _raises(DataError, rf"got 1 infinite value\(s\) \(first at row {row} \(0-based\)\)", lambda: maxlik.fit(x, "normal"))


def test_values_too_large_for_finite_sums():
    """The multivariate normal is not rescaled (its covariance would scale as 1e600); the scale
    families fit such data on x / 2^k (maxlik.rescaled_fit)."""
    x = np.array([[1e300, 0.0], [-1e300, 1.0], [3.0, 2.0]])
    _raises(DataError, r"^MultivariateNormal: data must be small enough in magnitude for their sums of squares to be "
            r"finite; got max \|x\| = 1e\+300\. Rescale the data", lambda: maxlik.fit(x, "mvnormal"))
    r = maxlik.fit([1e300, -1e300, 3.0], "normal")
    assert abs(r.params["loc"] - 1.0) <= 1e300 * 2.0**-52 and r.params["scale"] == pytest.approx(1e300 * np.sqrt(2 / 3), rel=1e-12)


def test_nan_with_zero_weight_is_still_an_error():
    _raises(DataError, r"got 1 NaN value\(s\) \(first at row 1 \(0-based\)\)",
            lambda: maxlik.fit([1.0, np.nan, 3.0], "normal", weights=[1.0, 0.0, 1.0]))


def test_nan_in_a_pandas_series():
    _raises(DataError, r"got 1 NaN value\(s\) \(first at row 0 \(0-based\)\)",
            lambda: maxlik.fit(pd.Series([np.nan, 1.0, 2.0]), "normal"))


@pytest.mark.parametrize("shape", [(5, 3), (4, 2, 2)])
def test_several_columns_given_to_a_scalar_family(shape):
    _raises(DataError, rf"^Normal: data must have shape \(n,\); got shape {re.escape(str(shape))}\. .*fit each column separately",
            lambda: maxlik.fit(np.ones(shape), "normal"))


def test_a_scalar_is_not_a_data_set():
    _raises(DataError, r"data must have shape \(n,\); got shape \(\)", lambda: maxlik.fit(3.0, "normal"))


def test_one_column_2d_data_is_accepted_as_1d():
    x = np.array([[1.0], [2.0], [4.0]])
    assert maxlik.fit(x, "normal").params["loc"] == pytest.approx(7.0 / 3.0)


@pytest.mark.parametrize("bad, got", [(["a", "b"], r"got the text 'a' \(first at row 0 \(0-based\)\)\."),
                                      ([1.0, "two"], r"got the text 'two' \(first at row 1 \(0-based\)\)\."),
                                      ({"x": 1.0}, r"got dict that cannot be converted to float64 .*")])
def test_non_numeric_data(bad, got):
    _raises(DataError, rf"^Normal: data must be numeric; {got} Select numeric columns or convert them first\.$",
            lambda: maxlik.fit(bad, "normal"))


def test_log_prob_of_a_fit_validates_too():
    r = maxlik.fit(X, "normal")
    _raises(DataError, r"data must be finite; got 1 NaN", lambda: r.log_prob([0.0, np.nan]))


# -- weights --------------------------------------------------------------------------------


def test_weights_of_the_wrong_length():
    _raises(DataError, r"^fit\(Normal\): weights must have shape \(3,\), one per observation; got shape \(2,\)\.",
            lambda: maxlik.fit(X, "normal", weights=[1.0, 2.0]))


def test_weights_of_the_wrong_dimension():
    _raises(DataError, r"weights must have shape \(3,\), one per observation; got shape \(3, 1\)",
            lambda: maxlik.fit(X, "normal", weights=np.ones((3, 1))))


def test_negative_weights_report_count_first_row_and_value():
    _raises(DataError, r"^fit\(Normal\): weights must be non-negative; got 2 negative weight\(s\) "
            r"\(first at row 1 \(0-based\): -2\)\.", lambda: maxlik.fit(X, "normal", weights=[1.0, -2.0, -1.0]))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_weights(bad):
    _raises(DataError, r"^fit\(Normal\): weights must be finite; got 1 NaN/inf weight\(s\) \(first at row 2 \(0-based\)\)\. "
            r"Replace them with 0", lambda: maxlik.fit(X, "normal", weights=[1.0, 1.0, bad]))


def test_all_zero_weights():
    _raises(DataError, r"^fit\(Normal\): weights must not all be zero; got 3 zero weights\.",
            lambda: maxlik.fit(X, "normal", weights=[0.0, 0.0, 0.0]))


def test_non_numeric_weights():
    _raises(DataError, r"^fit\(Normal\): weights must be numeric; got the text 'a' \(first at row 0 \(0-based\)\)\. Pass one",
            lambda: maxlik.fit(X, "normal", weights=["a", "b", "c"]))


# -- family ---------------------------------------------------------------------------------


def test_unknown_family_lists_the_known_ones_and_suggests_the_closest():
    err = _raises(UnknownFamilyError, r"^fit: family must be one of \[.*'normal'.*\]; got 'nromal'\. "
                  r"Did you mean 'normal'\?", lambda: maxlik.fit(X, "nromal"))
    for name in ("normal", "bernoulli", "poisson"):
        assert repr(name) in str(err)


def test_unknown_family_without_a_close_name_gets_no_suggestion():
    err = _raises(UnknownFamilyError, r"family must be one of .*; got 'zzzz'\. See maxlik\.family_names\(\)",
                  lambda: maxlik.fit(X, "zzzz"))
    assert "Did you mean" not in str(err)


def test_family_of_the_wrong_type():
    _raises(UnknownFamilyError, r"family must be a name, a Family class or a Family instance; got int",
            lambda: maxlik.fit(X, 3))


# -- fixed parameters -----------------------------------------------------------------------


@pytest.mark.parametrize("bad", [[("loc", 0.0)], "loc=0", 0.0])
def test_fixed_must_be_a_dict(bad):
    _raises(ParameterError, r"^fit: fixed must be a dict of parameter name -> value; got \w+\. "
            r"For example fixed=\{'loc': 0\.0\}\.$", lambda: maxlik.fit(X, "normal", fixed=bad))


def test_fixed_value_outside_its_constraint():
    _raises(ParameterError, r"^fit\(Normal\): `scale` must be positive \(> 0\); got -1\.$",
            lambda: maxlik.fit(X, "normal", fixed={"scale": -1.0}))


def test_fixed_value_not_finite():
    _raises(ParameterError, r"`loc` must be real \(any finite number\); got nan",
            lambda: maxlik.fit(X, "normal", fixed={"loc": float("nan")}))


def test_fixed_value_not_numeric():
    _raises(ParameterError, r"^fit\(Normal\): `loc` must be numeric; got 'a'\.",
            lambda: maxlik.fit(X, "normal", fixed={"loc": "a"}))


def test_unknown_parameter_name_in_fixed():
    _raises(ParameterError, r"^fit\(Normal\): parameter names must be among \['loc', 'scale'\]; got 'mean'\.",
            lambda: maxlik.fit(X, "normal", fixed={"mean": 0.0}))


def test_misspelt_parameter_name_gets_a_suggestion():
    _raises(ParameterError, r"got 'scal'\. Did you mean 'scale'\?",
            lambda: maxlik.fit(X, "normal", fixed={"scal": 1.0}))


# -- keyword options ------------------------------------------------------------------------

OPTIONS = "weights, fixed, method, tol, max_iter, n_init, strict, seed, init"


def test_unknown_option_of_fit_is_named_with_the_valid_ones():
    _raises(ParameterError, rf"^fit\(Normal\): options must be among {OPTIONS}; got unknown option 'foo'\. Check the spelling\.$",
            lambda: maxlik.fit(X, "normal", foo=1))


def test_misspelt_option_gets_a_suggestion():
    _raises(ParameterError, r"^fit\(Gamma\): options must be among .*; got unknown options 'maxiter', 'bar'\. "
            r"Did you mean 'max_iter'\? Check the spelling\.$",
            lambda: maxlik.fit(X, "gamma", maxiter=5, bar=2))


def test_unknown_option_of_fit_loglik():
    _raises(ParameterError, rf"^fit_loglik: options must be among {OPTIONS}, name; got unknown option 'foo'\. Check the spelling\.$",
            lambda: maxlik.fit_loglik(lambda p, x: -0.5 * (x - p["loc"]) ** 2, np.array(X), {"loc": 0.0}, foo=1))


# -- results and statistics -----------------------------------------------------------------


@pytest.mark.parametrize("level", [0.0, 1.0, 1.5, -0.1, 95, float("nan")])
def test_conf_int_level_outside_zero_one(level):
    r = maxlik.fit(X, "normal")
    _raises(ParameterError, r"^conf_int: level must be in \(0, 1\); got .*\. Use e\.g\. 0\.95\.$",
            lambda: r.conf_int(level))


def test_fit_stats_needs_statistics():
    _raises(DataError, r"^fit_stats: stats must be sufficient statistics .*; got ndarray\. Use maxlik\.fit",
            lambda: maxlik.fit_stats(np.ones(3), "normal"))


def test_merge_of_different_statistics_is_a_type_error():
    a = maxlik.Normal().suffstats(np.array(X))
    with pytest.raises(TypeError, match=r"^NormalStats\.merge: other must be NormalStats; got int\."):
        a.merge(3)


def test_normal_ddof_option():
    _raises(ParameterError, r"^Normal: ddof must be 0 \(the MLE\) or 1 \(unbiased variance\); got 2\.",
            lambda: maxlik.Normal(ddof=2))


# -- a scalar parameter given several numbers -------------------------------------------------
@pytest.mark.parametrize(("family", "kw", "pattern"), [
    ("gamma", {"fixed": {"concentration": [1.0, 2.0]}},
     r"^fit\(Gamma\): fixed `concentration` must be one number \(a scalar parameter\); got shape \(2,\)\. "
     r"For example fixed=\{'concentration': 1\.0\}\.$"),
    ("normal", {"fixed": {"loc": [[1.0, 2.0]]}}, r"^fit\(Normal\): fixed `loc` must be one number .*got shape \(1, 2\)\."),
    ("normal", {"init": {"loc": [1.0, 2.0]}, "method": "newton"},
     r"^fit\(Normal\): starting value of `loc` must be one number \(a scalar parameter\); got shape \(2,\)\. "
     r"For example init=\{'loc': 1\.0\}\.$"),
])
def test_several_numbers_for_a_scalar_parameter(family, kw, pattern):
    """Checked with the other parameter checks, not left to a float() or a JAX broadcast."""
    _raises(ParameterError, pattern, lambda: maxlik.fit(np.array([1.0, 2.0, 4.0, 3.5]), family, **kw))


def test_one_number_in_an_array_is_that_number():
    x = np.array([1.0, 2.0, 4.0, 3.5])
    r = maxlik.fit(x, "normal", fixed={"loc": [1.0]})
    assert r.params["scale"] == pytest.approx(np.sqrt(np.mean((x - 1.0) ** 2)), rel=1e-12)  # the MLE given loc
