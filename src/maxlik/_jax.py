"""JAX set-up shared by every module: 64-bit floats unless the user opted out.

Importing maxlik turns on JAX's ``jax_enable_x64`` flag for the whole process, because the
closed-form checks against NIST certified values and the observed-information Hessians need
float64. This is a process-wide JAX setting: arrays that *your* code creates afterwards default
to float64 as well. Set the environment variable ``MAXLIK_X64=0`` before importing maxlik to
leave JAX's flag as you configured it; maxlik then computes in whatever precision JAX is set to
(float32 by default), which loses about 8 significant digits.

Compiled kernels are kept in a persistent cache on disk, so that a second process reuses what a
first one compiled (a first numerical fit in a new process then skips most of its compile time).
The cache lives in ``$XDG_CACHE_HOME/maxlik/jax`` (default ``~/.cache/maxlik/jax``);
``MAXLIK_CACHE_DIR=/some/dir`` moves it and ``MAXLIK_CACHE_DIR=off`` turns it off. A cache that
JAX is already configured with (``JAX_COMPILATION_CACHE_DIR`` or ``jax.config``) is left alone,
and a directory that cannot be created just means no cache.
"""

from __future__ import annotations

import os

import jax

if os.environ.get("MAXLIK_X64", "1") != "0":
    jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402  (after the flag, so jnp defaults follow it)

CACHE_ENV = "MAXLIK_CACHE_DIR"


def cache_dir() -> str | None:
    """Where compiled kernels are cached (None: no cache), from ``MAXLIK_CACHE_DIR`` or the default."""
    setting = os.environ.get(CACHE_ENV)
    if setting is not None and setting.strip().lower() in ("", "0", "off", "none", "false"):
        return None
    if setting:
        return os.path.expanduser(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "maxlik", "jax")


def _use_persistent_cache() -> None:
    if jax.config.jax_compilation_cache_dir:  # the user configured JAX's cache: theirs wins
        return
    path = cache_dir()
    if path is None:
        return
    try:
        os.makedirs(path, exist_ok=True)
    except OSError:
        return
    jax.config.update("jax_compilation_cache_dir", path)
    # every kernel, however quick to compile: a first fit compiles a few of ~0.05-0.3 s each, and
    # a threshold near those times would cache them in one process and not in the next
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)


_use_persistent_cache()

__all__ = ["jax", "jnp", "cache_dir"]
