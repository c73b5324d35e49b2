"""SimulationResult: what :func:`maxlik.simulate` returns — one row per quantity and sample size.

Columns of ``table`` (a list of dicts; ``to_pandas()`` makes it a DataFrame):

    parameter, n, true        the quantity, the sample size and its true value
    mean, bias, bias_se       the replicates' mean estimate, mean − true and its Monte-Carlo s.e.
    variance, mse             the replicates' variance (ddof=1) and mean squared error about the truth
    cr_bound, efficiency      the Cramér–Rao bound I(θ)⁻¹ / n and bound / variance
    wald_coverage, wald_link_coverage, profile_coverage, coverage_se
                              the fraction of replicates whose interval holds the true value: Wald
                              θ̂ ± z·se, Wald on the unconstrained (log / logit) scale mapped back,
                              profile likelihood; and the Monte-Carlo s.e. √(level (1 − level) / R) of a
                              coverage that equals the nominal level
    n_failed                  replicates without an estimate (left out of every column; the first
                              reason per n in ``failures``)

``information`` says how the bound was obtained ("closed form" or "Monte Carlo (m draws)").
"""

from __future__ import annotations

import math

COLUMNS = ("parameter", "n", "true", "mean", "bias", "bias_se", "variance", "mse", "cr_bound", "efficiency",
           "wald_coverage", "wald_link_coverage", "profile_coverage", "coverage_se", "n_failed")


class SimulationResult:
    def __init__(self, family, true: dict, sizes: list, n_rep: int, level: float, rows: list, estimates: dict,
                 information: str, fixed: tuple = (), failures: dict | None = None):
        self.family, self.true, self.sizes = family, dict(true), list(sizes)
        self.n_rep, self.level, self.table = n_rep, level, rows
        self.estimates = estimates  # n -> {name: (R_ok,) estimates of the converged replicates}
        self.information, self.fixed = information, fixed
        self.failures = dict(failures or {})  # n -> the first failed replicate's reason

    @property
    def parameters(self) -> list[str]:
        """The quantities of the table, in order (free parameters, then derived functions)."""
        return list(dict.fromkeys(r["parameter"] for r in self.table))

    def column(self, name: str, parameter: str) -> list[float]:
        """Column ``name`` of ``parameter``'s rows, one value per n (in ``sizes`` order)."""
        return [r[name] for r in self.table if r["parameter"] == parameter]

    def to_pandas(self):
        import pandas as pd

        return pd.DataFrame(self.table, columns=list(COLUMNS))

    def summary(self) -> str:
        """The table as text: per quantity and n, bias (± its Monte-Carlo s.e.), variance, the
        Cramér–Rao bound, efficiency and the two coverages."""
        pct = f"{100 * self.level:g}%"
        head = [f"simulate: {self.family.display_name} at " + ", ".join(f"{k}={v:g}" for k, v in self.true.items()),
                f"{self.n_rep} replicates per n; fixed (known): {', '.join(self.fixed) or 'none'}; "
                f"Cramér–Rao bound from the expected information ({self.information})",
                f"coverage of {pct} intervals: Wald (natural scale), Wald on the log/logit scale (link), profile likelihood", ""]
        cols = ("parameter", "n", "mean", "bias", "± mc se", "variance", "CR bound", "eff.", "Wald", "link", "profile", "failed")
        lines = ["".join(f"{c:>11}" if i else f"{c:<12}" for i, c in enumerate(cols))]
        for r in self.table:
            cells = [r["mean"], r["bias"], r["bias_se"], r["variance"], r["cr_bound"], r["efficiency"],
                     r["wald_coverage"], r["wald_link_coverage"], r["profile_coverage"]]
            lines.append(f"{r['parameter']:<12}{r['n']:>11}" + "".join(_num(v) for v in cells) + f"{r['n_failed']:>11}")
        notes = [f"n={n}: {r['n_failed']} replicates without an estimate, left out (columns conditional on one); "
                 f"first: {self.failures.get(n, '')}" for r in self.table if r["n_failed"]
                 for n in [r["n"]] if r["parameter"] == self.parameters[0]]
        return "\n".join(head + lines + ([""] + notes if notes else []))

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"SimulationResult({self.family.display_name}, n={self.sizes}, n_rep={self.n_rep})"


def _num(v: float) -> str:
    return f"{'—':>11}" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:>11.4g}"
