"""Goodness of fit of a univariate fit: EDF statistics, the chi-square statistic, bootstrap p-values.

For the sorted sample x₍₁₎ ≤ … ≤ x₍ₙ₎ and Fᵢ = F(x₍ᵢ₎ | θ̂), Sᵢ = 1 − Fᵢ (fitdistrplus
``gofstat``'s formulas):

    Kolmogorov–Smirnov   D  = maxᵢ max(i/n − Fᵢ, Fᵢ − (i−1)/n)
    Cramér–von Mises     W² = 1/(12n) + Σᵢ (Fᵢ − (2i−1)/(2n))²
    Anderson–Darling     A² = −n − (1/n) Σᵢ (2i−1) (log Fᵢ + log Sₙ₊₁₋ᵢ)

(Sᵢ from the family's survival function where Fᵢ > 1/2, not 1 − Fᵢ, so the upper tail keeps its
digits). For a
discrete family, the chi-square statistic Σ (Oⱼ − Eⱼ)²/Eⱼ on gofstat's cells: break points taken
from the sorted data every ``meancount = round(n / (4n)^(2/5))`` observations, a last cell above
the last break, df = cells − 1 − (free parameters).

The p-values are by parametric bootstrap: ``n_boot`` samples of size n drawn from the fit, each
refitted (all together: :func:`maxlik._refit_many.refit_many`) and its statistic computed at its
own estimate; p = (1 + #{T_b ≥ T}) / (1 + B) over the B replicates that converged. With
estimated parameters this is the statistic's null distribution; the classical KS / CvM / AD
tables assume known parameters and are not offered.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from . import constraints as C
from ._refit_many import check_n_boot, fit_of_limit, refit_each, refit_many
from .errors import ConvergenceWarning, ParameterError
from .results import plain

EDF = ("ks", "cvm", "ad")
NAMES = {"ks": "Kolmogorov-Smirnov", "cvm": "Cramer-von Mises", "ad": "Anderson-Darling", "chisq": "chi-square"}


def is_discrete(family) -> bool:
    return isinstance(family.support, C.IntegerInterval)


def edf_statistics(F: np.ndarray, S: np.ndarray) -> dict:
    """KS, CvM and AD of samples whose sorted values have CDF ``F`` and survival ``S`` (B, n) (or (n,))."""
    n = F.shape[-1]
    i = np.arange(1, n + 1)
    ks = np.maximum(i / n - F, F - (i - 1) / n).max(axis=-1)
    cvm = 1.0 / (12 * n) + ((F - (2 * i - 1) / (2 * n)) ** 2).sum(axis=-1)
    with np.errstate(divide="ignore"):
        ad = -n - ((2 * i - 1) * (np.log(F) + np.log(S[..., ::-1]))).sum(axis=-1) / n
    return {"ks": ks, "cvm": cvm, "ad": ad}


def chisq_breaks(x_sorted: np.ndarray) -> np.ndarray | None:
    """gofstat's cell boundaries: every ``meancount``-th of the values left above the last break,
    while more than 1.5·meancount remain (None when the sample is too small)."""
    n = x_sorted.shape[0]
    meancount = round(n / (4 * n) ** 0.4)
    if meancount < 1:
        return None
    breaks, rest = [], x_sorted
    while rest.shape[0] > math.ceil(1.5 * meancount):
        limit = rest[meancount - 1]
        breaks.append(limit)
        rest = rest[np.searchsorted(rest, limit, side="right"):]
    return np.asarray(breaks, dtype=float) if breaks else None


def chisq_statistic(family, params: dict, x_sorted: np.ndarray, n_free: int) -> dict | None:
    """gofstat's chi-square: statistic, df, cells (upper break, observed, expected); None when
    the sample is too small for cells."""
    n = x_sorted.shape[0]
    breaks = chisq_breaks(x_sorted)
    if breaks is None:
        return None
    p_at = np.asarray(family.cdf(params, breaks), dtype=float)
    f_at = np.searchsorted(x_sorted, breaks, side="right") / n  # the empirical CDF at the breaks
    if p_at[-1] == 1 and f_at[-1] == 1:
        p, f = np.diff(p_at, prepend=0.0), np.diff(f_at, prepend=0.0)
    else:
        p = np.append(np.diff(p_at, prepend=0.0), 1 - p_at[-1])
        f = np.append(np.diff(f_at, prepend=0.0), 1 - f_at[-1])
    observed, expected = np.round(f * n), p * n
    stat = float(np.sum((observed - expected) ** 2 / expected))
    return {"chisq": stat, "df": int(observed.shape[0] - 1 - n_free), "breaks": breaks, "observed": observed,
            "expected": expected}


class GofResult:
    """What :func:`gof` returns.

    statistics : dict name -> value ("ks", "cvm", "ad"; or "chisq" for a discrete family)
    p_values : dict name -> parametric-bootstrap p-value (parameters re-estimated on every sample)
    null : dict name -> array (B_ok,) of the statistic on the samples whose refit converged
    n_boot, n_failed : samples drawn, and those whose refit failed (left out of the p-values)
    chisq_df, chisq_pvalue, chisq_table : discrete families: gofstat's df, the asymptotic
        χ²(df) p-value (None when df ≤ 0), and the cells (break, observed, expected)
    """

    def __init__(self, family, statistics, p_values, null, n_boot, n_failed, chisq=None):
        self.family, self.statistics, self.p_values, self.null = family, statistics, p_values, null
        self.n_boot, self.n_failed = n_boot, n_failed
        self.chisq_df = None if chisq is None else chisq["df"]
        self.chisq_pvalue = None
        if chisq is not None and chisq["df"] > 0:
            from scipy.special import chdtrc  # the χ² survival function (scipy.stats is slow to import)

            self.chisq_pvalue = float(chdtrc(chisq["df"], chisq["chisq"]))
        self.chisq_table = None if chisq is None else {k: chisq[k] for k in ("breaks", "observed", "expected")}
        self.limit_of = None  # (family, Limit) when the fit tested was a boundary fit's limit model

    def to_dict(self) -> dict:
        return {"family": self.family.name, "statistics": dict(self.statistics), "p_values": dict(self.p_values),
                "limit_of": None if self.limit_of is None else self.limit_of[0].name,
                "n_boot": self.n_boot, "n_failed": self.n_failed, "chisq_df": self.chisq_df,
                "chisq_pvalue": self.chisq_pvalue,
                "chisq_table": None if self.chisq_table is None else {k: plain(v) for k, v in self.chisq_table.items()}}

    def summary(self) -> str:
        lines = [f"Goodness of fit: {self.family!r}"]
        if self.limit_of is not None:
            family, limit = self.limit_of
            lines.append(f"the {family.display_name} fit is at its boundary ({limit.param} → {limit.edge_text}): the fitted "
                         f"distribution is its limit, the {self.family.display_name}, tested here")
        lines += [
                 f"p-values by parametric bootstrap: {self.n_boot} samples, parameters re-estimated on each"
                 + (f"; {self.n_failed} refits failed and are left out" if self.n_failed else ""),
                 f"{'statistic':<22}{'value':>14}{'p-value':>10}"]
        for k, v in self.statistics.items():
            lines.append(f"{NAMES[k]:<22}{v:>14.6g}{self.p_values[k]:>10.4f}")
        if self.chisq_df is not None:
            asym = "n/a (df <= 0)" if self.chisq_pvalue is None else f"{self.chisq_pvalue:.4g}"
            lines.append(f"chi-square df = {self.chisq_df}; asymptotic p-value {asym}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"GofResult({self.statistics}, p_values={self.p_values}, n_boot={self.n_boot}, n_failed={self.n_failed})"


def _statistics(family, params: dict, x_sorted: np.ndarray, n_free: int):
    """The statistics of one sample or of B samples (x_sorted (B, n), params of arrays (B,))."""
    if is_discrete(family):
        if x_sorted.ndim == 1:
            c = chisq_statistic(family, params, x_sorted, n_free)
            return ({"chisq": np.nan} if c is None else {"chisq": c["chisq"]}), c
        out = np.full(x_sorted.shape[0], np.nan)
        for b in range(x_sorted.shape[0]):  # cells depend on each sample's values
            c = chisq_statistic(family, {k: v[b] for k, v in params.items()}, x_sorted[b], n_free)
            out[b] = np.nan if c is None else c["chisq"]
        return {"chisq": out}, None
    cols = {k: (np.asarray(v, dtype=float)[:, None] if x_sorted.ndim == 2 else v) for k, v in params.items()}
    F = np.asarray(family.cdf(cols, x_sorted), dtype=float)
    S = 1.0 - F  # exact to rounding where F <= 1/2; the survival function itself in the upper half
    upper = F > 0.5
    if upper.any():
        S[upper] = family.sf({k: np.broadcast_to(v, x_sorted.shape)[upper] for k, v in cols.items()}, x_sorted[upper])
    return edf_statistics(F, S), None


def gof(result, n_boot: int = 999, seed=None) -> GofResult:
    """Goodness of fit of ``result`` (a univariate ``maxlik.fit`` on data in memory).

    Draws ``n_boot`` samples of the data's size from the fitted distribution, refits each (one
    batched call; by repeated fits where the fit used options that the batch does not take:
    truncation, a threshold family, an optimizer), and returns a :class:`GofResult`.
    """
    owner = "gof"
    n_boot = check_n_boot(n_boot, owner)
    fam = result.family
    if fam.event_ndim != 0:
        raise ParameterError(f"{owner}: the family must be univariate; got {fam.display_name}, a multivariate family. "
                             "Test each margin with its own univariate fit, or compare models by AIC (maxlik.compare).")
    spec = getattr(result, "_resample", None)
    if spec is None or spec.kind != "array":
        what = "censored data" if spec is not None and spec.kind == "censored" else (
            "a custom likelihood (fit_loglik)" if spec is not None else "no data in memory (a file or Dask source, or a stored result)")
        raise ParameterError(f"{owner}: the result must be a fit of uncensored data in memory; got {what}. "
                             "Fit an array with maxlik.fit to test its goodness of fit.")
    if spec.weights is not None:
        raise ParameterError(f"{owner}: the fit must be unweighted; got a weighted fit (the EDF statistics have no "
                             "weighted form here, as in fitdistrplus's gofstat). Expand integer weights into rows.")
    limit = getattr(result, "limit", None)
    if limit is not None:  # status boundary: the fitted distribution is the limit model (df = ∞: the Normal)
        return _gof_of_limit(result, limit, spec, n_boot, seed)
    x = np.sort(np.asarray(fam.validate_data(spec.data), dtype=float))
    n, n_free = x.shape[0], result.n_params
    observed, chisq = _statistics(fam, result.params, x, n_free)
    rng = np.random.default_rng(seed)
    samples = np.asarray(fam.sample(result.params, n_boot * n, rng), dtype=float).reshape(n_boot, n)
    params, ok = _refit(spec, fam, samples)
    null, _ = _statistics(fam, {k: v[ok] for k, v in params.items()}, np.sort(samples[ok], axis=1), n_free)
    n_failed = int(n_boot - ok.sum())
    if n_failed:
        warnings.warn(f"{owner}: {n_failed} of {n_boot} bootstrap refits did not converge; the p-values use the other "
                      f"{n_boot - n_failed} (GofResult.n_failed).", ConvergenceWarning, stacklevel=3)
    p_values = {}
    for k, t in observed.items():
        null_k = null[k][np.isfinite(null[k])]
        p_values[k] = float((1 + np.sum(null_k >= t)) / (1 + null_k.shape[0])) if math.isfinite(t) else math.nan
    stats = {k: float(v) for k, v in observed.items()}
    return GofResult(fam, stats, p_values, null, n_boot, n_failed, chisq)


def _gof_of_limit(result, limit, spec, n_boot: int, seed) -> GofResult:
    """A fit at its family's boundary (Student-t df → ∞, negative binomial total_count → ∞) is
    the limit model fitted to the data (the Normal, the Poisson): its goodness of fit is the
    limit's, with the limit family refitted on every bootstrap sample. The family's own edge
    parameters (df = ∞, probs = 0) would give no distribution to test, and its refits would end at
    the same boundary and be counted as failures."""
    out = gof(fit_of_limit(limit, spec), n_boot=n_boot, seed=seed)
    out.limit_of = (result.family, limit)
    return out


def _refit(spec, fam, samples: np.ndarray) -> tuple[dict, np.ndarray]:
    """Estimates (B,) and converged (B,) of every sample: batched where the fit allows it."""
    if spec.batched:
        return refit_many(fam, samples, fixed=spec.fixed or None)
    return refit_each(spec, [s for s in samples], fam.param_names)
