"""A second fit of the same family and a similar data size reuses the compiled solver: no new
trace, no new compilation (issue #11, item 4). Counted from JAX's own compile log."""

from __future__ import annotations

import logging

import numpy as np
import pytest

import maxlik
from maxlik._jax import jax, jnp


@pytest.fixture
def compile_log(caplog):
    jax.config.update("jax_log_compiles", True)
    caplog.set_level(logging.WARNING, logger="jax")
    try:
        yield caplog
    finally:
        jax.config.update("jax_log_compiles", False)


def _solver_compiles(records) -> int:
    return sum("solve" in r.getMessage() and "ompil" in r.getMessage() for r in records)


@pytest.mark.parametrize("family", ["weibull", "student_t"])
def test_second_fit_of_a_similar_size_does_not_compile_again(family, compile_log):
    rng = np.random.default_rng(5)
    draw = (lambda n: rng.weibull(1.5, n)) if family == "weibull" else (lambda n: rng.standard_t(4.0, n))
    maxlik.fit(draw(300), family)  # may compile (first use in this process)
    compile_log.clear()
    r = maxlik.fit(draw(310), family)  # same power-of-two bucket of rows (512), other values
    assert r.converged
    assert _solver_compiles(compile_log.records) == 0, [rec.getMessage() for rec in compile_log.records]


def test_the_compile_log_is_seen(compile_log):
    # the counter above must be able to see a compilation: a log-density defined here is new to
    # this process, so its solver is traced and compiled
    x = np.random.default_rng(6).exponential(2.0, 200)
    maxlik.fit_loglik(lambda p, x: jnp.log(p["rate"]) - p["rate"] * x, x, {"rate": (1.0, "positive")})
    assert _solver_compiles(compile_log.records) >= 1
