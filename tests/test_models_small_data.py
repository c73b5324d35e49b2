"""The NumPy paths of the Gaussian models (issue #11): NumPy passes instead of compiled JAX
kernels for the mixture's E-step and the scorer on small data, and the mixture's observed
information in closed form.

Each is checked against the large-data (JAX) path on the same data (``_gaussian_scores.SMALL_VALUES``
set to −1 sends every problem down that path), and the closed-form Hessian
against JAX autodiff of the log-likelihood. Agreement with scikit-learn is checked in
tests/test_mixture.py and tests/test_classifier.py (on small data, i.e. on the NumPy paths).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from maxlik import ConvergenceWarning
from maxlik.families.mvnormal import factors
from maxlik.models import GaussianClassifier, GaussianMixture
from maxlik.models import _gaussian_estep as estep
from maxlik.models import _gaussian_scores
from maxlik.models import _mixture_information as information
from maxlik.models._mixture_information import free_layout, hessian_jax, hessian_numpy

TYPES = ["full", "tied", "diag", "spherical"]


def _data(seed=1):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal([0, 0, 0], 1.0, (150, 3)), rng.normal([3, 1, 0], 0.7, (100, 3)),
                   rng.normal([0, 4, 2], 1.2, (120, 3))])
    return X, rng.integers(1, 4, len(X)).astype(float)


def _fit(X, w, ct, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return GaussianMixture(3, covariance_type=ct, random_state=0, **kw).fit(X, sample_weight=w)


@pytest.mark.parametrize("covariance_type", TYPES)
def test_numpy_em_and_standard_errors_equal_the_jax_path(covariance_type, monkeypatch):
    X, w = _data()
    small = _fit(X, w, covariance_type, tol=1e-10, max_iter=200)
    small_se = small.result_.stderr
    small_proba, small_dens = small.predict_proba(X), small.score_samples(X)
    monkeypatch.setattr(_gaussian_scores, "SMALL_VALUES", -1)
    large = _fit(X, w, covariance_type, tol=1e-10, max_iter=200)
    assert small._small and not large._small
    assert (small.converged_, small.n_iter_) == (large.converged_, large.n_iter_)
    np.testing.assert_allclose(small.lower_bounds_, large.lower_bounds_, rtol=1e-12)
    assert small.result_.loglik == pytest.approx(large.result_.loglik, rel=1e-12)
    np.testing.assert_allclose(small.weights_, large.weights_, rtol=1e-8)
    np.testing.assert_allclose(small.means_, large.means_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(small.covariances_, large.covariances_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(small_proba, large.predict_proba(X), atol=1e-10)
    np.testing.assert_allclose(small_dens, large.score_samples(X), rtol=1e-10)
    large_se = large.result_.stderr
    assert small_se.keys() == large_se.keys() and np.isfinite(list(small_se.values())).all()
    np.testing.assert_allclose(list(small_se.values()), list(large_se.values()), rtol=1e-8)


@pytest.mark.parametrize(("covariance_type", "K"), [("full", 3), ("tied", 3), ("diag", 1), ("spherical", 3)])
def test_closed_form_hessian_equals_jax_autodiff(covariance_type, K, monkeypatch):
    """At a point that is not the MLE (7 EM iterations), so that no term vanishes by optimality;
    the closed form in one block of rows and in many."""
    X, w = _data(2)
    g = GaussianMixture(K, covariance_type=covariance_type, random_state=0, max_iter=7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        g.fit(X, sample_weight=w)
    d = X.shape[1]
    covs, center = g._full_covariances(), np.average(X, axis=0, weights=w)
    theta = np.concatenate([g.weights_[:-1], (g.means_ - center).ravel(),
                            [covs[k, a, b] for k, a, b in free_layout(covariance_type, K, d)]])
    H = hessian_numpy(X - center, w, g.weights_, g.means_ - center, covs, covariance_type)
    ref = hessian_jax(X - center, w, theta, covariance_type, K, d)
    assert H.shape == ref.shape == (len(theta),) * 2
    np.testing.assert_allclose(H, ref, rtol=1e-9, atol=1e-10 * np.abs(ref).max())
    monkeypatch.setattr(information, "HESSIAN_BLOCK_VALUES", 40 * len(theta))  # blocks of 40 rows
    blocked = hessian_numpy(X - center, w, g.weights_, g.means_ - center, covs, covariance_type)
    np.testing.assert_allclose(blocked, ref, rtol=1e-9, atol=1e-10 * np.abs(ref).max())


@pytest.mark.parametrize("diagonal", [False, True])
def test_numpy_e_step_equals_the_blocked_jax_e_step(diagonal):
    X, w = _data(3)
    w[::7] = 0.0  # rows of zero weight count for nothing in either
    X = X - X.mean(0)
    means = np.array([[-1.0, -1.0, -1.0], [2.0, 0.0, -1.0], [-1.0, 3.0, 1.0]])
    if diagonal:
        from maxlik.families.mvnormal import diag_factors

        f1, f2, log_norm, _ = diag_factors(means, np.array([[1.0, 2.0, 0.5], [0.7, 0.7, 1.0], [1.5, 1.0, 2.0]]))
    else:
        A = np.array([[1.0, 0.3, 0.0], [0.3, 1.5, -0.2], [0.0, -0.2, 0.8]])
        f1, f2, log_norm, _ = factors(means, np.stack([A, 2.0 * A, np.eye(3)]))
    log_w = np.log([0.2, 0.5, 0.3])
    ll, N, mu, M2 = estep.small_e_step(X, w, log_w, f1, f2, log_norm, diagonal=diagonal)
    ref = [np.asarray(a) for a in estep.e_step(*estep.block_data(X, w), log_w, f1, f2, log_norm, diagonal=diagonal)]
    assert ll == pytest.approx(float(ref[0]), rel=1e-13)
    for ours, theirs in zip((N, mu, M2), ref[1:]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-11, atol=1e-11)
    assert estep.small_log_likelihood(X, w, log_w, f1, f2, log_norm, diagonal=diagonal) == pytest.approx(ll, rel=1e-14)


@pytest.mark.parametrize("covariance_type", TYPES)
def test_numpy_scorer_equals_the_jax_scorer(covariance_type, monkeypatch):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(300, 4))
    y = (X[:, 0] + 0.5 * rng.normal(size=300) > 0).astype(int) + (X[:, 1] > 1)
    scorer = GaussianClassifier(covariance_type=covariance_type).fit(X, y)._scorer()
    methods = ("log_densities", "log_posteriors", "posterior_probabilities")
    assert _gaussian_scores.numpy_path(300, 3, 4)
    small = {m: getattr(scorer, m)(X) for m in methods}
    monkeypatch.setattr(_gaussian_scores, "SMALL_VALUES", -1)
    for m in methods:
        np.testing.assert_allclose(small[m], getattr(scorer, m)(X), rtol=1e-12, atol=1e-13)


def test_small_fits_and_results_compile_no_jax_kernel():
    """A fresh process: small GaussianMixture / GaussianClassifier fits, their result_ summaries
    and predictions run no JAX computation at all (JAX logs every compilation when asked)."""
    code = """
import logging, warnings
import numpy as np
import jax
from maxlik.models import GaussianClassifier, GaussianMixture
jax.config.update("jax_log_compiles", True)
lines = []
handler = logging.Handler()
handler.emit = lambda record: lines.append(record.getMessage())
logging.getLogger("jax").addHandler(handler)
rng = np.random.default_rng(0)
X = rng.normal(size=(1000, 3))
y = (X[:, 0] + rng.normal(size=1000) > 0).astype(int)
warnings.simplefilter("ignore")
for ct in ("full", "tied", "diag", "spherical"):
    m = GaussianMixture(3, covariance_type=ct, random_state=0).fit(X)
    m.result_.summary(); m.predict_proba(X); m.score(X)
    c = GaussianClassifier(covariance_type=ct).fit(X, y)
    c.result_.summary(); c.predict_proba(X); c.predict(X)
print("compiled:", sum(line.startswith("Compiling") for line in lines))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "MAXLIK_CACHE_DIR": "off"})
    assert out.stdout.strip().splitlines()[-1] == "compiled: 0"


def test_model_modules_import_no_jax_at_module_level():
    """maxlik.models uses the lazy stand-ins of maxlik._xp (or imports inside functions), so that
    importing an estimator does not itself load JAX."""
    models = Path(__file__).resolve().parents[1] / "src" / "maxlik" / "models"
    for path in sorted(models.glob("*.py")):
        for node in ast.parse(path.read_text()).body:  # top-level statements only
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            for name in names:
                assert not (name == "jax" or name.startswith("jax.") or name.endswith("_jax")), (path.name, name)
