"""Parallelism shared by the large-data loops: how many cores, one pool of worker threads, and
BLAS held to one thread while our own threads split the work.

NumPy ufuncs and BLAS release the GIL, so Python threads over disjoint row blocks run in
parallel. Inside them BLAS must be single-threaded: OpenBLAS would otherwise split every small
per-block product across threads and spin-wait for them, which on a small or busy machine costs
more than the product (10–30× on a loaded 2-core VM), and it would leave the elementwise work
on one core.
"""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import ThreadPoolExecutor

MAX_THREADS = 8
_POOL: ThreadPoolExecutor | None = None
_CONTROLLER = None


def n_threads() -> int:
    """Cores this process may run on, at most MAX_THREADS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_THREADS))


def thread_pool() -> ThreadPoolExecutor:
    """The process-wide pool of ``n_threads()`` workers (created on first use)."""
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(n_threads(), thread_name_prefix="maxlik")
    return _POOL


def one_blas_thread():
    """Context manager limiting BLAS to one thread (threadpoolctl, a scikit-learn dependency).
    Enter it in the calling thread around the whole parallel section: the limit is process-wide."""
    global _CONTROLLER
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return contextlib.nullcontext()
    if _CONTROLLER is None:
        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="blas")
