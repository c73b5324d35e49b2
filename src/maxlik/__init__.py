"""maxlik — maximum likelihood estimation.

>>> import maxlik
>>> r = maxlik.fit([2.1, 1.9, 2.0, 2.3, 1.8], "normal")
>>> r.params["loc"]
2.02

Importing maxlik turns on JAX float64 (see maxlik._jax for how to opt out).

``import maxlik`` is light: the public names below are loaded on first use (a module-level
``__getattr__``), so JAX, scikit-learn, matplotlib and pyarrow are imported only by what needs
them, and ``maxlik --help`` answers without them.
"""

import importlib
import os
import sys

from .errors import (
    ConvergenceWarning,
    DataError,
    DegenerateFitError,
    DegenerateFitWarning,
    FitFailedError,
    InferenceWarning,
    MaxlikError,
    ModelFileError,
    ParameterError,
    SupportError,
    UnknownFamilyError,
)

# JAX float64 without importing JAX: JAX reads JAX_ENABLE_X64 when it is first imported, and
# maxlik._jax (imported by every module that computes with JAX) sets the flag again either way.
if os.environ.get("MAXLIK_X64", "1") != "0":
    if "jax" in sys.modules:
        sys.modules["jax"].config.update("jax_enable_x64", True)
    else:
        os.environ["JAX_ENABLE_X64"] = "1"

__version__ = "0.1.0"

from ._family_classes import FAMILY_CLASSES  # (tests/test_lazy_import.py checks it against the registry)

# public name -> (module, attribute or None for the module itself)
_LAZY = {
    "constraints": ("maxlik.constraints", None), "datasets": ("maxlik.datasets", None),
    "families": ("maxlik.families", None), "results": ("maxlik.results", None),
    **{name: ("maxlik.families", name) for name in
       [*FAMILY_CLASSES, "Family", "Param", "Stats", "family_names", "get_family", "names", "register"]},
    "fit": ("maxlik.fitting", "fit"), "fit_stats": ("maxlik.fitting", "fit_stats"),
    "FitResult": ("maxlik.results", "FitResult"),
    "fit_loglik": ("maxlik.loglik", "fit_loglik"), "Censored": ("maxlik.censored", "Censored"),
    "npmle": ("maxlik.turnbull", "npmle"), "NPMLE": ("maxlik.turnbull", "NPMLE"),
    "fit_groups": ("maxlik.groups", "fit_groups"), "GroupFits": ("maxlik.groups", "GroupFits"),
    "lrt": ("maxlik.likelihood_ratio", "lrt"),
    "prior": ("maxlik.priors", "prior"), "MAPResult": ("maxlik.results", "MAPResult"),
    "simulate": ("maxlik.simulation", "simulate"), "SimulationResult": ("maxlik.simulation", "SimulationResult"),
    "save": ("maxlik.persist", "save"), "load": ("maxlik.persist", "load"),
    "compare": ("maxlik.model_selection", "compare"),
    "GofResult": ("maxlik.gof", "GofResult"), "BootstrapResult": ("maxlik.bootstrap_result", "BootstrapResult"),
    "scan": ("maxlik.sources", "scan"), "sources": ("maxlik.sources", None),
    "fit_curve": ("maxlik.curve", "fit_curve"), "CurveFitResult": ("maxlik.curve", "CurveFitResult"),
    **{name: ("maxlik.models", name) for name in
       ["GaussianClassifier", "GaussianMixture", "LinearRegression", "LogisticRegression", "PoissonRegression",
        "SoftmaxRegression", "fit_mixture", "select_mixture"]},
}

__all__ = [
    "ConvergenceWarning", "DataError", "DegenerateFitError", "DegenerateFitWarning", "FitFailedError", "InferenceWarning",
    "MaxlikError", "ModelFileError", "ParameterError", "SupportError", "UnknownFamilyError",
    "Family", "Param", "Stats", "FitResult", "CurveFitResult", "constraints", "datasets", "families",
    "family_names", "get_family", "names", "register",
    "fit", "fit_stats", "fit_loglik", "prior", "MAPResult", "simulate", "SimulationResult", "Censored", "npmle", "NPMLE",
    "fit_groups", "GroupFits", "fit_curve", "lrt", "compare", "GofResult", "BootstrapResult", "save", "load", "scan", "sources",
    "GaussianClassifier", "GaussianMixture", "select_mixture", "fit_mixture",
    "LinearRegression", "LogisticRegression", "PoissonRegression", "SoftmaxRegression",
    *FAMILY_CLASSES,
]


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module 'maxlik' has no attribute {name!r}")
    module, attr = _LAZY[name]
    value = importlib.import_module(module)
    if attr is not None:
        value = getattr(value, attr)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
