"""Figures of :func:`maxlik.simulate`: bias and interval coverage against the sample size."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure


def plot_simulation(sim, *, path=None, parameters=None, theory: dict | None = None) -> Figure:
    """Two panels over n (log scale): the bias of each quantity with ±2 Monte-Carlo standard errors
    (and, for a name in ``theory``, the curve n -> theory[name](n), e.g. {"variance": lambda n: -4 / n}),
    and the Wald and profile coverage of each parameter against the nominal level (its ±2 s.e.
    band shaded)."""
    names = list(parameters or sim.parameters)
    fig = Figure(figsize=(10, 4))
    ax_b, ax_c = fig.subplots(1, 2)
    n = np.asarray(sim.sizes, dtype=float)
    for name in names:
        bias, se = np.asarray(sim.column("bias", name)), np.asarray(sim.column("bias_se", name))
        line = ax_b.errorbar(n, bias, yerr=2 * se, marker="o", capsize=3, label=name)
        if theory and name in theory:
            grid = np.geomspace(n.min(), n.max(), 100)
            ax_b.plot(grid, [theory[name](v) for v in grid], "--", color=line[0].get_color(), label=f"{name}: theory")
    ax_b.axhline(0.0, color="0.5", lw=0.8)
    ax_b.set(xscale="log", xlabel="sample size n", ylabel="bias of the MLE (mean − true)", title="Bias (± 2 MC s.e.)")
    ax_b.legend(fontsize=8)
    band = 2 * np.sqrt(sim.level * (1 - sim.level) / sim.n_rep)
    ax_c.axhspan(sim.level - band, sim.level + band, color="0.9")
    ax_c.axhline(sim.level, color="0.4", lw=0.8, label=f"nominal {100 * sim.level:g}%")
    for name in names:
        for kind, style in (("wald", "-o"), ("profile", "--s")):
            cov = np.asarray(sim.column(f"{kind}_coverage", name), dtype=float)
            if np.isfinite(cov).any():
                ax_c.plot(n, cov, style, label=f"{name} ({kind})")
    ax_c.set(xscale="log", xlabel="sample size n", ylabel="coverage", title="Interval coverage")
    ax_c.legend(fontsize=8)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    return fig
