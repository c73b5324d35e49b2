"""Evaluate a JAX function once in extended precision (NumPy ``np.longdouble``).

Why this exists: :func:`maxlik.fit_curve` reports RSS(p̂) = Σ (yₙ − f(xₙ, p̂))², and σ̂, the
standard errors (∝ σ̂) and the log-likelihood all derive from it. For an (almost) exact fit the
residuals are as small as float64's rounding error in evaluating f (≈ 1e-16·|f| per point), so a
float64 RSS has only a few correct digits (NIST Lanczos1: residuals ~1e-13 on |f| ~ 1, RSS 1.4e-25
correct to ~3 digits). JAX has no float type wider than float64, so f is traced once to a jaxpr and
the jaxpr is interpreted here with NumPy's long double (x86-64: 64-bit mantissa, ε ≈ 1.1e-19;
aarch64 Linux: IEEE quad), whose ufuncs call the C library's long double functions.

Scope: elementwise arithmetic and elementary functions, comparisons and ``select_n`` (``where``),
shape manipulation, reductions, ``dot_general`` (small shapes: ``np.einsum``), and nested
``jit`` / ``custom_jvp`` / ``custom_vjp`` / ``remat`` calls — what regression models are made of.
Anything else (``gather``, control flow, special functions, float32 arithmetic, complex numbers)
raises :class:`Unsupported`. :func:`call_extended` turns that, a platform whose long double is no
wider than float64, or a non-finite result into ``None``: the caller keeps its float64 value.

Constants written inside f are float64 already (``0.1`` in f means float64(0.1)); only the rounding
of the operations is reduced, which is exactly the error this module exists to remove.
"""

from __future__ import annotations

import string

import numpy as np

from .._jax import jax, jnp

EXTENDED = np.longdouble
# at least 10 more mantissa bits than float64, else there is nothing to gain
AVAILABLE = bool(np.finfo(EXTENDED).eps <= np.finfo(np.float64).eps / 1024)


class Unsupported(Exception):
    """The jaxpr uses something this interpreter does not evaluate in extended precision."""


def _conform(value, aval) -> np.ndarray:
    """``value`` as an array of the abstract value's dtype, float64 widened to long double."""
    dtype = np.dtype(aval.dtype)
    if dtype == np.float64:
        out = np.asarray(value, dtype=EXTENDED)
    elif dtype.kind in "biu":
        out = np.asarray(value).astype(dtype, copy=False)
    else:  # float32/16, bfloat16, complex: their rounding is part of f's meaning
        raise Unsupported(f"dtype {dtype}")
    if out.shape != tuple(aval.shape):
        raise Unsupported(f"shape {out.shape} where the jaxpr has {tuple(aval.shape)}")
    return out


# ---------------------------------------------------------------------------------------------
# rules: primitive name -> function(*operands, **eqn.params) -> array
# ---------------------------------------------------------------------------------------------
def _unary(fn):
    return lambda x, **_: fn(x)


def _binary(fn):
    return lambda a, b, **_: fn(a, b)


def _float_div(a, b, **_):
    if a.dtype.kind != "f" and b.dtype.kind != "f":
        raise Unsupported("integer div")  # lax.div truncates towards zero; numpy floors
    return np.divide(a, b)


def _select_n(pred, *cases, **_):
    out = cases[0]
    for i, case in enumerate(cases[1:], start=1):
        out = np.where(pred == i, case, out)
    return out


def _broadcast_in_dim(x, *, shape, broadcast_dimensions, **_):
    kept = [x.shape[broadcast_dimensions.index(d)] if d in broadcast_dimensions else 1 for d in range(len(shape))]
    return np.broadcast_to(np.reshape(x, kept), shape)


def _reshape(x, *, new_sizes, dimensions=None, **_):
    return np.reshape(x if dimensions is None else np.transpose(x, dimensions), new_sizes)


def _slice(x, *, start_indices, limit_indices, strides=None, **_):
    strides = strides or (1,) * x.ndim
    return x[tuple(slice(a, b, s) for a, b, s in zip(start_indices, limit_indices, strides))]


def _dynamic_slice(x, *starts, slice_sizes, **_):
    # like XLA, start indices are clamped so that the slice stays inside x
    lo = [min(max(int(s), 0), n - size) for s, n, size in zip(starts, x.shape, slice_sizes)]
    return x[tuple(slice(a, a + size) for a, size in zip(lo, slice_sizes))]


def _iota(*, dtype, shape, dimension, **_):
    ramp = np.arange(shape[dimension]).reshape([-1 if d == dimension else 1 for d in range(len(shape))])
    return np.broadcast_to(ramp, shape)


def _dot_general(a, b, *, dimension_numbers, **_):
    """lax.dot_general as an einsum: output axes are batch, then a's free, then b's free axes."""
    (ca, cb), (ba, bb) = dimension_numbers
    letters = iter(string.ascii_letters)
    sa, sb = [""] * a.ndim, [""] * b.ndim
    for i, j in [*zip(ba, bb), *zip(ca, cb)]:
        sa[i] = sb[j] = next(letters)
    sa = [s or next(letters) for s in sa]
    sb = [s or next(letters) for s in sb]
    out = [sa[i] for i in ba] + [s for i, s in enumerate(sa) if i not in ca and i not in ba]
    out += [s for j, s in enumerate(sb) if j not in cb and j not in bb]
    return np.einsum(f"{''.join(sa)},{''.join(sb)}->{''.join(out)}", a, b)


def _reduce(fn):
    return lambda x, *, axes, **_: fn(x, axis=tuple(axes))


def _arg_reduce(fn):
    return lambda x, *, axes, index_dtype, **_: fn(x, axis=axes[0])


_RULES = {
    # arithmetic
    "add": _binary(np.add),
    "sub": _binary(np.subtract),
    "mul": _binary(np.multiply),
    "div": _float_div,
    "rem": _binary(np.fmod),
    "neg": _unary(np.negative),
    "abs": _unary(np.abs),
    "sign": _unary(np.sign),
    "max": _binary(np.maximum),
    "min": _binary(np.minimum),
    "clamp": lambda lo, x, hi, **_: np.minimum(np.maximum(x, lo), hi),
    "square": _unary(np.square),
    "pow": _binary(np.power),
    "integer_pow": lambda x, *, y, **_: np.power(x, y),
    "sqrt": _unary(np.sqrt),
    "rsqrt": _unary(lambda x: 1 / np.sqrt(x)),
    "cbrt": _unary(np.cbrt),
    "floor": _unary(np.floor),
    "ceil": _unary(np.ceil),
    # elementary functions
    "exp": _unary(np.exp),
    "exp2": _unary(np.exp2),
    "log": _unary(np.log),
    "log1p": _unary(np.log1p),
    "expm1": _unary(np.expm1),
    "logistic": _unary(lambda x: 1 / (1 + np.exp(-x))),
    "sin": _unary(np.sin),
    "cos": _unary(np.cos),
    "tan": _unary(np.tan),
    "asin": _unary(np.arcsin),
    "acos": _unary(np.arccos),
    "atan": _unary(np.arctan),
    "atan2": _binary(np.arctan2),
    "sinh": _unary(np.sinh),
    "cosh": _unary(np.cosh),
    "tanh": _unary(np.tanh),
    "asinh": _unary(np.arcsinh),
    "acosh": _unary(np.arccosh),
    "atanh": _unary(np.arctanh),
    # comparisons and logic
    "is_finite": _unary(np.isfinite),
    "lt": _binary(np.less),
    "le": _binary(np.less_equal),
    "gt": _binary(np.greater),
    "ge": _binary(np.greater_equal),
    "eq": _binary(np.equal),
    "ne": _binary(np.not_equal),
    "and": _binary(np.bitwise_and),
    "or": _binary(np.bitwise_or),
    "xor": _binary(np.bitwise_xor),
    "not": _unary(np.invert),
    "select_n": _select_n,
    # identities for the value
    "convert_element_type": _unary(lambda x: x),  # _conform casts to the output dtype
    "stop_gradient": _unary(lambda x: x),
    "copy": _unary(lambda x: x),
    "copy_p": _unary(lambda x: x),
    # shapes
    "broadcast_in_dim": _broadcast_in_dim,
    "reshape": _reshape,
    "squeeze": lambda x, *, dimensions, **_: np.squeeze(x, axis=tuple(dimensions)),
    "transpose": lambda x, *, permutation, **_: np.transpose(x, permutation),
    "rev": lambda x, *, dimensions, **_: np.flip(x, axis=tuple(dimensions)),
    "concatenate": lambda *xs, dimension, **_: np.concatenate(xs, axis=dimension),
    "slice": _slice,
    "dynamic_slice": _dynamic_slice,
    "iota": _iota,
    # reductions and products
    "reduce_sum": _reduce(np.sum),
    "reduce_prod": _reduce(np.prod),
    "reduce_max": _reduce(np.max),
    "reduce_min": _reduce(np.min),
    "argmax": _arg_reduce(np.argmax),
    "argmin": _arg_reduce(np.argmin),
    "dot_general": _dot_general,
}
# primitives that call a sub-jaxpr on their operands; the key names the parameter holding it
_CALLS = {
    "pjit": "jaxpr",
    "jit": "jaxpr",
    "closed_call": "call_jaxpr",
    "core_call": "call_jaxpr",
    "custom_jvp_call": "call_jaxpr",
    "custom_vjp_call": "call_jaxpr",
    "remat": "jaxpr",
    "remat2": "jaxpr",
    "checkpoint": "jaxpr",
}


def _eval(jaxpr, consts, args) -> list[np.ndarray]:
    env = {}

    def read(v):
        return _conform(v.val, v.aval) if hasattr(v, "val") else env[v]  # Literal or Var

    for v, value in zip(jaxpr.constvars, consts):
        env[v] = _conform(value, v.aval)
    if len(args) != len(jaxpr.invars):
        raise Unsupported(f"{len(args)} operands for {len(jaxpr.invars)} inputs")
    for v, value in zip(jaxpr.invars, args):
        env[v] = _conform(value, v.aval)
    for eqn in jaxpr.eqns:
        name = eqn.primitive.name
        operands = [read(v) for v in eqn.invars]
        if name in _CALLS:
            sub = eqn.params[_CALLS[name]]
            outs = _eval(*((sub.jaxpr, sub.consts) if hasattr(sub, "consts") else (sub, ())), operands)
        elif name in _RULES:
            out = _RULES[name](*operands, **eqn.params)
            outs = out if eqn.primitive.multiple_results else [out]
        else:
            raise Unsupported(f"primitive {name!r}")
        for v, value in zip(eqn.outvars, outs):
            env[v] = _conform(value, v.aval)
    return [read(v) for v in jaxpr.outvars]


def eval_jaxpr(closed_jaxpr, *args) -> list[np.ndarray]:
    """Evaluate a ``ClosedJaxpr`` on NumPy arrays; float64 values become ``np.longdouble``.

    Raises :class:`Unsupported` for anything outside this module's scope.
    """
    return _eval(closed_jaxpr.jaxpr, closed_jaxpr.consts, list(args))


def call_extended(f, *args) -> np.ndarray | None:
    """``f(*args)`` in extended precision, or ``None`` where that is not possible.

    ``f`` is traced with float64 copies of ``args``; the interpreter then receives ``args``
    themselves, so arrays given as ``np.longdouble`` keep their extra digits. ``f`` must return a
    single array. ``None`` (never an exception): long double no wider than float64 here, an
    unsupported primitive, or a non-finite result.
    """
    if not AVAILABLE:
        return None
    try:
        closed = jax.make_jaxpr(f)(*(jnp.asarray(np.asarray(a, dtype=np.float64)) for a in args))
        with np.errstate(all="ignore"):
            outs = eval_jaxpr(closed, *args)
    # a refinement of a value the caller already has: whatever goes wrong, it keeps that value
    except Exception:
        return None
    if len(outs) != 1 or outs[0].dtype != EXTENDED or not np.all(np.isfinite(outs[0])):
        return None
    return outs[0]
