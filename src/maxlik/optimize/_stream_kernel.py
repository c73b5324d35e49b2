"""The Newton kernel of a streamed fit: each evaluation is one pass over a data source.

For data read chunk by chunk (a file larger than memory, a Dask collection) the mean NLL and its
derivatives are sums over rows, hence over chunks:

    f(u) = −(1/W) Σ_chunks Σ_{n ∈ chunk} wₙ log p(xₙ | θ(u)),   likewise ∇f and ∇²f,

so each chunk's (f, g, H) — computed by the in-memory kernels of :mod:`._kernels` with W = 1 —
are summed by the source (``source.map_reduce``, on Dask workers or batch by batch), and only
those p + p² numbers per chunk travel. The source is duck-typed (anything with ``map_reduce``
over chunks carrying ``.x`` and ``.w``): the engine does not know files or Dask.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import newton
from ._kernels import JaxKernel, NumpyKernel, ScalarCoordinates, scalar_bijections
from ._objective import n_rows, pad_rows


BLOCK_ROWS = 1 << 18  # rows per NumPy derivative evaluation inside one chunk


class Streamed(NamedTuple):
    """Data for :func:`maxlik.optimize.fit_numerical` that is read in passes.

    source : has ``map_reduce(fn, combine)`` over chunks (``.x`` (m,) / (m, d), ``.w`` (m,) or None,
        ``.place(i)`` naming row i in words);  n : rows;  total_weight : W = Σ wₙ
    sample, sample_w : an evenly strided subsample (the start and the estimability check use it)
    with_target : the data of a chunk is the pair (x, y) (``fit_loglik`` on a source with a
        target column), not x alone
    """

    source: object
    n: int
    total_weight: float
    sample: object
    sample_w: np.ndarray | None
    with_target: bool = False


def chunk_data(chunk, with_target: bool):
    """What the log-density is evaluated on: a chunk's x, or (x, y)."""
    return (chunk.x, chunk.y) if with_target else chunk.x


def _chunk_terms(family, free_shapes, fixed, u, numpy_ok: bool, with_target: bool):
    """fn(chunk) -> (Σ −w log p, its gradient, its Hessian) in u at ``u`` (None for no rows)."""
    names = [k for k, _ in free_shapes]

    def block(x, w, n):
        if numpy_ok:
            return NumpyKernel(family, names, fixed, x, w, 1.0).evaluate(u)
        data_p, w_p = pad_rows(x, n, w)
        return JaxKernel(family, free_shapes, fixed, data_p, w_p, 1.0, n).evaluate(u)

    def terms(chunk):
        n = len(chunk.x)
        if n == 0:
            return None
        data = chunk_data(chunk, with_target)
        if not numpy_ok or n <= BLOCK_ROWS:
            return block(data, chunk.w, n)
        # a large chunk (a Dask block) in slices: the derivative formulas' temporaries stay small
        out = None
        for a in range(0, n, BLOCK_ROWS):
            part = slice(a, a + BLOCK_ROWS)
            out = _add(out, block(data[part], None if chunk.w is None else chunk.w[part], min(n, a + BLOCK_ROWS) - a))
        return out

    return terms


def _add(a, b):
    if a is None or b is None:
        return a if b is None else b
    with np.errstate(over="ignore", invalid="ignore"):  # a trial point far out: ±inf or NaN, which the
        return a[0] + b[0], a[1] + b[1], a[2] + b[2]     # line search rejects, as the array kernel's sums


class StreamKernel:
    """The kernel interface of :mod:`._kernels` (``evaluate``, ``drive``, ``jacobian``, ``params``)
    over a :class:`Streamed` data set."""

    def __init__(self, family, free_shapes: tuple, fixed: dict, data: Streamed):
        self.family, self.free_shapes, self.data = family, free_shapes, data
        self.fixed = {k: np.asarray(v, dtype=float) for k, v in fixed.items()}
        names = [k for k, _ in free_shapes]
        bijections = scalar_bijections(family, names) if all(s == () for _, s in free_shapes) else None
        self._numpy = family.has_derivatives and bijections is not None
        if self._numpy:
            self.fixed = {k: float(v) for k, v in self.fixed.items()}
        self._coordinates = None if bijections is None else ScalarCoordinates(names, bijections)
        self.passes = 0

    def evaluate(self, u):
        self.passes += 1
        u = np.asarray(u, dtype=float)
        out = self.data.source.map_reduce(_chunk_terms(self.family, self.free_shapes, self.fixed, u, self._numpy,
                                                            self.data.with_target), _add)
        W = self.data.total_weight
        f, g, H = out
        return float(f) / W, np.asarray(g, dtype=float) / W, np.asarray(H, dtype=float) / W

    def drive(self, steps) -> "newton.NewtonRun":
        return newton.run(steps, self.evaluate)

    def _sample_kernel(self):
        x, w = self.data.sample, self.data.sample_w
        data_p, w_p = pad_rows(x, n_rows(x), w)
        return JaxKernel(self.family, self.free_shapes, self.fixed, data_p, w_p, 1.0, n_rows(x))

    def jacobian(self, u):
        if self._coordinates is not None:
            return self._coordinates.jacobian(u)
        return self._sample_kernel().jacobian(u)

    def params(self, u) -> dict:
        if self._coordinates is not None:
            return self._coordinates.params(u)
        return self._sample_kernel().params(u)

    def log_prob(self, u):
        return None  # no per-row values of the whole data: see nonfinite_at

    def _log_prob_pass(self, params: dict, reduce_chunk, combine):
        """``combine``-fold over the chunks of ``reduce_chunk(chunk, lp)``, lp the chunk's per-row
        log-densities at ``params`` (family.log_prob; one pass)."""
        family, with_target = self.family, self.data.with_target

        def part(chunk):
            from .._xp import jnp

            if len(chunk.x) == 0:
                return None
            lp = np.asarray(family.log_prob({k: jnp.asarray(v) for k, v in params.items()},
                                            chunk_data(chunk, with_target)), dtype=float)
            return reduce_chunk(chunk, lp)

        with np.errstate(all="ignore"):
            return self.data.source.map_reduce(part, combine)

    def nonfinite_at(self, params: dict):
        """(count, place, value) of the rows with weight > 0 whose log-density is not finite at
        ``params``, the first in row order; None when there are none (one pass)."""

        def found(chunk, lp):
            bad = ~np.isfinite(lp)
            if chunk.w is not None:
                bad &= np.asarray(chunk.w) > 0
            if not bad.any():
                return None
            i = int(np.flatnonzero(bad)[0])
            return int(bad.sum()), chunk.place(i), float(lp[i])

        def first(a, b):
            if a is None or b is None:
                return a if b is None else b
            return a[0] + b[0], a[1], a[2]

        return self._log_prob_pass(params, found, first)

    def loglik_at(self, params: dict) -> float:
        """ℓ(θ) = Σ wₙ log p(xₙ | θ) over every row (one pass)."""

        def total(chunk, lp):
            if chunk.w is None:
                return float(lp.sum())
            w = np.asarray(chunk.w)
            return float(np.sum(np.where(w > 0, w * lp, 0.0)))

        return float(self._log_prob_pass(params, total, lambda a, b: b if a is None else a if b is None else a + b))
