"""Shared plumbing of the regression estimators: input validation, design matrix, names.

The design matrix is X (n, d) with, when ``fit_intercept``, a leading column of ones; the
coefficient names are ``["intercept", *feature_names]`` (feature names from a DataFrame's
columns, else ``x0, x1, ...``).
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils.validation import _assert_all_finite, check_is_fitted, validate_data

from .._validation import as_weights
from ..errors import ParameterError


def check_bool(value, name: str, owner: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ParameterError(f"{owner}: `{name}` must be True or False; got {value!r}. Pass a bool.")
    return bool(value)


def check_positive_int(value, name: str, owner: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < 1:
        raise ParameterError(f"{owner}: `{name}` must be a positive integer; got {value!r}. Pass e.g. 100.")
    return int(value)


def check_positive_float(value, name: str, owner: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value <= 0:
        raise ParameterError(f"{owner}: `{name}` must be a positive finite number; got {value!r}. Pass e.g. 1e-8.")
    return float(value)


class RegressionBase:
    """Mixin: ``_validate_fit`` / ``_validate_predict`` / ``_design`` / ``_names``."""

    _owner = "Regression"

    def _validate_fit(self, X, y, sample_weight, y_numeric=True, check_finite_X=True):
        """``check_finite_X=False`` defers the scan of X for NaN/inf (a full pass over X) to
        :meth:`_raise_if_X_not_finite`, for fits whose log-likelihood is NaN whenever X is not
        finite (every row enters it through η = Xβ)."""
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=y_numeric, ensure_min_samples=1,
                             ensure_all_finite=check_finite_X)
        w = as_weights(sample_weight, X.shape[0], self._owner)
        if w is None:
            w = np.ones(X.shape[0])
        return X, y, w

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
        feats = list(getattr(self, "feature_names_in_", [f"x{j}" for j in range(self.n_features_in_)]))
        return (["intercept"] if self.fit_intercept else []) + [str(f) for f in feats]

    def _check_rows(self, n, p):
        if n < p:
            raise_few_rows(self._owner, n, p)


def raise_few_rows(owner, n, p):
    from ..errors import DegenerateFitError

    raise DegenerateFitError(
        f"{owner}: the number of samples must be at least the number of coefficients ({p}); "
        f"got {n} sample(s). Add data, drop features, or use fit_intercept=False."
    )
