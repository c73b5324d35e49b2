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
    # as JSON text, so that a NaN (df's standard error at the df → ∞ limit) equals itself
    assert json.dumps(back.to_dict(), sort_keys=True) == json.dumps(r.to_dict(), sort_keys=True)
    for k, v in r.params.items():
        np.testing.assert_array_equal(back.params[k], v)


@pytest.mark.parametrize("name", S.NAMES)
@given(data=hs.data())
def test_every_result_survives_json(name, data):
    _, x = data.draw(hs.one_of(S.family_data(name), S.adversarial(name).map(lambda x: (None, x))), label="params, x")
    r = S.try_fit(x, S.family(name))
    if r is not None:
        _round_trip(r)


@pytest.mark.parametrize("kind", S.ESTIMATORS)
@given(seed=hs.integers(0, 2**32 - 1), n=hs.integers(10, 200))
def test_every_estimator_result_survives_json(kind, seed, n):
    est, (X, y) = S.estimator(kind), S.estimator_data(kind, np.random.default_rng(seed), n)
    try:
        est.fit(X) if y is None else est.fit(X, y)
    except maxlik.MaxlikError:
        return
    _round_trip(est.result_)
