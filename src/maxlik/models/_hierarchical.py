"""Model-based agglomerative hierarchical clustering: the deterministic start of EM that R's
mclust uses (``hc(data, modelName = "VVV", use = "SVD")``, the default of ``Mclust`` since
mclust 5.4).

Criterion (mclust's Fortran ``hcvvv`` and ``vvvtij``, src/mclust.f; Fraley 1998, "Algorithms for
model-based Gaussian hierarchical clustering", SIAM J. Sci. Comput. 20; Banfield & Raftery 1993).
A cluster with (weighted) size nₖ, mean x̄ₖ, scatter Wₖ = Σ (x − x̄ₖ)(x − x̄ₖ)ᵀ costs

    termₖ = nₖ log( det(Wₖ / nₖ) + β (tr Wₖ + α) / nₖ )      if nₖ > p
    termₖ = nₖ log( β (tr Wₖ + α) / nₖ )                     if nₖ ≤ p   (Wₖ singular)

(the classification likelihood of the unconstrained-covariance model, regularised so that
small clusters have a finite cost), with β = 1 and α = tr W(Z / √(n p)) = Σ (z − z̄)² / (n p),
the total scatter of the transformed data (mclust's ``hcVVV``: ``alpha * traceW(data/sqrt(n*p))``).
Each step merges the pair (i, j) whose merge raises the criterion least:

    Δᵢⱼ = term(i ∪ j) − termᵢ − termⱼ,   W_{i∪j} = Wᵢ + Wⱼ + (nᵢnⱼ / (nᵢ + nⱼ)) δδᵀ,  δ = x̄ᵢ − x̄ⱼ.

Data (mclust's ``hc``, ``use = "SVD"``): columns centred and scaled to unit standard deviation
(n − 1 divisor, R's ``scale``), then Z = X V diag(1/√s) from the SVD X = U diag(s) Vᵀ; columns
with no spread are dropped. Every row starts as its own cluster (as ``Mclust`` calls ``hc``: its
``partition = dupPartition(data)`` default is not passed on to ``hcVVV``, which starts from 1:n).

Cost: the pairwise Δ matrix (m × m for m starting clusters) is kept with each row's minimum; a
merge recomputes one row, vectorised over all clusters (a batch of p × p determinants), so a
merge is O(m p³) and the whole tree O(m² p³) time, O(m²) memory. Above ``SUBSET`` rows the tree is
built on a random subsample of that many rows (mclust's ``subset`` option, 2000 by default too);
EM then runs on all rows from the M-step of the subsample's partition. Ties between equal
Δ are broken by position as mclust does (exact agreement with mclust's merge order is not
promised where rounding differs, the criterion is). Ties between equal Δ (identical rows make many) are
broken as mclust's loop does, by the clusters' storage positions in its Fortran code.
"""

from __future__ import annotations

import numpy as np

SUBSET = 2000
BETA = 1.0


def svd_transform(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """mclust's ``use = "SVD"``: (n, d) -> (n, p), p ≤ d columns (constant ones dropped)."""
    W = w.sum()
    mean = w @ X / W
    Xc = X - mean
    sd = np.sqrt((w @ (Xc * Xc)) / max(W - 1.0, 1e-300))
    keep = sd > 0
    Z = Xc[:, keep] / sd[keep]
    if Z.shape[1] == 0:
        return Z
    _, s, Vt = np.linalg.svd(Z * np.sqrt(w)[:, None], full_matrices=False)
    s = np.where(s > 0, s, 1.0)
    return Z @ Vt.T / np.sqrt(s)


def _terms(n, W, tr, alpha, p):
    """termₖ for clusters of size n (m,), scatter W (m, p, p), trace tr (m,)."""
    base = BETA * (tr + alpha) / n
    big = n > p
    if not big.any():
        return n * np.log(base)
    det = np.where(big, np.maximum(_det(W) / n**p, 0.0), 0.0)
    return n * np.log(det + base)


def _det(W):
    """det of a stack (m, p, p): written out for p ≤ 3 (a LAPACK call per matrix costs more)."""
    p = W.shape[-1]
    if p == 1:
        return W[:, 0, 0]
    if p == 2:
        return W[:, 0, 0] * W[:, 1, 1] - W[:, 0, 1] * W[:, 1, 0]
    if p == 3:
        a, b, c = W[:, 0, 0], W[:, 0, 1], W[:, 0, 2]
        return (a * (W[:, 1, 1] * W[:, 2, 2] - W[:, 1, 2] * W[:, 2, 1]) - b * (W[:, 1, 0] * W[:, 2, 2] - W[:, 1, 2] * W[:, 2, 0])
                + c * (W[:, 1, 0] * W[:, 2, 1] - W[:, 1, 1] * W[:, 2, 0]))
    return np.linalg.det(W)


class Tree:
    """The merge sequence of :func:`build`: ``labels(K)`` gives the K-cluster partition of the
    rows it was built on (``rows``: their indices in the data)."""

    def __init__(self, rows, groups, merges):
        self.rows, self.groups, self.merges = rows, groups, merges
        self._cuts = {}  # K -> labels: select_mixture cuts one tree at each K for every model

    def labels(self, K: int) -> np.ndarray:
        """Cluster labels 0..K−1 (len(rows),) after merging down to K clusters (read-only, made once per K)."""
        if K not in self._cuts:
            self._cuts[K] = self._labels(K)
            self._cuts[K].flags.writeable = False
        return self._cuts[K]

    def _labels(self, K: int) -> np.ndarray:
        m = int(self.groups.max()) + 1
        parent = np.arange(m)
        for i, j in self.merges[: m - K]:
            parent[j] = i
        for _ in range(m):  # path compression to the roots (each merge points to a live cluster)
            nxt = parent[parent]
            if np.array_equal(nxt, parent):
                break
            parent = nxt
        roots = parent[self.groups]
        return np.unique(roots, return_inverse=True)[1]


def build(X: np.ndarray, w: np.ndarray | None = None, min_clusters: int = 1, rng=None) -> Tree:
    """The hcVVV tree of X (n, d) with weights w (n,) (zero-weight rows left out), merged down to
    ``min_clusters``; above SUBSET rows on a subsample drawn with ``rng`` (a RandomState)."""
    n = X.shape[0]
    w = np.ones(n) if w is None else np.asarray(w, dtype=float)
    rows = np.flatnonzero(w > 0)
    if len(rows) > SUBSET:
        rng = np.random.RandomState(0) if rng is None else rng
        rows = np.sort(rng.choice(rows, SUBSET, replace=False))
    Z = svd_transform(X[rows], w[rows])
    wz = w[rows]
    m, p = Z.shape
    groups = np.arange(m)  # every row its own cluster: identical rows merge first, at Δ = −2 log 2
    cnt = wz.copy()
    if p == 0 or m <= min_clusters:
        return Tree(rows, groups, [])
    alpha = max(float(wz @ ((Z - wz @ Z / wz.sum()) ** 2).sum(1)) / (wz.sum() * p), np.finfo(float).eps)
    mean = Z.copy()
    S = np.zeros((m, p, p))
    tr = np.zeros(m)
    term = _terms(cnt, S, tr, alpha, p)
    live = np.ones(m, bool)

    def costs(i, J):
        """Δᵢⱼ for cluster i against the clusters J (array of indices)."""
        nij = cnt[i] + cnt[J]
        c = cnt[i] * cnt[J] / nij
        d = mean[J] - mean[i]
        Wij = S[i] + S[J] + c[:, None, None] * d[:, :, None] * d[:, None, :]
        trij = tr[i] + tr[J] + c * (d * d).sum(1)
        return _terms(nij, Wij, trij, alpha, p) - term[i] - term[J]

    D = _singleton_costs(Z, cnt, term, alpha)
    best = D.min(1)
    arg = D.argmin(1)
    merges = []
    slot, at = np.arange(m), np.arange(m)  # mclust's storage order: cluster -> position, position -> cluster
    last = m - 1
    for _ in range(m - min_clusters):
        i, j = _tied_pick(D, best, slot)
        si, sj = sorted((slot[i], slot[j]))
        i, j = int(at[si]), int(at[sj])  # mclust keeps the cluster in the lower position, moves its last into the other
        merges.append((i, j))
        moved = at[last]
        at[sj], slot[moved] = moved, sj
        last -= 1
        nij = cnt[i] + cnt[j]
        d = mean[j] - mean[i]
        c = cnt[i] * cnt[j] / nij
        S[i] = S[i] + S[j] + c * np.outer(d, d)
        tr[i] = tr[i] + tr[j] + c * (d @ d)
        mean[i] = mean[i] + (cnt[j] / nij) * d
        cnt[i] = nij
        term[i] = _terms(cnt[i : i + 1], S[i : i + 1], tr[i : i + 1], alpha, p)[0]
        live[j] = False
        D[j, :] = D[:, j] = np.inf
        best[j] = np.inf
        J = np.flatnonzero(live)
        J = J[J != i]
        if len(J) == 0:
            break
        D[i, J] = D[J, i] = costs(i, J)
        best[i], arg[i] = D[i].min(), D[i].argmin()
        stale = J[(arg[J] == i) | (arg[J] == j)]
        fresh = J[D[J, i] < best[J]]
        best[fresh], arg[fresh] = D[fresh, i], i
        if len(stale):
            best[stale], arg[stale] = D[stale].min(1), D[stale].argmin(1)
    return Tree(rows, groups, merges)


def _singleton_costs(Z, cnt, term, alpha):
    """Δᵢⱼ of every pair of one-row clusters at once (m, m), inf on the diagonal: their merged
    scatter c δδᵀ (c = nᵢnⱼ/(nᵢ + nⱼ)) has rank one, so det(W/n) = 0 unless p = 1."""
    m, p = Z.shape
    n = cnt[:, None] + cnt[None, :]
    c = cnt[:, None] * cnt[None, :] / n
    d2 = np.empty((m, m))
    step = max(1, 2**22 // max(m * p, 1))  # rows per block: differences, not |a|² + |b|² − 2ab, so ties stay exact
    for a in range(0, m, step):
        d2[a : a + step] = ((Z[a : a + step, None, :] - Z[None]) ** 2).sum(-1)
    tr = c * d2
    det = np.where(n > p, tr / n, 0.0) if p == 1 else 0.0
    D = n * np.log(det + BETA * (tr + alpha) / n) - term[:, None] - term[None, :]
    np.fill_diagonal(D, np.inf)
    return D


def _tied_pick(D, best, slot):
    """The pair of least Δ; among exact ties the one mclust's loop keeps (``dij .le. dopt`` over
    j = 2..g, i = 1..j−1: the largest position j, then the largest i)."""
    v = best.min()
    rows = np.flatnonzero(best == v)
    if len(rows) == 1:
        cols = np.flatnonzero(D[rows[0]] == v)
        if len(cols) == 1:
            return int(rows[0]), int(cols[0])
    r, c = np.nonzero(D[rows] == v)
    a, b = slot[rows[r]], slot[c]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    k = np.lexsort((lo, hi))[-1]
    return int(rows[r[k]]), int(c[k])


def responsibilities(tree: Tree, n: int, K: int) -> np.ndarray | None:
    """One-hot responsibilities (n, K) from the tree's K-cluster partition; rows outside the
    tree's subsample get zeros (the first M-step uses the subsample only). None when the tree
    does not reach K clusters (fewer rows than components, or no column with spread)."""
    m = int(tree.groups.max()) + 1
    if m < K or m - len(tree.merges) > K:
        return None
    r = np.zeros((n, K))
    r[tree.rows, tree.labels(K)] = 1.0
    return r


__all__ = ["SUBSET", "Tree", "build", "responsibilities", "svd_transform"]
