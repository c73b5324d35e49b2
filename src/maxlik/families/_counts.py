"""Helpers shared by the discrete (count) families: weighted sums and integer options."""

from __future__ import annotations

import numbers

import numpy as np

from ..errors import ParameterError


def weighted_sum(v: np.ndarray, w: np.ndarray | None) -> float:
    """Σ wₙ vₙ (Σ vₙ when unweighted) as a Python float. Sums of integers (and integer
    weights) are exact in binary64 below 2⁵³, so merged statistics of count data are exact."""
    return float(v.sum()) if w is None else float(w @ v)


def total_weight(n: int, w: np.ndarray | None) -> float:
    return float(n) if w is None else float(w.sum())


def positive_int_option(value, owner: str, name: str, meaning: str, example: str) -> int:
    """Validate a positive-integer constructor option (``total_count``, ``num_categories``)."""
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 1
    if not ok and isinstance(value, numbers.Real) and not isinstance(value, bool):
        ok = float(value).is_integer() and value >= 1  # accept 10.0
    if not ok:
        raise ParameterError(
            f"{owner}: {name} must be a positive integer ({meaning}); got {value!r}. "
            f"Pass it when choosing the family, e.g. {example}."
        )
    return int(value)


class instance_support:
    """Decorator for a ``support`` that depends on constructor options (Binomial's
    total_count, Categorical's num_categories). On the class it gives ``default`` (a superset,
    so that listings such as ``maxlik families`` can read ``cls.support``); on an instance it
    calls the decorated method."""

    def __init__(self, default):
        self.default = default

    def __call__(self, fn):
        self.fn = fn
        return self

    def __get__(self, obj, owner=None):
        return self.default if obj is None else self.fn(obj)
