"""scikit-learn's estimator checks for the regression models. Checks that cannot pass are listed
with the reason in EXPECTED_FAILED (passed to parametrize_with_checks)."""

from __future__ import annotations

import pytest
import inspect

import numpy as np
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import parametrize_with_checks

import maxlik
from maxlik.models import (
    GaussianClassifier, GaussianMixture, LinearRegression, LogisticRegression, PoissonRegression, SoftmaxRegression,
)

FEWER_ROWS_THAN_COEFFICIENTS = {
    "check_sample_weight_equivalence_on_dense_data": (
        "the check fits 30 features on fewer rows with positive weight than coefficients; the "
        "unpenalised MLE is then not unique and the estimator raises DegenerateFitError by design"
    ),
}

EXPECTED_FAILED: dict[str, dict[str, str]] = {
    "LinearRegression": FEWER_ROWS_THAN_COEFFICIENTS,
    "LogisticRegression": {},
    "PoissonRegression": FEWER_ROWS_THAN_COEFFICIENTS,
    "SoftmaxRegression": {},
}

# The classifiers are checked with penalty="l2": most checks fit separable toy data (blobs, iris),
# where the unpenalised MLE does not exist and the default estimators raise DegenerateFitError.
ESTIMATORS = [LinearRegression(), LogisticRegression(penalty="l2"), PoissonRegression(),
              SoftmaxRegression(penalty="l2")]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=lambda est: EXPECTED_FAILED[type(est).__name__])
def test_sklearn_compatible(estimator, check):
    check(estimator)


class _BadType:
    """A value of no declared type."""


@pytest.mark.parametrize("estimator", [*ESTIMATORS, GaussianMixture(2), GaussianClassifier()], ids=lambda est: type(est).__name__)
def test_parameter_constraints_cover_every_parameter(estimator):
    # every constructor argument is declared in _parameter_constraints, and a value of no declared
    # type is refused at fit with maxlik's message (owner: name must be ...; got ...), raised as
    # maxlik's ParameterError and scikit-learn's InvalidParameterError at once
    cls = type(estimator)
    names = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    assert sorted(names) == sorted(cls._parameter_constraints)
    X = np.random.default_rng(0).normal(size=(30, 2))
    y = (X[:, 0] > 0).astype(float)
    for name in names:
        est = cls(**{**estimator.get_params(), name: _BadType()})
        with pytest.raises(maxlik.ParameterError, match=rf"^{cls.__name__}: {name} must be .*; got <") as info:
            est.fit(X, y)
        assert isinstance(info.value, InvalidParameterError)
