"""The four-panel fit figure for censored data, drawn from Turnbull's NPMLE (:mod:`maxlik.turnbull`)
as fitdistrplus's ``plotdistcens`` draws it with NPMLE.method "Wang" or "Turnbull.intervals"
(R/plotdistcens.R of github.com/lbbe-software/fitdistrplus, read at commit 05538c2).

The NPMLE puts mass pⱼ on Turnbull intervals (lⱼ, rⱼ] and says nothing about where inside an
interval it lies, so with F̂ⱼ⁻ = Σ_{k<j} pₖ and F̂ⱼ = F̂ⱼ⁻ + pⱼ each interval is a rectangle:

    CDF  [lⱼ, rⱼ] × [F̂ⱼ⁻, F̂ⱼ]                      the NPMLE's bounds as two step lines, the
                                                 non-unique parts shaded; the fitted CDF over it
    Q–Q  [F⁻¹(F̂ⱼ⁻), F⁻¹(F̂ⱼ)] × [lⱼ, rⱼ]          theoretical (fitted ``ppf``) against empirical
    P–P  [F(lⱼ), F(rⱼ)] × [F̂ⱼ⁻, F̂ⱼ]              fitted ``cdf`` against the NPMLE

(a point mass {v} is a segment). plotdistcens has no density panel; here it is a histogram of
the NPMLE's mass, each interval's mass spread evenly over it (bars on the Turnbull intervals
themselves when there are at most 40 and none is a point, else on even bins; for a discrete
family one bar per integer, (a, b] holding a+1 … b), with the mass on unbounded intervals left
out (and said so in the title). Interval ends beyond the fitted support
(ppf(0), ppf(1)) are cut to it — (−∞, b] is (0, b] for a positive family — and ends that stay
infinite are drawn 100 ranges beyond the data, as plotdistcens does.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from ._figures import density, finish, fit_title, is_discrete
from .turnbull import npmle

TITLES = ("NPMLE and theoretical densities", "NPMLE and theoretical CDFs", "Q–Q plot", "P–P plot")


def _rectangles(ax, x0, x1, y0, y1):
    """[x0ᵢ, x1ᵢ] × [y0ᵢ, y1ᵢ], grey with black edges, as one collection (thousands draw fast);
    a rectangle of no width or height is drawn as its edge, a segment."""
    verts = np.stack([np.c_[x0, y0], np.c_[x1, y0], np.c_[x1, y1], np.c_[x0, y1]], axis=1)
    ax.add_collection(PolyCollection(verts, facecolors="lightgrey", edgecolors="black", linewidths=1))


def _finite(v: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return np.where(v == -np.inf, lo, np.where(v == np.inf, hi, v))


def mass_histogram(left, right, mass, edges) -> np.ndarray:
    """(k,) NPMLE mass per bin [eᵢ, eᵢ₊₁) of ``edges`` (k+1,): each finite interval's mass spread
    evenly over (l, r], a point's mass in the bin that holds it (the last bin holds its right
    edge); unbounded intervals add nothing."""
    out = np.zeros(edges.size - 1)
    point = left == right
    i = np.clip(np.searchsorted(edges, left[point], side="right") - 1, 0, out.size - 1)
    np.add.at(out, i, mass[point])
    ok = ~point & np.isfinite(left) & np.isfinite(right)
    l, r, p = left[ok, None], right[ok, None], mass[ok, None]
    overlap = np.clip(np.minimum(r, edges[None, 1:]) - np.maximum(l, edges[None, :-1]), 0, None)
    return out + (p * overlap / (r - l)).sum(0)


def _density_panel(ax, result, left, right, mass, n: int, name: str):
    bounded = np.isfinite(left) & np.isfinite(right)
    lost = float(mass[~bounded].sum())
    title = TITLES[0] + (f"\n({100 * lost:.1f}% of the NPMLE mass on unbounded intervals not drawn)" if lost > 0 else "")
    if not bounded.any():
        ax.text(0.5, 0.5, "no histogram: the NPMLE puts all its\nmass on unbounded intervals",
                transform=ax.transAxes, ha="center", va="center")
        ends = np.concatenate([left, right])
        lo, hi = float(np.min(ends[np.isfinite(ends)])), float(np.max(ends[np.isfinite(ends)]))
    else:
        lo, hi = float(left[bounded].min()), float(right[bounded].max())
        hi = hi if hi > lo else lo + 1.0
        if is_discrete(result):  # one bar per integer; (a, b] holds the integers a+1 … b
            edges = np.arange(np.floor(lo) - 0.5, np.ceil(hi) + 1.0)
            shift = np.where(left == right, 0.0, 0.5)
            bars = mass_histogram(left + shift, right + shift, mass, edges)
        else:  # bars on the intervals themselves when they are few and none is a point; else even bins
            ends = np.unique(np.concatenate([left[bounded], right[bounded]]))
            few = ends.size <= 41 and not (left == right).any()
            edges = ends if few else np.linspace(lo, hi, int(np.clip(np.sqrt(n), 5, 30)) + 1)
            bars = mass_histogram(left, right, mass, edges)
        ax.stairs(bars / np.diff(edges), edges, fill=True, alpha=0.4, label="NPMLE mass (even within intervals)")
    pad = 0.1 * (hi - lo or 1.0)
    g = np.linspace(lo - pad, hi + pad, 400)
    g = np.unique(np.round(g)) if is_discrete(result) else g
    g = g[result.family.support.check(g)]
    ax.plot(g, density(result, g), "o-" if is_discrete(result) else "-", color="C1", lw=2, label="fitted")
    ax.set(title=title, xlabel=name, ylabel="probability" if is_discrete(result) else "density")
    ax.legend(fontsize=8, loc="upper right")


def plot_censored_panels(result, data, *, path=None, name: str = "x", weights=None) -> Figure:
    """The 2×2 fit figure of ``result`` on censored ``data`` (:class:`maxlik.Censored`) against
    Turnbull's NPMLE of ``data`` (``weights`` (n,) optional); see the module docstring."""
    f = npmle(data, weights=weights)
    lo_s, hi_s = float(result.ppf(0.0)), float(result.ppf(1.0))
    left, right = np.maximum(f.left, lo_s), np.minimum(f.right, hi_s)
    before, after = f.cdf_before, f.cdf_after
    k = left.size
    ends = np.concatenate([left, right])
    ends = ends[np.isfinite(ends)]
    width = float(ends.max() - ends.min()) or 1.0
    far_lo, far_hi = ends.min() - 100 * width, ends.max() + 100 * width
    xlim = (ends.min() - 0.1 * width, ends.max() + 0.1 * width)
    L, R = _finite(left, far_lo, far_hi), _finite(right, far_lo, far_hi)

    fig = Figure(figsize=(10, 8))
    (a_dens, a_cdf), (a_qq, a_pp) = fig.subplots(2, 2)
    _density_panel(a_dens, result, left, right, f.mass, data.n, name)

    # CDF: the lower bound steps up at each rⱼ, the upper bound at each lⱼ (plotdistcens' two lines)
    a_cdf.plot(np.concatenate([[L[0]], np.repeat(R, 2), [R[-1]]]), np.repeat(np.concatenate([[0.0], after]), 2), "k-", lw=1)
    a_cdf.plot(np.repeat(np.concatenate([L, [R[-1]]]), 2), np.concatenate([[0.0], np.repeat(after, 2), [1.0]]), "k-", lw=1)
    _rectangles(a_cdf, L, R, before, after)
    g = np.linspace(*xlim, 401)
    a_cdf.plot(g, result.cdf(g), color="C3", lw=2, label="fitted CDF")
    a_cdf.plot([], [], "s", color="lightgrey", mec="black", label="NPMLE (non-unique where shaded)")
    a_cdf.set(title=TITLES[1], xlabel=name, ylabel="CDF", xlim=xlim, ylim=(-0.02, 1.02))
    a_cdf.legend(fontsize=8, loc="lower right")

    q_lo, q_hi = (_finite(result.ppf(np.clip(p, 0.0, 1.0)), far_lo, far_hi) for p in (before, after))
    qlim = (min(xlim[0], q_hi[:-1].min(initial=xlim[0])), max(xlim[1], q_lo[1:].max(initial=xlim[1])))
    _rectangles(a_qq, q_lo, q_hi, L, R)
    a_qq.axline((qlim[0], qlim[0]), slope=1, color="k", lw=1)
    a_qq.set(title=TITLES[2], xlabel=f"theoretical quantiles of {name}", ylabel=f"empirical quantiles of {name}",
             xlim=qlim, ylim=qlim)

    def cdf(v):  # F at interval ends, F(−∞) = 0 and F(∞) = 1
        return np.where(np.isfinite(v), result.cdf(np.where(np.isfinite(v), v, 0.0)), (v > 0).astype(float))

    _rectangles(a_pp, cdf(left), cdf(right), before, after)
    a_pp.axline((0, 0), slope=1, color="k", lw=1)
    a_pp.set(title=TITLES[3], xlabel="theoretical probabilities", ylabel="empirical probabilities (NPMLE)",
             xlim=(0, 1), ylim=(0, 1))
    fig.suptitle(fit_title(result).replace("\n", "; ") + f"; NPMLE: {k} Turnbull intervals")
    return finish(fig, path)
