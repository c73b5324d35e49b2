"""Student's t on a few values: a likelihood with two maxima (one at small df, near the Cauchy;
one towards the Normal, df → ∞). The fit starts from df = 5 and from Cauchy-like starts (df = 1,
scale IQR/2 and the median absolute deviation) and keeps the best, so it reaches SciPy's maximum
where SciPy finds one, and integer weights reach what repeated rows reach (the starts use the
same quantile definition with and without weights). The data are the minimal examples the
property suite (tests/properties) found before this was fixed (issue #16)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.stats as st

import maxlik
from maxlik.status import Status

SEVEN = np.array([0.44785559, -2.82227455, -4.17267031, -0.69128561, -0.3290159, -0.03759641, 0.47892977])
SIX = np.array([0.09918261, 3.60362432, 0.02275575, -0.06136176, -0.42731515, -0.96918645])


def _fit(x, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", maxlik.InferenceWarning)
        return maxlik.fit(x, "student_t", **kw)


def _scipy_loglik(x):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        p = st.t.fit(x)
    return p, float(np.sum(st.t.logpdf(x, *p)))


def test_the_small_df_maximum_is_found():
    # SciPy: df = 1.22, ℓ = -13.411; before: "converged" at df = 4.3e8, ℓ = -13.453
    (df, loc, scale), theirs = _scipy_loglik(SEVEN)
    r = _fit(SEVEN)
    assert r.converged and r.params["df"] == pytest.approx(df, rel=1e-3)
    assert r.loglik >= theirs - 1e-9


@pytest.mark.parametrize("w", [[2, 1, 2, 2, 2, 3], [0, 0, 4, 3, 2, 3]])
def test_integer_weights_reach_the_maximum_of_repeated_rows(w):
    w = np.asarray(w, dtype=float)
    repeated = np.repeat(SIX, w.astype(int))
    a, b = _fit(SIX, weights=w), _fit(repeated)
    _, theirs = _scipy_loglik(repeated)
    assert a.status is b.status is Status.CONVERGED
    for k in ("df", "loc", "scale"):
        assert a.params[k] == pytest.approx(b.params[k], rel=1e-7)
    assert a.loglik == pytest.approx(b.loglik, rel=1e-10)
    assert b.loglik >= theirs - 1e-9  # before: df = ∞ (boundary) at ℓ = -6.149 where SciPy has -6.055


def test_two_values_run_to_the_normal_limit():
    # ℓ rises with df on two values: the supremum is the Normal's (before: "converged" at df ≈ 1e8)
    x = np.array([5.37915371, 0.41243981])
    r = _fit(x)
    normal = maxlik.fit(x, "normal")
    assert r.status is Status.BOUNDARY and r.params["df"] == np.inf
    assert r.loglik == pytest.approx(normal.loglik, rel=1e-12)


@pytest.mark.parametrize("df", [60.0, 1e3, 1e8, 1e15])
def test_log_prob_keeps_its_digits_at_large_df(df):
    # the JAX log-density (autodiff, the JAX kernel, the property suite's sums) against the NumPy
    # one (log Γ differences by Taylor series, families._derivatives.shift_diff) and, at 1e15, the
    # Normal's: the plain lgamma difference lost 3e-5 nats per row at df = 1e8
    import jax.numpy as jnp

    fam, x = maxlik.StudentT(), np.linspace(-4.0, 4.0, 9)
    params = {"df": df, "loc": 0.3, "scale": 1.7}
    ours = np.asarray(fam.log_prob({k: jnp.asarray(v) for k, v in params.items()}, jnp.asarray(x)))
    numpy_lp = fam.log_prob_derivatives(params, x)[0]
    np.testing.assert_allclose(ours, numpy_lp, rtol=0, atol=1e-14)
    if df == 1e15:
        np.testing.assert_allclose(ours, st.norm.logpdf(x, 0.3, 1.7), rtol=0, atol=1e-13)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_finite_df_fit_is_scale_equivariant_far_from_1(seed):
    # t(8.7) data, n = 1000: at b ≈ 2e24 the fit once stopped at its start and reported df → ∞
    x = np.random.default_rng(seed).standard_t(8.7, 1000)
    a = _fit(x)
    for b in (2e24, 1e-24, 1e100):
        r = _fit(x * b)
        assert r.status is a.status is Status.CONVERGED
        assert r.params["df"] == pytest.approx(a.params["df"], rel=1e-6)
        assert r.params["scale"] == pytest.approx(b * a.params["scale"], rel=1e-6)
        assert r.params["loc"] == pytest.approx(b * a.params["loc"], rel=1e-6, abs=1e-6 * b * a.params["scale"])
