"""One result protocol for every fit (see :mod:`maxlik.results._protocol`).

``Result`` is the base class; ``FitResult`` is what ``fit`` / ``fit_loglik`` return (``MAPResult``
with ``prior=``; ``RescaledFitResult``, a FitResult, for data near 1e±300); the curve, regression,
classifier and mixture results derive from ``Result`` too. ``Reference`` declares the distribution
of Wald tests and intervals (``Z`` or ``student_t(df)``).
"""

from ._protocol import Result, Row, plain
from .stored_result import StoredResult
from .text import SUMMARY_WIDTH, wrap_text
from .fit_result import FitResult, family_from_dict, register_family_builder
from .map_result import MAPResult
from .rescaled_result import RescaledFitResult
from .reference import Z, Reference, student_t

__all__ = ["Result", "Row", "StoredResult", "FitResult", "MAPResult", "RescaledFitResult", "Reference", "Z", "student_t", "register_family_builder", "family_from_dict", "plain",
           "SUMMARY_WIDTH", "wrap_text"]
