"""Data that admit no maximum: every observation the same value.

For a continuous family whose spread parameter is free, identical observations make the
likelihood grow without bound as the density narrows onto that value (a scale → 0, a Weibull
shape → ∞): there is no MLE, and an optimizer would only wander towards the boundary. The
families' ``check_estimable`` hooks call :func:`require_spread` so the fit says so at once, in
the words the closed-form Normal uses.
"""

from __future__ import annotations

import numpy as np

from ..errors import DegenerateFitError


def require_spread(family, x, weights, fixed, collapsing: str, rule: str, centre: str) -> None:
    """DegenerateFitError when ``collapsing`` and ``centre`` are free (a held centre away from the
    value keeps the likelihood bounded) and every observation of positive weight has one value.
    ``rule``: what ``collapsing`` must be ("positive", "finite")."""
    if fixed and (collapsing in fixed or centre in fixed):
        return
    x = np.asarray(x)
    if x.ndim != 1 or x.size == 0 or x.dtype.kind not in "fiu":
        return
    if weights is not None:
        x = x[np.asarray(weights) > 0]
        if x.size == 0:
            return
    if not np.all(x == x[0]):
        return
    raise DegenerateFitError(
        f"{family.display_name}: {collapsing} must be {rule}, but all {x.size} observations are equal "
        f"({float(x[0]):g}), so the likelihood grows without bound as the distribution narrows and no MLE "
        f"exists. Fix {collapsing} with fixed={{'{collapsing}': ...}}, or add varied data."
    )
