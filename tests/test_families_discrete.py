"""Discrete families (Bernoulli, Binomial, Categorical, Poisson, Geometric) against independent
references: scipy.stats log-pmfs, scipy.optimize maximisation of scipy's log-likelihood, closed
forms of the Fisher information, and properties of the sufficient statistics (hypothesis)."""

import dataclasses
import math
import warnings

import numpy as np
import pytest
import scipy.optimize as so
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

import maxlik
from maxlik._jax import jax, jnp

N_TRIALS = 12  # total_count of the Binomial cases


def scipy_logpmf(name, x, p):
    """Independent reference log-pmf; ``p`` is the scalar parameter (or probs vector)."""
    x = np.asarray(x, dtype=float)
    if name == "bernoulli":
        return st.bernoulli.logpmf(x, p)
    if name == "binomial":
        return st.binom.logpmf(x, N_TRIALS, p)
    if name == "poisson":
        return st.poisson.logpmf(x, p)
    if name == "geometric":
        return st.geom.logpmf(x, p, loc=-1)  # scipy counts trials; loc=-1 counts failures
    if name == "categorical":
        onehot = np.eye(len(p))[x.astype(int)]
        return st.multinomial.logpmf(onehot, 1, p)
    raise KeyError(name)


def family(name):
    return maxlik.Binomial(total_count=N_TRIALS) if name == "binomial" else maxlik.get_family(name)


def draw(name, n, seed):
    """Data from numpy's own generators (not the families' sample methods)."""
    rng = np.random.default_rng(seed)
    if name == "bernoulli":
        return rng.binomial(1, 0.3, n)
    if name == "binomial":
        return rng.binomial(N_TRIALS, 0.35, n)
    if name == "poisson":
        return rng.poisson(4.2, n)
    if name == "geometric":
        return rng.geometric(0.25, n) - 1
    if name == "categorical":
        return rng.choice(4, size=n, p=[0.1, 0.2, 0.3, 0.4])
    raise KeyError(name)


SCALAR = ["bernoulli", "binomial", "poisson", "geometric"]
ALL = SCALAR + ["categorical"]
PARAM = {"bernoulli": "probs", "binomial": "probs", "poisson": "rate", "geometric": "probs", "categorical": "probs"}
X_GRID = {
    "bernoulli": np.array([0, 1, 1, 0]),
    "binomial": np.arange(N_TRIALS + 1),
    "poisson": np.arange(0, 120),
    "geometric": np.arange(0, 200),
}


# -- log_prob against scipy.stats ----------------------------------------------------------------


@pytest.mark.parametrize("name", SCALAR)
def test_log_prob_matches_scipy_over_typical_range(name):
    fam = family(name)
    lo, hi = fam.param(PARAM[name]).typical
    x = X_GRID[name]
    for p in np.linspace(lo, hi, 9):
        ours = np.asarray(fam.log_prob({PARAM[name]: p}, jnp.asarray(x, dtype=float)))
        np.testing.assert_allclose(ours, scipy_logpmf(name, x, p), rtol=1e-11, atol=1e-12)


def test_binomial_log_prob_matches_scipy_for_many_trials():
    fam = maxlik.Binomial(total_count=5000)
    x = np.arange(0, 5001, 37)
    for p in (0.05, 0.5, 0.95):
        ours = np.asarray(fam.log_prob({"probs": p}, jnp.asarray(x, dtype=float)))
        np.testing.assert_allclose(ours, st.binom.logpmf(x, 5000, p), rtol=1e-9, atol=1e-9)


def test_categorical_log_prob_matches_direct_log_and_multinomial():
    fam = maxlik.Categorical()
    rng = np.random.default_rng(0)
    x = np.arange(5)
    for _ in range(5):
        p = rng.dirichlet(np.ones(5))
        ours = np.asarray(fam.log_prob({"probs": p}, jnp.asarray(x, dtype=float)))
        np.testing.assert_allclose(ours, np.log(p[x]), rtol=1e-13)
        np.testing.assert_allclose(ours, scipy_logpmf("categorical", x, p), rtol=1e-11)


def test_categorical_label_outside_the_categories_has_probability_zero():
    r = maxlik.fit([0, 1, 1, 2], "categorical")
    lp = r.log_prob([2, 3, 0])
    assert lp[1] == -np.inf and lp[0] == pytest.approx(math.log(0.25)) and lp[2] == pytest.approx(math.log(0.25))


# -- closed form against numerical maximisation of scipy's log-likelihood ------------------------


def numerical_mle(name, x, w):
    if name == "categorical":
        k = int(x.max()) + 1

        def nll(u):
            p = np.exp(np.append(u, 0.0) - np.logaddexp.reduce(np.append(u, 0.0)))
            return -np.sum(w * scipy_logpmf(name, x, p)) / w.sum()

        res = so.minimize(nll, np.zeros(k - 1), method="BFGS", options={"gtol": 1e-11})
        u = np.append(res.x, 0.0)
        return np.exp(u - np.logaddexp.reduce(u))
    bounds = (1e-3, 60.0) if name == "poisson" else (1e-6, 1 - 1e-6)
    res = so.minimize_scalar(
        lambda p: -np.sum(w * scipy_logpmf(name, x, p)) / w.sum(), bounds=bounds, method="bounded",
        options={"xatol": 1e-13},
    )
    return res.x


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("weighted", [False, True])
def test_closed_form_equals_numerical_maximum(name, weighted):
    x = draw(name, 300, seed=11)
    w = np.random.default_rng(12).uniform(0.2, 3.0, x.size) if weighted else np.ones(x.size)
    r = maxlik.fit(x, family(name), weights=w if weighted else None)
    np.testing.assert_allclose(r.params[PARAM[name]], numerical_mle(name, x, w), rtol=1e-6)
    ref_ll = np.sum(w * scipy_logpmf(name, x, r.params[PARAM[name]]))
    assert r.loglik == pytest.approx(ref_ll, rel=1e-12)


@pytest.mark.parametrize("name", ALL)
def test_nll_gradient_vanishes_at_the_estimate(name):
    x = draw(name, 500, seed=21)
    w = np.random.default_rng(22).uniform(0.5, 2.0, x.size)
    fam = family(name)
    r = maxlik.fit(x, fam, weights=w)
    xj, wj = jnp.asarray(x, dtype=float), jnp.asarray(w)
    # in the family's unconstrained coordinates (for a simplex, the constrained gradient is
    # not zero at the optimum, only its component along the simplex is)
    u0 = fam.to_unconstrained(r.params)

    def nll(u):
        return -jnp.sum(wj * fam.log_prob(fam.from_unconstrained(u), xj))

    g = jax.grad(nll)(u0)[PARAM[name]]
    assert np.max(np.abs(np.asarray(g))) < 1e-9 * w.sum()


# -- standard errors against closed forms ----------------------------------------------------------


@pytest.mark.parametrize("weighted", [False, True])
def test_standard_errors_equal_closed_forms(weighted):
    rng = np.random.default_rng(31)
    for name in SCALAR:
        x = draw(name, 400, seed=32)
        w = rng.uniform(0.5, 2.0, x.size) if weighted else np.ones(x.size)
        W = w.sum()
        r = maxlik.fit(x, family(name), weights=w if weighted else None)
        p = r.params[PARAM[name]]
        expected = {
            "bernoulli": lambda: math.sqrt(p * (1 - p) / W),
            "binomial": lambda: math.sqrt(p * (1 - p) / (N_TRIALS * W)),
            "poisson": lambda: math.sqrt(p / W),
            "geometric": lambda: p * math.sqrt((1 - p) / W),
        }[name]()
        assert r.stderr[PARAM[name]] == pytest.approx(expected, rel=1e-8), name


def test_categorical_covariance_is_multinomial():
    x = draw("categorical", 600, seed=33)
    r = maxlik.fit(x, "categorical")
    p = r.params["probs"]
    np.testing.assert_allclose(r.cov, (np.diag(p) - np.outer(p, p)) / x.size, rtol=1e-8, atol=1e-14)
    np.testing.assert_allclose(r.stderr["probs"], np.sqrt(p * (1 - p) / x.size), rtol=1e-8)
    assert r.n_params == 3


# -- specific estimates ------------------------------------------------------------------------------


def test_seven_heads_in_ten_flips_gives_exactly_0_7():
    r = maxlik.fit([1, 1, 0, 1, 1, 0, 1, 1, 0, 1], "bernoulli")
    assert r.params["probs"] == 0.7
    assert r.loglik == pytest.approx(7 * math.log(0.7) + 3 * math.log(0.3), rel=1e-14)
    assert maxlik.fit(np.array([True] * 7 + [False] * 3), maxlik.Bernoulli).params["probs"] == 0.7


def test_closed_form_formulas():
    assert maxlik.fit([3, 5, 12, 0], maxlik.Binomial(total_count=12)).params["probs"] == pytest.approx(20 / 48)
    assert maxlik.fit([0, 2, 3, 7], "poisson").params["rate"] == 3.0
    assert maxlik.fit([0, 2, 3, 7], "geometric").params["probs"] == pytest.approx(1 / (1 + 3.0))
    np.testing.assert_array_equal(maxlik.fit([2, 0, 2, 1], "categorical").params["probs"], [0.25, 0.25, 0.5])
    r = maxlik.fit([0, 1, 1], maxlik.Categorical(num_categories=4))
    np.testing.assert_allclose(r.params["probs"], [1 / 3, 2 / 3, 0, 0])


# -- sufficient statistics: merge and weights (hypothesis) -------------------------------------------


def assert_stats_equal(a, b, rel):
    assert type(a) is type(b)
    for f in dataclasses.fields(a):
        va, vb = getattr(a, f.name), getattr(b, f.name)
        if f.name in ("count", "total_count"):
            assert va == vb
        else:
            np.testing.assert_allclose(va, vb, rtol=rel, atol=1e-12, err_msg=f.name)


def _upper(name):
    return {"bernoulli": 1, "binomial": N_TRIALS, "poisson": 40, "geometric": 60, "categorical": 6}[name]


@settings(derandomize=True, max_examples=60, deadline=None)
@given(data=hs.data(), name=hs.sampled_from(ALL), weighted=hs.booleans())
def test_merged_stats_of_random_splits_equal_stats_of_whole(data, name, weighted):
    x = np.array(data.draw(hs.lists(hs.integers(0, _upper(name)), min_size=3, max_size=60)), dtype=float)
    w = None
    if weighted:
        w = np.array(data.draw(hs.lists(hs.floats(0.0, 5.0), min_size=x.size, max_size=x.size)))
        w[0] = 1.0  # not all zero
    cuts = sorted(data.draw(hs.lists(hs.integers(1, x.size - 1), min_size=1, max_size=4, unique=True)))
    fam = family(name)
    pieces = np.split(np.arange(x.size), cuts)
    parts = [fam.suffstats(x[i], None if w is None else w[i]) for i in pieces]
    whole = fam.suffstats(x, w)
    merged = maxlik.Stats.merge_all(parts)
    # integer data without weights: every sum is an integer below 2^53, hence exact
    assert_stats_equal(merged, whole, rel=0.0 if (w is None and name not in ("poisson", "binomial")) else 1e-12)
    # associativity
    if len(parts) >= 3:
        left = parts[0].merge(parts[1]).merge(parts[2])
        right = parts[0].merge(parts[1].merge(parts[2]))
        assert_stats_equal(left, right, rel=1e-13)
    r_whole = maxlik.fit_stats(whole, fam) if name != "poisson" or whole.total > 0 else None
    if r_whole is not None:
        r_merged = maxlik.fit_stats(merged, fam)
        np.testing.assert_allclose(r_merged.params[PARAM[name]], r_whole.params[PARAM[name]], rtol=1e-12)


def test_categorical_merge_pads_to_the_larger_number_of_categories():
    fam = maxlik.Categorical()
    a, b = fam.suffstats(np.array([0.0, 1.0])), fam.suffstats(np.array([3.0, 3.0, 0.0]))
    np.testing.assert_array_equal(a.merge(b).counts, [2, 1, 0, 2])
    np.testing.assert_array_equal(b.merge(a).counts, [2, 1, 0, 2])


@settings(derandomize=True, max_examples=40, deadline=None)
@given(data=hs.data(), name=hs.sampled_from(ALL))
def test_integer_weights_equal_repeated_rows(data, name):
    x = np.array(data.draw(hs.lists(hs.integers(0, _upper(name)), min_size=2, max_size=30)), dtype=float)
    k = np.array(data.draw(hs.lists(hs.integers(0, 4), min_size=x.size, max_size=x.size)))
    k[0] = max(k[0], 1)
    if name == "poisson" and x[k > 0].sum() == 0:
        x[0] = 1.0  # the all-zero Poisson fit is degenerate (tested separately)
    fam = family(name)
    fam = maxlik.Categorical(num_categories=_upper(name) + 1) if name == "categorical" else fam
    weighted = maxlik.fit(x, fam, weights=k.astype(float))
    repeated = maxlik.fit(np.repeat(x, k), fam)
    np.testing.assert_allclose(weighted.params[PARAM[name]], repeated.params[PARAM[name]], rtol=1e-14)
    assert weighted.loglik == pytest.approx(repeated.loglik, rel=1e-12, abs=1e-12)


# -- boundary estimates, fixed parameters, large n, round trips --------------------------------------


@pytest.mark.parametrize(
    "name, x, value",
    [
        ("bernoulli", [1, 1, 1, 1], 1.0),
        ("bernoulli", [0, 0, 0], 0.0),
        ("binomial", [0, 0, 0], 0.0),
        ("binomial", [N_TRIALS, N_TRIALS], 1.0),
        ("geometric", [0, 0, 0, 0, 0], 1.0),
    ],
)
def test_boundary_estimate_is_returned_without_standard_errors(name, x, value):
    r = maxlik.fit(x, family(name))
    assert r.params["probs"] == value
    assert r.loglik == 0.0
    with pytest.warns(maxlik.InferenceWarning, match="standard errors unavailable: probs lies on the boundary"):
        assert math.isnan(r.stderr["probs"])
    text = r.summary()
    assert "probs" in text and "nan" in text
    back = maxlik.FitResult.from_json(r.to_json())
    assert back.params == r.params and back.loglik == 0.0


def test_categorical_unseen_category_is_a_boundary_estimate():
    r = maxlik.fit([0, 2, 2], maxlik.Categorical(num_categories=3))
    np.testing.assert_allclose(r.params["probs"], [1 / 3, 0.0, 2 / 3])
    assert r.loglik == pytest.approx(math.log(1 / 3) + 2 * math.log(2 / 3))
    with pytest.warns(maxlik.InferenceWarning, match="standard errors unavailable: probs lies on the boundary"):
        assert np.isnan(r.stderr["probs"]).all()
    assert "probs[1]" in r.summary()


@pytest.mark.parametrize(
    "name, value",
    [("bernoulli", 0.4), ("binomial", 0.25), ("poisson", 2.5), ("geometric", 0.3), ("categorical", [0.1, 0.2, 0.3, 0.4])],
)
def test_fixed_parameter_is_kept_and_loglik_is_evaluated_there(name, value):
    x = draw(name, 200, seed=41)
    w = np.random.default_rng(42).uniform(0.0, 2.0, x.size)
    r = maxlik.fit(x, family(name), weights=w, fixed={PARAM[name]: value})
    np.testing.assert_array_equal(r.params[PARAM[name]], value)
    assert r.fixed == (PARAM[name],) and r.stderr == {} and r.n_params == 0
    assert r.loglik == pytest.approx(np.sum(w * scipy_logpmf(name, x, np.asarray(value))), rel=1e-12)
    assert "(fixed)" in r.summary()


def test_fixed_probs_may_have_more_categories_than_the_data():
    r = maxlik.fit([0, 1], "categorical", fixed={"probs": [0.25, 0.25, 0.5]})
    assert r.loglik == pytest.approx(2 * math.log(0.25))


def test_fixed_rate_makes_all_zero_poisson_data_fittable():
    r = maxlik.fit([0, 0, 0], "poisson", fixed={"rate": 0.5})
    assert r.loglik == pytest.approx(-1.5)


def test_loglik_of_a_million_observations_equals_float64_reference():
    x = np.random.default_rng(51).poisson(7.3, 1_000_000)
    r = maxlik.fit(x, "poisson")
    assert np.isfinite(r.loglik)
    assert r.loglik == pytest.approx(math.fsum(st.poisson.logpmf(x, r.params["rate"])), rel=1e-12)
    y = np.random.default_rng(52).binomial(N_TRIALS, 0.6, 1_000_000)
    r = maxlik.fit(y, maxlik.Binomial(total_count=N_TRIALS))
    assert r.loglik == pytest.approx(math.fsum(st.binom.logpmf(y, N_TRIALS, r.params["probs"])), rel=1e-12)


@pytest.mark.parametrize("fam", [maxlik.Binomial(total_count=7), maxlik.Categorical(num_categories=4)])
def test_json_round_trip_keeps_the_family_options(fam):
    x = np.array([0, 1, 3, 2, 2, 1])
    r = maxlik.fit(x, fam)
    back = maxlik.FitResult.from_json(r.to_json())
    assert back.family == fam
    np.testing.assert_array_equal(back.params["probs"], r.params["probs"])


@pytest.mark.parametrize("name", ALL)
def test_sample_then_fit_recovers_the_parameters(name):
    fam = family(name)
    truth = {"bernoulli": 0.3, "binomial": 0.35, "poisson": 4.2, "geometric": 0.25, "categorical": [0.1, 0.2, 0.3, 0.4]}[name]
    x = fam.sample({PARAM[name]: np.asarray(truth)}, 20_000, seed=61)
    assert fam.support.check(x).all()
    r = maxlik.fit(x, fam)
    se = np.sqrt(np.diag(r.cov)) if name == "categorical" else r.stderr[PARAM[name]]
    assert np.all(np.abs(r.params[PARAM[name]] - np.asarray(truth)) < 5 * se)


def test_registry_names_and_options():
    for name, cls in [("bernoulli", maxlik.Bernoulli), ("categorical", maxlik.Categorical),
                      ("poisson", maxlik.Poisson), ("geometric", maxlik.Geometric)]:
        assert type(maxlik.get_family(name)) is cls
    assert maxlik.get_family("binomial", total_count=3) == maxlik.Binomial(total_count=3)
    assert maxlik.Binomial(total_count=10.0).total_count == 10
    # the class-level support is a constraint too (listings read cls.support)
    assert maxlik.Binomial.support.describe() == "integers >= 0"
    assert maxlik.Binomial(total_count=3).support.describe() == "integers from 0 to 3"
    assert maxlik.Categorical(num_categories=3).support.describe() == "integers from 0 to 2"


# -- errors ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fam, x, message",
    [
        ("bernoulli", [0, 1, 2, 1, 0.5], r"Bernoulli: data must be 0 or 1; got 2 value\(s\) outside the support \(first at row 2 \(0-based\): 2\)"),
        ("bernoulli", [0, -1], r"Bernoulli: data must be 0 or 1; got 1 value\(s\) outside the support \(first at row 1 \(0-based\): -1\)"),
        ("poisson", [1, 2.5, 3], r"Poisson: data must be integers >= 0; got 1 value\(s\) outside the support \(first at row 1 \(0-based\): 2\.5\)"),
        ("poisson", [1, -2, 3], r"Poisson: data must be integers >= 0; got 1 value\(s\) outside the support \(first at row 1 \(0-based\): -2\)"),
        ("geometric", [0.5], r"Geometric: data must be integers >= 0; got 1 value\(s\) outside the support \(first at row 0 \(0-based\): 0\.5\)"),
        ("geometric", [3, -1, -1], r"Geometric: data must be integers >= 0; got 2 value\(s\) outside the support \(first at row 1 \(0-based\): -1\)"),
        (maxlik.Binomial(total_count=5), [0, 6, 5], r"Binomial: data must be integers from 0 to 5; got 1 value\(s\) outside the support \(first at row 1 \(0-based\): 6\)"),
        (maxlik.Binomial(total_count=5), [-1, 1.5], r"Binomial: data must be integers from 0 to 5; got 2 value\(s\) outside the support \(first at row 0 \(0-based\): -1\)"),
        (maxlik.Categorical(num_categories=3), [0, 2, 3], r"Categorical: data must be integers from 0 to 2; got 1 value\(s\) outside the support \(first at row 2 \(0-based\): 3\)"),
        ("categorical", [0, 1.5], r"Categorical: data must be integers >= 0; got 1 value\(s\) outside the support \(first at row 1 \(0-based\): 1\.5\)"),
    ],
)
def test_data_outside_the_support_is_reported(fam, x, message):
    with pytest.raises(maxlik.SupportError, match=message):
        maxlik.fit(x, fam)


def test_missing_total_count_says_how_to_pass_it():
    msg = r"Binomial: total_count must be a positive integer \(the known number of trials.*got None\. .*maxlik\.Binomial\(total_count=10\)"
    with pytest.raises(maxlik.ParameterError, match=msg):
        maxlik.fit([1, 2, 3], "binomial")
    with pytest.raises(maxlik.ParameterError, match=r"total_count must be a positive integer .*got 2\.5"):
        maxlik.Binomial(total_count=2.5)
    with pytest.raises(maxlik.ParameterError, match=r"total_count must be a positive integer .*got 0"):
        maxlik.Binomial(total_count=0)


def test_bad_num_categories_is_reported():
    with pytest.raises(maxlik.ParameterError, match=r"Categorical: num_categories must be a positive integer .*got -2"):
        maxlik.Categorical(num_categories=-2)


def test_all_zero_poisson_data_is_degenerate():
    with pytest.raises(maxlik.DegenerateFitError, match=r"Poisson: rate must be positive, but the data are all 0 \(3 rows.*no MLE exists\. .*fixed=\{'rate': \.\.\.\}"):
        maxlik.fit([0, 0, 0], "poisson")
    with pytest.raises(maxlik.DegenerateFitError, match=r"data are all 0 \(2 rows; every observation with positive weight is 0\)"):
        maxlik.fit([0, 4], "poisson", weights=[1.0, 0.0])


def test_huge_inferred_label_is_reported():
    with pytest.raises(maxlik.DataError, match=r"Categorical: labels must be below 10000000 when num_categories is not given; got 1e\+12\. .*np\.unique"):
        maxlik.fit([0, 1e12], "categorical")


def test_fixed_probs_must_cover_every_label():
    with pytest.raises(maxlik.ParameterError, match=r"Categorical: probs must have an entry for every label in the data; got 3 entries, but the data contain label 3"):
        maxlik.fit([0, 1, 3], "categorical", fixed={"probs": [0.2, 0.3, 0.5]})
    with pytest.raises(maxlik.ParameterError, match=r"Categorical: fixed probs must have num_categories=4 entries; got 3"):
        maxlik.fit([0, 1], maxlik.Categorical(num_categories=4), fixed={"probs": [0.2, 0.3, 0.5]})


def test_fixed_probs_on_the_boundary_is_rejected():
    with pytest.raises(maxlik.ParameterError, match=r"fit\(Bernoulli\): `probs` must be in \(0, 1\); got 1\."):
        maxlik.fit([0, 1], "bernoulli", fixed={"probs": 1.0})


def test_binomial_statistics_with_different_total_count_do_not_mix():
    a = maxlik.Binomial(total_count=5).suffstats(np.array([1.0, 2.0]))
    b = maxlik.Binomial(total_count=6).suffstats(np.array([1.0, 2.0]))
    with pytest.raises(maxlik.ParameterError, match=r"BinomialStats\.merge: total_count must be equal; got 5 and 6"):
        a.merge(b)
    with pytest.raises(maxlik.ParameterError, match=r"Binomial: statistics must come from total_count=6; got statistics for total_count=5"):
        maxlik.fit_stats(a, maxlik.Binomial(total_count=6))


def test_merging_statistics_of_different_families_is_refused():
    a = maxlik.Poisson().suffstats(np.array([1.0]))
    b = maxlik.Geometric().suffstats(np.array([1.0]))
    with pytest.raises(TypeError, match="PoissonStats.merge: other must be PoissonStats; got GeometricStats"):
        a.merge(b)
