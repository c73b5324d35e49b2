"""``maxlik fit``: one family fitted to a column (or several, for a vector family) by maximum
likelihood; censored (``--left/--right``), survival (``--time/--event``) or truncated data;
streamed over a large file, folder or glob; one fit per group with ``--by`` (``_cli_fit_by``)."""

from __future__ import annotations

from typing import List, Optional

import typer

from ._cli_common import MaxlikErrorUsage, _friendly, _state, _working, err, out
from ._cli_figure import _check_figure_format, _fit_figure, _write_figure
from ._cli_fit_by import _check_groups_options, _fit_groups_cmd, _groups_of, _print_groups
from ._cli_io import Decimal, Encoding, Sep, _mio, _reader
from ._cli_options import (BatchRows, FamilyOption, Fixed, Init, Level, MaxIter, Method, NInit, NStarts, Seed, Stream, Tol,
                           TotalCount, Weights, _check_choice, _check_format, _check_level, _configured_family,
                           _family_options, _fit_options)
from ._cli_persist import SaveTo, check_save, save_model
from ._cli_print import _print_result
from ._cli_streaming import is_many, row_progress, scan_for, wants_stream
from ._family_classes import check_builtin_name
from ._paths import existing_file, writable_file


@_friendly
def fit_cmd(
    file: str = typer.Argument(..., help="CSV or Parquet file; '-' reads CSV from standard input."),
    column: Optional[List[str]] = typer.Option(None, "--column", "-c", help="Column(s) to fit; several for a vector family."),
    family: str = typer.Option("normal", "--family", "-f", help="Family name (see `maxlik families`)."),
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
    ci: str = typer.Option("wald", "--ci", help="Confidence intervals: wald (estimate ± q·se on the log/logit scale of a "
                           "positive/unit-interval parameter, mapped back), wald-natural (estimate ± q·se) or profile (likelihood ratio)."),
    level: Level = 0.95,
    fmt: str = typer.Option("table", "--format", help="table or json (with --by also csv)."),
    plot: Optional[str] = typer.Option(None, "--plot", help="Write the fit figure to this file (.png, .pdf, ...): density, CDF, Q–Q and P–P; censored data against Turnbull's NPMLE."),
    by: Optional[str] = typer.Option(None, "--by", help="Group column: one fit per group, printed as a table of groups."),
    sep: Sep = None,
    decimal: Decimal = ".",
    encoding: Encoding = "utf-8",
    stream: Stream = None,
    batch_rows: BatchRows = None,
    truncate_low: Optional[float] = typer.Option(None, "--truncate-low", help="Truncated data: values at or below this were never recorded."),
    truncate_high: Optional[float] = typer.Option(None, "--truncate-high", help="Truncated data: values above this were never recorded."),
    left: Optional[str] = typer.Option(None, "--left", help="Censored data: column of lower bounds (empty/NA: left-censored at --right); with --right."),
    right: Optional[str] = typer.Option(None, "--right", help="Censored data: column of upper bounds (empty/NA: right-censored at --left); equal bounds: exact."),
    time: Optional[str] = typer.Option(None, "--time", help="Survival data: column of times; with --event."),
    event: Optional[str] = typer.Option(None, "--event", help="Survival data: column of event indicators (1: observed, 0: right-censored at the time)."),
    save: SaveTo = None,
):
    """Fit a distribution family to a column of a table by maximum likelihood.

    FILE may be a folder or a quoted glob ('logs/*.parquet'): its files are read in passes, as
    are files over 64 MB (--stream / --no-stream decide)."""
    # Mistakes are reported before the heavy imports (pyarrow, then the families and JAX), in the
    # order they cost to find: options, the family name, the file, the column names.
    if by is not None:
        _check_groups_options(fmt, plot, ci, method, max_iter, tol, n_init, n_starts, seed, init)
    else:
        _check_format(fmt)
    _check_choice(ci, ("wald", "wald-natural", "profile"), "--ci", "maxlik fit")
    _check_level(level, "maxlik fit")
    options = _fit_options(method, max_iter, tol, n_init, n_starts, seed, init, fixed, "maxlik fit")
    if truncate_low is not None or truncate_high is not None:  # the window (low, high] of maxlik.fit(truncation=)
        if by is not None:
            raise MaxlikErrorUsage("maxlik fit --by: options must not include --truncate-low / --truncate-high; got "
                                   "them. Fit one group alone for truncated data.")
        options["truncation"] = (truncate_low, truncate_high)
    fam_opts = _family_options(family_option, total_count, "maxlik fit")
    check_save(save, "maxlik fit --by" if by is not None else "maxlik fit")
    if plot:
        writable_file(plot, option="--plot", owner="maxlik fit", example="fit.png")
    check_builtin_name(family, owner="maxlik fit")
    censored = _censored_columns(left, right, time, event, column=column, by=by, stream=stream)
    read = _reader(sep, decimal, encoding)
    if file != "-" and not is_many(file):
        existing_file(file)  # read_table checks it too, but after importing pyarrow
    if censored is None and wants_stream(file, stream):
        from .fitting import fit

        fam = _configured_family(family, fam_opts, "maxlik fit")
        src = scan_for(file, fam.event_ndim == 1, column, weights, sep=sep, decimal=decimal, encoding=encoding,
                       batch_rows=batch_rows)
        if by is not None:
            with row_progress(err, _state["quiet"]):
                return _print_groups(_groups_of(src, by, fam, None, options.get("fixed")), fam, by, fmt, save)
        if plot:
            _check_figure_format(plot)
        with row_progress(err, _state["quiet"]):
            result = fit(src, fam, **options)
            if plot:  # a figure of an evenly strided sample of the rows
                _write_figure(_fit_figure(result, src.sample().x, None, column[0] if column else "x"), plot)
            save_model(result, save, command="fit", columns=column)
            _print_result(result, fmt, f"{result.family!r} fitted by {result.method}", level=level, ci=ci)
        if plot and not _state["quiet"] and fmt == "table":
            out.print(f"  figure: {plot}")
        return
    table = read(file)
    source = "standard input" if file == "-" else file
    for name in [*(column or []), *([weights] if weights else []), *([by] if by else []), *(censored or ())]:
        _mio().require_column(table, name, source)
    if plot:
        _check_figure_format(plot)
    import numpy as np

    from .fitting import fit

    fam = _configured_family(family, fam_opts, "maxlik fit")
    if censored is not None:
        x = _censored_data(table, censored, time is not None, source)
        name = censored[0] if time is not None else "/".join(censored)
    elif fam.event_ndim == 1:
        names = column or [c for c in table.column_names if c != weights]
        x = np.column_stack([_mio().column(table, c, source)[1] for c in names])
        name = ", ".join(names)
    else:
        if column and len(column) > 1:
            raise MaxlikErrorUsage(f"--column must be given once for the scalar family {fam.display_name}; got {len(column)}.")
        name, x = _mio().column(table, column[0] if column else None, source)
        names = [name]
    w = None if weights is None else _mio().column(table, weights, source)[1]
    if by is not None:
        return _fit_groups_cmd(table, by, source, x, fam, w, options.get("fixed"), fmt, save)
    with _working(f"fitting {fam.display_name} to {len(x):,} rows"):
        result = fit(x, fam, weights=w, **options)
    if plot:  # before the table: a figure that fails to render leaves neither a file nor a table
        _write_figure(_fit_figure(result, x, w, name), plot)
    save_model(result, save, command="fit", columns=None if censored is not None else names)
    _print_result(result, fmt, f"{result.family!r} fitted by {result.method}", level=level, ci=ci)
    if plot:
        if not _state["quiet"] and fmt == "table":
            out.print(f"  figure: {plot}")


def _censored_columns(left, right, time, event, **others) -> tuple[str, str] | None:
    """The two columns of censored (--left/--right) or survival (--time/--event) data, or None;
    a usage error for half a pair, both pairs, or an option that needs complete data."""
    pairs = [(flags, cols) for flags, cols in ((("--left", "--right"), (left, right)), (("--time", "--event"), (time, event)))
             if any(c is not None for c in cols)]
    if not pairs:
        return None
    if len(pairs) > 1:
        raise MaxlikErrorUsage("maxlik fit: censored data must be given by --left/--right or by --time/--event; got both.")
    flags, cols = pairs[0]
    if None in cols:
        raise MaxlikErrorUsage(f"maxlik fit: {flags[0]} and {flags[1]} must be given together; got only "
                               f"{flags[cols.index(None) - 1]}.")
    given = [f"--{k}" for k, v in others.items() if v]
    if given:
        raise MaxlikErrorUsage(f"maxlik fit: {', '.join(given)} must not be combined with {'/'.join(flags)}; "
                               "censored data are read from their two columns and fitted in memory.")
    return cols


def _censored_data(table, cols: tuple[str, str], survival: bool, source: str):
    """maxlik.Censored from two columns (empty cells and NA read as missing bounds)."""
    import numpy as np
    import pyarrow as pa

    from .censored import Censored

    def values(name):
        col = table.column(name)
        if pa.types.is_integer(col.type) or pa.types.is_floating(col.type) or pa.types.is_boolean(col.type):
            return np.asarray(col.cast(pa.float64()).fill_null(np.nan).to_numpy(zero_copy_only=False))
        return _mio().to_float(col, name, source, thousands=_mio().comma_delimited(table))

    a, b = (values(c) for c in cols)
    return Censored.from_events(a, b) if survival else Censored(a, b)
