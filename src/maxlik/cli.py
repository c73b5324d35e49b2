"""The ``maxlik`` command line (Typer + Rich).

Exit codes: 0 success, 1 a data or fit error (one clear line on stderr; ``--debug`` shows the
traceback), 2 a usage error (Typer's own message).
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import sys
import warnings
from typing import TYPE_CHECKING, Annotated, List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ._cli_persist import SaveTo, check_save, predict_cmd, save_model
from ._cli_streaming import is_many, row_progress, scan_for, wants_stream
from ._family_classes import check_builtin_name
from ._paths import atomic_path, existing_file, writable_file, writable_folder
from ._textfile import check_read_options, row_place
from .errors import MaxlikError, OutputPathError

if TYPE_CHECKING:
    import numpy as np

app = typer.Typer(add_completion=True, no_args_is_help=True, help="Maximum likelihood estimation from the command line.")
out = Console()
err = Console(stderr=True)
_state = {"debug": False, "quiet": False, "source": None}  # source: (the file read last, whether it has lines)


@app.callback()
def _main(
    debug: bool = typer.Option(False, "--debug", help="Show Python tracebacks on errors."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress output."),
):
    _state.update(debug=debug, quiet=quiet, source=None)


def _friendly(fn):
    """Turn maxlik errors into one line on stderr and exit code 1; print warnings as `warning: ...`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            with _Warnings():
                return fn(*args, **kwargs)
        except BrokenPipeError:  # e.g. `maxlik fit ... | head`
            raise typer.Exit(0) from None
        except (MaxlikError, ValueError, TypeError, OSError) as exc:
            if _state["debug"]:
                raise
            err.print(f"[bold red]error:[/] {escape(for_shell(str(exc)))}", markup=True, highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper


def _mio():
    """maxlik.io (pyarrow), imported by the commands that read files, not by ``--help``."""
    from . import io

    return io


# The reading options of every command that reads a table (defined once; see README "Files").
Sep = Annotated[Optional[str], typer.Option("--sep", help="Field delimiter (one character, or tab); default: sniffed from , tab ; | (.tsv/.tab: tab).")]
Decimal = Annotated[str, typer.Option("--decimal", help="Decimal mark: '.' or ',' (for numbers written 1,5).")]
Encoding = Annotated[str, typer.Option("--encoding", help="Text encoding of CSV files, e.g. utf-8, latin-1, cp1252, utf-16.")]


def _reader(sep: str | None, decimal: str, encoding: str):
    """``read(path) -> pyarrow.Table`` with the reading options, checked now (before pyarrow loads)."""
    check_read_options(sep, decimal, encoding)

    def read(path: str):
        table = _mio().read_table(path, sep=sep, decimal=decimal, encoding=encoding)
        _state["source"] = (path, _mio().has_lines(table))  # the library's row numbers below are rows of this file
        return table

    return read


def _working(message: str):
    """A spinner on stderr while long work runs (nothing with --quiet, or when not a terminal)."""
    if _state["quiet"]:
        return contextlib.nullcontext()
    return err.status(message, spinner="dots")


@contextlib.contextmanager
def _progress(label: str, total: int, done_lines: bool = False):
    """A Rich progress bar on stderr over ``total`` steps; yields ``advance(msg)`` for the work to
    call after each step (``done_lines``: also print ``  done: msg``). Nothing with --quiet; only
    the done lines when stderr is not a terminal (a log gets no bar, nor the blank line it leaves)."""
    if _state["quiet"] or not err.is_terminal:
        yield (lambda msg: err.print(f"  done: {msg}", highlight=False)) if done_lines and not _state["quiet"] else (lambda msg: None)
        return
    from rich.progress import Progress

    with Progress(console=err, transient=not done_lines) as bar:
        task = bar.add_task(label, total=total)

        def advance(msg):
            if done_lines:
                bar.console.print(f"  done: {msg}", highlight=False)
            bar.advance(task)

        yield advance


def _parse_pairs(items: list[str] | None, option: str, example: str, strings: bool = False, owner: str = "maxlik") -> dict:
    """``name=value`` items of a repeatable option -> {name: value}; values are JSON numbers or
    arrays (``strings``: anything else is kept as text, for family options such as covariance_type)."""
    pairs = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise MaxlikErrorUsage(f"{owner}: {option} must look like name=value; got {item!r}. For example {option} {example}.")
        try:
            pairs[name.strip()] = json.loads(value)
        except json.JSONDecodeError:
            if not strings:
                raise MaxlikErrorUsage(f"{owner}: {option} value must be a number or JSON array; got {value!r} for {name!r}. "
                                       f"For example {option} {name.strip()}=1.5.") from None
            pairs[name.strip()] = value.strip()
    return pairs


def _parse_fixed(items: list[str], owner: str = "maxlik") -> dict:
    return _parse_pairs(items, "--fixed", "loc=0", owner=owner)


class MaxlikErrorUsage(MaxlikError, ValueError):
    pass


def _as_family_options(m) -> str:
    """A MultivariateNormal message from ``fit`` / ``compare``: its ``reg_covar`` and
    ``covariance_type`` are the family's options there (``--family-option``), not the
    ``--reg-covar`` / ``--covariance`` of ``classify`` and ``mixture``, and ``--fixed`` holds
    a covariance matrix."""
    text = re.sub(r"--reg-covar must be\b", "--family-option reg_covar must be", m[0])
    text = re.sub(r"--reg-covar[= ]([\d.e+-]+)", r"--family-option reg_covar=\1", text)
    text = re.sub(r"--covariance (\w+)", r"--family-option covariance_type=\1", text)
    return re.sub(r"\bfix covariance_matrix\b", "fix it with --fixed covariance_matrix=[[...]]", text)


# The library's remedies speak Python (keywords of fit and the estimators); the CLI prints them
# with its flags. One table, applied to every error and warning the CLI prints (tests walk it).
_AS_FLAGS = (  # in order: a later pattern sees the flags an earlier one wrote
    (r"\buse n_init > 1", "use --n-init 2 or more"),
    (r"\bn_init > 1", "--n-init 2 or more"),
    (r"\bpass a better init=", "pass a better start with --init name=value"),
    (r"\bPass init=\{'(\w+)': \.\.\.\}", r"Pass --init \1=..."),
    (r"\bPass init= ", "Pass --init name=value "),
    (r"\bmethod='(profile|wald-natural|wald)'", r"--ci \1"),
    (r"\bmethod='(\w+)' or '(\w+)'", r"--method \1 or --method \2"),
    (r"\bmethod='(\w+)'", r"--method \1"),
    (r"\bmax_iter=(\d+)", r"--max-iter \1"),
    (r"\btol=", "--tol "),
    (r"(?<![-\w])(tol|sigma|penalty|C|priors) must be\b", r"--\1 must be"),  # not the CLI's own --tol
    (r"(?<![-\w])total_count must be (.*?); got None\.", r"--total-count must be \1; got none."),
    (r"(?<![-\w])total_count must be\b", "--total-count must be"),
    (r"(?<!--family-option )\b(max_iter|n_init|init_params|reg_covar)\b", lambda m: "--" + m[1].replace("_", "-")),
    (r"\bn_components must be\b", "--components must be"),
    (r"\bn_components > n_samples \((\d+)\)", r"K > the number of rows (\1)"),
    (r"^select_mixture: --components must be positive integers; got \[\]\.",
     "maxlik mixture: --select must be a range of positive integers, low..high; got an empty range. For example --select 1..9."),
    (r"e\.g\. maxlik\.fit\(x, maxlik\.Binomial\(total_count=(\w+)\)\)( or maxlik\.get_family\([^)]*\))?", r"e.g. --total-count \1"),
    (r"e\.g\. maxlik\.fit\(x, maxlik\.\w+\((\w+)=(\w+)\)\)( or maxlik\.get_family\([^)]*\))?", r"e.g. --family-option \1=\2"),
    (r"e\.g\. maxlik\.\w+\((\w+)=(\w+)\)", r"e.g. --family-option \1=\2"),
    (r"\bPass it when choosing the family, e\.g\. --total-count", "Pass it with --total-count, e.g. --total-count"),
    (r"relabel with np\.unique\(x, return_inverse=True\), or pass Categorical\(num_categories=\.\.\.\)",
     "relabel them 0..K-1 in the file, or pass --family-option num_categories=K"),
    (r"\brandom_state\b", "--seed"),
    (r"\(seed, ", "(--seed, "),
    (r"\bloosen tol\b", "loosen --tol"),
    (r"\bpenalty='l2'", "--penalty l2"),
    (r"\bsigma='(\w+)'", r"--sigma \1"),
    (r"\bfit_intercept=False", "--no-intercept"),
    (r"\buse SoftmaxRegression for more than two classes", "use --family categorical for more than two classes"),
    (r"(?<!--family-option )\bcovariance_type\b", "--covariance"),
    (r"--reg-covar=", "--reg-covar "),
    (r'--covariance="(\w+)"', r"--covariance \1"),
    (r"^(?:error: )?MultivariateNormal: .*", _as_family_options),  # fit / compare: family options
    (r", drop the offending column\(s\), or fix covariance_matrix\.", ", or drop the offending column(s)."),  # the models
    (r", or fix covariance_matrix\.", "."),
    (r"\bPass --reg-covar \(e\.g\. 1e-6\) or fewer components\.", "Pass --reg-covar (e.g. --reg-covar 1e-6) or a smaller --select range."),
    (r"\brefit with other starts or fewer components\.", "refit with other starts (--n-init, --seed) or fewer components (--components)."),
    (r"\bFit the two-parameter family \(family='(\w+)'\)", r"Fit the two-parameter family (--family \1)"),  # threshold fits
    (r" \(the profile is attached as error\.profile\)", ""),
    (r"\bfixed=\{'(\w+)': \.\.\.\}", r"--fixed \1=..."),
    (r"\bFor example fixed=\{'(\w+)': ([^}]+)\}", r"For example --fixed \1=\2"),
    (r"\bFor example init=\{'(\w+)': ([^}]+)\}", r"For example --init \1=\2"),
    (r"\bfix low or high away from the data with fixed=\{\.\.\.\}", "fix low or high away from the data with --fixed low=... or --fixed high=..."),
    (r"\bfixed=\{\.\.\.\}", "--fixed name=value"),
    (r"\bFix a scale at or below min\(x\), or leave it free\.", "Fix a scale at or below the data's minimum (--fixed scale=...), or leave it free."),
    (r"\bWrap angles with numpy\.angle\(numpy\.exp\(1j \* x\)\), and convert degrees with numpy\.deg2rad first\.",
     "Wrap the angles into [-pi, pi] (add or subtract multiples of 2 pi) and convert degrees to radians in the file first."),
    (r"\bSee maxlik\.family_names\(\) for the list with parameters\.", "Run `maxlik families` for the list with parameters."),
    (r"\bcovariance_types must be among\b", "--covariance must be among"),
    (r"\bPass data for all classes \(partial_fit may add them in later chunks\)\.",
     "Give every class a row with positive weight (--weights)."),
)


def as_flags(message: str) -> str:
    """``message`` with the library's Python remedies (``n_init > 1``, ``init=``, ``max_iter``) as
    the CLI's flags (``--n-init 2 or more``, ``--init name=value``, ``--max-iter``)."""
    for pattern, flag in _AS_FLAGS:
        message = re.sub(pattern, flag, message)
    return message


def as_file_lines(message: str) -> str:
    """``message`` with the library's 0-based data rows (``row 2 (0-based)``, ``row 2, column 1
    (0-based)``: ``_validation.row_label``) as the place in the file the CLI read last (``line 4
    of data.csv``: the header is line 1; Parquet: ``data row 2 (0-based) of data.parquet``, which
    is left as it is: the lookbehind skips a place already written by ``row_place``)."""
    if _state["source"] is None:
        return message

    def place(m):
        column = f", fitted column {m[2]} (0-based)" if m[2] else ""
        return row_place(path, int(m[1]), lines) + column

    path, lines = _state["source"]
    return re.sub(r"(?<!data )\brow (\d+)(?:, column (\d+))? \(0-based\)", place, message)


def for_shell(message: str) -> str:
    """A library message as the CLI prints it: remedies as flags, rows as lines of the file."""
    return as_file_lines(as_flags(message))


class _Warnings:
    """Collect the library's warnings during a fit; print each once on stderr as ``warning: ...``
    (with flags for remedies), instead of Python's ``file:line: Category: ...`` lines."""

    def __enter__(self):
        self._ctx = warnings.catch_warnings(record=True)
        self._caught = self._ctx.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc):
        self._ctx.__exit__(*exc)
        seen = []
        for w in self._caught:
            text = for_shell(str(w.message))
            if text not in seen and not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning)):
                seen.append(text)
                err.print(f"[yellow]warning:[/] {escape(text)}", highlight=False, soft_wrap=True)
        return False


def _check_choice(value, choices, option: str, owner: str):
    if value is not None and value not in choices:
        raise MaxlikErrorUsage(f"{owner}: {option} must be one of {', '.join(choices)}; got {value!r}.")


def _check_level(level: float, owner: str) -> None:
    if not 0 < level < 1:
        raise MaxlikErrorUsage(f"{owner}: --level must be a confidence level in (0, 1); got {level!r}. For example --level 0.9.")


# method= of maxlik.fit (the optimizers of maxlik.optimize, plus auto and closed_form); checked
# before JAX loads (tests/test_cli_options.py keeps it equal to maxlik.optimize's list)
FIT_METHODS = ("auto", "closed_form", "newton", "bfgs", "lbfgs", "gradient_descent")

# The options of maxlik.fit's numerical path, defined once for fit and compare (see README "CLI").
Method = Annotated[str, typer.Option("--method", "-m", help="auto, closed_form, newton, bfgs, lbfgs or gradient_descent.")]
MaxIter = Annotated[Optional[int], typer.Option("--max-iter", help="Iteration limit of the optimizer (default: its own).")]
Tol = Annotated[Optional[float], typer.Option("--tol", help="Convergence tolerance (default 1e-8).")]
NInit = Annotated[Optional[int], typer.Option("--n-init", help="Number of starts, the first from the moments, the others random; the best is kept.")]
NStarts = Annotated[Optional[int], typer.Option("--n-starts", hidden=True, help="Deprecated spelling of --n-init.")]
Seed = Annotated[Optional[int], typer.Option("--seed", help="Seed of the random starts of --n-init.")]
Init = Annotated[Optional[List[str]], typer.Option("--init", help="Starting value: name=value (repeatable), e.g. --init shape=2.")]
Fixed = Annotated[Optional[List[str]], typer.Option("--fixed", help="Hold a parameter fixed: name=value (repeatable).")]
Weights = Annotated[Optional[str], typer.Option("--weights", help="Column of non-negative observation weights.")]
Level = Annotated[float, typer.Option("--level", help="Confidence level of the intervals, e.g. 0.9.")]
Stream = Annotated[Optional[bool], typer.Option("--stream/--no-stream", help="Read the file in passes of --batch-rows rows, in bounded memory (default: for files over 64 MB, folders and globs).")]
BatchRows = Annotated[Optional[int], typer.Option("--batch-rows", min=1, help="Rows per batch when streaming (default 262144).")]
FamilyOption = Annotated[Optional[List[str]], typer.Option("--family-option", help="A constant of the family: name=value (repeatable), e.g. total_count=10.")]
TotalCount = Annotated[Optional[int], typer.Option("--total-count", help="Binomial trials per observation (= --family-option total_count=N).")]


def _fit_options(method, max_iter, tol, n_init, n_starts, seed, init, fixed, owner: str) -> dict:
    """The keyword arguments of maxlik.fit / compare from the flags (only those given: with none,
    a closed-form family keeps its closed form)."""
    _check_choice(method, FIT_METHODS, "--method", owner)
    if n_starts is not None:
        if n_init is not None:
            raise MaxlikErrorUsage(f"{owner}: pass --n-init only; got both --n-init and --n-starts (its deprecated spelling).")
        err.print("[yellow]warning:[/] --n-starts is deprecated; use --n-init.", highlight=False)
        n_init = n_starts
    options = {"method": method, "fixed": _parse_fixed(fixed, owner) or None}
    start = _parse_pairs(init, "--init", "concentration=2", owner=owner)
    given = {"max_iter": max_iter, "tol": tol, "n_init": n_init, "seed": seed, "init": start or None}
    return {**options, **{k: v for k, v in given.items() if v is not None}}


def _family_options(items, total_count, owner: str) -> dict:
    """{name: value} of --family-option (and --total-count)."""
    opts = _parse_pairs(items, "--family-option", "total_count=10", strings=True, owner=owner)
    if total_count is not None:
        if "total_count" in opts and opts["total_count"] != total_count:
            raise MaxlikErrorUsage(f"{owner}: --total-count and --family-option total_count must agree; got {total_count} and {opts['total_count']}.")
        opts["total_count"] = total_count
    return opts


def _families_with(names: list[str], opts: dict, owner: str) -> list:
    """Each name configured with the family options it accepts; each option must fit one of them."""
    if not opts:
        return names
    from ._family_classes import registry_key
    from .families import family_names

    classes = [family_names().get(registry_key(n)) for n in names]
    takes = [{k: v for k, v in opts.items() if cls is not None and k in _accepted(cls)} for cls in classes]
    unused = [k for k in opts if not any(k in t for t in takes)]
    if unused:
        raise MaxlikErrorUsage(f"{owner}: --family-option must name an option of one of the families {', '.join(names)}; "
                               f"got {unused[0]!r}, which none of them has. See `maxlik families`.")
    return [_configured_family(n, t, owner) if t else n for n, t in zip(names, takes)]


def _numbers(text: str, option: str, owner: str) -> list[float]:
    try:
        return [float(v) for v in text.split(",")]
    except ValueError:
        raise MaxlikErrorUsage(f"{owner}: {option} must be comma-separated numbers; got {text!r}. For example {option} 0.5,0.5.") from None


def _accepted(cls) -> list[str]:
    import inspect

    return [k for k, p in inspect.signature(cls.__init__).parameters.items()
            if k != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]  # Family(**options): none


def _configured_family(name: str, opts: dict, owner: str):
    """get_family(name, **opts), with a CLI-level error for an option the family does not have."""
    from ._family_classes import registry_key
    from .families import family_names, get_family

    cls = family_names().get(registry_key(name))
    if cls is None or not opts:
        return get_family(name, owner=owner, **opts)
    unknown = [k for k in opts if k not in _accepted(cls)]
    if unknown:
        have = ", ".join(_accepted(cls)) or "none"
        raise MaxlikErrorUsage(f"{owner}: --family-option must name an option of {cls.__name__} ({have}); got {unknown[0]!r}. "
                               "See `maxlik families` for each family's parameters.")
    return get_family(name, owner=owner, **opts)


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


@app.command("fit")
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


def _fit_figure(result, x, weights, name: str):
    """The figure of --plot: the four panels of plot.plot_fit_panels (density, CDF, Q–Q, P–P;
    Turnbull's NPMLE for censored data), axes named ``name``; the density over a histogram for
    a family without distribution functions."""
    from .plot import plot_fit, plot_fit_panels

    if result.family.has_distribution_functions:
        return plot_fit_panels(result, x, name=name, weights=weights)
    return plot_fit(result, x, xlabel=name)


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


@app.command("families")
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


@app.command("demo")
@_friendly
def demo_cmd(out_dir: str = typer.Option("demo-output", "--out", help="Folder for the report and figures.")):
    """Walk through maximum likelihood on embedded data; writes an HTML report with figures."""
    writable_folder(out_dir, option="--out", owner="maxlik demo")  # before the 14 s of sections
    from .demo import SECTIONS, run

    with _progress("demo sections", len(SECTIONS), done_lines=True) as advance:
        path = run(out_dir, progress=advance)
    out.print(f"report: {path}")


def _figure_format(path: str) -> str:
    """The figure format named by the suffix of ``path`` (png when there is none)."""
    from pathlib import Path

    return Path(path).suffix[1:].lower() or "png"


def _check_figure_format(path: str) -> None:
    """--plot must name a format matplotlib writes; checked before the fit, not after it."""
    from matplotlib.backend_bases import FigureCanvasBase

    kinds = FigureCanvasBase.get_supported_filetypes()
    if _figure_format(path) not in kinds:
        raise OutputPathError(f"maxlik fit: --plot must end in a figure format ({', '.join(sorted(kinds))}); "
                              f"got {path!r}. Name a file such as fit.png or fit.pdf.")


def _write_figure(fig, path: str) -> None:
    """Save ``fig`` to ``path`` through a temporary file in the same folder (nothing half-written)."""
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=110, format=_figure_format(path))


def _features(table, exclude: set, columns: list[str] | None, source: str) -> tuple[list[str], np.ndarray]:
    """Feature matrix (n, d) from the named columns, or every numeric column not excluded."""
    import numpy as np
    import pyarrow as pa

    if columns:
        names = list(columns)
    else:
        names = [c for c in table.column_names if c not in exclude
                 and (pa.types.is_integer(table.schema.field(c).type) or pa.types.is_floating(table.schema.field(c).type))]
        if not names:
            raise MaxlikErrorUsage(f"{source} must have numeric feature columns; got only {table.column_names}. Name them with --column.")
    return names, np.column_stack([_mio().column(table, c, source)[1] for c in names])


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "json"):
        raise MaxlikErrorUsage(f"--format must be table or json; got {fmt!r}.")


@app.command("compare")
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


@app.command("classify")
@_friendly
def classify_cmd(
    train: str = typer.Argument(..., help="Training table (CSV or Parquet)."),
    label: str = typer.Option(..., "--label", "-l", help="Column holding the class labels."),
    column: Optional[List[str]] = typer.Option(None, "--column", "-c", help="Feature column(s); default: every numeric column."),
    covariance: str = typer.Option("full", "--covariance", help="full, diag, tied, spherical, or an mclust model (EII … VVV)."),
    reg_covar: float = typer.Option(0.0, "--reg-covar", help="Added to each covariance's diagonal."),
    priors: Optional[str] = typer.Option(None, "--priors", help="Class priors, comma-separated in sorted class order, e.g. 0.5,0.25,0.25 (default: the class frequencies)."),
    weights: Weights = None,
    predict: Optional[str] = typer.Option(None, "--predict", help="Table of new rows to classify."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="CSV file for the predictions (default: standard output)."),
    level: Level = 0.95,
    fmt: str = typer.Option("table", "--format", help="table or json."),
    sep: Sep = None,
    decimal: Decimal = ".",
    encoding: Encoding = "utf-8",
    save: SaveTo = None,
):
    """Fit one Gaussian per class by maximum likelihood; optionally classify new rows."""
    if output:
        writable_file(output, option="--output", owner="maxlik classify", example="predictions.csv")
    check_save(save, "maxlik classify")
    from .models.classifier import GaussianClassifier

    _check_format(fmt)
    _check_level(level, "maxlik classify")
    read = _reader(sep, decimal, encoding)
    prior_values = None if priors is None else _numbers(priors, "--priors", "maxlik classify")
    table = read(train)
    if weights:
        _mio().require_column(table, weights, train)
    names, X = _features(table, {label, *([weights] if weights else [])}, column, train)
    y = _mio().labels(table, label, train)
    w = None if weights is None else _mio().column(table, weights, train)[1]
    model = GaussianClassifier(covariance_type=covariance, reg_covar=reg_covar, priors=prior_values).fit(
        X, y, sample_weight=w, feature_names=names)
    accuracy = float((model.predict(X) == y).mean())
    saved = dict(command="classify", columns=names, target=label)  # saved last: a failed run writes no file
    if predict is None:
        save_model(model, save, **saved)
        _print_result(model.result_, fmt, f"GaussianClassifier({covariance!r}) on {', '.join(names)}", level=level, ci="wald", extra=
                      {"features": ", ".join(names), "classes": model.classes_.tolist(), "training_accuracy": round(accuracy, 6)})
        return
    new = read(predict)
    _, Xn = _features(new, {label}, names, predict)
    proba = model.predict_proba(Xn)
    rows = ["predicted," + ",".join(f"p_{c}" for c in model.classes_)]
    rows += [f"{model.classes_[i]}," + ",".join(f"{p:.6g}" for p in row) for i, row in zip(proba.argmax(1), proba)]
    save_model(model, save, **saved)
    _write_rows(rows, output, f"{len(proba)} predictions written to {output} (training accuracy {accuracy:.3f})")


def _write_rows(rows: list[str], output: str | None, note: str) -> None:
    """CSV lines to ``output`` (atomically, then ``note`` unless --quiet), or to standard output."""
    text = "\n".join(rows) + "\n"
    if output:
        with atomic_path(output) as tmp:
            tmp.write_text(text)
        if not _state["quiet"]:
            out.print(note)
    else:
        sys.stdout.write(text)


@app.command("mixture")
@_friendly
def mixture_cmd(
    file: str = typer.Argument(..., help="CSV or Parquet file."),
    column: Optional[List[str]] = typer.Option(None, "--column", "-c", help="Column(s); default: every numeric column."),
    components: int = typer.Option(2, "--components", "-k", help="Number of Gaussian components."),
    select: Optional[str] = typer.Option(None, "--select", help="Choose K by BIC over a range, e.g. 1..9."),
    covariance: str = typer.Option("full", "--covariance", help="full, diag, tied, spherical or mclust models EII … VVV (comma-separated with --select)."),
    seed: int = typer.Option(0, "--seed", help="Random seed of the k-means++ start."),
    reg_covar: Optional[float] = typer.Option(None, "--reg-covar", help="Added to each covariance's diagonal (default 1e-6)."),
    n_init: Optional[int] = typer.Option(None, "--n-init", help="Number of EM starts; the best is kept (default 1)."),
    init_params: Optional[str] = typer.Option(None, "--init-params", help="Start of EM: kmeans++ (default), random or hierarchical (mclust's hc; the default of --select)."),
    max_iter: Optional[int] = typer.Option(None, "--max-iter", help="EM iteration limit (default 100)."),
    tol: Optional[float] = typer.Option(None, "--tol", help="EM stops when the mean log-likelihood changes less (default 1e-3)."),
    predict: Optional[str] = typer.Option(None, "--predict", help="Table of new rows to assign to components."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="CSV file for the predictions (default: standard output)."),
    level: Level = 0.95,
    fmt: str = typer.Option("table", "--format", help="table or json."),
    sep: Sep = None,
    decimal: Decimal = ".",
    encoding: Encoding = "utf-8",
    save: SaveTo = None,
):
    """Fit a Gaussian mixture by EM, or select K and the covariance type by BIC (as mclust)."""
    if output:
        writable_file(output, option="--output", owner="maxlik mixture", example="components.csv")
    em_options = {k: v for k, v in dict(reg_covar=reg_covar, n_init=n_init, init_params=init_params, max_iter=max_iter, tol=tol).items() if v is not None}
    check_save(save, "maxlik mixture")
    from .models.mixture import GaussianMixture
    from .models.select_mixture import select_mixture

    _check_format(fmt)
    _check_level(level, "maxlik mixture")
    if select and (set(em_options) - {"reg_covar"} or predict):
        given = ", ".join(f"--{k.replace('_', '-')}" for k in [*em_options, *(["predict"] if predict else [])] if k != "reg_covar")
        raise MaxlikErrorUsage(f"maxlik mixture: --select takes --reg-covar only of the EM options; got {given}. Drop them, or fit one K without --select.")
    read = _reader(sep, decimal, encoding)
    names, X = _features(read(file), set(), column, file)
    if select:
        lo, sep, hi = select.partition("..")
        if not sep or not lo.strip().isdigit() or not hi.strip().isdigit():
            raise MaxlikErrorUsage(f"--select must look like 1..9; got {select!r}.")
        kinds = [c.strip() for c in covariance.split(",")]
        ks = range(int(lo), int(hi) + 1)
        with _progress(f"EM for {len(kinds) * len(ks)} configurations", len(kinds) * len(ks)) as advance:
            sel = select_mixture(X, n_components=ks, covariance_types=kinds, seed=seed, progress=advance, **em_options)
        save_model(sel.best, save, command="mixture --select", columns=names)
        for row in sel.table:  # why a configuration was skipped, in flags (table and JSON alike)
            row["status"] = for_shell(row["status"])
        if fmt == "json":
            print(json.dumps({**sel.to_dict(), "best": list(sel.best_config)}, indent=2, default=float))
        else:
            print(sel.summary())
            out.print(f"best by BIC: --covariance {sel.best_config[0]} --components {sel.best_config[1]}")
        return
    with _working(f"EM with {components} components"):
        gm = GaussianMixture(n_components=components, covariance_type=covariance, random_state=seed, **em_options).fit(
            X, feature_names=names)
    if predict is not None:
        _, Xn = _features(read(predict), set(), names, predict)
        proba = gm.predict_proba(Xn)
        rows = ["component," + ",".join(f"p_{k}" for k in range(gm.n_components))]
        rows += [f"{i}," + ",".join(f"{p:.6g}" for p in row) for i, row in zip(proba.argmax(1), proba)]
        save_model(gm, save, command="mixture", columns=names)
        _write_rows(rows, output, f"{len(proba)} rows assigned to components in {output}")
        return
    res = gm.result_
    save_model(gm, save, command="mixture", columns=names)
    _print_result(res, fmt, f"GaussianMixture(K={components}, {covariance!r}) on {', '.join(names)}", level=level, ci="wald")


_REGRESSORS = {"gaussian": "LinearRegression", "bernoulli": "LogisticRegression", "poisson": "PoissonRegression", "categorical": "SoftmaxRegression"}


@app.command("regress")
@_friendly
def regress_cmd(
    file: str = typer.Argument(..., help="CSV or Parquet file."),
    target: str = typer.Option(..., "--target", "-y", help="Response column."),
    column: Optional[List[str]] = typer.Option(None, "--column", "-c", help="Predictor column(s); default: every other numeric column."),
    family: str = typer.Option("gaussian", "--family", "-f", help="gaussian, bernoulli, poisson or categorical."),
    weights: Weights = None,
    intercept: bool = typer.Option(True, "--intercept/--no-intercept", help="Fit an intercept (default) or not."),
    sigma: Optional[str] = typer.Option(None, "--sigma", help="gaussian: mle (RSS/N, default) or unbiased (RSS/(N-p))."),
    penalty: Optional[str] = typer.Option(None, "--penalty", help="bernoulli, categorical: none (the MLE, default) or l2 (MAP under Normal(0, C) priors)."),
    C: Optional[float] = typer.Option(None, "--C", help="bernoulli, categorical: prior variance of the slopes with --penalty l2 (default 1)."),
    max_iter: Optional[int] = typer.Option(None, "--max-iter", help="bernoulli, poisson, categorical: Newton iteration limit (default 100)."),
    tol: Optional[float] = typer.Option(None, "--tol", help="bernoulli, poisson, categorical: Newton tolerance (default 1e-8)."),
    predict: Optional[str] = typer.Option(None, "--predict", help="Table of new rows to predict (same feature columns)."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="CSV file for the predictions (default: standard output)."),
    level: Level = 0.95,
    fmt: str = typer.Option("table", "--format", help="table or json."),
    sep: Sep = None,
    decimal: Decimal = ".",
    encoding: Encoding = "utf-8",
    save: SaveTo = None,
):
    """Regression as likelihood: least squares, logistic, Poisson or softmax regression."""
    _check_format(fmt)
    _check_level(level, "maxlik regress")
    if family not in _REGRESSORS:
        raise MaxlikErrorUsage(f"--family must be one of {list(_REGRESSORS)}; got {family!r}.")
    if output:
        writable_file(output, option="--output", owner="maxlik regress", example="predictions.csv")
    check_save(save, "maxlik regress")
    _check_choice(penalty, ("none", "l2"), "--penalty", "maxlik regress")
    given = {"sigma": sigma, "penalty": penalty, "C": C, "max_iter": max_iter, "tol": tol}
    given = {k: (None if v == "none" else v) for k, v in given.items() if v is not None}
    from . import models

    cls = getattr(models, _REGRESSORS[family])
    for k in given:
        if k not in _accepted(cls):
            takes = [f for f, c in _REGRESSORS.items() if k in _accepted(getattr(models, c))]
            flag = f"--{k.replace('_', '-')}"
            raise MaxlikErrorUsage(f"maxlik regress: {flag} applies to --family {' or '.join(takes)}; got --family {family}. "
                                   f"Drop {flag}, or choose one of those families.")
    read = _reader(sep, decimal, encoding)
    table = read(file)
    if weights:
        _mio().require_column(table, weights, file)
    names, X = _features(table, {target, *([weights] if weights else [])}, column, file)
    y = _mio().labels(table, target, file) if family in ("bernoulli", "categorical") else _mio().column(table, target, file)[1]
    w = None if weights is None else _mio().column(table, weights, file)[1]
    model = cls(fit_intercept=intercept, **given).fit(X, y, sample_weight=w, feature_names=names)
    if predict is not None:
        _, Xn = _features(read(predict), set(), names, predict)
        rows = _prediction_rows(model, Xn)
        save_model(model, save, command="regress", columns=names, target=target)
        _write_rows(rows, output, f"{len(Xn)} predictions written to {output}")
        return
    res = model.result_
    save_model(model, save, command="regress", columns=names, target=target)
    if fmt == "json":
        intervals = {k: list(v) for k, v in _intervals(res, level, "wald").items()}
        print(json.dumps({"model": _REGRESSORS[family], "features": names, "params": res.params, "stderr": res.stderr,
                          "loglik": res.loglik, "aic": res.aic, "bic": res.bic, "converged": res.converged,
                          "conf_int": {"level": level, "method": "wald", "intervals": intervals}}, indent=2, default=float))
    else:
        _print_result(res, fmt, f"{_REGRESSORS[family]} of {target}", skip=(), level=level,
                      extra={"features": ", ".join(names)})


def _prediction_rows(model, X) -> list[str]:
    """CSV lines: ``predicted`` (``model.predict``), then ``p_<class>`` where the model has
    ``predict_proba``."""
    pred = model.predict(X)
    if not hasattr(model, "predict_proba"):
        return ["predicted", *(f"{v:.10g}" for v in pred)]
    proba = model.predict_proba(X)
    return ["predicted," + ",".join(f"p_{c}" for c in model.classes_),
            *(f"{c}," + ",".join(f"{p:.6g}" for p in row) for c, row in zip(pred, proba))]


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


app.command("predict")(_friendly(predict_cmd))


def main() -> None:  # pragma: no cover - console entry point (one-line usage errors: _cli_main)
    from ._cli_main import run

    sys.exit(run(app))


if __name__ == "__main__":  # pragma: no cover
    main()
