"""scikit-learn's estimator checks for GaussianMixture. Checks that cannot pass are listed with
the reason in EXPECTED_FAILED (passed to parametrize_with_checks)."""

from __future__ import annotations

from sklearn.utils.estimator_checks import parametrize_with_checks

from maxlik.models import GaussianMixture

EXPECTED_FAILED: dict[str, str] = {
    "check_sample_weight_equivalence_on_dense_data": (
        "the random start (k-means++ seeding) draws rows, so integer weights and repeated rows give "
        "different starts and possibly permuted component labels; from the same start the fits are "
        "equal (test_mixture.py::test_sample_weight_equals_repeated_rows)"
    ),
}


@parametrize_with_checks([GaussianMixture(n_components=2, random_state=0),
                          GaussianMixture(n_components=2, covariance_type="VEV", random_state=0)],  # an mclust model
                         expected_failed_checks=lambda est: EXPECTED_FAILED)
def test_sklearn_compatible(estimator, check):
    check(estimator)
