"""Domains of parameters and of data.

A :class:`Constraint` answers two questions: "is this value inside?" (``check``, elementwise,
NumPy) and "how do I describe the domain to a person?" (``describe``). The same objects describe
parameter domains (``Normal.scale`` is ``positive``) and data supports (Poisson data are
``nonnegative_integer``). The bijection that maps each constraint onto unconstrained space lives
in :mod:`maxlik.transforms`.

Constraints can be named by string where users pass them (``"positive"``); see :func:`get`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import ParameterError


class Constraint:
    """A domain. ``event_ndim`` is the number of trailing axes one element occupies
    (0 for scalars, 1 for a simplex vector, 2 for a matrix)."""

    name: str = "constraint"
    event_ndim: int = 0
    is_discrete: bool = False

    def check(self, value) -> np.ndarray:
        """Boolean mask, True where ``value`` lies inside; shape = value.shape minus event dims."""
        raise NotImplementedError

    def describe(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return self.describe()


class _Real(Constraint):
    name = "real"

    def check(self, value):
        return np.isfinite(np.asarray(value, dtype=float))

    def describe(self):
        return "real (any finite number)"


@dataclass(frozen=True, repr=False)
class GreaterThan(Constraint):
    lower: float = 0.0
    strict: bool = True

    @property
    def name(self):
        if self.lower == 0.0:
            return "positive" if self.strict else "nonnegative"
        return f"greater_than({self.lower:g})"

    def check(self, value):
        v = np.asarray(value, dtype=float)
        inside = v > self.lower if self.strict else v >= self.lower
        return inside & np.isfinite(v)

    def describe(self):
        if self.lower == 0.0:
            return "positive (> 0)" if self.strict else "non-negative (>= 0)"
        return f"> {self.lower:g}" if self.strict else f">= {self.lower:g}"


@dataclass(frozen=True, repr=False)
class Interval(Constraint):
    """Open interval (lower, upper) by default; ``closed=True`` includes both ends."""

    lower: float = 0.0
    upper: float = 1.0
    closed: bool = False

    @property
    def name(self):
        if (self.lower, self.upper) == (0.0, 1.0) and not self.closed:
            return "unit_interval"
        return f"interval({self.lower:g}, {self.upper:g})"

    def check(self, value):
        v = np.asarray(value, dtype=float)
        if self.closed:
            return (v >= self.lower) & (v <= self.upper)
        return (v > self.lower) & (v < self.upper)

    def describe(self):
        lo, hi = ("[", "]") if self.closed else ("(", ")")
        return f"in {lo}{self.lower:g}, {self.upper:g}{hi}"


class _Simplex(Constraint):
    name = "simplex"
    event_ndim = 1

    def check(self, value):
        v = np.asarray(value, dtype=float)
        return np.all(v >= 0, axis=-1) & (np.abs(v.sum(axis=-1) - 1.0) < 1e-8)

    def describe(self):
        return "a probability vector (non-negative entries summing to 1)"


class _PositiveDefinite(Constraint):
    name = "positive_definite"
    event_ndim = 2

    def check(self, value):
        v = np.asarray(value, dtype=float)
        if v.ndim < 2 or v.shape[-1] != v.shape[-2]:
            return np.zeros(v.shape[:-2], dtype=bool)
        symmetric = np.all(np.abs(v - np.swapaxes(v, -1, -2)) <= 1e-10 * (1 + np.abs(v)), axis=(-1, -2))
        eig = np.linalg.eigvalsh(v)
        return symmetric & np.all(eig > 0, axis=-1)

    def describe(self):
        return "a symmetric positive-definite matrix"


@dataclass(frozen=True, repr=False)
class IntegerInterval(Constraint):
    """Integers in [lower, upper]; ``upper=None`` means no upper bound."""

    lower: int = 0
    upper: int | None = None
    is_discrete = True

    @property
    def name(self):
        if self.upper is None:
            return "nonnegative_integer" if self.lower == 0 else f"integer_greater_than({self.lower - 1})"
        if (self.lower, self.upper) == (0, 1):
            return "boolean"
        return f"integer_interval({self.lower}, {self.upper})"

    def check(self, value):
        v = np.asarray(value, dtype=float)
        ok = np.isfinite(v) & (v == np.round(v)) & (v >= self.lower)
        if self.upper is not None:
            ok &= v <= self.upper
        return ok

    def describe(self):
        if (self.lower, self.upper) == (0, 1):
            return "0 or 1"
        if self.upper is None:
            return f"integers >= {self.lower}"
        return f"integers from {self.lower} to {self.upper}"


real = _Real()
positive = GreaterThan(0.0, strict=True)
nonnegative = GreaterThan(0.0, strict=False)
unit_interval = Interval(0.0, 1.0)
simplex = _Simplex()
positive_definite = _PositiveDefinite()
nonnegative_integer = IntegerInterval(0, None)
positive_integer = IntegerInterval(1, None)
boolean = IntegerInterval(0, 1)


def greater_than(lower: float) -> Constraint:
    return GreaterThan(float(lower), strict=True)


def interval(lower: float, upper: float) -> Constraint:
    return Interval(float(lower), float(upper))


def integer_interval(lower: int, upper: int) -> Constraint:
    return IntegerInterval(int(lower), int(upper))


_BY_NAME = {
    "real": real,
    "positive": positive,
    "nonnegative": nonnegative,
    "unit_interval": unit_interval,
    "simplex": simplex,
    "positive_definite": positive_definite,
    "nonnegative_integer": nonnegative_integer,
    "positive_integer": positive_integer,
    "boolean": boolean,
}


def get(spec: str | Constraint) -> Constraint:
    """Resolve a constraint given by name (``"positive"``) or as an object."""
    if isinstance(spec, Constraint):
        return spec
    if isinstance(spec, str) and spec in _BY_NAME:
        return _BY_NAME[spec]
    raise ParameterError(
        f"constraints: constraint must be one of {sorted(_BY_NAME)} or a maxlik.constraints object; "
        f"got {spec!r}. Use e.g. maxlik.constraints.interval(0, 5) for a bounded parameter."
    )
