"""Bijections from unconstrained space onto each constraint's domain.

Numerical MLE always optimises over unconstrained real vectors ``u`` and maps them onto the
parameter domain with ``forward`` (never by penalising values outside the support). The same
maps carry the covariance of ``u`` back to the parameters (delta method, ``jax.jacobian`` of
``forward``).

| constraint          | forward(u)                              | unconstrained shape   |
|---------------------|-----------------------------------------|-----------------------|
| real                | u                                       | same                  |
| positive / > a      | a + exp(u)                              | same                  |
| (a, b)              | a + (b - a) * sigmoid(u)                | same                  |
| simplex (K,)        | softmax([u, 0])                         | (K - 1,)              |
| positive_definite   | L Lᵀ, L lower-triangular, diag = exp(.) | (D (D + 1) / 2,)      |
"""

from __future__ import annotations

import numpy as np

from . import constraints as C
from ._xp import jax, jnp, namespace
from .errors import ParameterError


class Bijection:
    """forward: u -> θ;  inverse: θ -> u;  a scalar bijection also has ``derivatives(u) ->
    (T'(u), T''(u))`` for the NumPy Newton kernel (:mod:`maxlik.optimize._kernels`)."""

    def forward(self, u):
        raise NotImplementedError

    def inverse(self, value):
        raise NotImplementedError

    def unconstrained_shape(self, shape: tuple) -> tuple:
        return shape


class Identity(Bijection):
    def forward(self, u):
        return u

    def inverse(self, value):
        return namespace(value).asarray(value)

    def derivatives(self, u):
        """(T'(u), T''(u)) in NumPy, elementwise for an array u (here constants, broadcast)."""
        return 1.0, 0.0


class ShiftedExp(Bijection):
    def __init__(self, lower: float = 0.0):
        self.lower = lower

    def forward(self, u):
        return self.lower + namespace(u).exp(u)

    def inverse(self, value):
        xp = namespace(value)
        return xp.log(xp.asarray(value) - self.lower)

    def derivatives(self, u):
        e = np.exp(np.asarray(u, dtype=float))
        return e, e


class ScaledSigmoid(Bijection):
    def __init__(self, lower: float, upper: float):
        self.lower, self.upper = lower, upper

    @staticmethod
    def _sigmoids(u):
        """(σ(u), σ(−u) = 1 − σ(u)) in NumPy, each without overflow or cancellation."""
        u = np.asarray(u, dtype=float)
        e = np.exp(-np.abs(u))
        big, small = 1.0 / (1.0 + e), e / (1.0 + e)
        return np.where(u >= 0, big, small), np.where(u >= 0, small, big)

    def forward(self, u):
        s = self._sigmoids(u)[0] if namespace(u) is np else jax.nn.sigmoid(u)
        return self.lower + (self.upper - self.lower) * s

    def inverse(self, value):
        xp = namespace(value)
        p = (xp.asarray(value) - self.lower) / (self.upper - self.lower)
        return xp.log(p) - xp.log1p(-p)

    def derivatives(self, u):
        # σ and 1 − σ from e^(−|u|), not from T(u) − lower (which cancels in the tails)
        s, r = self._sigmoids(u)
        d = (self.upper - self.lower) * s * r
        return d, d * (r - s)


class SoftmaxCentered(Bijection):
    """Simplex of K entries from K - 1 free log-ratios (last category is the reference)."""

    def forward(self, u):
        z = jnp.concatenate([u, jnp.zeros(u.shape[:-1] + (1,), u.dtype)], axis=-1)
        return jax.nn.softmax(z, axis=-1)

    def inverse(self, value):
        logp = jnp.log(jnp.asarray(value))
        return logp[..., :-1] - logp[..., -1:]

    def unconstrained_shape(self, shape):
        return shape[:-1] + (shape[-1] - 1,)


class CholeskyLogDiag(Bijection):
    """Positive-definite D x D matrix from the D (D + 1) / 2 entries of its Cholesky factor,
    with the diagonal on the log scale."""

    @staticmethod
    def _dim(m: int) -> int:
        return int(round((np.sqrt(8 * m + 1) - 1) / 2))

    def forward(self, u):
        d = self._dim(u.shape[-1])
        rows, cols = np.tril_indices(d)
        L = jnp.zeros(u.shape[:-1] + (d, d), u.dtype).at[..., rows, cols].set(u)
        diag = jnp.exp(jnp.diagonal(L, axis1=-2, axis2=-1))
        L = L.at[..., np.arange(d), np.arange(d)].set(diag)
        return L @ jnp.swapaxes(L, -1, -2)

    def inverse(self, value):
        L = jnp.linalg.cholesky(jnp.asarray(value))
        d = L.shape[-1]
        L = L.at[..., np.arange(d), np.arange(d)].set(jnp.log(jnp.diagonal(L, axis1=-2, axis2=-1)))
        rows, cols = np.tril_indices(d)
        return L[..., rows, cols]

    def unconstrained_shape(self, shape):
        d = shape[-1]
        return shape[:-2] + (d * (d + 1) // 2,)


def bijection_for(constraint: C.Constraint) -> Bijection:
    """The registered bijection onto ``constraint``'s domain."""
    if isinstance(constraint, C._Real):
        return Identity()
    if isinstance(constraint, C.GreaterThan):
        return ShiftedExp(constraint.lower)
    if isinstance(constraint, C.Interval):
        return ScaledSigmoid(constraint.lower, constraint.upper)
    if isinstance(constraint, C._Simplex):
        return SoftmaxCentered()
    if isinstance(constraint, C._PositiveDefinite):
        return CholeskyLogDiag()
    raise ParameterError(
        f"transforms: no bijection is registered for constraint {constraint!r}; "
        "parameters fitted numerically must be real, positive, greater_than, interval, simplex "
        "or positive_definite."
    )
