"""compare: fit several families to the same data and rank them by AIC.

For candidates i with AICᵢ = 2kᵢ − 2ℓᵢ:  ΔAICᵢ = AICᵢ − min AIC, and the Akaike weight
wᵢ = exp(−ΔAICᵢ/2) / Σⱼ exp(−ΔAICⱼ/2) (the relative likelihood of each model in the set).
A candidate that cannot be fitted to these data (data outside its support, a degenerate fit,
no convergence) is listed as not applicable with the reason instead of failing the call.
``gof=True`` adds each fit's goodness-of-fit statistics with parametric-bootstrap p-values
(:mod:`maxlik.gof`) beside AIC and BIC.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from .errors import ConvergenceWarning, DataError, DegenerateFitError, FitFailedError, ParameterError
from .results import SUMMARY_WIDTH, plain, wrap_text
from .status import Status


@dataclass
class CompareRow:
    """One candidate: its fit's ``loglik``, ``n_params``, ``aic``, ``bic`` (from the fit's result),
    ``delta_aic`` and ``akaike_weight``; ``reason`` says why a candidate is not applicable."""

    family: str
    params: dict | None = None
    loglik: float | None = None
    n_params: int | None = None
    aic: float | None = None
    delta_aic: float | None = None
    akaike_weight: float | None = None
    bic: float | None = None
    converged: bool | None = None
    reason: str | None = None  # why the candidate is not applicable
    result: object = field(default=None, repr=False, compare=False)
    gof: object = field(default=None, repr=False, compare=False)  # GofResult with compare(gof=True)
    gof_reason: str | None = None  # why gof=True gave no statistics for this candidate

    @property
    def applicable(self) -> bool:
        return self.reason is None

    @property
    def k(self) -> int | None:
        warnings.warn("CompareRow.k is deprecated; use n_params.", DeprecationWarning, stacklevel=2)
        return self.n_params

    @property
    def weight(self) -> float | None:
        warnings.warn("CompareRow.weight is deprecated; use akaike_weight (a result's weight is its Σw).",
                      DeprecationWarning, stacklevel=2)
        return self.akaike_weight

    def to_dict(self) -> dict:
        keys = ("family", "loglik", "n_params", "aic", "delta_aic", "akaike_weight", "bic", "converged", "reason")
        d = {k: getattr(self, k) for k in keys}
        d["params"] = None if self.params is None else {k: plain(v) for k, v in self.params.items()}
        if self.gof is not None or self.gof_reason is not None:
            d["gof"] = None if self.gof is None else self.gof.to_dict()
            d["gof_reason"] = self.gof_reason
        return d


@dataclass
class CompareTable:
    """Rows sorted by AIC (best first), then the candidates that were not applicable."""

    rows: list[CompareRow]

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]

    @property
    def best(self) -> CompareRow:
        return self.rows[0]

    def to_dict(self) -> dict:
        return {"rows": [r.to_dict() for r in self.rows]}

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), **kwargs)

    def to_text(self) -> str:
        warnings.warn("CompareTable.to_text is deprecated; use summary().", DeprecationWarning, stacklevel=2)
        return self.summary()

    def summary(self) -> str:
        """The ranking as text in 80 columns: log-likelihood, k (= n_params), AIC, ΔAIC, Akaike
        weight, BIC; each family's parameters (or why it does not apply) wrapped below its row."""
        fw = max([len("family"), *(len(r.family) for r in self.rows)]) + 2
        head = f"{'family':<{fw}}{'loglik':>13}{'k':>4}{'AIC':>13}{'ΔAIC':>9}{'weight':>8}{'BIC':>13}"
        lines = [head, "-" * len(head)]
        for r in self.rows:
            if not r.applicable:
                lines += wrap_text(r.reason, SUMMARY_WIDTH, f"{r.family:<{fw}}not applicable: ", " " * fw)
                continue
            ps = ", ".join(f"{k}={format_param(v)}" for k, v in r.params.items())
            at_edge = r.result is not None and r.result.status is Status.BOUNDARY
            note = "" if r.converged else ("  (boundary: its limit)" if at_edge else "  (not converged)")
            lines.append(
                f"{r.family:<{fw}}{r.loglik:>13.6g}{r.n_params:>4}{r.aic:>13.6g}{r.delta_aic:>9.4g}{r.akaike_weight:>8.4f}{r.bic:>13.6g}{note}"
            )
            lines += wrap_text(ps, SUMMARY_WIDTH, "    ", "    ")
        return "\n".join(lines + self._gof_lines(fw))

    def _gof_lines(self, fw: int) -> list[str]:
        """The goodness-of-fit block of compare(gof=True): statistics and bootstrap p-values."""
        asked = [r for r in self.rows if r.applicable and (r.gof is not None or r.gof_reason is not None)]
        if not asked:
            return []
        n_boot = next((r.gof.n_boot for r in asked if r.gof is not None), 0)
        have = {k for r in asked if r.gof is not None for k in r.gof.statistics}
        cols = [(k, label, w) for k, label, w in (("ks", "KS", 9), ("cvm", "CvM", 9), ("ad", "AD", 9), ("chisq", "chisq", 10))
                if k in have]
        head = f"{'family':<{fw}}" + "".join(f"{label:>{w}}{f'p({label})':>{len(label) + 5}}" for _, label, w in cols)
        lines = ["", f"goodness of fit: p-values by parametric bootstrap ({n_boot} samples, parameters refitted)",
                 head, "-" * len(head)]
        for r in asked:
            if r.gof is None:
                lines += wrap_text(r.gof_reason, SUMMARY_WIDTH, f"{r.family:<{fw}}no statistics: ", " " * fw)
                continue
            st, p = r.gof.statistics, r.gof.p_values
            cells = "".join(f"{st[k]:>{w}.4g}{p[k]:>{len(label) + 5}.3f}" if k in st else " " * (w + len(label) + 5)
                            for k, label, w in cols)
            lines.append(f"{r.family:<{fw}}{cells}".rstrip())
            if r.gof.n_failed:
                lines.append(f"{'':<{fw}}({r.gof.n_failed} of {r.gof.n_boot} refits failed; left out)")
        return lines

    def __str__(self) -> str:
        return self.summary()


def format_param(v) -> str:
    """A parameter value in 4 significant digits, a vector element by element (the tables' form)."""
    a = np.asarray(v, dtype=float)
    return f"{float(a):.4g}" if a.ndim == 0 else np.array2string(a, precision=4, threshold=6)


def _fitted_row(x, fam, label: str, weights, options: dict) -> CompareRow:
    """One family's row: its fit, or the reason it does not apply (an error or a non-finite loglik)."""
    from .fitting import fit

    for option in ("fixed", "init"):
        missing = [k for k in (options.get(option) or {}) if k not in fam.param_names]
        if missing:
            return CompareRow(family=label, reason=(
                f"{fam.display_name} has no parameter {missing[0]!r} to {'hold fixed' if option == 'fixed' else 'start from'} "
                f"(its parameters: {', '.join(fam.param_names)})"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            r = fit(x, fam, weights=weights, **options)
    except (DataError, DegenerateFitError, FitFailedError) as e:  # SupportError is a DataError
        return CompareRow(family=label, reason=str(e))
    if not math.isfinite(r.loglik):
        return CompareRow(family=label, reason=f"log-likelihood is not finite ({r.loglik})")
    return CompareRow(family=label, params=dict(r.params), loglik=r.loglik, n_params=r.n_params, aic=r.aic,
                      bic=r.bic, converged=r.converged, result=r)


def _add_gof(row: CompareRow, n_boot, seed) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # failed refits: counted in gof.n_failed
            row.gof = row.result.gof(n_boot=n_boot, seed=seed)
    except ParameterError as e:
        if "n_boot" in str(e):
            raise
        row.gof_reason = str(e)


def compare(x, families, *, weights=None, progress=None, gof: bool = False, n_boot: int | None = None,
            gof_seed=None, **options) -> CompareTable:
    """Fit every family in ``families`` (names, classes or instances) to ``x``; rank by AIC.

    Returns a :class:`CompareTable` (``str(table)`` prints it; ``table.to_dict()``; ``table.best``).
    Unknown family names raise UnknownFamilyError (a typo should not be silently skipped).
    ``progress``: called with each family's label after its fit (the CLI's progress bar).
    ``gof=True``: each row's ``gof`` is ``result.gof(n_boot=n_boot or 999, seed=gof_seed)`` (KS, CvM,
    AD or chi-square with bootstrap p-values); ``seed`` stays the fit's option (it seeds random starts).
    """
    if not gof and (n_boot is not None or gof_seed is not None):
        raise ParameterError("compare: n_boot and gof_seed go with gof=True; got them without it. "
                             "Pass gof=True to add goodness-of-fit statistics.")
    from .families import get_family

    fams = [get_family(f, owner="compare") for f in families]
    if not fams:
        raise ParameterError("compare: families must list at least one candidate; got none. E.g. ['normal', 'gamma'].")
    ok, bad = [], []
    for fam in fams:
        label = fam.name if not fam.options else repr(fam)
        row = _fitted_row(x, fam, label, weights, options)
        if gof and row.reason is None:
            _add_gof(row, 999 if n_boot is None else n_boot, gof_seed)
        (ok if row.reason is None else bad).append(row)
        if progress is not None:
            progress(label)
    if ok:
        best = min(r.aic for r in ok)
        rel = [math.exp(-0.5 * (r.aic - best)) for r in ok]
        total = sum(rel)
        for r, q in zip(ok, rel):
            r.delta_aic = r.aic - best
            r.akaike_weight = q / total
        ok.sort(key=lambda r: r.aic)
    return CompareTable(ok + bad)
