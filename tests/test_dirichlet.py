"""Dirichlet fitted by Newton on its sufficient statistics (W, Σ w log x): the estimates against
the per-observation engine (autodiff of ``log_prob``, ``method="newton"``) and against a
Nelder–Mead maximisation of scipy's log-density, from nearly flat to very peaked and very sparse
concentrations; merging split statistics; integer weights as repeated rows; degenerate data.
(The covariance is checked against the autodiff observed information in test_exact_covariance.py.)
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.optimize as so
import scipy.stats as st

import maxlik

ALPHAS = [[2.0, 3.0, 5.0], [0.05, 0.1, 0.2], [300.0, 500.0, 200.0], [0.5, 40.0], [1e4, 2e4],
          [0.01, 0.01, 0.01, 0.01, 0.01, 3.0], [0.01, 50.0, 0.01, 2000.0]]


def _sample(alpha, n=300, seed=2):
    x = maxlik.Dirichlet().sample({"concentration": np.asarray(alpha)}, n, seed=seed)
    return x[np.all(x > 0, axis=1)]  # tiny concentrations can round an entry to 0


@pytest.mark.parametrize("alpha", ALPHAS, ids=lambda a: "-".join(f"{v:g}" for v in a))
def test_statistics_newton_agrees_with_the_per_observation_engine(alpha):
    x = _sample(alpha)
    w = np.random.default_rng(0).uniform(0.5, 2.0, x.shape[0])
    r = maxlik.fit(x, "dirichlet", weights=w)
    assert r.method == "newton_on_stats" and r.converged
    engine = maxlik.fit(x, "dirichlet", weights=w, method="newton")
    np.testing.assert_allclose(r.params["concentration"], engine.params["concentration"], rtol=1e-7)
    assert r.loglik >= engine.loglik - 1e-9 * abs(engine.loglik)
    ref = float(np.sum(w * st.dirichlet.logpdf(x.T, r.params["concentration"])))
    assert r.loglik == pytest.approx(ref, rel=1e-11)


def test_estimate_matches_a_direct_maximisation_of_scipys_loglik():
    x = _sample([0.8, 2.0, 5.0], n=500, seed=3)
    r = maxlik.fit(x, "dirichlet")

    def nll(log_a):
        return -st.dirichlet.logpdf(x.T, np.exp(log_a)).sum()

    opt = so.minimize(nll, np.zeros(3), method="Nelder-Mead", options={"xatol": 1e-11, "fatol": 1e-12, "maxiter": 20000})
    np.testing.assert_allclose(r.params["concentration"], np.exp(opt.x), rtol=1e-6)
    assert -r.loglik <= opt.fun + 1e-9


def test_merged_statistics_and_repeated_rows():
    fam = maxlik.Dirichlet()
    x = _sample([1.5, 0.7, 3.0], n=600, seed=4)
    whole = maxlik.fit(x, fam)
    merged = fam.suffstats(x[:250]).merge(fam.suffstats(x[250:]))
    np.testing.assert_allclose(maxlik.fit_stats(merged, fam).params["concentration"], whole.params["concentration"], rtol=1e-12)
    counts = np.random.default_rng(5).integers(1, 4, x.shape[0])
    weighted = maxlik.fit(x, fam, weights=counts.astype(float))
    repeated = maxlik.fit(np.repeat(x, counts, axis=0), fam)
    np.testing.assert_allclose(weighted.params["concentration"], repeated.params["concentration"], rtol=1e-11)
    np.testing.assert_allclose(weighted.stderr["concentration"], repeated.stderr["concentration"], rtol=1e-10)


def test_identical_rows_have_no_mle():
    with pytest.raises(maxlik.DegenerateFitError, match=r"Dirichlet: concentration must be finite, but all 5 observations are the same point"):
        maxlik.fit(np.tile([0.2, 0.3, 0.5], (5, 1)), "dirichlet")


def test_fixed_concentration_and_its_shape():
    x = _sample([2.0, 3.0, 5.0])
    r = maxlik.fit(x, "dirichlet", fixed={"concentration": [2.0, 3.0, 5.0]})
    assert r.n_params == 0 and r.loglik == pytest.approx(st.dirichlet.logpdf(x.T, [2.0, 3.0, 5.0]).sum(), rel=1e-12)
    with pytest.raises(maxlik.ParameterError, match=r"Dirichlet: fixed concentration must have shape \(3,\)"):
        maxlik.fit(x, "dirichlet", fixed={"concentration": [2.0, 3.0]})


def test_merging_statistics_of_different_dimensions_is_an_error():
    fam = maxlik.Dirichlet()
    with pytest.raises(maxlik.ParameterError, match="DirichletStats.merge: other must have the same dimension 3; got 2"):
        fam.suffstats(_sample([1.0, 2.0, 3.0])).merge(fam.suffstats(_sample([1.0, 2.0])))
