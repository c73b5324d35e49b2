"""``maxlik compare``: several families fitted to one column and ranked by AIC (with BIC and
Akaike weights), as a Rich table or JSON."""

from __future__ import annotations

import json
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from ._cli_common import _friendly, _progress, for_shell, out
from ._cli_io import Decimal, Encoding, Sep, _mio, _reader
from ._cli_options import (BatchRows, FamilyOption, Fixed, Init, MaxIter, Method, NInit, NStarts, Seed, Stream, Tol, TotalCount,
                           Weights, _check_format, _families_with, _family_options, _fit_options)
from ._cli_streaming import scan_for, wants_stream
from ._family_classes import check_builtin_name


@_friendly
def compare_cmd(
    file: str = typer.Argument(..., help="CSV or Parquet file; '-' reads CSV from standard input."),
    column: Optional[str] = typer.Option(None, "--column", "-c", help="Column to fit."),
    families: str = typer.Option("normal,lognormal,gamma,weibull,exponential", "--families", help="Comma-separated family names."),
    weights: Weights = None,
    fixed: Fixed = None,
    method: Method = "auto",
    max_iter: MaxIter = None,
    tol: Tol = None,
    n_init: NInit = None,
    n_starts: NStarts = None,
    seed: Seed = None,
    init: Init = None,
    family_option: FamilyOption = None,
    total_count: TotalCount = None,
    fmt: str = typer.Option("table", "--format", help="table or json."),
    sep: Sep = None,
    decimal: Decimal = ".",
    encoding: Encoding = "utf-8",
    stream: Stream = None,
    batch_rows: BatchRows = None,
):
    """Fit several families to one column and rank them by AIC (with BIC and Akaike weights).

    --family-option name=value configures every listed family that has that option (e.g.
    total_count for binomial); the fitting options apply to every family."""
    _check_format(fmt)
    options = _fit_options(method, max_iter, tol, n_init, n_starts, seed, init, fixed, "maxlik compare")
    fam_opts = _family_options(family_option, total_count, "maxlik compare")
    names = [f.strip() for f in families.split(",") if f.strip()]
    for name in names:  # before JAX loads (compare itself checks them again)
        check_builtin_name(name, owner="compare")
    read = _reader(sep, decimal, encoding)
    if wants_stream(file, stream):
        x = scan_for(file, False, [column] if column else None, weights, sep=sep, decimal=decimal, encoding=encoding,
                     batch_rows=batch_rows)
        w = None
    else:
        data = read(file)
        if weights:
            _mio().require_column(data, weights, file)
        _, x = _mio().column(data, column, file)
        w = None if weights is None else _mio().column(data, weights, file)[1]
    from .model_selection import compare

    candidates = _families_with(names, fam_opts, "maxlik compare")
    with _progress(f"fitting {len(names)} families", len(names)) as advance:
        table = compare(x, candidates, weights=w, progress=advance, **options)
    if fmt == "json":  # reasons as in the text output: the file's lines, flags for remedies
        d = table.to_dict()
        for r in d["rows"]:
            r["reason"] = r["reason"] and for_shell(r["reason"])
        print(json.dumps(d, indent=2, default=float))
    else:
        out.print(_compare_table(table))
        for r in table.rows:
            if not r.applicable:
                out.print(f"  {r.family}: not applicable: {for_shell(r.reason)}", markup=False, highlight=False)


def _compare_table(table) -> Table:
    """``CompareTable.summary()``'s ranking as a Rich table that folds to the terminal's width."""
    from .model_selection import format_param

    t = Table(title="ranked by AIC", title_justify="left")
    for col in ("family", "loglik", "k", "AIC", "ΔAIC", "weight", "BIC"):
        t.add_column(col, justify="left" if col == "family" else "right", overflow="fold")
    for r in (r for r in table.rows if r.applicable):  # the others are listed below it, with their reason
        label = escape(r.family) + "".join(f"\n[dim]{escape(k)}={format_param(v)}[/dim]" for k, v in r.params.items())
        t.add_row(label + ("" if r.converged else "\n (not converged)"), f"{r.loglik:.6g}", str(r.n_params),
                  f"{r.aic:.6g}", f"{r.delta_aic:.4g}", f"{r.akaike_weight:.4f}", f"{r.bic:.6g}")
    return t
