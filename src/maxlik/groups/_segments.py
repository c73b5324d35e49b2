"""Group labels -> contiguous segments of rows, and per-group sums in one blocked pass.

    labels (G,)   the distinct group labels, sorted
    codes  (n,)   the index of each row's label, or None when the rows already come grouped in
                  sorted label order (then nothing is sorted or copied)
    order  (n,)   a stable permutation that groups the rows (computed on first use)
    starts (G,)   first row of each group in that order;  counts (G,) its number of rows

On grouped rows every per-group sum is ``np.add.reduceat`` (no Python loop over groups),
computed block by block (:meth:`Segments.map_blocks`): each block holds whole groups and about
2¹⁵ rows, so a block's transformed values (log x, x − mean) stay in cache between their
computation and their sum, and blocks run on the worker threads (NumPy releases the GIL). On
rows in any order, :meth:`Segments.bincount` sums by code without sorting (the closed forms).

``Segments`` takes plain NumPy arrays, so any source that delivers (x, groups) columns (an
array, a DataFrame, a file read in full) feeds it.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

import numpy as np

from .._threads import n_threads, thread_pool

POOL_PREFIX = "maxlik"  # the names of _threads.thread_pool's workers
BLOCK = 1 << 15  # rows per block (whole groups; a larger group is a block of its own)


@dataclass(frozen=True)
class Segments:
    labels: np.ndarray
    codes: np.ndarray | None  # (n,) index of each row's label; None when the rows come grouped
    starts: np.ndarray
    counts: np.ndarray

    @classmethod
    def from_labels(cls, groups: np.ndarray) -> "Segments":
        """Factorise ``groups`` (n,) (ints, floats, strings or objects of one sortable type)."""
        n = groups.shape[0]
        probe = groups[:: max(1, n // 256)]
        if probe.shape[0] < 2 or bool(np.all(probe[1:] >= probe[:-1])):  # maybe grouped already
            starts = _run_starts(groups)
            firsts = groups[starts]
            # runs with strictly increasing labels: the rows are grouped in sorted label order
            if firsts.shape[0] < 2 or bool(np.all(firsts[1:] > firsts[:-1])):
                counts = np.diff(np.concatenate([starts, [n]]))
                return cls(firsts, None, starts, counts)
        labels, codes = _factorise(groups)
        counts = np.bincount(codes, minlength=labels.shape[0])
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
        return cls(labels, codes, starts, counts)

    @functools.cached_property
    def order(self) -> np.ndarray | None:
        """A stable permutation that groups the rows (None when they come grouped); computed on
        first use: the closed forms sum unordered rows with ``np.bincount`` instead."""
        if self.codes is None:
            return None
        # a stable sort of small integer codes is NumPy's radix sort (O(n)); int64 codes take timsort
        small = self.codes.astype(np.uint16) if self.n_groups <= 1 << 16 else self.codes
        return np.argsort(small, kind="stable")

    @property
    def n_groups(self) -> int:
        return int(self.labels.shape[0])

    def sort(self, values: np.ndarray) -> np.ndarray:
        """``values`` (n, ...) in segment order (``values`` itself when already grouped)."""
        return values if self.order is None else values[self.order]

    def rows(self, g: int) -> np.ndarray:
        """Indices (into the original rows) of group ``g``, in their original order."""
        start, stop = int(self.starts[g]), int(self.starts[g] + self.counts[g])
        return np.arange(start, stop) if self.order is None else self.order[start:stop]

    def bincount(self, fn, *columns) -> np.ndarray:
        """Σ of ``fn(*column_blocks)`` per group, for rows in their original order (columns (n,)
        or None): ``np.bincount`` by code over blocks of rows (no sort, no temporary the size of
        the data), one contiguous run of blocks per worker thread, each adding into its own (G,)."""
        G, n = self.n_groups, self.codes.shape[0]
        step = max(BLOCK, 4 * G)  # a block's (G,) counts cost at most a quarter of its rows

        def run(span):
            a0, b0 = span
            acc = np.zeros(G)
            for a in range(a0, b0, step):
                b = min(a + step, b0)
                acc += np.bincount(self.codes[a:b], weights=fn(*(None if c is None else c[a:b] for c in columns)), minlength=G)
            return acc

        workers = max(1, min(n_threads(), n // step))
        edges = [n * i // workers for i in range(workers + 1)]
        spans = list(zip(edges[:-1], edges[1:]))
        parts = _map(run, spans)
        return np.sum(parts, axis=0) if workers > 1 else parts[0]

    def blocks(self) -> list[tuple[int, int]]:
        """Group ranges [g0, g1) of about BLOCK rows each."""
        if self.n_groups == 0:
            return []
        ends = self.starts + self.counts
        cuts = np.searchsorted(ends, np.arange(BLOCK, int(ends[-1]), BLOCK), side="left") + 1
        edges = np.unique(np.concatenate([[0], np.minimum(cuts, self.n_groups), [self.n_groups]]))
        return list(zip(edges[:-1].tolist(), edges[1:].tolist()))

    def map_blocks(self, fn, *columns) -> list[np.ndarray]:
        """Run ``fn(local_starts, *column_blocks) -> tuple of (g1 − g0,) arrays`` on each block of
        whole groups (columns: grouped arrays (n, ...) or None) and concatenate the pieces."""

        def one(block):
            g0, g1 = block
            r0, r1 = int(self.starts[g0]), int(self.starts[g1 - 1] + self.counts[g1 - 1])
            local = self.starts[g0:g1] - r0
            return fn(local, *(None if c is None else c[r0:r1] for c in columns))

        blocks = self.blocks()
        if not blocks:
            return []
        workers = min(n_threads(), len(blocks))
        if workers == 1:
            parts = [one(b) for b in blocks]
        else:  # one task per thread, each over a contiguous run of blocks (a task per block costs more)
            runs = np.array_split(np.arange(len(blocks)), workers)
            done = _map(lambda run: [one(blocks[i]) for i in run], runs)
            parts = [p for chunk in done for p in chunk]
        return [np.concatenate([p[i] for p in parts]) for i in range(len(parts[0]))]


def _map(fn, items: list) -> list:
    """``[fn(i) for i in items]`` on the worker threads (in this thread for one item, or when
    called from a worker itself: waiting there on the pool's own queue could deadlock it)."""
    if len(items) < 2 or threading.current_thread().name.startswith(POOL_PREFIX):
        return [fn(i) for i in items]
    return list(thread_pool().map(fn, items))


def _run_starts(groups: np.ndarray) -> np.ndarray:
    """First row of each run of equal consecutive labels, the halves of the rows on the threads."""
    n = groups.shape[0]

    def changes(span):
        a, b = span  # rows a..b-1 compared with their predecessors
        return np.flatnonzero(groups[a:b] != groups[a - 1 : b - 1]) + a

    if n < 2:
        return np.zeros(min(n, 1), dtype=np.intp)
    cut = [1, *(n * i // n_threads() for i in range(1, n_threads())), n]
    spans = [(a, b) for a, b in zip(cut[:-1], cut[1:]) if b > a]
    parts = _map(changes, spans) if n > 4 * BLOCK else [changes((1, n))]
    return np.concatenate([[0], *parts]).astype(np.intp)


def _factorise(groups: np.ndarray):
    """(sorted distinct labels, index of each row's label). Integer labels in a range of at most
    4n values are counted (O(n)); others go through np.unique (a sort)."""
    if groups.dtype.kind in "iub" and groups.shape[0]:
        lo, hi = int(groups.min()), int(groups.max())
        if hi - lo < 4 * groups.shape[0] + 1024:
            # (each temporary the size of the data costs its page faults: make as few as possible)
            shifted = groups if lo == 0 and groups.dtype == np.intp else np.subtract(groups, lo, dtype=np.intp)
            present = np.bincount(shifted, minlength=hi - lo + 1) > 0
            labels = (np.flatnonzero(present) + lo).astype(groups.dtype)
            if present.all():  # labels lo, lo + 1, ..., hi: the codes are the shifted labels
                return labels, shifted
            return labels, (np.cumsum(present) - 1)[shifted]
    labels, inverse = np.unique(groups, return_inverse=True)
    return labels, inverse.reshape(-1)


def segment_sum(sorted_values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Σ over each segment of rows (axis 0) of ``sorted_values`` (n, ...) -> (G, ...); every
    segment must be non-empty (reduceat returns the start row itself for an empty one)."""
    if sorted_values.shape[0] == 0:
        return np.zeros((0, *sorted_values.shape[1:]))
    return np.add.reduceat(sorted_values, starts, axis=0)
