"""log P(a < X ≤ b): maxlik.families.intervals.log_prob_between, the one function behind the
censored likelihood's interval rows and the truncated family's window. References: scipy.stats'
logsf / logcdf (exact in the tails) combined as log S(a) + log(−expm1(log S(b) − log S(a))), and
for the body of the distribution plain log(F(b) − F(a)); JAX autodiff for gradient finiteness."""

import numpy as np
import pytest
import scipy.stats

import maxlik
from maxlik.families.intervals import log_prob_between


def _tail_reference(logsf_a, logsf_b):
    return logsf_a + np.log(-np.expm1(logsf_b - logsf_a))


@pytest.mark.parametrize("a, b", [(38.0, 38.5), (40.0, 41.0), (39.0, 60.0)])
def test_normal_deep_right_tail_where_both_log_sf_are_below_minus_700(a, b):
    n = scipy.stats.norm
    assert n.logsf(a) < -700 and n.logsf(b) < -700
    got = float(log_prob_between(maxlik.Normal(), {"loc": 0.0, "scale": 1.0}, np.float64(a), np.float64(b)))
    assert got == pytest.approx(_tail_reference(n.logsf(a), n.logsf(b)), rel=1e-12)


def test_normal_deep_left_tail_and_body():
    n = scipy.stats.norm
    a, b = np.array([-41.0, -0.5, -3.0]), np.array([-40.0, 0.25, 2.0])
    got = log_prob_between(maxlik.Normal(), {"loc": 0.0, "scale": 1.0}, a, b)
    want = [_tail_reference(n.logcdf(b[0]), n.logcdf(a[0])), np.log(n.cdf(b[1]) - n.cdf(a[1])),
            np.log(n.cdf(b[2]) - n.cdf(a[2]))]
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_weibull_and_gamma_deep_right_tails():
    w = scipy.stats.weibull_min(1.5, scale=2.0)
    a, b = 300.0, 310.0  # log S ≈ −(150)^1.5 ≈ −1837
    assert w.logsf(a) < -700
    got = float(log_prob_between(maxlik.Weibull(), {"concentration": 1.5, "scale": 2.0}, np.float64(a), np.float64(b)))
    assert got == pytest.approx(_tail_reference(w.logsf(a), w.logsf(b)), rel=1e-12)
    # gamma with integer shape 3 (scipy's logsf underflows here): S(x) = e^(−λx) (1 + λx + (λx)²/2)
    def gamma3_logsf(x, lam=2.0):
        return -lam * x + np.log1p(lam * x + 0.5 * (lam * x) ** 2)

    a, b = 400.0, 420.0  # log S ≈ −788
    assert gamma3_logsf(a) < -700
    got = float(log_prob_between(maxlik.Gamma(), {"concentration": 3.0, "rate": 2.0}, np.float64(a), np.float64(b)))
    assert got == pytest.approx(_tail_reference(gamma3_logsf(a), gamma3_logsf(b)), rel=1e-8)


def test_mask_keeps_gradients_finite_on_unused_rows():
    import jax
    import jax.numpy as jnp

    fam = maxlik.Normal()
    a = jnp.asarray([40.0, 1.0, -2.0])
    b = jnp.asarray([41.0, 1.0, 0.5])  # row 1: a == b (log P = −inf), not used
    mask = jnp.asarray([True, False, True])

    def total(loc):
        lp = log_prob_between(fam, {"loc": loc, "scale": jnp.asarray(1.0)}, a, b, mask=mask)
        return jnp.sum(jnp.where(mask, lp, 0.0))

    g = jax.grad(total)(jnp.asarray(0.0))
    assert np.isfinite(float(g))
    # d/dloc log P(a < X ≤ b) = (φ(a) − φ(b)) / P on each used row (row 0 in log space)
    n = scipy.stats.norm
    want = (n.pdf(-2.0) - n.pdf(0.5)) / (n.cdf(0.5) - n.cdf(-2.0))
    log_p0 = _tail_reference(n.logsf(40.0), n.logsf(41.0))
    want += np.exp(n.logpdf(40.0) - log_p0) - np.exp(n.logpdf(41.0) - log_p0)
    assert float(g) == pytest.approx(want, rel=1e-8)
