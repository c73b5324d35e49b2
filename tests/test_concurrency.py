"""Fitting from several threads at once gives the sequential answers (issue #16 item 5), and
scikit-learn's parallel model selection (processes and threads) works with maxlik's estimators."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, cross_val_score
from joblib import parallel_backend

import maxlik
from maxlik import GaussianClassifier, GaussianMixture, LinearRegression, LogisticRegression, PoissonRegression

rng = np.random.default_rng(16)
X = rng.normal(size=(300, 3))
Y_BIN = (X @ [1.0, -0.5, 0.25] + rng.normal(size=300) > 0).astype(int)
Y_CNT = rng.poisson(np.exp(0.3 * X[:, 0]))
Y_LIN = X @ [2.0, 1.0, -1.0] + rng.normal(size=300)
POS = rng.gamma(2.0, 1.5, size=500)


def _jobs():
    """(name, function returning a comparable summary): mixed families and estimators."""
    return [
        ("normal", lambda: maxlik.fit(POS, "normal").params),
        ("gamma", lambda: maxlik.fit(POS, "gamma").params),
        ("weibull", lambda: maxlik.fit(POS, "weibull").params),
        ("student_t", lambda: maxlik.fit(POS, "student_t").params),
        ("negbin", lambda: maxlik.fit(Y_CNT, "negative_binomial").params),
        ("censored", lambda: maxlik.fit(maxlik.Censored.from_events(POS, POS < 5), "weibull").params),
        ("classifier", lambda: GaussianClassifier().fit(X, Y_BIN).predict_proba(X)),
        ("logistic", lambda: LogisticRegression().fit(X, Y_BIN).coef_),
        ("poisson", lambda: PoissonRegression().fit(X, Y_CNT).coef_),
        ("linear", lambda: LinearRegression().fit(X, Y_LIN).coef_),
        ("mixture", lambda: GaussianMixture(2, random_state=0).fit(X).means_),
        ("loglik", lambda: maxlik.fit_loglik(lambda p, x: -((x - p["m"]) ** 2) / 2, POS, {"m": 1.0}).params),
    ]


def _same(a, b):
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            np.testing.assert_allclose(np.asarray(a[k]), np.asarray(b[k]), rtol=1e-10, atol=1e-12)
    else:
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-10, atol=1e-12)


def test_eight_threads_give_the_sequential_answers():
    jobs = _jobs() * 3  # the same fit in several threads at once, too
    sequential = {name: fn() for name, fn in _jobs()}
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [(name, pool.submit(fn)) for name, fn in jobs]
        for name, fut in futures:
            _same(fut.result(timeout=600), sequential[name])


@pytest.mark.parametrize("backend", ["loky", "threading"])
def test_cross_val_score_in_parallel(backend):
    with parallel_backend(backend, n_jobs=2):
        parallel = cross_val_score(LogisticRegression(), X, Y_BIN, cv=3, n_jobs=2)
    serial = cross_val_score(LogisticRegression(), X, Y_BIN, cv=3, n_jobs=1)
    np.testing.assert_allclose(parallel, serial, rtol=1e-12)


@pytest.mark.parametrize("backend", ["loky", "threading"])
def test_grid_search_in_parallel(backend):
    grid = {"covariance_type": ["full", "diag", "tied", "spherical"]}
    with parallel_backend(backend, n_jobs=2):
        parallel = GridSearchCV(GaussianClassifier(), grid, cv=3, n_jobs=2).fit(X, Y_BIN)
    serial = GridSearchCV(GaussianClassifier(), grid, cv=3, n_jobs=1).fit(X, Y_BIN)
    assert parallel.best_params_ == serial.best_params_
    np.testing.assert_allclose(parallel.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"], rtol=1e-12)
