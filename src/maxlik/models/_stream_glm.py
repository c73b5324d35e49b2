"""The Newton-fitted estimators (Logistic, Poisson, Softmax) on a data source.

The NLL, its gradient and its Hessian are sums over rows, hence over chunks: every evaluation
``fun(β, need)`` of :func:`maxlik.optimize.glm_newton.glm_newton` is one pass whose chunks run
the in-memory per-row kernel (``glm_pass`` for the canonical GLMs, ``softmax_terms`` for the
multinomial model) and whose (nll, g, H, max |η|) are added — on Dask workers, tree-reduced, or
batch by batch from files; only p + p² numbers per chunk travel. Before the passes:

1. one pass of totals: rows, Σw, the labels with their weights (classes_, found over the whole
   data), the response's sums (Poisson: Σwy, Σw log Γ(y + 1)), and NaN / inf / bad values
   anywhere (counted; the first named by its file and line / row);
2. one pass for an evenly strided sample (``src.sample()``, ≤ 10⁵ rows): Newton on the sample to
   a loose tolerance gives the start and a Hessian (rescaled to the full weight) for the first
   chord steps, as the in-memory fit's subsample warm start does.

The separation check of the logistic models runs on that sample (the LP needs the rows in
memory): separable data are separable on every subsample, so the error is raised whenever the
full-data fit diverges because of separation; its message is the in-memory one.
"""

from __future__ import annotations

import numpy as np

from ..errors import DataError, DegenerateFitError, SupportError
from ..optimize.glm_newton import glm_newton
from ..sources import Chunk, Source
from ._glm import glm_pass
from ._sourced import bad_rows, check_chunk, checked_pass, design, first
from ._labels import continuous_labels

WARM_TOL = 1e-3


class _Totals:
    """The first pass: rows, rows with w > 0, Σw, {label: Σw} (classifiers), Σwy and
    Σw log Γ(y+1) (Poisson), findings (bad x, bad w, bad y)."""

    def __init__(self, count, positive, weight, labels, wy, wlg, bad_x, bad_w, bad_y):
        self.count, self.positive, self.weight, self.labels = count, positive, weight, labels
        self.wy, self.wlg, self.bad_x, self.bad_w, self.bad_y = wy, wlg, bad_x, bad_w, bad_y

    def merge(self, o: "_Totals") -> "_Totals":
        labels = dict(self.labels)
        for k, v in o.labels.items():
            labels[k] = labels.get(k, 0.0) + v
        return _Totals(self.count + o.count, self.positive + o.positive, self.weight + o.weight, labels,
                       self.wy + o.wy, self.wlg + o.wlg, first(self.bad_x, o.bad_x), first(self.bad_w, o.bad_w),
                       first(self.bad_y, o.bad_y))


def label_weights(y: np.ndarray, w: np.ndarray) -> dict:
    """{label: Σw of its rows}; integer-valued labels (also as floats) by counting."""
    if y.dtype.kind in "biuf" and y.size:
        lo, hi = float(y.min()), float(y.max())
        if hi - lo <= 4 * y.size:
            index = (y - lo).astype(np.int64) if y.dtype.kind == "f" else y.astype(np.int64) - int(lo)
            weight = np.bincount(index, weights=w)
            label = float if y.dtype.kind == "f" else int
            return {label(lo + k): float(weight[k]) for k in np.flatnonzero(np.bincount(index))}
    values, code = np.unique(y, return_inverse=True)
    return dict(zip(values.tolist(), np.bincount(code.ravel(), weights=w, minlength=len(values)).tolist()))


def totals(owner: str, src: Source, kind: str) -> _Totals:
    """The first pass; ``kind``: "labels" (classifiers) or "counts" (Poisson)."""
    from scipy.special import gammaln

    def part(c: Chunk):
        if len(c.x) == 0:
            return None
        bad_x, bad_w = check_chunk(c)
        w = np.ones(len(c.x)) if c.w is None else c.w
        labels, wy, wlg, bad_y = {}, 0.0, 0.0, None
        if kind == "labels":
            bad_y = continuous_labels(c)
            labels = label_weights(np.asarray(c.y), w) if bad_y is None else {}
        else:
            y = np.asarray(c.y, dtype=float)
            bad_y = bad_rows(c, y, np.isfinite(y) & (y >= 0))
            if bad_y is None:
                wy, wlg = float(w @ y), float(w @ gammaln(y + 1.0))
        return _Totals(len(c.x), int((w > 0).sum()), float(w.sum()), labels, wy, wlg, bad_x, bad_w, bad_y)

    t = checked_pass(owner, src, part)
    if t.bad_y is not None:
        n, place, value = t.bad_y
        if kind == "labels":
            raise DataError(f"{owner}: the labels in column {src.target!r} must be classes, not continuous values; "
                            f"got {n:,} non-integer number(s) (first at {place}: {value}). Use a label column.")
        raise SupportError(f"{owner}: y must be non-negative counts; got {n:,} value(s) that are not (negative, NaN "
                           f"or inf; first at {place}: {value}). Poisson regression models counts 0, 1, 2, ...; check the data.")
    return t


def _add(a, b):
    """Sum (nll, g, H) and take the max of max |η| (None entries stay None)."""
    if a is None or b is None:
        return a if b is None else b
    plus = (lambda p, q: None if p is None else p + q)
    return a[0] + b[0], plus(a[1], b[1]), plus(a[2], b[2]), None if a[3] is None else max(a[3], b[3])


def pass_fun(src: Source, chunk_terms, lam: np.ndarray, seen: dict):
    """``fun(β, need)`` for glm_newton: one pass of ``chunk_terms(chunk, β, need)`` ->
    (nll, g, H, max|η| or None), summed, plus the penalty ½ λ·β²; ``seen["eta_max"]`` keeps the
    latest Hessian pass's max |η|."""

    def fun(beta, need):
        out = src.map_reduce(lambda c: chunk_terms(c, beta, need) if len(c.x) else None, _add)
        nll, g, H, eta_max = out
        if need == "hess" and eta_max is not None:
            seen["eta_max"] = eta_max
        nll += 0.5 * float(lam @ beta**2)
        return nll, None if g is None else g + lam * beta, None if H is None else H + np.diag(lam)

    return fun


def glm_chunk_terms(fit_intercept: bool, link_terms, response):
    """chunk_terms for a canonical GLM: ``response(chunk)`` -> the y of glm_pass."""

    def terms(c: Chunk, beta, need):
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            return glm_pass(design(c), fit_intercept, response(c), c.w, beta, link_terms, need)

    return terms


def newton_on_source(src: Source, sample_fun, full_fun, beta0, max_iter, tol, n_sample_weight, weight):
    """Warm start on the sample (Newton to WARM_TOL), then Newton on the passes with the
    sample's Hessian rescaled to the full weight for the first chord steps. Returns glm_newton's
    (beta, nll, g, H, n_iter, converged)."""
    H0 = None
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        if n_sample_weight > 0:
            b, _, _, Hs, _, ok = glm_newton(sample_fun, beta0, 50, WARM_TOL)
            if ok and np.all(np.isfinite(b)) and Hs is not None and np.all(np.isfinite(Hs)):
                beta0, H0 = b, Hs * (weight / n_sample_weight)
        return glm_newton(full_fun, beta0, max_iter, tol, H0=H0)


def check_separation(owner, A, s, names, kind_of=None):
    """Raise the in-memory separation error if the sample's design A with signs s separates."""
    from ._separation import culprits, separating_direction, separation_message

    direction, kind = separating_direction(A, s)
    if direction is not None:
        msg = separation_message(owner, culprits(A, s, names, direction), kind)
        raise DegenerateFitError(msg if kind_of is None else msg.replace("the classes must", f"class {kind_of!r} must"))


__all__ = ["check_separation", "glm_chunk_terms", "newton_on_source", "pass_fun", "totals"]
