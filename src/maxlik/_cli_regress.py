"""``maxlik regress``: regression as likelihood (least squares, logistic, Poisson or softmax
regression); with ``--predict``, the predictions for new rows as CSV."""

from __future__ import annotations

import json
from typing import List, Optional

import typer

from ._cli_common import MaxlikErrorUsage, _friendly
from ._cli_io import Decimal, Encoding, Sep, _features, _mio, _reader, _write_rows
from ._cli_options import Level, Weights, _accepted, _check_choice, _check_format, _check_level
from ._cli_persist import SaveTo, check_save, save_model
from ._cli_print import _intervals, _print_result
from ._paths import writable_file


_REGRESSORS = {"gaussian": "LinearRegression", "bernoulli": "LogisticRegression", "poisson": "PoissonRegression", "categorical": "SoftmaxRegression"}


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
