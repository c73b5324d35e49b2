"""The demo runs start to finish and writes a self-contained report with its figures; the numbers
its new sections state are recomputed here with the API and checked against independent
references (closed forms, scipy)."""

import html
import re

import numpy as np
import pytest
from scipy import optimize, stats

import maxlik
from maxlik import datasets
from maxlik.demo import CAUCHY_SCALE, CAUCHY_STARTS, GAMMA_START, INTERVAL_SAMPLE, OPTIMISERS, SECTIONS, run

FIGURES = {"coin_loglik", "gaussian_fit", "candidates", "least_squares", "skittles_diag", "skittles_full",
           "faithful_mixture", "faithful_em_trace", "optimiser_gap", "local_optima", "interval_profile",
           "coin_map", "sampling_properties"}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "demo"
    raw = run(out).read_text()
    return out, raw, html.unescape(raw)


def test_demo_writes_report(report):
    out, raw, text = report
    assert raw.count("<h2>") == len(SECTIONS)
    assert raw.count("data:image/png;base64,") == len(FIGURES)
    assert "p̂ = 7/10" in text and "probs                            0.7" in text
    assert "least squares c = mean(y) = 2.02" in text
    assert re.search(r"monotone: True", text)
    assert set(re.findall(r"<img alt='([^']+)'", raw)) == FIGURES
    assert {p.stem for p in out.glob("*.png")} == FIGURES


def test_underflow_claim_uses_the_272_waiting_times(report):
    x = datasets.load("faithful").X[:, 1]
    assert x.size == 272
    log_sum = stats.norm.logpdf(x, x.mean(), x.std()).sum()
    text = report[2]
    assert "1,000" not in text
    assert "densities of the 272 Old Faithful waiting times under the fitted Normal gives 0.0" in text
    assert f"the sum of their logs is {log_sum:.2f}" in text


def test_optimisers_section_states_each_fit(report):
    x = datasets.load("faithful").X[:, 1]
    a, _, scale = stats.gamma.fit(x, floc=0)
    reference = stats.gamma.logpdf(x, a, scale=scale).sum()
    text = report[2]
    for method in OPTIMISERS:
        r = maxlik.fit(x, "gamma", method=method, init=GAMMA_START, max_iter=2000)
        assert abs(r.loglik - reference) < 1e-4
        assert f"{method:17} iterations {r.n_iter:5d}  converged {str(r.converged):5}  log-likelihood {r.loglik:.6f}" in text
        assert len(r.trace["nll"]) >= 2 and r.trace["nll"][-1] == pytest.approx(-r.loglik)
    assert "crawls" not in text


def _cauchy_loglik(loc, x):
    return stats.cauchy.logpdf(x, loc, CAUCHY_SCALE).sum()


def test_local_optima_section_matches_the_api_and_scipy(report):
    x = datasets.load("faithful").X[:, 0]
    text = report[2]
    # the two peaks of ℓ(loc), located by scipy on a bracket around each cluster
    peaks = [optimize.minimize_scalar(lambda m: -_cauchy_loglik(m, x), bounds=b, method="bounded", options={"xatol": 1e-9}).x
             for b in ((1.5, 3.0), (3.5, 5.0))]
    for start in CAUCHY_STARTS:
        r = maxlik.fit(x, "cauchy", fixed={"scale": CAUCHY_SCALE}, init={"loc": start}, method="newton")
        assert min(abs(r.params["loc"] - p) for p in peaks) < 1e-5
        assert f"start loc {start:4.2f} -> loc {r.params['loc']:.4f}  log-likelihood {r.loglik:.3f}  converged {r.converged}" in text
    best = maxlik.fit(x, "cauchy", fixed={"scale": CAUCHY_SCALE}, n_init=20, seed=0)
    assert best.loglik == pytest.approx(max(_cauchy_loglik(p, x) for p in peaks), abs=1e-6)
    assert f"n_init=20, seed=0) kept loc = {best.params['loc']:.4f}, log-likelihood {best.loglik:.3f}" in text


def test_how_sure_section_matches_the_api_and_the_closed_form(report):
    y = datasets.load("faithful").X[:INTERVAL_SAMPLE, 0]
    n, s = y.size, y.sum()
    r = maxlik.fit(y, "exponential")
    lam = n / s
    wald, prof = r.conf_int(method="wald-natural")["rate"], r.conf_int(method="profile")["rate"]
    # closed forms: se = λ̂/√n; profile ends solve 2(ℓ̂ − ℓ(λ)) = χ²₁(0.95) with ℓ(λ) = n log λ − λ s;
    # the default Wald interval on the log scale is exp(log λ̂ ± z/√n)
    se = lam / np.sqrt(n)
    np.testing.assert_allclose(wald, (lam - stats.norm.ppf(0.975) * se, lam + stats.norm.ppf(0.975) * se), rtol=1e-6)
    log_wald = r.conf_int()["rate"]
    np.testing.assert_allclose(log_wald, lam * np.exp(np.array([-1, 1]) * stats.norm.ppf(0.975) / np.sqrt(n)), rtol=1e-6)
    assert f"log-scale Wald 95%   ({log_wald[0]:.4f}, {log_wald[1]:.4f})" in report[2]
    g = lambda t: 2 * ((n * np.log(lam) - n) - (n * np.log(t) - t * s)) - stats.chi2.ppf(0.95, 1)
    np.testing.assert_allclose(prof, (optimize.brentq(g, 1e-6, lam), optimize.brentq(g, lam, 10 * lam)), rtol=1e-6)
    text = report[2]
    assert f"Wald 95% interval    ({wald[0]:.4f}, {wald[1]:.4f})" in text
    assert f"profile 95% interval ({prof[0]:.4f}, {prof[1]:.4f})" in text
    assert f"λ̂ = 1/mean = {lam:.4f}" in text and f"standard error {se:.4f}" in text


def test_coin_map_section_states_the_beta_bernoulli_modes(report):
    from maxlik._demo_sampling import COIN_PRIOR

    a, b = COIN_PRIOR
    text = report[2]
    for heads, mle in ((7, 0.7), (10, 1.0)):
        mode = (heads + a - 1) / (10 + a + b - 2)  # the Beta posterior's mode, closed form
        assert re.search(rf"{heads} of 10 +{mle:.4f} +{mode:.4f} +{mode:.4f} ", text)
    assert "MAP (posterior mode)" in text and "probs ~ Beta(concentration1=2, concentration0=2)" in text


def test_how_good_section_shows_the_variance_bias_of_minus_sigma2_over_n(report):
    from maxlik._demo_sampling import SIM_REPS, SIM_SIGMA, SIM_SIZES

    text = report[2]
    s2 = SIM_SIGMA**2
    for n in SIM_SIZES:
        m = re.search(rf"\n *{n} +(-?[0-9.]+) +(-?[0-9.]+) +([0-9.]+) +([0-9.]+) +([0-9.]+)", text)
        bias, theory, wald = float(m[1]), float(m[2]), float(m[3])
        assert theory == pytest.approx(-s2 / n, abs=5e-4)
        # Var(σ̂²) = 2σ⁴(n − 1)/n²: the bias is within 4 Monte-Carlo standard errors of −σ²/n
        assert abs(bias + s2 / n) < 4 * np.sqrt(2 * s2**2 * (n - 1) / n**2 / SIM_REPS) + 1e-3
        assert 0.75 < wald <= 1.0
