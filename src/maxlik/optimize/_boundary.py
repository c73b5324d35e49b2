"""Estimates that run to the edge of their domain: the fit is the family's limiting model.

After the optimizer stops, a family that declares a limit (``Family.limit_fit``: Student's t as
df → ∞ is the Normal) has that limit fitted to the same data. When the limit's log-likelihood is
at least the optimum's, less ``LIMIT_TOL``, the likelihood has no interior maximum worth the
name: it rises (or stays flat to rounding) all the way to the edge, and the optimizer's "estimate"
(df = 4.8·10⁷, say, with a standard error of 10¹⁰, or a Hessian that is not positive definite) is
only where it stopped. The result is then the limit, reported with ``Status.BOUNDARY``: the
parameter at its edge, the other parameters and their standard errors from the limit's fit, and a
message that says what the edge means.

The test itself (:func:`maxlik.families.at_limit`, with its tolerance) lives beside
:class:`maxlik.families.Limit`, so that the batched group fits apply the same rule.
"""

from __future__ import annotations

import math

from ..families import LIMIT_TOL


def boundary_message(limit, loglik: float, tol: float = LIMIT_TOL) -> str:
    """The status message of a fit whose supremum is ``limit`` (the optimizer stopped at ``loglik``;
    ``tol``: the margin it was judged by).
    When the limit's parameters are the family's own (the t's loc and scale are the Normal's) the
    message says so; otherwise (the negative binomial's limit is a Poisson rate) it names the
    parameters at their edges and gives the limit's estimates with their standard errors."""
    edge = limit.edge_text
    name = limit.family.display_name
    head = (f"boundary: {limit.meaning}. The likelihood is largest as {limit.param} → {edge} (the optimizer's best, "
            f"{loglik:.10g}, is not {tol:.3g} above the limit's {limit.loglik:.10g}), so ")
    if all(k in limit.at_edge for k in limit.params):
        body = (f"{limit.param} = {edge} has no standard error; the other parameters are the {name} MLE with its "
                "standard errors")
    else:
        se = limit.stderr
        edges = " and ".join(f"{k} = {'∞' if v == math.inf else f'{v:g}'}" for k, v in limit.at_edge.items())
        fitted = ", ".join(f"{k} = {v:.6g} (std err {se.get(k, math.nan):.4g})" for k, v in limit.params.items())
        body = (f"{edges} (the edge of the domain) have no standard errors; the fitted distribution is the {name} "
                f"MLE, {fitted}, in result.limit")
    return (f"{head}{body}. Against the {name}, LR = 0 (p = 1 under "
            f"½χ²₀ + ½χ²₁; maxlik.lrt(fit(x, '{limit.family.name}'), result))")
