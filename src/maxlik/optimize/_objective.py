"""The objective every optimizer minimises: the weighted mean NLL in unconstrained space.

For a family with free parameters θ = T(u) (T: each constraint's bijection, u ∈ ℝᵖ flattened
in sorted-name order, the order of :func:`jax.flatten_util.ravel_pytree`) and fixed values φ:

    f(u) = −(1/W) Σₙ wₙ log p(xₙ | T(u), φ),      W = Σₙ wₙ.

Dividing by W keeps the gradient tolerance independent of the sample size; the NLL reported
to users is W·f. Observations with weight 0 contribute nothing even where log p = −∞.
"""

from __future__ import annotations

import numpy as np

from .._xp import jax, jnp


class Objective:
    """Builds the flat unconstrained objective for a family and a set of free parameters.

    ``free_shapes``: tuple of (name, shape) of the free parameters (constrained shapes).
    """

    def __init__(self, family, free_shapes: tuple):
        self.family = family
        self.free_shapes = free_shapes
        # (name, unconstrained shape, size) in sorted-name order: ravel_pytree's layout, built
        # without running JAX operations eagerly (each would compile a small program)
        self._layout = [(k, shape, int(np.prod(shape, dtype=int)))
                        for k, shape in ((k, family_unconstrained_shape(family, k, s)) for k, s in sorted(free_shapes))]
        self.size = sum(size for _, _, size in self._layout)

    def unravel(self, u_flat) -> dict:
        """Flat unconstrained vector -> {name: array of its unconstrained shape}."""
        out, i = {}, 0
        for name, shape, size in self._layout:
            out[name] = u_flat[i:i + size].reshape(shape)
            i += size
        return out

    def params(self, u_flat, fixed: dict) -> dict:
        """Constrained parameter dict (free from u, plus the fixed values)."""
        p = dict(self.family.from_unconstrained(self.unravel(u_flat))) if self.size else {}
        p.update(fixed)
        return p

    def constrained_flat(self, u_flat):
        """Free constrained parameters, flattened in sorted-name order (for the delta method)."""
        if not self.size:
            return jnp.zeros(0)
        from jax.flatten_util import ravel_pytree

        return ravel_pytree(self.family.from_unconstrained(self.unravel(u_flat)))[0]

    def mean_nll(self, u_flat, data, w, fixed, total_weight):
        lp = self.family.log_prob(self.params(u_flat, fixed), data)
        return -jnp.sum(jnp.where(w > 0, w * lp, 0.0)) / total_weight


def row_weights(data, w, n_valid, dtype):
    """The weights of the (padded) rows inside a traced function: ``w`` itself, or for an
    unweighted fit 1 on the real rows and 0 on the padding (index >= n_valid)."""
    if w is not None:
        return w
    rows = jax.tree_util.tree_leaves(data)[0].shape[0]
    return (jnp.arange(rows) < n_valid).astype(dtype)


def family_unconstrained_shape(family, name: str, shape: tuple) -> tuple:
    from ..transforms import bijection_for

    return tuple(bijection_for(family.param(name).constraint).unconstrained_shape(tuple(shape)))


def flatten_start(family, free_params: dict) -> np.ndarray:
    """Start values (constrained) -> flat unconstrained numpy vector: each name's unconstrained
    array raveled row-major, names in sorted order (the order of ``ravel_pytree``)."""
    if not free_params:
        return np.zeros(0)
    u = family.to_unconstrained({k: np.asarray(v, dtype=float) for k, v in free_params.items()})
    return np.concatenate([np.ravel(np.asarray(u[k], dtype=float)) for k in sorted(u)])


def value_grad_hess(f):
    """u -> (f(u), ∇f(u), ∇²f(u)) in one forward-over-reverse pass over the data (JAX)."""

    def g_aux(u):
        v, g = jax.value_and_grad(f)(u)
        return g, (v, g)

    def vgh(u):
        H, (v, g) = jax.jacfwd(g_aux, has_aux=True)(u)
        return v, g, 0.5 * H + 0.5 * H.T  # (H + Hᵀ)/2 would overflow at entries beyond 9e307

    return vgh


def pad_rows(data, n: int, w):
    """Pad the rows to the next power of two (at least 16) with copies of row 0 at weight 0, so
    that data sets of similar size share one compiled solver (fewer JAX compilations).
    ``w``: (n,) numpy weights or None (unweighted; the solver then masks rows >= n)."""
    size = max(16, 1 << (n - 1).bit_length())
    if size == n:
        return data, w

    def pad(leaf):
        leaf = np.asarray(leaf)
        return np.concatenate([leaf, np.repeat(leaf[:1], size - n, axis=0)], axis=0)

    padded = pad(data) if isinstance(data, np.ndarray) else jax.tree_util.tree_map(pad, data)
    return padded, None if w is None else np.concatenate([w, np.zeros(size - n)])


def n_rows(data) -> int:
    """Rows of an array, or of the first leaf of a pytree of arrays (``fit_loglik`` data)."""
    if isinstance(data, np.ndarray):
        return int(data.shape[0])
    if hasattr(data, "total_weight"):  # a Streamed data set (see ._stream_kernel)
        return data.n
    return int(jax.tree_util.tree_leaves(data)[0].shape[0])
