"""Closed-form covariances (``Family.exact_covariance``, NumPy, no JAX) against the autodiff
observed information (:func:`maxlik.inference.observed_covariance`: the JAX Hessian of
``loglik_from_stats`` in unconstrained coordinates, carried back by the delta method), an
independent reference, for every regular closed-form family, with and without fixed
parameters, weighted and unweighted.

Not here: Uniform, Pareto's scale and Laplace's loc, whose likelihoods are not differentiable at
the estimate (their exact_covariance is an order-statistic / asymptotic formula, tested in their
own files); Laplace with loc fixed and Pareto with scale fixed are regular and are here.
"""

from __future__ import annotations

import numpy as np
import pytest

import maxlik
from maxlik.families import flat_labels
from maxlik.inference import observed_covariance

RNG = np.random.default_rng(20261201)
N = 400


def _mvn(n):
    a = np.array([[1.0, 0.0, 0.0], [0.6, 0.8, 0.0], [-0.3, 0.2, 0.5]])
    return np.array([3.0, -1.0, 10.0]) + RNG.standard_normal((n, 3)) @ a.T


DATA = {
    "normal": RNG.normal(3.0, 2.0, N),
    "positive": RNG.lognormal(0.3, 0.7, N),
    "poisson": RNG.poisson(4.0, N).astype(float),
    "bernoulli": (RNG.random(N) < 0.3).astype(float),
    "binomial": RNG.binomial(7, 0.4, N).astype(float),
    "geometric": RNG.geometric(0.3, N).astype(float) - 1.0,
    "categorical": RNG.choice(4, size=N, p=[0.1, 0.2, 0.3, 0.4]).astype(float),
    "pareto": 1.5 * (1.0 + RNG.pareto(3.0, N)),
    "mvnormal": _mvn(N),
    "dirichlet": RNG.dirichlet([0.8, 2.0, 5.0], N),
}

# (id, family, data key, fixed)
CASES = [
    ("normal", maxlik.Normal(), "normal", {}),
    ("normal-loc-fixed", maxlik.Normal(), "normal", {"loc": 2.5}),
    ("normal-scale-fixed", maxlik.Normal(), "normal", {"scale": 1.5}),
    ("normal-ddof1", maxlik.Normal(ddof=1), "normal", {}),
    ("normal-ddof1-scale-fixed", maxlik.Normal(ddof=1), "normal", {"scale": 1.5}),
    ("lognormal", maxlik.LogNormal(), "positive", {}),
    ("lognormal-loc-fixed", maxlik.LogNormal(), "positive", {"loc": 0.0}),
    ("lognormal-ddof1", maxlik.LogNormal(ddof=1), "positive", {}),
    ("exponential", maxlik.Exponential(), "positive", {}),
    ("poisson", maxlik.Poisson(), "poisson", {}),
    ("bernoulli", maxlik.Bernoulli(), "bernoulli", {}),
    ("binomial", maxlik.Binomial(total_count=7), "binomial", {}),
    ("geometric", maxlik.Geometric(), "geometric", {}),
    ("categorical", maxlik.Categorical(), "categorical", {}),
    ("categorical-K", maxlik.Categorical(num_categories=4), "categorical", {}),
    ("gamma", maxlik.Gamma(), "positive", {}),
    ("gamma-rate-fixed", maxlik.Gamma(), "positive", {"rate": 0.8}),
    ("gamma-concentration-fixed", maxlik.Gamma(), "positive", {"concentration": 2.0}),
    ("laplace-loc-fixed", maxlik.Laplace(), "normal", {"loc": 3.0}),
    ("pareto-scale-fixed", maxlik.Pareto(), "pareto", {"scale": 1.2}),
    ("dirichlet", maxlik.Dirichlet(), "dirichlet", {}),
    *[(f"mvnormal-{ct}", maxlik.MultivariateNormal(covariance_type=ct), "mvnormal", {})
      for ct in ("full", "diag", "spherical", "tied")],
    *[(f"mvnormal-{ct}-loc-fixed", maxlik.MultivariateNormal(covariance_type=ct), "mvnormal",
       {"loc": np.array([2.9, -1.1, 10.2])}) for ct in ("full", "diag", "spherical")],
]


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("fam, key, fixed", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_exact_covariance_equals_autodiff_observed_information(fam, key, fixed, weighted):
    x = fam.validate_data(DATA[key])
    w = np.random.default_rng(7).uniform(0.2, 3.0, x.shape[0]) if weighted else None
    stats = fam.suffstats(x, w)
    params = fam.mle_from_stats(stats, fam.check_params(fixed))
    free = tuple(k for k in fam.param_names if k not in fixed)

    exact = fam.exact_covariance(stats, params, free)
    assert exact is not None, f"{fam!r} has no closed-form covariance"
    cov, labels = exact
    ref, ref_labels = observed_covariance(fam, params, free, lambda p: -fam.loglik_from_stats(stats, p))
    assert labels == ref_labels == flat_labels({k: params[k] for k in free})
    np.testing.assert_allclose(cov, ref, rtol=1e-10, atol=1e-12 * np.abs(ref).max())

    # and fit() reports it
    r = maxlik.fit(x, fam, weights=w, fixed=fixed)
    assert r.cov_labels == labels
    np.testing.assert_allclose(r.cov, ref, rtol=1e-10, atol=1e-12 * np.abs(ref).max())


@pytest.mark.parametrize("fam, fixed", [(maxlik.Normal(), {"loc": 0.0, "scale": 1.0}), (maxlik.Poisson(), {"rate": 2.0}),
                                        (maxlik.Categorical(), {"probs": [0.1, 0.2, 0.3, 0.4]})])
def test_nothing_free_gives_an_empty_covariance(fam, fixed):
    x = DATA["normal"] if fam.name == "normal" else DATA[fam.name]
    stats = fam.suffstats(fam.validate_data(x))
    cov, labels = fam.exact_covariance(stats, fam.mle_from_stats(stats, fam.check_params(fixed)), ())
    assert cov.shape == (0, 0) and labels == []


@pytest.mark.parametrize("fam, x, bad", [
    (maxlik.Bernoulli(), np.ones(20), "probs"),
    (maxlik.Geometric(), np.zeros(20), "probs"),
    (maxlik.Categorical(num_categories=3), np.array([0.0, 1.0, 1.0, 0.0]), "probs"),
])
def test_an_estimate_on_the_boundary_has_no_covariance_and_says_why(fam, x, bad):
    r = maxlik.fit(x, fam)
    with pytest.warns(maxlik.InferenceWarning, match=f"{bad} lies on the boundary of its domain"):
        assert r.cov is None
