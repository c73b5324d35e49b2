"""fit_curve on the 27 NIST StRD nonlinear regression problems, from both certified starts.

Every run must converge with default settings, every parameter must agree with NIST's certified
value to LRE ≥ 6, the standard errors (NIST's RSS/(N−k) convention) and the residual SD to LRE ≥ 4
and the RSS to LRE ≥ 6. The data are NIST's decimal values read as ``np.longdouble``, so the
certified problem is posed exactly; the solver works on their float64 roundings, and the final
residuals use the extended values (this matters only for Lanczos1, an exact fit; its float64
version is tested separately). Each model string (a numpy expression in x, b1..bk) is turned into
a jax function once per problem, so both starts share one compilation.
"""

from __future__ import annotations

import warnings
from decimal import Decimal, localcontext

import numpy as np
import pytest
from shared_paths import shared_data

import maxlik
from maxlik.curve._extended_eval import AVAILABLE, call_extended
from maxlik._jax import jnp

NAMESPACE = {"exp": jnp.exp, "log": jnp.log, "cos": jnp.cos, "sin": jnp.sin, "arctan": jnp.arctan, "pi": jnp.pi}

PROBLEMS = [
    "Misra1a", "Chwirut2", "Chwirut1", "Lanczos3", "Gauss1", "Gauss2", "DanWood", "Misra1b", "Kirby2",
    "Hahn1", "Nelson", "MGH17", "Lanczos1", "Lanczos2", "Gauss3", "Misra1c", "Misra1d", "Roszman1",
    "ENSO", "MGH09", "Thurber", "BoxBOD", "Rat42", "MGH10", "Eckerle4", "Rat43", "Bennett5",
]
_MODELS: dict = {}


def lre(estimate, certified, cap=11.0):
    """NIST's log relative error, capped at the certified digits and floored at 0."""
    est, cert = np.asarray(estimate, float), np.asarray(certified, float)
    with np.errstate(divide="ignore"):
        v = -np.log10(np.abs(est - cert) / np.abs(cert))
    return np.clip(np.nan_to_num(v, nan=0.0, posinf=cap), 0.0, cap)


def problem(entry: dict, name: str):
    """(f, x, y) for one NIST problem; f is created once per problem and reused."""
    if name not in _MODELS:
        k = len(entry["start1"])
        code = compile(entry["model"], name, "eval")
        if name == "Nelson":
            def f(b, x):
                return eval(code, dict(NAMESPACE), {"x1": x[:, 0], "x2": x[:, 1], **{f"b{i + 1}": b[i] for i in range(k)}})

            x = np.column_stack([entry["data"]["x1"], entry["data"]["x2"]])
        else:
            def f(b, x):
                return eval(code, dict(NAMESPACE), {"x": x, **{f"b{i + 1}": b[i] for i in range(k)}})

            x = np.asarray(entry["data"]["x"], float)
        y = np.asarray(entry["data"]["y"], float)
        if entry["response"] == "log(y)":
            y = np.log(y)
        _MODELS[name] = (f, x, y)
    return _MODELS[name]


def extended_data(entry: dict, name: str):
    """(x, y) of one problem as np.longdouble, parsed from the .dat file's decimal text."""
    text = shared_data("nist", entry["file"]).read_text()
    rows = [line.split() for line in text.split("Data:")[-1].splitlines()[1:] if line.split()]
    cols = dict(zip(entry["columns"], np.array(rows, dtype=np.longdouble).T))
    x = np.column_stack([cols["x1"], cols["x2"]]) if name == "Nelson" else cols["x"]
    y = np.log(cols["y"]) if entry["response"] == "log(y)" else cols["y"]
    return x, y


def test_all_nonlinear_problems_are_listed(nist_certified):
    listed = sorted(k for k, v in nist_certified["datasets"].items() if v["kind"] == "nonlinear")
    assert listed == sorted(PROBLEMS)


def test_every_model_evaluates_in_extended_precision(nist_certified):
    # the extended evaluation falls back silently, so check that none of the 27 models needs to
    for name in PROBLEMS:
        entry = nist_certified["datasets"][name]
        f, x, y = problem(entry, name)
        assert call_extended(f, np.asarray(entry["start1"]), x) is not None, name


@pytest.mark.parametrize("start", ["start1", "start2"])
@pytest.mark.parametrize("name", PROBLEMS)
def test_nist_nonlinear(nist_certified, name, start):
    entry = nist_certified["datasets"][name]
    f, x64, y64 = problem(entry, name)
    x, y = extended_data(entry, name)
    assert np.array_equal(x.astype(float), x64) and np.allclose(y.astype(float), y64, rtol=1e-15, atol=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a ConvergenceWarning fails the test
        res = maxlik.fit_curve(f, x, y, entry[start], sigma_convention="dof")
    assert res.converged, res.message
    assert lre(res.coef, entry["certified"]).min() >= 6.0
    assert res.dof == len(y) - len(entry["start1"])  # (NIST's Rat43 file misprints its dof as 9)
    if name == "Lanczos1" and not AVAILABLE:
        pytest.skip("long double is no wider than float64 here: Lanczos1's RSS (1.4e-25) is float64 rounding noise")
    # Lanczos1 measured (x86-64 long double): SE and residual SD LRE 7.1 / 6.6, RSS 6.8 / 6.3 (start 1 / 2)
    assert lre(np.array(list(res.stderr.values())), entry["certified_sd"]).min() >= 4.0
    assert lre(res.sigma, entry["residual_sd"]) >= 4.0
    assert lre(res.rss, entry["rss"]) >= (5.0 if name == "Lanczos1" else 6.0)


def test_lanczos1_float64_data_rss_is_exact_for_the_rounded_data(nist_certified):
    """With y rounded to float64, the RSS is the exact RSS of those data at p̂ (Python decimal).

    Rounding y to float64 (≈ 1e-16·|y|) moves this exact fit's residuals (~1e-13) enough to shift
    the minimum RSS by 9e-4 relative: float64 data cannot reproduce NIST's standard errors beyond
    LRE 3.36 (measured), whatever the arithmetic. The extended data in test_nist_nonlinear can.
    """
    if not AVAILABLE:
        pytest.skip("long double is no wider than float64 here")
    entry = nist_certified["datasets"]["Lanczos1"]
    f, x, y = problem(entry, "Lanczos1")
    res = maxlik.fit_curve(f, x, y, entry["start1"], sigma_convention="dof")
    assert res.converged, res.message
    code = compile(entry["model"], "Lanczos1", "eval")
    with localcontext() as ctx:
        ctx.prec = 50
        b = {f"b{i + 1}": Decimal(float(v)) for i, v in enumerate(res.coef)}
        fx = [eval(code, {"exp": Decimal.exp}, {"x": Decimal(float(xi)), **b}) for xi in x]
        exact = float(sum((Decimal(float(yi)) - fi) ** 2 for yi, fi in zip(y, fx)))
    # measured: 6.3 (long double evaluation); float64 evaluation of the same RSS gets 2.8–3.3
    assert lre(res.rss, exact) >= 5.0
    assert lre(np.array(list(res.stderr.values())), entry["certified_sd"]).min() >= 3.3
