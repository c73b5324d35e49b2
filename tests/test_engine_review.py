"""Review of the host-side Newton engine (issue #11): edge cases found by probing the kernels.

References: JAX autodiff and closed forms for the bijections' derivatives; for errors raised
inside the compiled loop, the per-call JAX kernel on the same fit (it raises directly).
"""

from __future__ import annotations

import numpy as np
import pytest

import maxlik
from maxlik._jax import jax, jnp
from maxlik.optimize import _kernels, newton
from maxlik.transforms import ScaledSigmoid


@pytest.mark.parametrize("lower, upper", [(-1.0, 1.0), (0.0, 1.0), (2.0, 7.5)])
@pytest.mark.parametrize("u", [-40.0, -30.0, -20.0, -3.0, 0.0, 0.7, 20.0, 30.0, 40.0])
def test_scaled_sigmoid_derivatives_match_closed_form(lower, upper, u):
    """T(u) = a + (b − a) σ(u): T′ = (b − a) σ(1 − σ), T″ = T′ (1 − 2σ), accurate in the tails
    (1 − σ(u) = σ(−u), with e^(−|u|) computed once; not by subtracting from ``lower``/1)."""
    e = np.exp(-abs(u))
    s, r = (1.0 / (1.0 + e), e / (1.0 + e)) if u >= 0 else (e / (1.0 + e), 1.0 / (1.0 + e))
    d1_ref = (upper - lower) * s * r
    d2_ref = d1_ref * (r - s)
    d1, d2 = ScaledSigmoid(lower, upper).derivatives(np.float64(u))
    assert d1 == pytest.approx(d1_ref, rel=1e-12, abs=0.0)
    assert d2 == pytest.approx(d2_ref, rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("u", [-30.0, -12.0, 0.4])
def test_scaled_sigmoid_derivatives_match_jax_on_the_lower_tail(u):
    """On the lower tail JAX autodiff of the sigmoid is exact; the NumPy derivatives (the delta
    method's Jacobian of every scalar fit_loglik parameter) must be as good. (On the upper tail
    JAX's s(1 − s) cancels too: the closed form above is the reference there.)"""
    b = ScaledSigmoid(-1.0, 1.0)
    d1_ref = float(jax.grad(lambda v: -1.0 + 2.0 * jax.nn.sigmoid(v))(jnp.asarray(u)))
    assert b.derivatives(np.float64(u))[0] == pytest.approx(d1_ref, rel=1e-12)


def _poisson(p, x):
    from jax.scipy.special import gammaln

    return x * jnp.log(p["rate"]) - p["rate"] - gammaln(x + 1.0)


@pytest.mark.parametrize("loop_rows", [10**9, 1], ids=["per-call", "compiled-loop"])
def test_an_error_inside_the_newton_loop_reaches_the_caller_as_itself(loop_rows, monkeypatch):
    """An exception raised by the host-side Newton code while the compiled loop runs must reach
    the caller with its own type (not XLA's runtime error wrapping a callback failure), and the
    loop's registry must be emptied; a later fit works."""
    x = np.random.default_rng(3).poisson(3.0, 200).astype(float)
    real = newton.newton_direction
    calls = {"n": 0}

    def failing(g, H, linear=None):
        calls["n"] += 1
        if calls["n"] == 2:
            raise np.linalg.LinAlgError("injected: eigenvalues did not converge")
        return real(g, H, linear)

    monkeypatch.setattr(_kernels, "LOOP_MIN_ROWS", loop_rows)
    monkeypatch.setattr(newton, "newton_direction", failing)
    with pytest.raises(np.linalg.LinAlgError, match="injected"):
        maxlik.fit_loglik(_poisson, x, params={"rate": (1.0, "positive")}, method="newton")
    assert _kernels._ACTIVE == {}
    monkeypatch.setattr(newton, "newton_direction", real)
    r = maxlik.fit_loglik(_poisson, x, params={"rate": (1.0, "positive")}, method="newton")
    assert r.converged and r.params["rate"] == pytest.approx(x.mean(), rel=1e-10)


@pytest.mark.parametrize("numpy_rows", [10**9, -1], ids=["numpy", "jax"])
def test_a_start_where_python_float_formulas_divide_by_zero_is_a_failed_fit_not_a_crash(numpy_rows, monkeypatch):
    """Weibull's NumPy derivatives compute 1/k² in Python floats: at k = 1e-300 that is a
    ZeroDivisionError, where NumPy arrays and the JAX kernel give inf. Either kernel must report
    an unconverged fit (ConvergenceWarning), as JAX autodiff of log_prob does."""
    x = np.random.default_rng(0).gamma(2.5, 1.5, 300)
    monkeypatch.setattr(_kernels, "NUMPY_MAX_ROWS", numpy_rows)
    with pytest.warns(maxlik.ConvergenceWarning):
        r = maxlik.fit(x, "weibull", init={"concentration": 1e-300}, method="newton")
    assert not r.converged


def test_covariance_from_a_hessian_with_entries_near_the_float64_maximum():
    """(H + Hᵀ)/2 overflowed (a RuntimeWarning) for a diagonal entry of 9.9e307, from a Student-t
    fitted to five ties and one other value (fuzz of 2026-12-03, seed 20261209): ½H + ½Hᵀ does not;
    the inverse is the closed-form inverse of the diagonal matrix."""
    from maxlik.inference import covariance_from_hessian

    h = np.diag([3.22597405, 9.93970865e307, 2.0])
    cov, why = covariance_from_hessian(h)
    assert why is None
    np.testing.assert_allclose(np.diag(cov), [1 / 3.22597405, 1 / 9.93970865e307, 0.5], rtol=1e-14)


def test_student_t_on_ties_has_its_covariance_without_overflow():
    """The fuzz's minimal example of the overflow above (five ties and one other value)."""
    import warnings

    x = np.array([-1.78737965, 1.23329624, -1.78737965, -1.78737965, -1.78737965, -1.78737965])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", maxlik.ConvergenceWarning)
        warnings.simplefilter("ignore", maxlik.InferenceWarning)
        try:
            r = maxlik.fit(x, "student_t")
        except maxlik.MaxlikError:
            return
        back = type(r).from_dict(r.to_dict())  # covariance, standard errors and the round trip, no RuntimeWarning
        assert back.params.keys() == r.params.keys()
