"""Status: how an iterative (or closed-form) fit ended, with its message.

One enum for every fit in maxlik, after optimistix's ``RESULTS``: each member carries a default
message, and a result keeps its own ``message`` string (the member's text, made specific: which
gradient, which component, which column). ``Status.CONVERGED`` and ``Status.CLOSED_FORM`` are the
two successful ends; every other member is a failure that a result reports with
``converged=False`` (or, for ``DEGENERATE`` / ``SEPARATED``, a fit whose estimate exists but whose
inference does not hold; for ``BOUNDARY``, a fit whose supremum is a limiting model, e.g. Student's
t with df → ∞ is the Normal: the result then carries that model's fit).

This module sits at the bottom layer (beside ``errors``): solvers, results and models all use it.
"""

from __future__ import annotations

import enum


class Status(enum.Enum):
    """How a fit ended. ``status.message`` is the generic text; ``status.ok`` says success."""

    CLOSED_FORM = "closed-form maximum likelihood estimate"
    CONVERGED = "converged"
    MAX_ITER = "stopped at the iteration limit before the convergence criterion was met"
    NONFINITE = "the objective or its derivatives became non-finite"
    NOT_POSITIVE_DEFINITE = "the Hessian at the estimate is not positive definite (not a strict maximum)"
    STALLED = "the line search could not decrease the objective further"
    SEPARATED = "the classes are (quasi-)separated: some estimates are infinite"
    DEGENERATE = "the fit is degenerate (a zero variance, a singular covariance or a collapsed component)"
    RANK_DEFICIENT = "the design or Jacobian is rank-deficient: some parameters are not identified"
    BOUNDARY = "an estimate runs to the edge of its domain: the likelihood is largest in a limiting model"

    @property
    def message(self) -> str:
        return self.value

    @property
    def ok(self) -> bool:
        """True for the two successful ends (closed form, converged)."""
        return self in (Status.CLOSED_FORM, Status.CONVERGED)

    @classmethod
    def parse(cls, value: "Status | str") -> "Status":
        """A Status from a member or its name (``"converged"``, ``"MAX_ITER"``), for ``from_dict``."""
        if isinstance(value, Status):
            return value
        try:
            return cls[str(value).upper()]
        except KeyError:
            names = ", ".join(m.name.lower() for m in cls)
            raise ValueError(f"Status: must be one of {names}; got {value!r}.") from None
