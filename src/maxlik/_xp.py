"""Array namespaces without importing JAX up front.

``jax`` and ``jnp`` here are stand-ins for :mod:`maxlik._jax`'s modules that import JAX (with
maxlik's float64 setting) on their first attribute access, so that a module can write
``jnp.log(x)`` in a function body while ``import maxlik``, the CLI's ``--help`` and the
closed-form fits never load JAX (issue #11).

:func:`namespace` picks NumPy or ``jax.numpy`` for the values at hand, so one formula serves
both a plain evaluation on floats (NumPy, no JAX) and a traced, differentiated one (JAX):

    xp = namespace(scale)
    ℓ = −W·xp.log(scale) − ss / (2·scale²)

:func:`special` does the same for the special functions (``scipy.special`` or
``jax.scipy.special``): gammaln, digamma, xlogy, ...
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

import numpy as np


class _LazyModule(ModuleType):
    """A module stand-in that imports ``target`` (an attribute path under maxlik._jax) on use."""

    def __init__(self, name: str, attribute: str):
        super().__init__(name)
        self._attribute = attribute
        self._module = None

    def _load(self):
        if self._module is None:
            self._module = getattr(importlib.import_module("maxlik._jax"), self._attribute)
        return self._module

    def __getattr__(self, attr):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        return getattr(self._load(), attr)


jax = _LazyModule("jax (lazy)", "jax")
jnp = _LazyModule("jax.numpy (lazy)", "jnp")


def is_jax(value) -> bool:
    """True for a JAX array or tracer (False whenever JAX has not been imported at all)."""
    mod = sys.modules.get("jax")
    return mod is not None and isinstance(value, mod.Array)


def namespace(*values):
    """``jax.numpy`` when any of ``values`` is a JAX array or tracer (looking one level into
    dicts, lists and tuples), else ``numpy``."""
    for v in values:
        items = v.values() if isinstance(v, dict) else v if isinstance(v, (list, tuple)) else (v,)
        if any(is_jax(i) for i in items):
            return jnp
    return np


def special(xp):
    """The special-function module that goes with namespace ``xp``."""
    if xp is np:
        import scipy.special

        return scipy.special
    import jax.scipy.special

    return jax.scipy.special


__all__ = ["jax", "jnp", "is_jax", "namespace", "special"]
