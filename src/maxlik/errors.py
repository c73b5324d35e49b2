"""Exception and warning types.

Every message follows one template (see DESIGN.md):

    <Owner>: <what> must be <constraint>; got <value or shape>. <How to fix>.

All types subclass a built-in (``ValueError``, ``TypeError``, ``RuntimeError``, ``UserWarning``)
so ``except ValueError`` keeps working for callers who do not know maxlik's types.
"""

from __future__ import annotations


class MaxlikError(Exception):
    """Base class of every error raised by maxlik."""


class DataError(MaxlikError, ValueError):
    """The data cannot be used: empty, NaN/inf, wrong shape, or bad weights."""


class SupportError(DataError):
    """Data fall outside the support of the family (e.g. a negative value for Poisson)."""


class ParameterError(MaxlikError, ValueError):
    """A parameter value or option is invalid (outside its constraint, unknown name, ...)."""


class DegenerateFitError(MaxlikError, ValueError):
    """The maximum likelihood estimate does not exist or sits on the boundary.

    Examples: zero variance (the likelihood is unbounded as scale -> 0), a singular covariance
    matrix, a single observation.
    """


class UnknownFamilyError(MaxlikError, ValueError):
    """A family name that is not in the registry."""


class OutputPathError(MaxlikError, ValueError):
    """An output path (a figure, a report folder, a predictions file) that cannot be written."""


class ModelFileError(MaxlikError, ValueError):
    """A file that :func:`maxlik.load` cannot read: not a maxlik file, truncated, altered since it
    was saved, of a newer format version, or of a kind this version does not know."""


class FitFailedError(MaxlikError, RuntimeError):
    """An iterative fit failed and ``strict=True`` asked for an exception."""


class ConvergenceWarning(UserWarning):
    """An iterative fit stopped before meeting its tolerance; the result is still returned."""


class DegenerateFitWarning(UserWarning):
    """A fit ended on the boundary of the parameter space (e.g. a mixture component collapsed onto
    identical values: a spike of an unbounded likelihood, not a maximum); the result is returned,
    with the reason in its ``degenerate_`` attribute, and model selection skips it."""


class InferenceWarning(UserWarning):
    """Standard errors or intervals are unavailable (e.g. an estimate on the boundary)."""
