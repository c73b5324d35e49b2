"""What a result keeps so that it can be resampled: :meth:`FitResult.gof` and :meth:`FitResult.bootstrap`.

An entry point (``fit``, ``fit_loglik``, the censored path) attaches a :class:`ResampleData` to its
result: the data as given, the weights, and ``refit(data, weights) -> FitResult``, the same fit
with the same options on other data. ``batched`` says that the fit is a plain ``maxlik.fit`` of an
array (no truncation, threshold family or optimizer option), so that ``maxlik._refit_many`` may
solve all replicates in one ``fit_groups`` call; otherwise the replicates are refitted one by one.

The statistics and the resampling live in :mod:`maxlik.gof` and :mod:`maxlik.bootstrap`, in the
entry-point layer (they refit through ``fit_groups``, which imports ``fit``): results may not
import them, so :func:`action` looks them up by module name at call time, as maxlik's own lazy
table (``maxlik/__init__.py``) does for every public name.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

# the method of FitResult -> (module, function) that implements it, in the entry-point layer
_ACTIONS = {"gof": ("maxlik.gof", "gof"), "bootstrap": ("maxlik.bootstrap", "bootstrap")}


@dataclass(frozen=True, eq=False)
class ResampleData:
    """The data behind a fit and how to fit it again.

    data : the data as passed (a reference, not a copy: array (n,) / (n, d), a ``Censored``, or a
        pytree of arrays with n rows; for a regression model the pair (X, y))
    weights : (n,) or None
    kind : "array" | "censored" | "loglik" | "regression"
    refit : (data, weights) -> a result (FitResult, or the model's result_): the original fit on other data
    batched : True when every replicate may be fitted in one ``fit_groups`` call
    fixed : the parameters held fixed (name -> value)
    """

    data: Any
    weights: Any
    kind: str
    refit: Callable
    batched: bool = False
    fixed: dict | None = None


    def __reduce__(self):
        # a pickled result or estimator does not carry its training data (nor a copy of X, y): it
        # unpickles without it, and gof/bootstrap then say that a stored result has no data
        return (_not_kept, ())


def _not_kept() -> None:
    return None


def action(name: str) -> Callable:
    module, attr = _ACTIONS[name]
    return getattr(importlib.import_module(module), attr)
