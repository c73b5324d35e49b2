"""Hand a large float64 NumPy array to a compiled JAX function without copying it.

``jax.device_put`` aliases a NumPy buffer on the CPU when its address is 64-byte aligned and
copies it otherwise (``jnp.asarray`` always copies). A copy of 10⁶ values costs about as much as
the reduction it feeds, so :func:`split_aligned` cuts off the (at most 7) leading values that
precede the first aligned address: the caller reduces that head with NumPy and the aligned body
with JAX, in one compiled pass that reads each value once.
"""

from __future__ import annotations

import numpy as np

from ._jax import jax

ALIGNMENT = 64  # bytes
MIN_SIZE = 1 << 16  # below this, NumPy's reductions beat one JAX dispatch


def split_aligned(x: np.ndarray) -> tuple[np.ndarray, jax.Array] | None:
    """(head, body) with ``x = concatenate([head, body])``, ``body`` a JAX array sharing ``x``'s
    memory, or None when ``x`` is too small, not contiguous float64, or not 8-byte aligned."""
    if x.ndim != 1 or x.dtype != np.float64 or x.shape[0] < MIN_SIZE or not x.flags.c_contiguous:
        return None
    address = x.ctypes.data
    if address % 8:
        return None
    head = (-address % ALIGNMENT) // 8
    return x[:head], jax.device_put(x[head:])
