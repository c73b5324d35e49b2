"""Detection of (quasi-)complete separation in binary and multinomial logistic regression.

The logistic MLE exists iff no direction β ≠ 0 has sₙ xₙᵀβ ≥ 0 for every row (sₙ = ±1 from the
label). We solve the linear program  max Σₙ sₙ xₙᵀβ  s.t. sₙ xₙᵀβ ≥ 0, −1 ≤ β ≤ 1  (scipy's
HiGHS). A positive optimum is a separating direction: complete separation when sₙxₙᵀβ ≥ 1 is
feasible for every row (a second LP), quasi-complete otherwise. The features with non-zero weight in β are reported.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

#: The LP check runs when Newton fails or some fitted logit exceeds this in absolute value
#: (probability within ~3e-7 of 0 or 1): diverging coefficients drive some logits there.
SUSPICIOUS_LOGIT = 15.0


def separating_direction(A: np.ndarray, s: np.ndarray):
    """A (n, p) design (rows with positive weight), s (n,) in {−1, +1}.
    Returns (beta, kind) with kind in {"complete", "quasi-complete"}, or (None, None)."""
    M = A * s[:, None]
    scale = np.maximum(np.abs(M).max(axis=0), 1e-300)
    Ms = M / scale
    res = linprog(-Ms.sum(axis=0), A_ub=-Ms, b_ub=np.zeros(len(s)), bounds=[(-1, 1)] * A.shape[1],
                  method="highs")
    if res.status != 0 or -res.fun <= 1e-7 * len(s):
        return None, None
    beta = res.x
    strict = linprog(np.zeros(A.shape[1]), A_ub=-Ms, b_ub=-np.ones(len(s)), bounds=[(None, None)] * A.shape[1],
                     method="highs")
    if strict.status == 0:  # every row strictly on its side: complete separation
        return strict.x / scale, "complete"
    return beta / scale, "quasi-complete"


def culprits(A, s, names, beta, max_checks=20):
    """Names of the features that separate the classes on their own (with the intercept, if any);
    if none does, the features carrying the separating direction ``beta``, largest first."""
    w = np.abs(beta)
    order = [i for i in np.argsort(-w) if w[i] > 1e-9 * w.max() and names[i] != "intercept"]
    base = [i for i, nm in enumerate(names) if nm == "intercept"]
    alone = [i for i in order[:max_checks] if separating_direction(A[:, base + [i]], s)[0] is not None]
    return [names[i] for i in (alone or order)]


def separation_message(owner, feats, kind, remedy="Use penalty='l2' (a Gaussian prior, MAP estimate), or remove or merge"):
    shown = ", ".join(map(repr, feats[:5])) + (" ..." if len(feats) > 5 else "")
    feats = shown
    return (
        f"{owner}: the classes must not be separable for the maximum likelihood estimate to exist; "
        f"got {kind} separation by the feature(s) {feats or '(intercept only)'} (the coefficients diverge "
        f"to infinity). {remedy} the separating feature(s)."
    )
