"""Weights, for every family of the registry: integer weights equal repeated rows, weights of 0
equal removed rows, and a common factor in the weights changes no estimate (the log-likelihood
scales with it). Estimators with ``sample_weight`` obey the first rule too."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as hs

import maxlik
import strategies as S


def weights_family(name):
    """The family, with Categorical's categories fixed at K: by default it takes them from the
    largest label present, and a row of weight 0 still names its label (p̂ = 0), a removed row not."""
    return maxlik.Categorical(num_categories=S.K) if name == "categorical" else S.family(name)


def _same(name, a, b, x):
    # the same likelihood (up to a constant factor): both fits succeed, or neither does
    assert S.ok(a) == S.ok(b), (None if a is None else a.message, None if b is None else b.message)
    if S.ok(a) and S.ok(b):
        assert S.same_estimate(name, a, b, x), (a.params, b.params)
        return True
    return False


@pytest.mark.parametrize("name", S.NAMES)
@given(data=hs.data())
def test_integer_weights_equal_repeated_rows(name, data):
    _, x = data.draw(S.family_data(name, max_n=60), label="params, x")
    w = np.asarray(data.draw(hs.lists(hs.integers(0, 4), min_size=len(x), max_size=len(x)), label="w"), dtype=float)
    _check_integer_weights(name, x, w)


def _check_integer_weights(name, x, w):
    fam = weights_family(name)
    repeated = np.repeat(x, w.astype(int), axis=0)
    if len(repeated) == 0:
        return
    weighted, plain = S.try_fit(x, fam, weights=w), S.try_fit(repeated, fam)
    if _same(name, weighted, plain, x):
        assert weighted.loglik == pytest.approx(plain.loglik, rel=1e-9, abs=1e-9)
        assert weighted.weight == len(repeated)


# found at 10⁴ examples (seed 20261252, with the whole suite collected): weibull3 on a ridge toward
# its Gumbel limit (concentration ≈ 600, loc ≈ −374), flat to 1e-5 nats over loc −300…−500; Newton
# from the coarse profile grid crawled, and the weighted fit stopped at max_iter where the repeated
# rows converged (threshold_fit.py now starts at the profile's refined maximum)
FOUND_INTEGER = [
    ("weibull3", [4.656258595963895, 3.976965086600229, 3.9532016948794064, 3.0969011856108946, 3.399151373506115,
                  5.210655350340965, 4.208966328792538, 3.8991365295768294, 3.994806132868465, 4.243565033069729,
                  4.057515391108313, 4.232198933079602, 2.948966604108809, 2.848750137532946, 4.138496552968362,
                  4.909583423098011, 4.296517342118881, 3.6083953273341396, 4.32883224248837, 2.448578984342043,
                  5.163211477882165, 4.151148539384444, 5.347067293015735, 3.292934313270068, 3.262590471964143,
                  4.542901818125794, 4.863939087552254, 4.677137602499309, 3.974617635562907, 2.645217970768009,
                  4.169929397142308, 2.496691839024488, 5.16234001638629, 5.022734301441234, 4.804198173005762],
     [3, 0, 1, 0, 1, 4, 3, 3, 2, 2, 0, 4, 3, 3, 4, 2, 1, 2, 3, 3, 2, 1, 1, 2, 0, 4, 0, 4, 0, 2, 3, 0, 3, 3, 1]),
]


@pytest.mark.parametrize("name, x, w", FOUND_INTEGER)
def test_the_minimal_integer_weight_examples_are_fixed(name, x, w):
    _check_integer_weights(name, np.asarray(x), np.asarray(w, dtype=float))


@pytest.mark.parametrize("name", S.NAMES)
@given(data=hs.data())
def test_zero_weights_equal_removed_rows(name, data):
    _, x = data.draw(S.family_data(name, max_n=1000), label="params, x")
    keep = np.asarray(data.draw(hs.lists(hs.booleans(), min_size=len(x), max_size=len(x)), label="keep"))
    if not keep.any():
        return
    rng = np.random.default_rng(data.draw(hs.integers(0, 2**32 - 1), label="seed"))
    w = np.where(keep, rng.uniform(0.5, 2.0, len(x)), 0.0)
    fam = weights_family(name)
    a, b = S.try_fit(x, fam, weights=w), S.try_fit(x[keep], fam, weights=w[keep])
    if _same(name, a, b, x):
        assert a.loglik == pytest.approx(b.loglik, rel=1e-9, abs=1e-9)


def _common_factor(name, data, log10_factor):
    _, x = data.draw(S.family_data(name, max_n=1000), label="params, x")
    rng = np.random.default_rng(data.draw(hs.integers(0, 2**32 - 1), label="seed"))
    w = rng.uniform(0.1, 3.0, len(x))
    c = 10.0 ** log10_factor
    fam = S.family(name)
    a, b = S.try_fit(x, fam, weights=c * w), S.try_fit(x, fam, weights=w)
    if _same(name, a, b, x):
        assert a.loglik == pytest.approx(c * b.loglik, rel=1e-9, abs=1e-300)


@S.NO_SHRINK_IN_CI
@pytest.mark.parametrize("name", S.NAMES)
@given(data=hs.data(), log10_factor=hs.floats(0, 100))
def test_a_common_factor_in_the_weights_changes_no_estimate(name, data, log10_factor):
    _common_factor(name, data, log10_factor)


# The convergence rule (optimize/_convergence.py) judges the Newton decrement against tol times the
# mean weight when the weights average below 1: before, the rule was absolute in the weighted NLL,
# and weights scaled by c < 1 stopped numerical fits up to √(2·10⁻⁸/c) standard errors away.
# Minimal example found by hypothesis: beta, x = [0.70246795, 0.71256866], w = U(0.1, 3) (seed 0),
# c = 1e-4 gave concentration1 6660.63 against 6660.55.
@S.NO_SHRINK_IN_CI
@pytest.mark.parametrize("name", S.NAMES)
@given(data=hs.data(), log10_factor=hs.floats(-100, 0))
def test_a_small_common_factor_in_the_weights_changes_no_estimate(name, data, log10_factor):
    _common_factor(name, data, log10_factor)


@pytest.mark.parametrize("c", [1e-4, 1e-50])
def test_the_minimal_small_factor_example_is_fixed(c):
    from scipy import optimize, stats

    x = np.array([0.70246795, 0.71256866])
    w = np.random.default_rng(0).uniform(0.1, 3.0, 2)
    r = maxlik.fit(x, maxlik.Beta(), weights=c * w)
    assert r.converged and "x mean weight" in r.message

    def nll(u):  # the weighted Beta NLL in log parameters, minimised by scipy (an independent reference)
        return -np.sum(w * stats.beta.logpdf(x, np.exp(u[0]), np.exp(u[1])))

    ref = optimize.minimize(nll, np.log([6000.0, 2500.0]), method="Nelder-Mead",
                            options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 20000})
    np.testing.assert_allclose([r.params["concentration1"], r.params["concentration0"]], np.exp(ref.x), rtol=1e-6)
    assert r.loglik == pytest.approx(-c * ref.fun, rel=1e-9)


WEIGHTED = [k for k in S.ESTIMATORS if k != "GaussianMixture"]  # EM from a random start: repeated rows move it


@pytest.mark.parametrize("kind", WEIGHTED)
@given(seed=hs.integers(0, 2**32 - 1), n=hs.integers(20, 200))
def test_estimator_integer_weights_equal_repeated_rows(kind, seed, n):
    rng = np.random.default_rng(seed)
    X, y = S.estimator_data(kind, rng, n)
    w = rng.integers(0, 4, n)
    w[:3] = 1  # keep every class present
    try:
        a = getattr(maxlik, kind)().fit(X, y, sample_weight=w.astype(float))
        b = getattr(maxlik, kind)().fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    except maxlik.MaxlikError:
        return
    ra, rb = a.result_, b.result_
    for k in ra.params:
        np.testing.assert_allclose(ra.params[k], rb.params[k], rtol=1e-6, atol=1e-8)
    assert ra.loglik == pytest.approx(rb.loglik, rel=1e-8)
