"""``maxlik families``: every family of the registry with its parameters, support and how its
MLE is found, as a table in 80 columns or JSON."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from ._cli_common import _friendly, out
from ._cli_options import _check_format


@_friendly
def families_cmd(fmt: str = typer.Option("table", "--format", help="table or json.")):
    """List every family with its parameters, support and how its MLE is found."""
    _check_format(fmt)
    from .families import family_names as families

    rows = []
    for name, cls in families().items():
        fam = _instance(cls)
        params = ", ".join(f"{p.name}: {p.constraint.name}" for p in cls.params)
        rows.append({"name": name, "class": cls.__name__, "parameters": params, "support": cls.support.describe(), "closed_form": bool(fam and fam.has_closed_form and fam.stats_method == "closed_form"),
                     "mle": fam.stats_method if fam.has_closed_form else "numerical"})
    if fmt == "json":
        print(json.dumps(rows, indent=2))
        return
    out.print(_families_table(rows))


def _families_table(rows: list[dict]) -> Table:
    """The family list in 80 columns: the registry name above its class, one parameter per line,
    and how ``fit(method="auto")`` finds the MLE (the ``method`` its result reports, or numerical)."""
    t = Table(title="maxlik families", title_justify="left")
    # names and methods stay whole (no_wrap: Rich narrows the other columns first); supports wrap at
    # their spaces in a narrow column, which leaves "covariance_matrix:" whole at 80 columns
    t.add_column("name / class", no_wrap=True, overflow="fold")
    t.add_column("parameters", overflow="fold")
    t.add_column("support", max_width=14, overflow="fold")
    t.add_column("MLE", no_wrap=True, overflow="fold")
    for r in rows:
        t.add_row(f"{r['name']}\n[dim]{r['class']}[/dim]", r["parameters"].replace(", ", "\n"), r["support"], r["mle"])
    return t


def _instance(cls):
    try:
        return cls()
    except Exception:  # families with required options (e.g. Binomial's total_count)
        return cls.__new__(cls)
