"""maxlik.simulate: sampling properties of the MLE against theory (closed forms), within
Monte-Carlo error (every run seeded)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

import maxlik
from maxlik.errors import ParameterError


def _row(sim, name, n):
    (row,) = [r for r in sim.table if r["parameter"] == name and r["n"] == n]
    return row


def test_normal_variance_mle_is_biased_by_minus_sigma2_over_n():
    sigma = 2.0
    sim = maxlik.simulate("normal", {"loc": 1.0, "scale": sigma}, n=[5, 20], n_rep=20000, seed=0,
                          functions={"variance": lambda p: p["scale"] ** 2})
    for n in (5, 20):
        row = _row(sim, "variance", n)
        assert row["true"] == sigma**2 and row["n_failed"] == 0
        assert abs(row["bias"] - (-sigma**2 / n)) < 4 * row["bias_se"]
        # the delta-method bound of σ² = g(σ): (2σ)² · σ²/2 / n = 2σ⁴/n
        assert row["cr_bound"] == pytest.approx(2 * sigma**4 / n, rel=1e-12)
        est = sim.estimates[n]["variance"]
        assert row["mean"] == pytest.approx(np.mean(est)) and est.shape == (20000,)


def test_wald_coverage_of_the_normal_mean_is_nominal_at_n_1000():
    sim = maxlik.simulate("normal", {"loc": 0.0, "scale": 1.0}, n=1000, n_rep=4000, seed=1)
    row = _row(sim, "loc", 1000)
    assert row["coverage_se"] == pytest.approx(np.sqrt(0.95 * 0.05 / 4000))
    assert abs(row["wald_coverage"] - 0.95) < 4 * row["coverage_se"]
    assert abs(row["profile_coverage"] - 0.95) < 4 * row["coverage_se"]


def test_known_scale_profile_interval_is_the_wald_interval():
    """With σ known the log-likelihood of μ is exactly quadratic: the profile and Wald intervals
    coincide, and both cover with probability exactly 0.95 at every n."""
    sim = maxlik.simulate("normal", {"loc": 0.5, "scale": 3.0}, n=[4, 50], n_rep=3000, seed=2, fixed=["scale"])
    assert sim.parameters == ["loc"]
    for n in (4, 50):
        row = _row(sim, "loc", n)
        assert row["wald_coverage"] == row["profile_coverage"]
        assert abs(row["wald_coverage"] - 0.95) < 4 * row["coverage_se"]
        assert row["cr_bound"] == pytest.approx(9.0 / n, rel=1e-12)


@pytest.mark.parametrize("rate", [0.5, 2.0])
def test_exponential_cramer_rao_bound_is_rate_squared_over_n(rate):
    sim = maxlik.simulate("exponential", {"rate": rate}, n=[10, 100], n_rep=200, seed=3)
    for n in (10, 100):
        assert _row(sim, "rate", n)["cr_bound"] == rate**2 / n
    assert sim.information == "closed form"


def test_monte_carlo_information_of_the_gamma_matches_its_closed_form():
    """Gamma(a, β): I = [[ψ′(a), −1/β], [−1/β, a/β²]] (not in the closed-form table: averaged)."""
    a, b = 2.0, 1.5
    sim = maxlik.simulate("gamma", {"concentration": a, "rate": b}, n=[50], n_rep=100, seed=4)
    inv = np.linalg.inv(np.array([[special.polygamma(1, a), -1 / b], [-1 / b, a / b**2]]))
    assert sim.information.startswith("Monte Carlo")
    assert _row(sim, "concentration", 50)["cr_bound"] == pytest.approx(inv[0, 0] / 50, rel=0.02)
    assert _row(sim, "rate", 50)["cr_bound"] == pytest.approx(inv[1, 1] / 50, rel=0.02)


def test_cauchy_location_variance_approaches_its_bound():
    sim = maxlik.simulate("cauchy", {"loc": 0.0, "scale": 1.0}, n=[1000], n_rep=2000, seed=5)
    row = _row(sim, "loc", 1000)
    assert row["cr_bound"] == pytest.approx(2.0 / 1000)  # I = 1/(2γ²)
    assert abs(row["efficiency"] - 1.0) < 0.15  # the variance's relative MC error is √(2/2000) ≈ 3 %


def test_table_and_pandas():
    sim = maxlik.simulate("poisson", {"rate": 3.0}, n=[5, 10], n_rep=50, seed=6)
    df = sim.to_pandas()
    assert list(df["n"]) == [5, 10] and {"bias", "mse", "cr_bound", "efficiency", "wald_coverage"} <= set(df.columns)
    assert "Poisson" in sim.summary() and "closed form" in sim.summary()
    again = maxlik.simulate("poisson", {"rate": 3.0}, n=[5, 10], n_rep=50, seed=6)
    assert again.table == sim.table


def test_plot_simulation():
    from maxlik.plot import plot_simulation

    sim = maxlik.simulate("normal", {"loc": 0.0, "scale": 1.0}, n=[5, 50], n_rep=100, seed=7)
    fig = plot_simulation(sim, theory={"scale": lambda n: 0.0})
    assert len(fig.axes) == 2 and fig.axes[1].get_ylabel() == "coverage"


def test_bad_input():
    with pytest.raises(ParameterError, match=r"`scale` must be positive \(> 0\); got -1"):
        maxlik.simulate("normal", {"loc": 0.0, "scale": -1.0})
    with pytest.raises(ParameterError, match="params must give every parameter of Normal .*no value for scale"):
        maxlik.simulate("normal", {"loc": 0.0})
    with pytest.raises(ParameterError, match="parameter names must be among"):
        maxlik.simulate("exponential", {"rate": 1.0, "loc": 0.0})
    with pytest.raises(ParameterError, match="n must be a sample size or a list of them, integers >= 1; got 0"):
        maxlik.simulate("exponential", {"rate": 1.0}, n=[10, 0])
    with pytest.raises(ParameterError, match="n_rep must be an integer >= 2"):
        maxlik.simulate("exponential", {"rate": 1.0}, n_rep=1)
    with pytest.raises(ParameterError, match="scalar observations and scalar parameters; got MultivariateNormal"):
        maxlik.simulate("mvnormal", {})
    with pytest.raises(ParameterError, match="fixed must name some"):
        maxlik.simulate("exponential", {"rate": 1.0}, fixed=["rate"])


def test_a_named_method_fits_replicates_one_by_one_to_the_same_estimates():
    """Newton on each replicate finds the closed-form maximum that fit_groups computes."""
    kw = dict(n=[20], n_rep=30, seed=8)
    auto = maxlik.simulate("exponential", {"rate": 1.5}, **kw)
    newton = maxlik.simulate("exponential", {"rate": 1.5}, method="newton", **kw)
    np.testing.assert_allclose(newton.estimates[20]["rate"], auto.estimates[20]["rate"], rtol=1e-7)
    assert newton.table[0]["wald_coverage"] == auto.table[0]["wald_coverage"]
    with pytest.raises(ParameterError, match="method must be one of"):
        maxlik.simulate("exponential", {"rate": 1.5}, method="simplex", **kw)


def test_link_scale_wald_interval_for_the_exponential_rate():
    """On the log scale the Wald interval of λ is λ̂·exp(±z/√n) (se(log λ̂) = 1/√n); it holds λ
    iff λ̂/λ = n/Σx lies within exp(±z/√n), and 2λΣx ~ χ²₂ₙ gives that probability exactly."""
    from scipy import stats

    n, R = 8, 20000
    sim = maxlik.simulate("exponential", {"rate": 1.0}, n=n, n_rep=R, seed=9, profile=False)
    z = stats.norm.ppf(0.975)
    lo, hi = n * np.exp(-z / np.sqrt(n)), n * np.exp(z / np.sqrt(n))  # covered iff lo ≤ Σx ≤ hi (λ = 1)
    exact = stats.chi2(2 * n).cdf(2 * hi) - stats.chi2(2 * n).cdf(2 * lo)
    row = _row(sim, "rate", n)
    assert abs(row["wald_link_coverage"] - exact) < 4 * np.sqrt(exact * (1 - exact) / R)
    assert np.isnan(row["profile_coverage"])


def test_no_cramer_rao_bound_for_the_non_regular_uniform():
    """The Uniform's support moves with θ: the averaged observed information is not positive
    definite, and no bound is claimed (NaN), while the empirical columns remain."""
    sim = maxlik.simulate("uniform", {"low": 0.0, "high": 1.0}, n=[20], n_rep=50, seed=10, profile=False)
    row = _row(sim, "high", 20)
    assert np.isnan(row["cr_bound"]) and np.isnan(row["efficiency"])
    # E[max of 20 uniforms] = 20/21: the bias of the MLE of `high` is −1/21
    assert abs(row["bias"] + 1 / 21) < 4 * row["bias_se"]


def test_replicates_without_an_mle_are_counted_and_the_rest_are_conditional():
    """All-zero Poisson counts have no MLE (x̄ = 0 is not a positive rate): P = e^(−λn) per
    replicate; the others' mean is E[x̄ | x̄ > 0] = λ / (1 − e^(−λn))."""
    lam, n, R = 0.3, 5, 4000
    sim = maxlik.simulate("poisson", {"rate": lam}, n=n, n_rep=R, seed=11, profile=False)
    row = _row(sim, "rate", n)
    p0 = np.exp(-lam * n)
    assert abs(row["n_failed"] - R * p0) < 4 * np.sqrt(R * p0 * (1 - p0))
    assert abs(row["mean"] - lam / (1 - p0)) < 4 * row["bias_se"]
    assert "all 0" in sim.failures[n] and "replicates without an estimate" in sim.summary()
