"""The fused GLM pass (maxlik.models._glm): split over threads or not, weighted or not, it gives
the NLL, gradient and Hessian of the dense formulas  Σ w [b(η) − yη],  Xᵀ W (μ − y),
Xᵀ diag(w b''(η)) X, and max |η| over the rows with positive weight."""

from __future__ import annotations

import numpy as np
import pytest

from maxlik.models import _glm
from maxlik.models.logistic import _logistic_terms
from maxlik.models.poisson import _poisson_terms


def dense(X, y, w, beta, fit_intercept, terms):
    A = np.column_stack([np.ones(len(X)), X]) if fit_intercept else X
    eta = A @ beta
    f, r, v = terms(eta, y, True)
    return w @ f, A.T @ (w * r), (A * (w * v)[:, None]).T @ A, np.abs(eta[w > 0]).max()


@pytest.mark.parametrize("terms", [_logistic_terms, _poisson_terms])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [True, False])
def test_threaded_pass_equals_dense_formulas(terms, fit_intercept, weighted):
    rng = np.random.default_rng(7)
    n, d = 70_001, 4  # > 2 × MIN_ROWS_PER_THREAD: split over threads where there are cores
    X = rng.normal(size=(n, d))
    y = (rng.random(n) < 0.5).astype(float) if terms is _logistic_terms else rng.poisson(1.5, n).astype(float)
    w = rng.uniform(0, 2, n) if weighted else np.ones(n)
    if weighted:
        w[:: 7] = 0.0
        X[0] *= 100.0  # the largest |η|, on a row of weight 0: must not count
    beta = rng.normal(0, 0.3, d + fit_intercept)
    nll, g, H, eta_max = _glm.glm_pass(X, fit_intercept, y, w if weighted else None, beta, terms, "hess", chunk=4096)
    ref = dense(X, y, w, beta, fit_intercept, terms)
    assert nll == pytest.approx(ref[0], rel=1e-12)
    np.testing.assert_allclose(g, ref[1], rtol=1e-10, atol=1e-9 * np.abs(ref[1]).max())
    np.testing.assert_allclose(H, ref[2], rtol=1e-10, atol=1e-12 * np.abs(ref[2]).max())
    assert eta_max == pytest.approx(ref[3], rel=1e-14)
    grad_only = _glm.glm_pass(X, fit_intercept, y, w if weighted else None, beta, terms, "grad", chunk=4096)
    assert grad_only[2] is None and grad_only[3] is None
    np.testing.assert_allclose(grad_only[1], g, rtol=1e-12, atol=1e-12 * np.abs(g).max())
