"""Per-group mean NLL, gradient and Hessian in unconstrained coordinates, for all groups in one pass.

Rows are sorted by group (:class:`._segments.Segments`); group j has parameters θⱼ = T(uⱼ) and
total weight Wⱼ. For the groups asked for, each row n gets its group's θ[g[n]] and

    fⱼ = −(1/Wⱼ) Σ_{n ∈ j} wₙ log p(xₙ | θⱼ),

with ∂f/∂u and ∂²f/∂u² by the chain rule of :mod:`maxlik.optimize._kernels` (θ = T(u) per free
scalar). The per-row derivative terms are summed per group with ``np.add.reduceat`` (NumPy) or
``jax.ops.segment_sum`` (JAX): no Python loop over groups.

* :class:`NumpyDerivatives` — the family's own ``log_prob_derivatives`` with per-row parameter
  arrays (families with ``derivatives_broadcast``).
* :class:`JaxDerivatives` — any family: ``jax.vmap`` of the per-row value, gradient and Hessian
  of ``log_prob`` in u, then ``segment_sum``; compiled once per (family, free names, fixed names)
  and bucket (rows and groups padded to powers of two).
"""

from __future__ import annotations

import functools

import numpy as np

from ..transforms import bijection_for
from ._segments import Segments


class _Rows:
    """Sorted rows with positive weight: x (m,), w (m,) or None, ids (m,) group of each row."""

    def __init__(self, x, w, ids, n_groups: int):
        self.x, self.w, self.ids = x, w, ids
        self.n_groups = n_groups
        self.counts = np.bincount(ids, minlength=n_groups)

    def subset(self, which: np.ndarray):
        """(x, w, position of each row's group in ``which``, segment starts) for sorted ``which``."""
        if which.shape[0] == self.n_groups:
            pos, x, w = self.ids, self.x, self.w
        else:
            where = np.full(self.n_groups, -1)
            where[which] = np.arange(which.shape[0])
            p = where[self.ids]
            keep = p >= 0
            pos, x, w = p[keep], self.x[keep], None if self.w is None else self.w[keep]
        counts = self.counts[which]
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
        return x, w, pos, starts


class NumpyDerivatives:
    """``evaluate(u (m, p), which (m,)) -> f (m,), g (m, p), H (m, p, p)`` from the family's
    NumPy formulas. free_names: sorted (the order of u); fixed: name -> float; W (G,)."""

    def __init__(self, family, free_names, fixed: dict, rows: _Rows, W: np.ndarray):
        self.family, self.free_names, self.fixed, self.rows, self.W = family, list(free_names), fixed, rows, W
        self.bijections = [bijection_for(family.param(k).constraint) for k in self.free_names]
        self.index = [family.param_names.index(k) for k in self.free_names]

    def params(self, u: np.ndarray) -> dict:
        """Constrained free values, name -> (m,)."""
        return {k: np.asarray(b.forward(u[:, j]), dtype=float) for j, (k, b) in enumerate(zip(self.free_names, self.bijections))}

    def chain(self, u):
        pairs = [b.derivatives(u[:, j]) for j, b in enumerate(self.bijections)]
        m = u.shape[0]
        return (np.stack([np.broadcast_to(p[0], (m,)) for p in pairs], axis=1),
                np.stack([np.broadcast_to(p[1], (m,)) for p in pairs], axis=1))

    def evaluate(self, u, which):
        m, p = u.shape
        x, w, pos, starts = self.rows.subset(which)
        theta = self.params(u)
        everything = self.index == list(range(len(self.family.param_names)))

        def block(local, xb, wb, pb):
            per_row = {**self.fixed, **{k: v[pb] for k, v in theta.items()}}
            lp, d1, d2 = self.family.log_prob_derivatives(per_row, xb)
            if not everything:
                d1, d2 = d1[:, self.index], d2[:, self.index][:, :, self.index]
            if wb is not None:
                lp, d1, d2 = lp * wb, d1 * wb[:, None], d2 * wb[:, None, None]
            return np.add.reduceat(lp, local), np.add.reduceat(d1, local, axis=0), np.add.reduceat(d2, local, axis=0)

        with np.errstate(all="ignore"):
            try:  # blocks of whole groups, on the worker threads (see Segments.map_blocks)
                s_lp, s_d1, s_d2 = Segments(which, None, starts, self.rows.counts[which]).map_blocks(block, x, w, pos)
            except ArithmeticError:
                return np.full(m, np.nan), np.full((m, p), np.nan), np.full((m, p, p), np.nan)
            W = self.W[which]
            return finish(-s_lp / W, -s_d1 / W[:, None], -s_d2 / W[:, None, None], *self.chain(u))


def finish(f, g_theta, h_theta, d_first, d_second):
    """Chain rule to u: g = gθ T′, H = T′ⱼ hθ T′ₖ + δⱼₖ gθ T″ (symmetrised)."""
    g = g_theta * d_first
    H = d_first[:, :, None] * h_theta * d_first[:, None, :]
    H = H + np.einsum("ij,jk->ijk", g_theta * d_second, np.eye(g.shape[1]))
    return f, g, 0.5 * H + 0.5 * np.swapaxes(H, 1, 2)


def _bucket(n: int, least: int = 16) -> int:
    return max(least, 1 << (max(n, 1) - 1).bit_length())


@functools.lru_cache(maxsize=32)
def _jax_pass(family, free_names: tuple, fixed_names: tuple):
    """jit(rows -> per-group Σ w lp, Σ w ∂lp/∂u, Σ w ∂²lp/∂u²) for one family configuration."""
    from .._jax import jax, jnp

    def row_lp(u_row, x_row, fixed):
        theta = {k: bijection_for(family.param(k).constraint).forward(u_row[j]) for j, k in enumerate(free_names)}
        return family.log_prob({**theta, **fixed}, x_row)

    value_grad = jax.value_and_grad(row_lp)
    hess = jax.hessian(row_lp)

    def one(u_row, x_row, fixed):
        v, g = value_grad(u_row, x_row, fixed)
        return v, g, hess(u_row, x_row, fixed)

    def run(u, x, w, pos, fixed, n_segments):
        v, g, h = jax.vmap(one, in_axes=(0, 0, None))(u[pos], x, fixed)
        keep = w > 0  # padding rows (weight 0) may sit where log p is not finite
        v = jnp.where(keep, w * v, 0.0)
        g = jnp.where(keep[:, None], w[:, None] * g, 0.0)
        h = jnp.where(keep[:, None, None], w[:, None, None] * h, 0.0)
        seg = functools.partial(jax.ops.segment_sum, segment_ids=pos, num_segments=n_segments, indices_are_sorted=True)
        return seg(v), seg(g), seg(h)

    return jax.jit(run, static_argnums=(5,))


class JaxDerivatives:
    """The same interface as :class:`NumpyDerivatives`, by JAX autodiff of ``family.log_prob``
    (the derivatives come out directly in u, so no chain rule on the host). Every call passes
    over all rows and groups (padded once to powers of two: one compilation per fit); the
    groups not asked for are evaluated at u = 0 and dropped."""

    def __init__(self, family, free_names, fixed: dict, rows: _Rows, W: np.ndarray):
        from .._jax import jnp

        self.family, self.free_names, self.rows, self.W = family, tuple(free_names), rows, W
        self._pass = _jax_pass(family, self.free_names, tuple(sorted(fixed)))
        self.bijections = [bijection_for(family.param(k).constraint) for k in self.free_names]
        n, G = rows.x.shape[0], rows.n_groups
        size, self._groups = _bucket(n), _bucket(G, 1) + 1  # the last group: the padding rows
        pad = size - n
        self._args = (
            jnp.asarray(np.concatenate([rows.x, np.repeat(rows.x[:1], pad)])),
            jnp.asarray(np.concatenate([np.ones(n) if rows.w is None else rows.w, np.zeros(pad)])),
            jnp.asarray(np.concatenate([rows.ids, np.full(pad, self._groups - 1)]).astype(np.int32)),
            {k: jnp.asarray(float(v)) for k, v in fixed.items()},
        )

    def params(self, u: np.ndarray) -> dict:
        return {k: np.asarray(b.forward(u[:, j]), dtype=float) for j, (k, b) in enumerate(zip(self.free_names, self.bijections))}

    def evaluate(self, u, which):
        from .._jax import jnp

        u_all = np.zeros((self._groups, u.shape[1]))
        u_all[which] = u
        x, w, pos, fixed = self._args
        sv, sg, sh = self._pass(jnp.asarray(u_all), x, w, pos, fixed, self._groups)
        W = self.W[which]
        with np.errstate(all="ignore"):
            f = -np.asarray(sv, dtype=float)[which] / W
            g = -np.asarray(sg, dtype=float)[which] / W[:, None]
            H = -np.asarray(sh, dtype=float)[which] / W[:, None, None]
        return f, g, 0.5 * H + 0.5 * np.swapaxes(H, 1, 2)


def make_rows(x_sorted, w_sorted, ids, n_groups) -> _Rows:
    """The rows of positive weight (zero-weight rows add nothing and may lie where log p = −∞)."""
    if w_sorted is None:
        return _Rows(x_sorted, None, ids, n_groups)
    keep = w_sorted > 0
    return _Rows(x_sorted[keep], w_sorted[keep], ids[keep], n_groups)


def derivatives_for(family, free_names, fixed, rows, W):
    """The NumPy evaluator where the family's formulas broadcast over rows, else JAX's."""
    scalar = all(hasattr(bijection_for(family.param(k).constraint), "derivatives") for k in free_names)
    if family.has_derivatives and family.derivatives_broadcast and scalar:
        return NumpyDerivatives(family, free_names, fixed, rows, W)
    return JaxDerivatives(family, free_names, fixed, rows, W)
