"""Degenerate and spurious Gaussian-mixture fits, recognised.

The Gaussian-mixture likelihood is unbounded: a component that sits on a few identical rows (or
on rows identical in one direction, as rounded measurements are) has a covariance that shrinks
towards zero, a density that spikes, and a log-likelihood that grows without bound. With
``reg_covar`` > 0 the spike stops at the regularisation floor, but it is still a spike, not a
fit, and it would win a BIC selection. A fitted component k is degenerate when

* the reciprocal condition number of its covariance in standardised coordinates,
  rcond(Σₖ) = λmin(D Σₖ D) / λmax(D Σₖ D), D = diag(1/sd of the data's columns), is below
  RCOND (machine epsilon, as mclust's ``mclust.options("eps")``, which reports such fits as NA);
* its variance in some direction has collapsed relative to the data's: the regularised part
  removed, λmin(D (Σₖ − reg_covar I) D) < COLLAPSE (its spread there is under 10⁻⁴ of the
  data's standard deviation: the component sits on (nearly) identical values);
* its weight vanishes: πₖ n < VANISH (less than a thousandth of one row). Then the estimate has
  run to the edge of the weights' domain, where the mixture is its (K−1)-component limit (the other
  components, their weights renormalised), and component k's mean and covariance are not
  identified: a likelihood-ratio test of K−1 against K components has no χ² reference (neither
  χ²_df nor ½χ²₀ + ½χ²₁: the regularity conditions fail, Hartigan 1985; McLachlan & Peel 2000,
  ch. 6), so the message says to compare by BIC or to bootstrap the LR statistic.

:func:`diagnose` returns the first such finding as a sentence naming the component, the cause and
the remedies, or None. :func:`distinct_rows` is the bad-input check before it: a mixture of K
components needs at least K distinct rows.
"""

from __future__ import annotations

import numpy as np

from .._validation import row_label
from ..errors import DataError, DegenerateFitError

RCOND = float(np.finfo(float).eps)
COLLAPSE = 1e-8
VANISH = 1e-3
REMEDIES = ("Use fewer components or a simpler covariance_type, start from another partition "
            "(init_params, n_init, random_state), or drop the duplicated rows")


def full_covariances(covs: np.ndarray, covariance_type: str, K: int) -> np.ndarray:
    """(K, d, d) from the (K, d, d) state of the EM loop (one shared matrix repeated for 'tied')."""
    covs = np.asarray(covs, dtype=float)
    return np.repeat(covs[:1], K, axis=0) if covariance_type == "tied" else covs


def diagnose(weights, covs, *, reg_covar: float, data_var, covariance_type: str, n: int) -> str | None:
    """Why the fit (π (K,), Σ (K, d, d)) is degenerate, or None. ``data_var`` (d,) the data's
    column variances (positive); ``n`` rows."""
    weights = np.asarray(weights, dtype=float)
    K = len(weights)
    S = full_covariances(covs, covariance_type, K)
    d = S.shape[-1]
    D = 1.0 / np.sqrt(np.asarray(data_var, dtype=float))
    scaled = S * D[None, :, None] * D[None, None, :]
    lam = np.linalg.eigvalsh(scaled)  # (K, d) ascending
    raw = np.linalg.eigvalsh(scaled - reg_covar * np.diag(D * D)[None])[:, 0]
    tied = covariance_type == "tied"
    for k in range(1 if tied else K):
        who = "the shared (tied) covariance" if tied else f"component {k}"
        rcond = lam[k, 0] / lam[k, -1] if lam[k, -1] > 0 else 0.0
        if not rcond >= RCOND:
            return (f"{who} must have a well-conditioned covariance; got a reciprocal condition number of "
                    f"{rcond:.3g} (below machine epsilon, {RCOND:.3g}): a singular fit, which mclust reports as NA. "
                    f"{REMEDIES}.")
        if not raw[k] >= COLLAPSE * (1.0 if d else 0.0):
            spread = np.sqrt(max(raw[k], 0.0))
            return (f"{who} must keep a spread in every direction; got a standard deviation of {spread:.3g} of the "
                    f"data's (below {np.sqrt(COLLAPSE):.0e}) in one direction, weight {weights[k]:.3g}: the component "
                    "collapsed onto (nearly) identical values, a spurious spike of the unbounded likelihood, not a "
                    f"maximum. {REMEDIES}.")
    for k in range(K):
        if not weights[k] * n >= VANISH:
            return vanished(k, float(weights[k]), K, n)
    return None


VANISHED = "must keep a positive weight"


def is_vanished(finding: str) -> bool:
    """Whether a finding of :func:`diagnose` is a vanished weight (the fit's status is then
    BOUNDARY, the (K−1)-component limit) rather than a spike (DEGENERATE)."""
    return VANISHED in finding


def vanished(k: int, weight: float, K: int, n: int) -> str:
    """The finding for component k of K whose weight vanished (π_k n < VANISH): the fit is the
    (K−1)-component limit, and the LRT for the number of components has no χ² reference."""
    return (f"component {k} {VANISHED}; got weight {weight:.3g} (under {VANISH:g} of one row of "
            f"{n}): the fit ran to the edge of the weights' domain, where it is the {K - 1}-component mixture of the "
            f"other components (component {k}'s mean and covariance are not identified). Fit n_components={K - 1}; "
            f"a likelihood-ratio test of {K - 1} against {K} components has no χ² reference here (not χ²_df, nor "
            f"½χ²₀ + ½χ²₁: the null is on the boundary with unidentified parameters), so compare by BIC "
            f"(maxlik.select_mixture) or bootstrap the LR statistic. {REMEDIES}.")


def distinct_rows(X: np.ndarray, w: np.ndarray, at_least: int) -> int:
    """The number of distinct rows of X among the rows of positive weight (exact once it is
    below ``at_least``; a random projection sorts 1-D values, then the candidates are checked)."""
    rows = X[w > 0]
    proj = rows @ np.random.RandomState(12345).uniform(0.5, 1.5, X.shape[1])
    count = len(np.unique(proj))
    if count >= at_least:
        return count
    return len(np.unique(rows, axis=0))


def check_distinct(owner: str, X: np.ndarray, w: np.ndarray, K: int, distinct: int | None = None) -> None:
    """Fewer distinct rows than components, or a constant column: no maximum likelihood fit.
    ``distinct``: the exact count of distinct rows when the caller knows it (select_mixture
    counts once for all its fits)."""
    m = distinct_rows(X, w, K) if distinct is None else distinct
    if m < K:
        raise DegenerateFitError(
            f"{owner}: n_components must be at most the number of distinct rows ({m}); got {K} (the likelihood of "
            "a component on one repeated value is unbounded). Use at most that many components, or more varied data."
        )
    col = np.flatnonzero(np.ptp(X[w > 0], axis=0) == 0)
    if len(col):
        raise DegenerateFitError(
            f"{owner}: every feature must vary; got feature {int(col[0])} constant at {X[w > 0][0, col[0]]:g} (zero "
            "variance: the likelihood is unbounded, there is no maximum). Drop the constant column(s)."
        )


def refuse_missing(owner: str, X) -> None:
    """A prior regularises the covariances; it does not stand in for missing values."""
    arr = np.asarray(X, dtype=float)
    bad = ~np.isfinite(arr)
    if bad.any():
        row = int(np.argmax(bad.any(axis=tuple(range(1, arr.ndim))))) if arr.ndim > 1 else int(np.argmax(bad))
        raise DataError(f"{owner}: X must be finite when fitting with a prior; got {int(bad.sum())} NaN or infinite "
                        f"value(s) (first in {row_label(row)}). Drop or impute them: the prior regularises the "
                        "covariances, it does not fill in missing values.")


__all__ = ["COLLAPSE", "RCOND", "VANISH", "check_distinct", "diagnose", "distinct_rows", "full_covariances",
           "refuse_missing", "vanished"]
