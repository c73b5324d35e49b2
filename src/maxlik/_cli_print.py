"""A fitted result on standard output: a Rich table from the result's public ``rows(level)`` and
its header lines, or its JSON; Wald, natural-scale Wald or profile-likelihood intervals."""

from __future__ import annotations

import json

from rich.markup import escape
from rich.table import Table

from ._cli_common import for_shell, out


def _intervals(result, level: float, ci: str) -> dict:
    """label -> (low, high) of every free scalar: ``rows(level)`` (Wald, the default scale),
    estimate ± q·se (``"wald-natural"``) or ``conf_int(level, "profile")``."""
    if ci == "profile":
        return {k: (float(lo), float(hi)) for k, (lo, hi) in result.conf_int(level, method="profile").items()}
    if ci == "wald-natural":
        q = result.reference.quantile(level)
        return {r.label: (r.estimate - q * r.stderr, r.estimate + q * r.stderr) for r in result.rows(level) if r.stderr is not None}
    return {r.label: (r.low, r.high) for r in result.rows(level) if r.stderr is not None}


def _result_table(result, title: str, level: float = 0.95, intervals: dict | None = None) -> Table:
    """A Rich table of any result, from its public ``rows(level)`` (the same table as ``summary()``);
    ``intervals`` (label -> (low, high)) replaces the Wald interval columns, e.g. by profile ones."""
    ref = result.reference.name
    t = Table(title=escape(title), title_justify="left")
    tests = result.show_tests
    pct = f"{100 * level:g}%"
    for col in ("parameter", "estimate", "std err", *((ref, f"P>|{ref}|") if tests else ()), f"{pct} low", f"{pct} high"):
        # fold, never "…": a narrow terminal breaks a long label (or number) over lines, losing nothing
        t.add_column(col, justify="left" if col == "parameter" else "right", overflow="fold")
    for r in result.rows(level):
        if intervals is not None and r.label in intervals:
            r = r._replace(low=intervals[r.label][0], high=intervals[r.label][1])
        if r.stderr is None:
            t.add_row(escape(r.label), f"{r.estimate:.6g}", "(fixed)", *([""] * (4 if tests else 2)))
        else:
            stats = (f"{r.statistic:.3f}", f"{r.pvalue:.3g}") if tests else ()
            t.add_row(escape(r.label), f"{r.estimate:.6g}", f"{r.stderr:.4g}", *stats, f"{r.low:.6g}", f"{r.high:.6g}")
    return t


def _print_result(result, fmt: str, title: str, skip=("model", "family"), extra: dict | None = None,
                  level: float = 0.95, ci: str | None = None) -> None:
    """JSON: ``result.to_dict()`` (plus ``extra``); table: the result's rows, then its header
    lines and ``extra``. ``ci`` ("wald", "wald-natural" or "profile"): intervals at ``level``, in the
    table (its "intervals" line says which) and as ``"conf_int"`` in the JSON."""
    extra = extra or {}
    intervals = None if ci is None else _intervals(result, level, ci)
    if intervals is not None and fmt == "json":
        extra = {**extra, "conf_int": {"level": level, "method": ci, "intervals": {k: list(v) for k, v in intervals.items()}}}
    if fmt == "json":
        print(json.dumps({**result.to_dict(), **extra}, indent=2, default=float) if extra else result.to_json(indent=2))
        return
    out.print(_result_table(result, title, level, intervals))
    chosen = {"profile": "profile likelihood", "wald-natural": "Wald, estimate ± q·std err"}.get(ci)
    head = [(k, chosen if k == "intervals" and chosen else v) for k, v in result.header() if k not in skip]
    for k, v in [*head, *extra.items()]:
        out.print(f"  {k}: {for_shell(str(v))}", highlight=False)
