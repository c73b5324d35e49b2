"""Closed-form (and Gamma's Newton-on-statistics) fits of every group at once.

For a family in :data:`SPECS`, one pass over the rows sorted by group gives each group's
sufficient statistics as arrays (G,) — the fields of the family's own ``Stats`` class, so
``Stats(**fields_of_group_j)`` is exactly what ``family.suffstats`` gives on that group's rows
(up to the order of summation) — then the MLE and standard errors of all groups are vectorised
formulas, the same as the family's ``mle_from_stats`` / ``exact_covariance``:

    normal     loc = Σwx/W, scale² = Σw(x − loc)²/(W − ddof);  Var loc = scale²/W,  Var scale = scale⁴/(2S)
    lognormal  the same on log x
    exponential  rate = W/Σwx;  Var = rate²/W          poisson  rate = Σwx/W;  Var = rate/W
    bernoulli, binomial  p = S/(S + F);  Var = p(1 − p)/(S + F)
    geometric  p = W/(W + Σwx);  Var = p²(1 − p)/W
    gamma      1-D Newton in log k on the profile score, all groups together (as Gamma's
               ``mle_from_stats``); Cov = (W I)⁻¹, I = [[ψ′(k), −1/β], [−1/β, k/β²]]

The log-likelihood is the family's own ``loglik_from_stats`` on the array statistics. A group
whose statistics admit no estimate (one point, zero variance, all zeros) is flagged in ``ok``;
the caller then fits it alone to report maxlik.fit's own error. Families not listed here are
fitted group by group with ``maxlik.fit`` (see :mod:`.fit`).
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np

from ._segments import segment_sum


class Sums:
    """Weighted per-group sums over rows sorted by group: ``total(v)`` = Σ_{n∈j} wₙ vₙ (G,)."""

    def __init__(self, x, w, starts, counts):
        self.x, self.w, self.starts, self.counts = x, w, starts, counts
        self.ids = np.repeat(np.arange(counts.shape[0]), counts)
        self.weight = counts.astype(float) if w is None else segment_sum(w, starts)

    def total(self, v):
        return segment_sum(v if self.w is None else self.w * v, self.starts)

    def moments(self, v):
        """(mean_hi, mean_lo, m2) per group: the corrected two-pass algorithm of
        ``families._moments`` (centre on the group mean, then correct by the residual sum)."""
        W = self.weight
        m = self.total(v) / W
        d = v - m[self.ids]
        s = self.total(d)
        m2 = self.total(d * d) - s * s / W
        hi = m + s / W
        lo = s / W - (hi - m)  # fast two-sum: hi + lo = m + s/W exactly
        return hi, lo, np.maximum(m2, 0.0)


class Spec(NamedTuple):
    stats: Callable  # (family, Sums) -> dict of Stats fields (arrays (G,) or scalars)
    mle: Callable  # (family, stats, fixed) -> (params name -> (G,), ok (G,) bool)
    variances: Callable  # (family, stats, params, free) -> name -> Var (G,)


def _base(s: Sums) -> dict:
    return {"count": s.counts, "weight": s.weight}


def _moment_stats(log: bool):
    def stats(family, s):
        hi, lo, m2 = s.moments(np.log(s.x) if log else s.x)
        return {**_base(s), "mean_hi": hi, "mean_lo": lo, "m2": m2}

    return stats


def _normal_mle(family, st, fixed):
    G = st.weight.shape[0]
    loc = np.full(G, float(fixed["loc"])) if "loc" in fixed else st.mean_hi + st.mean_lo
    if "scale" in fixed:
        return {"loc": loc, "scale": np.full(G, float(fixed["scale"]))}, np.ones(G, dtype=bool)
    ss = st.sq_dev_about(loc)
    denom = st.weight - (0 if "loc" in fixed else family.ddof)
    ok = (ss > 0.0) & ((st.count > 1) | ("loc" in fixed))
    with np.errstate(invalid="ignore", divide="ignore"):
        return {"loc": loc, "scale": np.sqrt(ss / denom)}, ok


def _normal_var(family, st, p, free):
    return {"loc": p["scale"] ** 2 / st.weight, "scale": p["scale"] ** 4 / (2.0 * st.sq_dev_about(p["loc"]))}


def _one(name: str, estimate: Callable, variance: Callable, valid: Callable):
    """Spec pieces of a one-parameter family: estimate(st), variance(st, value), valid(st)."""

    def mle(family, st, fixed):
        G = st.weight.shape[0]
        if name in fixed:
            return {name: np.full(G, float(fixed[name]))}, np.ones(G, dtype=bool)
        with np.errstate(invalid="ignore", divide="ignore"):
            return {name: estimate(family, st)}, valid(st)

    def variances(family, st, p, free):
        return {name: variance(st, p[name])}

    return mle, variances


def _sum_stats(**fields):
    """Stats fields that are weighted sums of per-row functions of x (and the family)."""

    def stats(family, s):
        return {**_base(s), **{k: (f(family, s) if callable(f) else f) for k, f in fields.items()}}

    return stats


def _gammaln(v):
    from scipy.special import gammaln

    return gammaln(v)


def _log_coef(family, s):
    n = family.total_count
    return s.total(_gammaln(n + 1.0) - _gammaln(s.x + 1.0) - _gammaln(n - s.x + 1.0))


def _solve_shape(score, slope, k0):
    """Vectorised Gamma ``_solve_shape``: the root of each increasing score(k), Newton in
    t = log k inside the bracket the signs have established (bisection when a step leaves it),
    stopping per group at |Δt| ≤ 4e-16·max(1, |t|); NaN where 200 steps do not settle."""
    t = np.log(k0)
    lo, hi = np.full_like(t, -np.inf), np.full_like(t, np.inf)
    out = np.full_like(t, np.nan)
    act = np.flatnonzero(np.isfinite(t))
    for _ in range(200):
        if not act.size:
            break
        ta = t[act]
        k = np.exp(ta)
        g = score(k, act)
        zero = g == 0.0
        out[act[zero]] = k[zero]
        hi[act] = np.where(g > 0.0, ta, hi[act])
        lo[act] = np.where(g < 0.0, ta, lo[act])
        with np.errstate(invalid="ignore", divide="ignore"):
            t_new = ta - g / (slope(k, act) * k)
        lo_a, hi_a = lo[act], hi[act]
        inside = (lo_a < t_new) & (t_new < hi_a)
        mid = np.where(np.isfinite(lo_a + hi_a), 0.5 * (lo_a + hi_a), ta + np.where(g < 0.0, 1.0, -1.0))
        t_new = np.where(inside, t_new, mid)
        settled = ~zero & (np.abs(t_new - ta) <= 4e-16 * np.maximum(1.0, np.abs(ta)))
        out[act[settled]] = np.exp(t_new[settled])
        t[act] = t_new
        act = act[~(zero | settled)]
    return out


def _minka(mean, mean_log):
    s = np.log(mean) - mean_log
    with np.errstate(invalid="ignore", divide="ignore"):
        k = (3.0 - s + np.sqrt((s - 3.0) ** 2 + 24.0 * s)) / (12.0 * s)
    return np.where(s > 1e-12, k, 1e6)


def _gamma_mle(family, st, fixed):
    from scipy.special import digamma, polygamma

    G = st.weight.shape[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean, mean_log = st.sum_x / st.weight, st.sum_log_x / st.weight
    ok = np.isfinite(mean) & np.isfinite(mean_log) & (mean > 0)
    if "concentration" in fixed:
        k = np.full(G, float(fixed["concentration"]))
        rate = np.full(G, float(fixed["rate"])) if "rate" in fixed else k / mean
        return {"concentration": k, "rate": rate}, ok
    if "rate" in fixed:
        rate = np.full(G, float(fixed["rate"]))
        c = math.log(float(fixed["rate"])) + mean_log
        k = _solve_shape(lambda k, i: digamma(k) - c[i], lambda k, i: polygamma(1, k), _minka(mean, mean_log))
        return {"concentration": k, "rate": rate}, ok & np.isfinite(k)
    with np.errstate(invalid="ignore", divide="ignore"):
        s_stat = np.log(mean) - mean_log
    ok &= s_stat > 1e-14 * np.maximum(1.0, np.abs(mean_log))
    start = np.where(ok, _minka(mean, mean_log), np.nan)
    k = _solve_shape(lambda k, i: s_stat[i] - np.log(k) + digamma(k), lambda k, i: polygamma(1, k) - 1.0 / k, start)
    return {"concentration": k, "rate": k / mean}, ok & np.isfinite(k)


def _gamma_var(family, st, p, free):
    from scipy.special import polygamma

    k, rate, W = p["concentration"], p["rate"], st.weight
    i_kk, i_kb, i_bb = W * polygamma(1, k), -W / rate, W * k / rate**2
    if len(free) == 2:
        det = i_kk * i_bb - i_kb * i_kb
        return {"concentration": i_bb / det, "rate": i_kk / det}
    return {"concentration": 1.0 / i_kk, "rate": 1.0 / i_bb}


_NORMAL = Spec(_moment_stats(False), _normal_mle, _normal_var)
_LOGNORMAL = Spec(_moment_stats(True), _normal_mle, _normal_var)
_EXPONENTIAL = Spec(
    _sum_stats(sum_hi=lambda f, s: s.total(s.x), sum_lo=0.0),
    *_one("rate", lambda f, st: st.weight / (st.sum_hi + st.sum_lo), lambda st, r: r**2 / st.weight,
          lambda st: st.sum_hi + st.sum_lo > 0.0),
)
_POISSON = Spec(
    _sum_stats(total=lambda f, s: s.total(s.x), log_factorial=lambda f, s: s.total(_gammaln(s.x + 1.0))),
    *_one("rate", lambda f, st: st.total / st.weight, lambda st, r: r / st.weight, lambda st: st.total > 0.0),
)
_BINARY = _one("probs", lambda f, st: st.successes / (st.successes + st.failures),
               lambda st, p: p * (1.0 - p) / (st.successes + st.failures), lambda st: st.successes + st.failures > 0)
_BERNOULLI = Spec(_sum_stats(successes=lambda f, s: s.total(s.x), failures=lambda f, s: s.total(1.0 - s.x)), *_BINARY)
_BINOMIAL = Spec(
    _sum_stats(successes=lambda f, s: s.total(s.x), failures=lambda f, s: s.total(f.total_count - s.x),
               log_coef=_log_coef, total_count=lambda f, s: f.total_count),
    *_BINARY,
)
_GEOMETRIC = Spec(
    _sum_stats(failures=lambda f, s: s.total(s.x)),
    *_one("probs", lambda f, st: st.weight / (st.weight + st.failures), lambda st, p: p * p * (1.0 - p) / st.weight,
          lambda st: st.weight > 0),
)
_GAMMA = Spec(_sum_stats(sum_x=lambda f, s: s.total(s.x), sum_log_x=lambda f, s: s.total(np.log(s.x))), _gamma_mle, _gamma_var)

SPECS = {"normal": _NORMAL, "lognormal": _LOGNORMAL, "exponential": _EXPONENTIAL, "poisson": _POISSON,
         "bernoulli": _BERNOULLI, "binomial": _BINOMIAL, "geometric": _GEOMETRIC, "gamma": _GAMMA}


class ClosedFits(NamedTuple):
    """Every group's estimates, standard errors (NaN for a fixed parameter or one on the edge of
    its domain), log-likelihood and statistics; ``ok`` False where the group needs its own fit."""

    params: dict
    stderr: dict
    loglik: np.ndarray
    stats: dict
    stats_type: type
    ok: np.ndarray


def fit_closed(family, spec: Spec, sums: Sums, fixed: dict, stats_type: type) -> ClosedFits:
    with np.errstate(all="ignore"):
        fields = spec.stats(family, sums)
        st = stats_type(**fields)
        params, ok = spec.mle(family, st, fixed)
        free = tuple(k for k in family.param_names if k not in fixed)
        loglik = np.asarray(family.loglik_from_stats(st, params), dtype=float)
        var = spec.variances(family, st, params, free)
        stderr = {}
        for k in family.param_names:
            if k in fixed:
                stderr[k] = np.full(sums.counts.shape[0], np.nan)
                continue
            inside = family.param(k).constraint.check(params[k])
            stderr[k] = np.where(inside & (var[k] >= 0), np.sqrt(np.abs(var[k])), np.nan)
        ok = ok & np.isfinite(loglik) & np.all([np.isfinite(v) for v in params.values()], axis=0)
    return ClosedFits(params, stderr, loglik, fields, stats_type, ok)


def group_stats(fits: ClosedFits, j: int):
    """Group j's statistics as the family's own Stats object (count an int, sums floats)."""
    one = {k: (int(v[j]) if k == "count" else float(v[j])) if isinstance(v, np.ndarray) else v
           for k, v in fits.stats.items()}
    return fits.stats_type(**one)
