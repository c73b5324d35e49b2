"""Every estimator accepts polars DataFrames / Series as well as NumPy and pandas (issue 4): the
fit equals the fit on the NumPy array, and the column names reach ``feature_names_in_`` and the
parameter names of ``result_``."""

from __future__ import annotations

import numpy as np
import pytest

pl = pytest.importorskip("polars")

from maxlik.models import (  # noqa: E402
    GaussianClassifier,
    GaussianMixture,
    LinearRegression,
    LogisticRegression,
    PoissonRegression,
    SoftmaxRegression,
)

RNG = np.random.default_rng(0)
X = RNG.normal(size=(300, 3))
TARGETS = {
    "binary": (RNG.random(300) < 1 / (1 + np.exp(-X @ [1.0, -1.0, 0.5]))).astype(int),
    "classes": RNG.integers(0, 3, 300),
    "real": X @ [1.0, 2.0, 3.0] + RNG.normal(size=300),
    "counts": RNG.poisson(np.exp(0.3 * X[:, 0])),
}
CASES = [
    (LogisticRegression, "binary", "coef"),
    (LinearRegression, "real", "coef"),
    (PoissonRegression, "counts", "coef"),
    (SoftmaxRegression, "classes", "coef"),
    (GaussianClassifier, "classes", "means_"),
]


@pytest.mark.parametrize("make, target, attr", CASES)
def test_supervised_estimators_take_polars(make, target, attr):
    df = pl.DataFrame({"alpha": X[:, 0], "beta": X[:, 1], "gamma": X[:, 2]})
    y = TARGETS[target]
    on_polars = make().fit(df, pl.Series("y", y))
    on_numpy = make().fit(X, y)
    assert list(on_polars.feature_names_in_) == ["alpha", "beta", "gamma"]
    got = on_polars.result_.coef if attr == "coef" else getattr(on_polars, attr)
    want = on_numpy.result_.coef if attr == "coef" else getattr(on_numpy, attr)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    labels = " ".join(on_polars.result_.stderr)
    assert all(name in labels for name in ("alpha", "beta", "gamma"))
    # same numbers up to the last bits (polars hands over a column-major array: other BLAS paths)
    np.testing.assert_allclose(on_polars.predict(df), on_numpy.predict(X), rtol=1e-12)


def test_mixture_takes_polars():
    two = np.vstack([X[:150] - 3.0, X[150:] + 3.0])  # two clusters: a proper maximum
    df = pl.DataFrame({"alpha": two[:, 0], "beta": two[:, 1], "gamma": two[:, 2]})
    on_polars = GaussianMixture(2, random_state=0).fit(df)
    on_numpy = GaussianMixture(2, random_state=0).fit(two)
    assert list(on_polars.feature_names_in_) == ["alpha", "beta", "gamma"]
    np.testing.assert_allclose(on_polars.means_, on_numpy.means_, rtol=1e-12)
    assert "mean[0][alpha]" in on_polars.result_.stderr
