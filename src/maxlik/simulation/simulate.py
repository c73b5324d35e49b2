"""maxlik.simulate: the sampling properties of the MLE, by simulation.

For each sample size n, ``n_rep`` data sets of n draws from the model at the true θ are fitted
together (the replicates stacked as groups of one :func:`maxlik.fit_groups` call), and per
parameter the replicates' estimates θ̂⁽ʳ⁾ give

    mean   (1/R) Σ θ̂⁽ʳ⁾          bias   mean − θ           variance   Σ (θ̂⁽ʳ⁾ − mean)² / (R − 1)
    MSE    (1/R) Σ (θ̂⁽ʳ⁾ − θ)²   Cramér–Rao bound  [I(θ)⁻¹]ₖₖ / n  (expected information, :mod:`._fisher`)
    efficiency   bound / variance (→ 1 for an efficient estimator as n grows)

and the coverage of the level-``level`` intervals: Wald on the natural scale, θ̂ ± z·se (se from
the observed information of each replicate); Wald on the unconstrained scale of the parameter's
bijection (log, logit) mapped back, which never leaves the domain; and profile likelihood, {θₖ : 2(ℓ(θ̂) − ℓₚ(θₖ)) ≤
χ²₁(level)}; the true θₖ lies in it exactly when the likelihood-ratio statistic at θₖ is below the
χ² quantile, so the profile coverage is computed for every replicate, with one more batched fit
per parameter (the others re-maximised with θₖ held at its true value), not by searching for
the interval's ends. Replicates without an estimate (no MLE inside the domain, e.g. all-zero
Poisson counts, whose x̄ = 0 is not a positive rate) are counted (``n_failed``) and left out, so
the columns are then conditional on an estimate existing; ``failures`` gives the first reason per n.
Bootstrap coverage is not offered yet: it needs a bootstrap inside every replicate (R × B refits).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy.stats import chi2, norm

from ..errors import ConvergenceWarning, MaxlikError, ParameterError
from ..families import get_family
from ._fisher import cramer_rao, expected_information
from .result import SimulationResult

OWNER = "simulate"
METHODS = ("auto", "closed_form", "newton", "bfgs", "lbfgs", "gradient_descent")


def _check(fam, params, n, n_rep, level, fixed):
    if fam.event_ndim != 0 or any(p.shape != () for p in fam.params):
        raise ParameterError(f"{OWNER}: family must have scalar observations and scalar parameters; got "
                             f"{fam.display_name}. Simulate a univariate family such as 'normal' or 'gamma'.")
    if not isinstance(params, dict):
        raise ParameterError(f"{OWNER}: params must be a dict name -> true value; got {type(params).__name__}.")
    missing = [k for k in fam.param_names if k not in params]
    if missing:
        raise ParameterError(f"{OWNER}: params must give every parameter of {fam.display_name} "
                             f"({', '.join(fam.param_names)}); got no value for {', '.join(missing)}.")
    true = {k: float(v) for k, v in fam.check_params(params, owner=OWNER).items()}
    sizes = [n] if np.ndim(n) == 0 else list(n)
    bad = [v for v in sizes if not (isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= 1)]
    if not sizes or bad:
        raise ParameterError(f"{OWNER}: n must be a sample size or a list of them, integers >= 1; got "
                             f"{bad[0] if bad else n!r}. For example n=[10, 30, 100, 1000].")
    if not (isinstance(n_rep, (int, np.integer)) and not isinstance(n_rep, bool) and n_rep >= 2):
        raise ParameterError(f"{OWNER}: n_rep must be an integer >= 2 (a variance needs two replicates); got {n_rep!r}.")
    if not (isinstance(level, (int, float)) and 0 < level < 1):
        raise ParameterError(f"{OWNER}: level must be in (0, 1); got {level!r}. For example level=0.95.")
    fixed = tuple(fixed or ())
    unknown = [k for k in fixed if k not in fam.param_names]
    if unknown or len(fixed) >= len(fam.param_names):
        raise ParameterError(f"{OWNER}: fixed must name some (not all) of {list(fam.param_names)}, held at their "
                             f"true values; got {list(fixed)}.")
    return true, [int(v) for v in sizes], fixed


def _draw(fam, true: dict, m: int, rng) -> np.ndarray:
    """m draws from the model: the family's sampler, or the inverse CDF of uniforms."""
    try:
        return np.asarray(fam.sample(true, m, rng), dtype=float)
    except NotImplementedError:
        return np.asarray(fam.ppf(true, rng.uniform(size=m)), dtype=float)


def _fit_replicates(fam, x: np.ndarray, fixed: dict, method: str = "auto") -> dict:
    """Every row of ``x`` (R, n) fitted: with method "auto" as one group each of a single
    :func:`maxlik.fit_groups` call, else by ``maxlik.fit(row, method=method)`` one after the other.
    {"params": name -> (R,), "stderr": name -> (R,), "loglik": (R,), "ok": (R,) bool}."""
    R, n = x.shape
    if method != "auto":
        return _fit_each(fam, x, fixed, method)
    from ..groups import fit_groups

    with warnings.catch_warnings():  # failed replicates are counted in the table instead
        warnings.simplefilter("ignore", ConvergenceWarning)
        g = fit_groups(x.ravel(), np.repeat(np.arange(R), n), fam, fixed=fixed or None)
    return {"params": {k: np.asarray(g.params[k], dtype=float) for k in fam.param_names},
            "stderr": {k: np.asarray(g.stderr[k], dtype=float) for k in fam.param_names},
            "loglik": np.asarray(g.loglik, dtype=float), "ok": np.asarray(g.converged, dtype=bool),
            "message": np.asarray(g.message, dtype=object)}


def _fit_each(fam, x: np.ndarray, fixed: dict, method: str) -> dict:
    """The loop form of :func:`_fit_replicates` (a named optimizer; slower)."""
    from ..fitting import fit

    R = x.shape[0]
    out = {"params": {k: np.full(R, np.nan) for k in fam.param_names},
           "stderr": {k: np.full(R, np.nan) for k in fam.param_names},
           "loglik": np.full(R, np.nan), "ok": np.zeros(R, dtype=bool), "message": np.full(R, "", dtype=object)}
    for r in range(R):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                res = fit(x[r], fam, fixed=fixed or None, method=method)
            except MaxlikError as error:
                out["message"][r] = str(error)
                continue
            se = res.stderr
        out["ok"][r], out["loglik"][r], out["message"][r] = res.converged, res.loglik, res.message
        for k in fam.param_names:
            out["params"][k][r] = res.params[k]
            out["stderr"][k][r] = se.get(k, np.nan)
    return out


def _loglik_at(fam, true: dict, x: np.ndarray) -> np.ndarray:
    """ℓ(θ) of each replicate (R,) at the given parameters."""
    from .._xp import jnp

    lp = np.asarray(fam.log_prob({k: jnp.asarray(v) for k, v in true.items()}, jnp.asarray(x.ravel())))
    return lp.reshape(x.shape).sum(axis=1)


def _profile_stats(fam, true, x, fits, free, fixed, method) -> dict:
    """name -> (R,) likelihood-ratio statistic 2(ℓ(θ̂) − ℓₚ(θₖ)) at each true θₖ (NaN where a fit failed)."""
    out = {}
    for k in free:
        held = {**fixed, k: true[k]}
        if len(held) == len(fam.param_names):
            lp, ok = _loglik_at(fam, true, x), np.ones(x.shape[0], dtype=bool)
        else:
            sub = _fit_replicates(fam, x, held, method)
            lp, ok = sub["loglik"], sub["ok"]
        out[k] = np.where(ok & fits["ok"], 2.0 * (fits["loglik"] - lp), np.nan)
    return out


def _delta_bound(fn, true: dict, free: list[str], bound: np.ndarray) -> float:
    """∇g(θ)ᵀ B ∇g(θ) for a derived quantity g (JAX gradient); NaN where g is not traceable."""
    from .._xp import jax, jnp

    try:
        grad = jax.grad(lambda t: fn({**true, **dict(zip(free, t))}))(jnp.asarray([true[k] for k in free]))
    except Exception:  # a NumPy-only function: no bound, but the empirical columns remain
        return math.nan
    g = np.asarray(grad, dtype=float)
    return float(g @ bound @ g)


def simulate(family, params: dict, n=(10, 30, 100, 1000), n_rep: int = 2000, *, seed=None, level: float = 0.95,
             fixed=(), functions: dict | None = None, profile: bool = True, method: str = "auto") -> SimulationResult:
    """Sampling properties of the MLE of ``family`` at the true ``params``, by simulation.

    Parameters
    ----------
    family : str | Family   a univariate family with scalar parameters
    params : dict           the true value of every parameter, e.g. {"loc": 0.0, "scale": 2.0}
    n : int | list[int]     sample sizes (each >= 1)
    n_rep : int             replicates per sample size (>= 2); Monte-Carlo errors shrink as 1/√n_rep
    seed : int | numpy Generator | None   seeds the draws
    level : float           the intervals' nominal coverage
    fixed : names of parameters held at their true values (known) in every fit
    functions : dict name -> g(params) of derived quantities (e.g. {"variance": lambda p: p["scale"] ** 2}),
        g taking arrays (R,) per parameter; their rows get mean, bias, variance and MSE, and the
        delta-method Cramér–Rao bound ∇gᵀ I⁻¹ ∇g / n where g is written in jax.numpy-compatible operations
    method : "auto" fits all replicates of an n together (:func:`maxlik.fit_groups`: closed forms by
        segmented sums, else one batched Newton); a method of :func:`maxlik.fit` ("newton", "bfgs",
        "lbfgs", "gradient_descent", "closed_form") fits them one by one with it (slower)
    profile : False skips the profile coverage (it costs one more batched fit per free parameter
        when the family has two or more)

    Returns
    -------
    SimulationResult : ``table`` (one row per quantity and n), ``to_pandas()``, ``estimates[n]``
        (name -> (R,) estimates of the converged replicates), ``summary()``; figures with
        :func:`maxlik.plot.plot_simulation`.
    """
    fam = get_family(family, owner=OWNER)
    true, sizes, fixed = _check(fam, params, n, n_rep, level, fixed)
    if method not in METHODS:
        raise ParameterError(f"{OWNER}: method must be one of {list(METHODS)}; got {method!r}.")
    functions = dict(functions or {})
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    held = {k: true[k] for k in fixed}
    free = [k for k in fam.param_names if k not in held]
    info, info_how = expected_information(fam, true, lambda m: _draw(fam, true, m, rng))
    bound = cramer_rao(info, fam.param_names, free)
    z, q = float(norm.ppf(0.5 + level / 2)), float(chi2.ppf(level, 1))
    rows, estimates, failures = [], {}, {}
    for size in sizes:
        x = _draw(fam, true, n_rep * size, rng).reshape(n_rep, size)
        fits = _fit_replicates(fam, x, held, method)
        ok = fits["ok"]
        if not ok.all():
            failures[size] = str(fits["message"][np.argmin(ok)])
        lr = _profile_stats(fam, true, x, fits, free, held, method) if profile else None
        est = {k: fits["params"][k][ok] for k in free}
        for name, fn in functions.items():
            est[name] = np.asarray(fn({**{k: fits["params"][k][ok] for k in fam.param_names}}), dtype=float)
        estimates[size] = est
        for i, k in enumerate([*free, *functions]):
            if k in functions:
                theta, cr, wald, link, prof = float(functions[k](true)), _delta_bound(functions[k], true, free, bound), None, None, None
            else:
                theta, cr = true[k], float(bound[i, i])
                se = fits["stderr"][k][ok]
                wald = np.abs(est[k] - theta) <= z * se
                link = _link_covers(fam.param(k).constraint, est[k], se, theta, z)
                prof = None if lr is None else lr[k][ok] <= q
            rows.append(_row(k, size, theta, est[k], cr / size, wald, link, prof, level, int(n_rep - ok.sum())))
    return SimulationResult(fam, true, sizes, n_rep, level, rows, estimates, info_how, tuple(fixed), failures)


def _link_covers(constraint, est, se, theta, z) -> np.ndarray:
    """Whether the Wald interval formed on the unconstrained scale u = T⁻¹(θ) (log for a positive
    parameter, logit for one in (0, 1)) and mapped back holds θ: |T⁻¹(θ̂) − T⁻¹(θ)| ≤ z·se/T′(u)
    (se/T′(u): the delta-method standard error of u). For a real parameter it is the Wald interval."""
    from ..transforms import bijection_for

    bij = bijection_for(constraint)
    with np.errstate(all="ignore"):
        u = np.asarray(bij.inverse(est), dtype=float)
        slope = np.abs(np.broadcast_to(bij.derivatives(u)[0], u.shape))
        return np.abs(u - float(bij.inverse(np.asarray(theta)))) <= z * se / slope


def _row(name, size, theta, est, cr, wald, link, prof, level, n_failed) -> dict:
    m = est.shape[0]
    mean = float(np.mean(est)) if m else math.nan
    var = float(np.var(est, ddof=1)) if m > 1 else math.nan
    covered = {key: (math.nan if c is None or m == 0 else float(np.mean(c)))
               for key, c in (("wald", wald), ("link", link), ("profile", prof))}
    return {
        "parameter": name, "n": size, "true": theta, "mean": mean, "bias": mean - theta,
        "bias_se": math.sqrt(var / m) if m > 1 else math.nan,  # Monte-Carlo standard error of the bias
        "variance": var, "mse": float(np.mean((est - theta) ** 2)) if m else math.nan,
        "cr_bound": cr, "efficiency": cr / var if var and var > 0 else math.nan,
        "wald_coverage": covered["wald"], "wald_link_coverage": covered["link"], "profile_coverage": covered["profile"],
        "coverage_se": math.sqrt(level * (1 - level) / m) if m and wald is not None else math.nan,
        "n_failed": n_failed,
    }
