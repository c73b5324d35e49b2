"""maxlik.fit on Dask collections: the local scheduler and a real distributed LocalCluster.

Reference: the in-memory fit of the same rows (1e-12 relative for closed forms, 1e-8 for
Newton over passes). The cluster is started by the tests (2 worker processes, 1 thread each).
"""

from __future__ import annotations

import os
import threading
import time

import numpy as np
import pytest

import maxlik
from maxlik.errors import DataError

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

RNG = np.random.default_rng(7)
X = RNG.gamma(3.0, 2.0, size=40_000)


def same(a, b, rtol):
    assert a.n == b.n
    for k in b.params:
        np.testing.assert_allclose(a.params[k], b.params[k], rtol=rtol)
    assert a.loglik == pytest.approx(b.loglik, rel=rtol)
    for k in b.stderr:
        np.testing.assert_allclose(a.stderr[k], b.stderr[k], rtol=max(rtol, 1e-10))


@pytest.mark.parametrize("family,rtol", [("normal", 1e-12), ("gamma", 1e-12), ("poisson", 1e-12),
                                         ("weibull", 1e-8), ("student_t", 1e-8)])
def test_dask_array_on_the_local_scheduler(family, rtol):
    x = np.floor(X) if family == "poisson" else X
    same(maxlik.fit(da.from_array(x, chunks=3_000), family), maxlik.fit(x, family), rtol)


def test_dask_dataframe_columns_and_weights():
    import pandas as pd

    w = RNG.integers(0, 3, size=X.size).astype(float)
    frame = dd.from_pandas(pd.DataFrame({"v": X, "w": w, "label": np.arange(X.size) % 3}), npartitions=7)
    same(maxlik.fit(frame["v"], "gamma"), maxlik.fit(X, "gamma"), 1e-12)
    same(maxlik.fit(frame["v"], "weibull"), maxlik.fit(X, "weibull"), 1e-8)
    src = maxlik.sources.as_source(frame, columns=["v"], weights="w")
    same(maxlik.fit(src, "gamma"), maxlik.fit(X, "gamma", weights=w), 1e-12)
    x = da.from_array(X, chunks=6_000)
    same(maxlik.fit(x, "weibull", weights=da.from_array(w, chunks=4_000)), maxlik.fit(X, "weibull", weights=w), 1e-8)
    same(maxlik.fit(x, "gamma", weights=w), maxlik.fit(X, "gamma", weights=w), 1e-12)


def test_multivariate_dask_array_with_column_chunks():
    m = RNG.normal(size=(9_000, 4))
    a = maxlik.fit(da.from_array(m, chunks=(1_000, 2)), maxlik.MultivariateNormal())
    same(a, maxlik.fit(m, maxlik.MultivariateNormal()), 1e-12)


def test_unknown_chunk_sizes_say_how_to_fix():
    x = da.from_array(X, chunks=5_000)
    unknown = x[x > 0]  # boolean indexing: chunk sizes become NaN
    with pytest.raises(DataError, match=r"must have known chunk sizes; got a Dask array with unknown \(NaN\) chunk sizes. "
                                        r"Call x.compute_chunk_sizes\(\) first"):
        maxlik.fit(unknown, "gamma")
    unknown.compute_chunk_sizes()
    same(maxlik.fit(unknown, "gamma"), maxlik.fit(X[X > 0], "gamma"), 1e-12)


def test_weights_of_the_wrong_length_and_bad_values_in_a_block():
    x = da.from_array(X, chunks=5_000)
    with pytest.raises(DataError, match=r"weights must have shape \(40000,\), one value per row of the data; got shape \(10,\)"):
        maxlik.sources.as_source(x, weights=np.ones(10))
    bad = X.copy()
    bad[23_456] = -1.0
    with pytest.raises(DataError, match=r"got 1 value\(s\) that are not \(first at row 23456 \(0-based\) of the Dask collection: -1\)"):
        maxlik.fit(da.from_array(bad, chunks=5_000), "gamma")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=50) as c, distributed.Client(c) as client:
        yield c, client


@pytest.mark.parametrize("family,rtol", [("normal", 1e-12), ("gamma", 1e-12), ("weibull", 1e-8), ("cauchy", 1e-8)])
def test_a_real_local_cluster_gives_the_same_fit(cluster, family, rtol):
    same(maxlik.fit(da.from_array(X, chunks=4_000), family), maxlik.fit(X, family), rtol)


def test_compare_on_the_cluster(cluster):
    names = ["normal", "gamma", "weibull"]
    a, b = maxlik.compare(da.from_array(X, chunks=8_000), names), maxlik.compare(X, names)
    assert [r.family for r in a] == [r.family for r in b]
    assert [r.aic for r in a] == pytest.approx([r.aic for r in b], rel=1e-10)


def test_a_worker_killed_during_a_newton_fit(cluster):
    """A worker process dies after the first passes; its nanny restarts it, Dask recomputes the
    blocks it held from their lineage, and the fit finishes with the in-memory answer."""
    c, client = cluster
    x = da.random.default_rng(3).gamma(2.0, 1.5, size=400_000, chunks=20_000)
    expected = maxlik.fit(x.compute(), "weibull")
    from maxlik.optimize import _stream_kernel

    calls, killed = {"n": 0}, threading.Event()
    original = _stream_kernel.StreamKernel.evaluate

    def evaluate(self, u):
        calls["n"] += 1
        if calls["n"] == 2 and not killed.is_set():
            victim = sorted(client.scheduler_info()["workers"])[0]
            client.run(os._exit, 1, workers=[victim], on_error="ignore")
            killed.set()
        return original(self, u)

    _stream_kernel.StreamKernel.evaluate = evaluate
    try:
        got = maxlik.fit(x, "weibull")
    finally:
        _stream_kernel.StreamKernel.evaluate = original
    assert killed.is_set() and calls["n"] > 2
    same(got, expected, 1e-8)
    deadline = time.time() + 30
    while len(client.scheduler_info()["workers"]) < 2 and time.time() < deadline:
        time.sleep(0.2)


def test_a_worker_that_dies_every_time_is_reported_with_the_fit():
    import dask

    def crash(chunk):
        os._exit(1)

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0",
                                      silence_logs=50) as c, distributed.Client(c):
            src = maxlik.sources.as_source(da.from_array(X, chunks=10_000))
            with maxlik.sources.working_on("fit(Weibull)"):
                with pytest.raises(maxlik.FitFailedError, match=r"fit\(Weibull\): the Dask workers must stay alive through a pass "
                                                                  r"over the Dask array \(shape \(40000,\), 4 chunks\); got KilledWorker"):
                    src.map_reduce(crash)


def _die(block):
    os._exit(1)


def test_an_estimator_on_workers_that_keep_dying_names_the_estimator():
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0",
                                      silence_logs=50) as c, distributed.Client(c):
            X = da.from_array(RNG.normal(size=(2_000, 2)), chunks=(500, 2)).map_blocks(_die, meta=np.zeros((0, 2)))
            y = da.from_array((RNG.random(2_000) < 0.5).astype(float), chunks=500)
            with pytest.raises(maxlik.FitFailedError, match=r"LogisticRegression.fit: the Dask workers must stay alive "
                                                              r"through a pass over the Dask array .*; got KilledWorker"):
                maxlik.LogisticRegression().fit(X, y)
