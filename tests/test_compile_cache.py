"""The persistent compilation cache: on by default, moved or turned off by MAXLIK_CACHE_DIR, and a
second process that reuses the first one's kernels gets the same fit (issue #11)."""

from __future__ import annotations

import os
import subprocess
import sys

# a fit that compiles JAX kernels (a fit_loglik model; the built-in scalar families fit small data
# in NumPy and compile nothing)
FIT = ("import numpy as np, maxlik\n"
       "from maxlik._jax import jnp\n"
       "x = np.random.default_rng(0).weibull(1.5, 300)\n"
       "def log_prob(p, x):\n"
       "    k, lam = p['k'], p['lam']\n"
       "    return jnp.log(k / lam) + (k - 1) * jnp.log(x / lam) - (x / lam) ** k\n"
       "r = maxlik.fit_loglik(log_prob, x, {'k': (1.0, 'positive'), 'lam': (1.0, 'positive')})\n"
       "print(repr(r.params['k']), repr(r.params['lam']), repr(float(r.stderr['lam'])))")


def _run(code: str, cache) -> str:
    env = {**os.environ, "MAXLIK_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout


def test_second_process_reuses_the_cache_and_gets_the_same_fit(tmp_path):
    first = _run(FIT, tmp_path)
    entries = sorted(os.listdir(tmp_path))
    assert entries, "a numerical fit must leave compiled kernels in the cache directory"
    assert _run(FIT, tmp_path) == first  # bit-identical estimates and standard errors from cached kernels
    assert sorted(os.listdir(tmp_path)) == entries  # nothing had to be compiled again


def test_cache_can_be_turned_off_and_moved(tmp_path):
    show = "import maxlik._jax as j\nprint(j.cache_dir(), j.jax.config.jax_compilation_cache_dir)"
    assert _run(show, "off").split() == ["None", "None"]
    assert _run(show, tmp_path / "elsewhere").split() == [str(tmp_path / "elsewhere")] * 2
    assert (tmp_path / "elsewhere").is_dir()


def test_default_cache_is_under_the_user_cache_directory(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "MAXLIK_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    out = subprocess.run([sys.executable, "-c", "import maxlik._jax as j; print(j.cache_dir())"],
                         capture_output=True, text=True, check=True, env=env).stdout.strip()
    assert out == str(tmp_path / "maxlik" / "jax")
