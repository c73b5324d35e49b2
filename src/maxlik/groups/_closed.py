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



class Sums:
    """Weighted per-group sums: ``totals(f₁, f₂, …)`` = [Σ_{n∈j} wₙ f(xₙ)]ⱼ for each f (arrays
    (G,)). Grouped rows (``seg.codes`` None): one blocked pass of ``np.add.reduceat``; rows in any
    order: ``np.bincount`` by label code (x and w then in their original order)."""

    def __init__(self, seg, x, w):
        self.seg, self.x, self.w = seg, x, w
        self.counts = seg.counts
        self.weight = seg.counts.astype(float) if w is None else self.totals(None)[0]

    def totals(self, *fns) -> list:
        """For each fn (None: the weights), the per-group Σ w fn(x)."""
        if self.seg.codes is not None:
            def weighted(fn):
                if fn is None:
                    return lambda xb, wb: np.ones_like(xb) if wb is None else wb
                return lambda xb, wb: fn(xb) if wb is None else wb * fn(xb)

            return [self.seg.bincount(weighted(fn), self.x, self.w) for fn in fns]

        def block(local, xb, wb):
            out = []
            for fn in fns:
                v = (np.ones_like(xb) if wb is None else wb) if fn is None else fn(xb)
                out.append(np.add.reduceat(v if wb is None or fn is None else wb * v, local))
            return out

        return self.seg.map_blocks(block, self.x, self.w)

    def moments(self, fn=None):
        """(mean_hi, mean_lo, m2) per group of v = fn(x): the corrected two-pass algorithm of
        ``families._moments`` (centre on the group mean, then correct by the residual sum), each
        block's values staying in cache between the passes."""

        def finish(W, m, s, q):
            hi = m + s / W
            return hi, s / W - (hi - m), np.maximum(q - s * s / W, 0.0)  # fast two-sum: hi + lo = m + s/W

        if self.seg.codes is not None:  # three passes by code: mean, then Σ w d and Σ w d² about it
            seg, W = self.seg, self.weight
            value = (lambda xb: xb) if fn is None else fn
            m = self.totals(value)[0] / W
            codes = seg.codes

            def centred(power):
                def f(xb, wb, cb):
                    d = value(xb) - m[cb]
                    dd = d if power == 1 else d * d
                    return dd if wb is None else wb * dd
                return f

            s = seg.bincount(centred(1), self.x, self.w, codes)
            q = seg.bincount(centred(2), self.x, self.w, codes)
            return finish(W, m, s, q)

        def block(local, xb, wb):
            v = xb if fn is None else fn(xb)
            counts = np.diff(np.append(local, v.shape[0]))
            W = counts.astype(float) if wb is None else np.add.reduceat(wb, local)
            m = np.add.reduceat(v if wb is None else wb * v, local) / W
            d = v - np.repeat(m, counts)
            wd = d if wb is None else wb * d
            return finish(W, m, np.add.reduceat(wd, local), np.add.reduceat(wd * d, local))

        return self.seg.map_blocks(block, self.x, self.w)


class Spec(NamedTuple):
    stats: Callable  # (family, Sums) -> dict of Stats fields (arrays (G,) or scalars)
    mle: Callable  # (family, stats, fixed) -> (params name -> (G,), ok (G,) bool)
    variances: Callable  # (family, stats, params, free) -> name -> Var (G,)


def _base(s: Sums) -> dict:
    return {"count": s.counts, "weight": s.weight}


def _moment_stats(log: bool):
    def stats(family, s):
        hi, lo, m2 = s.moments(np.log if log else None)
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


def _sum_stats(rows: dict, consts: dict | None = None):
    """Stats fields that are weighted sums of per-row values ``rows[name](family, x)`` (all in one
    pass), and per-family constants ``consts[name](family)``."""

    def stats(family, s):
        sums = s.totals(*[lambda x, fn=fn: fn(family, x) for fn in rows.values()])
        return {**_base(s), **dict(zip(rows, sums)), **{k: fn(family) for k, fn in (consts or {}).items()}}

    return stats


def _gammaln(v):
    from scipy.special import gammaln

    return gammaln(v)


def _log_coef(family, x):
    n = family.total_count
    return _gammaln(n + 1.0) - _gammaln(x + 1.0) - _gammaln(n - x + 1.0)


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
        tiny = np.abs(t_new - ta) <= 4e-16 * np.maximum(1.0, np.abs(ta))
        lo_a, hi_a = lo[act], hi[act]
        # a step at rounding level is settled even when the bracket, already closed on t by a
        # score of rounding size, rejects it (Gamma's scalar loop then bisects ~50 times back to t)
        inside = ((lo_a < t_new) & (t_new < hi_a)) | tiny
        mid = np.where(np.isfinite(lo_a + hi_a), 0.5 * (lo_a + hi_a), ta + np.where(g < 0.0, 1.0, -1.0))
        t_new = np.where(inside, t_new, mid)
        settled = ~zero & (np.abs(t_new - ta) <= 4e-16 * np.maximum(1.0, np.abs(ta)))
        out[act[settled]] = np.exp(t_new[settled])
        t[act] = t_new
        act = act[~(zero | settled)]
    return out


def _trigamma_minus_inverse(k, shift_to: float = 10.0):
    """ψ′(k) − 1/k to ~1e-14 relative (scipy's ψ′ = ζ(2, k) costs ~10x more on arrays): the
    recurrence ψ′(k) = ψ′(k + 1) + 1/k² up to y = k + m ≥ 10, then the asymptotic series
    ψ′(y) = 1/y + 1/(2y²) + Σⱼ B₂ⱼ / y^(2j+1) through B₁₂ (the next term is < 1e-14 ψ′(y); with
    ``shift_to=4``, for Newton's slope only, < 1e-9); the 1/k is taken off exactly
    (1/y − 1/k = −m / (k y)), so the difference keeps its digits for large k, where
    ψ′(k) − 1/k ≈ 1/(2k²) is Gamma's profile slope."""
    k = np.asarray(k, dtype=float)
    y, acc = k.copy(), np.zeros_like(k)
    for _ in range(int(shift_to)):
        low = y < shift_to
        if not low.any():
            break
        acc = acc + np.where(low, 1.0 / (y * y), 0.0)
        y = np.where(low, y + 1.0, y)
    r = 1.0 / y
    r2 = r * r
    bernoulli = r2 * (1 / 6 + r2 * (-1 / 30 + r2 * (1 / 42 + r2 * (-1 / 30 + r2 * (5 / 66 + r2 * (-691 / 2730))))))
    return acc - (y - k) / (k * y) + 0.5 * r2 + r * bernoulli


SLOPE_SHIFT = 4.0  # Newton's slope steers only (the root is where the exact score vanishes): ~1e-9 is plenty


def trigamma(k):
    """ψ′(k) (see :func:`_trigamma_minus_inverse`)."""
    return _trigamma_minus_inverse(k) + 1.0 / np.asarray(k, dtype=float)


def _minka(mean, mean_log):
    s = np.log(mean) - mean_log
    with np.errstate(invalid="ignore", divide="ignore"):
        k = (3.0 - s + np.sqrt((s - 3.0) ** 2 + 24.0 * s)) / (12.0 * s)
    return np.where(s > 1e-12, k, 1e6)


def _gamma_mle(family, st, fixed):
    from scipy.special import digamma

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
        k = _solve_shape(lambda k, i: digamma(k) - c[i], lambda k, i: _trigamma_minus_inverse(k, SLOPE_SHIFT) + 1.0 / k, _minka(mean, mean_log))
        return {"concentration": k, "rate": rate}, ok & np.isfinite(k)
    with np.errstate(invalid="ignore", divide="ignore"):
        s_stat = np.log(mean) - mean_log
    ok &= s_stat > 1e-14 * np.maximum(1.0, np.abs(mean_log))
    start = np.where(ok, _minka(mean, mean_log), np.nan)
    k = _solve_shape(lambda k, i: s_stat[i] - np.log(k) + digamma(k), lambda k, i: _trigamma_minus_inverse(k, SLOPE_SHIFT), start)
    return {"concentration": k, "rate": k / mean}, ok & np.isfinite(k)


def _gamma_var(family, st, p, free):
    k, rate, W = p["concentration"], p["rate"], st.weight
    i_kk, i_kb, i_bb = W * trigamma(k), -W / rate, W * k / rate**2
    if len(free) == 2:
        det = i_kk * i_bb - i_kb * i_kb
        return {"concentration": i_bb / det, "rate": i_kk / det}
    return {"concentration": 1.0 / i_kk, "rate": 1.0 / i_bb}


def _x(family, x):
    return x


_NORMAL = Spec(_moment_stats(False), _normal_mle, _normal_var)
_LOGNORMAL = Spec(_moment_stats(True), _normal_mle, _normal_var)
_EXPONENTIAL = Spec(
    _sum_stats({"sum_hi": _x}, {"sum_lo": lambda f: 0.0}),
    *_one("rate", lambda f, st: st.weight / (st.sum_hi + st.sum_lo), lambda st, r: r**2 / st.weight,
          lambda st: st.sum_hi + st.sum_lo > 0.0),
)
_POISSON = Spec(
    _sum_stats({"total": _x, "log_factorial": lambda f, x: _gammaln(x + 1.0)}),
    *_one("rate", lambda f, st: st.total / st.weight, lambda st, r: r / st.weight, lambda st: st.total > 0.0),
)
_BINARY = _one("probs", lambda f, st: st.successes / (st.successes + st.failures),
               lambda st, p: p * (1.0 - p) / (st.successes + st.failures), lambda st: st.successes + st.failures > 0)
_BERNOULLI = Spec(_sum_stats({"successes": _x, "failures": lambda f, x: 1.0 - x}), *_BINARY)
_BINOMIAL = Spec(
    _sum_stats({"successes": _x, "failures": lambda f, x: f.total_count - x, "log_coef": _log_coef},
               {"total_count": lambda f: f.total_count}),
    *_BINARY,
)
_GEOMETRIC = Spec(
    _sum_stats({"failures": _x}),
    *_one("probs", lambda f, st: st.weight / (st.weight + st.failures), lambda st, p: p * p * (1.0 - p) / st.weight,
          lambda st: st.weight > 0),
)
_GAMMA = Spec(_sum_stats({"sum_x": _x, "sum_log_x": lambda f, x: np.log(x)}), _gamma_mle, _gamma_var)

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
