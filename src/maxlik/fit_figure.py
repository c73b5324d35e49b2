"""The fit figure, in the spirit of fitdistrplus's ``plot.fitdist``: four panels — density over a
histogram, fitted CDF over the empirical CDF, Q–Q and P–P — re-exported by :mod:`maxlik.plot`.

With sorted data x₍₁₎ ≤ … ≤ x₍ₙ₎ and plotting positions pᵢ (R's ``ppoints``:
pᵢ = (i − a)/(n + 1 − 2a), a = 3/8 for n ≤ 10 else 1/2; with weights, the mid-point of each
observation's step of the weighted ECDF):

    Q–Q  (F̂⁻¹(pᵢ), x₍ᵢ₎)   the fitted quantile function ``result.ppf``. Interpolating the fitted
                            CDF over the data instead (the old ``plot_diagnostics``) clamps the
                            theoretical quantiles to the data's range and hides a misfit tail.
    P–P  (F̂(x₍ᵢ₎), pᵢ)      the fitted ``result.cdf``

Discrete families: pmf over bars of observed frequency, step CDFs, Q–Q from the (integer) ppf.
Censored data (:class:`maxlik.Censored`) go to :mod:`maxlik.fit_figure_censored` (Turnbull's NPMLE).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ._figures import density, finish, fit_title, grid, is_discrete
from .censored import Censored
from .errors import ParameterError

TITLES = ("Empirical and theoretical densities", "Empirical and theoretical CDFs", "Q–Q plot", "P–P plot")


def plotting_positions(n: int, weights=None) -> np.ndarray:
    """(n,) probabilities for the sorted sample: R's ``ppoints(n)``, or with ``weights`` (n,) (in
    the sorted order) the mid-points (Wᵢ − wᵢ/2)/W of the weighted ECDF's steps."""
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        return (np.cumsum(w) - 0.5 * w) / w.sum()
    a = 0.375 if n <= 10 else 0.5
    return (np.arange(1, n + 1) - a) / (n + 1 - 2 * a)


def _sorted(x, weights):
    x = np.asarray(x, dtype=float)
    order = np.argsort(x, kind="stable")
    return x[order], None if weights is None else np.asarray(weights, dtype=float)[order]


def qq_points(result, x, weights=None) -> tuple[np.ndarray, np.ndarray]:
    """(theoretical, sample) quantiles: (F̂⁻¹(pᵢ), x₍ᵢ₎), each (n,)."""
    xs, w = _sorted(x, weights)
    return result.ppf(plotting_positions(xs.size, w)), xs


def pp_points(result, x, weights=None) -> tuple[np.ndarray, np.ndarray]:
    """(theoretical, empirical) probabilities: (F̂(x₍ᵢ₎), pᵢ), each (n,)."""
    xs, w = _sorted(x, weights)
    return result.cdf(xs), plotting_positions(xs.size, w)


def fitted_cdf(result, x_sorted: np.ndarray) -> np.ndarray:
    """F̂ at ``x_sorted``: the family's ``cdf``; for a family without one (a ``fit_loglik``
    likelihood), summed pmf (discrete) or the integral of the density on a fine grid (~1e-4)."""
    x_sorted = np.asarray(x_sorted, dtype=float)
    if result.family.has_distribution_functions:
        return result.cdf(x_sorted)
    if is_discrete(result):
        support = np.arange(0, int(x_sorted.max()) + 1, dtype=float)
        return np.cumsum(density(result, support))[x_sorted.astype(int)]
    lo, hi = float(x_sorted[0]), float(x_sorted[-1])
    span = hi - lo or 1.0
    g = np.linspace(lo - 10 * span, hi + 10 * span, 40001)
    g = g[result.family.support.check(g)]
    dens = density(result, g)
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (dens[1:] + dens[:-1]) * np.diff(g))])
    return np.interp(x_sorted, g, cdf / cdf[-1])


def plot_fit(result, x, *, path=None, ax=None, bins="auto", xlabel: str = "x", weights=None) -> Figure:
    """Histogram (density scale) of ``x`` with the fitted density; bars of observed frequency
    with the fitted probability mass for discrete families. ``xlabel`` names the data's
    quantity and unit, e.g. "eruption duration (min)"."""
    x = np.asarray(x, dtype=float)
    fig = Figure(figsize=(6, 4)) if ax is None else ax.figure
    ax = ax or fig.add_subplot()
    g = grid(x, result)
    if is_discrete(result):
        values, inverse = np.unique(x, return_inverse=True)
        counts = np.bincount(inverse, weights=weights)
        ax.bar(values, counts / counts.sum(), width=0.8, alpha=0.4, label="observed frequency")
        ax.plot(g, density(result, g), "o-", color="C1", label="fitted probability")
        ax.set_ylabel("probability")
    else:
        if weights is not None and isinstance(bins, str):  # numpy's bin rules take no weights: the rows' edges
            bins = np.histogram_bin_edges(x, bins)
        ax.hist(x, bins=bins, density=True, weights=weights, alpha=0.4, label="data")
        ax.plot(g, density(result, g), color="C1", lw=2, label="fitted density")
        ax.set_ylabel("density")
    ax.set_title(fit_title(result))
    ax.set_xlabel(xlabel)
    ax.legend()
    return finish(fig, path)


def _cdf_panel(ax, result, xs, w, name):
    ecdf = np.arange(1, xs.size + 1) / xs.size if w is None else np.cumsum(w) / w.sum()
    ax.step(xs, ecdf, where="post", label="empirical CDF")
    g = grid(xs, result)
    if is_discrete(result):
        ax.step(g, result.cdf(g), where="post", color="C1", label="fitted CDF")
    else:
        ax.plot(g, result.cdf(g), color="C1", lw=2, label="fitted CDF")
    ax.set(title=TITLES[1], xlabel=name, ylabel="CDF", ylim=(-0.02, 1.02))
    ax.legend(fontsize=8, loc="lower right")  # a CDF leaves that corner empty; "best" is slow on big data


def _qq_panel(ax, result, x, w, name):
    theo, xs = qq_points(result, x, w)
    ax.plot(theo, xs, "o", ms=3, mfc="none")
    ax.axline((xs[0], xs[0]), slope=1, color="k", lw=1)
    ax.set(title=TITLES[2], xlabel=f"theoretical quantiles of {name}", ylabel=f"empirical quantiles of {name}")


def _pp_panel(ax, result, x, w):
    theo, emp = pp_points(result, x, w)
    ax.plot(theo, emp, "o", ms=3, mfc="none")
    ax.axline((0, 0), slope=1, color="k", lw=1)
    ax.set(title=TITLES[3], xlabel="theoretical probabilities", ylabel="empirical probabilities", xlim=(0, 1), ylim=(0, 1))


def _require_cdf(result, owner: str) -> None:
    if not result.family.has_distribution_functions:
        raise ParameterError(
            f"{owner}: the fitted family must have distribution functions (cdf, ppf); got "
            f"{result.family.display_name}. Draw its density with plot_fit instead.")


def plot_fit_panels(result, x, *, path=None, name: str = "x", weights=None, bins="auto") -> Figure:
    """The four-panel fit figure (2×2): density over a histogram, fitted CDF over the ECDF, Q–Q
    (sample quantiles against ``result.ppf`` at the plotting positions) and P–P (``result.cdf``
    of the sorted data against the plotting positions). ``name`` labels the axes (the data's
    name, e.g. the CLI's column). ``x`` (n,) values, or :class:`maxlik.Censored` (the panels then
    show Turnbull's NPMLE, as fitdistrplus's ``plotdistcens``); ``weights`` (n,) optional."""
    _require_cdf(result, "plot_fit_panels")
    if isinstance(x, Censored):
        from .fit_figure_censored import plot_censored_panels

        return plot_censored_panels(result, x, path=path, name=name, weights=weights)
    fig = Figure(figsize=(10, 8))
    (a_dens, a_cdf), (a_qq, a_pp) = fig.subplots(2, 2)
    xs, w = _sorted(x, weights)
    plot_fit(result, xs, ax=a_dens, bins=bins, xlabel=name, weights=w)
    a_dens.set_title(TITLES[0])
    a_dens.legend(fontsize=8)
    _cdf_panel(a_cdf, result, xs, w, name)
    _qq_panel(a_qq, result, xs, w, name)
    _pp_panel(a_pp, result, xs, w)
    fig.suptitle(fit_title(result).replace("\n", "; "))
    return finish(fig, path)


def plot_diagnostics(result, x, *, path=None, name: str = "x", weights=None) -> Figure:
    """Q–Q, P–P, and fitted CDF against the empirical CDF, in a row (the panels of
    :func:`plot_fit_panels` without the density)."""
    _require_cdf(result, "plot_diagnostics")
    xs, w = _sorted(x, weights)
    fig = Figure(figsize=(12, 4))
    ax1, ax2, ax3 = fig.subplots(1, 3)
    _qq_panel(ax1, result, xs, w, name)
    _pp_panel(ax2, result, xs, w)
    _cdf_panel(ax3, result, xs, w, name)
    return finish(fig, path)
