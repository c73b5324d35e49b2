"""``maxlik mixture``: a Gaussian mixture fitted by EM, or K and the covariance type selected by
BIC over a range (``--select``, as mclust); with ``--predict``, component probabilities as CSV."""

from __future__ import annotations

import json
from typing import List, Optional

import typer

from ._cli_common import MaxlikErrorUsage, _friendly, _progress, _working, for_shell, out
from ._cli_io import Decimal, Encoding, Sep, _features, _reader, _write_rows
from ._cli_options import Level, _check_format, _check_level
from ._cli_persist import SaveTo, check_save, save_model
from ._cli_print import _print_result
from ._paths import writable_file


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
