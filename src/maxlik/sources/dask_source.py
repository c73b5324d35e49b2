"""Dask collections as a :class:`~maxlik.sources.Source`: each pass runs on the workers.

A pass maps the fit's per-chunk function over the blocks of a ``dask.array`` (or the partitions
of a Dask DataFrame, turned into an array with known lengths) with ``dask.delayed`` and merges
the partial results in a tree (fan-in :data:`FAN_IN`), all on whatever scheduler is active: the
local threaded scheduler by default, a ``distributed.Client`` when one exists. Only the merged
O(d²) result reaches the client; the blocks never leave the workers. When a distributed client
is active the data are persisted on the workers first, so that an iterative fit's passes do not
recompute them (Dask recomputes lost blocks from their lineage if a worker dies).
"""

from __future__ import annotations

import numpy as np

from ..errors import DataError, FitFailedError
from ._base import DEFAULT_TASK, Chunk, Source, current_task, merge

FAN_IN = 8  # partial results merged per task of the tree reduction


def _client():
    """The active distributed client, or None (also when distributed is not installed)."""
    try:
        from distributed import default_client
    except ImportError:
        return None
    try:
        return default_client()
    except ValueError:
        return None


def _unknown_chunks(owner: str, what: str) -> DataError:
    return DataError(f"{owner}: {what} must have known chunk sizes; got a Dask array with unknown (NaN) chunk sizes. "
                     "Call x.compute_chunk_sizes() first (or, for a DataFrame, .to_dask_array(lengths=True)).")


def _apply(fn, x, y, w, offset):
    """Runs on a worker: one block as a :class:`Chunk`, through ``fn``."""
    x = np.asarray(x, dtype=float)
    return fn(Chunk(x, None if y is None else np.asarray(y), None if w is None else np.asarray(w, dtype=float), int(offset)))


def _fold(combine, *parts):
    out = None
    for p in parts:
        out = combine(out, p)
    return out


class DaskSource(Source):
    """x : dask array (n,) or (n, d) (one chunk across columns); y, w : dask arrays (n,) with the
    same row chunks, or None."""

    def __init__(self, x, y=None, w=None, *, columns=(), target=None, weights=None, label="the Dask array"):
        self.x, self.y, self.w = x, y, w
        self.columns = tuple(columns) or tuple(f"x{j}" for j in range(1 if x.ndim == 1 else x.shape[1]))
        self._as_matrix = x.ndim == 2
        self.target, self.weights, self._label = target, weights, label

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def wrap(cls, obj, *, columns=None, target=None, weights=None, owner="fit") -> "DaskSource":
        """A Dask array, DataFrame or Series as a source. For a DataFrame: ``columns`` (default:
        its numeric columns other than ``target`` / ``weights``), ``target`` and ``weights`` name
        columns; for arrays, ``target`` / ``weights`` are arrays (dask or NumPy) of length n."""
        import dask.array as da

        if isinstance(obj, da.Array):
            x, label = obj, "the Dask array"
            y = None if target is None or isinstance(target, str) else target
            w = None if weights is None or isinstance(weights, str) else weights
            tname = None if y is None else "y"
            wname = None if w is None else "sample_weight"
            cols = () if columns is None else tuple(columns)
        else:
            x, y, w, cols, tname, wname = cls._frame_arrays(obj, columns, target, weights, owner)
            label = "the Dask DataFrame"
        if x.ndim not in (1, 2):
            raise DataError(f"{owner}: data must have shape (n,) or (n, d); got a Dask array of shape {x.shape}.")
        if any(np.isnan(c) for c in x.chunks[0]):
            raise _unknown_chunks(owner, "the data")
        if x.ndim == 2 and len(x.chunks[1]) > 1:
            x = x.rechunk({1: -1})  # a block must hold whole rows
        x = x.astype(float)
        y = cls._aligned(y, x, owner, "the target (y)")
        w = cls._aligned(w, x, owner, "the weights")
        if _client() is not None:
            import dask

            x, y, w = dask.persist(x, y, w)
        return cls(x, y, w, columns=cols, target=tname, weights=wname, label=label)

    @staticmethod
    def _aligned(v, x, owner: str, what: str):
        import dask.array as da

        if v is None:
            return None
        if not isinstance(v, da.Array):
            v = np.asarray(v)
            if v.ndim != 1 or v.shape[0] != x.shape[0]:
                raise DataError(f"{owner}: {what} must have shape ({x.shape[0]},), one value per row of the data; got shape {v.shape}.")
            return da.from_array(v, chunks=(x.chunks[0],))
        if any(np.isnan(c) for c in v.chunks[0]):
            raise _unknown_chunks(owner, what)
        if v.ndim != 1 or v.shape[0] != x.shape[0]:
            raise DataError(f"{owner}: {what} must have shape ({x.shape[0]},), one value per row of the data; got shape {v.shape}.")
        return v.rechunk((x.chunks[0],)) if v.chunks[0] != x.chunks[0] else v

    @staticmethod
    def _frame_arrays(obj, columns, target, weights, owner):
        import dask.dataframe as dd

        if isinstance(obj, dd.Series):
            obj = obj.to_frame()
        if not isinstance(obj, dd.DataFrame):
            raise DataError(f"{owner}: data must be a Dask array, DataFrame or Series; got {type(obj).__name__}.")
        names = list(obj.columns)
        for role, name in (("target", target), ("weights", weights)):
            if name is not None and (not isinstance(name, str) or name not in names):
                raise DataError(f"{owner}: {role} must name a column of the Dask DataFrame, one of {names}; got {name!r}.")
        if columns is None:
            import pandas as pd

            columns = [c for c in names if c not in (target, weights) and pd.api.types.is_numeric_dtype(obj[c].dtype)]
        columns = [columns] if isinstance(columns, str) else list(columns)
        missing = [c for c in columns if c not in names]
        if missing or not columns:
            raise DataError(f"{owner}: columns must name columns of the Dask DataFrame, one of {names}; got {missing or columns!r}.")
        wanted = list(dict.fromkeys([*columns, *(c for c in (target, weights) if c is not None)]))
        arr = obj[wanted].to_dask_array(lengths=True) if target is None or len(wanted) == len(columns) else None
        if arr is not None:
            x = arr[:, [wanted.index(c) for c in columns]]
            w = None if weights is None else arr[:, wanted.index(weights)]
            y = None
        else:
            x = obj[columns].to_dask_array(lengths=True)
            y = obj[target].to_dask_array(lengths=True)
            w = None if weights is None else obj[weights].to_dask_array(lengths=True)
        if len(columns) == 1:
            x = x[:, 0]
        return x, y, w, tuple(columns), target, weights

    _task: str | None = None

    def for_task(self, task: str) -> "DaskSource":
        import copy

        out = copy.copy(self)
        out._task = task
        return out

    def with_roles(self, *, target=None, weights=None) -> "DaskSource":
        y = self.y if target is None else self._aligned(target, self.x, "fit", "the target (y)")
        w = self.w if weights is None else self._aligned(weights, self.x, "fit", "the weights")
        return DaskSource(self.x, y, w, columns=self.columns, target=self.target if target is None else "y",
                          weights=self.weights if weights is None else "sample_weight", label=self._label)

    # -- passes -------------------------------------------------------------------------------
    def describe(self) -> str:
        return f"{self._label} (shape {self.x.shape}, {self.x.numblocks[0]} chunks)"

    @property
    def n_rows(self) -> int:
        return int(self.x.shape[0])

    def map_reduce(self, fn, combine=merge):
        import dask

        xs = self.x.to_delayed().ravel()
        ys = [None] * len(xs) if self.y is None else self.y.to_delayed().ravel()
        ws = [None] * len(xs) if self.w is None else self.w.to_delayed().ravel()
        offsets = np.concatenate([[0], np.cumsum(self.x.chunks[0])[:-1]]).astype(int)
        apply = dask.delayed(_apply, pure=False)
        fold = dask.delayed(_fold, pure=False)
        parts = [apply(fn, xb, yb, wb, int(off)) for xb, yb, wb, off in zip(xs, ys, ws, offsets)]
        while len(parts) > 1:
            parts = [fold(combine, *parts[i:i + FAN_IN]) for i in range(0, len(parts), FAN_IN)]
        try:
            return dask.compute(parts[0])[0]
        except Exception as exc:  # noqa: BLE001  (only Dask's own worker failure is reworded)
            if type(exc).__name__ != "KilledWorker":
                raise
            task = current_task() if current_task() != DEFAULT_TASK or self._task is None else self._task
            raise FitFailedError(
                f"{task}: the Dask workers must stay alive through a pass over {self.describe()}; got "
                f"{type(exc).__name__} ({exc}). A worker died each time it ran this work: check the workers' "
                "memory limits and logs (e.g. smaller chunks: x.rechunk(...)), then fit again.") from exc
