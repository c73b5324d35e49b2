"""fit_curve's model argument order: f(p, x), parameters first as in every maxlik callback; the
old order f(x, p) still works, with a DeprecationWarning, until the next release."""

from __future__ import annotations

import functools
import inspect
import warnings
from typing import Callable

from ..errors import ParameterError


DATA_NAMES = ("x", "t")  # a first parameter named so marks the deprecated order f(x, p)
DEPRECATED_ORDER = (
    "fit_curve: the model is called as f(p, x) (parameters first, data second, as every maxlik "
    "callback); got f(x, p) ({why}). Swap the model's arguments to f(p, x); the order f(x, p) stops "
    "working in the next release (a model already written f(p, x) whose first argument is named x or "
    "t: pass data_first=False)."
)


@functools.lru_cache(maxsize=256)
def _swapped(f: Callable) -> Callable:
    """f(x, p) as g(p, x), one wrapper per f (the jitted residuals are cached on it)."""

    def g(p, x):
        return f(x, p)

    return g


def params_first(f: Callable, data_first: bool | None) -> Callable:
    """The model in the (params, data) order; the old (data, params) order with a
    DeprecationWarning, chosen by ``data_first=True`` or detected from f's first parameter name."""
    if data_first is None:
        try:
            first = next(iter(inspect.signature(f).parameters), None)
        except (TypeError, ValueError):  # builtins, some C callables: no signature, new order
            first = None
        if first not in DATA_NAMES:
            return f
        why = f"its first parameter is named {first!r}"
    elif data_first is True:
        why = "data_first=True"
    elif data_first is False:
        return f
    else:
        raise ParameterError(f"fit_curve: data_first must be None, True or False; got {data_first!r}. Leave it out.")
    warnings.warn(DEPRECATED_ORDER.format(why=why), DeprecationWarning, stacklevel=3)
    return _swapped(f)
