"""LinearRegression on a data source: a merged QR (TSQR) in one pass, refined when ill-conditioned.

The in-memory fit solves by Householder QR with refinement in extended precision, never by the
normal equations (XᵀWX squares the condition number: on Longley that loses half the digits).
A stream keeps that accuracy with the triangular factor alone:

* one pass: each chunk's M = [√w·A, √w·y] (m, p+1) is reduced to its R factor (Householder QR,
  ``scipy.linalg.qr(mode="r")``); two factors merge as the R of their stacked rows — the same R
  as the whole matrix's, up to the signs of its rows (orthogonal transformations, backward
  stable). With R_M = [[R, z], [0, ρ]]: β̂ = R⁻¹z, RSS = ρ², (AᵀWA)⁻¹ = R⁻¹R⁻ᵀ. Only a
  (p+1) × (p+1) matrix per chunk travels.
* when cond(R) > 1e4 (columns scaled to unit norm) or the predicted forward error
  ε·cond·(1 + cond·ρ/(‖R‖‖β̂‖)) exceeds 1e-14 (large residuals), corrected semi-normal equations: a pass
  computes g = AᵀW(y − Aβ̂) and the RSS in extended precision (``np.longdouble``), and
  β̂ += R⁻¹R⁻ᵀg (Björck); each such pass gains −log10(cond·ε) digits, as the in-memory
  refinement does. The covariance is R⁻¹R⁻ᵀ (relative error about cond²·ε in its smallest
  directions; not refined, which would need the residuals of every row).

On the 11 NIST StRD linear problems (Filip's cond ≈ 5e9 and Wampler5's huge residuals included)
this reaches the certified coefficients and standard errors to at least 7 digits, as the
in-memory fit does (tests/test_models_sources.py).
"""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg as sl

from ..errors import DataError, DegenerateFitError
from ..sources import Chunk, Source
from ._sourced import bad_rows, check_chunk, checked_pass, design, first

OWNER = "LinearRegression"
REFINE_COND = 1e4
REFINE_ERROR = 1e-14
_L = np.longdouble


def _r_factor(M: np.ndarray, q: int) -> np.ndarray:
    """The (q, q) upper-triangular factor of M (m, q), zero rows added when m < q."""
    R = sl.qr(M, mode="r", check_finite=False)[0][:q]
    return R if R.shape[0] == q else np.vstack([R, np.zeros((q - R.shape[0], q))])


class _QRPass:
    def __init__(self, R, count, positive, weight, bad_x, bad_y, bad_w):
        self.R, self.count, self.positive, self.weight = R, count, positive, weight
        self.bad_x, self.bad_y, self.bad_w = bad_x, bad_y, bad_w

    def merge(self, o: "_QRPass") -> "_QRPass":
        if self.R is None or o.R is None:
            R = self.R if o.R is None else o.R
        else:
            R = _r_factor(np.vstack([self.R, o.R]), self.R.shape[0])
        return _QRPass(R, self.count + o.count, self.positive + o.positive, self.weight + o.weight,
                       first(self.bad_x, o.bad_x), first(self.bad_y, o.bad_y), first(self.bad_w, o.bad_w))


def _rows(c: Chunk, fit_intercept: bool):
    """(A, y, w) of the chunk's rows with positive weight (w None for unit weights)."""
    X, y, w = design(c), np.asarray(c.y, dtype=float), c.w
    if w is not None and not (w > 0).all():
        keep = w > 0
        X, y, w = X[keep], y[keep], w[keep]
    A = np.hstack([np.ones((X.shape[0], 1)), X]) if fit_intercept else X
    return A, y, w


def qr_pass(src: Source, fit_intercept: bool) -> _QRPass:
    q = len(src.columns) + int(fit_intercept) + 1

    def part(c: Chunk):
        if len(c.x) == 0:
            return None
        bad_x, bad_w = check_chunk(c)
        y = np.asarray(c.y, dtype=float)
        bad_y = bad_rows(c, y, np.isfinite(y))
        weight = float(len(c.x) if c.w is None else c.w.sum())
        R = None
        A, yk, w = _rows(c, fit_intercept)
        if bad_x is None and bad_y is None and bad_w is None and len(yk):
            M = np.column_stack([A, yk])
            if w is not None:
                M *= np.sqrt(w)[:, None]
            R = _r_factor(M, q)
        return _QRPass(R, len(c.x), len(yk), weight, bad_x, bad_y, bad_w)

    p = checked_pass(OWNER, src, part)
    if p.bad_y is not None:
        n, place, value = p.bad_y
        raise DataError(f"{OWNER}: y must be finite; got {n:,} value(s) that are not (first at {place}: {value}) "
                        f"in column {src.target!r}. Drop or impute those rows.")
    return p


def _residual_pass(src: Source, fit_intercept: bool, b: np.ndarray):
    """(g = AᵀW(y − Ab), Σ w (y − Ab)²) summed in extended precision (one pass)."""

    def part(c: Chunk):
        if len(c.x) == 0:
            return None
        A, y, w = _rows(c, fit_intercept)
        AL = A.astype(_L)
        r = y.astype(_L) - AL @ b.astype(_L)
        wr = r if w is None else r * w.astype(_L)
        return AL.T @ wr, np.sum(wr * r)

    return src.map_reduce(part)


def solve_source(src: Source, fit_intercept: bool, max_refine: int = 4):
    """(b (p,), C = (AᵀWA)⁻¹, rss, rank, cond, n rows, n rows with w > 0, Σw) from the source."""
    p_ = qr_pass(src, fit_intercept)
    Rm = p_.R
    p = Rm.shape[0] - 1
    if p_.positive < p:
        raise DegenerateFitError(
            f"{OWNER}: the number of samples must be at least the number of coefficients ({p}); "
            f"got {p_.positive} sample(s). Add data, drop features, or use fit_intercept=False.")
    R, z, rho = Rm[:p, :p], Rm[:p, p], Rm[p, p]
    norms = np.sqrt(np.einsum("ij,ij->j", R, R))
    sv = np.linalg.svd(R / np.where(norms > 0, norms, 1.0), compute_uv=False)
    tol = max(p_.positive, p) * np.finfo(float).eps * sv[0]
    rank = int(np.sum(sv > tol))
    if rank < p or not np.all(norms > 0):
        return None, None, math.nan, min(rank, int(np.sum(norms > 0))), math.inf, p_
    cond = float(sv[0] / sv[-1])
    b = sl.solve_triangular(R, z, check_finite=False)
    rss = float(rho * rho)
    # forward error of the QR solution ≈ ε·cond·(1 + cond·ρ/(‖R‖‖β̂‖)) in the scaled columns:
    # large residuals (Wampler5) cost digits even when cond(R) is modest
    error = np.finfo(float).eps * cond * (1 + cond * abs(rho) / (sv[0] * max(np.linalg.norm(b * norms), 1e-300)))
    if cond > REFINE_COND or error > REFINE_ERROR:
        for _ in range(max_refine):
            g, rss_l = _residual_pass(src, fit_intercept, b)
            g = np.asarray(g, dtype=float)
            dx = sl.solve_triangular(R, sl.solve_triangular(R, g, trans="T", check_finite=False), check_finite=False)
            Rdx = R @ dx
            b = b + dx
            # RSS at b + dx without another pass: ‖r − A dx‖² = RSS − 2 dxᵀg + ‖R dx‖²
            rss = float(rss_l - 2 * _L(dx @ g) + _L(Rdx @ Rdx))
            if np.max(np.abs(dx)) <= 4 * np.finfo(float).eps * np.max(np.abs(b)):
                break
    Ri = sl.solve_triangular(R, np.eye(p), check_finite=False)
    C = Ri @ Ri.T
    return b, 0.5 * (C + C.T), rss, rank, cond, p_


__all__ = ["solve_source"]
