"""Gaussian mixtures against R's mclust on Old Faithful (issue #15 items 1, 3, 4): the
hierarchical start, the EM path, the BIC table and the choice; degenerate fits recognised.

Reference values, recorded with R 4.2.2 and mclust 6.0.0 (tests never need R):

    library(mclust)                                    # faithful: R's datasets, = ../shared/data/faithful.csv
    m <- Mclust(faithful, G = 1:9, modelNames = c("EEE", "VVV", "VVI", "VII"))
    m$BIC                                              # -> MCLUST_BIC (mclust's sign: 2 loglik - k log n)
    m$modelName; m$G; m$loglik                         # "EEE" 3 -1126.326236
    Mclust(faithful, G = g, modelNames = model)$loglik # -> MCLUST_LOGLIK, every model and g
    hcp <- hc(faithful, modelName = "VVV", use = "SVD")
    paste(hclass(hcp, 3), collapse = "")              # -> MCLUST_HCLASS3 (and 4)

mclust stops EM when |Δℓ| / (1 + |ℓ|) < 1e-5 and reports ℓ from its last E-step, i.e. at the
parameters going into the last iteration: our ``lower_bounds_[-1] · n`` with the same
tolerance. Run to convergence, EEE/3 reaches −1126.3159 (scikit-learn, below), 0.0103 above
mclust's reported −1126.3262.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from maxlik import DegenerateFitError
from maxlik.models import GaussianMixture, select_mixture
from maxlik.models import _hierarchical
from maxlik.models._mixture_degeneracy import diagnose

from shared_paths import shared_data

MODELS = {"tied": "EEE", "full": "VVV", "diag": "VVI", "spherical": "VII"}
MCLUST_BIC = {  # G = 1..9
    "EEE": [-2607.622500, -2325.219937, -2314.316296, -2331.222561, -2360.659010, -2347.352407, -2369.329635,
            -2376.104302, -2389.609488],
    "VVV": [-2607.622500, -2322.191959, -2349.696256, -2351.493229, -2379.388089, -2387.015675, -2412.440263,
            -2442.017706, -2460.397717],
    "VVI": [-3055.834862, -2346.064924, -2342.365809, -2343.486144, -2351.017241, -2373.469320, -2394.696083,
            -2413.705018, -2432.708413],
    "VII": [-4024.721479, -3458.304986, -3336.597954, -3242.825967, -3129.079941, -3038.171130, -2973.374306,
            -2935.081649, -2919.414835],
}
MCLUST_LOGLIK = {
    "EEE": [-1289.796745, -1140.186760, -1126.326236, -1126.370666, -1132.680187, -1117.618183, -1120.198094,
            -1115.176724, -1113.520614],
    "VVV": [-1289.796745, -1130.264068, -1127.198810, -1111.279891, -1108.409915, -1095.406301, -1091.301189,
            -1089.272504, -1081.645104],
    "VVI": [-1516.705827, -1147.806353, -1131.942290, -1118.487952, -1108.238996, -1105.450530, -1102.049407,
            -1097.539369, -1093.026561],
    "VII": [-2003.952037, -1709.532186, -1637.467066, -1579.369468, -1511.284851, -1454.618841, -1411.008825,
            -1380.650892, -1361.605881],
}
MCLUST_HCLASS = {
    3: "1232323123213232232322123123333333322321323231323231232332332323213323123323233133323333212123233323"
       "2123323231323323232123321123212321232321323332321233233331212123332321223333321323312312323231331323"
       "231232312323233321232323333333321212233232333123232333113323332322332123",
    4: "1234323123213232432322143123333333322341343431323431232334334323413343123343433133343333214123433323"
       "4123323231343343234123321123212321232321343334321233433331212143334321223333321323312312323431331323"
       "431232312343233321232323333333321212233432333123432333113323334324332123",
}


@pytest.fixture(scope="module")
def faithful() -> np.ndarray:
    return pd.read_csv(shared_data("faithful.csv")).to_numpy(float)


def _same_partition(a, b) -> bool:
    pairs = set(zip(a.tolist(), b.tolist()))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


def test_hierarchical_partitions_are_mclusts(faithful):
    tree = _hierarchical.build(faithful)
    for g, labels in MCLUST_HCLASS.items():
        assert _same_partition(tree.labels(g), np.array([int(c) for c in labels]))


def test_hierarchical_tree_is_the_criterion_brute_force():
    """Every merge is the pair of least Δ (module docstring), recomputed from scratch each step."""
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(0, 1, (14, 2)), rng.normal(3, 0.5, (10, 2))])
    Z = _hierarchical.svd_transform(X, np.ones(len(X)))
    n, p = Z.shape
    alpha = ((Z - Z.mean(0)) ** 2).sum() / (n * p)

    def term(rows):
        P = Z[rows] - Z[rows].mean(0)
        W = P.T @ P
        det = max(np.linalg.det(W / len(rows)), 0.0) if len(rows) > p else 0.0
        return len(rows) * np.log(det + (np.trace(W) + alpha) / len(rows))

    clusters = [[i] for i in range(n)]
    tree = _hierarchical.build(X)
    while len(clusters) > 2:
        pairs = [(term(a + b) - term(a) - term(b), i, j) for i, a in enumerate(clusters)
                 for j, b in enumerate(clusters) if i < j]
        _, i, j = min(pairs)
        clusters[i] = clusters[i] + clusters.pop(j)
        if len(clusters) in (2, 3, 5, 9):
            ours = tree.labels(len(clusters))
            theirs = np.empty(n, int)
            for k, c in enumerate(clusters):
                theirs[c] = k
            assert _same_partition(ours, theirs)


def test_em_from_the_hierarchical_start_follows_mclust(faithful):
    """Same start, same stopping rule: every model and G reproduces mclust's log-likelihood."""
    n = len(faithful)
    tree = _hierarchical.build(faithful)
    for ct, name in MODELS.items():
        for g in range(1, 10):
            ref = MCLUST_LOGLIK[name][g - 1]
            gm = GaussianMixture(g, covariance_type=ct, init_params="hierarchical", reg_covar=0.0, max_iter=1000,
                                 tol=1e-5 * (1 + abs(ref)) / n)
            gm._hc_tree = tree  # as select_mixture does: one tree for every G (the same as building it per fit)
            gm.fit(faithful)
            assert gm.lower_bounds_[-1] * n == pytest.approx(ref, abs=1e-3), (ct, g)
            assert gm._loglik >= ref - 1e-6  # one more EM step never goes down (ref: 6 decimals)
            bic = -2 * gm.lower_bounds_[-1] * n + gm._n_parameters() * np.log(n)
            assert bic == pytest.approx(-MCLUST_BIC[name][g - 1], abs=2e-3), (ct, g)


def test_select_mixture_chooses_mclusts_model(faithful):
    sel = select_mixture(faithful, covariance_types=list(MODELS))  # the four of the recorded Mclust call
    assert sel.best_config == ("tied", 3) and not sel.skipped
    ll = sel.best._loglik
    assert ll >= MCLUST_LOGLIK["EEE"][2] - 1e-3  # at least mclust's (which stopped 0.0103 short)
    b = sel.best
    ref = SkGaussianMixture(3, covariance_type="tied", tol=1e-12, max_iter=5000, weights_init=b.weights_,
                            means_init=b.means_, precisions_init=b.precisions_).fit(faithful)
    assert ll == pytest.approx(ref.score(faithful) * len(faithful), abs=1e-3)  # and at the maximum
    text = sel.summary()
    assert "EEE" in text and "VVV" in text and f"{-MCLUST_BIC['EEE'][0]:.2f}" in text
    assert "Best: tied (EEE), G=3" in text


def test_select_mixture_at_mclusts_tolerance_reaches_mclusts_table(faithful):
    """With mclust's tolerance (|Δℓ| < 1e-5 (1 + |ℓ|), here ≈ 4e-5 per row) and no iteration cap to
    speak of, no configuration ends below mclust's log-likelihood; the nested refits go above it
    where mclust's own bigger fit stopped below a smaller one (EEE/4 −1126.371 < EEE/3 −1126.326)."""
    sel = select_mixture(faithful, covariance_types=list(MODELS), tol=4e-5, max_iter=1000)
    ours = {(r["covariance_type"], r["n_components"]): r["loglik"] for r in sel.table}
    for ct, name in MODELS.items():
        for g in range(1, 10):
            assert ours[(ct, g)] >= MCLUST_LOGLIK[name][g - 1] - 1e-3, (ct, g)
    assert ours[("tied", 4)] > MCLUST_LOGLIK["EEE"][2]
    assert sel.best_config == ("tied", 3)


def test_a_bigger_model_never_ends_below_a_smaller_one_unflagged(faithful):
    """kmeans++ starts stop below the nested smaller fit (issue #15: tied/3 at −1140.55 < tied/2);
    those configurations are refitted from the smaller fit with a split, or flagged."""
    sel = select_mixture(faithful, covariance_types=["tied", "full"], init_params="kmeans++", seed=0)
    W = len(faithful)
    for ct in ("tied", "full"):
        rows = [r for r in sel.table if r["covariance_type"] == ct]
        for i, r in enumerate(rows[1:], 1):
            floor = max(q["loglik"] for q in rows[:i])
            assert r["loglik"] >= floor - 1e-3 * W or "below the K=" in r["status"], r
    assert any("refitted from the K=" in r["status"] for r in sel.table)


def test_identical_values_have_no_fit():
    x = np.full((200, 1), 3.0)
    with pytest.raises(DegenerateFitError, match=r"GaussianMixture: n_components must be at most the number of "
                       r"distinct rows \(1\); got 2 .*Use at most that many components"):
        GaussianMixture(2).fit(x)
    with pytest.raises(DegenerateFitError, match=r"GaussianMixture: every feature must vary; got feature 0 constant at 3"):
        GaussianMixture(1).fit(x)
    X = np.repeat([[0.0, 1.0], [2.0, 5.0]], 10, axis=0)
    sel = select_mixture(X, n_components=[1, 2, 3], covariance_types=["diag"])
    assert sel.table[2]["status"].startswith("skipped: GaussianMixture: n_components must be at most the number of distinct rows (2)")
    assert sel.best_config[1] in (1, 2) and sel.table[2]["bic"] is None


def test_diagnose_names_each_cause():
    var = np.array([4.0, 1.0])
    ok = diagnose([0.5, 0.5], np.stack([np.diag([4.0, 1.0])] * 2), reg_covar=0.0, data_var=var, covariance_type="full", n=100)
    assert ok is None
    flat = np.stack([np.diag([4.0, 1.0]), np.diag([4.0, 1e-6 + 1e-12])])  # reg_covar 1e-6 and almost nothing else
    why = diagnose([0.5, 0.5], flat, reg_covar=1e-6, data_var=var, covariance_type="full", n=100)
    assert why.startswith("component 1 must keep a spread in every direction")
    singular = np.stack([np.diag([4.0, 1.0]), np.array([[1.0, 1.0], [1.0, 1.0]]) * 4.0])
    why = diagnose([0.5, 0.5], singular, reg_covar=0.0, data_var=var, covariance_type="full", n=100)
    assert why.startswith("component 1 must have a well-conditioned covariance; got a reciprocal condition number")
    why = diagnose([1.0, 1e-9], np.stack([np.diag([4.0, 1.0])] * 2), reg_covar=0.0, data_var=var, covariance_type="diag", n=100)
    assert why == (
        "component 1 must keep a positive weight; got weight 1e-09 (under 0.001 of one row of 100): the fit ran to the "
        "edge of the weights' domain, where it is the 1-component mixture of the other components (component 1's mean "
        "and covariance are not identified). Fit n_components=1; a likelihood-ratio test of 1 against 2 components has "
        "no χ² reference here (not χ²_df, nor ½χ²₀ + ½χ²₁: the null is on the boundary with unidentified parameters), "
        "so compare by BIC (maxlik.select_mixture) or bootstrap the LR statistic. Use fewer components or a simpler "
        "covariance_type, start from another partition (init_params, n_init, random_state), or drop the duplicated rows.")
    three = np.stack([np.diag([4.0, 1.0])] * 3)
    why = diagnose([0.6, 1e-7, 0.4], three, reg_covar=0.0, data_var=var, covariance_type="full", n=1000)
    assert why.startswith("component 1 must keep a positive weight; got weight 1e-07 (under 0.001 of one row of 1000)")
    assert "it is the 2-component mixture" in why and "a likelihood-ratio test of 2 against 3 components has no χ² reference" in why
    why = diagnose([0.5, 0.5], np.stack([np.diag([4.0, 1e-6])] * 2), reg_covar=1e-6, data_var=var, covariance_type="tied", n=100)
    assert why.startswith("the shared (tied) covariance must keep a spread")


def test_hierarchical_start_is_deterministic_and_subsamples_large_data():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (1500, 2)), rng.normal(5, 1, (1500, 2))])
    a = GaussianMixture(2, init_params="hierarchical", random_state=0).fit(X)
    b = GaussianMixture(2, init_params="hierarchical", random_state=0).fit(X)
    np.testing.assert_array_equal(a.means_, b.means_)
    assert len(_hierarchical.build(X, rng=np.random.RandomState(0)).rows) == _hierarchical.SUBSET
    assert sorted(np.round(a.means_[:, 0]).tolist()) == [0.0, 5.0]


def test_cli_refuses_a_mixture_of_identical_values(tmp_path):
    from typer.testing import CliRunner

    from maxlik.cli import app

    path = tmp_path / "same.csv"
    path.write_text("x\n" + "3.0\n" * 200)
    res = CliRunner().invoke(app, ["mixture", str(path), "--components", "2"])
    assert res.exit_code != 0
    said = res.output.strip()
    assert len(said.splitlines()) == 1 and "must be at most the number of distinct rows (1); got 2" in said


# mclust's priorControl(): MAP fits, recorded with R 4.2.2, mclust 6.0.0:
#     Mclust(faithful, G = g, modelNames = "VVV", prior = priorControl())$loglik,  g = 2..5
MCLUST_PRIOR_LOGLIK = {2: -1130.511148, 3: -1128.183387, 4: -1120.730152, 5: -1113.808841}


def test_prior_gives_mclusts_map_fit(faithful):
    tree = _hierarchical.build(faithful)
    for g, ref in MCLUST_PRIOR_LOGLIK.items():
        gm = GaussianMixture(g, init_params="hierarchical", reg_covar=0.0, prior="default", max_iter=1000,
                             tol=1e-5 * (1 + abs(ref)) / len(faithful))
        gm._hc_tree = tree
        gm.fit(faithful)
        assert gm.lower_bounds_[-1] * len(faithful) == pytest.approx(ref, abs=1e-3), g


def test_prior_keeps_components_off_the_boundary():
    """Five identical rows: without a prior a component collapses onto them (a spike); the MAP fit
    keeps its covariance at least Λ_P / (ν_P + N + d + 2)."""
    rng = np.random.default_rng(0)
    X = np.vstack([np.full((5, 2), 10.0), rng.normal(size=(100, 2))])
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gm = GaussianMixture(2, prior="default", random_state=0).fit(X)
    assert gm.degenerate_ is None
    k = int(np.argmin(gm.weights_))
    scale = np.cov(X.T) / 2.0  # mclust's default scale: var(X) / G^(2/d)
    floor = scale / (4.0 + gm.weights_[k] * len(X) + 2 + 2)
    assert np.all(np.linalg.eigvalsh(gm.covariances_[k] - floor) > -1e-9)
    sel = select_mixture(X, n_components=[1, 2], covariance_types=["full"], prior="default")
    assert not sel.skipped


def test_prior_bad_input():
    X = np.random.default_rng(0).normal(size=(50, 2))
    with pytest.raises(ValueError, match=r"GaussianMixture: X must be finite when fitting with a prior; got 1 NaN or "
                       r"infinite value\(s\) \(first in row 3 \(0-based\)\)\. Drop or impute them"):
        GaussianMixture(2, prior="default").fit(np.where(np.arange(100).reshape(50, 2) == 7, np.nan, X))
    with pytest.raises(ValueError, match=r"GaussianMixture: prior must be used with covariance_type='full'"):
        GaussianMixture(2, prior="default", covariance_type="diag").fit(X)
    with pytest.raises(ValueError, match=r"GaussianMixture: prior must be None, 'default' or a dict with keys among"):
        GaussianMixture(2, prior="defualt").fit(X)


def test_tree_cuts_are_made_once_per_k_and_read_only(faithful):
    """select_mixture cuts one tree at each K for all 14 models: the cut is kept (read-only) and
    equals a fresh one."""
    tree = _hierarchical.build(faithful)
    a = tree.labels(3)
    assert tree.labels(3) is a and not a.flags.writeable
    np.testing.assert_array_equal(a, _hierarchical.build(faithful).labels(3))
    assert len(np.unique(a)) == 3
