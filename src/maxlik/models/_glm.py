"""One fused, chunked pass over the data for canonical-link GLMs (logistic, Poisson).

For η = Xβ (+ intercept), a canonical-link GLM has NLL = Σ wₙ [b(ηₙ) − yₙηₙ] (+ constant),
gradient Xᵀ W (μ − y) and Hessian Xᵀ diag(wₙ b''(ηₙ)) X. ``glm_pass`` computes all three
reading X once, in row chunks that stay in cache (the Hessian as BLAS products of √v-scaled
chunks), without copying X or appending the intercept column to it: at N = 10⁶, D = 50 this is
several times faster than forming Xᵀ diag(v) X from full-size temporaries.

Large inputs are cut into one contiguous block of rows per CPU core, each block reduced by a
thread of its own with single-threaded BLAS, and the partial sums added. NumPy and BLAS release
the GIL, so the threads run in parallel; one multi-threaded BLAS call per chunk would instead
leave the elementwise link terms on one core and synchronise its threads on every small chunk.
"""

from __future__ import annotations

import numpy as np

from .._threads import n_threads, one_blas_thread, thread_pool

CHUNK = 8192
MIN_ROWS_PER_THREAD = 2 * CHUNK


def glm_pass(X, fit_intercept, y, w, beta, link_terms, need="hess", chunk=CHUNK):
    """X (n, d), y (n,), w (n,) or None (unit weights: skips two products per row), beta (p,)
    with p = d + fit_intercept (intercept first).

    ``link_terms(eta, y, need_var)`` returns (b(η) − yη, μ − y, b''(η) or None) per row. ``need`` is
    "nll", "grad" or "hess". Returns (nll, grad (p,) or None, hess (p, p) or None, max |η| over
    rows with positive weight, or None unless need == "hess")."""
    n = X.shape[0]
    threads = min(n_threads(), n // MIN_ROWS_PER_THREAD)
    if threads <= 1:
        with one_blas_thread():
            return _rows_pass(X, fit_intercept, y, w, beta, link_terms, need, chunk)
    bounds = np.linspace(0, n, threads + 1).astype(int)
    with one_blas_thread():
        parts = [
            thread_pool().submit(_rows_pass, X[a:b], fit_intercept, y[a:b], None if w is None else w[a:b], beta, link_terms, need, chunk)
            for a, b in zip(bounds[:-1], bounds[1:])
        ]
        parts = [f.result() for f in parts]
    nll = sum(part[0] for part in parts)
    g = None if parts[0][1] is None else sum(part[1] for part in parts)
    H = None if parts[0][2] is None else sum(part[2] for part in parts)
    return nll, g, H, (None if parts[0][3] is None else max(part[3] for part in parts))


def _rows_pass(X, fit_intercept, y, w, beta, link_terms, need, chunk):
    # NaN/inf in X or y make the sums non-finite, which the callers check; NumPy's warnings about
    # them are silenced here because np.errstate does not carry over into the worker threads
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        return _rows_pass_unchecked(X, fit_intercept, y, w, beta, link_terms, need, chunk)


def _rows_pass_unchecked(X, fit_intercept, y, w, beta, link_terms, need, chunk):
    n, d = X.shape
    p = beta.shape[0]
    b0, b = (beta[0], beta[1:]) if fit_intercept else (0.0, beta)
    nll = 0.0
    need_grad, need_hess = need in ("grad", "hess"), need == "hess"
    g = np.zeros(p) if need_grad else None
    H = np.zeros((p, p)) if need_hess else None
    eta_max = 0.0 if need_hess else None
    scaled = np.empty((min(chunk, n), d)) if need_hess else None  # √v-scaled rows, reused per chunk
    for s in range(0, n, chunk):
        Xc = X[s:s + chunk]
        eta = Xc @ b
        if fit_intercept:
            eta += b0
        f, r, v = link_terms(eta, y[s:s + chunk], need_hess)
        if w is None:
            nll += float(f.sum())
        else:
            wc = w[s:s + chunk]
            nll += float(wc @ f)
            r *= wc
        if not need_grad:
            continue
        g[int(fit_intercept):] += r @ Xc
        if fit_intercept:
            g[0] += r.sum()
        if not need_hess:
            continue
        if w is None:
            eta_max = max(eta_max, float(np.max(np.abs(eta), initial=0.0)))
        else:
            eta_max = max(eta_max, float(np.max(np.abs(eta), where=wc > 0, initial=0.0)))
            v *= wc
        sv = np.sqrt(v)
        B = np.multiply(Xc, sv[:, None], out=scaled[: Xc.shape[0]])
        if fit_intercept:
            H[1:, 1:] += B.T @ B
            H[0, 1:] += sv @ B
            H[0, 0] += sv @ sv
        else:
            H += B.T @ B
    if need_hess and fit_intercept:
        H[1:, 0] = H[0, 1:]
    return nll, g, H, eta_max
