"""NumPy pieces shared by the families' ``log_prob_derivatives`` (issue #11: small fits without JAX).

- :func:`assemble` packs per-parameter columns into ``d1 (n, P)`` and a symmetric ``d2 (n, P, P)``.
- :func:`location_scale` applies the chain rule for log p = f(z) − log s, z = (x − μ) / s.
- :func:`shift_diff` computes F(a + b) − F(a) for F = log Γ, ψ, ψ₁ without the cancellation of
  the plain difference when b ≪ a (large concentrations, large counts).

scipy.special is imported inside the functions: importing it costs ~0.3 s, and this module is
loaded with the families by ``import maxlik`` paths.
"""

from __future__ import annotations

import math

import numpy as np

# Taylor branch of shift_diff: used where b ≤ TAYLOR_RATIO · a, with TAYLOR_TERMS terms. The
# terms shrink like (b / a)ᵏ (the nearest pole of ψ is at 0, a away), and 0.05¹⁴ < 1e-17. Above
# the ratio the plain difference loses at most ~20 ulps (|F(a)| / |F(a + b) − F(a)| ≤ ~20).
TAYLOR_RATIO = 0.05
TAYLOR_TERMS = 14


def per_row(value):
    """A parameter for ``log_prob_derivatives``: a Python float for one value (the formulas then
    keep float arithmetic: ``1.0 / 0.0`` raises, which the Newton kernel treats as a failed
    point), or a float64 array (n,) of per-row values (:func:`maxlik.fit_groups` evaluates every
    group's θ in one pass; families with ``derivatives_broadcast = True`` accept it)."""
    return float(value) if np.ndim(value) == 0 else np.asarray(value, dtype=float)


def log(value):
    """math.log for a positive float, np.log otherwise (an array, see :func:`per_row`; or a scale
    that underflowed to 0 in a trial step: -inf, which the line search rejects, not a ValueError)."""
    if isinstance(value, float) and value > 0:
        return math.log(value)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(value)


def on_runs(fn, *values):
    """``fn(*values)`` for floats; where some are arrays (n,) of per-row values (see
    :func:`per_row`), ``fn`` (elementwise, returning a tuple of arrays) runs once per run of rows
    with equal values — once per group, as fit_groups passes its rows grouped — and its results
    are repeated back to (n,). For the terms that depend on the parameters only (special
    functions of ν, say), which would otherwise be evaluated on every row."""
    if all(isinstance(v, float) for v in values):
        return fn(*values)
    n = next(v.shape[0] for v in values if not isinstance(v, float))
    rows = [np.broadcast_to(v, (n,)) for v in values]
    change = np.zeros(max(n - 1, 0), dtype=bool)
    for r in rows:
        change |= r[1:] != r[:-1]
    starts = np.concatenate([[0], np.flatnonzero(change) + 1]).astype(np.intp) if n else np.zeros(0, dtype=np.intp)
    counts = np.diff(np.append(starts, n))
    return tuple(np.repeat(np.asarray(t, dtype=float), counts) for t in fn(*(r[starts] for r in rows)))


def assemble(n: int, d1: list, d2_upper: list[list]):
    """``d1`` (n, P) from P columns and the symmetric ``d2`` (n, P, P) from its upper triangle
    given row by row (``[[d2₀₀, d2₀₁], [d2₁₁]]``); entries may be scalars (broadcast)."""
    P = len(d1)
    g = np.empty((n, P))
    for j, col in enumerate(d1):
        g[:, j] = col
    h = np.empty((n, P, P))
    for j, row in enumerate(d2_upper):
        for k, v in enumerate(row, start=j):
            h[:, j, k] = v
            h[:, k, j] = v
    return g, h


def location_scale(z, scale: float, f1, f2):
    """``(d1 (n, 2), d2 (n, 2, 2))`` of log p = f(z) − log s, z = (x − μ) / s, in the order
    (loc, scale), from f′(z) and f″(z) (arrays (n,)):

        ∂μ = −f′/s              ∂s = −(1 + z f′)/s
        ∂μμ = f″/s²   ∂μs = (f′ + z f″)/s²   ∂ss = (1 + 2z f′ + z² f″)/s²
    """
    s2 = scale * scale
    zf2 = z * f2
    return assemble(
        z.shape[0],
        [-f1 / scale, -(1.0 + z * f1) / scale],
        [[f2 / s2, (f1 + zf2) / s2], [(1.0 + z * (2.0 * f1 + zf2)) / s2]],
    )


def _polygamma(order: int, a):
    """ψ^(order)(a) for order ≥ −1, with ψ^(−1) = log Γ; ψ^(n) = (−1)^(n+1) n! ζ(n+1, a) for n ≥ 1
    (scipy's ``zeta`` ufunc: ``polygamma``'s Python wrapper costs ~15 µs a call)."""
    from scipy.special import digamma, gammaln, zeta

    if order == -1:
        return gammaln(a)
    if order == 0:
        return digamma(a)
    return (-1.0) ** (order + 1) * math.factorial(order) * zeta(order + 1.0, a)


def _taylor_coefficients(order: int, a: float) -> np.ndarray:
    """ψ^(order+1)(a), …, ψ^(order+TAYLOR_TERMS)(a)."""
    from scipy.special import digamma, zeta

    k = np.arange(order + 1, order + TAYLOR_TERMS + 1)
    pos = np.maximum(k, 1)
    coef = (-1.0) ** (pos + 1) * _FACTORIALS[pos] * zeta(pos + 1.0, a)
    if order == -1:
        coef[0] = digamma(a)
    return coef


_FACTORIALS = np.array([math.factorial(k) for k in range(TAYLOR_TERMS + 2)], dtype=float)


def _step(order: int, a: float, b):
    """f(a + b) − f(a) for the recurrence F(x + 1) = F(x) + f(x) of F = ψ^(order):
    f = log x (log Γ), 1/x (ψ), −1/x² (ψ₁)."""
    if order == -1:
        return np.log1p(b / a)
    if order == 0:
        return -b / (a * (a + b))
    if order == 1:
        return b * (2.0 * a + b) / (a * a * (a + b) ** 2)
    raise ValueError(f"shift_diff: order must be -1, 0 or 1; got {order}.")


def _taylor_coefficients_rows(order: int, a: np.ndarray) -> np.ndarray:
    """:func:`_taylor_coefficients` for each entry of ``a`` (m,): (m, TAYLOR_TERMS)."""
    from scipy.special import digamma, zeta

    k = np.arange(order + 1, order + TAYLOR_TERMS + 1)
    pos = np.maximum(k, 1)
    coef = (-1.0) ** (pos + 1) * _FACTORIALS[pos] * zeta(pos + 1.0, a[:, None])
    if order == -1:
        coef[:, 0] = digamma(a)
    return coef


def _shift_diff_rows(order: int, a: np.ndarray, b) -> np.ndarray:
    """:func:`shift_diff` elementwise for an array ``a`` (m,), ``b`` broadcast to it."""
    a = np.asarray(a, dtype=float)
    b = np.broadcast_to(np.asarray(b, dtype=float), a.shape)
    out = np.asarray(_polygamma(order, a + b) - _polygamma(order, a), dtype=float).copy()
    near = (b > 0.0) & (b <= TAYLOR_RATIO * a)
    if not near.any():
        return out
    an, bn = a[near], b[near]
    below = an < 1.0
    coef = _taylor_coefficients_rows(order, np.where(below, an + 1.0, an))
    acc = np.zeros_like(bn)
    for k in range(TAYLOR_TERMS, 0, -1):
        acc = bn / k * (coef[:, k - 1] + acc)
    out[near] = np.where(below, acc - _step(order, an, bn), acc)
    return out


def shift_diff(order: int, a: float, b):
    """F(a + b) − F(a) for F = log Γ (order −1), ψ (0) or ψ₁ (1); a > 0 a float, b ≥ 0 (array).

    Where 0 < b ≤ 0.05 a, the Taylor series Σₖ bᵏ/k! · ψ^(order+k)(a) (all terms accurate to a
    few ulps), after one step of the recurrence F(a + b) − F(a) = [F(a+1+b) − F(a+1)] −
    [f(a+b) − f(a)] when a < 1 (so the polygammas stay finite); elsewhere the plain difference
    (exactly 0 at b = 0).
    """
    if np.ndim(a):  # one a per entry (per-row parameters): elementwise
        return _shift_diff_rows(order, a, b)
    a = float(a)
    b = np.asarray(b, dtype=float)
    out = np.asarray(_polygamma(order, a + b) - _polygamma(order, a), dtype=float)
    near = (b > 0.0) & (b <= TAYLOR_RATIO * a)
    if not near.any():
        return out
    bn = b[near] if b.ndim else b
    a0 = a + 1.0 if a < 1.0 else a
    coef = _taylor_coefficients(order, a0)
    acc = np.zeros_like(bn)
    for k in range(TAYLOR_TERMS, 0, -1):  # Horner: b/1·(c₁ + b/2·(c₂ + b/3·(c₃ + …)))
        acc = bn / k * (coef[k - 1] + acc)
    if a < 1.0:
        acc = acc - _step(order, a, bn)
    if not b.ndim:
        return acc
    out = out.copy()
    out[near] = acc
    return out
