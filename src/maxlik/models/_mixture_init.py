"""Starting responsibilities for EM (shared by every mixture).

* ``"kmeans++"``: k-means++ seeding (scikit-learn's ``kmeans_plusplus``, weighted), then a few
  Lloyd iterations; each row is assigned wholly to its nearest centre (one-hot responsibilities).
* ``"random"``: responsibilities drawn uniformly on (0, 1) and normalised per row, as in
  scikit-learn's ``init_params="random"``.

The first M-step turns these responsibilities into starting parameters.
"""

from __future__ import annotations

import numpy as np
from sklearn.cluster import kmeans_plusplus

INIT_METHODS = ("kmeans++", "random")
LLOYD_ITERATIONS = 5


def initial_responsibilities(X: np.ndarray, n_components: int, method: str, rng, weights=None) -> np.ndarray:
    """X (n, d) float64, rng a numpy RandomState -> responsibilities (n, K), rows summing to 1."""
    n = X.shape[0]
    if method == "random":
        r = rng.uniform(size=(n, n_components))
        return r / r.sum(axis=1, keepdims=True)
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


def _nearest(X, centers):
    d2 = (X * X).sum(1)[:, None] - 2.0 * X @ centers.T + (centers * centers).sum(1)[None]
    return np.argmin(d2, axis=1)
