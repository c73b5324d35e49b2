"""maxlik.curve._extended_eval: a jaxpr evaluated with np.longdouble, against exact references.

References: Python's ``fractions`` (exact rationals) for + − × ÷, ``decimal`` at 40 digits for exp
and log (correctly rounded there), a known value (π) for atan, and JAX itself for the meaning of
shape operations. Float64 inputs are exact rationals, so each reference is f evaluated exactly on
the same inputs.
"""

from __future__ import annotations

import warnings
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest

import maxlik
from maxlik.curve import _extended_eval as ee
from maxlik._jax import jax, jnp

needs_long_double = pytest.mark.skipif(not ee.AVAILABLE, reason="long double is no wider than float64 on this platform")
EPS = float(np.finfo(np.longdouble).eps)
X = np.array([0.3, 1.7, 2.9, 11.0])
P = np.array([1e5, 3.25, -0.7])


def trace(f):
    return jax.make_jaxpr(f)(jnp.asarray(X), jnp.asarray(P))


def exact(v) -> Fraction:
    return Fraction(*v.as_integer_ratio()) if isinstance(v, np.floating) else Fraction(v)


@needs_long_double
def test_rational_arithmetic_matches_fractions():
    # (x + p0) − p0 cancels 5 digits: float64 keeps ~11 of them, long double ~14
    def f(x, p):
        return ((x + p[0]) - p[0]) * p[1] / (x - p[2]) + x * x

    (out,) = ee.eval_jaxpr(trace(f), X, P)
    assert out.dtype == np.longdouble
    f64 = np.asarray(jax.jit(f)(jnp.asarray(X), jnp.asarray(P)))
    p0, p1, p2 = (exact(v) for v in P)
    err_ext, err_f64 = [], []
    for xi, got, got64 in zip(X, out, f64):
        x = exact(xi)
        ref = ((x + p0) - p0) * p1 / (x - p2) + x * x
        # rounding of ~6 operations, the first relative to |p0| (the cancellation)
        assert abs(exact(got) - ref) <= 8 * EPS * (abs(p0 * p1 / (x - p2)) + abs(ref))
        err_ext.append(abs(exact(got) - ref))
        err_f64.append(abs(exact(got64) - ref))
    assert max(err_f64) > 100 * max(err_ext)  # the test can tell the two precisions apart


@needs_long_double
def test_exp_log_match_decimal_and_atan_gives_pi():
    def f(x, p):
        return jnp.exp(-p[1] * x) + jnp.log(x) * p[1] + jnp.log1p(x) - jnp.expm1(-x) + 4 * jnp.arctan(x / x)

    (out,) = ee.eval_jaxpr(trace(f), X, P)
    pi = Decimal("3.14159265358979323846264338327950288")
    with localcontext() as ctx:
        ctx.prec = 40
        p1 = Decimal(float(P[1]))
        for xi, got in zip(X, out):
            x = Decimal(float(xi))
            ref = (-p1 * x).exp() + x.ln() * p1 + (1 + x).ln() - ((-x).exp() - 1) + pi
            assert abs(exact(got) - exact(ref)) <= 16 * EPS * (abs(exact(ref)) + 10)


@needs_long_double
def test_shapes_reductions_and_nested_calls_mean_what_jax_means():
    m = jnp.array([[1.0, 2.0, 3.0, -1.0], [0.5, -1.0, 2.0, 4.0]])

    def f(x, p):
        y = (m.T @ (m @ x)) * p[1] + jnp.einsum("i,j->ij", x, p).sum(axis=1)
        y = jnp.where(x > p[1], jax.nn.sigmoid(x), jnp.sum(x**2.5) + jnp.maximum(x, 1.0)) + jax.nn.relu(y - 5)
        z = jnp.concatenate([x[:1], x[1:] ** 3]) / p[1] + jnp.flip(x) + jnp.arange(4) * p[2]
        return y + z + jax.checkpoint(jnp.tanh)(x) + jnp.transpose(jnp.outer(x, x)).reshape(-1)[:4] + x[jnp.argmax(x)]

    (out,) = ee.eval_jaxpr(trace(f), X, P)
    ref = np.asarray(jax.jit(f)(jnp.asarray(X), jnp.asarray(P)))
    np.testing.assert_allclose(out.astype(np.float64), ref, rtol=1e-14)


@needs_long_double
def test_extra_digits_of_long_double_inputs_are_used():
    x = np.array(["0.1", "0.2"], dtype=np.longdouble)  # not float64 numbers
    out = ee.call_extended(lambda x, p: x * p[0], x, np.array([3.0]))
    assert out is not None
    assert abs(exact(out[0]) - Fraction(3, 10)) <= 2 * EPS * 0.3  # float64(0.1)·3 is 1.7e-17 off


def test_unsupported_primitive_raises_and_call_extended_returns_none():
    def f(x, p):
        return jax.scipy.special.erf(x) * p[1]

    with pytest.raises(ee.Unsupported, match="erf"):
        ee.eval_jaxpr(trace(f), X, P)
    assert ee.call_extended(f, X, P) is None
    assert ee.call_extended(lambda x, p: x.astype(jnp.float32) * p[1], X, P) is None  # float32 rounding is f's meaning


def test_fit_curve_falls_back_to_float64_without_error(monkeypatch):
    """An unsupported primitive (erf) or a platform without a wider long double: float64 RSS."""
    x = np.linspace(-2.0, 2.0, 30)
    y = 1.5 * np.asarray(jax.scipy.special.erf(0.8 * x)) + 0.01 * np.sin(7 * x)

    def f(p, x):
        return p[0] * jax.scipy.special.erf(p[1] * x)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = maxlik.fit_curve(f, x, y, [1.0, 1.0])
    assert res.converged
    r = y - np.asarray(jax.jit(f)(jnp.asarray(res.coef), jnp.asarray(x)))
    np.testing.assert_allclose(res.rss, r @ r, rtol=1e-12)
    np.testing.assert_allclose(res.residuals, r, rtol=1e-10, atol=1e-15)

    monkeypatch.setattr(ee, "AVAILABLE", False)  # long double == float64: same path as erf above
    assert ee.call_extended(lambda x, p: x * p[0], X, P) is None
