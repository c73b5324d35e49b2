"""GaussianClassifier fit + predict_proba vs scikit-learn (N = 10⁶, D = 20, 10 classes).

Each covariance type is compared with scikit-learn's estimator of the same model:
diag ↔ GaussianNB, full ↔ QuadraticDiscriminantAnalysis, tied ↔ LinearDiscriminantAnalysis.
"""

from __future__ import annotations

import os

import numpy as np
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis, QuadraticDiscriminantAnalysis
from sklearn.naive_bayes import GaussianNB

from maxlik.models.classifier import GaussianClassifier

from .harness import compare

N = int(os.environ.get("MAXLIK_BENCH_N", 1_000_000))
NOTES = """pomegranate is not in the comparison: its only release line needs PyTorch, which is not
part of this project's pinned environment (a CPU wheel would add ~1 GB); the row is skipped."""


def _data(n=N, d=20, k=10, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 3, (k, d))
    y = rng.integers(0, k, n)
    X = centres[y] + rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, (k, d))[y]
    return X, y


def _fit_predict(est, X, y):
    return lambda: est.fit(X, y).predict_proba(X)


def main() -> list[dict]:
    X, y = _data()
    rows = []
    pairs = [
        ("diag", GaussianNB(var_smoothing=0.0), "sklearn GaussianNB"),
        ("full", QuadraticDiscriminantAnalysis(), "sklearn QDA"),
        ("tied", LinearDiscriminantAnalysis(solver="lsqr"), "sklearn LDA (lsqr)"),
    ]
    for ctype, ref, label in pairs:
        ours = GaussianClassifier(covariance_type=ctype)
        p_ours, p_ref = ours.fit(X, y).predict_proba(X), ref.fit(X, y).predict_proba(X)
        agree = float(np.mean(p_ours.argmax(1) == p_ref.argmax(1)))
        rows += compare(
            f"GaussianClassifier({ctype!r}) fit + predict_proba, N={N:,}, D=20, K=10 (argmax agreement {agree:.6f})",
            _fit_predict(ours, X, y),
            {label: _fit_predict(ref, X, y)},
            repeat=3,
        )
    return rows
