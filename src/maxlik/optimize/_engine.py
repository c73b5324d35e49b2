"""fit_numerical: maximum likelihood by iterative optimisation in unconstrained space.

Newton (the default up to 50 free scalars) runs on the host around a small derivative kernel
(:mod:`._kernels`): NumPy formulas of the family's own for small data (no JAX at all), else two
jitted JAX functions compiled once per (family, free-parameter shapes, fixed names) and row
bucket (data padded to a power of two of rows with zero weights), so new data, starts, tol and
max_iter reuse them. Several starts are run one after the other; the best finite NLL is kept
(converged runs first). BFGS, L-BFGS and gradient descent take many cheap steps, so their whole
loop (:mod:`._loop`) is jitted and vmapped over the starts.

After the loop the exact Hessian H of the NLL in unconstrained coordinates u is at hand
(Newton's own, or evaluated at the end point): a run is reported as converged only when the
Newton decrement ½gᵀH⁻¹g of the total NLL is ≤ max(tol, 10⁻¹³·|NLL|) (the one rule,
:mod:`._convergence`), the NLL is finite, and H is positive definite. The covariance of the
constrained parameters is J H⁻¹ Jᵀ (J = ∂θ/∂u, the delta method:
:func:`maxlik.inference.covariance_from_hessian`).
"""

from __future__ import annotations

import difflib
import functools
import inspect
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .._xp import jnp
from ..errors import ConvergenceWarning, FitFailedError, InferenceWarning, ParameterError
from ..families import LIMIT_TOL, at_limit, flat_labels
from ..inference import covariance_from_hessian
from ..status import Status
from ._boundary import boundary_message
from ._convergence import converged as _converged
from ._convergence import decrement_from_hessian, relative_gradient, weight_factor
from ._kernels import NUMPY_MAX_ROWS  # noqa: F401  (public through maxlik.optimize)
from ._objective import flatten_start, n_rows
from ._runs import first_order_runs, newton_runs
from ._starts import check_finite_start, check_start, raise_nonfinite_start
from ._stream_kernel import StreamKernel, Streamed

METHODS = ("auto", "newton", "bfgs", "lbfgs", "gradient_descent")
DEFAULT_MAX_ITER = {"newton": 100, "bfgs": 1000, "lbfgs": 1000, "gradient_descent": 10000}
AUTO_NEWTON_MAX_PARAMS = 50  # auto: Newton up to this many free scalars, L-BFGS beyond


def status_message(status: Status, dec: float, tol: float, n_iter: int, max_iter: int, method: str,
                   tol_nll: float | None = None) -> str:
    """A numerical fit's message from how it ended and its Newton decrement (also fit_groups');
    ``tol_nll``: the tolerance it was judged by when the weights scaled it (tol × ``weight_factor``)."""
    crit = f"Newton decrement {dec:.3g}"
    bound = f"tol={tol:g}" if tol_nll is None or tol_nll == tol else f"tol={tol:g} x mean weight = {tol_nll:.3g}"
    if status is Status.CONVERGED:
        return f"converged: {crit} <= {bound} after {n_iter} iterations ({method})"
    if status is Status.MAX_ITER:
        return f"stopped at max_iter={max_iter} with {crit} > {bound} ({method})"
    if status is Status.STALLED:
        return f"line search could not decrease the NLL after {n_iter} iterations; {crit} > {bound} ({method})"
    return f"the NLL or its gradient is not finite at iteration {n_iter} ({method})"


def _verdict(status: Status, nll: float, grad, hess, tol: float) -> tuple[Status, float]:
    """The one rule at the end point, for every method: (status, Newton decrement)."""
    dec = decrement_from_hessian(np.asarray(grad, dtype=float), np.asarray(hess, dtype=float))
    if status is Status.NONFINITE or not np.isfinite(nll):
        return Status.NONFINITE, dec
    if _converged(dec, tol, nll):
        return Status.CONVERGED, dec
    return (Status.MAX_ITER if status is Status.CONVERGED else status), dec


@dataclass(frozen=True)
class NumericalFit:
    """What the engine found, as plain values: ``maxlik.fit`` / ``fit_loglik`` wrap it in a
    ``FitResult`` (the engine sits below the results layer and never builds one).

    params : dict name -> estimate (fixed ones included);  fixed : names held fixed
    loglik : ℓ(θ̂);  n : rows;  weight : Σ wₙ;  method : the optimizer used
    status : a :class:`maxlik.status.Status`;  message : the fit's own text;  n_iter : iterations
    trace : {"nll": [...], "grad_norm": [...]} or None
    cov_fn : () -> (cov | None, cov_labels, why-unavailable), evaluated lazily
    profile : {name: value} -> max of ℓ over the other free parameters, or None
    limit : the family's :class:`Limit` when the fit ran to it (status BOUNDARY), else None
    """

    params: dict
    fixed: tuple
    loglik: float
    n: int
    weight: float
    method: str
    status: Status
    message: str
    n_iter: int = 0
    trace: dict | None = None
    cov_fn: Callable | None = field(default=None, repr=False)
    profile: Callable | None = field(default=None, repr=False)
    limit: Any = None


def fit_numerical(data, family, *, weights=None, fixed=None, method="auto", tol=1e-8, max_iter=None,
                  n_init=1, strict=False, seed=None, init=None, _owner=None) -> NumericalFit:
    """Numerical MLE of ``family`` on (validated) ``data``.

    data : array (n,) / (n, d), or for :func:`maxlik.fit_loglik` any pytree of arrays with n rows
    weights : (n,) or None;   fixed : dict name -> value (held, not estimated)
    method : "auto" (Newton up to 50 free scalars, else L-BFGS) | "newton" | "bfgs" | "lbfgs" |
        "gradient_descent"
    tol : convergence when the Newton decrement ½gᵀH⁻¹g of the total NLL (the log-likelihood a
        Newton step would still gain; ≈ half the squared distance to the optimum in standard
        errors) is ≤ max(tol, 10⁻¹³·|NLL|), tol times the mean weight where weights average below 1
        (so that a common factor in the weights changes no estimate). BFGS, L-BFGS and gradient descent stop their loop
        when the relative gradient max|gᵢ|·max(|uᵢ|, 1)/max(|f|, 1) of the mean NLL f is ≤ tol
        (or at max_iter), and their end point is judged by the same decrement rule.
    max_iter : iteration cap (default 100 Newton, 1000 BFGS/L-BFGS, 10000 gradient descent)
    n_init : the number of starts: u₀ and n_init − 1 randomised ones (u₀ + N(0, (½ + ½|u₀|)²) in
        unconstrained space), solved
        together with vmap; the best is kept.   seed : seeds those starts.
    init : dict of starting values overriding ``family.init(data, weights)``.
    strict : raise FitFailedError instead of returning an unconverged result with a warning.
    """
    fam = family
    owner = _owner or f"fit({fam.display_name})"
    fixed = dict(fixed or {})
    if method not in METHODS:
        raise ParameterError(f"{owner}: method must be one of {list(METHODS)}; got {method!r}.")
    if not (isinstance(n_init, (int, np.integer)) and n_init >= 1):
        raise ParameterError(f"{owner}: n_init must be an integer >= 1; got {n_init!r}.")
    if not (np.isfinite(tol) and tol > 0):
        raise ParameterError(f"{owner}: tol must be positive; got {tol!r}.")
    if init is not None and not isinstance(init, dict):
        raise ParameterError(f"{owner}: init must be a dict of parameter name -> value; got {type(init).__name__}.")
    init = dict(init or {})
    for k in list(init) + list(fixed):
        if k not in fam.param_names:
            raise ParameterError(f"{owner}: parameter names must be among {list(fam.param_names)}; got {k!r}. "
                                 f"Start or fix only {fam.display_name}'s own parameters.")
    free_names = [k for k in fam.param_names if k not in fixed]
    n = n_rows(data)
    streamed = isinstance(data, Streamed)
    w = None if weights is None else np.asarray(weights, dtype=float)
    total_weight = data.total_weight if streamed else float(n if w is None else w.sum())
    # the decrement rule in units of the mean weight when it is below 1 (see ._convergence)
    n_weighted = n if (streamed or w is None) else int(np.count_nonzero(w > 0))
    w_factor = weight_factor(total_weight, n_weighted)
    tol_nll = tol * w_factor
    # a streamed data set is judged and started from its evenly strided sample
    seen, seen_w = (data.sample, data.sample_w) if streamed else (data, weights)

    fam.check_estimable(seen, seen_w, fixed)  # a Family hook: raises where no MLE exists
    need_family_init = any(k not in init for k in free_names)
    start = dict(fam.init(seen, seen_w)) if need_family_init else {}
    start.update(init)
    start = {k: start[k] for k in fam.param_names if k in start and k not in fixed}
    start = check_start(fam, start, owner)
    full_start = {**start, **{k: np.asarray(v, dtype=float) for k, v in fixed.items()}}

    if not start:  # every parameter held fixed: nothing to optimise
        if streamed:
            kernel = StreamKernel(fam, (), fixed, data)
            raise_nonfinite_start(kernel.nonfinite_at(full_start), full_start, owner)
            ll = kernel.loglik_at(full_start)
        else:
            check_finite_start(fam, full_start, data, w, owner)
            lp = np.asarray(fam.log_prob({k: jnp.asarray(v) for k, v in full_start.items()}, data))
            ll = float(np.sum(lp) if w is None else np.sum(np.where(w > 0, w * lp, 0.0)))
        params = {k: (float(full_start[k]) if np.ndim(full_start[k]) == 0 else full_start[k]) for k in fam.param_names if k in full_start}
        return NumericalFit(params=params, fixed=tuple(k for k in fam.param_names if k in fixed), loglik=ll,
                            n=n, weight=total_weight, method=method, status=Status.CONVERGED, n_iter=0,
                            message="every parameter is fixed: nothing to estimate",
                            cov_fn=lambda: (np.zeros((0, 0)), [], None))

    if streamed and method not in ("auto", "newton"):
        raise ParameterError(
            f"{owner}: method must be 'newton' or 'auto' for data read in passes (a scan or a Dask "
            f"collection): each step is a pass over the data, and Newton takes the fewest; got {method!r}. "
            "Use method='newton' (which method='auto' picks).")
    if method == "auto":
        size = sum(int(np.size(v)) for v in start.values())
        method = "newton" if size <= AUTO_NEWTON_MAX_PARAMS or streamed else "lbfgs"
    max_iter = int(DEFAULT_MAX_ITER[method] if max_iter is None else max_iter)
    if max_iter < 1:
        raise ParameterError(f"{owner}: max_iter must be an integer >= 1; got {max_iter!r}.")

    free_shapes = tuple(sorted((k, tuple(np.shape(v))) for k, v in start.items()))
    u0 = flatten_start(fam, {k: start[k] for k, _ in free_shapes})
    rng = np.random.default_rng(seed)
    starts = [u0] + [u0 + rng.normal(size=u0.shape) * (0.5 + 0.5 * np.abs(u0)) for _ in range(n_init - 1)]
    if not init:  # the family's own further starts (a likelihood with several maxima), unless the user chose one
        starts += [flatten_start(fam, {k: e[k] for k, _ in free_shapes})
                   for e in fam.extra_starts(seen, seen_w, start, fixed)]
    if method == "newton":
        runs, kernel = newton_runs(fam, free_shapes, fixed, starts, data, w, n, total_weight, tol_nll, max_iter,
                                    start)
        jacobian, to_params, start_lp = (lambda i, u: kernel.jacobian(u)), kernel.params, kernel.log_prob
    else:
        runs, jacobian, to_params = first_order_runs(fam, free_shapes, fixed, method, starts, data, w, n,
                                                      total_weight, tol, max_iter)
        start_lp = None
    if runs[0].status is Status.NONFINITE and runs[0].n_iter == 0:  # raises, naming the values
        if streamed:
            raise_nonfinite_start(kernel.nonfinite_at(full_start), full_start, owner)
        else:
            check_finite_start(fam, full_start, data, w, owner, None if start_lp is None else start_lp(u0))

    verdicts = [_verdict(r.status, r.nll, r.grad, r.hess, tol_nll) for r in runs]
    best = _pick_best(runs, verdicts, tol_nll)
    r = runs[best]
    n_iter = r.n_iter
    status, dec = verdicts[best]
    nll = float(r.nll)
    params = to_params(r.u) if u0.size else {}
    params = {**params, **{k: np.asarray(v, dtype=float) for k, v in fixed.items()}}
    params = {k: (float(params[k]) if np.ndim(params[k]) == 0 else params[k]) for k in fam.param_names if k in params}
    message = status_message(status, dec, tol, n_iter, max_iter, method, tol_nll)
    cov, why = covariance_from_hessian(r.hess, jacobian(best, r.u))
    # a stationary point (relative gradient <= tol) or a stall where H is not positive definite
    # (the decrement is undefined there) is a saddle or a flat direction: say so
    stationary = relative_gradient(r.grad / total_weight, r.u, nll / total_weight) <= tol
    if cov is None and status is not Status.NONFINITE and (stationary or status is Status.STALLED):
        status = Status.NOT_POSITIVE_DEFINITE
        message = f"not a maximum: {why} (stopped after {n_iter} iterations, {method})"
    converged = status is Status.CONVERGED
    if n_init > 1:
        message += f"; best of {n_init} starts ({sum(v[0] is Status.CONVERGED for v in verdicts)} converged)"
    free_params = {k: params[k] for k in sorted(start)}  # finite: the profile's refits start here
    limit_tol = LIMIT_TOL * w_factor
    limit = (at_limit(fam, functools.partial(_stats_of, data, w), fixed, -nll, limit_tol)
             if getattr(fam, "limit", None) else None)
    if limit is not None:  # the supremum is the family's limit (df → ∞): report that model
        status, message = Status.BOUNDARY, boundary_message(limit, -nll, limit_tol)
        params, nll = {**limit.at_edge, **{k: params[k] for k in fixed}}, -limit.loglik
        params = {k: params[k] for k in fam.param_names if k in params}
        cov, why = limit.cov, None
        warnings.warn(f"{owner}: {message}.", InferenceWarning, stacklevel=3)
    elif not converged:
        text = (
            f"{owner}: the fit did not converge ({message}). Remedies: increase max_iter, try another "
            f"method (e.g. {' or '.join('method=' + repr(m) for m in ('newton', 'bfgs') if m != method)}), pass a better init=, "
            "or use n_init > 1."
        )
        if strict:
            raise FitFailedError(text)
        warnings.warn(text, ConvergenceWarning, stacklevel=3)

    def cov_fn():
        if cov is None:
            return None, [], why
        return cov, (list(limit.labels) if limit is not None else flat_labels(free_params)), None

    settings = dict(method=method, tol=tol, max_iter=max_iter)

    def profile(extra_fixed: dict) -> float:
        """max over the other free parameters of ℓ with ``extra_fixed`` held too."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sub = fit_numerical(data, fam, weights=weights, fixed={**fixed, **extra_fixed},
                                init={k: v for k, v in free_params.items() if k not in extra_fixed},
                                _owner=owner, **settings)
        return sub.loglik

    return NumericalFit(
        params=params, fixed=tuple(k for k in fam.param_names if k in fixed), loglik=-nll,
        n=n, weight=total_weight, method=method, status=status, n_iter=n_iter, message=message,
        trace={"nll": [float(t) for t in r.trace_nll], "grad_norm": [float(t) for t in r.trace_g]},
        cov_fn=cov_fn,
        profile=profile,
        limit=limit,
    )


def _stats_of(data, w, family):
    """``family``'s sufficient statistics of the engine's data: an array's, or merged over the
    chunks of data read in passes (for the limit of :func:`maxlik.families.at_limit`)."""
    if isinstance(data, Streamed):
        return data.source.map_reduce(lambda c: family.suffstats(c.x, c.w) if len(c.x) else None)
    return family.suffstats(data, w)


# the keyword options a user may pass to maxlik.fit / fit_loglik (their **options end up here)
OPTIONS = tuple(k for k in inspect.signature(fit_numerical).parameters if k not in ("data", "family") and not k.startswith("_"))


def check_options(options: dict, owner: str, extra: tuple[str, ...] = ()) -> None:
    """ParameterError naming any keyword that is not an option of fit_numerical (or in ``extra``)."""
    valid = (*OPTIONS, *extra)
    unknown = [k for k in options if k not in valid]
    if not unknown:
        return
    close = difflib.get_close_matches(unknown[0], valid, n=1)
    hint = f"Did you mean {close[0]!r}? " if close else ""
    raise ParameterError(
        f"{owner}: options must be among {', '.join(valid)}; got unknown option{'s' if len(unknown) > 1 else ''} "
        f"{', '.join(map(repr, unknown))}. {hint}Check the spelling."
    )


def _pick_best(runs, verdicts, tol: float) -> int:
    """The run with the lowest NLL among the converged ones (all, if none converged); the first
    start's run when it is within ``tol`` of that (the same maximum: the other starts count only
    where they find a better one, so a fit is the same as from its first start otherwise)."""
    nll = np.asarray([r.nll for r in runs], dtype=float)
    score = np.where(np.isfinite(nll), nll, np.inf)
    conv = np.array([v[0] is Status.CONVERGED for v in verdicts]) & np.isfinite(nll)
    if conv.any():
        score = np.where(conv, score, np.inf)
    if not np.isfinite(score).any():
        return 0
    best = int(np.argmin(score))
    return 0 if np.isfinite(score[0]) and score[0] <= score[best] + tol else best
