"""Shared plumbing of the regression estimators: hyper-parameter tables, input validation,
design matrix, names.

The design matrix is X (n, d) with, when ``fit_intercept``, a leading column of ones; the
coefficient names are ``["intercept", *feature_names]`` (feature names from a DataFrame's
columns or ``fit(..., feature_names=...)``, else ``x0, x1, ...``; see ``_names``).
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import _assert_all_finite, check_is_fitted, validate_data

from .._validation import as_weights
from ..errors import DegenerateFitError
from ._hyperparams import DeclaredHyperParameters, OneOf
from ._names import feature_names, set_feature_names


# Hyper-parameter tables (scikit-learn's declarative `_parameter_constraints`), checked by
# `_fit_context` on every fit (the Newton-fitted estimators' options; see PenalisedNewtonBase).
NEWTON_PARAMS: dict = {
    "fit_intercept": ["boolean"],
    "max_iter": [Interval(Integral, 1, None, closed="left")],
    "tol": [Interval(Real, 0, None, closed="neither")],  # (0, inf): inf and NaN are refused
}


class Refit:
    """``refit((X, y), w)``: a fresh copy of the estimator fitted to those rows, its ``result_``
    (a class, not a closure, so that fitted estimators still pickle)."""

    def __init__(self, estimator, names):
        self.estimator, self.names = estimator, list(names)

    def __call__(self, rows, weights):
        from sklearn.base import clone

        X, y = rows
        return clone(self.estimator).fit(X, y, sample_weight=weights, feature_names=self.names).result_


class RegressionBase(DeclaredHyperParameters):
    """Mixin: ``_validate_fit`` / ``_validate_predict`` / ``_design`` / ``_names``; hyper-parameters
    checked against ``_parameter_constraints`` with maxlik's messages."""

    _owner = "Regression"

    def _validate_fit(self, X, y, sample_weight, y_numeric=True, check_finite_X=True, names=None):
        """``names``: the ``feature_names`` given to ``fit`` (None: the DataFrame's, or x0 ...).
        ``check_finite_X=False`` defers the scan of X for NaN/inf (a full pass over X) to
        :meth:`_raise_if_X_not_finite`, for fits whose log-likelihood is NaN whenever X is not
        finite (every row enters it through η = Xβ)."""
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=y_numeric, ensure_min_samples=1,
                             ensure_all_finite=check_finite_X)
        set_feature_names(self, names, X.shape[1])
        w = as_weights(sample_weight, X.shape[0], self._owner)
        if w is None:
            w = np.ones(X.shape[0])
        return X, y, w

    def _resamplable(self, X, y, w):
        """``self`` with ``result_`` keeping the rows and the refit that ``result_.bootstrap()`` needs."""
        from ..results.resampling import ResampleData

        self.result_._resample = ResampleData((X, y), w, "regression", Refit(self, feature_names(self)))
        return self

    def _raise_if_X_not_finite(self, X):
        """scikit-learn's error for NaN/inf in X (deferred by ``_validate_fit(check_finite_X=False)``);
        call it when the fit came out non-finite or did not converge."""
        _assert_all_finite(X, input_name="X", estimator_name=type(self).__name__)

    def _validate_predict(self, X):
        check_is_fitted(self)
        return validate_data(self, X, dtype=np.float64, reset=False)

    def _design(self, X):
        if self.fit_intercept:
            return np.hstack([np.ones((X.shape[0], 1)), X])
        return X

    def _names(self):
        return (["intercept"] if self.fit_intercept else []) + feature_names(self)

    def _check_rows(self, n, p):
        if n < p:
            raise DegenerateFitError(
                f"{self._owner}: the number of samples must be at least the number of coefficients ({p}); "
                f"got {n} sample(s). Add data, drop features, or use fit_intercept=False."
            )


class PenalisedNewtonBase(RegressionBase):
    """The hyper-parameters of the Newton-fitted classifiers (Logistic, Softmax): ``penalty=None``
    is the MLE, ``"l2"`` adds ‖β‖²/(2C) over the slopes (the MAP under Normal(0, C) priors)."""

    _parameter_constraints: dict = {
        **NEWTON_PARAMS,
        "penalty": [None, OneOf(["l2"])],
        "C": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(self, fit_intercept=True, penalty=None, C=1.0, max_iter=100, tol=1e-8):
        self.fit_intercept = fit_intercept
        self.penalty = penalty
        self.C = C
        self.max_iter = max_iter
        self.tol = tol
