"""maxlik.fit_groups (issue #12, item 2): every group equals a separate maxlik.fit on its rows
(1e-10 relative: estimates, standard errors, log-likelihood), scipy's estimates, weights, fixed
parameters, labels of any type, bad groups beside good ones, DataFrames, and the bad-input errors."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import stats

import maxlik
from maxlik import ConvergenceWarning, DataError, UnknownFamilyError

RTOL = 1e-10


def _sample(family: str, rng, n: int, j: int):
    """Data of group j for ``family`` (a different true value per group)."""
    a = 1.0 + 0.25 * j
    return {
        "normal": lambda: rng.normal(3.0 + j, a, n),
        "lognormal": lambda: rng.lognormal(0.5, 0.3 * a, n),
        "exponential": lambda: rng.exponential(a, n),
        "poisson": lambda: rng.poisson(a + 1.0, n).astype(float),
        "bernoulli": lambda: (rng.random(n) < 0.2 + 0.05 * j).astype(float),
        "geometric": lambda: rng.geometric(0.3 + 0.05 * j, n).astype(float) - 1.0,
        "binomial": lambda: rng.binomial(10, 0.2 + 0.05 * j, n).astype(float),
        "gamma": lambda: rng.gamma(a + 1.0, 0.5, n),
        "weibull": lambda: 2.0 * rng.weibull(a, n),
        "cauchy": lambda: j + a * rng.standard_cauchy(n),
        "gumbel": lambda: rng.gumbel(j, a, n),
        "logistic": lambda: rng.logistic(j, a, n),
        "student_t": lambda: 1.0 + a * rng.standard_t(3.0, n),
        "laplace": lambda: rng.laplace(j, a, n),
        "beta": lambda: rng.beta(a + 1.0, 3.0, n),
        "von_mises": lambda: rng.vonmises(0.5, 2.0 * a, n),
        "negative_binomial": lambda: rng.negative_binomial(3.0 + j, 0.4, n).astype(float),
    }[family]()


def _grouped(family: str, n_groups: int = 7, seed: int = 0):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(40, 160, n_groups)
    x = np.concatenate([_sample(family, rng, int(s), j) for j, s in enumerate(sizes)])
    g = np.repeat(np.arange(n_groups) * 10, sizes)
    perm = rng.permutation(x.shape[0])  # rows of a group are not contiguous
    return x[perm], g[perm]


def _family(name):
    return maxlik.Binomial(total_count=10) if name == "binomial" else name


def _assert_same(fits, j, ref, rtol=RTOL):
    """Row j of ``fits`` against the separate fit ``ref``: estimates, SEs and loglik."""
    assert fits.converged[j] == ref.converged
    for k, v in ref.params.items():
        np.testing.assert_allclose(fits.params[k][j], v, rtol=rtol, atol=0)
    se = ref.stderr or {}
    for k in ref.free:
        np.testing.assert_allclose(fits.stderr[k][j], se.get(k, math.nan), rtol=rtol, atol=0, equal_nan=True)
    np.testing.assert_allclose(fits.loglik[j], ref.loglik, rtol=rtol, atol=0)
    assert fits.n[j] == ref.n and fits.weight[j] == pytest.approx(ref.weight, rel=1e-14)
    assert fits.message[j] == ref.message or "converged" in ref.message


FAMILIES = ["normal", "lognormal", "exponential", "poisson", "bernoulli", "geometric", "binomial", "gamma",
            "weibull", "cauchy", "gumbel", "logistic", "student_t", "beta", "von_mises", "negative_binomial", "laplace"]


@pytest.mark.parametrize("family", FAMILIES)
def test_every_group_equals_a_separate_fit(family):
    x, g = _grouped(family)
    fits = maxlik.fit_groups(x, g, _family(family))
    assert list(fits) == sorted(set(g.tolist())) and len(fits) == 7
    for j, label in enumerate(fits):
        ref = maxlik.fit(x[g == label], _family(family))
        _assert_same(fits, j, ref)
        one = fits[label]
        assert type(one) is maxlik.FitResult
        for k in ref.params:
            np.testing.assert_allclose(one.params[k], ref.params[k], rtol=RTOL)
            if k in ref.free:
                np.testing.assert_allclose(one.stderr[k], ref.stderr[k], rtol=RTOL)
        assert one.conf_int().keys() == ref.conf_int().keys()


def test_gamma_and_normal_against_scipy():
    x, g = _grouped("gamma", n_groups=12, seed=3)
    fits = maxlik.fit_groups(x, g, "gamma")
    for j, label in enumerate(fits):
        a, _, scale = stats.gamma.fit(x[g == label], floc=0)
        np.testing.assert_allclose([fits.params["concentration"][j], fits.params["rate"][j]], [a, 1 / scale], rtol=1e-6)
    x, g = _grouped("normal", n_groups=5)
    fits = maxlik.fit_groups(x, g, "normal")
    for j, label in enumerate(fits):
        loc, scale = stats.norm.fit(x[g == label])
        np.testing.assert_allclose([fits.params["loc"][j], fits.params["scale"][j]], [loc, scale], rtol=1e-12)


def test_weibull_against_scipy():
    x, g = _grouped("weibull", n_groups=5, seed=4)
    fits = maxlik.fit_groups(x, g, "weibull")
    for j, label in enumerate(fits):
        c, _, scale = stats.weibull_min.fit(x[g == label], floc=0)
        np.testing.assert_allclose([fits.params["concentration"][j], fits.params["scale"][j]], [c, scale], rtol=1e-4)
    # a group's FitResult from the batched Newton has the profile likelihood of maxlik.fit's
    label = list(fits)[2]
    got, want = fits[label].conf_int(method="profile"), maxlik.fit(x[g == label], "weibull").conf_int(method="profile")
    for k in want:
        np.testing.assert_allclose(got[k], want[k], rtol=1e-8)


@pytest.mark.parametrize("family", ["normal", "gamma", "poisson", "weibull", "logistic", "student_t"])
def test_weighted_groups(family):
    x, g = _grouped(family, n_groups=5, seed=5)
    w = np.random.default_rng(6).integers(0, 4, x.shape[0]).astype(float)
    fits = maxlik.fit_groups(x, g, family, weights=w)
    for j, label in enumerate(fits):
        rows = g == label
        _assert_same(fits, j, maxlik.fit(x[rows], family, weights=w[rows]))
        # integer weights are repeated rows
        rep = maxlik.fit(np.repeat(x[rows], w[rows].astype(int)), family)
        np.testing.assert_allclose([fits.params[k][j] for k in rep.params], list(rep.params.values()), rtol=1e-8)


@pytest.mark.parametrize("family, fixed", [("normal", {"loc": 3.5}), ("normal", {"scale": 2.0}),
                                           ("gamma", {"rate": 2.0}), ("gamma", {"concentration": 3.0}),
                                           ("weibull", {"concentration": 1.5}), ("exponential", {"rate": 1.0})])
def test_fixed_parameters(family, fixed):
    x, g = _grouped(family, n_groups=4, seed=7)
    fits = maxlik.fit_groups(x, g, family, fixed=fixed)
    for j, label in enumerate(fits):
        ref = maxlik.fit(x[g == label], family, fixed=fixed)
        _assert_same(fits, j, ref)
        for k in fixed:
            assert math.isnan(fits.stderr[k][j]) and fits.params[k][j] == fixed[k]


def test_string_labels_and_mapping():
    rng = np.random.default_rng(8)
    labels = np.array(["paris", "berlin", "rome"])[rng.integers(0, 3, 600)]
    x = rng.gamma(2.0, 1.0, 600)
    fits = maxlik.fit_groups(x, labels, "gamma")
    assert list(fits) == ["berlin", "paris", "rome"] and "rome" in fits and "oslo" not in fits
    for j, label in enumerate(fits):
        _assert_same(fits, j, maxlik.fit(x[labels == label], "gamma"))
    with pytest.raises(KeyError, match=r"GroupFits: label must be one of the groups \('berlin', 'paris', 'rome'\); got 'oslo'"):
        fits["oslo"]
    assert set(dict(fits.items())) == {"berlin", "paris", "rome"}


BAD = {  # label -> rows that maxlik.fit cannot fit
    "one": [3.0],
    "const": [2.0, 2.0, 2.0],
    "negative": [-1.0, 2.0, 3.0],
    "nan": [1.0, np.nan, 2.0],
}


@pytest.mark.parametrize("family", ["gamma", "normal", "weibull", "exponential", "lognormal"])
def test_bad_groups_beside_good_ones(family):
    rng = np.random.default_rng(9)
    good = {"a": rng.gamma(2.0, 1.0, 80), "b": rng.gamma(5.0, 1.0, 60)}
    parts = {**good, **BAD}
    x = np.concatenate([np.asarray(v, dtype=float) for v in parts.values()])
    g = np.concatenate([[k] * len(v) for k, v in parts.items()])
    with pytest.warns(ConvergenceWarning, match=r"fit_groups: \d of 6 groups could not be fitted"):
        fits = maxlik.fit_groups(x, g, family)
    for j, label in enumerate(fits):
        rows = x[g == label]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                ref = maxlik.fit(rows, family)
        except maxlik.MaxlikError as error:
            assert not fits.converged[j] and fits.message[j] == str(error)
            assert all(math.isnan(fits.params[k][j]) for k in fits.family.param_names)
            with pytest.raises(type(error), match="^" + __import__("re").escape(str(error)) + "$"):
                fits[label]
            continue
        assert fits.converged[j] == ref.converged
        if ref.converged:
            _assert_same(fits, j, ref)
        else:
            assert fits.message[j] == ref.message
    assert fits.converged[list(fits).index("a")] and fits.converged[list(fits).index("b")]


def test_pandas_and_polars_frames():
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    x, g = _grouped("gamma", n_groups=4, seed=10)
    w = np.random.default_rng(11).random(x.shape[0])
    want = maxlik.fit_groups(x, g, "gamma", weights=w)
    frame = pd.DataFrame({"amount": x, "shop": g, "w": w})
    for df in (frame, pl.from_pandas(frame)):
        got = maxlik.fit_groups(df, "gamma", by="shop", column="amount", weights="w")
        assert list(got) == list(want)
        for k in ("concentration", "rate"):
            np.testing.assert_array_equal(got.params[k], want.params[k])
            np.testing.assert_array_equal(got.stderr[k], want.stderr[k])
    table = want.to_pandas()
    assert list(table.columns) == ["group", "concentration", "concentration_se", "rate", "rate_se", "loglik", "n",
                                   "weight", "converged", "message"]
    assert table.shape == (4, 10) and table["n"].sum() == x.shape[0]
    assert want.to_polars().shape == (4, 10)
    arrow = want.to_arrow()
    assert arrow.num_rows == 4 and arrow.column_names == list(table.columns)


def test_summary_fits_80_columns():
    x, g = _grouped("student_t", n_groups=30, seed=12)
    fits = maxlik.fit_groups(x, g.astype(str), "student_t")
    text = fits.summary()
    assert max(map(len, text.splitlines())) <= 80
    assert "30 groups" in text and "..." in text and repr(fits) == text
    assert len(fits.to_records()) == 30


def test_numpy_and_jax_derivative_paths_agree(monkeypatch):
    """Weibull runs the NumPy path; the same groups through the JAX path (vmap + segment_sum)."""
    from maxlik.groups import _derivatives, batched

    x, g = _grouped("weibull", n_groups=5, seed=13)
    numpy_fits = maxlik.fit_groups(x, g, "weibull")
    monkeypatch.setattr(batched, "derivatives_for", lambda *a: _derivatives.JaxDerivatives(*a))
    jax_fits = maxlik.fit_groups(x, g, "weibull")
    for k in ("concentration", "scale"):
        np.testing.assert_allclose(jax_fits.params[k], numpy_fits.params[k], rtol=1e-10)
        np.testing.assert_allclose(jax_fits.stderr[k], numpy_fits.stderr[k], rtol=1e-10)


# -- bad input ----------------------------------------------------------------------------------


def test_groups_of_the_wrong_length():
    with pytest.raises(DataError, match=r"fit_groups: groups must have one label per row of x \(shape \(4,\)\); "
                                        r"got shape \(3,\)\. Pass an array of labels as long as the data\."):
        maxlik.fit_groups([1.0, 2.0, 3.0, 4.0], [0, 0, 1], "normal")


def test_empty_input():
    with pytest.raises(DataError, match=r"fit_groups: data must contain at least one row \(so at least one group\); "
                                        r"got 0 rows\. Pass non-empty data\."):
        maxlik.fit_groups(np.array([]), np.array([]), "normal")


def test_missing_groups():
    with pytest.raises(DataError, match=r"fit_groups: groups must be given \(one label per row\); got None\."):
        maxlik.fit_groups([1.0, 2.0], None, "normal")


@pytest.mark.parametrize("labels", [np.array([0.0, np.nan, 1.0, np.nan]), np.array(["a", None, "b", "a"], dtype=object)])
def test_missing_labels(labels):
    count = int(sum(v is None or v != v for v in labels.tolist()))
    with pytest.raises(DataError, match=rf"fit_groups: group labels must not be missing; got {count} NaN/None label\(s\) "
                                        r"\(first at row 1\)\. Drop those rows or give them a label\."):
        maxlik.fit_groups([1.0, 2.0, 3.0, 4.0], labels, "normal")


def test_by_and_column_missing_from_the_frame():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "g": [0, 0, 1]})
    with pytest.raises(DataError, match=r"fit_groups: by= must name a column of the DataFrame; got 'shop'\. "
                                        r"Choose one of \['x', 'g'\]\."):
        maxlik.fit_groups(df, "normal", by="shop", column="x")
    with pytest.raises(DataError, match=r"fit_groups: column= must name a column of the DataFrame; got 'amount'\."):
        maxlik.fit_groups(df, "normal", by="g", column="amount")
    with pytest.raises(DataError, match=r"fit_groups: column= must name a column of the DataFrame; got None\."):
        maxlik.fit_groups(df, "normal", by="g")
    with pytest.raises(DataError, match=r"fit_groups: by= and column= must come with a DataFrame x; got ndarray\."):
        maxlik.fit_groups(np.ones(3), [0, 0, 1], "normal", by="g")


def test_unknown_family():
    with pytest.raises(UnknownFamilyError, match=r"^fit_groups: .*'gama'.*"):
        maxlik.fit_groups([1.0, 2.0, 3.0], [0, 0, 1], "gama")


def test_unsortable_labels():
    with pytest.raises(DataError, match=r"fit_groups: group labels must be of one sortable type; got a mix of int, str\."):
        maxlik.fit_groups([1.0, 2.0, 3.0], np.array([1, "a", 2], dtype=object), "normal")


def test_vector_parameters_group_by_group():
    """MultivariateNormal (fitted group by group): array columns equal to each group's fit."""
    rng = np.random.default_rng(14)
    x, g = rng.normal(size=(300, 2)) * [1.0, 3.0], np.repeat(["a", "b", "c"], 100)
    fits = maxlik.fit_groups(x, g, "mvnormal")
    for j, label in enumerate(fits):
        ref = maxlik.fit(x[g == label], "mvnormal")
        np.testing.assert_allclose(fits.params["loc"][j], ref.params["loc"], rtol=RTOL)
        np.testing.assert_allclose(fits.stderr["covariance_matrix"][j], ref.stderr["covariance_matrix"], rtol=RTOL)
        np.testing.assert_allclose(fits.loglik[j], ref.loglik, rtol=RTOL)
    assert fits.to_arrow().num_rows == 3 and fits.to_records()[0]["loc"] == fits.params["loc"][0].tolist()
    assert max(map(len, fits.summary().splitlines())) <= 80


def test_every_parameter_fixed_and_a_zero_weight_group():
    x, g = _grouped("weibull", n_groups=3, seed=15)
    fixed = {"concentration": 2.0, "scale": 1.5}
    fits = maxlik.fit_groups(x, g, "weibull", fixed=fixed)
    for j, label in enumerate(fits):
        _assert_same(fits, j, maxlik.fit(x[g == label], "weibull", fixed=fixed))
    w = np.where(g == 10, 0.0, 1.0)
    with pytest.warns(ConvergenceWarning, match="1 of 3 groups could not be fitted"):
        fits = maxlik.fit_groups(x, g, "gamma", weights=w)
    with pytest.raises(DataError) as error:
        maxlik.fit(x[g == 10], "gamma", weights=w[g == 10])
    assert fits.message[1] == str(error.value) and not fits.converged[1] and fits.converged[[0, 2]].all()


@pytest.mark.parametrize("family", ["gamma", "normal", "weibull"])
def test_grouped_and_shuffled_rows_agree(family):
    """Rows already grouped in label order (no sort) and the same rows shuffled (codes, bincount)."""
    x, g = _grouped(family, n_groups=40, seed=16)
    order = np.argsort(g, kind="stable")
    grouped = maxlik.fit_groups(x[order], g[order], family)
    shuffled = maxlik.fit_groups(x, g, family)
    assert list(grouped) == list(shuffled)
    for k in grouped.family.param_names:
        np.testing.assert_allclose(grouped.params[k], shuffled.params[k], rtol=1e-12)
        np.testing.assert_allclose(grouped.stderr[k], shuffled.stderr[k], rtol=1e-12)
    np.testing.assert_allclose(grouped.loglik, shuffled.loglik, rtol=1e-12)


@pytest.mark.parametrize("scale", [1e-8, 1e8])
@pytest.mark.parametrize("family", ["student_t", "cauchy", "logistic", "gumbel", "weibull", "gamma"])
def test_groups_far_from_unit_scale_equal_separate_fits(family, scale):
    """Data in units far from 1 (a location's curvature ~1e-16 beside a log-scale's ~1): the
    batched Newton's decrement met a Hessian that eigvalsh called positive definite and Cholesky
    refused (a Student-t at 1e8 raised numpy's LinAlgError); it now counts as not positive
    definite, as the single fit counts it."""
    x, g = _grouped(family, seed=5)
    x = x * scale
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fits = maxlik.fit_groups(x, g, family)
        for j, label in enumerate(fits):
            ref = maxlik.fit(x[g == label], family)
            assert fits[label].status == ref.status
            _assert_same(fits, j, ref, rtol=1e-8)


def test_a_hessian_that_eigvalsh_calls_positive_definite_and_cholesky_refuses():
    """The Hessian the Student-t at 1e8 stopped on (in Jacobi units its correlation matrix has a
    negative determinant; eigvalsh's smallest eigenvalue, 6e-17, is rounding): the decrement is +inf,
    beside a positive-definite row that keeps its value."""
    from maxlik.optimize._convergence import decrement_from_hessian
    from maxlik.optimize.batched_newton import decrements

    bad = np.array([[2.2244128260656143e-01, -1.4870778246446944e-09, -3.1531622423907568e-01],
                    [-1.4870778246446944e-09, 1.6205736931539963e-16, -5.8573275424015488e-09],
                    [-3.1531622423907568e-01, -5.8573275424015488e-09, 8.0758837357511304e-01]])
    good = np.diag([1.0, 2.0, 4.0])
    g = np.array([[0.1, 1e-9, 0.2], [1.0, 2.0, 4.0]])
    out = decrements(g, np.stack([bad, good]))
    assert out[0] == np.inf == decrement_from_hessian(g[0], bad)
    assert out[1] == pytest.approx(0.5 * (1.0 + 2.0 + 4.0), rel=1e-15)


def test_student_t_groups_at_1e8_equal_separate_fits():
    """The case found: five Student-t groups of 3 to 1000 rows around 5e8 (numpy's LinAlgError
    escaped from fit_groups before)."""
    rng = np.random.default_rng(11)
    sizes = [3, 10, 50, 200, 1000]
    x = np.concatenate([5e8 + 1e8 * rng.standard_t(3.0, n) for n in sizes])
    g = np.repeat(np.arange(5), sizes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", maxlik.InferenceWarning)  # the 3- and 10-row groups: df → ∞
        fits = maxlik.fit_groups(x, g, "student_t")
        refs = [maxlik.fit(x[g == label], "student_t") for label in fits]
    assert [f.status.name for f in refs] == ["BOUNDARY"] * 2 + ["CONVERGED"] * 3
    for j, (label, ref) in enumerate(zip(fits, refs)):
        assert fits[label].status == ref.status
        _assert_same(fits, j, ref, rtol=1e-8)


def test_an_under_dispersed_negative_binomial_group_is_at_the_poisson_limit():
    """Counts with variance 0.96 below their mean 3.8 (weighted): the MLE is the Poisson limit,
    as fit says. fit_groups evaluated the JAX log_prob, whose plain log Γ(x + r) − log Γ(r) at
    r = 1.5e9 came out 5e-5 nats above the Poisson's log-likelihood, and so reported a converged
    interior maximum."""
    from scipy import stats as st

    x = np.array([2.0, 5.0, 4.0, 4.0, 4.0, 1.0, 0.0, 3.0, 9.0, 1.0, 6.0])
    w = np.array([3.0, 3.0, 3.0, 3.0, 3.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    g = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", maxlik.InferenceWarning)
        fits = maxlik.fit_groups(x, g, "negative_binomial", weights=w)
    under = fits[0]
    assert under.status.name == "BOUNDARY" and under.params["total_count"] == math.inf
    rate = np.sum(w[:6] * x[:6]) / np.sum(w[:6])
    assert under.loglik == pytest.approx(np.sum(w[:6] * st.poisson.logpmf(x[:6], rate)), rel=1e-13)
    ref = maxlik.fit(x[6:], "negative_binomial")  # over-dispersed: an interior maximum
    _assert_same(fits, 1, ref, rtol=1e-8)


@pytest.mark.parametrize("family", ["normal", "lognormal", "exponential", "poisson"])
def test_a_first_row_of_weight_zero(family):
    """fit_groups took the statistics' type from the first row with its weight: a weight of 0 there
    raised a raw ZeroDivisionError (the property suite, tests/properties/test_groups.py)."""
    x, g = _grouped(family, n_groups=3, seed=2)
    w = np.random.default_rng(2).integers(0, 4, x.shape[0]).astype(float)
    w[0] = 0.0
    fits = maxlik.fit_groups(x, g, family, weights=w)
    for j, label in enumerate(fits):
        _assert_same(fits, j, maxlik.fit(x[g == label], family, weights=w[g == label]))


def test_threshold_families_take_fits_own_local_maximum():
    """weibull3 on 28 rows: Newton from init (the batched path) stopped at a local maximum 3e-5
    nats deep (concentration 1.10, loc 0.0228) that fit's profile over loc does not count as the
    estimate (it reports a spike at min(x)); a threshold family's groups are now fitted by fit
    itself (the property suite, tests/properties/test_groups.py)."""
    x = np.array([0.3388101, 0.03155828, 1.8638979, 0.38910324, 0.87796638, 0.4544278, 1.16353392, 2.27826768,
                  0.45476894, 1.21045555, 0.11047808, 2.40753297, 0.69899125, 0.70057162, 1.22100194, 0.62570776,
                  0.36576653, 0.66929, 1.34535409, 0.03033433, 1.58592886, 1.59851247, 0.22505505, 1.32023141,
                  1.41937683, 0.48654105, 2.16731147, 1.52230436, 0.45051579, 0.10162647])
    g = np.random.default_rng(733401279).permutation(np.repeat([0, 1], [2, 28]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        fits = maxlik.fit_groups(x, g, "weibull3")
    with pytest.raises(maxlik.DegenerateFitError, match="rises without bound as loc -> min"):
        maxlik.fit(x[g == 1], "weibull3")
    with pytest.raises(maxlik.DegenerateFitError, match="rises without bound as loc -> min"):
        fits[1]
    assert not fits.converged[1]
    y = 2.0 + 3.0 * np.random.default_rng(4).weibull(2.5, 200)
    both = maxlik.fit_groups(np.concatenate([y, y[:120] * 1.5]), np.repeat(["a", "b"], [200, 120]), "weibull3")
    _assert_same(both, 0, maxlik.fit(y, "weibull3"), rtol=1e-12)
    _assert_same(both, 1, maxlik.fit(y[:120] * 1.5, "weibull3"), rtol=1e-12)


def test_student_t_groups_take_the_further_starts_as_fit_does():
    """15 Cauchy-like rows: the likelihood has a maximum at df = 3.07 (loglik −32.944) that
    Newton from init (df = 5) reaches, and a higher one at df = 0.385 (−31.479) that fit finds
    from Student-t's further, Cauchy-like starts; fit_groups took only the first (the property
    suite at 10⁴ examples, seed 20261252). Each group now runs from every start fit runs from."""
    x = np.array([8.24735084, 2.47092104, 0.52099156, -1.47975046, 0.39420071, 0.17359146, 1.85222626, 0.50169692,
                  0.44942976, 3.85288023, 3.40271185, 0.54813245, 3.59484077, 0.5583308, -0.56060641])
    y = 3.0 + 2.0 * np.random.default_rng(5).standard_t(4.0, 200)
    fits = maxlik.fit_groups(np.concatenate([x, y]), np.repeat(["cauchy-like", "t4"], [15, 200]), "student_t")
    ref = maxlik.fit(x, "student_t")
    assert ref.params["df"] == pytest.approx(0.3846360, rel=1e-6)
    _assert_same(fits, 0, ref)
    _assert_same(fits, 1, maxlik.fit(y, "student_t"))
    p = fits["cauchy-like"].params
    assert fits.loglik[0] == pytest.approx(stats.t.logpdf(x, p["df"], p["loc"], p["scale"]).sum(), rel=1e-12)
    assert fits.loglik[0] > stats.t.logpdf(x, 3.0654015, 1.0825379, 1.5383257).sum() + 1.4  # the other maximum
