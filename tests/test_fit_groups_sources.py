"""fit_groups on a scan and on Dask collections equals fit_groups (and per-group maxlik.fit) on
the same rows in memory."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import maxlik
from maxlik.errors import DataError

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

RNG = np.random.default_rng(11)
G, N = 120, 24_000
LABELS = RNG.integers(0, G, N)
X = RNG.gamma(1.5 + LABELS % 4, 2.0)
W = RNG.integers(0, 3, N).astype(float)


def same_table(a, b, rtol):
    assert a.labels.tolist() == b.labels.tolist()
    for k in b.family.param_names:
        np.testing.assert_allclose(a.params[k], b.params[k], rtol=rtol)
        np.testing.assert_allclose(a.stderr[k], b.stderr[k], rtol=rtol)
    np.testing.assert_allclose(a.loglik, b.loglik, rtol=rtol)
    assert a.n.tolist() == b.n.tolist() and a.converged.tolist() == b.converged.tolist()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("groups")
    names = np.array([f"shop-{i:03d}" for i in LABELS])
    for i, part in enumerate(np.array_split(np.arange(N), 3)):
        pq.write_table(pa.table({"v": X[part], "g": LABELS[part], "name": names[part], "w": W[part]}),
                       d / f"p{i}.parquet", row_group_size=2000)
    return d


@pytest.mark.parametrize("family,rtol", [("gamma", 1e-12), ("weibull", 1e-10)])
def test_a_scan_equals_the_arrays(folder, family, rtol):
    src = maxlik.scan(folder, column="v", batch_rows=1500)
    same_table(maxlik.fit_groups(src, "g", family), maxlik.fit_groups(X, LABELS, family), rtol)
    ref = maxlik.fit(X[LABELS == 7], family)
    assert maxlik.fit_groups(src, "g", family)[7].params == pytest.approx(ref.params, rel=rtol)


def test_a_scan_with_string_labels_and_weights(folder):
    src = maxlik.scan(folder, column="v")
    names = np.array([f"shop-{i:03d}" for i in LABELS])
    same_table(maxlik.fit_groups(src, "name", "normal", weights="w"), maxlik.fit_groups(X, names, "normal", weights=W), 1e-12)


@pytest.mark.parametrize("family,rtol", [("gamma", 1e-12), ("weibull", 1e-10)])
def test_a_dask_dataframe_equals_the_arrays(family, rtol):
    import pandas as pd

    frame = dd.from_pandas(pd.DataFrame({"v": X, "g": LABELS, "w": W}), npartitions=5)
    same_table(maxlik.fit_groups(frame, family, by="g", column="v"), maxlik.fit_groups(X, LABELS, family), rtol)
    same_table(maxlik.fit_groups(frame, family, by="g", column="v", weights="w"),
               maxlik.fit_groups(X, LABELS, family, weights=W), rtol)
    r = maxlik.fit_groups(frame, family, by="g", column="v")[3]  # read back from the collection
    assert r.params == pytest.approx(maxlik.fit(X[LABELS == 3], family).params, rel=rtol)


def test_dask_arrays_on_a_local_cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=50) as c, distributed.Client(c):
        got = maxlik.fit_groups(da.from_array(X, chunks=5000), da.from_array(LABELS, chunks=5000), "gamma")
        same_table(got, maxlik.fit_groups(X, LABELS, "gamma"), 1e-12)


def test_bad_groups_on_sources(folder):
    x = da.from_array(X, chunks=5000)
    with pytest.raises(DataError, match=r"fit_groups: groups must have one label per row of x \(shape \(24000,\)\); got shape \(10,\)"):
        maxlik.fit_groups(x, da.from_array(LABELS[:10], chunks=5), "gamma")
    with pytest.raises(DataError, match=r"fit_groups: groups must be given"):
        maxlik.fit_groups(x, None, "gamma")
    import pandas as pd

    frame = dd.from_pandas(pd.DataFrame({"v": X, "g": LABELS}), npartitions=2)
    with pytest.raises(DataError, match=r"fit_groups: by= must name a column of the Dask DataFrame; got 'shop'"):
        maxlik.fit_groups(frame, "gamma", by="shop", column="v")
    with pytest.raises(DataError, match=r"fit_groups: groups must name a column of the scanned files, one of \['v', 'g', 'name', 'w'\]; got 'nope'. Check the spelling"):
        maxlik.fit_groups(maxlik.scan(folder, column="v"), "nope", "gamma")
    with pytest.raises(DataError, match=r"fit_groups: groups must name a column of the scanned files; got ndarray"):
        maxlik.fit_groups(maxlik.scan(folder, column="v"), LABELS, "gamma")
