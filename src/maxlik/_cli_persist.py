"""The command line's saved models: ``--save model.json`` of ``fit``, ``classify``, ``mixture``
and ``regress`` (:func:`maxlik.save`, with the columns that were read kept in the file's
``meta``), and ``maxlik predict model.json data.csv``: per row, what the saved model predicts.

    classifiers        predicted, p_<class> ...  (GaussianClassifier also loglik = log p(x))
    mixtures           component, p_<k> ...,  loglik = log p(x)
    regressions        predicted (the mean), and loglik = log p(y | x) where the file has the target
    fit results        loglik = log p(x | θ̂)

as CSV (default) or JSON records, on standard output or atomically into ``--out``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from typing import Annotated, List, Optional

import typer

from ._paths import atomic_path, writable_file
from ._textfile import check_read_options
from .errors import ModelFileError

SaveTo = Annotated[Optional[str], typer.Option(
    "--save", help="Save the fitted model to this file (.json, or .npz for large arrays); use it with `maxlik predict`.")]


def check_save(path: str | None, owner: str) -> None:
    """Before any work: --save must name a file that can be written."""
    if path:
        writable_file(path, option="--save", owner=owner, example="model.json")


def save_model(obj, path: str | None, **meta) -> None:
    """``maxlik.save(obj, path)`` (atomic) with ``meta``: the command and the columns it read."""
    if path:
        from .persist import save

        save(obj, path, meta={k: v for k, v in meta.items() if v is not None})


def _features(model, meta: dict, column, table, target) -> list[str]:
    """The feature columns: --column, else those saved in the file, else the model's own names,
    else every numeric column but the target."""
    import pyarrow as pa

    if column:
        return list(column)
    if meta.get("columns"):
        return [str(c) for c in meta["columns"]]
    for names in (getattr(model, "feature_names_in_", None), getattr(model, "_feature_names", None)):
        if names is not None:
            return [str(c) for c in names]
    numeric = [c for c in table.column_names if c != target and (pa.types.is_integer(table.schema.field(c).type)
                                                                  or pa.types.is_floating(table.schema.field(c).type))]
    return numeric


def _class_index(model, y, source: str):
    import numpy as np

    classes = model.classes_
    try:
        y = np.asarray(y).astype(classes.dtype) if classes.dtype.kind in "biuf" else np.asarray(y, dtype=str)
    except ValueError:
        y = np.asarray(y, dtype=str)
    lookup = {str(c): k for k, c in enumerate(classes.tolist())}
    index = np.array([lookup.get(str(v), -1) for v in y.tolist()])
    if (index < 0).any():
        bad = y[index < 0][0]
        raise ModelFileError(f"maxlik predict: the target labels in {source} must be among the model's classes "
                             f"{classes.tolist()}; got {bad!r}. Drop those rows, or refit the model with them.")
    return index


def _outputs(model, X, y, source: str, check: bool = False) -> dict:
    """Column name -> values (n,) of the model's predictions for X (and y, when read); ``check``:
    only refuse a model that predicts nothing."""
    import numpy as np
    from scipy import stats

    from . import models
    from .results import FitResult

    kind = type(model).__name__
    predictors = (FitResult, models.GaussianMixture, models.MixtureFit, models.GaussianClassifier, models.LogisticRegression,
                  models.SoftmaxRegression, models.LinearRegression, models.PoissonRegression)
    if check and isinstance(model, predictors):
        return {}
    if isinstance(model, FitResult):
        return {"loglik": model.log_prob(X[:, 0] if model.family.event_ndim == 0 else X)}
    if isinstance(model, (models.GaussianMixture, models.MixtureFit)):
        x = X[:, 0] if isinstance(model, models.MixtureFit) and X.shape[1] == 1 and not model.product else X
        proba = model.predict_proba(x)
        return {"component": proba.argmax(1), **{f"p_{k}": proba[:, k] for k in range(proba.shape[1])},
                "loglik": model.score_samples(x)}
    if isinstance(model, (models.GaussianClassifier, models.LogisticRegression, models.SoftmaxRegression)):
        proba = model.predict_proba(X)
        out = {"predicted": model.classes_[proba.argmax(1)], **{f"p_{c}": proba[:, k] for k, c in enumerate(model.classes_)}}
        if isinstance(model, models.GaussianClassifier):
            out["loglik"] = model.score_samples(X)
        elif y is not None:
            out["loglik"] = model.predict_log_proba(X)[np.arange(len(X)), _class_index(model, y, source)]
        return out
    if isinstance(model, (models.LinearRegression, models.PoissonRegression)):
        mean = model.predict(X)
        out = {"predicted": mean}
        if y is not None:
            y = np.asarray(y, dtype=float)
            out["loglik"] = (stats.norm.logpdf(y, mean, math.sqrt(model.sigma2_)) if isinstance(model, models.LinearRegression)
                             else stats.poisson.logpmf(y, mean))
        return out
    raise ModelFileError(f"maxlik predict: the model file must hold a model that predicts (a classifier, mixture, regression "
                         f"or fit result); got a {kind}. Save one of those with --save.")


def _cell(v):
    if isinstance(v, float):
        return repr(v) if math.isfinite(v) else ("nan" if math.isnan(v) else ("inf" if v > 0 else "-inf"))
    return v


def _text(columns: dict, fmt: str) -> str:
    names = list(columns)
    rows = zip(*(c.tolist() for c in columns.values()))
    if fmt == "json":
        records = [{k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in zip(names, r)} for r in rows]
        return json.dumps(records, indent=2) + "\n"
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(names)
    writer.writerows([_cell(v) for v in r] for r in rows)
    return buf.getvalue()


def predict_cmd(
    model: str = typer.Argument(..., help="A model file saved with --save (or maxlik.save)."),
    data: str = typer.Argument(..., help="CSV or Parquet file of the rows to predict."),
    column: Optional[List[str]] = typer.Option(None, "--column", "-c", help="Feature column(s); default: those the model was fitted to."),
    target: Optional[str] = typer.Option(None, "--target", "-y", help="Response column of a regression, for loglik per row (default: the one it was fitted to, if present)."),
    fmt: str = typer.Option("csv", "--format", help="csv or json (records)."),
    output: Optional[str] = typer.Option(None, "--out", "-o", help="File for the predictions (default: standard output)."),
    sep: Optional[str] = typer.Option(None, "--sep", help="Field delimiter of DATA (default: sniffed)."),
    decimal: str = typer.Option(".", "--decimal", help="Decimal mark of DATA: '.' or ','."),
    encoding: str = typer.Option("utf-8", "--encoding", help="Text encoding of DATA."),
):
    """Predict with a saved model: classes and probabilities, components, means, and the
    log-likelihood of each row (CSV, or JSON records)."""
    if fmt not in ("csv", "json"):
        raise typer.BadParameter(f"must be csv or json; got {fmt!r}.", param_hint="--format")
    if output:
        writable_file(output, option="--out", owner="maxlik predict", example="predictions.csv")
    check_read_options(sep, decimal, encoding)
    import numpy as np

    from . import io as mio
    from .persist import load

    fitted, meta = load(model, meta=True)
    _outputs(fitted, None, None, data, check=True)  # a kind that predicts nothing: before reading DATA
    table = mio.read_table(data, sep=sep, decimal=decimal, encoding=encoding)
    target = target or meta.get("target")
    names = _features(fitted, meta, column, table, target)
    for name in names:
        mio.require_column(table, name, data)
    want = getattr(fitted, "n_features_in_", None)
    if type(fitted).__name__ == "FitResult" and fitted.family.event_ndim == 0:
        want = 1
    if want is not None and len(names) != want:
        raise ModelFileError(f"maxlik predict: {data} must give the {want} feature column(s) the model was fitted to; "
                             f"got {len(names)} ({', '.join(names)}). Name them with --column.")
    X = np.column_stack([mio.column(table, c, data)[1] for c in names]) if names else np.empty((table.num_rows, 0))
    y = None
    if target is not None and target in table.column_names:
        y = mio.labels(table, target, data) if hasattr(fitted, "classes_") else mio.column(table, target, data)[1]
    text = _text(_outputs(fitted, X, y, data), fmt)
    if output:
        with atomic_path(output) as tmp:
            tmp.write_text(text)
    else:
        sys.stdout.write(text)
