"""scikit-learn's estimator conformance checks for GaussianClassifier.

Checks that cannot pass, with the reason, are listed in EXPECTED_FAILURES.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from maxlik.models.classifier import GaussianClassifier

EXPECTED_FAILURES = {}


@parametrize_with_checks(
    [GaussianClassifier(covariance_type=c, reg_covar=1e-6) for c in ("full", "diag", "tied", "spherical", "VEV", "EVE")],
    expected_failed_checks=lambda est: EXPECTED_FAILURES,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
