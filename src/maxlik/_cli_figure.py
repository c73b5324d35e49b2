"""The figure of ``maxlik fit --plot``: its panels, its format (named by the file's suffix and
checked before the fit), and its atomic write."""

from __future__ import annotations

from ._paths import atomic_path
from .errors import OutputPathError


def _fit_figure(result, x, weights, name: str):
    """The figure of --plot: the four panels of plot.plot_fit_panels (density, CDF, Q–Q, P–P;
    Turnbull's NPMLE for censored data), axes named ``name``; the density over a histogram for
    a family without distribution functions."""
    from .plot import plot_fit, plot_fit_panels

    if result.family.has_distribution_functions:
        return plot_fit_panels(result, x, name=name, weights=weights)
    return plot_fit(result, x, xlabel=name)


def _figure_format(path: str) -> str:
    """The figure format named by the suffix of ``path`` (png when there is none)."""
    from pathlib import Path

    return Path(path).suffix[1:].lower() or "png"


def _check_figure_format(path: str) -> None:
    """--plot must name a format matplotlib writes; checked before the fit, not after it."""
    from matplotlib.backend_bases import FigureCanvasBase

    kinds = FigureCanvasBase.get_supported_filetypes()
    if _figure_format(path) not in kinds:
        raise OutputPathError(f"maxlik fit: --plot must end in a figure format ({', '.join(sorted(kinds))}); "
                              f"got {path!r}. Name a file such as fit.png or fit.pdf.")


def _write_figure(fig, path: str) -> None:
    """Save ``fig`` to ``path`` through a temporary file in the same folder (nothing half-written)."""
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110, format=_figure_format(path))
