"""``maxlik fit --by``: one fit per value of a group column (maxlik.fit_groups), printed as a Rich
table of groups, JSON records or CSV."""

from __future__ import annotations

import json
import sys
import warnings

from rich.markup import escape
from rich.table import Table

from ._cli_common import MaxlikErrorUsage, _working, for_shell, out
from ._cli_options import _check_choice
from ._cli_persist import save_model


def _check_groups_options(fmt, plot, ci, method, max_iter, tol, n_init, n_starts, seed, init) -> None:
    """``fit --by``: --format table, json or csv; the options of one numerical fit do not apply."""
    _check_choice(fmt, ("table", "json", "csv"), "--format", "maxlik fit --by")
    given = [flag for flag, v in (("--plot", plot), ("--method", None if method == "auto" else method),
                                  ("--max-iter", max_iter), ("--tol", tol), ("--n-init", n_init), ("--n-starts", n_starts),
                                  ("--seed", seed), ("--init", init), ("--ci", None if ci == "wald" else ci)) if v]
    if given:
        raise MaxlikErrorUsage(f"maxlik fit --by: options must be among --column, --family, --weights, --fixed, "
                               f"--format; got {', '.join(given)}. Fit one group alone for those.")


def _fit_groups_cmd(table, by: str, source: str, x, fam, w, fixed, fmt: str, save: str | None = None) -> None:
    """One fit per value of column ``by`` (maxlik.fit_groups): a Rich table, JSON records or CSV."""
    import numpy as np
    import pyarrow as pa

    kind = table.schema.field(by).type
    labels = (np.asarray(table.column(by).to_pylist()) if pa.types.is_integer(kind) and table.column(by).null_count == 0
              else np.asarray(table.column(by).cast(pa.string()).to_pylist(), dtype=object))
    with _working(f"fitting {fam.display_name} to each group of {by} ({x.shape[0]:,} rows)"):
        fits = _groups_of(x, labels, fam, w, fixed)
    _print_groups(fits, fam, by, fmt, save)


def _groups_of(x, labels, fam, w, fixed):
    """maxlik.fit_groups, each failed group a row of the table with its reason (no warning)."""
    from .groups import fit_groups

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit_groups(x, labels, fam, weights=w, fixed=fixed)


def _print_groups(fits, fam, by: str, fmt: str, save: str | None = None) -> None:
    save_model(fits, save, command="fit --by", by=by)
    records = [{**r, "message": for_shell(r["message"])} for r in fits.to_records()]  # remedies as flags
    if fmt == "json":
        print(json.dumps(records, indent=2))
        return
    if fmt == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        return
    t = Table(title=escape(f"{fam!r} fitted to each group of {by} ({len(fits)} groups)"), title_justify="left")
    names = fam.param_names
    for col in ("group", *(c for k in names for c in (k, "se")), "loglik", "n", "ok"):
        t.add_column(escape(col), justify="left" if col == "group" else "right", overflow="fold")
    for r in records:
        cells = [f"{v:.6g}" if isinstance(v, float) else "-" for k in names for v in (r[k], r[f"{k}_se"])]
        ll = "-" if r["loglik"] is None else f"{r['loglik']:.6g}"
        t.add_row(escape(str(r["group"])), *cells, ll, str(r["n"]), "yes" if r["converged"] else "NO")
    out.print(t)
    for r in records:
        if not r["converged"]:
            out.print(f"  {escape(str(r['group']))}: {escape(r['message'])}", highlight=False)
