"""The estimators on data sources (issue #12): Parquet / CSV files written here (several files,
small batches, so many chunks), Dask arrays and DataFrames, and a real distributed LocalCluster
(two worker processes) — each fit against the in-memory fit of the same rows: 1e-12 relative
for the one-pass fits (classifier, least squares), 1e-8 for the iterative ones (Newton, EM).
Standard errors of the Newton fits are also checked against the inverse of the exact Hessian
Xᵀ diag(w v) X computed here; least squares against the NIST StRD certified values.

The fault test kills a worker process in the middle of an iterative fit on the cluster; the
nanny restarts it, Dask recomputes the lost chunks, and the fit gives the same answer.
"""

from __future__ import annotations

import json
import os
import signal

import numpy as np
import pytest

import maxlik
from maxlik.errors import DataError, DegenerateFitError, ParameterError, SupportError
from maxlik.models import (GaussianClassifier, GaussianMixture, LinearRegression, LogisticRegression,
                           PoissonRegression, SoftmaxRegression)

da = pytest.importorskip("dask.array")
pa = pytest.importorskip("pyarrow")
import pyarrow.csv as pacsv  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

FEATURES = ["a", "b", "c"]


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def write(tmp_path, columns: dict, kind="parquet", files=3):
    """The rows of ``columns`` split over ``files`` files of ``kind``; returns their glob."""
    n = len(next(iter(columns.values())))
    cuts = np.linspace(0, n, files + 1).astype(int)
    for i, (a, b) in enumerate(zip(cuts[:-1], cuts[1:])):
        table = pa.table({k: v[a:b] for k, v in columns.items()})
        path = tmp_path / f"part{i}.{kind}"
        pq.write_table(table, path) if kind == "parquet" else pacsv.write_csv(table, path)
    return str(tmp_path / f"*.{kind}")


def columns_of(X, **extra):
    return {**{f: X[:, j] for j, f in enumerate(FEATURES)}, **extra}


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(12)
    n = 6000
    X = rng.normal(size=(n, 3)) * [1.0, 2.0, 0.5] + [0.0, 1.0, -1.0]
    w = rng.uniform(0.2, 2.0, n)
    eta = X @ [0.8, -0.4, 1.1] + 0.3
    binary = np.where(rng.random(n) < 1 / (1 + np.exp(-eta)), "yes", "no")
    counts = rng.poisson(np.exp(0.2 * X[:, 0] - 0.1 * X[:, 1] + 0.5)).astype(float)
    three = np.array(["p", "q", "r"])[np.argmax(X @ rng.normal(size=(3, 3)) + rng.gumbel(size=(n, 3)), axis=1)]
    response = X @ [1.5, -2.0, 0.7] + 4.0 + rng.normal(size=n)
    return {"X": X, "w": w, "binary": binary, "counts": counts, "three": three, "y": response}


def exact_se(X, beta, w, variance):
    """sqrt(diag(H⁻¹)) with H = Aᵀ diag(w v(η)) A, A = [1, X]: the Newton fits' covariance."""
    A = np.column_stack([np.ones(len(X)), X])
    H = A.T @ (A * (w * variance(A @ beta))[:, None])
    return np.sqrt(np.diag(np.linalg.inv(H)))


def _params(res):
    return np.array(list(res.params.values())), np.array(list(res.stderr.values()))


# -- GaussianClassifier: one pass of per-class statistics ---------------------------------------
@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
def test_classifier_on_parquet_files_equals_in_memory(tmp_path, data, covariance_type):
    X, y, w = data["X"], data["three"], data["w"]
    src = maxlik.scan(write(tmp_path, columns_of(X, label=y, w=w)), columns=FEATURES, target="label", weights="w",
                      batch_rows=250)
    got = GaussianClassifier(covariance_type=covariance_type).fit(src)
    ref = GaussianClassifier(covariance_type=covariance_type).fit(X, y, sample_weight=w)
    assert got.classes_.tolist() == ["p", "q", "r"]
    assert rel(got.means_, ref.means_) < 1e-12
    assert rel(got.covariances_, ref.covariances_) < 1e-12
    assert rel(got.class_prior_, ref.class_prior_) < 1e-12
    assert rel(got.result_.loglik, ref.result_.loglik) < 1e-12
    (p1, s1), (p2, s2) = _params(got.result_), _params(ref.result_)
    assert rel(p1, p2) < 1e-12 and rel(s1, s2) < 1e-12
    assert list(got.result_.params)[1] == "mean[p][a]"  # feature names from the scan's columns
    assert got.result_.n == ref.result_.n and got.predict(X[:50]).tolist() == ref.predict(X[:50]).tolist()
    assert abs(got.score(src) - ref.score(X, y, sample_weight=w)) < 1e-12  # weighted accuracy, one pass


def test_classifier_on_dask_arrays_and_target_argument(tmp_path, data):
    X, y = data["X"], data["three"]
    ref = GaussianClassifier().fit(X, y)
    got = GaussianClassifier().fit(da.from_array(X, chunks=(500, 3)), da.from_array(y, chunks=700))
    assert rel(got.means_, ref.means_) < 1e-12 and rel(got.covariances_, ref.covariances_) < 1e-12
    src = maxlik.scan(write(tmp_path, columns_of(X, label=y), kind="csv"), columns=FEATURES, batch_rows=400)
    for fitted in (GaussianClassifier().fit(src, target="label"), GaussianClassifier().fit(src, "label")):
        assert rel(fitted.covariances_, ref.covariances_) < 1e-12


# -- LinearRegression: merged QR --------------------------------------------------------------
def test_linear_regression_on_csv_equals_in_memory(tmp_path, data):
    X, y, w = data["X"], data["y"], data["w"]
    src = maxlik.scan(write(tmp_path, columns_of(X, y=y, w=w), kind="csv"), columns=FEATURES, target="y",
                      weights="w", batch_rows=300)
    for sigma in ("mle", "unbiased"):
        got = LinearRegression(sigma=sigma).fit(src)
        ref = LinearRegression(sigma=sigma).fit(X, y, sample_weight=w)
        assert rel(got.coef_, ref.coef_) < 1e-12 and rel(got.intercept_, ref.intercept_) < 1e-12
        (_, s1), (_, s2) = _params(got.result_), _params(ref.result_)
        assert rel(s1, s2) < 1e-12
        assert rel(got.result_.loglik, ref.result_.loglik) < 1e-12 and rel(got.sigma2_, ref.sigma2_) < 1e-12
        assert got.result_.n == len(y) and rel(got.result_.weight, w.sum()) < 1e-12
        assert got.result_.names == ["intercept", *FEATURES]
    assert abs(got.score(src) - ref.score(X, y, sample_weight=w)) < 1e-12  # weighted R², one pass


@pytest.mark.parametrize("name", ["Longley", "Norris", "Filip", "Wampler5"])
def test_linear_regression_streamed_nist(nist_certified, name):
    """The merged QR (refined where ill-conditioned) reaches the certified values to 7 digits,
    in chunks of 5 rows."""
    from test_linear_regression_nist import design, lre

    entry = nist_certified["datasets"][name]
    X, y = design(entry)
    model = LinearRegression(fit_intercept=entry["intercept"], sigma="unbiased")
    model.fit(da.from_array(X, chunks=(5, -1)), da.from_array(y, chunks=5))
    coef, se = _params(model.result_)
    assert lre(coef, entry["certified"]).min() >= 7.0
    assert lre(se, entry["certified_sd"]).min() >= 7.0
    assert lre(np.sqrt(model.sigma2_), entry["residual_sd"]) >= 7.0


def test_linear_regression_collinear_source():
    X = np.random.default_rng(0).normal(size=(200, 2))
    X = np.column_stack([X, X[:, 0] + X[:, 1]])
    with pytest.raises(DegenerateFitError, match="must have full column rank"):
        LinearRegression().fit(da.from_array(X, chunks=(40, 3)), da.from_array(X[:, 0], chunks=40))


# -- Newton fits: one pass per evaluation -----------------------------------------------------
def _sigmoid_var(eta):
    p = 1 / (1 + np.exp(-eta))
    return p * (1 - p)


def test_logistic_on_parquet_equals_in_memory(tmp_path, data):
    X, labels, w = data["X"], data["binary"], data["w"]
    src = maxlik.scan(write(tmp_path, columns_of(X, label=labels, w=w)), columns=FEATURES, target="label",
                      weights="w", batch_rows=200)
    got = LogisticRegression().fit(src)
    ref = LogisticRegression().fit(X, labels, sample_weight=w)
    assert got.classes_.tolist() == ["no", "yes"] and got.converged_
    assert rel(got.coef_, ref.coef_) < 1e-8 and rel(got.intercept_, ref.intercept_) < 1e-8
    assert rel(got.result_.loglik, ref.result_.loglik) < 1e-10
    beta, se = _params(got.result_)
    assert rel(se, exact_se(X, beta, w, _sigmoid_var)) < 1e-10
    assert rel(se, _params(ref.result_)[1]) < 1e-6  # the in-memory SEs come from the last Newton iterate
    pen = LogisticRegression(penalty="l2", C=0.05)
    assert rel(pen.fit(src).coef_, LogisticRegression(penalty="l2", C=0.05).fit(X, labels, sample_weight=w).coef_) < 1e-8


def test_logistic_separation_on_a_source(data):
    X = data["X"]
    y = (X[:, 1] > 1.0).astype(int)
    with pytest.raises(DegenerateFitError, match=r"must not be separable .* complete separation by the feature\(s\) 'x1'"):
        LogisticRegression().fit(da.from_array(X, chunks=(1000, 3)), da.from_array(y, chunks=1000))


def test_poisson_on_csv_equals_in_memory(tmp_path, data):
    X, counts, w = data["X"], data["counts"], data["w"]
    src = maxlik.scan(write(tmp_path, columns_of(X, n=counts, w=w), kind="csv"), columns=FEATURES, target="n",
                      weights="w", batch_rows=300)
    got = PoissonRegression().fit(src)
    ref = PoissonRegression().fit(X, counts, sample_weight=w)
    assert rel(got.coef_, ref.coef_) < 1e-8 and rel(got.result_.loglik, ref.result_.loglik) < 1e-10
    beta, se = _params(got.result_)
    assert rel(se, exact_se(X, beta, w, np.exp)) < 1e-10
    assert abs(got.score(src) - ref.score(X, counts, sample_weight=w)) < 1e-10


def test_poisson_negative_count_deep_in_a_file(tmp_path, data):
    X, counts = data["X"], data["counts"].copy()
    counts[4500] = -1.0
    src = maxlik.scan(write(tmp_path, columns_of(X, n=counts), kind="csv"), columns=FEATURES, batch_rows=300)
    with pytest.raises(SupportError, match=r"must be non-negative counts; got 1 value.*first at line \d+ of .*part2\.csv"):
        PoissonRegression().fit(src, target="n")


@pytest.mark.filterwarnings("ignore:Dask currently has limited support:UserWarning")
def test_softmax_on_dask_dataframe_equals_in_memory(data):
    dd = pytest.importorskip("dask.dataframe")
    import pandas as pd

    X, labels, w = data["X"], data["three"], data["w"]
    frame = dd.from_pandas(pd.DataFrame({**columns_of(X), "label": labels, "w": w}), npartitions=5)
    got = SoftmaxRegression().fit(frame, target="label", sample_weight="w")
    ref = SoftmaxRegression().fit(X, labels, sample_weight=w)
    assert got.classes_.tolist() == ["p", "q", "r"]
    assert rel(got.coef_[1:], ref.coef_[1:]) < 1e-8 and rel(got.result_.loglik, ref.result_.loglik) < 1e-10
    assert got.result_.names == [f"{f}[{c}]" for c in "qr" for f in ["intercept", *FEATURES]]
    assert rel(_params(got.result_)[1], _params(ref.result_)[1]) < 1e-6


# -- GaussianMixture: one pass per EM iteration ----------------------------------------------
def _blobs(n=6000, seed=3):
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [5.0, 1.0], [1.0, 6.0]])
    X = centres[rng.integers(0, 3, n)] + rng.normal(size=(n, 2)) * [1.0, 0.7]
    return X, rng.uniform(0.5, 1.5, n)


@pytest.mark.parametrize("covariance_type", ["full", "diag", "tied", "spherical"])
def test_mixture_on_parquet_equals_in_memory(tmp_path, covariance_type):
    X, w = _blobs()
    src = maxlik.scan(write(tmp_path, {"u": X[:, 0], "v": X[:, 1], "w": w}), columns=["u", "v"], weights="w",
                      batch_rows=500)
    kw = dict(n_components=3, covariance_type=covariance_type, random_state=0, tol=1e-6)
    got = GaussianMixture(**kw).fit(src)
    ref = GaussianMixture(**kw).fit(X, sample_weight=w)
    assert got.n_iter_ == ref.n_iter_ and got.converged_
    assert rel(got.means_, ref.means_) < 1e-8 and rel(got.covariances_, ref.covariances_) < 1e-8
    assert rel(got.weights_, ref.weights_) < 1e-8 and rel(got.lower_bounds_, ref.lower_bounds_) < 1e-10
    (p1, s1), (p2, s2) = _params(got.result_), _params(ref.result_)
    assert rel(p1, p2) < 1e-8 and rel(s1, s2) < 1e-8 and rel(got.result_.loglik, ref.result_.loglik) < 1e-10
    assert list(got.result_.params)[3] == "mean[0][u]"
    assert abs(got.score(src) - ref.score(X)) < 1e-10 and abs(got.bic(src) - ref.bic(X)) < 1e-6


def test_mixture_n_init_on_dask(data):
    X, _ = _blobs(seed=4)
    kw = dict(n_components=3, n_init=3, init_params="random", random_state=2, tol=1e-6)
    got = GaussianMixture(**kw).fit(da.from_array(X, chunks=(700, 2)))
    ref = GaussianMixture(**kw).fit(X)
    assert rel(got.means_, ref.means_) < 1e-8 and rel(got.lower_bound_, ref.lower_bound_) < 1e-10


# -- bad input ------------------------------------------------------------------------------
def test_target_column_missing(tmp_path, data):
    src = maxlik.scan(write(tmp_path, columns_of(data["X"])), columns=FEATURES)
    with pytest.raises(DataError, match=r"got 'label', which .*part0\.parquet lacks"):
        LogisticRegression().fit(src, target="label")


def test_target_missing_for_a_classifier(tmp_path, data):
    src = maxlik.scan(write(tmp_path, columns_of(data["X"])), columns=FEATURES)
    for est in (GaussianClassifier(), SoftmaxRegression(), LinearRegression()):
        with pytest.raises(DataError, match=rf"{type(est).__name__}: the target \(labels / response\) must be given"):
            est.fit(src)


def test_y_array_with_a_scan(tmp_path, data):
    src = maxlik.scan(write(tmp_path, columns_of(data["X"])), columns=FEATURES)
    with pytest.raises(DataError, match="y must be a column name for data read from files or a Dask DataFrame"):
        GaussianClassifier().fit(src, data["three"])


def test_target_with_in_memory_data(data):
    with pytest.raises(ParameterError, match="target must be used with a data source"):
        LinearRegression().fit(data["X"], target="y")


def test_column_names_with_a_dask_array(data):
    X = da.from_array(data["X"], chunks=(1000, 3))
    with pytest.raises(ParameterError, match="target must name a column, which a Dask array has not"):
        LinearRegression().fit(X, target="y")
    with pytest.raises(ParameterError, match="sample_weight must be an array for a Dask array X; got the name 'w'"):
        GaussianMixture(2).fit(X, sample_weight="w")


def test_y_length_mismatch_with_dask_x(data):
    X = da.from_array(data["X"], chunks=(1000, 3))
    with pytest.raises(DataError, match=r"the target \(y\) must have shape \(6000,\), one value per row of the data; got shape \(5999,\)"):
        LinearRegression().fit(X, data["y"][:-1])
    with pytest.raises(DataError, match=r"the weights must have shape \(6000,\)"):
        GaussianMixture(2).fit(X, sample_weight=np.ones(10))


def test_unknown_chunk_sizes(data):
    X = da.from_array(data["X"], chunks=(1000, 3))
    keep = da.from_array(data["X"][:, 0] > 0, chunks=1000)
    with pytest.raises(DataError, match=r"LogisticRegression: the data must have known chunk sizes.*compute_chunk_sizes\(\)"):
        LogisticRegression().fit(X[keep], da.from_array(data["binary"], chunks=1000)[keep])
    y = da.from_array(data["y"], chunks=1000)
    with pytest.raises(DataError, match=r"the target \(y\) must have known chunk sizes.*compute_chunk_sizes\(\)"):
        LinearRegression().fit(X, y[y > -1e9])


def test_nan_deep_in_a_file_is_named(tmp_path, data):
    X = data["X"].copy()
    X[5100, 1], X[5400, 0] = np.nan, np.inf
    src = maxlik.scan(write(tmp_path, columns_of(X, label=data["three"])), columns=FEATURES, target="label",
                      batch_rows=300)
    for est in (GaussianClassifier(), SoftmaxRegression(), LogisticRegression(), LinearRegression()):
        with pytest.raises(DataError, match=r"X must be finite; got 2 row\(s\) with NaN or inf \(first at data row 1100 "
                                            r"\(0-based\) of .*part2\.parquet"):
            est.fit(src, target="b") if isinstance(est, LinearRegression) else est.fit(src)
    with pytest.raises(DataError, match=r"GaussianMixture: X must be finite.*part2\.parquet"):
        GaussianMixture(2).fit(src)


def test_continuous_labels_refused(data):
    X = da.from_array(data["X"], chunks=(1000, 3))
    with pytest.raises(DataError, match="must be classes, not continuous values"):
        GaussianClassifier().fit(X, da.from_array(data["y"], chunks=1000))


# -- a real cluster: two worker processes ------------------------------------------------------
@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


def test_logistic_on_the_cluster(client, data):
    X, labels, w = data["X"], data["binary"], data["w"]
    got = LogisticRegression().fit(da.from_array(X, chunks=(500, 3)), da.from_array(labels, chunks=500),
                                   sample_weight=da.from_array(w, chunks=500))
    ref = LogisticRegression().fit(X, labels, sample_weight=w)
    assert rel(got.coef_, ref.coef_) < 1e-8 and rel(got.result_.loglik, ref.result_.loglik) < 1e-10


def test_mixture_on_the_cluster(client):
    X, w = _blobs(seed=5)
    kw = dict(n_components=3, random_state=1, tol=1e-6)
    got = GaussianMixture(**kw).fit(da.from_array(X, chunks=(600, 2)), sample_weight=w)
    ref = GaussianMixture(**kw).fit(X, sample_weight=w)
    assert rel(got.means_, ref.means_) < 1e-8 and rel(got.covariances_, ref.covariances_) < 1e-8
    assert rel(_params(got.result_)[1], _params(ref.result_)[1]) < 1e-8


class _KillAtPass(maxlik.sources.Source):
    """Delegates to a source; at the start of pass ``at`` kills the worker process ``pid``."""

    def __init__(self, inner, at, pid):
        self.inner, self.at, self.pid, self.passes = inner, at, pid, 0
        self.columns, self.target, self.weights = inner.columns, inner.target, inner.weights

    event_ndim = property(lambda self: self.inner.event_ndim)
    n_rows = property(lambda self: self.inner.n_rows)

    def describe(self):
        return self.inner.describe()

    def with_roles(self, **roles):
        return _KillAtPass(self.inner.with_roles(**roles), self.at, self.pid)

    def map_reduce(self, fn, combine=maxlik.sources.merge):
        self.passes += 1
        if self.passes == self.at:
            os.kill(self.pid, signal.SIGKILL)
        return self.inner.map_reduce(fn, combine)


@pytest.mark.parametrize("model", ["logistic", "mixture"])
def test_fit_survives_a_killed_worker(client, data, model):
    """A worker process is killed (SIGKILL) as the 3rd pass (the first Newton / EM pass) starts,
    with its share of the persisted chunks; the nanny starts a new one, Dask recomputes the lost
    chunks from their lineage, and the fit ends with the answer of the in-memory fit."""
    from maxlik.sources.dask_source import DaskSource

    client.wait_for_workers(2, timeout=60)
    pids = client.run(os.getpid)
    victim = pids[sorted(pids)[0]]
    if model == "logistic":
        X, y = data["X"], data["binary"]
        inner = DaskSource.wrap(da.from_array(X, chunks=(300, 3)), target=da.from_array(y, chunks=300))
        src = _KillAtPass(inner, 3, victim)
        got, ref = LogisticRegression().fit(src), LogisticRegression().fit(X, y)
        assert rel(got.coef_, ref.coef_) < 1e-8 and rel(got.result_.loglik, ref.result_.loglik) < 1e-10
    else:
        X, _ = _blobs(seed=6)
        src = _KillAtPass(DaskSource.wrap(da.from_array(X, chunks=(300, 2))), 3, victim)
        kw = dict(n_components=3, random_state=0, tol=1e-6)
        got, ref = GaussianMixture(**kw).fit(src), GaussianMixture(**kw).fit(X)
        assert got.n_iter_ == ref.n_iter_ and rel(got.means_, ref.means_) < 1e-8
    assert src.passes > 3  # the fit went on after the kill
    client.wait_for_workers(2, timeout=60)
    assert victim not in client.run(os.getpid).values()  # the worker was replaced
