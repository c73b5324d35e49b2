"""Starting responsibilities for EM (shared by every mixture).

* ``"kmeans++"``: k-means++ seeding (scikit-learn's ``kmeans_plusplus``, weighted), then a few
  Lloyd iterations; each row is assigned wholly to its nearest centre (one-hot responsibilities).
* ``"random"``: responsibilities drawn uniformly on (0, 1) and normalised per row, as in
  scikit-learn's ``init_params="random"``.
* ``"hierarchical"``: the K-cluster partition of mclust's model-based agglomerative clustering
  (:mod:`._hierarchical`; deterministic; above its SUBSET rows on a subsample, whose rows alone
  then enter the first M-step). Falls back to k-means++ when the tree has fewer than K clusters.

:func:`check_inits` validates a Gaussian mixture's explicit starting values (``weights_init``,
``means_init``, ``precisions_init`` in scikit-learn's shapes).

The first M-step turns these responsibilities into starting parameters.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

from ..errors import ParameterError

INIT_METHODS = ("kmeans++", "random", "hierarchical")
LLOYD_ITERATIONS = 5


def initial_responsibilities(X: np.ndarray, n_components: int, method: str, rng, weights=None, tree=None) -> np.ndarray:
    """X (n, d) float64, rng a numpy RandomState (or a :func:`lazy_random_state`) -> responsibilities
    (n, K), rows summing to 1 (for "hierarchical" on a subsample, 0 outside it). ``tree``: a prebuilt hierarchical tree of X
    (:func:`._hierarchical.build`; select_mixture builds one for all K)."""
    n = X.shape[0]
    if method == "hierarchical":
        from . import _hierarchical

        tree = _hierarchical.build(X, weights, n_components, _resolve(rng)) if tree is None else tree
        r = _hierarchical.responsibilities(tree, n, n_components)
        if r is not None:
            return r
        method = "kmeans++"
    rng = _resolve(rng)
    if method == "random":
        r = rng.uniform(size=(n, n_components))
        return r / r.sum(axis=1, keepdims=True)
    from sklearn.cluster import kmeans_plusplus  # sklearn.cluster costs ~0.15 s: only for this start

    w = np.ones(n) if weights is None else weights
    centers, _ = kmeans_plusplus(X, n_components, sample_weight=w, random_state=rng)
    for _ in range(LLOYD_ITERATIONS):
        labels = _nearest(X, centers)
        for k in range(n_components):
            rows = labels == k
            if w[rows].sum() > 0:
                centers[k] = np.average(X[rows], axis=0, weights=w[rows])
    labels = _nearest(X, centers)
    d2 = ((X - centers[labels]) ** 2).sum(1)
    for k in range(n_components):  # an empty cluster takes the row farthest from its centre
        if not (labels == k).any():
            far = int(np.argmax(np.where(np.bincount(labels, minlength=n_components)[labels] > 1, d2, -1.0)))
            labels[far], d2[far] = k, 0.0
    r = np.zeros((n, n_components))
    r[np.arange(n), labels] = 1.0
    return r


def lazy_random_state(seed):
    """A function returning ``check_random_state(seed)``, made on the first call and kept: seeding
    a RandomState costs ~0.3 ms, more than the whole start of a small EM fit, and the
    hierarchical start from a prebuilt tree draws nothing."""
    made = []

    def rng():
        if not made:
            made.append(check_random_state(seed))
        return made[0]

    return rng


def _resolve(rng):
    return rng() if callable(rng) else rng


def _nearest(X, centers):
    d2 = (X * X).sum(1)[:, None] - 2.0 * X @ centers.T + (centers * centers).sum(1)[None]
    return np.argmin(d2, axis=1)


def check_inits(owner, K, ct, d, weights_init, means_init, precisions_init):
    """Validated starting values ({'weights', 'means', 'covs' (K, d, d)}, those given) from the
    ``*_init`` arguments of a Gaussian mixture (scikit-learn's shapes per covariance type)."""
    out = {}
    if weights_init is not None:
        w = np.asarray(weights_init, dtype=float)
        if w.shape != (K,) or np.any(w < 0) or not np.isclose(w.sum(), 1.0):
            raise ParameterError(
                f"{owner}: weights_init must be {K} non-negative numbers summing to 1 (shape ({K},)); "
                f"got shape {w.shape} summing to {w.sum():.6g}. Pass one weight per component."
            )
        out["weights"] = w
    if means_init is not None:
        m = np.asarray(means_init, dtype=float)
        if m.shape != (K, d):
            raise ParameterError(
                f"{owner}: means_init must have shape (n_components, n_features) = ({K}, {d}); got shape {m.shape}."
            )
        out["means"] = m
    if precisions_init is not None:
        p = np.asarray(precisions_init, dtype=float)
        shape = {"full": (K, d, d), "tied": (d, d), "diag": (K, d), "spherical": (K,)}[ct]
        if p.shape != shape:
            raise ParameterError(
                f"{owner}: precisions_init must have shape {shape} for covariance_type={ct!r}; got shape {p.shape}."
            )
        covs = _covs_from_precisions(p, ct, K, d)
        if covs is None:
            raise ParameterError(
                f"{owner}: precisions_init must be positive definite (positive for 'diag'/'spherical'); "
                "got a matrix that is not. Pass inverse covariance matrices."
            )
        out["covs"] = covs
    return out


def is_positive_definite(cov) -> bool:
    try:
        np.linalg.cholesky(cov)
        return True
    except np.linalg.LinAlgError:
        return False


def _covs_from_precisions(p, ct, K, d):
    """Covariances (K, d, d) from precisions in scikit-learn's shape; None if not valid."""
    try:
        if ct == "full":
            for pk in p:
                np.linalg.cholesky(pk)
            return np.linalg.inv(p)
        if ct == "tied":
            np.linalg.cholesky(p)
            return np.repeat(np.linalg.inv(p)[None], K, axis=0)
    except np.linalg.LinAlgError:
        return None
    if np.any(p <= 0) or not np.all(np.isfinite(p)):
        return None
    var = 1.0 / p if ct == "diag" else np.repeat((1.0 / p)[:, None], d, axis=1)
    return var[:, :, None] * np.eye(d)
