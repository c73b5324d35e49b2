"""Round trips: every result of every family, and the result of every fitted estimator, survives
to_dict → JSON → from_dict with the identical log-likelihood, parameters and summary."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as hs

import maxlik
import strategies as S
from maxlik.results import Result


def _round_trip(r):
    back = Result.from_dict(json.loads(json.dumps(r.to_dict())))
    assert type(back) is type(r)
    assert back.loglik == r.loglik
    assert back.summary() == r.summary()
    assert back.to_dict() == r.to_dict()
    for k, v in r.params.items():
        np.testing.assert_array_equal(back.params[k], v)


@pytest.mark.parametrize("name", S.NAMES)
@given(data=hs.data())
def test_every_result_survives_json(name, data):
    _, x = data.draw(hs.one_of(S.family_data(name), S.adversarial(name).map(lambda x: (None, x))), label="params, x")
    r = S.try_fit(x, S.family(name))
    if r is not None:
        _round_trip(r)


def _estimator(kind, rng, n):
    X = rng.normal(size=(n, 2))
    y2 = (X[:, 0] + rng.logistic(size=n) > 0).astype(int)
    if kind == "GaussianMixture":
        return maxlik.GaussianMixture(n_components=2, random_state=0), np.concatenate([X, X + 5.0]), None
    if kind == "LinearRegression":
        return maxlik.LinearRegression(), X, X @ [1.0, -2.0] + rng.normal(size=n)
    if kind == "PoissonRegression":
        return maxlik.PoissonRegression(), X, rng.poisson(np.exp(0.3 * X[:, 0])).astype(float)
    if kind == "SoftmaxRegression":
        return maxlik.SoftmaxRegression(), X, np.argmax(X @ [[1.0, 0.0, -1.0], [0.0, 1.0, -1.0]] + rng.gumbel(size=(n, 3)), axis=1)
    if kind == "GaussianClassifier":
        return maxlik.GaussianClassifier(), X + 3.0 * y2[:, None], y2
    return maxlik.LogisticRegression(), X, y2


@pytest.mark.parametrize("kind", ["GaussianClassifier", "GaussianMixture", "LinearRegression", "LogisticRegression",
                                  "PoissonRegression", "SoftmaxRegression"])
@given(seed=hs.integers(0, 2**32 - 1), n=hs.integers(10, 200))
def test_every_estimator_result_survives_json(kind, seed, n):
    est, X, y = _estimator(kind, np.random.default_rng(seed), n)
    try:
        est.fit(X) if y is None else est.fit(X, y)
    except maxlik.MaxlikError:
        return
    _round_trip(est.result_)
