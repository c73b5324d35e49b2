"""The BIC table of a mixture selection in R mclust's layout: one row per number of components G,
one column per covariance model, NA where the configuration was skipped (mclust prints NA for a
singular or degenerate fit), then the best three and the notes.

maxlik's sign is kept: BIC = −2ℓ + k log n, smaller is better (mclust prints 2ℓ − k log n,
larger is better: the same numbers with the sign flipped). Columns are printed in blocks that fit
``width`` characters, as R prints a wide matrix.
"""

from __future__ import annotations

from ..results import SUMMARY_WIDTH, wrap_text

MCLUST_NAMES = {"full": "VVV", "tied": "EEE", "diag": "VVI", "spherical": "VII"}
CELL = 12


def model_label(covariance_type: str) -> str:
    """'tied (EEE)' for scikit-learn's names, the mclust name itself otherwise."""
    alias = MCLUST_NAMES.get(covariance_type)
    return f"{covariance_type} ({alias})" if alias else covariance_type


def bic_grid(table: list[dict]) -> tuple[list[str], list[int], dict]:
    """(models in table order, G values ascending, {(model, G): BIC or None})."""
    models = list(dict.fromkeys(r["covariance_type"] for r in table))
    ks = sorted({r["n_components"] for r in table})
    return models, ks, {(r["covariance_type"], r["n_components"]): r["bic"] for r in table}


def bic_table(table: list[dict], best_config, width: int = SUMMARY_WIDTH) -> str:
    """The mclust-layout text: the grid, the top three, the skipped and flagged rows."""
    models, ks, grid = bic_grid(table)
    per_block = max(1, (width - 4) // CELL)
    lines = ["BIC = -2 loglik + k log n, smaller is better (mclust prints -BIC); NA: skipped", ""]
    for start in range(0, len(models), per_block):
        block = models[start : start + per_block]
        lines.append(f"{'G':>3} " + "".join(f"{MCLUST_NAMES.get(m, m):>{CELL}}" for m in block))
        if any(m in MCLUST_NAMES for m in block):
            lines.append("    " + "".join(f"{m if m in MCLUST_NAMES else '':>{CELL}}" for m in block))
        for k in ks:
            cells = []
            for m in block:
                v = grid.get((m, k), "absent")
                cells.append("" if v == "absent" else "NA" if v is None else f"{v:.3f}")
            lines.append(f"{k:>3} " + "".join(f"{c:>{CELL}}" for c in cells))
        lines.append("")
    fitted = sorted((r for r in table if r["bic"] is not None), key=lambda r: r["bic"])
    top = ", ".join(f"{model_label(r['covariance_type'])} G={r['n_components']}: {r['bic']:.3f}" for r in fitted[:3])
    lines += wrap_text(f"Top 3: {top}", width, "", "  ")
    if best_config is not None:
        best = next(r for r in table if (r["covariance_type"], r["n_components"]) == tuple(best_config))
        lines.append(f"Best: {model_label(best['covariance_type'])}, G={best['n_components']}, "
                     f"loglik {best['loglik']:.4f}, {best['n_params']} parameters")
    notes = [r for r in table if r["status"] != "ok"]
    if notes:
        lines.append("Notes:")
        for r in notes:
            lines += wrap_text(f"{r['covariance_type']}, G={r['n_components']}: {r['status']}", width, "  ", "    ")
    return "\n".join(lines)


__all__ = ["MCLUST_NAMES", "bic_grid", "bic_table", "model_label"]
