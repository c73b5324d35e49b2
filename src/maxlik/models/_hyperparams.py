"""Declared hyper-parameters of the Gaussian estimators: scikit-learn's ``_parameter_constraints``
table, checked by scikit-learn's ``validate_parameter_constraints``, with maxlik's message.

scikit-learn words a failure "The 'reg_covar' parameter of GaussianMixture must be a float in
the range [0.0, inf). Got -1 instead."; the error raised here keeps the project's template
"GaussianMixture: reg_covar must be a non-negative number; got -1." (owner first, the options in
their documented order, a "Did you mean" for a misspelt option). It is both maxlik's
``ParameterError`` and scikit-learn's ``InvalidParameterError``.
"""

from __future__ import annotations

import difflib
from numbers import Integral, Real

from sklearn.utils._param_validation import Interval, InvalidParameterError, StrOptions, validate_parameter_constraints

from ..errors import ParameterError



class _IntInterval(Interval):
    """An integer ``Interval`` that refuses booleans (scikit-learn's accepts True as 1)."""

    def is_satisfied_by(self, val):
        return not isinstance(val, bool) and super().is_satisfied_by(val)


POSITIVE_INT = _IntInterval(Integral, 1, None, closed="left")
NON_NEGATIVE = Interval(Real, 0, float("inf"), closed="left")  # [0, inf): inf and NaN refused


class HyperParameterError(ParameterError, InvalidParameterError):
    """A hyper-parameter outside its declared constraint."""


class OneOf(StrOptions):
    """``StrOptions`` that keeps the declared order of the options (for messages). ``shown``: the
    options the message lists (default all), ``note``: a sentence appended that names the rest."""

    def __init__(self, options, *, shown=None, note=""):
        super().__init__(set(options))
        self.choices = tuple(options)
        self.ordered = tuple(options if shown is None else shown)
        self.note = note


def describe(constraint) -> str:
    if constraint is None:
        return "None"
    if constraint == "boolean":
        return "True or False"
    if isinstance(constraint, OneOf):
        return f"one of {list(constraint.ordered)}"
    if isinstance(constraint, Interval) and constraint.right in (None, float("inf")):
        kind = "integer" if constraint.type is Integral else "number"
        if constraint.left == 1 and constraint.type is Integral:
            return "a positive integer"
        if constraint.left == 0:
            return f"a {'non-negative' if constraint.closed in ('left', 'both') else 'positive'} {kind}"
    return str(constraint)


class DeclaredHyperParameters:
    """Mixin for estimators whose ``fit`` runs under scikit-learn's ``_fit_context``: its check of
    ``_parameter_constraints`` raises with maxlik's message (:func:`check_hyperparameters`)."""

    def _validate_params(self):
        check_hyperparameters(self)


def check_hyperparameters(estimator) -> None:
    """Validate ``estimator``'s hyper-parameters against its ``_parameter_constraints``."""
    owner = type(estimator).__name__
    for name, constraints in estimator._parameter_constraints.items():
        value = getattr(estimator, name)
        try:
            validate_parameter_constraints({name: constraints}, {name: value}, owner)
        except InvalidParameterError:
            hint = ""
            for c in constraints:
                if isinstance(c, OneOf):
                    pool = {o.lower(): o for o in c.choices}
                    close = difflib.get_close_matches(str(value).lower(), list(pool), n=1)
                    hint = (f" Did you mean {pool[close[0]]!r}?" if close else "") + c.note
            what = " or ".join(describe(c) for c in constraints)
            raise HyperParameterError(f"{owner}: {name} must be {what}; got {value!r}.{hint}") from None


__all__ = ["DeclaredHyperParameters", "HyperParameterError", "OneOf", "POSITIVE_INT", "NON_NEGATIVE", "check_hyperparameters"]
