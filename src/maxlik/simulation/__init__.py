"""The estimator's sampling properties by simulation: :func:`simulate` and its :class:`SimulationResult`."""

from .result import SimulationResult
from .simulate import simulate

__all__ = ["SimulationResult", "simulate"]
