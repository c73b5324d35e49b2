"""Estimators on a Dask cluster: LogisticRegression against dask-ml, GaussianMixture per EM iteration.

    python -m benchmarks.dask_models            # N = 10⁷ logistic rows (MAXLIK_BENCH_N overrides)

Starts a ``distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True)`` and
runs, on the same cluster, with the data generated and persisted on the workers:

* LogisticRegression, N × 20 float64 (10⁷ × 20 = 1.6 GB), unpenalised: maxlik's
  ``LogisticRegression().fit(X, y)`` (one pass per Newton evaluation, standard errors included)
  against ``dask_ml.linear_model.LogisticRegression(solver="newton")`` (dask-glm's Newton, no
  penalty, no standard errors; ``tol=1e-8``); both sets of coefficients are compared with
  maxlik's in-memory fit of the same rows (gathered to this process).
* GaussianMixture, 10⁶ × 10, K = 10, full covariances: the time of one EM iteration (one pass)
  on the cluster against the in-memory fit, as the difference of fits with 12 and 2 iterations
  divided by 10 (so the starts and the extra passes cancel).

Prints Markdown tables (the rows of BENCHMARKS.md's "Scaling: Dask" section, copied by hand).
Timings never go into tests.

    python -m benchmarks.dask_models files      # the same logistic fit from Parquet files

writes 8 Parquet files of 10⁶ × 20 rows to ``$TMPDIR/maxlik_bench_files`` (once) and fits
``LogisticRegression`` on ``maxlik.scan(...)`` in this process, reporting the time and the peak
resident memory (bounded by the batches and Parquet row groups in flight, not the files).
"""

from __future__ import annotations

import os
import statistics
import time
import warnings

import numpy as np

from .harness import _fmt_s, machine_info

N = int(os.environ.get("MAXLIK_BENCH_N", 10_000_000))
D = 20
CHUNK = 500_000
GMM_N, GMM_D, GMM_K, GMM_CHUNK = 1_000_000, 10, 10, 125_000


def _timed(fn, repeat, warmup=0):
    """Wall-clock seconds of ``repeat`` calls after ``warmup`` untimed ones (the workers import
    the fitting code on the first), and the last result."""
    for _ in range(warmup):
        fn()
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return times, out


def _row(title, name, times, t_ours):
    med = statistics.median(times)
    return {"title": title, "name": name, "median_s": med, "min_s": min(times), "max_s": max(times),
            "spread_pct": 100.0 * (max(times) - min(times)) / med, "repeat": len(times),
            "ratio": med / t_ours if t_ours else 1.0}


def format_table(title, rows) -> str:
    """Markdown table (no CPU-time column: the work runs in the worker processes)."""
    lines = [f"### {title}", "", "| tool | median | min – max | repeats | ratio tool / maxlik |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {r['name']} | {_fmt_s(r['median_s'])} | {_fmt_s(r['min_s'])} – {_fmt_s(r['max_s'])} | {r['repeat']} "
              f"| {r['ratio']:.2f}× |" for r in rows]
    return "\n".join(lines + [""])


def logistic(client, n=N, repeat=3):
    import dask
    import dask.array as da
    from dask_ml.linear_model import LogisticRegression as DaskMLLogistic

    from maxlik.models import LogisticRegression

    rs = da.random.RandomState(0)
    beta = np.random.default_rng(0).normal(0.0, 0.3, D)
    X = rs.normal(size=(n, D), chunks=(CHUNK, D))
    y = (rs.uniform(size=n, chunks=CHUNK) < 1.0 / (1.0 + da.exp(-(X @ beta - 0.5)))).astype(float)
    X, y = dask.persist(X, y)
    dask.compute(X.sum(), y.sum())

    t_ours, ours = _timed(lambda: LogisticRegression().fit(X, y), repeat, warmup=1)
    t_ml, ml = _timed(lambda: DaskMLLogistic(solver="newton", tol=1e-8, max_iter=100).fit(X, y), max(1, repeat // 3),
                      warmup=1)
    Xm, ym = dask.compute(X, y)
    t_mem, mem = _timed(lambda: LogisticRegression().fit(Xm, ym), 1)
    ref = np.r_[mem.intercept_, mem.coef_[0]]
    d_ours = float(np.max(np.abs(np.r_[ours.intercept_, ours.coef_[0]] - ref) / np.abs(ref)))
    d_ml = float(np.max(np.abs(np.r_[ml.intercept_, ml.coef_] - ref) / np.abs(ref)))
    title = (f"LogisticRegression, N = {n:,} × D = {D} dask array ({X.numblocks[0]} chunks) on a 2-worker LocalCluster "
             f"(coef max rel. diff from the in-memory fit: maxlik {d_ours:.1e}, dask-ml {d_ml:.1e}; "
             f"maxlik {ours.n_iter_} Newton iterations)")
    med = statistics.median(t_ours)
    return [_row(title, "maxlik (+ standard errors)", t_ours, med),
            _row(title, "dask-ml LogisticRegression(solver='newton')", t_ml, med),
            _row(title, "maxlik in memory, the same rows as one NumPy array (for reference)", t_mem, med)]


def mixture(client, repeat=3):
    import dask
    import dask.array as da

    from maxlik.models import GaussianMixture

    rng = np.random.default_rng(1)
    centres = rng.normal(0.0, 4.0, (GMM_K, GMM_D))
    Xm = centres[rng.integers(0, GMM_K, GMM_N)] + rng.normal(size=(GMM_N, GMM_D))
    X = dask.persist(da.from_array(Xm, chunks=(GMM_CHUNK, GMM_D)))[0]  # the same rows on the workers

    def fit(data, iters):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # max_iter reached on purpose
            return GaussianMixture(GMM_K, tol=0.0, max_iter=iters, random_state=0).fit(data)

    rows, per = [], {}
    for name, data in (("maxlik, dask array on the cluster", X), ("maxlik, in memory", Xm)):
        fit(data, 2)  # warm-up: JAX compiles the E-step (on each worker)
        t2, _ = _timed(lambda: fit(data, 2), repeat)
        t12, _ = _timed(lambda: fit(data, 12), repeat)
        per[name] = [(b - a) / 10 for a, b in zip(sorted(t2), sorted(t12))]
    title = (f"GaussianMixture, N = {GMM_N:,} × D = {GMM_D}, K = {GMM_K}, full, time per EM iteration "
             f"({GMM_N // GMM_CHUNK} chunks on the cluster)")
    ours = statistics.median(per["maxlik, dask array on the cluster"])
    for name, times in per.items():
        rows.append(_row(title, name, times, ours))
    return rows


def main(n=N) -> list[dict]:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    try:
        rows = logistic(client, n) + mixture(client)
    finally:
        client.close()
        cluster.close()
    return rows


def files_memory(n_files=8, rows=1_000_000):
    """(seconds, Newton iterations, peak RSS MiB) of LogisticRegression on Parquet files."""
    import resource
    import tempfile
    from pathlib import Path

    import pyarrow as pa
    import pyarrow.parquet as pq

    import maxlik
    from maxlik.models import LogisticRegression

    folder = Path(tempfile.gettempdir()) / "maxlik_bench_files"
    if not folder.exists():
        folder.mkdir()
        rng = np.random.default_rng(0)
        beta = rng.normal(0.0, 0.3, D)
        for i in range(n_files):
            X = rng.normal(size=(rows, D))
            y = (rng.random(rows) < 1.0 / (1.0 + np.exp(-(X @ beta - 0.5)))).astype(np.int8)
            pq.write_table(pa.table({**{f"x{j}": X[:, j] for j in range(D)}, "y": y}), folder / f"p{i}.parquet")
    src = maxlik.scan(str(folder / "*.parquet"), columns=[f"x{j}" for j in range(D)], target="y", batch_rows=1 << 17)
    t0 = time.perf_counter()
    model = LogisticRegression().fit(src)
    return time.perf_counter() - t0, model.n_iter_, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["files"]:
        seconds, iterations, rss = files_memory()
        print(f"LogisticRegression on 8 Parquet files (8e6 x 20): {seconds:.1f} s, {iterations} Newton iterations, "
              f"peak RSS {rss:.0f} MiB")
        sys.exit(0)
    import dask
    import dask_ml
    import distributed

    print(machine_info(), f"dask {dask.__version__}, distributed {distributed.__version__}, dask-ml {dask_ml.__version__}\n")
    rows = main()
    for t in dict.fromkeys(r["title"] for r in rows):
        print(format_table(t, [r for r in rows if r["title"] == t]))
