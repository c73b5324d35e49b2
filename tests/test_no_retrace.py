"""A second fit of the same family and a similar data size reuses the compiled kernels: no new
trace, no new compilation (issue #11, item 4). Counted from JAX's own compile log."""

from __future__ import annotations

import logging

import numpy as np
import pytest

import maxlik
from maxlik._jax import jax, jnp
from maxlik.optimize import _kernels


@pytest.fixture
def compile_log(caplog):
    jax.config.update("jax_log_compiles", True)
    caplog.set_level(logging.WARNING, logger="jax")
    try:
        yield caplog
    finally:
        jax.config.update("jax_log_compiles", False)


def _compiles(records) -> list[str]:
    """Every trace and every compilation JAX logged (a retrace shows even when it compiles nothing)."""
    return [r.getMessage() for r in records if r.getMessage().startswith(("Compiling ", "Finished tracing"))]


@pytest.fixture
def jax_kernel_only(monkeypatch):
    """Send every Newton fit through the JAX kernel (as for data beyond NUMPY_MAX_ROWS)."""
    monkeypatch.setattr(_kernels, "NUMPY_MAX_ROWS", -1)


@pytest.mark.parametrize("family", ["weibull", "student_t"])
def test_second_fit_of_a_similar_size_does_not_compile_again(family, compile_log, jax_kernel_only):
    rng = np.random.default_rng(5)
    draw = (lambda n: rng.weibull(1.5, n)) if family == "weibull" else (lambda n: rng.standard_t(4.0, n))
    maxlik.fit(draw(300), family)  # may compile (first use in this process)
    compile_log.clear()
    r = maxlik.fit(draw(310), family, n_init=2, seed=1, tol=1e-9)  # same bucket (512 rows), new starts and tol
    assert r.converged
    r.stderr
    assert _compiles(compile_log.records) == []


@pytest.mark.parametrize("second_size", [200, 220])
def test_second_fit_loglik_does_not_compile_again(second_size, compile_log):
    def loglik(p, x):
        return jnp.log(p["rate"]) - p["rate"] * x

    rng = np.random.default_rng(7)
    maxlik.fit_loglik(loglik, rng.exponential(2.0, 200), {"rate": (1.0, "positive")})
    compile_log.clear()
    r = maxlik.fit_loglik(loglik, rng.exponential(3.0, second_size), {"rate": (0.5, "positive")})
    assert r.converged
    seen = _compiles(compile_log.records)
    if second_size != 200:
        # a new row count (same bucket) re-checks the user's function's output shape, a 2 ms
        # abstract trace of it (jax.eval_shape); maxlik's kernels are neither traced nor compiled
        seen = [m for m in seen if m != "" and not m.startswith("Finished tracing loglik ")]
    assert seen == []


def test_the_compile_log_is_seen(compile_log):
    # the counter above must be able to see a compilation: a log-density defined here is new to
    # this process, so its kernels are traced and compiled
    x = np.random.default_rng(6).exponential(2.0, 200)
    maxlik.fit_loglik(lambda p, x: jnp.log(p["rate"]) - p["rate"] * x, x, {"rate": (1.0, "positive")})
    assert len(_compiles(compile_log.records)) >= 1
