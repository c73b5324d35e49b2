"""maxlik.fit_curve: conventions, references (scipy curve_fit, statsmodels OLS), bad input."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import optimize, stats

import maxlik
from maxlik._jax import jax, jnp


def arr(d: dict) -> np.ndarray:
    """A name -> value (or (low, high)) dict as an array in parameter order."""
    return np.array(list(d.values()), dtype=float)


def decay(p, x):
    return p[0] * jnp.exp(-p[1] * x) + p[2]


def decay_np(x, a, b, c):
    return a * np.exp(-b * x) + c


def decay_jac_np(x, a, b, c):
    e = np.exp(-b * x)
    return np.column_stack([e, -a * x * e, np.ones_like(x)])


@pytest.fixture(scope="module")
def decay_data():
    rng = np.random.default_rng(12345)
    x = np.linspace(0.0, 5.0, 60)
    y = decay_np(x, 3.0, 1.3, 0.5) + rng.normal(0.0, 0.05, x.size)
    return x, y


@pytest.fixture(scope="module")
def decay_fit(decay_data):
    x, y = decay_data
    return maxlik.fit_curve(decay, x, y, [1.0, 1.0, 0.0], names=["a", "b", "c"])


# -- references -------------------------------------------------------------------------------
def test_matches_scipy_curve_fit(decay_data, decay_fit):
    x, y = decay_data
    popt, pcov = optimize.curve_fit(decay_np, x, y, p0=[1.0, 1.0, 0.0], jac=decay_jac_np, ftol=1e-15, xtol=1e-15, gtol=1e-15)
    assert decay_fit.converged
    np.testing.assert_allclose(decay_fit.coef, popt, rtol=1e-6)
    dof = maxlik.fit_curve(decay, x, y, [1.0, 1.0, 0.0], sigma_convention="dof")
    # curve_fit's pcov uses RSS/(N − k)
    np.testing.assert_allclose(arr(dof.stderr), np.sqrt(np.diag(pcov)), rtol=1e-4)
    np.testing.assert_allclose(dof.cov, pcov, rtol=1e-4)


def test_linear_model_matches_statsmodels_ols():
    rng = np.random.default_rng(7)
    x = rng.uniform(-2, 2, 40)
    y = 1.5 - 0.7 * x + rng.normal(0, 0.3, 40)
    ols = sm.OLS(y, sm.add_constant(x)).fit()
    res = maxlik.fit_curve(lambda p, x: p[0] + p[1] * x, x, y, [0.0, 0.0], sigma_convention="dof")
    np.testing.assert_allclose(res.coef, ols.params, rtol=1e-10)
    np.testing.assert_allclose(arr(res.stderr), ols.bse, rtol=1e-8)
    np.testing.assert_allclose(arr(res.conf_int(0.9)), ols.conf_int(0.1), rtol=1e-8)  # t quantile, N − k dof
    np.testing.assert_allclose(res.rss, ols.ssr, rtol=1e-10)
    np.testing.assert_allclose(res.loglik, ols.llf, rtol=1e-10)  # the maximised log-likelihood
    # statsmodels' AIC/BIC do not count σ² as a parameter; ours do (k + 1)
    np.testing.assert_allclose(res.aic, ols.aic + 2.0, rtol=1e-10)
    np.testing.assert_allclose(res.bic, ols.bic + math.log(40), rtol=1e-10)


# -- conventions ------------------------------------------------------------------------------
def test_sigma_conventions(decay_data, decay_fit):
    x, y = decay_data
    n, k = y.size, 3
    resid = y - decay_np(x, *decay_fit.coef)
    rss = float(resid @ resid)
    assert decay_fit.sigma_convention == "mle"
    np.testing.assert_allclose(decay_fit.rss, rss, rtol=1e-12)
    np.testing.assert_allclose(decay_fit.sigma2, rss / n, rtol=1e-12)  # the MLE is the default
    dof = maxlik.fit_curve(decay, x, y, [1.0, 1.0, 0.0], sigma_convention="dof")
    np.testing.assert_allclose(dof.sigma2, rss / (n - k), rtol=1e-10)
    np.testing.assert_allclose(decay_fit.cov, dof.cov * (n - k) / n, rtol=1e-8)
    # loglik / AIC / BIC are the maximised Gaussian likelihood in both conventions
    ll = stats.norm.logpdf(y, decay_np(x, *decay_fit.coef), math.sqrt(rss / n)).sum()
    for res in (decay_fit, dof):
        np.testing.assert_allclose(res.loglik, ll, rtol=1e-10)
        np.testing.assert_allclose(res.aic, 2 * (k + 1) - 2 * ll, rtol=1e-10)
        np.testing.assert_allclose(res.bic, (k + 1) * math.log(n) - 2 * ll, rtol=1e-10)
    # Wald intervals: normal quantile for "mle"
    z = stats.norm.ppf(0.975)
    ci = arr(decay_fit.conf_int(0.95))
    np.testing.assert_allclose(ci[:, 1] - ci[:, 0], 2 * z * arr(decay_fit.stderr), rtol=1e-12)


def test_names_and_summary(decay_fit):
    assert list(decay_fit.params) == ["a", "b", "c"]
    assert decay_fit.params["b"] == pytest.approx(1.3, abs=0.1)
    assert set(decay_fit.stderr) == {"a", "b", "c"}
    text = decay_fit.summary()
    assert "RSS/N (MLE)" in text and "b" in text and "converged" in text
    assert decay_fit.n_iter > 0


def test_deprecated_dict_spellings(decay_fit):
    with pytest.warns(DeprecationWarning, match=r"CurveFitResult.params_dict is deprecated; use params \(a dict\) or coef \(an array\)\."):
        assert decay_fit.params_dict == decay_fit.params
    with pytest.warns(DeprecationWarning, match=r"CurveFitResult.stderr_dict is deprecated; use stderr \(now a dict\)\."):
        assert decay_fit.stderr_dict == decay_fit.stderr


def test_default_names():
    x = np.arange(5.0)
    res = maxlik.fit_curve(lambda p, x: p[0] + p[1] * x, x, 2 * x + 1 + np.array([0.1, -0.1, 0, 0.1, -0.1]), [0.0, 0.0])
    assert res.names == ("p[0]", "p[1]")


def test_jacobian_is_exact_on_a_multicolumn_x():
    # x may be 2-D: f receives it unchanged
    rng = np.random.default_rng(3)
    X = rng.uniform(0, 1, (30, 2))
    y = 2.0 * X[:, 0] + np.exp(0.5 * X[:, 1]) + rng.normal(0, 0.01, 30)
    res = maxlik.fit_curve(lambda p, x: p[0] * x[:, 0] + jnp.exp(p[1] * x[:, 1]), X, y, [1.0, 1.0])
    popt, _ = optimize.curve_fit(lambda _, a, b: a * X[:, 0] + np.exp(b * X[:, 1]), None, y, p0=[1.0, 1.0], ftol=1e-15, xtol=1e-15)
    np.testing.assert_allclose(res.coef, popt, rtol=1e-6)


def test_leaves_a_valley_point_where_damped_steps_are_below_rounding(nist_certified):
    """NIST MGH17 from a point in its long valley (b2 ≈ −b3 ≈ 78, b4 ≈ b5), ~46% above the minimum RSS.

    There the RSS is computed from terms ~78 that cancel to ~1, so it carries a rounding error of
    ~1e-16, while a step damped with λ = 1 predicts a decrease of ~1e-19: judged by evaluating f,
    such steps fail at random, and shrinking the trust region on those failures stalled the solver
    here (this point is where it stopped from start 1 on one machine; the fallback strategy also
    stalled from it). Steps too short to measure must lengthen instead.
    """
    entry = nist_certified["datasets"]["MGH17"]
    x, y = np.asarray(entry["data"]["x"], float), np.asarray(entry["data"]["y"], float)

    def mgh17(b, x):
        return b[0] + b[1] * jnp.exp(-x * b[3]) + b[2] * jnp.exp(-x * b[4])

    valley = [0.382238244, 78.0304843, -77.5643828, 0.016602931, 0.0167946113]
    res = maxlik.fit_curve(mgh17, x, y, valley)
    assert res.converged, res.message
    np.testing.assert_allclose(res.coef, entry["certified"], rtol=1e-6)
    np.testing.assert_allclose(res.rss, entry["rss"], rtol=1e-8)


# -- honest failure -----------------------------------------------------------------------------
def test_non_identifiable_model_is_not_converged():
    x = np.arange(1.0, 11.0)
    y = 3.0 * x + np.linspace(-0.1, 0.1, 10)
    with pytest.warns(maxlik.ConvergenceWarning, match="Jacobian is rank-deficient at the end point"):
        res = maxlik.fit_curve(lambda p, x: (p[0] + p[1]) * x, x, y, [1.0, 1.0])
    assert not res.converged
    with pytest.warns(maxlik.InferenceWarning, match="standard errors unavailable: the Jacobian is rank-deficient"):
        assert np.isnan(arr(res.stderr)).all()


# NIST BoxBOD (data from the StRD file): from its start 1 one iteration is far from enough
BOX_X = np.array([1.0, 2.0, 3.0, 5.0, 7.0, 10.0])
BOX_Y = np.array([109.0, 149.0, 149.0, 191.0, 213.0, 224.0])


def boxbod(p, x):
    return p[0] * (1 - jnp.exp(-p[1] * x))


def test_max_iter_warns_and_strict_raises():
    with pytest.warns(maxlik.ConvergenceWarning, match="fit_curve: the fit did not converge: "):
        res = maxlik.fit_curve(boxbod, BOX_X, BOX_Y, [1.0, 1.0], max_iter=1)
    assert not res.converged
    assert "Levenberg–Marquardt stopped: reached max_iter" in res.message
    with pytest.raises(maxlik.FitFailedError, match="did not converge"):
        maxlik.fit_curve(boxbod, BOX_X, BOX_Y, [1.0, 1.0], max_iter=1, strict=True)
    # with the defaults it reaches NIST's certified values
    good = maxlik.fit_curve(boxbod, BOX_X, BOX_Y, [1.0, 1.0])
    assert good.converged
    np.testing.assert_allclose(good.coef, [2.1380940889e02, 5.4723748542e-01], rtol=1e-9)


# -- bad input ----------------------------------------------------------------------------------
X5 = np.arange(1.0, 6.0)
Y5 = np.array([1.1, 1.9, 3.2, 3.9, 5.1])


def line(p, x):
    return p[0] + p[1] * x


def test_model_output_shape_must_match_y():
    with pytest.raises(maxlik.DataError, match=r"fit_curve: f\(p, x\) must return an array shaped like y, \(5,\); got \(5, 1\)"):
        maxlik.fit_curve(lambda p, x: (p[0] + p[1] * x)[:, None], X5, Y5, [0.0, 1.0])


def test_model_output_must_be_real():
    with pytest.raises(maxlik.DataError, match="f\\(p, x\\) must return real numbers; got dtype complex128"):
        maxlik.fit_curve(lambda p, x: (p[0] + p[1] * x) * (1 + 0j), X5, Y5, [0.0, 1.0])


@pytest.mark.parametrize("which", ["x", "y"])
def test_non_finite_data(which):
    x, y = X5.copy(), Y5.copy()
    (x if which == "x" else y)[3] = np.nan if which == "x" else np.inf
    with pytest.raises(maxlik.DataError, match=rf"fit_curve: {which} must be finite; got 1 NaN/inf value\(s\) \(first at index 3 \(0-based\)\)"):
        maxlik.fit_curve(line, x, y, [0.0, 1.0])


def test_y_must_be_1d():
    with pytest.raises(maxlik.DataError, match=r"fit_curve: y must have shape \(N,\); got shape \(5, 1\)"):
        maxlik.fit_curve(line, X5, Y5[:, None], [0.0, 1.0])


def test_non_numeric_data():
    with pytest.raises(maxlik.DataError, match="fit_curve: x must be numeric"):
        maxlik.fit_curve(line, ["a", "b"], Y5[:2], [0.0, 1.0])


def test_p0_too_short_for_the_model():
    with pytest.raises(
        maxlik.ParameterError,
        match=r"f\(p0, x\) must only index p within its length 2; got out-of-bounds indexing for array of shape \(2,\): index 2",
    ):
        maxlik.fit_curve(lambda p, x: p[0] + p[1] * x + p[2] * x**2, X5, Y5, [0.0, 1.0])


def test_p0_too_short_to_unpack():
    def f(p, x):
        a, b, c = p
        return a + b * x + c * x**2

    with pytest.raises(maxlik.ParameterError, match=r"f\(p0, x\) must evaluate for p0 of length 2; calling it raised ValueError"):
        maxlik.fit_curve(f, X5, Y5, [0.0, 1.0])


def test_negative_index_is_allowed():
    res = maxlik.fit_curve(lambda p, x: p[0] + p[-1] * x, X5, Y5, [0.0, 0.5])
    np.testing.assert_allclose(res.coef, np.polyfit(X5, Y5, 1)[::-1], rtol=1e-10)


@pytest.mark.parametrize("p0", [[0.0, np.nan], [np.inf, 1.0]])
def test_p0_must_be_finite(p0):
    with pytest.raises(maxlik.ParameterError, match=r"fit_curve: p0 must be finite; got \["):
        maxlik.fit_curve(line, X5, Y5, p0)


def test_p0_must_be_1d():
    with pytest.raises(maxlik.ParameterError, match=r"p0 must be a non-empty 1-D array .*; got shape \(1, 2\)"):
        maxlik.fit_curve(line, X5, Y5, [[0.0, 1.0]])


def test_non_finite_model_at_start_names_the_values():
    with pytest.raises(
        maxlik.ParameterError,
        match=r"f\(p0, x\) must be finite at the starting values p0 = \[1.0, 3.0\]; got 3 NaN/inf prediction\(s\) of 5 \(first at index 0 \(0-based\)\)",
    ):
        maxlik.fit_curve(lambda p, x: p[0] * jnp.log(x - p[1]), X5, Y5, [1.0, 3.0])


def test_non_finite_jacobian_at_start():
    with pytest.raises(
        maxlik.ParameterError,
        match=r"the Jacobian ∂f/∂p must be finite at the starting values p0 = \[0.0, 0.0\]; got NaN/inf derivatives for p\[0\], p\[1\]",  # forward mode: 0·∞ = NaN in every column
    ):
        maxlik.fit_curve(lambda p, x: p[0] + jnp.sqrt(p[1]) * x, X5, Y5, [0.0, 0.0])


@jax.custom_jvp
def _flat(q):
    """Zero, with a derivative that is NaN above 0.5 (a model whose Jacobian breaks mid-fit)."""
    return 0.0 * q


@_flat.defjvp
def _flat_jvp(primals, tangents):
    (q,), (dq,) = primals, tangents
    return 0.0 * q, jnp.where(q > 0.5, jnp.nan, 0.0) * dq


def test_non_finite_jacobian_at_end_point_is_a_failure():
    with pytest.warns(maxlik.ConvergenceWarning, match="the residuals or the Jacobian are not finite at the end point"):
        res = maxlik.fit_curve(lambda p, x: p[0] + p[1] * x + _flat(p[1]), X5, Y5, [0.0, 0.0])
    assert not res.converged


def test_names_must_match_p0():
    with pytest.raises(maxlik.ParameterError, match=r"names must be 2 distinct names, one per entry of p0; got \['a'\]"):
        maxlik.fit_curve(line, X5, Y5, [0.0, 1.0], names=["a"])


def test_more_observations_than_parameters():
    with pytest.raises(maxlik.DegenerateFitError, match="number of observations must exceed the number of parameters; got N=2 for k=2"):
        maxlik.fit_curve(line, X5[:2], Y5[:2], [0.0, 1.0])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sigma_convention": "unbiased"}, r"sigma_convention must be one of \('mle', 'dof'\); got 'unbiased'"),
        ({"tol": 0.0}, r"tol must be a number in \(0, 1\); got 0.0"),
        ({"max_iter": 0}, "max_iter must be a positive integer; got 0"),
    ],
)
def test_bad_options(kwargs, match):
    with pytest.raises(maxlik.ParameterError, match=match):
        maxlik.fit_curve(line, X5, Y5, [0.0, 1.0], **kwargs)


def test_conf_int_level(decay_fit):
    with pytest.raises(maxlik.ParameterError, match=r"conf_int: level must be in \(0, 1\); got 1.5"):
        decay_fit.conf_int(1.5)


def test_old_callback_order_works_with_a_deprecation_warning():
    # fit_curve's model is f(p, x), as every maxlik callback (fit_loglik's log_prob(params, data));
    # the old f(x, p) still works for one release, detected from the first argument's name
    new = maxlik.fit_curve(line, X5, Y5, [0.0, 1.0])

    def old(x, p):
        return p[0] + p[1] * x

    message = (r"fit_curve: the model is called as f\(p, x\) \(parameters first, data second, as every maxlik "
               r"callback\); got f\(x, p\) \(its first parameter is named 'x'\)\. Swap the model's arguments to f\(p, x\)")
    with pytest.warns(DeprecationWarning, match=message):
        res = maxlik.fit_curve(old, X5, Y5, [0.0, 1.0])
    np.testing.assert_allclose(res.coef, new.coef, rtol=1e-12)
    with pytest.warns(DeprecationWarning, match=r"got f\(x, p\) \(data_first=True\)"):
        maxlik.fit_curve(lambda a, b: b[0] + b[1] * a, X5, Y5, [0.0, 1.0], data_first=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        maxlik.fit_curve(lambda x, data: x[0] + x[1] * data, X5, Y5, [0.0, 1.0], data_first=False)
    with pytest.raises(maxlik.ParameterError, match=r"fit_curve: data_first must be None, True or False; got 'yes'"):
        maxlik.fit_curve(line, X5, Y5, [0.0, 1.0], data_first="yes")
