"""The numerical MLE engine (Newton, BFGS, L-BFGS, gradient descent in unconstrained space)."""

from ._engine import METHODS, fit_numerical

__all__ = ["METHODS", "fit_numerical"]
