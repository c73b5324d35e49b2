"""Helpers shared by the figure modules (:mod:`maxlik.plot`, :mod:`maxlik.fit_figure`): a Figure's
finish and save, the fitted density on a grid, the plotting grid of a fit."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ._xp import jnp


def finish(fig: Figure, path) -> Figure:
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    return fig


def jparams(params: dict) -> dict:
    return {k: jnp.asarray(v) for k, v in params.items()}


def density(result, grid: np.ndarray) -> np.ndarray:
    """The fitted density (probability mass for a discrete family) at ``grid`` (k,)."""
    return np.exp(np.asarray(result.family.log_prob(jparams(result.params), jnp.asarray(grid))))


def is_discrete(result) -> bool:
    return bool(getattr(result.family.support, "is_discrete", False))


def grid(x: np.ndarray, result, n: int = 400) -> np.ndarray:
    """Points to draw the fit at: the integers over x's range (discrete), else ``n`` points over
    the range padded by 10%, inside the support."""
    if is_discrete(result):
        return np.arange(int(x.min()), int(x.max()) + 1, dtype=float)
    lo, hi = float(x.min()), float(x.max())
    pad = 0.1 * (hi - lo or 1.0)
    g = np.linspace(lo - pad, hi + pad, n)
    return g[result.family.support.check(g)]


def fit_title(result) -> str:
    """``Family: k=v, ...`` and the log-likelihood, for a figure's title."""
    params = ", ".join(f"{k}={float(v):.4g}" for k, v in result.params.items() if np.ndim(v) == 0)
    return f"{result.family.display_name}: {params}\nlog-likelihood {result.loglik:.5g}"
