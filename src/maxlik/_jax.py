"""JAX set-up shared by every module: 64-bit floats unless the user opted out.

Importing maxlik turns on JAX's ``jax_enable_x64`` flag for the whole process, because the
closed-form checks against NIST certified values and the observed-information Hessians need
float64. This is a process-wide JAX setting: arrays that *your* code creates afterwards default
to float64 as well. Set the environment variable ``MAXLIK_X64=0`` before importing maxlik to
leave JAX's flag as you configured it; maxlik then computes in whatever precision JAX is set to
(float32 by default), which loses about 8 significant digits.
"""

from __future__ import annotations

import os

import jax

if os.environ.get("MAXLIK_X64", "1") != "0":
    jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402  (after the flag, so jnp defaults follow it)

__all__ = ["jax", "jnp"]
