"""LinearRegression on the 11 NIST StRD linear datasets: coefficients and standard errors must
reach LRE >= 7 (7 correct significant digits) against the certified values.

NIST's standard deviations use σ̂² = RSS/(N − p), i.e. sigma="unbiased". LRE follows the
definition in ../shared/data/nist/README.md (absolute error when the certified value is 0).
"""

from __future__ import annotations

import numpy as np
import pytest

from maxlik.models import LinearRegression

LINEAR = ["Norris", "Pontius", "NoInt1", "NoInt2", "Filip", "Longley",
          "Wampler1", "Wampler2", "Wampler3", "Wampler4", "Wampler5"]


def lre(estimate, certified, digits=15):
    estimate, certified = np.asarray(estimate, float), np.asarray(certified, float)
    err = np.where(certified == 0, np.abs(estimate), np.abs(estimate - certified) / np.abs(np.where(certified == 0, 1, certified)))
    with np.errstate(divide="ignore"):
        out = -np.log10(err)
    return np.clip(np.where(np.isfinite(out), out, digits), 0, digits)


def design(entry):
    cols = {c: np.asarray(entry["data"][c], dtype=float) for c in entry["columns"]}
    terms = [t for t in entry["design_terms"] if t != "1"]
    X = np.column_stack([eval(t, {"__builtins__": {}}, cols) for t in terms])  # noqa: S307 (trusted data)
    return X, cols["y"]


def test_all_linear_datasets_listed(nist_certified):
    names = sorted(k for k, v in nist_certified["datasets"].items() if v["kind"] == "linear")
    assert names == sorted(LINEAR)


@pytest.mark.parametrize("name", LINEAR)
def test_nist_lre(nist_certified, name):
    entry = nist_certified["datasets"][name]
    X, y = design(entry)
    model = LinearRegression(fit_intercept=entry["intercept"], sigma="unbiased").fit(X, y)
    res = model.result_
    coef = np.array(list(res.params.values()))
    se = np.array(list(res.stderr.values()))
    assert lre(coef, entry["certified"]).min() >= 7.0
    assert lre(se, entry["certified_sd"]).min() >= 7.0
    assert lre(np.sqrt(model.sigma2_), entry["residual_sd"]) >= 7.0
