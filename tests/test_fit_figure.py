"""The four-panel fit figure (maxlik.plot.plot_fit_panels) and the profile curve of plot_profile,
checked on the drawn data (fig.axes), against SciPy and closed forms — not pixels."""

import numpy as np
import pytest
import scipy.stats as st
from test_censored import DATA  # fitdistrplus 1.1.8's smokedfish and salinity (with provenance)
from test_turnbull import R_NPMLE  # fitdistrplus's NPMLE of them (with the R call)

import maxlik
from maxlik import plot
from maxlik.errors import ParameterError

# R 4.2.2: Rscript -e 'cat(sprintf("%.10g", ppoints(5)), sprintf("%.10g", ppoints(12)))'
R_PPOINTS_5 = [0.1190476190, 0.3095238095, 0.5, 0.6904761905, 0.8809523810]
R_PPOINTS_12 = [0.04166666667, 0.125, 0.2083333333, 0.2916666667, 0.375, 0.4583333333, 0.5416666667,
                0.625, 0.7083333333, 0.7916666667, 0.875, 0.9583333333]


@pytest.fixture(scope="module")
def normal():
    x = np.random.default_rng(0).normal(2.0, 1.5, 300)
    return x, maxlik.fit(x, "normal")


def test_plotting_positions_are_r_ppoints():
    np.testing.assert_allclose(plot.plotting_positions(5), R_PPOINTS_5, rtol=1e-9)
    np.testing.assert_allclose(plot.plotting_positions(12), R_PPOINTS_12, rtol=1e-9)
    w = np.array([1.0, 2.0, 1.0])
    np.testing.assert_allclose(plot.plotting_positions(3, w), [0.125, 0.5, 0.875])


def test_four_panels_titles_and_labels(tmp_path, normal):
    x, r = normal
    fig = plot.plot_fit_panels(r, x, path=tmp_path / "fit.png", name="waiting (min)")
    assert (tmp_path / "fit.png").stat().st_size > 2000
    assert [a.get_title() for a in fig.axes] == ["Empirical and theoretical densities", "Empirical and theoretical CDFs",
                                                 "Q–Q plot", "P–P plot"]
    dens, cdf, qq, pp = fig.axes
    assert dens.get_xlabel() == cdf.get_xlabel() == "waiting (min)"
    assert qq.get_xlabel() == "theoretical quantiles of waiting (min)"
    assert qq.get_ylabel() == "empirical quantiles of waiting (min)"
    assert (pp.get_xlabel(), pp.get_ylabel()) == ("theoretical probabilities", "empirical probabilities")


def test_qq_uses_the_fitted_ppf_and_pp_the_cdf(normal):
    x, r = normal
    _, cdf_ax, qq, pp = plot.plot_fit_panels(r, x).axes
    p = (np.arange(1, x.size + 1) - 0.5) / x.size  # ppoints for n > 10
    theo, sample = qq.lines[0].get_data()
    np.testing.assert_array_equal(theo, r.ppf(plot.plotting_positions(x.size)))
    np.testing.assert_array_equal(sample, np.sort(x))
    loc, scale = r.params["loc"], r.params["scale"]
    np.testing.assert_allclose(theo, st.norm.ppf(p, loc, scale), rtol=1e-12)
    ptheo, pemp = pp.lines[0].get_data()
    np.testing.assert_allclose(ptheo, st.norm.cdf(np.sort(x), loc, scale), rtol=1e-12)
    np.testing.assert_allclose(pemp, p, rtol=1e-12)
    g, F = cdf_ax.lines[1].get_data()  # the fitted CDF over the ECDF (lines[0])
    np.testing.assert_allclose(F, st.norm.cdf(g, loc, scale), rtol=1e-12)


def test_misfit_tail_shows_on_the_qq_panel():
    x = st.t.rvs(2, size=400, random_state=np.random.default_rng(5))
    r = maxlik.fit(x, "normal")
    theo, sample = plot.plot_fit_panels(r, x).axes[2].lines[0].get_data()
    scale = r.params["scale"]
    # the heavy tails sit far off the diagonal: beyond the Normal's own extreme quantiles
    assert sample[-1] - theo[-1] > 3 * scale and theo[0] - sample[0] > 3 * scale
    assert theo[-1] == pytest.approx(st.norm.ppf(1 - 0.5 / x.size, r.params["loc"], scale), rel=1e-12)


def test_heavier_fitted_tail_is_not_clamped_to_the_data():
    # a Cauchy fitted to Normal data: its extreme quantiles lie far beyond the sample's. The old
    # Q–Q (the fitted CDF at the data, inverted by interpolation over the data) clamped the
    # theoretical quantiles into [x₍₁₎, x₍ₙ₎], so the extreme points sat on or under the diagonal.
    x = np.random.default_rng(6).normal(0.0, 1.0, 400)
    r = maxlik.fit(x, "cauchy")
    theo, sample = plot.plot_fit_panels(r, x).axes[2].lines[0].get_data()
    loc, scale = r.params["loc"], r.params["scale"]
    np.testing.assert_allclose(theo[[0, -1]], st.cauchy.ppf([0.5 / x.size, 1 - 0.5 / x.size], loc, scale), rtol=1e-10)
    assert theo[-1] - sample[-1] > 10 * x.std() and sample[0] - theo[0] > 10 * x.std()
    xs = np.sort(x)
    old = np.interp((np.arange(1, x.size + 1) - 0.5) / x.size, st.cauchy.cdf(xs, loc, scale), xs)
    assert xs[0] <= old[0] and old[-1] <= xs[-1]  # clamped: the misfit tail was invisible


def test_discrete_panels_use_pmf_steps_and_ppf():
    x = np.random.default_rng(1).poisson(3.0, 200).astype(float)
    r = maxlik.fit(x, "poisson")
    dens, cdf_ax, qq, pp = plot.plot_fit_panels(r, x, name="count").axes
    rate = r.params["rate"]
    values, counts = np.unique(x, return_counts=True)
    np.testing.assert_allclose([b.get_height() for b in dens.patches], counts / x.size)
    k, pmf = dens.lines[0].get_data()
    np.testing.assert_allclose(pmf, st.poisson.pmf(k, rate), rtol=1e-10)
    assert cdf_ax.lines[1].get_drawstyle() == "steps-post"
    theo, sample = qq.lines[0].get_data()
    np.testing.assert_array_equal(theo, st.poisson.ppf(plot.plotting_positions(x.size), rate))
    np.testing.assert_allclose(pp.lines[0].get_data()[0], st.poisson.cdf(np.sort(x), rate), rtol=1e-10)


def test_diagnostics_keeps_three_panels_with_the_ppf(normal):
    x, r = normal
    fig = plot.plot_diagnostics(r, x)
    assert [a.get_title() for a in fig.axes] == ["Q–Q plot", "P–P plot", "Empirical and theoretical CDFs"]
    np.testing.assert_array_equal(fig.axes[0].lines[0].get_xdata(), r.ppf(plot.plotting_positions(x.size)))


def _rects(ax):
    """(k, 4) [x0, x1, y0, y1] of the rectangles drawn as one collection."""
    (coll,) = ax.collections
    return np.array([[v[:, 0].min(), v[:, 0].max(), v[:, 1].min(), v[:, 1].max()] for v in (p.vertices for p in coll.get_paths())])


@pytest.mark.parametrize("name", ["SMOKEDFISH", "SALINITY"])
def test_censored_panels_follow_plotdistcens(name, tmp_path):
    data = maxlik.Censored(*DATA[name])
    r = maxlik.fit(data, "lognormal")
    fig = plot.plot_fit_panels(r, data, path=tmp_path / "cens.png", name="concentration")
    assert (tmp_path / "cens.png").stat().st_size > 2000
    dens, cdf_ax, qq, pp = fig.axes
    assert [a.get_title().split("\n")[0] for a in fig.axes] == [
        "NPMLE and theoretical densities", "NPMLE and theoretical CDFs", "Q–Q plot", "P–P plot"]
    ref = R_NPMLE[name]
    after = np.cumsum(ref["p"])
    before = after - ref["p"]
    s, mu = r.params["scale"], r.params["loc"]  # scipy: lognorm(s, scale=e^mu)
    cdf_r = _rects(cdf_ax)  # one rectangle per Turnbull interval: [l, r] x [F̂⁻, F̂]
    np.testing.assert_allclose(cdf_r[:, 2:], np.c_[before, after], atol=1e-6)
    left = np.maximum(ref["left"], 0.0)  # (−∞, b] cut to the lognormal's support (0, b]
    finite = np.isfinite(ref["right"])
    np.testing.assert_allclose(cdf_r[:, 0], left)
    np.testing.assert_allclose(cdf_r[finite, 1], np.asarray(ref["right"])[finite])
    qq_r = _rects(qq)  # [F⁻¹(F̂⁻), F⁻¹(F̂)] x [l, r]
    inner = slice(1, -1)  # the ends at F̂ = 0 and 1 are drawn far out
    np.testing.assert_allclose(qq_r[inner, 0], st.lognorm.ppf(before[inner], s, scale=np.exp(mu)), rtol=1e-4)
    np.testing.assert_allclose(qq_r[inner, 1], st.lognorm.ppf(after[inner], s, scale=np.exp(mu)), rtol=1e-4)
    np.testing.assert_allclose(qq_r[:, 2], left)
    pp_r = _rects(pp)  # [F(l), F(r)] x [F̂⁻, F̂]
    np.testing.assert_allclose(pp_r[:, 0], st.lognorm.cdf(left, s, scale=np.exp(mu)), atol=1e-12)
    np.testing.assert_allclose(pp_r[:, 1], st.lognorm.cdf(ref["right"], s, scale=np.exp(mu)), atol=1e-12)
    np.testing.assert_allclose(pp_r[:, 2:], np.c_[before, after], atol=1e-6)
    # the density panel: bars of NPMLE mass; what is drawn plus what is said to be left out is 1
    heights, edges = dens.patches[0].get_data()[:2]  # the StepPatch of ax.stairs
    drawn = float(np.sum(heights * np.diff(edges)))
    unbounded = float(np.sum(np.asarray(ref["p"])[~finite]))
    assert drawn == pytest.approx(1 - unbounded, abs=1e-6)
    assert (f"{100 * unbounded:.1f}% of the NPMLE mass" in dens.get_title()) == (unbounded > 0)


def test_mass_histogram_spreads_evenly():
    from maxlik.fit_figure_censored import mass_histogram

    h = mass_histogram(np.array([0.0, 2.0, 5.0]), np.array([2.0, 2.0, np.inf]), np.array([0.5, 0.3, 0.2]),
                       np.array([0.0, 1.0, 2.0]))
    np.testing.assert_allclose(h, [0.25, 0.55])  # half of (0, 2] in each bin, the point 2 in the last


def test_panels_need_distribution_functions():
    r = maxlik.fit(np.random.default_rng(2).normal(size=(50, 2)), "mvnormal")
    with pytest.raises(ParameterError, match="plot_fit_panels: the fitted family must have distribution functions"):
        plot.plot_fit_panels(r, np.zeros((50, 2)))


def test_profile_of_a_normal_mean_is_the_closed_form():
    x = np.random.default_rng(0).normal(2.0, 1.5, 50)
    r = maxlik.fit(x, "normal")
    fig = plot.plot_profile(r, x)
    ax = fig.axes[0]
    mu, nll = ax.lines[0].get_data()
    n, xbar, s2 = x.size, x.mean(), x.var()
    # −ℓₚ(μ) = −ℓ̂ + n/2 log(1 + (μ − x̄)²/σ̂²): σ re-maximised at each μ
    np.testing.assert_allclose(nll, -r.loglik + n / 2 * np.log1p((mu - xbar) ** 2 / s2), rtol=1e-12)
    cut = -r.loglik + st.chi2.ppf(0.95, 1) / 2
    np.testing.assert_allclose(ax.lines[1].get_ydata(), cut)
    lo, hi = r.conf_int(method="profile")["loc"]
    assert mu[0] < lo < hi < mu[-1]  # the grid holds the interval
    for b in (lo, hi):  # the curve crosses the cut-off at the profile bounds
        assert np.interp(b, mu, nll) == pytest.approx(cut, abs=2e-3)
        assert -r.loglik + n / 2 * np.log1p((b - xbar) ** 2 / s2) == pytest.approx(cut, abs=1e-8)
    marks = sorted(float(line.get_xdata()[0]) for line in ax.lines[3:5])
    assert marks == pytest.approx([lo, hi])


def test_profile_of_a_gamma_shape_reoptimises_the_rate():
    x = np.random.default_rng(3).gamma(2.0, 1.5, 80)
    r = maxlik.fit(x, "gamma")
    fig = plot.plot_profile(r, x, n_points=9)
    a, nll = fig.axes[0].lines[0].get_data()
    # given the shape a, the rate's MLE is a / x̄ (SciPy's gamma with scale x̄ / a)
    ref = [-st.gamma.logpdf(x, ai, scale=x.mean() / ai).sum() for ai in a]
    np.testing.assert_allclose(nll, ref, rtol=1e-8)
    sliced = plot.plot_profile(r, x, n_points=9, profile=False).axes[0].lines[0].get_ydata()
    assert np.all(nll <= sliced + 1e-9)


def test_density_bars_sit_on_the_turnbull_intervals():
    # inspections every 0.5: the NPMLE's intervals are the inspection gaps, each a bar of height p / 0.5
    rng = np.random.default_rng(0)
    t = 2.0 * rng.weibull(1.5, 150)
    left, right = np.floor(t / 0.5) * 0.5, np.ceil(t / 0.5) * 0.5
    left[t > 4], right[t > 4] = 4.0, np.nan
    data = maxlik.Censored(left, right)
    r = maxlik.fit(data, "weibull")
    heights, edges = plot.plot_fit_panels(r, data).axes[0].patches[0].get_data()[:2]
    f = maxlik.npmle(data)
    bounded = np.isfinite(f.right)
    np.testing.assert_array_equal(edges, np.r_[f.left[bounded], f.right[bounded][-1]])
    np.testing.assert_allclose(heights, f.mass[bounded] / 0.5)
    counts = np.bincount(np.minimum((t // 0.5).astype(int), 8), minlength=9)  # exact here: no overlap
    np.testing.assert_allclose(f.mass, counts / t.size, atol=1e-8)


def test_censored_counts_get_one_bar_per_integer():
    t = np.random.default_rng(0).poisson(4.0, 200).astype(float)
    lo, hi = t.copy(), t.copy()
    lo[t > 6], hi[t > 6] = 6.0, np.nan  # "more than 6"
    data = maxlik.Censored(lo, hi)
    r = maxlik.fit(data, "poisson")
    dens = plot.plot_fit_panels(r, data).axes[0]
    heights, edges = dens.patches[0].get_data()[:2]
    np.testing.assert_array_equal(edges, np.arange(-0.5, 7.0))
    values, counts = np.unique(t[t <= 6], return_counts=True)  # Kaplan–Meier is the ECDF below the censoring
    np.testing.assert_allclose(heights[values.astype(int)], counts / t.size, atol=1e-8)
    k, pmf = dens.lines[0].get_data()
    np.testing.assert_allclose(pmf, st.poisson.pmf(k, r.params["rate"]), rtol=1e-10)


def test_weights_equal_repeated_rows_on_every_panel():
    x = np.round(np.random.default_rng(8).gamma(2.0, 1.0, 60), 1)
    w = np.arange(60) % 3 + 1.0
    r = maxlik.fit(x, "gamma", weights=w)
    weighted = plot.plot_fit_panels(r, x, weights=w).axes
    repeated = plot.plot_fit_panels(r, np.repeat(x, w.astype(int))).axes
    np.testing.assert_allclose(weighted[1].lines[0].get_ydata()[-1], 1.0)  # the weighted ECDF ends at 1
    xs = np.sort(np.repeat(x, w.astype(int)))
    np.testing.assert_allclose(weighted[1].lines[0].get_ydata()[np.searchsorted(np.sort(x), 2.0, side="right") - 1],
                               np.mean(xs <= 2.0))
    # the weighted plotting positions are the mid-points of the weighted ECDF's steps
    ws = w[np.argsort(x, kind="stable")]
    p = (np.cumsum(ws) - ws / 2) / ws.sum()
    a, rate = r.params["concentration"], r.params["rate"]
    np.testing.assert_allclose(weighted[2].lines[0].get_xdata(), st.gamma.ppf(p, a, scale=1 / rate), rtol=1e-8)
    assert repeated[2].lines[0].get_xdata().size == xs.size
    np.testing.assert_allclose(weighted[3].lines[0].get_xdata(), st.gamma.cdf(np.sort(x), a, scale=1 / rate), rtol=1e-10)
    np.testing.assert_allclose(weighted[3].lines[0].get_ydata(), p, rtol=1e-12)
