"""Checks behind :class:`~maxlik.families.mvnormal.MultivariateNormal`'s closed form: a fixed
value's shape and structure, and the causes of a degenerate covariance estimate (too few
observations, a constant column, collinear columns), each named in its error with remedies."""

from __future__ import annotations

import math

import numpy as np

from ..errors import DegenerateFitError, ParameterError

EPS = np.finfo(np.float64).eps


def remedies(covariance_type: str) -> str:
    other = 'covariance_type="spherical"' if covariance_type in ("diag", "spherical") else 'covariance_type="diag"'
    return (
        f"Pass reg_covar=1e-6 (added to the diagonal), use {other}, "
        "drop the offending column(s), or fix covariance_matrix."
    )


def fixed_array(value, shape, name, d):
    arr = np.asarray(value, dtype=float)
    if arr.shape != shape:
        raise ParameterError(
            f"MultivariateNormal: fixed `{name}` must have shape {shape} to match the data's {d} "
            f"column(s); got shape {arr.shape}."
        )
    return arr


def check_structure(covariance_type, cov):
    if covariance_type in ("full", "tied"):
        return
    off = cov - np.diag(np.diagonal(cov))
    if np.any(off != 0.0):
        raise ParameterError(
            f"MultivariateNormal(covariance_type={covariance_type!r}): fixed covariance_matrix "
            f"must be diagonal; got off-diagonal entries up to {np.abs(off).max():g}. "
            'Fix a diagonal matrix, or use covariance_type="full".'
        )
    diag = np.diagonal(cov)
    if covariance_type == "spherical" and np.any(diag != diag[0]):
        raise ParameterError(
            "MultivariateNormal(covariance_type='spherical'): fixed covariance_matrix must be "
            f"σ²·I (equal diagonal entries); got diagonal {np.array2string(diag, precision=6, threshold=10)}. "
            'Fix a multiple of the identity, or use covariance_type="diag".'
        )


def check_degenerate(covariance_type, n, W, scatter, scale, loc_fixed, n_groups=1):
    """Raise DegenerateFitError, naming the cause and remedies, where the MLE of the covariance
    is singular (the likelihood is then unbounded). ``scatter`` (d, d) is the (pooled) scatter,
    ``scale`` (d,) the magnitude of the mean(s) (to judge a variance of zero to rounding),
    ``n_groups`` the number of groups pooled in a tied estimate (each costs one degree of freedom)."""
    d = scatter.shape[0]
    rem = remedies(covariance_type)
    if covariance_type == "tied" and n_groups > 1 and n - n_groups < d:
        raise DegenerateFitError(
            f"MultivariateNormal: a tied covariance_matrix of {n_groups} groups needs at least {d + n_groups} "
            f"observations in {d} dimensions; got {n}, so the pooled scatter is singular (rank at most "
            f"{n - n_groups}) and the likelihood is unbounded. {rem} Or add data."
        )
    if covariance_type in ("full", "tied") and (n < d if loc_fixed else n <= d):
        need = "at least as many observations as" if loc_fixed else "more observations than"
        raise DegenerateFitError(
            f"MultivariateNormal: a full covariance_matrix needs {need} dimensions; got {n} "
            f"observation(s) in {d} dimensions, so the sample covariance is singular (rank at most "
            f"{n if loc_fixed else n - 1}) and the likelihood is unbounded. {rem} Or add data."
        )
    var = np.diagonal(scatter) / W
    const = var <= (4.0 * EPS * scale) ** 2
    about = " about the fixed loc" if loc_fixed else ""
    if covariance_type == "spherical":
        if const.all():
            raise DegenerateFitError(
                f"MultivariateNormal: the data must vary in some column to estimate a spherical "
                f"covariance_matrix; got all {d} column(s) constant{about} (zero variance), so the "
                f"likelihood is unbounded. Pass reg_covar=1e-6 (added to the diagonal), or fix "
                "covariance_matrix."
            )
        return
    if const.any():
        cols = np.flatnonzero(const).tolist()
        raise DegenerateFitError(
            f"MultivariateNormal: every column must vary to estimate covariance_matrix; got "
            f"constant column(s) {cols}{about} (zero variance), so the likelihood is unbounded. "
            + rem.replace('use covariance_type="diag", ', "")
        )
    if covariance_type in ("full", "tied"):
        dependent = collinear_columns(scatter)
        if dependent:
            j, basis = dependent
            raise DegenerateFitError(
                f"MultivariateNormal: the columns must be linearly independent to estimate a full "
                f"covariance_matrix; got collinear columns: column {j} is a linear combination of "
                f"column(s) {basis}, so the sample covariance is singular and the likelihood is "
                f"unbounded. {rem}"
            )


def collinear_columns(scatter: np.ndarray):
    """First column (in order) that is, to rounding, a linear combination of earlier ones:
    (j, [columns it depends on]) or None. Greedy Cholesky on the correlation matrix: the
    squared pivot of column j is 1 − R² of its regression on the independent earlier columns."""
    d = scatter.shape[0]
    sd = np.sqrt(np.diagonal(scatter))
    R = scatter / np.outer(sd, sd)
    tol = 1000.0 * d * EPS
    basis: list[int] = []
    L = np.zeros((0, 0))
    for j in range(d):
        r = R[basis, j]
        y = np.linalg.solve(L, r) if basis else r
        resid = R[j, j] - y @ y
        if resid <= tol:
            beta = np.linalg.solve(L.T, y)
            big = np.abs(beta) > 1e-8 * np.abs(beta).max()
            return j, [basis[i] for i in np.flatnonzero(big)]
        k = len(basis)
        L2 = np.zeros((k + 1, k + 1))
        L2[:k, :k] = L
        L2[k, :k] = y
        L2[k, k] = math.sqrt(resid)
        L, basis = L2, basis + [j]
    return None
