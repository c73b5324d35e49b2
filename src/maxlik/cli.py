"""The ``maxlik`` command line (Typer + Rich).

Exit codes: 0 success, 1 a data or fit error (one clear line on stderr; ``--debug`` shows the
traceback), 2 a usage error (Typer's own message).
"""

from __future__ import annotations

import functools
import json
import sys
from typing import TYPE_CHECKING, Annotated, List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ._family_classes import check_builtin_name
from ._paths import atomic_path, existing_file, writable_file, writable_folder
from ._textfile import check_read_options
from .errors import MaxlikError, OutputPathError

if TYPE_CHECKING:
    import numpy as np

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Maximum likelihood estimation from the command line.")
out = Console()
err = Console(stderr=True)
_state = {"debug": False, "quiet": False}


@app.callback()
def _main(
    debug: bool = typer.Option(False, "--debug", help="Show Python tracebacks on errors."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress output."),
):
    _state.update(debug=debug, quiet=quiet)


def _friendly(fn):
    """Turn maxlik errors into one line on stderr and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except BrokenPipeError:  # e.g. `maxlik fit ... | head`
            raise typer.Exit(0) from None
        except (MaxlikError, ValueError, TypeError, OSError) as exc:
            if _state["debug"]:
                raise
            err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False, soft_wrap=True)
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
    return lambda path: _mio().read_table(path, sep=sep, decimal=decimal, encoding=encoding)


def _working(message: str):
    """A spinner on stderr while long work runs (nothing with --quiet, or when not a terminal)."""
    import contextlib

    if _state["quiet"]:
        return contextlib.nullcontext()
    return err.status(message, spinner="dots")


def _parse_fixed(items: list[str]) -> dict:
    fixed = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise MaxlikErrorUsage(f"--fixed must look like name=value; got {item!r}. For example --fixed loc=0.")
        try:
            fixed[name.strip()] = json.loads(value)
        except json.JSONDecodeError:
            raise MaxlikErrorUsage(f"--fixed value must be a number or JSON array; got {value!r} for {name!r}.") from None
    return fixed


class MaxlikErrorUsage(MaxlikError, ValueError):
    pass


def _result_table(result, title: str) -> Table:
    """A Rich table of any result, from its public ``rows()`` (the same table as ``summary()``)."""
    ref = result.reference.name
    t = Table(title=escape(title), title_justify="left")
    tests = result.show_tests
    for col in ("parameter", "estimate", "std err", *((ref, f"P>|{ref}|") if tests else ()), "95% low", "95% high"):
        # fold, never "…": a narrow terminal breaks a long label (or number) over lines, losing nothing
        t.add_column(col, justify="left" if col == "parameter" else "right", overflow="fold")
    for r in result.rows():
        if r.stderr is None:
            t.add_row(escape(r.label), f"{r.estimate:.6g}", "(fixed)", *([""] * (4 if tests else 2)))
        else:
            stats = (f"{r.statistic:.3f}", f"{r.pvalue:.3g}") if tests else ()
            t.add_row(escape(r.label), f"{r.estimate:.6g}", f"{r.stderr:.4g}", *stats, f"{r.low:.6g}", f"{r.high:.6g}")
    return t


def _print_result(result, fmt: str, title: str, skip=("model", "family"), extra: dict | None = None) -> None:
    """JSON: ``result.to_dict()`` (plus ``extra``); table: the result's rows, then its header
    lines and ``extra``."""
    extra = extra or {}
    if fmt == "json":
        print(json.dumps({**result.to_dict(), **extra}, indent=2, default=float) if extra else result.to_json(indent=2))
        return
    out.print(_result_table(result, title))
    for k, v in [*((k, v) for k, v in result.header() if k not in skip), *extra.items()]:
        out.print(f"  {k}: {v}", highlight=False)


@app.command("fit")
@_friendly
def fit_cmd(
    file: str = typer.Argument(..., help="CSV or Parquet file; '-' reads CSV from standard input."),
    column: Optional[List[str]] = typer.Option(None, "--column", "-c", help="Column(s) to fit; several for a vector family."),
    family: str = typer.Option("normal", "--family", "-f", help="Family name (see `maxlik families`)."),
    weights: Optional[str] = typer.Option(None, "--weights", help="Column of non-negative observation weights."),
    fixed: Optional[List[str]] = typer.Option(None, "--fixed", help="Hold a parameter fixed: name=value (repeatable)."),
    method: str = typer.Option("auto", "--method", "-m", help="auto, closed_form, newton, bfgs, lbfgs, gradient_descent."),
    fmt: str = typer.Option("table", "--format", help="table or json."),
    plot: Optional[str] = typer.Option(None, "--plot", help="Write a figure of the fit to this PNG file."),
    sep: Sep = None,
    decimal: Decimal = ".",
    encoding: Encoding = "utf-8",
):
    """Fit a distribution family to a column of a table by maximum likelihood."""
    # Mistakes are reported before the heavy imports (pyarrow, then the families and JAX), in the
    # order they cost to find: options, the family name, the file, the column names.
    _check_format(fmt)
    fixed_values = _parse_fixed(fixed) or None
    if plot:
        writable_file(plot, option="--plot", owner="maxlik fit", example="fit.png")
    check_builtin_name(family, owner="maxlik fit")
    read = _reader(sep, decimal, encoding)
    if file != "-":
        existing_file(file)  # read_table checks it too, but after importing pyarrow
    table = read(file)
    source = "standard input" if file == "-" else file
    for name in [*(column or []), *([weights] if weights else [])]:
        _mio().require_column(table, name, source)
    if plot:
        _check_figure_format(plot)
    import numpy as np

    from .families import get_family
    from .fitting import fit

    fam = get_family(family, owner="maxlik fit")
    if fam.event_ndim == 1:
        names = column or [c for c in table.column_names if c != weights]
        x = np.column_stack([_mio().column(table, c, source)[1] for c in names])
    else:
        if column and len(column) > 1:
            raise MaxlikErrorUsage(f"--column must be given once for the scalar family {fam.display_name}; got {len(column)}.")
        _, x = _mio().column(table, column[0] if column else None, source)
    w = None if weights is None else _mio().column(table, weights, source)[1]
    with _working(f"fitting {fam.display_name} to {x.shape[0]:,} rows"):
        result = fit(x, fam, weights=w, fixed=fixed_values, method=method)
    if plot:  # before the table: a figure that fails to render leaves neither a file nor a table
        from .plot import plot_fit

        _write_figure(plot_fit(result, x), plot)
    _print_result(result, fmt, f"{result.family!r} fitted by {result.method}")
    if plot:
        if not _state["quiet"] and fmt == "table":
            out.print(f"  figure: {plot}")


@app.command("families")
@_friendly
def families_cmd(fmt: str = typer.Option("table", "--format", help="table or json.")):
    """List every family with its parameters, support and how its MLE is found."""
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
    import contextlib

    from rich.progress import Progress

    from .demo import SECTIONS, run

    bar = contextlib.nullcontext() if _state["quiet"] else Progress(console=err, transient=False)
    with bar as progress:
        task = None if progress is None else progress.add_task("demo sections", total=len(SECTIONS))

        def advance(msg):
            if progress is not None:
                progress.console.print(f"  done: {msg}", highlight=False)
                progress.advance(task)

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
    fmt: str = typer.Option("table", "--format", help="table or json."),
    sep: Sep = None,
    decimal: Decimal = ".",
    encoding: Encoding = "utf-8",
):
    """Fit several families to one column and rank them by AIC (with BIC and Akaike weights)."""
    _check_format(fmt)
    names = [f.strip() for f in families.split(",") if f.strip()]
    for name in names:  # before JAX loads (compare itself checks them again)
        check_builtin_name(name, owner="compare")
    read = _reader(sep, decimal, encoding)
    _, x = _mio().column(read(file), column, file)
    from .model_selection import compare

    table = compare(x, names)
    if fmt == "json":
        print(json.dumps(table.to_dict(), indent=2, default=float))
    else:
        out.print(_compare_table(table))
        for r in table.rows:
            if not r.applicable:
                out.print(f"  {r.family}: not applicable: {r.reason}", markup=False, highlight=False)


@app.command("classify")
@_friendly
def classify_cmd(
    train: str = typer.Argument(..., help="Training table (CSV or Parquet)."),
    label: str = typer.Option(..., "--label", "-l", help="Column holding the class labels."),
    column: Optional[List[str]] = typer.Option(None, "--column", "-c", help="Feature column(s); default: every numeric column."),
    covariance: str = typer.Option("full", "--covariance", help="full, diag, tied or spherical."),
    reg_covar: float = typer.Option(0.0, "--reg-covar", help="Added to each covariance's diagonal."),
    predict: Optional[str] = typer.Option(None, "--predict", help="Table of new rows to classify."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="CSV file for the predictions (default: standard output)."),
    fmt: str = typer.Option("table", "--format", help="table or json."),
    sep: Sep = None,
    decimal: Decimal = ".",
    encoding: Encoding = "utf-8",
):
    """Fit one Gaussian per class by maximum likelihood; optionally classify new rows."""
    if output:
        writable_file(output, option="--output", owner="maxlik classify", example="predictions.csv")
    from .models.classifier import GaussianClassifier

    _check_format(fmt)
    read = _reader(sep, decimal, encoding)
    table = read(train)
    names, X = _features(table, {label}, column, train)
    y = _mio().labels(table, label, train)
    model = GaussianClassifier(covariance_type=covariance, reg_covar=reg_covar).fit(X, y, feature_names=names)
    accuracy = float((model.predict(X) == y).mean())
    if predict is None:
        _print_result(model.result_, fmt, f"GaussianClassifier({covariance!r}) on {', '.join(names)}", extra=
                      {"features": ", ".join(names), "classes": model.classes_.tolist(), "training_accuracy": round(accuracy, 6)})
        return
    new = read(predict)
    _, Xn = _features(new, {label}, names, predict)
    proba = model.predict_proba(Xn)
    rows = ["predicted," + ",".join(f"p_{c}" for c in model.classes_)]
    rows += [f"{model.classes_[i]}," + ",".join(f"{p:.6g}" for p in row) for i, row in zip(proba.argmax(1), proba)]
    text = "\n".join(rows) + "\n"
    if output:
        with atomic_path(output) as tmp:
            tmp.write_text(text)
        if not _state["quiet"]:
            out.print(f"{len(proba)} predictions written to {output} (training accuracy {accuracy:.3f})")
    else:
        sys.stdout.write(text)


@app.command("mixture")
@_friendly
def mixture_cmd(
    file: str = typer.Argument(..., help="CSV or Parquet file."),
    column: Optional[List[str]] = typer.Option(None, "--column", "-c", help="Column(s); default: every numeric column."),
    components: int = typer.Option(2, "--components", "-k", help="Number of Gaussian components."),
    select: Optional[str] = typer.Option(None, "--select", help="Choose K by BIC over a range, e.g. 1..9."),
    covariance: str = typer.Option("full", "--covariance", help="full, diag, tied or spherical (comma-separated with --select)."),
    seed: int = typer.Option(0, "--seed", help="Random seed of the k-means++ start."),
    fmt: str = typer.Option("table", "--format", help="table or json."),
    sep: Sep = None,
    decimal: Decimal = ".",
    encoding: Encoding = "utf-8",
):
    """Fit a Gaussian mixture by EM, or select K and the covariance type by BIC (as mclust)."""
    from .models.mixture import GaussianMixture
    from .models.select_mixture import select_mixture

    _check_format(fmt)
    read = _reader(sep, decimal, encoding)
    names, X = _features(read(file), set(), column, file)
    if select:
        lo, sep, hi = select.partition("..")
        if not sep or not lo.strip().isdigit() or not hi.strip().isdigit():
            raise MaxlikErrorUsage(f"--select must look like 1..9; got {select!r}.")
        kinds = [c.strip() for c in covariance.split(",")]
        with _working(f"EM for {len(kinds) * (int(hi) - int(lo) + 1)} configurations"):
            sel = select_mixture(X, n_components=range(int(lo), int(hi) + 1), covariance_types=kinds, seed=seed)
        if fmt == "json":
            print(json.dumps({**sel.to_dict(), "best": list(sel.best_config)}, indent=2, default=float))
        else:
            print(sel.summary())
            out.print(f"best by BIC: covariance_type={sel.best_config[0]!r}, K={sel.best_config[1]}")
        return
    with _working(f"EM with {components} components"):
        gm = GaussianMixture(n_components=components, covariance_type=covariance, random_state=seed).fit(X, feature_names=names)
    res = gm.result_
    _print_result(res, fmt, f"GaussianMixture(K={components}, {covariance!r}) on {', '.join(names)}")


_REGRESSORS = {"gaussian": "LinearRegression", "bernoulli": "LogisticRegression", "poisson": "PoissonRegression", "categorical": "SoftmaxRegression"}


@app.command("regress")
@_friendly
def regress_cmd(
    file: str = typer.Argument(..., help="CSV or Parquet file."),
    target: str = typer.Option(..., "--target", "-y", help="Response column."),
    column: Optional[List[str]] = typer.Option(None, "--column", "-c", help="Predictor column(s); default: every other numeric column."),
    family: str = typer.Option("gaussian", "--family", "-f", help="gaussian, bernoulli, poisson or categorical."),
    fmt: str = typer.Option("table", "--format", help="table or json."),
    sep: Sep = None,
    decimal: Decimal = ".",
    encoding: Encoding = "utf-8",
):
    """Regression as likelihood: least squares, logistic, Poisson or softmax regression."""
    from . import models

    _check_format(fmt)
    if family not in _REGRESSORS:
        raise MaxlikErrorUsage(f"--family must be one of {list(_REGRESSORS)}; got {family!r}.")
    read = _reader(sep, decimal, encoding)
    table = read(file)
    names, X = _features(table, {target}, column, file)
    y = _mio().labels(table, target, file) if family in ("bernoulli", "categorical") else _mio().column(table, target, file)[1]
    model = getattr(models, _REGRESSORS[family])().fit(X, y, feature_names=names)
    res = model.result_
    if fmt == "json":
        print(json.dumps({"model": _REGRESSORS[family], "features": names, "params": res.params, "stderr": res.stderr,
                          "loglik": res.loglik, "aic": res.aic, "bic": res.bic, "converged": res.converged}, indent=2, default=float))
    else:
        _print_result(res, fmt, f"{_REGRESSORS[family]} of {target}", skip=(),
                      extra={"features": ", ".join(names)})


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


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
