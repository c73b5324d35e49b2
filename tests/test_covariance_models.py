"""mclust's 14 covariance models (maxlik.models._covariance_models) in GaussianMixture,
select_mixture and GaussianClassifier, against R's mclust.

References: tests/data/mclust_reference.npz, written by tests/data/mclust_reference.R with
R 4.2.2 and mclust 6.0.0 (the script has the R calls: ``Mclust(X, G=3, modelNames=m)`` on
``faithful`` and ``iris[, 1:4]``, ``mstep(modelName=m, data=X, z=m$z)``, ``nMclustParams``).
The structure and optimality tests need no reference: they decompose Σₖ = λₖ Dₖ Aₖ Dₖᵀ and
perturb the structured parameters.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import multivariate_normal

import maxlik
from maxlik import GaussianClassifier, GaussianMixture, InferenceWarning, ParameterError, select_mixture
from maxlik.models import _covariance_models as cm

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
REF = np.load(Path(__file__).parent / "data" / "mclust_reference.npz")
CLOSED_FORM = ("EII", "VII", "EEI", "EVI", "VVI", "EEE", "EEV", "EVV", "VVV")
ITERATIVE = ("VEI", "VEE", "EVE", "VEV")  # VVE: see test_vve_is_the_exact_mle


@pytest.fixture(scope="module")
def sets():
    faithful = pd.read_csv(DATA / "faithful.csv").to_numpy(float)
    iris = pd.read_csv(DATA / "iris.csv").iloc[:, :4].to_numpy(float)
    return {"faithful": faithful, "iris": iris}


def scatter(X, z):
    """nₖ (K,), means (K, d), Wₖ (K, d, d) of responsibilities z (n, K)."""
    N = z.sum(0)
    mu = z.T @ X / N[:, None]
    W = np.array([(X - mu[k]).T * z[:, k] @ (X - mu[k]) for k in range(z.shape[1])])
    return N, mu, W


def objective(S, N, W):
    """Σₖ [nₖ log|Σₖ| + tr(Σₖ⁻¹ Wₖ)]: −2 × the expected complete log-likelihood up to constants."""
    return sum(N[k] * np.linalg.slogdet(S[k])[1] + np.trace(np.linalg.solve(S[k], W[k])) for k in range(len(N)))


def test_data_are_rs(sets):
    # printed by the R script: sum(X^2), sum(X * seq_len(nrow(X)))
    for name, (a, b) in {"faithful": (1420927.8189749999, 2765030.2760000001), "iris": (9539.29, 174175.6)}.items():
        X = sets[name]
        assert (X**2).sum() == pytest.approx(a, rel=1e-14)
        assert (X * np.arange(1, len(X) + 1)[:, None]).sum() == pytest.approx(b, rel=1e-14)


def test_parameter_counts_are_nmclustparams():
    for model, (d, G, npar) in zip(REF["npar_models"], REF["npar_dGk"]):
        assert cm.n_params(str(model), int(d), int(G)) == npar, (model, d, G)


@pytest.mark.parametrize("data", ["faithful", "iris"])
def test_m_step_from_mclusts_responsibilities(sets, data):
    X = sets[data]
    for m in CLOSED_FORM + ITERATIVE:
        N, _, W = scatter(X, REF[f"z_{data}_{m}"])
        ref, ours = REF[f"msigma_{data}_{m}"], cm.covariances(m, N, W)
        if m in CLOSED_FORM:
            np.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-12 * np.abs(ref).max(), err_msg=m)
        else:  # mclust stops its inner loop at a relative change of sqrt(eps): ours is as good or better
            assert objective(ours, N, W) <= objective(ref, N, W) + 1e-9 * abs(objective(ref, N, W)), m
            np.testing.assert_allclose(ours, ref, rtol=2e-3, atol=2e-3 * np.abs(ref).max(), err_msg=m)


def test_vve_is_the_exact_mle(sets):
    """mclust's VVE orientation step weighs Wₖ by Aₖ⁻¹ instead of (λₖAₖ)⁻¹; the exact M-step's
    objective is lower by the amounts recorded here (½ × difference = log-likelihood units)."""
    for data, gain in {"faithful": 0.189, "iris": 0.409}.items():
        N, _, W = scatter(sets[data], REF[f"z_{data}_VVE"])
        check_structure("VVE", REF[f"msigma_{data}_VVE"])  # mclust's estimate is of the model, with a lower likelihood
        diff = 0.5 * (objective(REF[f"msigma_{data}_VVE"], N, W) - objective(cm.covariances("VVE", N, W), N, W))
        assert diff == pytest.approx(gain, abs=2e-3)


def mixture_loglik(X, pro, mean, sigma):
    dens = np.column_stack([multivariate_normal(mean[k], sigma[k]).logpdf(X) for k in range(len(pro))])
    return float(np.logaddexp.reduce(dens + np.log(pro), axis=1).sum())


@pytest.mark.filterwarnings("ignore::maxlik.ConvergenceWarning")  # max_iter=1: one E-step at mclust's estimate
@pytest.mark.parametrize("data", ["faithful", "iris"])
def test_em_from_mclusts_estimate(sets, data):
    """Our E-step at mclust's estimate gives R's ``dens`` log-likelihood of it (and scipy's).
    mclust's recorded ``m$loglik`` equals it for VEE, EVE, VVE, VEV; for the other models it is the
    log-likelihood before the last M-step, up to 1e-5 relative below. EM from mclust's estimate
    never goes below it (mclust stops at a relative change of 1e-5; here EVE on Old Faithful then
    climbs from −1134.72 to −1124.83)."""
    X = sets[data]
    for m in cm.MODELS:
        key = f"{data}_{m}"
        pro, mean, sigma = REF[f"pro_{key}"], REF[f"mean_{key}"], REF[f"sigma_{key}"]
        ll_r, bic_r, df_r, ll_dens = REF[f"fit_{key}"]
        start = dict(weights_init=pro, means_init=mean, precisions_init=np.linalg.inv(sigma), reg_covar=0.0)
        gm = GaussianMixture(3, covariance_type=m, max_iter=1, **start).fit(X)
        ll0 = gm.lower_bounds_[0] * len(X)
        assert ll0 == pytest.approx(ll_dens, rel=1e-10) and ll0 == pytest.approx(mixture_loglik(X, pro, mean, sigma), rel=1e-10), m
        if m in ("VEE", "EVE", "VVE", "VEV"):
            assert ll_r == pytest.approx(ll0, rel=1e-10), m
        else:
            assert 0 < ll0 - ll_r < 1e-5 * abs(ll_r), m
        assert gm._n_parameters() == df_r and -bic_r == pytest.approx(-2 * ll_r + df_r * np.log(len(X)), rel=1e-10)
        if m in ("EVV", "EVE", "VVE"):
            continue  # slow EM (hundreds of iterations); the monotonicity is checked on the others
        gm = GaussianMixture(3, covariance_type=m, max_iter=300, tol=1e-8, **start).fit(X)
        assert gm._loglik >= ll0 and np.all(np.diff(gm.lower_bounds_) >= -1e-12), m


def test_em_continues_past_mclusts_stop_on_faithful_eve(sets):
    key = "faithful_EVE"
    start = dict(weights_init=REF[f"pro_{key}"], means_init=REF[f"mean_{key}"],
                 precisions_init=np.linalg.inv(REF[f"sigma_{key}"]), reg_covar=0.0)
    gm = GaussianMixture(3, covariance_type="EVE", max_iter=2000, tol=1e-9, **start).fit(sets["faithful"])
    trace = gm.lower_bounds_ * 272
    assert trace[1] - trace[0] < 1e-5 * (1 + abs(trace[0]))  # mclust's stopping rule holds at its estimate
    assert gm.converged_ and gm._loglik - REF[f"fit_{key}"][0] > 9.0 and np.all(np.diff(trace) >= -1e-9)


def decompose(model, S):
    """λ (K,), A (K, d), D (K, d, d) of Σ (K, d, d) as the model parametrises it: D shared (from a
    generic combination), the identity, or each Σₖ's eigenvectors (eigenvalues decreasing)."""
    m, (K, d) = cm.canonical(model), S.shape[:2]
    if m[2] == "I":
        D = np.repeat(np.eye(d)[None], K, 0)
    elif m[2] == "E":
        D = np.repeat(np.linalg.eigh(np.tensordot(1.0 + 0.618 * np.arange(K), S, 1))[1][None], K, 0)
    else:
        D = np.linalg.eigh(S)[1][:, :, ::-1]
    omega = np.einsum("kji,kjl,kli->ki", D, S, D)
    lam = np.exp(np.log(omega).mean(1))
    return lam, omega / lam[:, None], D


def compose(lam, A, D):
    return np.einsum("kij,kj,klj->kil", D, lam[:, None] * A, D)


def check_structure(model, S):
    m = cm.canonical(model)
    lam, A, D = decompose(m, S)
    np.testing.assert_allclose(compose(lam, A, D), S, rtol=1e-9, atol=1e-12)  # D diagonalises every Σₖ
    if m[0] == "E":
        np.testing.assert_allclose(lam, lam[0], rtol=1e-9)
    if m[1] == "E":
        np.testing.assert_allclose(A, np.repeat(A[:1], len(A), 0), rtol=1e-7)
    if m[1] == "I":
        np.testing.assert_allclose(A, 1.0, rtol=1e-9)


def skew_rotation(rng, d, eps):
    from scipy.linalg import expm

    G = rng.normal(size=(d, d)) * eps
    return expm(G - G.T)


def perturb(model, lam, A, D, rng, eps):
    """Random parameters of the same structure near (λ, A, D)."""
    m, (K, d) = cm.canonical(model), A.shape
    lam = lam * np.exp(eps * (rng.normal() if m[0] == "E" else rng.normal(size=K)))
    if m[1] != "I":
        e = rng.normal(size=(1 if m[1] == "E" else K, d)) * eps
        A = A * np.exp(e - e.mean(1, keepdims=True))
    if m[2] == "E":
        D = D @ skew_rotation(rng, d, eps)
    elif m[2] == "V":
        D = np.array([Dk @ skew_rotation(rng, d, eps) for Dk in D])
    return lam, A, D


@pytest.mark.parametrize("model", cm.MODELS)
def test_m_step_has_the_structure_and_is_the_weighted_mle(sets, model):
    rng = np.random.default_rng(7)
    cases = [scatter(sets[s], REF[f"z_{s}_VVV"]) for s in ("faithful", "iris")]
    X = rng.normal(size=(60, 3)) @ rng.normal(size=(3, 3))
    z = rng.dirichlet(np.ones(3), size=60)
    cases.append(scatter(X, z))
    for N, _, W in cases:
        S = cm.covariances(model, N, W)
        check_structure(model, S)
        best = objective(S, N, W)
        lam, A, D = decompose(model, S)
        for eps in (1e-1, 1e-3):
            for _ in range(10):
                assert objective(compose(*perturb(model, lam, A, D, rng, eps)), N, W) >= best - 1e-9 * abs(best)


@pytest.mark.filterwarnings("ignore::maxlik.ConvergenceWarning")  # 20 iterations are enough for the structure
@pytest.mark.parametrize("model", cm.MODELS)
def test_fitted_mixture_has_the_structure(sets, model):
    gm = GaussianMixture(3, covariance_type=model, reg_covar=0.0, random_state=0, max_iter=20).fit(sets["iris"])
    assert gm.covariances_.shape == gm.precisions_.shape == (3, 4, 4)
    check_structure(model, gm.covariances_)
    # reg_covar regularises the scatter (Wₖ + nₖ·reg_covar·I): the estimate keeps its structure
    check_structure(model, GaussianMixture(3, covariance_type=model, reg_covar=0.05, random_state=0,
                                           max_iter=5).fit(sets["iris"]).covariances_)
    np.testing.assert_allclose(gm.precisions_ @ gm.covariances_, np.repeat(np.eye(4)[None], 3, 0), atol=1e-8)


@pytest.mark.filterwarnings("ignore::maxlik.InferenceWarning")  # both fits say so alike at a saddle
@pytest.mark.parametrize("alias", ["full", "tied", "diag", "spherical"])
def test_scikit_learn_names_are_aliases(sets, alias):
    X = sets["faithful"]
    a = GaussianMixture(3, covariance_type=alias, random_state=1).fit(X)
    b = GaussianMixture(3, covariance_type=cm.ALIASES[alias], random_state=1).fit(X)
    assert a.n_iter_ == b.n_iter_ and a._n_parameters() == b._n_parameters()
    assert a._loglik == pytest.approx(b._loglik, rel=1e-12)
    np.testing.assert_allclose(a._full_covariances(), b.covariances_, rtol=1e-10)
    np.testing.assert_allclose(a.result_.stderr["mean[0][x1]"], b.result_.stderr["mean[0][x1]"], rtol=1e-8)


def test_structured_model_result_has_no_standard_errors(sets):
    gm = GaussianMixture(2, covariance_type="VEV", random_state=0).fit(sets["faithful"])
    r = gm.result_
    assert r.n_params == cm.n_params("VEV", 2, 2) == 10 and r.loglik == gm._loglik
    with pytest.warns(InferenceWarning, match="standard errors of mclust model 'VEV'"):
        assert np.isnan(r.stderr["weight[0]"])
    assert type(r).from_dict(r.to_dict()).params == r.params


def test_streamed_fit_equals_the_array_fit(sets, tmp_path):
    path = tmp_path / "faithful.csv"
    pd.DataFrame(sets["faithful"], columns=["eruptions", "waiting"]).to_csv(path, index=False)
    src = maxlik.scan(str(path), columns=["eruptions", "waiting"])
    for m in ("VEV", "EVE"):
        a = GaussianMixture(2, covariance_type=m, random_state=0, tol=1e-8, max_iter=500).fit(src)
        b = GaussianMixture(2, covariance_type=m, random_state=0, tol=1e-8, max_iter=500).fit(sets["faithful"])
        assert a._loglik == pytest.approx(b._loglik, rel=1e-10) and a.bic(src) == pytest.approx(b.bic(sets["faithful"]), rel=1e-10)
        np.testing.assert_allclose(a.covariances_, b.covariances_, rtol=1e-6)


def test_collapsed_component_is_named():
    """Six identical rows: the component on them has a singular scatter. Models that pool it (EII,
    EEI, EEE, EEV) still have an MLE; for the others the error names component 1 (not the healthy
    one whose volume or shape the structure shares), and select_mixture skips those."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(100, 2)), np.full((6, 2), 8.0)])
    for m in cm.MODELS:
        gm = GaussianMixture(2, covariance_type=m, reg_covar=0.0, random_state=0)
        if m in ("EII", "EEI", "EEE", "EEV"):
            assert np.isfinite(gm.fit(X)._loglik)
            continue
        with pytest.raises(maxlik.DegenerateFitError, match=r"GaussianMixture: component 1's covariance must be positive definite"):
            gm.fit(X)
    sel = select_mixture(X, [2], covariance_types=["EEE", "VEV"], reg_covar=0.0)
    assert [r["covariance_type"] for r in sel.skipped] == ["VEV"] and sel.best_config == ("EEE", 2)
    y = np.r_[np.zeros(100), np.ones(6)]
    with pytest.raises(maxlik.DegenerateFitError, match=r"GaussianClassifier: class 1.0's covariance \(VEV\) must be positive definite; got a singular estimate \(6 observations"):
        GaussianClassifier(covariance_type="VEV").fit(X, y)


def test_univariate_models(sets):
    x = sets["faithful"][:, :1]
    for name, twin in (("E", "EII"), ("V", "VII")):
        a = GaussianMixture(2, covariance_type=name, random_state=0).fit(x)
        b = GaussianMixture(2, covariance_type=twin, random_state=0).fit(x)
        assert a._loglik == b._loglik and a._n_parameters() == cm.n_params(name, 1, 2)
    expected = {("E", 3): 6, ("V", 3): 8}  # nMclustParams("E", 1, 3), ("V", 1, 3) in the reference
    for (m, G), p in expected.items():
        assert cm.n_params(m, 1, G) == p
    with pytest.raises(ParameterError, match=r"GaussianMixture: covariance_type 'E' must be used with one-dimensional data; got 2 features\. Use 'EII'"):
        GaussianMixture(2, covariance_type="E").fit(sets["faithful"])


def test_unknown_model_name_lists_models_and_suggests():
    X = np.random.default_rng(0).normal(size=(50, 2))
    with pytest.raises(ParameterError, match=r"GaussianMixture: covariance_type must be one of \['full', 'tied', 'diag', 'spherical'\]; got 'VVX'\. Did you mean 'VVV'\? Also accepted: mclust's models \['EII', 'VII',.*'VVV'\], and 'E' / 'V' for one-dimensional data \('spherical' = VII, 'diag' = VVI, 'tied' = EEE, 'full' = VVV\)\."):
        GaussianMixture(2, covariance_type="VVX").fit(X)
    with pytest.raises(ParameterError, match=r"GaussianMixture: covariance_type must be one of .*got 'eve'\. Did you mean 'EVE'\?"):
        GaussianMixture(2, covariance_type="eve").fit(X)
    with pytest.raises(ParameterError, match=r"select_mixture: covariance_types must be among \['full', 'tied', 'diag', 'spherical'\]; got \['VEE', 'Vev'\]\. Did you mean 'VEV'\? Also accepted: mclust's models"):
        select_mixture(X, [1], covariance_types=["VEE", "Vev"])
    with pytest.raises(ParameterError, match=r"GaussianClassifier: covariance_type must be one of .*got 'VIV'\."):
        GaussianClassifier(covariance_type="VIV").fit(X, np.arange(50) % 2)
    with pytest.raises(ParameterError, match=r"select_mixture: covariance_type 'V' must be used with one-dimensional data"):
        select_mixture(X, [1], covariance_types=["V"])


def test_select_mixture_with_mclust_models_skips_unidentifiable(sets):
    X = sets["faithful"]
    sel = select_mixture(X, n_components=[1, 2, 3], covariance_types=["EEE", "VEV", "VII"])
    rows = {(r["covariance_type"], r["n_components"]): r for r in sel.table}
    for (m, k), r in rows.items():
        assert r["n_params"] == cm.n_params(m, 2, k)
        assert r["bic"] == pytest.approx(-2 * r["loglik"] + r["n_params"] * np.log(272))
    small = np.repeat(np.array([[0.0, 0.0], [1.0, 0.3], [0.2, 1.0], [2.0, 2.5], [3.0, 1.0], [2.6, 3.1], [3.3, 2.2]]), 6, axis=0)
    sel = select_mixture(small, n_components=[1, 2], covariance_types=["EII", "VVV"], reg_covar=1e-3)
    status = {(r["covariance_type"], r["n_components"]): r["status"] for r in sel.table}
    assert status[("VVV", 2)] == ("skipped: the data have 7 distinct rows, fewer than the 11 parameters of VVV with 2 "
                                  "components (not identifiable); use fewer components or a simpler model")
    assert status[("EII", 2)] == "ok" and sel.best_config != ("VVV", 2)


# R: X <- as.matrix(iris[,1:4]); cl <- as.integer(iris$Species); ms <- mstep(modelName=m, data=X, z=unmap(cl),
#    control=emControl(tol=c(1e-5, 1e-14))); cd <- cdens(m, X, ms$parameters, logarithm=TRUE);
#    sum(cd[cbind(1:150, cl)] + log(ms$parameters$pro[cl]))       (mclust 6.0.0, R 4.2.2)
EDDA_IRIS = {"EII": -444.66777829, "VII": -417.96502376, "EEI": -384.08830053, "VEI": -355.45883326,
             "EVI": -364.22566918, "VVI": -326.05008119, "EEE": -263.20374327, "VEE": -245.68159625,
             "EVE": -241.54268593, "VVE": -221.45458769, "EEV": -220.80045796, "VEV": -194.04751244,
             "EVV": -214.35752845, "VVV": -188.37555490}


def test_classifier_matches_mclust_edda(sets):
    y = pd.read_csv(DATA / "iris.csv").Species.to_numpy()
    for m, ll in EDDA_IRIS.items():
        c = GaussianClassifier(covariance_type=m).fit(sets["iris"], y)
        check_structure(m, c.covariances_)
        assert c.result_.n_params == cm.n_params(m, 4, 3)
        if m == "VVE":  # the exact MLE (see test_vve_is_the_exact_mle) is higher than mclust's
            assert c.result_.loglik - ll == pytest.approx(0.4719, abs=1e-3)
        else:
            assert c.result_.loglik == pytest.approx(ll, rel=1e-9, abs=1e-7), m
    for alias, model in cm.ALIASES.items():  # with reg_covar too: Σ + reg_covar·I for the aliased models
        a = GaussianClassifier(covariance_type=alias, reg_covar=0.01).fit(sets["iris"], y)
        b = GaussianClassifier(covariance_type=model, reg_covar=0.01).fit(sets["iris"], y)
        np.testing.assert_allclose(a.covariances_, b.covariances_, rtol=1e-10)
        np.testing.assert_allclose(a.predict_proba(sets["iris"]), b.predict_proba(sets["iris"]), rtol=1e-8, atol=1e-300)
        assert a.result_.n_params == b.result_.n_params and a.result_.loglik == pytest.approx(b.result_.loglik, rel=1e-12)


def test_cli_takes_mclust_models():
    from typer.testing import CliRunner

    from maxlik.cli import app

    faithful = str(maxlik.datasets.path("faithful"))
    res = CliRunner().invoke(app, ["mixture", faithful, "--select", "1..3", "--covariance", "EEE,VEV"])
    assert res.exit_code == 0 and "best by BIC: --covariance" in res.stdout and "VEV" in res.stdout
    res = CliRunner().invoke(app, ["mixture", faithful, "-k", "2", "--covariance", "EVE", "--format", "json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["n_params"] == cm.n_params("EVE", 2, 2)
    res = CliRunner().invoke(app, ["mixture", faithful, "--covariance", "VVX"])
    assert res.exit_code != 0 and "--covariance must be one of ['full', 'tied', 'diag', 'spherical']; got 'VVX'. Did you mean 'VVV'?" in res.output


def test_polar_factor_is_the_svds():
    """The EVE/VVE Procrustes step: the closed-form 2 × 2 polar factor and the unchecked LAPACK SVD
    equal UVᵀ from np.linalg.svd (the orthogonal Q maximising tr(QᵀM))."""
    rng = np.random.default_rng(3)
    for d in (2, 2, 2, 3, 4):
        for M in (rng.normal(size=(d, d)), np.diag(rng.uniform(1, 2, d)) @ np.eye(d)[::-1]):
            u, _, vt = np.linalg.svd(M)
            np.testing.assert_allclose(cm._polar(M), u @ vt, atol=1e-12)


def test_non_finite_scatter_raises_as_the_svd_did():
    W = np.stack([np.eye(2), np.array([[np.nan, 0.0], [0.0, 1.0]])])
    with pytest.raises(np.linalg.LinAlgError):
        cm.covariances("VVE", np.array([5.0, 5.0]), W)


def test_select_mixture_checks_its_options_once_with_the_estimators_message(sets):
    with pytest.raises(ParameterError, match=r"GaussianMixture: tol must be a non-negative"):
        select_mixture(sets["faithful"], n_components=[1, 2], covariance_types=["EEE"], tol=-1.0)


def _orientation_objective(m, N, W, D):
    """Σₖ nₖ log|Σₖ| + tr(Σₖ⁻¹ Wₖ) at the orientation D, the diagonals profiled out in closed form
    (Celeux & Govaert 1995, Table 1), computed here independently of the module."""
    w = np.einsum("ij,kil,lj->kj", D, W, D)  # diag(DᵀWₖD)
    n, d = N.sum(), W.shape[1]
    if m == "VVE":
        omega = w / N[:, None]
    else:
        g = np.prod(w, axis=1) ** (1.0 / d)
        omega = w / g[:, None] * (g.sum() / n)
    S = np.einsum("ij,kj,lj->kil", D, omega, D)
    return objective(S, N, W)


def test_orientation_is_a_local_minimum_with_and_without_the_mm_fallback(monkeypatch):
    """EVE / VVE by Jacobi steps, and MM after a step that overshoots (counted by the eigenvalues
    MM needs): the D of the returned Σ is a local minimum of the profiled objective (no turn
    D·expm(S), S skew and small, lowers it; scipy's BFGS from there finds nothing lower) and the
    returned Σ is the closed-form profile at that D."""
    from scipy.linalg import expm
    from scipy.optimize import minimize

    fallbacks = []
    eigvalsh = cm.eigvalsh
    monkeypatch.setattr(cm, "eigvalsh", lambda a: fallbacks.append(1) or eigvalsh(a))
    rng = np.random.default_rng(0)
    for trial in range(5):  # trials 1, 3 and 4 fall back to MM
        d, K = (4, 4) if trial % 2 else (5, 3)
        A = rng.normal(size=(K, d, d)) * rng.lognormal(size=(K, 1, d)) * 2
        W = A @ A.transpose(0, 2, 1) + 0.01 * np.eye(d)
        N = rng.uniform(5, 50, K)
        for m in ("EVE", "VVE"):
            S = cm.covariances(m, N, W)
            D = np.linalg.eigh(np.tensordot(1.0 + np.arange(K), S, 1))[1]  # Σₖ share D
            f0 = _orientation_objective(m, N, W, D)
            assert objective(S, N, W) == pytest.approx(f0, rel=1e-12)
            iu = np.triu_indices(d, 1)

            def turned(x):
                T = np.zeros((d, d))
                T[iu] = x
                return _orientation_objective(m, N, W, D @ expm(T - T.T))

            for _ in range(5):
                assert turned(1e-4 * rng.normal(size=len(iu[0]))) >= f0 - 1e-9 * abs(f0)
            best = minimize(turned, np.zeros(len(iu[0])), method="BFGS")
            assert best.fun >= f0 - 1e-8 * abs(f0), (trial, m)
    assert fallbacks  # some of these random scatters make the simultaneous turn overshoot
