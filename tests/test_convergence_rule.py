"""The one convergence rule (optimize/_convergence.py): the Newton decrement ½gᵀH⁻¹g of the total
NLL ≤ tol, for every iterative fit — not a raw gradient max-norm."""

import warnings

import numpy as np
import pytest
import scipy.stats as st

import maxlik
from maxlik import ConvergenceWarning
from maxlik.status import Status

rng = np.random.default_rng(20240610)


def test_beta_with_large_concentrations_converges_and_matches_scipy():
    # Concentrations ~1e5: lgamma differences of arguments ~1e5 make the NLL noisy at ~1e-10, so
    # the last Newton step cannot be confirmed by the NLL, and the gradient's max-norm stays at
    # ~3e-6 while the estimate is 1e-4 standard errors from the optimum. Under the old rule
    # (gradient max-norm <= 1e-8) this fit was "stopped at max_iter=100 with gradient max-norm
    # 4.43e-06 > tol=1e-08"; the decrement rule accepts it and the estimates agree with scipy.
    x = np.random.default_rng(0).beta(1e5, 2e5, 1000)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        r = maxlik.fit(x, "beta")
    a, b, _, _ = st.beta.fit(x, floc=0, fscale=1)
    assert r.converged and r.message.startswith("converged: Newton decrement")
    ours = [r.params["concentration1"], r.params["concentration0"]]
    # scipy stops at its own tolerance, ~1e-4 standard errors away: agree to 1e-3 of a standard
    # error (5 digits here), with the same log-likelihood up to its rounding
    se = [r.stderr["concentration1"], r.stderr["concentration0"]]
    np.testing.assert_array_less(np.abs(np.subtract(ours, [a, b])), 1e-3 * np.array(se))
    assert r.loglik == pytest.approx(st.beta.logpdf(x, a, b).sum(), abs=1e-5)  # ℓ itself is noisy at ~1e-6 here


@pytest.mark.parametrize("method", ["newton", "bfgs", "lbfgs", "gradient_descent"])
def test_a_fit_stopped_early_still_says_so(method):
    x = rng.gamma(3.0, 2.0, size=500)
    with pytest.warns(ConvergenceWarning, match=r"fit\(Gamma\): the fit did not converge \(stopped at max_iter=2 with Newton decrement .* > tol=1e-08"):
        r = maxlik.fit(x, "gamma", method=method, max_iter=2, init={"concentration": 50.0, "rate": 0.1})
    assert not r.converged and r.n_iter == 2


def test_a_flat_likelihood_is_not_converged():
    # `b` does not enter the likelihood: the Hessian is singular, there is no strict maximum
    def lp(p, x):
        return -0.5 * (x - p["a"]) ** 2

    x = rng.normal(size=100)
    with pytest.warns(ConvergenceWarning, match=r"fit_loglik: the fit did not converge \(not a maximum: the Hessian of the NLL at the estimate is not positive definite \(smallest eigenvalue"):
        r = maxlik.fit_loglik(lp, x, {"a": 0.0, "b": 1.0})
    assert not r.converged


def test_tol_is_in_log_likelihood_units():
    # decrement <= tol puts the estimate within sqrt(2 tol) standard errors (before the final
    # Newton step): a loose tol of 1e-2 still converges, a tighter one reaches the closed form
    x = rng.normal(3.0, 2.0, size=400)
    loose = maxlik.fit(x, "normal", method="newton", tol=1e-2, init={"loc": 0.0, "scale": 1.0})
    tight = maxlik.fit(x, "normal", method="newton", tol=1e-12, init={"loc": 0.0, "scale": 1.0})
    assert loose.converged and tight.converged and loose.n_iter <= tight.n_iter
    assert abs(loose.params["loc"] - x.mean()) < 0.15 * loose.stderr["loc"]
    assert tight.params["loc"] == pytest.approx(x.mean(), rel=1e-12)


def test_status_members_name_the_outcomes():
    assert Status.MAX_ITER.message.startswith("stopped at the iteration limit")
    assert not Status.NOT_POSITIVE_DEFINITE.ok and Status.CONVERGED.ok
