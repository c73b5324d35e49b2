"""Errors: arbitrary arrays given as data (NaN, ±inf, empty, 0-d, 3-d, ragged lists, strings,
object and complex dtypes, booleans, huge integers, masked arrays, DataFrames with missing
values) raise, and raise only maxlik's exceptions from ``fit`` — and, inside the estimators,
maxlik's or scikit-learn's own validation errors — never a raw NumPy / JAX / SciPy exception, and
never a silent fit (booleans alone are data: 0 and 1)."""

from __future__ import annotations

import traceback
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as hs

import maxlik
import strategies as S


# complex, masked and huge-integer data were fitted silently before _validation.py refused them
# (issue #16 item 2): their own test below
KNOWN = ["complex", "masked", "huge-int"]
KINDS = ["nan", "inf", "-inf", "empty", "0-d", "3-d", "ragged", "strings", "object", "bool", "frame-nan", "none", "dict"]


@hs.composite
def bad_arrays(draw, kinds=KINDS):
    """(kind, value): data no family accepts as it stands."""
    n = draw(hs.integers(1, 20))
    base = draw(hs.lists(hs.floats(-1e3, 1e3), min_size=n, max_size=n))
    kind = draw(hs.sampled_from(kinds))
    x = np.asarray(base)
    i = draw(hs.integers(0, n - 1))
    if kind in ("nan", "inf", "-inf"):
        x[i] = float(kind)
        return kind, x
    return kind, {
        "empty": lambda: np.array([]), "0-d": lambda: np.float64(base[0]),
        "3-d": lambda: np.ones((2, 2, 2)), "ragged": lambda: [base, base[:-1] + [1.0, 2.0]],
        "strings": lambda: np.array([str(v) for v in base] + ["abc"]), "object": lambda: np.array([*base, "x"], dtype=object),
        "complex": lambda: x + 1j, "huge-int": lambda: [2**70 + k for k in range(n)],
        "masked": lambda: np.ma.masked_array(x, mask=np.arange(n) == i),
        "frame-nan": lambda: pd.DataFrame({"x": np.where(np.arange(n) == i, np.nan, x)}),
        "none": lambda: None, "dict": lambda: {"x": base}, "bool": lambda: np.asarray(x > 0),
    }[kind]()


def _only_ours(exc: BaseException, sklearn_ok: bool = False) -> None:
    if isinstance(exc, maxlik.MaxlikError):
        return
    where = traceback.extract_tb(exc.__traceback__)[-1].filename
    if sklearn_ok and "/sklearn/" in where:
        return
    raise AssertionError(f"{type(exc).__name__} from {where}: {exc}") from exc


@pytest.mark.parametrize("name", S.NAMES)
@given(case=bad_arrays())
def test_fit_raises_only_maxlik_errors(name, case):
    kind, x = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            maxlik.fit(x, S.family(name))
        except Exception as exc:  # noqa: BLE001  (the property is about which exceptions)
            _only_ours(exc)
        else:  # booleans are numbers (0 and 1); nothing else here is data
            assert kind == "bool", f"{kind} data accepted without an error"


@pytest.mark.parametrize("kind_name", S.ESTIMATORS)
@given(case=bad_arrays())
def test_estimators_raise_only_maxlik_or_sklearn_errors(kind_name, case):
    kind, x = case
    est = getattr(maxlik, kind_name)()
    n = len(x) if hasattr(x, "__len__") and not isinstance(x, dict) else 1
    y = np.arange(max(n, 1)) % 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            est.fit(x) if kind_name == "GaussianMixture" else est.fit(x, y[:n] if n else y[:0])
        except Exception as exc:  # noqa: BLE001
            _only_ours(exc, sklearn_ok=True)
        else:
            assert kind == "bool", f"{kind} data accepted without an error"


@S.NO_SHRINK_IN_CI
@pytest.mark.parametrize("name", S.NAMES)
@given(case=bad_arrays(KNOWN))
def test_fit_raises_only_maxlik_errors_on_known_kinds(name, case):
    test_fit_raises_only_maxlik_errors.hypothesis.inner_test(name, case)
