"""Derivative kernels: the mean NLL, its gradient and Hessian in unconstrained coordinates.

The Newton loop (:mod:`.newton`) is the same for every fit; what it calls differs:

* :class:`NumpyKernel` — for a family that writes out its derivatives
  (:meth:`maxlik.families.Family.log_prob_derivatives`) and has scalar parameters only, on data
  of up to :data:`NUMPY_MAX_ROWS` rows: plain NumPy, so a first fit loads no JAX and compiles
  nothing. With θⱼ = Tⱼ(uⱼ) (each constraint's bijection), the chain rule gives

      ∂f/∂uⱼ = ∂f/∂θⱼ · Tⱼ'(uⱼ)
      ∂²f/∂uⱼ∂uₖ = Tⱼ'(uⱼ) ∂²f/∂θⱼ∂θₖ Tₖ'(uₖ) + δⱼₖ ∂f/∂θⱼ · Tⱼ''(uⱼ)

  where f(θ) = −(1/W) Σₙ wₙ log p(xₙ | θ).

* :class:`JaxKernel` — any family or ``fit_loglik`` model: value, gradient and Hessian in one
  jitted forward-over-reverse pass, compiled once per process and row bucket (data padded to a
  power of two of rows with zero weights) and kept in the persistent compilation cache across
  processes. From :data:`LOOP_MIN_ROWS` rows on, the passes run inside one compiled
  ``while_loop`` that calls back into the Newton generator on the host (``io_callback``): XLA then
  hoists what does not depend on θ (lgamma(y + 1), log x, ...) out of the loop — computed once
  per fit instead of once per pass, which is most of a pass for such models. A program with a
  host callback is not stored in the persistent cache, hence the per-call form below that size.

Both expose ``evaluate(u) -> (f, g, H)`` (NumPy), ``drive(steps)`` (runs a
:func:`.newton.iterations` generator to its end), ``jacobian(u)`` (∂θ/∂u of the flattened free
parameters, for the delta method), ``params(u)`` (the constrained free values) and
``log_prob(u)`` (per-row log-densities, to name a bad row at the start).
"""

from __future__ import annotations

import functools
import itertools

import numpy as np

from ..transforms import bijection_for
from . import newton

NUMPY_MAX_ROWS = 100_000  # beyond this, JAX's fused, compiled passes are faster than NumPy's
LOOP_MIN_ROWS = 1 << 14  # from this padded size on, the JAX passes run inside one compiled loop


def scalar_bijections(family, free_names) -> list | None:
    """The bijections of ``free_names`` when each has scalar derivatives, else None."""
    out = []
    for name in free_names:
        b = bijection_for(family.param(name).constraint)
        if not hasattr(b, "derivatives"):
            return None
        out.append(b)
    return out


def numpy_kernel_applies(family, data, start: dict) -> bool:
    """The NumPy kernel serves this fit: derivatives written out, scalar parameters, small data."""
    return (
        family.has_derivatives
        and isinstance(data, np.ndarray)
        and data.shape[0] <= NUMPY_MAX_ROWS
        and all(np.ndim(v) == 0 for v in start.values())
        and scalar_bijections(family, sorted(start)) is not None
    )


class ScalarCoordinates:
    """θⱼ = Tⱼ(uⱼ) for scalar free parameters, in NumPy: the values, T′ and T″ (chain rule),
    and the Jacobian diag(T′(u)) of the delta method."""

    def __init__(self, names, bijections):
        self.names, self.bijections = list(names), list(bijections)

    def params(self, u) -> dict:
        return {k: float(b.forward(np.asarray(ui))) for k, b, ui in zip(self.names, self.bijections, u)}

    def chain(self, u):
        """(T′ⱼ(uⱼ), T″ⱼ(uⱼ)) for each free parameter."""
        pairs = [b.derivatives(np.asarray(ui, dtype=float)) for b, ui in zip(self.bijections, u)]
        return np.array([p[0] for p in pairs], dtype=float), np.array([p[1] for p in pairs], dtype=float)

    def jacobian(self, u):
        return np.diag(self.chain(u)[0])


class NumpyKernel:
    """f(u) = −(1/W) Σ wₙ log p(xₙ | T(u), φ) and its derivatives from the family's own formulas.

    free_names : sorted names of the free parameters (the order of u);  fixed : name -> value
    data : (n,) array;  w : (n,) weights or None;  total_weight : W
    """

    def __init__(self, family, free_names, fixed: dict, data, w, total_weight: float):
        self.family = family
        self.free_names = list(free_names)
        self.fixed = {k: float(v) for k, v in fixed.items()}
        self.data = data
        self.w = None if w is None else np.asarray(w, dtype=float)
        self.total_weight = float(total_weight)
        self._zero_rows = self.w is not None and bool(np.any(self.w == 0))
        self._kept = None if self.w is None else self.w > 0
        self.coordinates = ScalarCoordinates(self.free_names, scalar_bijections(family, self.free_names))
        self.params, self.jacobian = self.coordinates.params, self.coordinates.jacobian
        names = family.param_names
        self.index = [names.index(k) for k in self.free_names]

    def _terms(self, u):
        """(lp, d1, d2) at u, or None where the family's formulas fail on Python floats."""
        with np.errstate(all="ignore"):  # a point outside the data's reach gives inf/NaN, judged by the loop
            p = {**self.fixed, **self.params(u)}
            try:
                return self.family.log_prob_derivatives(p, self.data)
            except ArithmeticError:  # e.g. 1/k² with k² underflowing to 0.0: the float form of inf
                return None

    def _weighted_sum(self, a):
        """Σₙ wₙ aₙ over the first axis; rows of weight 0 are left out (their log p may be −∞)."""
        if self.w is None:
            return a.sum(axis=0)
        if self._zero_rows:
            return np.tensordot(self.w[self._kept], a[self._kept], axes=1)
        return np.tensordot(self.w, a, axes=1)

    def log_prob(self, u):
        """Per-row log p at u, or None (the engine then evaluates ``family.log_prob``)."""
        terms = self._terms(u)
        return None if terms is None else terms[0]

    def drive(self, steps) -> "newton.NewtonRun":
        return newton.run(steps, self.evaluate)

    def evaluate(self, u):
        terms = self._terms(u)
        if terms is None:
            p = len(self.index)
            return np.nan, np.full(p, np.nan), np.full((p, p), np.nan)
        lp, d1, d2 = terms
        idx = self.index
        with np.errstate(all="ignore"):
            f = float(-self._weighted_sum(lp) / self.total_weight)
            # sums over rows first, then the free parameters' entries (no (n, p, p) copies)
            g_theta = -self._weighted_sum(d1)[idx] / self.total_weight
            h_theta = -self._weighted_sum(d2)[np.ix_(idx, idx)] / self.total_weight
            d_first, d_second = self.coordinates.chain(u)
            g = g_theta * d_first
            H = d_first[:, None] * h_theta * d_first[None, :] + np.diag(g_theta * d_second)
        return f, g, 0.5 * H + 0.5 * H.T  # (H + Hᵀ)/2 would overflow at entries beyond 9e307


@functools.lru_cache(maxsize=128)
def _jax_functions(family, free_shapes: tuple, fixed_names: tuple):
    """(objective, evaluate, loop, jacobian, log_prob) jitted for one family and free-parameter
    shapes; data, weights and fixed values are arguments, so any data of a bucket reuse them."""
    from .._jax import jax, jnp
    from jax.experimental import io_callback
    from ._objective import Objective, row_weights, value_grad_hess

    obj = Objective(family, free_shapes)

    def evaluate(u, data, w, fixed, total_weight, n_valid):
        w = row_weights(data, w, n_valid, u.dtype)
        return value_grad_hess(lambda v: obj.mean_nll(v, data, w, fixed, total_weight))(u)

    def loop(token, u0, data, w, fixed, total_weight, n_valid):
        """Evaluate where the host's Newton generator asks, until it says stop."""
        shapes = (jax.ShapeDtypeStruct(u0.shape, u0.dtype), jax.ShapeDtypeStruct((), jnp.bool_))

        def body(carry):
            u, _ = carry
            f, g, H = evaluate(u, data, w, fixed, total_weight, n_valid)
            return io_callback(_answer, shapes, token, f, g, H, ordered=True)

        return jax.lax.while_loop(lambda carry: carry[1], body, (u0, jnp.asarray(True)))[0]

    def log_prob(u, data, fixed):
        return family.log_prob(obj.params(u, fixed), data)

    return (obj, jax.jit(evaluate), jax.jit(loop), jax.jit(jax.jacobian(obj.constrained_flat)),
            jax.jit(log_prob))


# Newton generators driven from inside a compiled loop, by token: the compiled program is shared,
# so its callback finds the generator of the current fit here.
_ACTIVE: dict = {}
_TOKENS = itertools.count()


def _answer(token, f, g, H):
    """The compiled loop's callback: send (f, g, H) to the generator; (next u, go on?)."""
    entry = _ACTIVE[int(token)]
    try:
        u = entry["steps"].send((float(f), np.asarray(g, dtype=float), np.asarray(H, dtype=float)))
    except StopIteration as stop:
        entry["run"] = stop.value
        return np.asarray(stop.value.u, dtype=float), np.asarray(False)
    except BaseException as error:  # noqa: BLE001  (an error escaping a callback reaches the caller
        # as XLA's runtime error with the cause as text: stop the loop, re-raise it as itself in drive)
        entry["error"] = error
        return np.zeros(np.shape(g), dtype=float), np.asarray(False)
    return np.asarray(u, dtype=float), np.asarray(True)


class JaxKernel:
    """The same interface through JAX autodiff of ``family.log_prob`` (any family, any pytree
    data). ``data_padded``/``w_padded``: rows padded to a bucket (:func:`pad_rows`); ``n``: real rows."""

    def __init__(self, family, free_shapes: tuple, fixed: dict, data_padded, w_padded, total_weight: float, n: int):
        from .._jax import jax, jnp

        self.obj, self._evaluate, self._loop, self._jac, self._log_prob = _jax_functions(
            family, free_shapes, tuple(sorted(fixed)))
        self._fixed = {k: jnp.asarray(v, dtype=float) for k, v in fixed.items()}
        # moved to the device once, not at every call of the loop
        self._data = jax.tree_util.tree_map(jnp.asarray, data_padded)
        self._w = None if w_padded is None else jnp.asarray(w_padded)
        self._args = (self._data, self._w, self._fixed, float(total_weight), int(n))
        self._n = n
        self._in_loop = jax.tree_util.tree_leaves(data_padded)[0].shape[0] >= LOOP_MIN_ROWS
        # scalar parameters: θ(u) and ∂θ/∂u in NumPy (op-by-op JAX would compile each operation)
        names = [k for k, _ in free_shapes]
        bijections = scalar_bijections(family, names) if all(shape == () for _, shape in free_shapes) else None
        self._coordinates = None if bijections is None else ScalarCoordinates(names, bijections)

    def evaluate(self, u):
        f, g, H = self._evaluate(u, *self._args)
        return float(f), np.asarray(g, dtype=float), np.asarray(H, dtype=float)

    def drive(self, steps) -> "newton.NewtonRun":
        if not self._in_loop:
            return newton.run(steps, self.evaluate)
        token = next(_TOKENS)
        _ACTIVE[token] = {"steps": steps}
        try:
            u0 = next(steps)
            self._loop(np.int64(token), np.asarray(u0, dtype=float), *self._args).block_until_ready()
            if "error" in _ACTIVE[token]:
                raise _ACTIVE[token]["error"]
            return _ACTIVE[token]["run"]
        finally:
            del _ACTIVE[token]

    def jacobian(self, u):
        if self._coordinates is not None:
            return self._coordinates.jacobian(u)
        return np.asarray(self._jac(u), dtype=float)

    def params(self, u) -> dict:
        if self._coordinates is not None:
            return self._coordinates.params(u)
        from .._jax import jnp

        return {k: np.asarray(v, dtype=float) for k, v in self.obj.params(jnp.asarray(u), {}).items()}

    def log_prob(self, u):
        return np.asarray(self._log_prob(u, self._data, self._fixed), dtype=float)[: self._n]
