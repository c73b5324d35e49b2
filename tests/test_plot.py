"""Every figure function runs headless and writes a non-empty PNG; the fitted CDF is checked
against SciPy's closed form."""

import numpy as np
import pytest
import scipy.stats as st

import maxlik
from maxlik import plot


@pytest.fixture(scope="module")
def normal_fit():
    x = np.random.default_rng(0).normal(2.0, 1.5, 300)
    return x, maxlik.fit(x, "normal")


def _written(path):
    return path.exists() and path.stat().st_size > 2000


def test_fit_diagnostics_profile_contour(tmp_path, normal_fit):
    x, r = normal_fit
    for name, fn in [("fit", plot.plot_fit), ("diag", plot.plot_diagnostics), ("profile", plot.plot_profile), ("contour", plot.plot_contour)]:
        fn(r, x, path=tmp_path / f"{name}.png")
        assert _written(tmp_path / f"{name}.png"), name


def test_discrete_fit_plot(tmp_path):
    x = np.random.default_rng(1).poisson(3.0, 200).astype(float)
    plot.plot_fit(maxlik.fit(x, "poisson"), x, path=tmp_path / "pois.png")
    assert _written(tmp_path / "pois.png")


def test_fitted_cdf_matches_scipy(normal_fit):
    x, r = normal_fit
    xs = np.sort(x)
    ref = st.norm.cdf(xs, r.params["loc"], r.params["scale"])
    assert np.max(np.abs(plot.fitted_cdf(r, xs) - ref)) < 1e-4
    counts = np.sort(np.random.default_rng(2).poisson(4.0, 100).astype(float))
    rp = maxlik.fit(counts, "poisson")
    np.testing.assert_allclose(plot.fitted_cdf(rp, counts), st.poisson.cdf(counts, rp.params["rate"]), rtol=1e-10)


def test_candidates_classes_mixture_trace(tmp_path, normal_fit):
    x, r = normal_fit
    other = maxlik.fit(x, "normal", fixed={"loc": 0.0})
    plot.plot_candidates([r, other], x, path=tmp_path / "cand.png")
    d = maxlik.datasets.skittles()
    m = maxlik.GaussianClassifier("diag").fit(d.X, d.y)
    plot.plot_classes(d.X, d.y, dict(zip(m.classes_, m.means_)), dict(zip(m.classes_, m.covariances_)), path=tmp_path / "classes.png")
    f = maxlik.datasets.load("faithful").X
    gm = maxlik.GaussianMixture(n_components=2, random_state=0).fit(f)
    plot.plot_mixture(f, gm.weights_, gm.means_, gm.covariances_, path=tmp_path / "mix.png")
    plot.plot_trace(gm.lower_bounds_, path=tmp_path / "trace.png")
    for name in ("cand", "classes", "mix", "trace"):
        assert _written(tmp_path / f"{name}.png"), name


def test_bic_plot_of_a_mixture_selection(tmp_path):
    X = maxlik.datasets.load("faithful").X
    sel = maxlik.select_mixture(X, n_components=[1, 2, 3], covariance_types=["full", "tied"])
    fig = plot.plot_bic(sel, path=tmp_path / "bic.png")
    assert _written(tmp_path / "bic.png")
    lines = fig.axes[0].get_lines()
    assert [ln.get_label() for ln in lines] == ["full", "tied", "best"]
    np.testing.assert_allclose(lines[1].get_ydata(), [r["bic"] for r in sel.table[3:]])
    assert plot.plot_bic(sel, mclust_sign=True).axes[0].get_lines()[0].get_ydata()[0] == -sel.table[0]["bic"]
