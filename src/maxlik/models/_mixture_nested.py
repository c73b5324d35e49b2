"""Starts built from a fitted GaussianMixture: the same fit (to continue EM at a tighter
tolerance), or that fit with its widest component split in two (to refit a model with more
components that EM left below the smaller one).

Nesting: a mixture with K + 1 components contains every K-component mixture of the same
covariance structure (give the extra component weight 0, or split one component in two
identical halves), so its maximum likelihood is at least the K-component one. A (K + 1) fit
that ends below it stopped at a poor local optimum; restarting EM from the K fit with its widest
component split along its leading axis,

    μ± = μ ± ½ √λ v,   π± = π / 2,   Σ± = Σ        (λ, v: the largest eigenpair of Σ),

starts close to the K fit's likelihood and EM (monotone) climbs from there.
"""

from __future__ import annotations

import numpy as np


def warm_start(gm) -> dict:
    """``weights_init`` / ``means_init`` / ``precisions_init`` reproducing the fit ``gm``."""
    return {"weights_init": np.array(gm.weights_), "means_init": np.array(gm.means_),
            "precisions_init": np.array(gm.precisions_)}


def split_widest(gm, extra: int, data_var) -> dict:
    """The start of a fit with ``extra`` more components than ``gm``: its widest component
    (largest leading eigenvalue of Σₖ in units of the data's variances ``data_var`` (d,)) split,
    ``extra`` times. Returns the ``*_init`` arguments."""
    weights, means = list(np.array(gm.weights_)), list(np.array(gm.means_))
    covs = list(gm._full_covariances())
    scale = 1.0 / np.sqrt(np.asarray(data_var, dtype=float))
    for _ in range(extra):
        lead = [np.linalg.eigh(c * scale[:, None] * scale[None])[0][-1] for c in covs]
        k = int(np.argmax(lead))
        lam, vec = np.linalg.eigh(covs[k])
        step = 0.5 * np.sqrt(lam[-1]) * vec[:, -1]
        weights[k] /= 2.0
        weights.append(weights[k])
        means.append(means[k] + step)
        means[k] = means[k] - step
        covs.append(covs[k])
    weights = np.array(weights) / np.sum(weights)
    return {"weights_init": weights, "means_init": np.array(means),
            "precisions_init": _precisions(np.array(covs), gm.covariance_type)}


def _precisions(covs: np.ndarray, covariance_type: str) -> np.ndarray:
    """Precisions in scikit-learn's shape for the covariance type from covariances (K, d, d)."""
    if covariance_type == "tied":
        return np.linalg.inv(covs[0])
    if covariance_type == "diag":
        return 1.0 / np.diagonal(covs, axis1=1, axis2=2)
    if covariance_type == "spherical":
        return 1.0 / covs[:, 0, 0]
    return np.linalg.inv(covs)


__all__ = ["split_widest", "warm_start"]
