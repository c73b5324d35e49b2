"""The unconstrained coordinate of a spherical covariance σ²·I: log σ² with its dimension."""

from __future__ import annotations

import numpy as np

from ._base import jax


class SphericalLogVariance:
    """log σ² of a spherical covariance σ²·I together with its dimension d: a pytree with one
    leaf (the free parameter) and d as static data, so flattening, Hessians and the inverse
    transform all know d without the family remembering it. (Registered with JAX when the
    first one is made, so that importing this module does not import JAX.)"""

    _registered = False

    def __init__(self, log_var, dim: int):
        if not SphericalLogVariance._registered:
            jax.tree_util.register_pytree_node_class(SphericalLogVariance)
            SphericalLogVariance._registered = True
        self.log_var, self.dim = log_var, int(dim)

    def tree_flatten(self):
        return (self.log_var,), self.dim

    @classmethod
    def tree_unflatten(cls, dim, leaves):
        return cls(leaves[0], dim)

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.log_var, dtype=dtype)
