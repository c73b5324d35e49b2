"""One order for full-covariance labels (issue #17): ``MultivariateNormal``'s FitResult, the
GaussianClassifier's and the GaussianMixture's results list the entries of a full (or tied)
covariance in the same order, the upper triangle row by row, and each labelled standard error is
that of the entry the label names.

The references are independent of the estimators: the label order comes from index pairs built
here, and the standard errors from JAX autodiff of a log-likelihood written here (with
``jax.scipy.stats.multivariate_normal``), in parameters built from the labels themselves.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import maxlik
from maxlik import ConvergenceWarning
from maxlik.models import GaussianClassifier, GaussianMixture

NAMES = ["alpha", "beta", "gamma"]
D = len(NAMES)


def _data(seed=0):
    rng = np.random.default_rng(seed)
    A = rng.multivariate_normal([0, 0, 0], [[1.0, 0.4, -0.2], [0.4, 1.5, 0.3], [-0.2, 0.3, 0.8]], 120)
    B = rng.multivariate_normal([3, 1, -1], [[0.6, -0.1, 0.0], [-0.1, 0.9, 0.2], [0.0, 0.2, 1.2]], 90)
    return np.vstack([A, B]), np.r_[np.zeros(len(A), int), np.ones(len(B), int)]


def _pairs(labels, prefix):
    """(i, j) named by each ``prefix[f,g]`` label, as indices into NAMES (or digits)."""
    out = []
    for lab in labels:
        m = re.fullmatch(re.escape(prefix) + r"\[([^,\]]+),([^,\]]+)\]", lab)
        if m:
            f, g = m.groups()
            out.append((NAMES.index(f), NAMES.index(g)) if f in NAMES else (int(f), int(g)))
    return out


def test_full_covariance_labels_share_one_order():
    X, y = _data()
    upper = [(i, j) for i in range(D) for j in range(D) if i <= j]  # row-major, i ≤ j
    mvn = maxlik.fit(X, "mvnormal")
    assert [p for p in _pairs(mvn.cov_labels, "covariance_matrix") if p[0] <= p[1]] == upper
    clf = GaussianClassifier(covariance_type="full").fit(X, y, feature_names=NAMES).result_
    for c in (0, 1):
        assert _pairs(clf.params, f"cov[{c}]") == upper
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm = GaussianMixture(2, random_state=0).fit(X, feature_names=NAMES).result_
    for k in (0, 1):
        assert _pairs(gm.params, f"cov[{k}]") == upper
        assert _pairs(gm.cov_labels, f"cov[{k}]") == upper
    tied_clf = GaussianClassifier(covariance_type="tied").fit(X, y, feature_names=NAMES).result_
    tied_gm = GaussianMixture(2, covariance_type="tied", random_state=0).fit(X, feature_names=NAMES).result_
    assert _pairs(tied_clf.params, "cov[tied]") == _pairs(tied_gm.params, "cov[tied]") == upper


def _sym(free, pairs):
    """A symmetric d×d matrix from its entries at the (i, j) pairs (JAX)."""
    import jax.numpy as jnp

    i, j = (np.array(t) for t in zip(*pairs))
    return jnp.zeros((D, D)).at[i, j].set(free).at[j, i].set(free)


def _reference_cov(loglik, theta):
    import jax

    H = np.asarray(jax.hessian(loglik)(np.asarray(theta, dtype=float)))
    return np.linalg.inv(-H)


def test_classifier_covariance_stderr_is_that_of_the_entry_it_names():
    """Per class: the Gaussian log-likelihood in (mean, the labelled covariance entries), its
    Hessian by autodiff at the class's MLE; se = sqrt of the diagonal of (−H)⁻¹."""
    from jax.scipy.stats import multivariate_normal

    X, y = _data(1)
    r = GaussianClassifier(covariance_type="full").fit(X, y, feature_names=NAMES).result_
    for c in (0, 1):
        labels = [k for k in r.params if k.startswith(f"cov[{c}]")]
        pairs = _pairs(labels, f"cov[{c}]")
        rows = X[y == c]

        def loglik(theta, rows=rows, pairs=pairs):
            return multivariate_normal.logpdf(rows, theta[:D], _sym(theta[D:], pairs)).sum()

        S = np.cov(rows.T, bias=True)
        theta = np.r_[rows.mean(0), [S[i, j] for i, j in pairs]]
        se = np.sqrt(np.diagonal(_reference_cov(loglik, theta)))
        assert [r.params[k] for k in labels] == pytest.approx(theta[D:], rel=1e-10)
        assert [r.stderr[k] for k in labels] == pytest.approx(se[D:], rel=1e-8)
        assert [r.stderr[f"mean[{c}][{f}]"] for f in NAMES] == pytest.approx(se[:D], rel=1e-8)


@pytest.mark.parametrize("covariance_type", ["full", "tied"])
def test_mixture_covariance_rows_and_stderr_follow_the_labels(covariance_type):
    """The mixture log-likelihood in (weight[0], means, the covariance entries its labels name),
    by autodiff: (−H)⁻¹ indexed by those labels equals ``cov`` indexed by ``cov_labels``."""
    import jax.numpy as jnp
    from jax.scipy.special import logsumexp
    from jax.scipy.stats import multivariate_normal

    X, _ = _data(2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        r = GaussianMixture(2, covariance_type=covariance_type, reg_covar=0.0, tol=1e-12, max_iter=2000,
                            random_state=0).fit(X, feature_names=NAMES).result_
    owners = ["tied"] if covariance_type == "tied" else [0, 1]
    blocks = [[k for k in r.cov_labels if k.startswith(f"cov[{o}]")] for o in owners]
    pairs = [_pairs(b, f"cov[{o}]") for o, b in zip(owners, blocks)]
    labels = ["weight[0]", *(f"mean[{k}][{f}]" for k in (0, 1) for f in NAMES), *sum(blocks, [])]
    q = len(pairs[0])

    def loglik(theta):
        pi = jnp.array([theta[0], 1.0 - theta[0]])
        mu = theta[1 : 1 + 2 * D].reshape(2, D)
        covs = [_sym(theta[1 + 2 * D + b * q : 1 + 2 * D + (b + 1) * q], pairs[b]) for b in range(len(owners))]
        covs = covs * 2 if covariance_type == "tied" else covs
        dens = jnp.stack([multivariate_normal.logpdf(X, mu[k], covs[k]) + jnp.log(pi[k]) for k in (0, 1)], axis=1)
        return logsumexp(dens, axis=1).sum()

    theta = np.array([r.params[k] for k in labels])
    ref = _reference_cov(loglik, theta)
    ours = np.asarray(r.cov)[np.ix_(*[[r.cov_labels.index(k) for k in labels]] * 2)]
    np.testing.assert_allclose(ours, ref, rtol=1e-6, atol=1e-9 * np.abs(ref).max())
    assert [r.stderr[k] for k in labels] == pytest.approx(np.sqrt(np.diagonal(ref)), rel=1e-6)
