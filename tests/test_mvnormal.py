"""MultivariateNormal: closed forms against NumPy/SciPy, merges, weights, fixed parameters,
uncertainty against the autodiff observed information, and every degenerate-data message."""

import math
from fractions import Fraction

import numpy as np
import pytest
import scipy.optimize as so
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

import maxlik
from maxlik._jax import jax, jnp
from maxlik.families._scatter import mean_and_scatter
from maxlik.inference import observed_covariance

A3 = np.array([[1.0, 0.0, 0.0], [0.5, 1.2, 0.0], [-0.3, 0.4, 2.0]])


def data(n=400, seed=0, shift=(3.0, -1.0, 10.0)):
    return np.random.default_rng(seed).normal(size=(n, 3)) @ A3.T + np.asarray(shift)


def test_mean_and_covariance_equal_numpy():
    x = data(2000)
    r = maxlik.fit(x, "mvnormal")
    np.testing.assert_allclose(r.params["loc"], x.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(r.params["covariance_matrix"], np.cov(x, rowvar=False, bias=True), rtol=1e-12)
    ll = st.multivariate_normal(x.mean(axis=0), np.cov(x, rowvar=False, bias=True)).logpdf(x).sum()
    assert r.loglik == pytest.approx(ll, rel=1e-12)
    assert r.params["covariance_matrix"] == pytest.approx(r.params["covariance_matrix"].T, abs=0)


def test_weighted_equals_numpy_aweights():
    x = data(500, seed=1)
    w = np.random.default_rng(2).uniform(0.0, 3.0, 500)
    r = maxlik.fit(x, maxlik.MultivariateNormal(), weights=w)
    np.testing.assert_allclose(r.params["loc"], np.average(x, axis=0, weights=w), rtol=1e-12)
    ref = np.cov(x, rowvar=False, bias=True, aweights=w)
    np.testing.assert_allclose(r.params["covariance_matrix"], ref, rtol=1e-12)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("threads", [1, 3])
def test_many_blocks_and_threads_equal_numpy(weighted, threads):
    x = data(1001, seed=3)
    w = np.random.default_rng(4).uniform(0.5, 2.0, 1001) if weighted else None
    if weighted:
        w[14:28] = 0.0  # two whole blocks of zero weight
    W, hi, lo, m2 = mean_and_scatter(x, w, block=7, threads=threads)
    ref = np.cov(x, rowvar=False, bias=True, aweights=w)
    np.testing.assert_allclose(m2 / W, ref, rtol=1e-12)
    np.testing.assert_allclose(hi + lo, np.average(x, axis=0, weights=w), rtol=1e-13)


def test_large_offset_keeps_full_precision():
    """Never E[xxᵀ] − E[x]E[x]ᵀ: values near 1e9 with unit spread keep ~all digits of M2,
    compared with exact rational arithmetic on the same binary64 inputs."""
    rng = np.random.default_rng(5)
    x = 1e9 + np.round(rng.normal(size=(300, 2)) * 64) / 64  # exactly representable
    x[:, 1] += 0.5 * (x[:, 0] - 1e9)
    st_ = maxlik.MultivariateNormal().suffstats(x)
    cols = [[Fraction(float(v)) for v in x[:, j]] for j in range(2)]
    mean = [sum(c) / len(c) for c in cols]
    for i in range(2):
        assert float(st_.mean_hi[i] + Fraction(float(st_.mean_lo[i])) - mean[i]) == pytest.approx(0.0, abs=1e-20)
        for j in range(2):
            exact = float(sum((a - mean[i]) * (b - mean[j]) for a, b in zip(cols[i], cols[j])))
            assert st_.m2[i, j] == pytest.approx(exact, rel=1e-14)


def test_diag_and_spherical_closed_forms():
    x = data(300, seed=6)
    v = x.var(axis=0)
    rd = maxlik.fit(x, maxlik.MultivariateNormal(covariance_type="diag"))
    np.testing.assert_allclose(rd.params["covariance_matrix"], np.diag(v), rtol=1e-12)
    rs = maxlik.fit(x, maxlik.MultivariateNormal(covariance_type="spherical"))
    np.testing.assert_allclose(rs.params["covariance_matrix"], v.mean() * np.eye(3), rtol=1e-12)
    # the diag likelihood is a product of independent univariate normals
    ll = sum(st.norm(x[:, j].mean(), x[:, j].std()).logpdf(x[:, j]).sum() for j in range(3))
    assert rd.loglik == pytest.approx(ll, rel=1e-12)
    assert rs.loglik == pytest.approx(st.multivariate_normal(x.mean(0), v.mean() * np.eye(3)).logpdf(x).sum(), rel=1e-12)
    # k of AIC/BIC: d + d(d+1)/2, 2d and d + 1
    r = maxlik.fit(x, "mvnormal")
    assert (r.n_params, rd.n_params, rs.n_params) == (9, 6, 4)
    assert rd.aic == pytest.approx(12 - 2 * rd.loglik)
    assert rs.bic == pytest.approx(4 * math.log(300) - 2 * rs.loglik)


@pytest.mark.parametrize("seed", range(4))
def test_log_prob_equals_scipy(seed):
    rng = np.random.default_rng(seed)
    d = 1 + seed
    loc = rng.uniform(-5, 5, d)
    B = rng.normal(size=(d, d))
    cov = B @ B.T + rng.uniform(0.1, 10.0) * np.eye(d)
    x = rng.normal(size=(50, d)) * 3 + loc
    got = np.asarray(maxlik.MultivariateNormal().log_prob({"loc": loc, "covariance_matrix": cov}, x))
    np.testing.assert_allclose(got, st.multivariate_normal(loc, cov).logpdf(x).reshape(-1), rtol=1e-12)


def test_closed_form_equals_numerical_maximum():
    """Maximise scipy's log-density over (μ, Cholesky factor with log diagonal) with BFGS."""
    x = np.random.default_rng(7).normal(size=(200, 2)) @ np.array([[1.0, 0.0], [0.8, 0.5]]).T + [1.0, -2.0]
    r = maxlik.fit(x, "mvnormal")

    def unpack(t):
        L = np.array([[math.exp(t[2]), 0.0], [t[3], math.exp(t[4])]])
        return t[:2], L @ L.T

    def nll(t):
        mu, cov = unpack(t)
        return -st.multivariate_normal(mu, cov).logpdf(x).sum()

    res = so.minimize(nll, np.zeros(5), method="BFGS", options={"gtol": 1e-9, "maxiter": 2000})
    mu, cov = unpack(res.x)
    np.testing.assert_allclose(r.params["loc"], mu, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(r.params["covariance_matrix"], cov, rtol=1e-6, atol=1e-7)
    assert r.loglik >= -res.fun - 1e-9
    # the NLL gradient is ≈ 0 at the closed form
    fam, s = r.family, r.family.suffstats(x)
    g = jax.grad(lambda p: -fam.loglik_from_stats(s, p))({k: jnp.asarray(v) for k, v in r.params.items()})
    for v in g.values():
        assert np.abs(np.asarray(v)).max() < 1e-9


@settings(max_examples=25, deadline=None, derandomize=True)
@given(cuts=hs.lists(hs.integers(1, 59), min_size=1, max_size=6, unique=True), weighted=hs.booleans())
def test_merge_of_random_splits_equals_whole(cuts, weighted):
    x = data(60, seed=8)
    w = np.random.default_rng(9).uniform(0.1, 2.0, 60) if weighted else None
    fam = maxlik.MultivariateNormal()
    edges = [0, *sorted(cuts), 60]
    parts = [fam.suffstats(x[a:b], None if w is None else w[a:b]) for a, b in zip(edges[:-1], edges[1:])]
    merged, whole = maxlik.Stats.merge_all(parts), fam.suffstats(x, w)
    assert merged.count == 60 and merged.weight == pytest.approx(whole.weight, rel=1e-15)
    np.testing.assert_allclose(merged.mean, whole.mean, rtol=1e-14)
    np.testing.assert_allclose(merged.m2, whole.m2, rtol=1e-12)
    assert np.array_equal(merged.m2, merged.m2.T)


def test_fit_stats_of_merged_chunks_equals_fit():
    x = data(1000, seed=10)
    fam = maxlik.MultivariateNormal()
    merged = maxlik.Stats.merge_all(fam.suffstats(c) for c in np.array_split(x, 37))
    a, b = maxlik.fit_stats(merged, fam), maxlik.fit(x, fam)
    np.testing.assert_allclose(a.params["covariance_matrix"], b.params["covariance_matrix"], rtol=1e-12)
    assert a.loglik == pytest.approx(b.loglik, rel=1e-13)


def test_integer_weights_equal_repeated_rows():
    x = data(40, seed=11)
    k = np.random.default_rng(12).integers(0, 4, 40)
    k[0] = 1
    for ct in ("full", "diag", "spherical"):
        fam = maxlik.MultivariateNormal(covariance_type=ct)
        a = maxlik.fit(x, fam, weights=k.astype(float))
        b = maxlik.fit(np.repeat(x, k, axis=0), fam)
        np.testing.assert_allclose(a.params["loc"], b.params["loc"], rtol=1e-13)
        np.testing.assert_allclose(a.params["covariance_matrix"], b.params["covariance_matrix"], rtol=1e-12)
        assert a.loglik == pytest.approx(b.loglik, rel=1e-12)


def test_fixed_loc_uses_scatter_about_it():
    x = data(300, seed=13)
    loc = np.array([2.5, -1.0, 9.0])
    r = maxlik.fit(x, "mvnormal", fixed={"loc": loc})
    np.testing.assert_allclose(r.params["covariance_matrix"], (x - loc).T @ (x - loc) / 300, rtol=1e-12)
    assert r.fixed == ("loc",) and set(r.stderr) == {"covariance_matrix"} and r.n_params == 6
    rd = maxlik.fit(x, maxlik.MultivariateNormal(covariance_type="diag"), fixed={"loc": loc})
    np.testing.assert_allclose(np.diag(rd.params["covariance_matrix"]), ((x - loc) ** 2).mean(0), rtol=1e-12)


def test_fixed_covariance_keeps_mean():
    x = data(100, seed=14)
    cov = np.diag([1.0, 2.0, 3.0])
    r = maxlik.fit(x, maxlik.MultivariateNormal(covariance_type="diag"), fixed={"covariance_matrix": cov})
    np.testing.assert_allclose(r.params["loc"], x.mean(0), rtol=1e-13)
    np.testing.assert_allclose(r.stderr["loc"], np.sqrt(np.diag(cov) / 100), rtol=1e-12)
    assert r.n_params == 3


def test_reg_covar_is_added_to_the_diagonal():
    x = data(200, seed=15)
    cov = np.cov(x, rowvar=False, bias=True)
    r = maxlik.fit(x, maxlik.MultivariateNormal(reg_covar=0.1))
    np.testing.assert_allclose(r.params["covariance_matrix"], cov + 0.1 * np.eye(3), rtol=1e-12)
    # and rescues N <= D and constant columns
    few = data(3, seed=16)
    few[:, 1] = 4.0
    r = maxlik.fit(few, maxlik.MultivariateNormal(reg_covar=1e-3))
    assert r.params["covariance_matrix"][1, 1] == pytest.approx(1e-3, rel=1e-9)
    assert maxlik.MultivariateNormal(reg_covar=1e-3).options == {"reg_covar": 1e-3}


@pytest.mark.parametrize("ct, fix_loc", [("full", False), ("full", True), ("diag", False), ("spherical", True)])
def test_exact_covariance_equals_autodiff_observed_information(ct, fix_loc):
    x = data(150, seed=17)
    fam = maxlik.MultivariateNormal(covariance_type=ct)
    fixed = {"loc": np.array([3.0, -1.0, 10.0])} if fix_loc else {}
    stats = fam.suffstats(x)
    params = fam.mle_from_stats(stats, fixed)
    free = tuple(k for k in fam.param_names if k not in fixed)
    exact, labels = fam.exact_covariance(stats, params, free)
    auto, labels2 = observed_covariance(fam, params, free, lambda p: -fam.loglik_from_stats(stats, p))
    assert labels == labels2 and labels[0] == "covariance_matrix[0,0]"
    np.testing.assert_allclose(exact, auto, rtol=1e-8, atol=1e-12 * np.abs(exact).max())
    r = maxlik.fit(x, fam, fixed=fixed)
    assert np.shape(r.stderr["covariance_matrix"]) == (3, 3)
    cov = r.params["covariance_matrix"]
    if ct == "full":
        se = np.sqrt((cov**2 + np.outer(np.diag(cov), np.diag(cov))) / 150)
    elif ct == "diag":
        se = np.diag(np.sqrt(2 / 150) * np.diag(cov))
    else:
        se = np.eye(3) * np.sqrt(2 / (150 * 3)) * cov[0, 0]
    np.testing.assert_allclose(r.stderr["covariance_matrix"], se, rtol=1e-12)


@pytest.mark.parametrize("ct", ["full", "diag", "spherical"])
def test_unconstrained_round_trip(ct):
    fam = maxlik.MultivariateNormal(covariance_type=ct)
    p = fam.mle_from_stats(fam.suffstats(data(50, seed=18)))
    for sub in (p, {"covariance_matrix": p["covariance_matrix"]}):
        back = fam.from_unconstrained(fam.to_unconstrained(sub))
        for k in sub:
            np.testing.assert_allclose(np.asarray(back[k]), sub[k], rtol=1e-12, atol=1e-14)


def test_json_round_trip_keeps_options_and_sample_recovers_parameters():
    fam = maxlik.MultivariateNormal(covariance_type="diag", reg_covar=1e-4)
    assert maxlik.get_family("mvnormal", covariance_type="diag", reg_covar=1e-4) == fam
    r = maxlik.fit(data(80, seed=19), fam)
    back = maxlik.FitResult.from_json(r.to_json())
    assert back.family == fam and back.aic == r.aic
    np.testing.assert_allclose(back.params["covariance_matrix"], r.params["covariance_matrix"])
    s = maxlik.fit(data(20000, seed=20), "mvnormal").sample(20000, seed=21)
    np.testing.assert_allclose(s.mean(0), [3.0, -1.0, 10.0], atol=0.1)
    np.testing.assert_allclose(np.cov(s, rowvar=False), A3 @ A3.T, atol=0.15)


# -- errors ------------------------------------------------------------------------------------


def test_one_dimensional_data_is_rejected():
    with pytest.raises(maxlik.DataError, match=r"MultivariateNormal: data must have shape \(n, d\); got shape \(5,\).*reshape\(-1, 1\)"):
        maxlik.fit([1.0, 2.0, 3.0, 4.0, 5.0], "mvnormal")


def test_non_finite_data_and_no_columns():
    x = data(10)
    x[6, 2] = np.inf
    with pytest.raises(maxlik.DataError, match=r"data must be finite; got 1 infinite value\(s\) \(first at row 6, column 2 \(0-based\)\)"):
        maxlik.fit(x, "mvnormal")
    with pytest.raises(maxlik.DataError, match=r"data must have at least one column; got shape \(4, 0\)"):
        maxlik.fit(np.zeros((4, 0)), "mvnormal")


def test_fewer_observations_than_dimensions():
    with pytest.raises(
        maxlik.DegenerateFitError,
        match=r"full covariance_matrix needs more observations than dimensions; got 3 observation\(s\) in 3 "
        r"dimensions.*rank at most 2.*reg_covar=1e-6.*covariance_type=\"diag\"",
    ):
        maxlik.fit(data(3), "mvnormal")


def test_collinear_columns_are_named():
    x = data(50, seed=22)
    x = np.column_stack([x, x[:, 0] - 2 * x[:, 2]])
    with pytest.raises(
        maxlik.DegenerateFitError,
        match=r"collinear columns: column 3 is a linear combination of column\(s\) \[0, 2\].*reg_covar=1e-6.*covariance_type=\"diag\"",
    ):
        maxlik.fit(x, "mvnormal")
    assert maxlik.fit(x, maxlik.MultivariateNormal(covariance_type="diag")).params["loc"].shape == (4,)


def test_constant_column():
    x = data(30, seed=23)
    x[:, 1] = 0.1
    msg = r"every column must vary.*got constant column\(s\) \[1\] \(zero variance\).*reg_covar=1e-6"
    with pytest.raises(maxlik.DegenerateFitError, match=msg):
        maxlik.fit(x, maxlik.MultivariateNormal(covariance_type="diag"))
    with pytest.raises(maxlik.DegenerateFitError, match=msg):
        maxlik.fit(x, "mvnormal")
    assert maxlik.fit(x, maxlik.MultivariateNormal(covariance_type="spherical")).params["covariance_matrix"][1, 1] > 0
    x[:] = 7.0
    with pytest.raises(maxlik.DegenerateFitError, match=r"all 3 column\(s\) constant \(zero variance\)"):
        maxlik.fit(x, maxlik.MultivariateNormal(covariance_type="spherical"))


def test_bad_options():
    with pytest.raises(maxlik.ParameterError, match=r"covariance_type must be one of \['full', 'tied', 'diag', 'spherical'\]; got 'diagonal'. Did you mean 'diag'\?"):
        maxlik.MultivariateNormal(covariance_type="diagonal")
    with pytest.raises(maxlik.ParameterError, match=r"reg_covar must be a non-negative finite number; got -1"):
        maxlik.MultivariateNormal(reg_covar=-1)


def test_bad_fixed_values():
    x = data(20, seed=24)
    with pytest.raises(maxlik.ParameterError, match=r"fixed `loc` must have shape \(3,\) to match the data's 3 column\(s\); got shape \(2,\)"):
        maxlik.fit(x, "mvnormal", fixed={"loc": [0.0, 0.0]})
    with pytest.raises(maxlik.ParameterError, match=r"`covariance_matrix` must be a symmetric positive-definite matrix"):
        maxlik.fit(x, "mvnormal", fixed={"covariance_matrix": -np.eye(3)})
    with pytest.raises(maxlik.ParameterError, match=r"fixed covariance_matrix must be diagonal; got off-diagonal entries up to 0.5"):
        maxlik.fit(x, maxlik.MultivariateNormal(covariance_type="diag"), fixed={"covariance_matrix": np.eye(3) + 0.5 * (np.eye(3, k=1) + np.eye(3, k=-1))})
    with pytest.raises(maxlik.ParameterError, match=r"must be σ²·I \(equal diagonal entries\)"):
        maxlik.fit(x, maxlik.MultivariateNormal(covariance_type="spherical"), fixed={"covariance_matrix": np.diag([1.0, 2.0, 3.0])})


def test_merge_rejects_other_dimensions():
    fam = maxlik.MultivariateNormal()
    with pytest.raises(maxlik.ParameterError, match="must have the same dimension 3; got 2"):
        fam.suffstats(data(10)).merge(fam.suffstats(data(10)[:, :2]))


@pytest.mark.parametrize("weighted", [False, True])
def test_scatter_of_indexed_rows_equals_scatter_of_their_copy(weighted):
    """mean_and_scatter(x, index=rows) gathers the rows block by block; same result as on x[rows]."""
    rng = np.random.default_rng(8)
    x = rng.normal(3.0, 2.0, size=(20_000, 5))
    rows = np.sort(rng.choice(20_000, 7_001, replace=False))[::-1]  # any order, not contiguous
    w = rng.uniform(0.0, 2.0, rows.size) if weighted else None
    got = mean_and_scatter(x, w, index=rows, block=1_000)
    want = mean_and_scatter(x[rows], w, block=1_000)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-12)
    sel = x[rows]
    ref_w = np.ones(rows.size) if w is None else w
    mean = ref_w @ sel / ref_w.sum()
    np.testing.assert_allclose(got[1] + got[2], mean, rtol=1e-13)
    np.testing.assert_allclose(got[3], (sel - mean).T @ ((sel - mean) * ref_w[:, None]), rtol=1e-11)


# -- tied: one covariance pooled over groups, from the groups' statistics ------------------------
def test_tied_from_group_statistics_equals_pooled_scatter_formula():
    rng = np.random.default_rng(31)
    groups = [rng.normal(m, s, (n, 3)) for m, s, n in ((0.0, 1.0, 40), (5.0, 2.0, 25), (-3.0, 0.5, 60))]
    weights = [rng.uniform(0.2, 3.0, len(g)) for g in groups]
    reg = 1e-3
    fam = maxlik.MultivariateNormal(covariance_type="tied", reg_covar=reg)
    params = fam.mle_from_stats([fam.suffstats(g, w) for g, w in zip(groups, weights)])
    # the pooled within-group scatter over the total weight, written out directly
    means = [np.average(g, axis=0, weights=w) for g, w in zip(groups, weights)]
    scatter = sum((w[:, None] * (g - m)).T @ (g - m) for g, w, m in zip(groups, weights, means))
    pooled = scatter / sum(w.sum() for w in weights) + reg * np.eye(3)
    assert len(params) == 3
    for p, m in zip(params, means):
        np.testing.assert_allclose(p["loc"], m, rtol=1e-13)
        np.testing.assert_allclose(p["covariance_matrix"], pooled, rtol=1e-12)
    # one group: tied is the full estimate; other structures fit each group on its own
    one = fam.mle_from_stats(fam.suffstats(groups[0], weights[0]))
    full = maxlik.MultivariateNormal(reg_covar=reg).mle_from_stats(fam.suffstats(groups[0], weights[0]))
    np.testing.assert_allclose(one["covariance_matrix"], full["covariance_matrix"], rtol=1e-15)
    diag = maxlik.MultivariateNormal(covariance_type="diag")
    each = diag.mle_from_stats([diag.suffstats(g) for g in groups])
    np.testing.assert_allclose(each[1]["covariance_matrix"], np.diag(groups[1].var(axis=0)), rtol=1e-12)
    with pytest.raises(maxlik.DegenerateFitError, match=r"a tied covariance_matrix of 3 groups needs at least 6 observations in 3 dimensions; got 5"):
        maxlik.MultivariateNormal(covariance_type="tied").mle_from_stats([fam.suffstats(g[:2]) for g in groups[:2]] + [fam.suffstats(groups[2][:1])])
    with pytest.raises(maxlik.ParameterError, match=r"fixed must be empty when fitting groups"):
        fam.mle_from_stats([fam.suffstats(g) for g in groups], fixed={"loc": np.zeros(3)})


def test_indexed_and_grouped_suffstats_equal_statistics_of_the_rows():
    x = data(500, seed=32)
    w = np.random.default_rng(33).uniform(0.0, 2.0, 500)
    idx = np.random.default_rng(34).permutation(500)[:173]
    fam = maxlik.MultivariateNormal()
    a, b = fam.suffstats(x, w[idx], index=idx), fam.suffstats(x[idx], w[idx])
    assert a.count == b.count == 173
    np.testing.assert_allclose(a.mean, b.mean, rtol=1e-14)
    np.testing.assert_allclose(a.m2, b.m2, rtol=1e-12)
    groups = [idx, np.setdiff1d(np.arange(500), idx)]
    for st, g in zip(fam.grouped_suffstats(x, groups, w), groups):
        ref = fam.suffstats(x[g], w[g])
        np.testing.assert_allclose(st.m2, ref.m2, rtol=1e-12)
        assert st.weight == pytest.approx(ref.weight, rel=1e-14)


def test_family_is_immutable_and_spherical_transform_needs_no_state():
    fam = maxlik.MultivariateNormal(covariance_type="spherical")
    with pytest.raises(AttributeError, match=r"MultivariateNormal: instances are immutable; got an assignment to 'reg_covar'"):
        fam.reg_covar = 1.0
    u = fam.to_unconstrained({"covariance_matrix": 2.0 * np.eye(4)})
    # a fresh instance (no memory of the call above) inverts it: the dimension travels with u
    back = maxlik.MultivariateNormal(covariance_type="spherical").from_unconstrained(u)
    np.testing.assert_allclose(back["covariance_matrix"], 2.0 * np.eye(4), rtol=1e-15)
    from jax.flatten_util import ravel_pytree

    flat, unravel = ravel_pytree(u)
    assert flat.shape == (1,) and unravel(flat)["covariance_matrix"].dim == 4
    with pytest.raises(maxlik.ParameterError, match="the dimension of a spherical covariance_matrix must be known"):
        fam.from_unconstrained({"covariance_matrix": jnp.asarray(0.5)})
    assert hash(fam) == hash(maxlik.MultivariateNormal(covariance_type="spherical"))


def test_covariance_of_the_estimates_beyond_float64_is_unavailable_and_says_why():
    """Σ ~ 1e154 is in float64, but Cov(Σᵢⱼ, Σₖₗ) = (ΣᵢₖΣⱼₗ + ΣᵢₗΣⱼₖ)/W ~ 1e308 is not (found by
    the equivariance property, b = 1e77): the estimates are exact, the standard errors NaN with
    a warning naming the cause; at b = 1 they are the closed form Σᵢᵢ/W for the means."""
    x = np.random.default_rng(0).normal(size=(7, 2))
    r = maxlik.fit(1e77 * x, "mvnormal")
    np.testing.assert_allclose(r.params["covariance_matrix"], 1e154 * np.cov(x, rowvar=False, bias=True), rtol=1e-12)
    with pytest.warns(maxlik.InferenceWarning, match=r"the covariance of the estimates overflows float64 \(estimates up to "
                      r"1\.15e\+154, their variances beyond 1\.8e308\): fit the data in other units"):
        se = r.stderr
    assert np.all(np.isnan(se["loc"])) and np.all(np.isnan(se["covariance_matrix"]))
    small = maxlik.fit(x, "mvnormal").stderr["loc"]
    np.testing.assert_allclose(small, np.sqrt(np.diag(np.cov(x, rowvar=False, bias=True)) / 7), rtol=1e-12)
