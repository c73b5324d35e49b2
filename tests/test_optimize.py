"""The numerical engine: Newton, BFGS, L-BFGS and gradient descent against closed forms.

References: the closed-form Normal and Poisson MLEs and their exact observed-information
standard errors (σ̂/√n, σ̂/√(2n), √(λ̂/n)), computed here from the data. One data size (bucket
of 256 rows) is reused so that JAX compiles each solver once.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import maxlik
from maxlik import ConvergenceWarning, FitFailedError, ParameterError
from maxlik._jax import jnp

rng = np.random.default_rng(20261122)
X = rng.normal(3.0, 2.0, size=200)
FAR = {"loc": -5.0, "scale": 20.0}


def normal_reference(x, w=None):
    w = np.ones_like(x) if w is None else w
    W = w.sum()
    mu = np.sum(w * x) / W
    sigma = np.sqrt(np.sum(w * (x - mu) ** 2) / W)
    return {"loc": mu, "scale": sigma}, {"loc": sigma / np.sqrt(W), "scale": sigma / np.sqrt(2 * W)}


@pytest.mark.parametrize("method", ["newton", "bfgs", "lbfgs"])
def test_numerical_equals_closed_form_normal(method):
    est, se = normal_reference(X)
    r = maxlik.fit(X, "normal", method=method, init=FAR)
    assert r.converged and r.method == method and r.n_iter > 0
    for k in est:
        assert r.params[k] == pytest.approx(est[k], rel=1e-6)
        assert r.stderr[k] == pytest.approx(se[k], rel=1e-6)
    closed = maxlik.fit(X, "normal")
    assert r.loglik == pytest.approx(closed.loglik, rel=1e-12)
    assert r.loglik <= closed.loglik + 1e-9 * abs(closed.loglik)  # the closed form is the maximum


def test_gradient_descent_reaches_the_closed_form():
    est, _ = normal_reference(X)
    r = maxlik.fit(X, "normal", method="gradient_descent", tol=1e-7)
    assert r.converged
    assert r.params["loc"] == pytest.approx(est["loc"], rel=1e-6)
    assert r.params["scale"] == pytest.approx(est["scale"], rel=1e-6)


def test_auto_with_options_takes_the_numerical_path_and_newton():
    r = maxlik.fit(X, "normal", tol=1e-10, init=FAR)
    assert r.method == "newton" and r.converged


def test_poisson_numerical_equals_closed_form():
    y = rng.poisson(4.2, size=200).astype(float)
    r = maxlik.fit(y, "poisson", method="newton", init={"rate": 50.0})
    lam = y.mean()
    assert r.params["rate"] == pytest.approx(lam, rel=1e-8)
    assert r.stderr["rate"] == pytest.approx(np.sqrt(lam / y.size), rel=1e-6)


def test_trace_records_every_iteration():
    r = maxlik.fit(X, "normal", method="newton", init=FAR)
    nll, gn = r.trace["nll"], r.trace["grad_norm"]
    assert len(nll) == len(gn) == r.n_iter + 1
    assert all(b <= a + 1e-9 * abs(a) for a, b in zip(nll, nll[1:]))  # line search: NLL never rises
    assert nll[-1] == pytest.approx(-r.loglik, rel=1e-12)
    assert gn[-1] <= 1e-8 < gn[0]


def test_integer_weights_equal_repeated_rows():
    x = X[:130]
    w = np.where(np.arange(130) % 3 == 0, 2.0, 1.0)
    a = maxlik.fit(x, "normal", weights=w, method="newton", init=FAR)
    b = maxlik.fit(np.repeat(x, w.astype(int)), "normal", method="newton", init=FAR)
    est, se = normal_reference(x, w)
    for k in est:
        assert a.params[k] == pytest.approx(b.params[k], rel=1e-9)
        assert a.params[k] == pytest.approx(est[k], rel=1e-8)
        assert a.stderr[k] == pytest.approx(se[k], rel=1e-6)


def test_fixed_parameter_is_held():
    r = maxlik.fit(X, "normal", method="newton", fixed={"scale": 2.5})
    assert r.params["scale"] == 2.5 and r.fixed == ("scale",)
    assert r.params["loc"] == pytest.approx(X.mean(), rel=1e-9)
    assert r.stderr["loc"] == pytest.approx(2.5 / np.sqrt(X.size), rel=1e-6)
    assert r.n_params == 1


def test_n_init_keeps_the_best_and_says_so():
    est, _ = normal_reference(X)
    r = maxlik.fit(X, "normal", method="newton", n_init=3, seed=1, init=FAR)
    assert r.converged and "best of 3 starts" in r.message
    assert r.params["loc"] == pytest.approx(est["loc"], rel=1e-6)


def test_non_convergence_warns_with_remedies_and_strict_raises():
    with pytest.warns(ConvergenceWarning, match=r"did not converge \(stopped at max_iter=1 .*increase max_iter, try another method"):
        r = maxlik.fit(X, "normal", method="newton", max_iter=1, init=FAR)
    assert not r.converged and r.n_iter == 1 and "max_iter=1" in r.message
    with pytest.raises(FitFailedError, match=r"fit\(Normal\): the fit did not converge"):
        maxlik.fit(X, "normal", method="newton", max_iter=1, init=FAR, strict=True)


def test_saddle_point_is_a_failure_not_a_success():
    # d/da = 0 at a = mean(x) and d/db = 0 at b = 0, but ℓ grows in b: a saddle of the NLL.
    def lp(p, x):
        return -0.5 * (x - p["a"]) ** 2 + 0.1 * p["b"] ** 2

    with pytest.warns(ConvergenceWarning, match="not a maximum: the Hessian of the NLL at the estimate is not positive definite"):
        r = maxlik.fit_loglik(lp, X, {"a": float(np.mean(X)), "b": 0.0})
    assert not r.converged


def test_errors_are_pinned():
    with pytest.raises(ParameterError, match=r"fit\(Normal\): starting value of `scale` must be positive \(> 0\); got -1\. Pass init="):
        maxlik.fit(X, "normal", method="newton", init={"scale": -1.0})
    with pytest.raises(ParameterError, match=r"fit\(Normal\): the log-density must be finite at the starting point; got 200 non-finite value\(s\) \(first at row 0 \(0-based\): -inf\) at params \{'loc': 1e\+300, 'scale': 1\}"):
        maxlik.fit(X, "normal", method="newton", init={"loc": 1e300, "scale": 1.0})
    with pytest.raises(ParameterError, match=r"fit\(Normal\): method must be one of \['auto', 'newton', 'bfgs', 'lbfgs', 'gradient_descent'\]; got 'simplex'"):
        maxlik.fit(X, "normal", method="simplex")
    with pytest.raises(ParameterError, match=r"fit\(Normal\): n_init must be an integer >= 1; got 0"):
        maxlik.fit(X, "normal", method="newton", n_init=0)
    with pytest.raises(ParameterError, match=r"fit\(Normal\): parameter names must be among \['loc', 'scale'\]; got 'mu'"):
        maxlik.fit(X, "normal", method="newton", init={"mu": 1.0})
    with pytest.raises(ParameterError, match=r"fit\(Normal\): tol must be positive; got -1"):
        maxlik.fit(X, "normal", method="newton", tol=-1)
    with pytest.raises(ParameterError, match=r"fit\(Normal\): max_iter must be an integer >= 1; got 0"):
        maxlik.fit(X, "normal", method="newton", max_iter=0)
