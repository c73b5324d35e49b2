"""Figures of what the likelihood is doing. Every function returns a matplotlib Figure (built
without pyplot, so it works headless) and writes it to ``path`` when one is given.

- :func:`plot_fit_panels`   the four-panel fit figure: density, CDF, Q–Q (fitted ppf), P–P; for
                            censored data against Turnbull's NPMLE (:mod:`maxlik.fit_figure`)
- :func:`plot_fit`          fitted density over a histogram (pmf over bars for discrete data)
- :func:`plot_diagnostics`  Q–Q, P–P and fitted CDF vs the empirical CDF (three of the four panels)
- :func:`plot_profile`      the profile NLL of each parameter, Wald and profile intervals
- :func:`plot_contour`      NLL over two parameters
- :func:`plot_candidates`   several fitted densities over the same data, NLL in the legend
- :func:`plot_classes`      2-D classes with Gaussian contours and the decision boundary
- :func:`plot_mixture`      2-D mixture components as contours
- :func:`plot_trace`        a log-likelihood trace per iteration (EM must rise monotonically)
- :func:`plot_simulation`   bias and interval coverage of the MLE against n (:func:`maxlik.simulate`;
  in :mod:`maxlik.plot_sampling`)
- :func:`plot_bic`          BIC against the number of components, one line per covariance model (mclust's plot)
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from scipy.stats import chi2

from ._figures import density as _density
from ._figures import finish as _finish
from ._figures import grid as _grid
from ._figures import jparams as _jparams
from ._xp import jnp
from .fit_figure import fitted_cdf, plot_diagnostics, plot_fit, plot_fit_panels, plotting_positions, pp_points, qq_points
from .plot_sampling import plot_simulation  # noqa: F401  (re-exported: every figure is in maxlik.plot)

__all__ = ["plot_fit", "plot_fit_panels", "plot_diagnostics", "fitted_cdf", "plotting_positions", "qq_points",
           "pp_points", "plot_profile", "profile_curve", "plot_contour", "plot_candidates", "plot_classes", "plot_mixture", "plot_trace"]


def _nll_fn(fam, x, weights=None):
    xj = jnp.asarray(np.asarray(x, dtype=float))
    w = None if weights is None else jnp.asarray(weights)

    def nll(params):
        lp = fam.log_prob(_jparams(params), xj)
        return float(-(lp.sum() if w is None else (w * lp).sum()))

    return nll


def profile_curve(result, name: str, grid: np.ndarray) -> np.ndarray:
    """The profile NLL −ℓₚ(θ) = −max over the other free parameters of ℓ, at each θ of ``grid``
    (k,) for the scalar parameter ``name``: the refits behind ``conf_int(method="profile")``
    (:mod:`maxlik.profile`). NaN where a refit fails."""
    out = np.full(grid.shape, np.nan)
    for i, g in enumerate(grid):
        try:
            out[i] = -float(result._profile({name: float(g)}))
        except Exception:  # noqa: BLE001  (a refit that fails leaves a gap in the curve)
            pass
    return out


def plot_profile(result, x, *, path=None, weights=None, width: float = 4.0, level: float = 0.95, profile: bool = True,
                 n_points: int = 81) -> Figure:
    """The profile NLL of each scalar free parameter (the others re-maximised at every point,
    :func:`profile_curve`), with the Wald interval and the profile-likelihood interval, whose
    ends lie where the curve crosses the dashed cut-off min + χ²₁(level)/2. A result without
    its data (rebuilt from JSON), or ``profile=False``, draws the slice with the others at the
    MLE from ``x`` (and ``weights``) instead. The grid spans the estimate ± ``width`` standard
    errors, widened to hold the profile interval; ``ax.lines[0]`` holds the curve."""
    # a fit at its family's limit (status BOUNDARY: df = ∞) is drawn as that model (the Normal), a slice
    limit = getattr(result, "limit", None)
    fam, base = (result.family, result.params) if limit is None else (limit.family, limit.params)
    has_profile = profile and limit is None and getattr(result, "_profile", None) is not None
    nll = None if has_profile else _nll_fn(fam, x, weights)
    names = [k for k in result.free if k in base and np.ndim(base[k]) == 0]
    se, wald = result.stderr, result.conf_int(level)
    prof = result.conf_int(level, method="profile") if has_profile else None
    fig = Figure(figsize=(5 * len(names), 4))
    axes = np.atleast_1d(fig.subplots(1, len(names)))
    cut = -result.loglik + chi2.ppf(level, 1) / 2
    for ax, k in zip(axes, names):
        est, s = float(result.params[k]), float(se[k]) or abs(float(result.params[k])) * 0.1 or 0.1
        lo, hi = est - width * s, est + width * s
        if prof is not None:
            a, b = (float(v) for v in prof[k])
            lo = min(lo, a - 0.15 * (est - a)) if np.isfinite(a) else lo
            hi = max(hi, b + 0.15 * (b - est)) if np.isfinite(b) else hi
        grid = np.linspace(lo, hi, n_points)
        grid = grid[result.family.param(k).constraint.check(grid)]
        if has_profile:
            ax.plot(grid, profile_curve(result, k, grid), lw=2, label="profile NLL (others re-maximised)")
        else:
            ax.plot(grid, [nll({**base, k: g}) for g in grid], lw=2, label="NLL (others at the MLE)")
        ax.axhline(cut, color="gray", ls="--", lw=1, label=f"min + χ²₁({level:g})/2")
        ax.axvline(est, color="k", lw=1)
        ax.axvspan(*map(float, wald[k]), color="C1", alpha=0.15, label="Wald interval")
        if prof is not None:
            for end in prof[k]:
                ax.axvline(float(end), color="C2", ls=":", lw=2)
            ax.plot([], [], color="C2", ls=":", label="profile interval")
        ax.set(xlabel=k, ylabel="negative log-likelihood", title=f"{k} = {est:.4g}")
        ax.legend(fontsize=8)
    return _finish(fig, path)


def plot_contour(result, x, params: tuple[str, str] | None = None, *, path=None, weights=None, width: float = 4.0) -> Figure:
    """NLL over a grid of two free scalar parameters (the others at the MLE)."""
    nll = _nll_fn(result.family, x, weights)
    names = params or tuple(k for k in result.free if np.ndim(result.params[k]) == 0)[:2]
    a, b = names
    se = result.stderr
    ga = np.linspace(result.params[a] - width * se[a], result.params[a] + width * se[a], 60)
    gb = np.linspace(result.params[b] - width * se[b], result.params[b] + width * se[b], 60)
    ga = ga[result.family.param(a).constraint.check(ga)]
    gb = gb[result.family.param(b).constraint.check(gb)]
    Z = np.array([[nll({**result.params, a: va, b: vb}) for va in ga] for vb in gb])
    fig = Figure(figsize=(5.5, 4.5))
    ax = fig.add_subplot()
    levels = Z.min() + chi2.ppf([0.5, 0.8, 0.95, 0.99, 0.999], 2) / 2
    cs = ax.contour(ga, gb, Z, levels=levels)
    ax.clabel(cs, fmt={lv: f"{p:g}" for lv, p in zip(levels, [0.5, 0.8, 0.95, 0.99, 0.999])}, fontsize=8)
    ax.plot(result.params[a], result.params[b], "k+", ms=12, label="MLE")
    ax.set(xlabel=a, ylabel=b, title="NLL contours (joint likelihood regions)")
    ax.legend()
    return _finish(fig, path)


def plot_candidates(results, x, *, path=None, bins="auto", xlabel: str = "x") -> Figure:
    """Several fitted families over the same data; the legend ranks them by NLL. The legend sits
    below the axes, so it never hides a bar or a curve."""
    x = np.asarray(x, dtype=float)
    fig = Figure(figsize=(6.5, 5))
    ax = fig.add_subplot()
    ax.hist(x, bins=bins, density=True, alpha=0.3, color="gray", label="data")
    for r in sorted(results, key=lambda r: -r.loglik):
        grid = _grid(x, r)
        ax.plot(grid, _density(r, grid), lw=2, label=f"{_short(r)}: NLL {-r.loglik:.5g}")
    ax.set(xlabel=xlabel, ylabel="density", title="Which makes the data most likely? (lowest NLL)")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2)
    return _finish(fig, path)


def _short(r) -> str:
    scal = ", ".join(f"{k}={float(v):.3g}" for k, v in r.params.items() if np.ndim(v) == 0)
    return f"{r.family.display_name}({scal})"


def _gauss_logpdf(points: np.ndarray, mean: np.ndarray, cov: np.ndarray) -> np.ndarray:
    L = np.linalg.cholesky(cov)
    z = np.linalg.solve(L, (points - mean).T)
    return -0.5 * (z * z).sum(0) - np.log(np.diag(L)).sum() - points.shape[1] * 0.5 * np.log(2 * np.pi)


def _mesh(X: np.ndarray, n: int = 200):
    lo, hi = X.min(0), X.max(0)
    pad = 0.15 * (hi - lo)
    gx, gy = np.meshgrid(np.linspace(lo[0] - pad[0], hi[0] + pad[0], n), np.linspace(lo[1] - pad[1], hi[1] + pad[1], n))
    return gx, gy, np.column_stack([gx.ravel(), gy.ravel()])


def plot_classes(X, y, means: dict, covs: dict, priors: dict | None = None, *, path=None, feature_names=("x₁", "x₂"), title=None) -> Figure:
    """2-D points by class, each class's fitted Gaussian as density contours, and the decision
    boundary where the two most likely classes' posteriors are equal."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    labels = list(means)
    priors = priors or {c: float(np.mean(y == c)) for c in labels}
    gx, gy, pts = _mesh(X)
    scores = np.stack([np.log(priors[c]) + _gauss_logpdf(pts, np.asarray(means[c]), np.asarray(covs[c])) for c in labels])
    fig = Figure(figsize=(6, 5))
    ax = fig.add_subplot()
    best = scores.argmax(0).reshape(gx.shape)
    ax.contourf(gx, gy, best, levels=np.arange(len(labels) + 1) - 0.5, alpha=0.08, colors=[f"C{i}" for i in range(len(labels))])
    ax.contour(gx, gy, best, levels=np.arange(len(labels)) + 0.5, colors="k", linewidths=1.5)
    for i, c in enumerate(labels):
        dens = np.exp(_gauss_logpdf(pts, np.asarray(means[c]), np.asarray(covs[c]))).reshape(gx.shape)
        ax.contour(gx, gy, dens, levels=4, colors=f"C{i}", linewidths=1, alpha=0.8)
        ax.scatter(*X[y == c].T, s=12, color=f"C{i}", label=str(c))
    ax.plot([], [], "k-", label="decision boundary")
    ax.set(xlabel=feature_names[0], ylabel=feature_names[1], title=title or "Class Gaussians and the decision boundary")
    ax.legend(fontsize=8)
    return _finish(fig, path)


def plot_mixture(X, weights, means, covs, *, path=None, feature_names=("x₁", "x₂"), title=None) -> Figure:
    """2-D data with each mixture component's density contours and the mixture density."""
    X = np.asarray(X, dtype=float)
    gx, gy, pts = _mesh(X)
    fig = Figure(figsize=(6, 5))
    ax = fig.add_subplot()
    ax.scatter(*X.T, s=8, color="gray", alpha=0.6)
    total = np.zeros(len(pts))
    for k, (w, m, c) in enumerate(zip(weights, means, covs)):
        dens = w * np.exp(_gauss_logpdf(pts, np.asarray(m), np.asarray(c)))
        total += dens
        ax.contour(gx, gy, dens.reshape(gx.shape), levels=3, colors=f"C{k}", linewidths=1.2)
        ax.plot(*np.asarray(m)[:2], "x", color=f"C{k}", ms=10, mew=2, label=f"component {k}: weight {w:.2f}")
    ax.contour(gx, gy, total.reshape(gx.shape), levels=8, colors="k", linewidths=0.5, alpha=0.5)
    ax.set(xlabel=feature_names[0], ylabel=feature_names[1], title=title or "Gaussian mixture")
    ax.legend(fontsize=8)
    return _finish(fig, path)


def plot_trace(trace, *, path=None, ylabel="log-likelihood", title="Log-likelihood per iteration", xlabel="iteration") -> Figure:
    """A per-iteration trace (e.g. EM's log-likelihood, which must never decrease)."""
    t = np.asarray(trace, dtype=float)
    fig = Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    ax.plot(np.arange(1, t.size + 1), t, "o-", ms=3)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    return _finish(fig, path)


def plot_bic(selection, *, path=None, mclust_sign: bool = False, title="BIC by number of components") -> Figure:
    """mclust's ``plot(Mclust(...), what = "BIC")``: for a ``select_mixture`` result, BIC against G,
    one line per covariance model, skipped configurations left out (gaps), the best marked.
    ``mclust_sign=True`` plots −BIC (mclust's sign: larger is better)."""
    rows = selection.table
    sign = -1.0 if mclust_sign else 1.0
    fig = Figure(figsize=(6.5, 4.5))
    ax = fig.add_subplot()
    markers = "osd^vpPX*h<>D+"
    for i, model in enumerate(dict.fromkeys(r["covariance_type"] for r in rows)):
        mine = sorted((r for r in rows if r["covariance_type"] == model), key=lambda r: r["n_components"])
        g = [r["n_components"] for r in mine]
        b = [np.nan if r["bic"] is None else sign * r["bic"] for r in mine]
        ax.plot(g, b, marker=markers[i % len(markers)], ms=5, label=model)
    best = next(r for r in rows if (r["covariance_type"], r["n_components"]) == tuple(selection.best_config))
    ax.plot([best["n_components"]], [sign * best["bic"]], "k*", ms=14, mfc="none", label="best")
    ax.set(xlabel="number of components G", ylabel="−BIC (mclust)" if mclust_sign else "BIC (smaller is better)",
           title=title)
    ax.legend(fontsize=8, ncol=2)
    return _finish(fig, path)
