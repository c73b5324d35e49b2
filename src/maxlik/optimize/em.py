"""The EM driver: expectation–maximisation for any latent-variable model whose M-step is a
family's weighted closed-form MLE.

    E-step:  (ℓ(θ⁽ⁱ⁻¹⁾), S) = e_step(θ⁽ⁱ⁻¹⁾)      S: statistics weighted by the responsibilities
    M-step:  θ⁽ⁱ⁾ = m_step(S, i)                    e.g. family.mle_from_stats of each component

The model supplies both steps (and the starts); the driver owns the loop and its contract:

* the trace ``trace[i − 1] = ℓ(θ⁽ⁱ⁻¹⁾) / W``, the log-likelihood of the parameters going into
  iteration i relative to the total weight W (scikit-learn's ``lower_bounds_``). EM makes it
  non-decreasing; with a regularised M-step (``reg_covar`` > 0) only up to the regularisation.
* convergence when two successive entries differ by less than ``tol``: the change of ℓ relative
  to the total weight, so the same ``tol`` means the same thing for 100 rows or 10⁸;
* ``max_iter`` iterations at most, then ``Status.MAX_ITER``;
* ``n_init`` starts, ``init(start_index)`` giving each one's θ⁽⁰⁾; the start with the highest
  final log-likelihood ℓ(θ̂) is kept (one more E-step pass after the last M-step computes it).

The steps raise their own errors (a collapsed component is a ``DegenerateFitError`` naming it);
``check(θ̂)`` may judge each start's end point too: it returns why the end point is not a fit (a
spurious spike of an unbounded likelihood), or None. With several starts, a start that raises
DegenerateFitError is dropped (only if every start fails is the first error raised), and a start
that ``check`` rejects is kept only when no start passes (then ``EMRun.degenerate`` says why).
The driver warns of nothing: the caller knows its own name and remedies.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

import numpy as np

from ..errors import DegenerateFitError
from ..status import Status


@dataclass(frozen=True)
class EMRun:
    """The result of :func:`em`: ``params`` (whatever ``m_step`` returns), ``trace`` (n_iter,)
    of ℓ/W going into each iteration, ``loglik`` ℓ(θ̂) at the final parameters, ``n_iter``,
    ``status`` (CONVERGED or MAX_ITER) and ``start`` (index of the start that was kept)."""

    params: Any
    trace: np.ndarray
    loglik: float
    n_iter: int
    status: Status
    start: int = 0
    degenerate: str | None = None

    @property
    def converged(self) -> bool:
        return self.status is Status.CONVERGED

    @property
    def last_change(self) -> float:
        """|trace[−1] − trace[−2]| (NaN after a single iteration)."""
        return float(abs(self.trace[-1] - self.trace[-2])) if len(self.trace) > 1 else float("nan")


def em(
    e_step: Callable[[Any], tuple[float, Any]],
    m_step: Callable[[Any, int], Any],
    init: Callable[[int], Any],
    *,
    weight: float,
    max_iter: int = 100,
    tol: float = 1e-3,
    n_init: int = 1,
    loglik: Callable[[Any], float] | None = None,
    check: Callable[[Any], str | None] | None = None,
) -> EMRun:
    """Run EM from ``n_init`` starts and keep the best.

    e_step(θ) -> (ℓ(θ), statistics); m_step(statistics, iteration) -> θ; init(start) -> θ⁽⁰⁾;
    ``weight`` W = Σ wₙ (the trace is ℓ/W); ``loglik(θ)`` -> ℓ(θ), defaults to the first value
    of ``e_step`` (pass a cheaper one that skips the statistics); ``check(θ̂)`` -> None, or why
    the end point is not a fit.
    """
    loglik = loglik or (lambda params: e_step(params)[0])
    best, failure = None, None
    for start in range(n_init):
        try:
            run = _run(e_step, m_step, init(start), float(weight), max_iter, tol, loglik, start)
        except DegenerateFitError as exc:
            failure = failure or exc
            continue
        why = check(run.params) if check is not None else None
        if why is not None:
            run = replace(run, degenerate=why)
        if best is None or (best.degenerate is not None, -best.loglik) > (run.degenerate is not None, -run.loglik):
            best = run
    if best is None:
        raise failure
    return best


def _run(e_step, m_step, params, W, max_iter, tol, loglik, start) -> EMRun:
    trace, status, it = [], Status.MAX_ITER, 0
    for it in range(1, max_iter + 1):
        ll, stats = e_step(params)
        trace.append(float(ll) / W)
        params = m_step(stats, it)
        if len(trace) > 1 and abs(trace[-1] - trace[-2]) < tol:
            status = Status.CONVERGED
            break
    return EMRun(params, np.array(trace), float(loglik(params)), it, status, start)


__all__ = ["EMRun", "em"]
