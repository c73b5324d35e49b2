"""The numerical MLE engine (Newton, BFGS, L-BFGS, gradient descent in unconstrained space)."""

from ._engine import METHODS, check_options, check_start, fit_numerical

__all__ = ["METHODS", "check_options", "check_start", "fit_numerical"]
