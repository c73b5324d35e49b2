"""MultivariateNormal with full covariance on N × D = 10⁶ × 100 float64 (800 MB) vs numpy.cov.

Target (issue 2): maxlik at most half the time of ``numpy.cov(x, rowvar=False)``. numpy.cov
subtracts the mean into a full centred copy (800 MB of new memory) and multiplies it by its
transpose with a general ``gemm``; maxlik centres blocks of ~1,300 rows (1 MiB) into one reused buffer
and accumulates them with the symmetric ``dsyrk`` (half the flops), adding the corrected
two-pass term (see ``maxlik/families/_scatter.py``). Rows: the statistics alone
(``suffstats``: mean vector + scatter), and the whole ``maxlik.fit`` (input checks, statistics,
MLE, Cholesky check, log-likelihood). ``MAXLIK_BENCH_MVN_N`` overrides N.
"""

from __future__ import annotations

import os

import numpy as np

import maxlik

from .harness import compare

N = int(os.environ.get("MAXLIK_BENCH_MVN_N", 1_000_000))
D = 100
NOTES = """The MultivariateNormal rows compare the same arithmetic result: the largest relative
difference of maxlik's covariance from numpy.cov(bias=True) is printed in the title. maxlik
splits the rows over the cores with BLAS held to one thread per core; numpy.cov's centring is
single-threaded and only its gemm uses both cores. On a machine busy with other processes a
multi-threaded OpenBLAS call spin-waits and slows down several-fold, which inflates the default
numpy.cov row; the "BLAS on 1 thread" row is the conservative comparison."""


def _one_blas_thread(fn, *args, **kwargs):
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, user_api="blas"):
        return fn(*args, **kwargs)


def main() -> list[dict]:
    x = np.random.default_rng(0).normal(size=(N, D)) @ np.triu(np.ones((D, D))) / D + 3.0
    fam = maxlik.MultivariateNormal()
    ours = maxlik.fit(x, fam).params["covariance_matrix"]
    ref = np.cov(x, rowvar=False, bias=True)
    err = float(np.abs(ours - ref).max() / np.abs(ref).max())
    refs = {
        "numpy.cov(x, rowvar=False)": lambda: np.cov(x, rowvar=False),
        "numpy.cov, BLAS on 1 thread": lambda: _one_blas_thread(np.cov, x, rowvar=False),
    }
    rows = compare(
        f"MultivariateNormal full covariance, suffstats, N={N:,} × D={D} (max rel. diff from numpy.cov {err:.1e})",
        lambda: fam.suffstats(x),
        refs,
        repeat=7,
        ours_label="maxlik suffstats",
    )
    rows += compare(
        f"MultivariateNormal full covariance, maxlik.fit, N={N:,} × D={D}",
        lambda: maxlik.fit(x, fam),
        refs,
        repeat=7,
        ours_label="maxlik.fit",
    )
    return rows


if __name__ == "__main__":
    main()
