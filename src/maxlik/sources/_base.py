"""A data set read chunk by chunk: the one interface behind files larger than memory and Dask.

Every streamed fit is a sequence of *passes*: a function of one chunk (statistics, or the
log-likelihood's value, gradient and Hessian at a point) mapped over the chunks and the partial
results merged — ``Σ_chunks fn(chunk)``. :class:`Source` implementations decide where the chunks
are read and the function runs: in this process batch by batch (:mod:`.files`), or on the
workers of a Dask cluster with a tree reduction (:mod:`.dask_source`). Only the merged result —
O(d²) numbers — ever reaches the caller.
"""

from __future__ import annotations

import contextlib
import contextvars
from typing import Any, Callable, Iterator, NamedTuple

import numpy as np

from ..errors import DataError

SAMPLE_ROWS = 100_000  # rows of the evenly strided sample that starts an iterative fit


DEFAULT_TASK = "a pass over the data"
_TASK: contextvars.ContextVar = contextvars.ContextVar("maxlik_source_task", default=DEFAULT_TASK)


@contextlib.contextmanager
def working_on(task: str):
    """Name the work the passes inside belong to (``fit(Weibull)``), for errors raised by the
    machinery that runs them (a Dask worker that keeps dying)."""
    token = _TASK.set(task)
    try:
        yield
    finally:
        _TASK.reset(token)


def current_task() -> str:
    return _TASK.get()


class Chunk(NamedTuple):
    """Consecutive rows of a source.

    x : (n,) or (n, d) float64 data;  y : (n,) targets / labels or None;  w : (n,) weights or None
    offset : the source-wide index of row 0 (0-based)
    where : the file the rows come from ("" for an array);  start : row 0's index in that file
    lines : whether ``where`` is text (a CSV: rows are reported as its line numbers)
    """

    x: np.ndarray
    y: np.ndarray | None
    w: np.ndarray | None
    offset: int
    where: str = ""
    start: int = 0
    lines: bool = False

    def place(self, i: int) -> str:
        """Where row ``i`` of the chunk is, in words: ``line 7 of a.csv``, ``data row 5 (0-based)
        of a.parquet``, or ``row 5 (0-based) of the Dask array``."""
        from .._textfile import row_place

        if self.where:
            return row_place(self.where, self.start + i, self.lines)
        return f"row {self.offset + i} (0-based) of the Dask collection"


def merge(a, b):
    """Merge two partial results of a pass: ``Stats.merge`` for statistics, element-wise sums
    for numbers, arrays, tuples and dicts of them; ``None`` is an empty part."""
    if a is None:
        return b
    if b is None:
        return a
    if hasattr(a, "merge"):
        return a.merge(b)
    if isinstance(a, tuple):
        return type(a)(*(merge(p, q) for p, q in zip(a, b))) if hasattr(a, "_fields") else tuple(merge(p, q) for p, q in zip(a, b))
    if isinstance(a, dict):
        return {k: merge(a[k], b[k]) for k in a}
    return a + b


class Source:
    """Rows of data too large (or too far away) to hold in one array.

    columns : the data columns (x);  target : the label / response column or None;
    weights : the weight column or None;  event_ndim : 0 for one column (x of shape (n,)), 1 for
    several ((n, d)).
    """

    columns: tuple[str, ...] = ()
    target: str | None = None
    weights: str | None = None

    @property
    def event_ndim(self) -> int:
        """0 when each row is one number (x of shape (n,)), 1 for vectors ((n, d))."""
        return 1 if getattr(self, "_as_matrix", False) else 0

    def describe(self) -> str:
        """The source in words, for messages: e.g. ``claims/*.parquet, column 'amount'``."""
        raise NotImplementedError

    def map_reduce(self, fn: Callable[[Chunk], Any], combine: Callable = merge) -> Any:
        """``combine``-fold of ``fn(chunk)`` over every chunk, in row order; None without rows."""
        raise NotImplementedError

    @property
    def n_rows(self) -> int:
        raise NotImplementedError

    def for_task(self, task: str) -> "Source":
        """The same rows, with ``task`` (``"LogisticRegression.fit"``) named in errors of the
        machinery that runs the passes when no :func:`working_on` says otherwise."""
        return self

    def learned_rows(self, n: int) -> None:
        """A pass has counted the rows: sources that would need a pass to know them keep it."""

    def with_roles(self, *, target: str | None = None, weights: str | None = None) -> "Source":
        """The same rows with a target and/or weight column named (keeps this source's own)."""
        raise NotImplementedError

    # -- passes every fit needs ---------------------------------------------------------------
    def sample(self, max_rows: int = SAMPLE_ROWS) -> Chunk:
        """An evenly strided sample of at most ``max_rows`` rows (every k-th row): the data an
        iterative fit takes its starting point from."""
        stride = max(1, -(-self.n_rows // max_rows))

        def take(c: Chunk) -> Chunk:
            first = (-c.offset) % stride  # the chunk's first row whose source index is a multiple of stride
            keep = slice(first, None, stride)
            return Chunk(c.x[keep], None if c.y is None else c.y[keep], None if c.w is None else c.w[keep], c.offset)

        def join(a: Chunk | None, b: Chunk | None) -> Chunk | None:
            if a is None or b is None:
                return a if b is None else b
            cat = (lambda p, q: None if p is None else np.concatenate([p, q]))
            return Chunk(np.concatenate([a.x, b.x]), cat(a.y, b.y), cat(a.w, b.w), a.offset)

        out = self.map_reduce(take, join)
        if out is None or len(out.x) == 0:
            raise DataError(f"read: {self.describe()} must contain at least one data row; got none.")
        return out


def iterate_in_order(chunks: Iterator[Chunk], fn, combine, workers: int = 2):
    """``combine``-fold of ``fn`` over ``chunks`` in order, with up to ``2·workers`` chunks in
    flight on a thread pool (NumPy and pyarrow release the GIL, so reading the next batch and
    computing on this one overlap). Memory stays bounded by the chunks in flight."""
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    acc = None
    with ThreadPoolExecutor(workers) as pool:
        pending: deque = deque()
        try:
            for chunk in chunks:
                pending.append(pool.submit(fn, chunk))
                while len(pending) >= 2 * workers:
                    acc = combine(acc, pending.popleft().result())
            while pending:
                acc = combine(acc, pending.popleft().result())
        finally:
            for f in pending:
                f.cancel()
    return acc
