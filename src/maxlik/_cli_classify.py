"""``maxlik classify``: one Gaussian per class fitted by maximum likelihood (GaussianClassifier);
with ``--predict``, the class and class probabilities of new rows as CSV."""

from __future__ import annotations

from typing import List, Optional

import typer

from ._cli_common import _friendly
from ._cli_io import Decimal, Encoding, Sep, _features, _mio, _reader, _write_rows
from ._cli_options import Level, Weights, _check_format, _check_level, _numbers
from ._cli_persist import SaveTo, check_save, save_model
from ._cli_print import _print_result
from ._paths import writable_file


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
