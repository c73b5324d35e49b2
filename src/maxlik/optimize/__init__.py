"""The numerical MLE engine (Newton, BFGS, L-BFGS, gradient descent in unconstrained space)."""

from ._engine import METHODS, fit_numerical

__all__ = ["METHODS", "fit_numerical"]

from ._stats import maximise_stats  # noqa: E402

from ._stats import stats_covariance  # noqa: E402

__all__ += ["maximise_stats", "stats_covariance"]
