"""The Gaussian EM iteration in NumPy, for small problems where compiling the JAX kernel
(:mod:`._gmm_fast`, about half a second per shape) would cost more than running it: same
formulas, with each component's scatter centred exactly on its new mean (as the generic
path and scikit-learn do). Used when n·K·d² is below ``SMALL``; the tests check that the
NumPy, JAX and generic (family-based) paths give the same fit.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import logsumexp

SMALL = 4_000_000  # n·K·d² below which the NumPy step is used
EPS10 = 10.0 * np.finfo(np.float64).eps


def m_step(Xc, w, r, ct, reg):
    """The M-step in NumPy (starting values from initial responsibilities): weights, means,
    covariances as (K, d, d), N (K,); same formulas as the fast path."""
    wr = r * w[:, None]
    nk = wr.sum(0) + EPS10
    means = wr.T @ Xc / nk[:, None]
    K, d = means.shape
    S = np.empty((K, d, d))
    for k in range(K):
        diff = Xc - means[k]
        S[k] = (wr[:, k, None] * diff).T @ diff / nk[k]
    eye = np.eye(d)
    if ct == "full":
        covs = S + reg * eye
    elif ct == "tied":
        covs = np.repeat((np.einsum("k,kde->de", nk, S) / nk.sum() + reg * eye)[None], K, axis=0)
    elif ct == "diag":
        covs = (np.diagonal(S, axis1=1, axis2=2) + reg)[:, :, None] * eye
    else:
        covs = (np.trace(S, axis1=1, axis2=2) / d + reg)[:, None, None] * eye
    return nk / nk.sum(), means, covs, nk



def prepare(covs, nk, total, floor):
    """Precision factors Pₖ = Lₖ⁻ᵀ, log normalisers, health flags (as :func:`._gmm_fast.prepare`)."""
    K, d, _ = covs.shape
    P = np.full_like(covs, np.nan)
    log_norm = np.full(K, np.nan)
    pd_ok = np.zeros(K, dtype=bool)
    for k in range(K):
        try:
            L = np.linalg.cholesky(covs[k])
        except np.linalg.LinAlgError:
            continue
        diag = np.diagonal(L)
        if np.all(np.isfinite(L)) and np.all(diag * diag > floor):
            P[k] = np.linalg.solve(L, np.eye(d)).T
            log_norm[k] = -0.5 * d * math.log(2 * math.pi) - np.log(diag).sum()
            pd_ok[k] = True
    return P, log_norm, pd_ok, np.asarray(nk) > 1e-10 * total


def log_joint(Xc, log_w, means, P, log_norm):
    """log πₖ + log N(xₙ | μₖ, Σₖ): (n, K)."""
    out = np.empty((Xc.shape[0], means.shape[0]))
    for k in range(means.shape[0]):
        z = Xc @ P[k] - means[k] @ P[k]
        out[:, k] = log_norm[k] - 0.5 * np.einsum("nd,nd->n", z, z) + log_w[k]
    return out


def log_likelihood(Xc, w, log_w, means, P, log_norm):
    return float(w @ logsumexp(log_joint(Xc, log_w, means, P, log_norm), axis=1))


def em_step(Xc, w, log_w, means, P, log_norm, reg, cov_type):
    """One EM iteration (see :mod:`._gmm_fast`): ℓ(θ_old), log π', μ', Σ' (K, d, d), N."""
    j = log_joint(Xc, log_w, means, P, log_norm)
    lse = logsumexp(j, axis=1)
    weights, new_means, covs, nk = m_step(Xc, w, np.exp(j - lse[:, None]), cov_type, reg)
    with np.errstate(divide="ignore"):
        return float(w @ lse), np.log(weights), new_means, covs, nk
