"""The Newton solver's three derivative kernels reach the same fit (issue #11).

* NumPy: the family's own formulas (``log_prob_derivatives``), small data, no JAX;
* JAX per call: autodiff of ``log_prob``, one jitted pass per evaluation;
* JAX loop: the same pass inside one compiled loop with a callback (large data).

The reference for each is another kernel on the same data: the derivatives are independent
(hand-written formulas vs autodiff), and the two JAX drivers run different programs.
"""

from __future__ import annotations

import numpy as np
import pytest

import maxlik
from maxlik._jax import jnp
from maxlik.optimize import _kernels

SAMPLES = {
    "weibull": lambda rng, n: rng.weibull(1.7, n) * 2.5,
    "beta": lambda rng, n: rng.beta(2.0, 5.0, n),
    "cauchy": lambda rng, n: 1.0 + 2.0 * rng.standard_cauchy(n),
    "gumbel": lambda rng, n: rng.gumbel(1.0, 2.0, n),
    "logistic": lambda rng, n: rng.logistic(-1.0, 0.5, n),
    "student_t": lambda rng, n: 0.5 + 1.5 * rng.standard_t(5.0, n),
    "negative_binomial": lambda rng, n: rng.negative_binomial(3.0, 0.4, n).astype(float),
    "von_mises": lambda rng, n: rng.vonmises(0.5, 2.0, n),
    # threshold forms: fitted through the gap family, whose derivatives are theirs
    "weibull3": lambda rng, n: 3.0 + 2.0 * rng.weibull(2.5, n),
    "gamma3": lambda rng, n: 1.0 + rng.gamma(3.0, 0.5, n),
    "lognormal3": lambda rng, n: -2.0 + rng.lognormal(0.5, 0.4, n),
}


def _derivative_families():
    from maxlik.families import Family

    return [name for name, cls in sorted(maxlik.family_names().items())
            if cls.log_prob_derivatives is not Family.log_prob_derivatives]


def _fit(x, family, monkeypatch, numpy_rows, loop_rows, **kw):
    with monkeypatch.context() as m:
        m.setattr(_kernels, "NUMPY_MAX_ROWS", numpy_rows)
        m.setattr(_kernels, "LOOP_MIN_ROWS", loop_rows)
        r = maxlik.fit(x, family, method="newton", **kw)
        return r, r.stderr


def test_every_family_with_derivatives_has_a_sample_here():
    # the parametrisation below then covers each of them (and is never empty)
    assert sorted(_derivative_families()) == sorted(SAMPLES)


@pytest.mark.parametrize("family", _derivative_families())
@pytest.mark.parametrize("weighted", [False, True])
def test_numpy_and_jax_kernels_reach_the_same_fit(family, weighted, monkeypatch):
    rng = np.random.default_rng(11)
    x = SAMPLES[family](rng, 400)
    kw = {"weights": rng.uniform(0.0, 2.0, 400)} if weighted else {}
    ours, se = _fit(x, family, monkeypatch, 10**9, 10**9, **kw)  # NumPy formulas
    ref, se_ref = _fit(x, family, monkeypatch, -1, 10**9, **kw)  # JAX autodiff
    assert ours.converged and ref.converged
    for k in ref.params:
        assert ours.params[k] == pytest.approx(ref.params[k], rel=1e-7, abs=1e-9), k
        assert se[k] == pytest.approx(se_ref[k], rel=1e-6), k
    assert ours.loglik == pytest.approx(ref.loglik, rel=1e-12, abs=1e-9)


def test_numpy_kernel_honours_fixed_parameters(monkeypatch):
    x = SAMPLES["weibull"](np.random.default_rng(2), 300)
    ours, se = _fit(x, "weibull", monkeypatch, 10**9, 10**9, fixed={"concentration": 1.5})
    ref, se_ref = _fit(x, "weibull", monkeypatch, -1, 10**9, fixed={"concentration": 1.5})
    assert ours.params["concentration"] == 1.5 and "concentration" not in se
    assert ours.params["scale"] == pytest.approx(ref.params["scale"], rel=1e-9)
    assert se["scale"] == pytest.approx(se_ref["scale"], rel=1e-7)
    # with k fixed the MLE of the scale is closed form: λ = (mean x^k)^(1/k)
    assert ours.params["scale"] == pytest.approx(np.mean(x**1.5) ** (1 / 1.5), rel=1e-9)


@pytest.mark.parametrize("weighted", [False, True])
def test_compiled_loop_and_per_call_passes_reach_the_same_fit(weighted, monkeypatch):
    rng = np.random.default_rng(3)
    y = np.where(rng.random(3000) < 0.3, 0, rng.poisson(2.5, 3000)).astype(float)
    w = rng.uniform(0.5, 1.5, 3000) if weighted else None

    def zip_log_prob(p, y):
        from jax.scipy.special import gammaln

        log_pois = y * jnp.log(p["rate"]) - p["rate"] - gammaln(y + 1.0)
        zero = jnp.logaddexp(jnp.log(p["pi"]), jnp.log1p(-p["pi"]) - p["rate"])
        return jnp.where(y == 0, zero, jnp.log1p(-p["pi"]) + log_pois)

    params = {"rate": (1.0, "positive"), "pi": (0.5, "unit_interval")}
    fits = []
    for loop_rows in (10**9, 0):  # per call, then inside the compiled loop
        with monkeypatch.context() as m:
            m.setattr(_kernels, "LOOP_MIN_ROWS", loop_rows)
            r = maxlik.fit_loglik(zip_log_prob, y, params, weights=w)
            fits.append((r, r.stderr))
    (a, se_a), (b, se_b) = fits
    assert a.converged and b.converged and a.n_iter == b.n_iter
    for k in a.params:
        assert a.params[k] == pytest.approx(b.params[k], rel=1e-12), k
        assert se_a[k] == pytest.approx(se_b[k], rel=1e-9), k
    assert not _kernels._ACTIVE  # every driven generator was let go


def test_small_numerical_fit_with_derivatives_loads_no_jax():
    import subprocess
    import sys

    code = ("import numpy as np, maxlik, sys\n"
            "r = maxlik.fit(np.random.default_rng(0).weibull(1.5, 254), 'weibull')\n"
            "r.stderr, r.conf_int(), r.aic, r.summary(), maxlik.fit(np.arange(1.0, 30.0), 'weibull', n_init=3, seed=0)\n"
            "print('jax' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
