"""maxlik — maximum likelihood estimation.

>>> import maxlik
>>> r = maxlik.fit([2.1, 1.9, 2.0, 2.3, 1.8], "normal")
>>> r.params["loc"]
2.02

Importing maxlik turns on JAX float64 (see maxlik._jax for how to opt out).
"""

from . import _jax  # noqa: F401  (sets JAX float64 before anything else touches JAX)
from . import constraints
from .errors import (
    ConvergenceWarning,
    DataError,
    DegenerateFitError,
    FitFailedError,
    InferenceWarning,
    MaxlikError,
    ParameterError,
    SupportError,
    UnknownFamilyError,
)
from .families import Family, Param, Stats, get_family, names, register
from .families import families as families
from .families.normal import Normal
from .fit import fit, fit_stats
from .results import FitResult

__version__ = "0.1.0"

__all__ = [
    "ConvergenceWarning", "DataError", "DegenerateFitError", "FitFailedError", "InferenceWarning",
    "MaxlikError", "ParameterError", "SupportError", "UnknownFamilyError",
    "Family", "Param", "Stats", "FitResult", "constraints", "families", "fit", "fit_stats",
    "get_family", "names", "register", "Normal",
]
