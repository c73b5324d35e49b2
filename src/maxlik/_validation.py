"""Input checks shared by every entry point. Each raises a maxlik error with the template
``<Owner>: <what> must be <constraint>; got <value>. <How to fix>.``"""

from __future__ import annotations

import numpy as np

from .errors import DataError, ParameterError, SupportError


def _first_bad(mask: np.ndarray) -> tuple[int, ...]:
    """Index of the first True entry of ``mask`` (row-major)."""
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(mask)), mask.shape))


def row_label(index) -> str:
    """A data row (an int, or a (row,) / (row, column) index) in every message's words, saying that
    rows count from 0: ``"row 2 (0-based)"``, ``"row 2, column 1 (0-based)"`` (the CLI rewrites
    these into the lines of the file it read)."""
    index = (int(index),) if np.ndim(index) == 0 else tuple(int(i) for i in index)
    return f"row {index[0]} (0-based)" if len(index) == 1 else f"row {index[0]}, column {index[1]} (0-based)"



def _to_float64(value, owner: str, what: str, fix: str) -> np.ndarray:
    """``value`` (array-like, or a pandas / polars object) as float64, or a DataError saying so."""
    if hasattr(value, "to_numpy"):  # pandas / polars Series and DataFrames
        value = value.to_numpy()
    if np.ma.isMaskedArray(value):
        value = _unmasked(value, owner, what)
    try:
        raw = np.asarray(value)
        if raw.dtype.kind == "c":
            raise DataError(f"{owner}: {what} must be real numbers; got complex values (dtype {raw.dtype}). "
                            "Pass the real part (x.real) or the modulus (abs(x)), whichever the model is of.")
        if raw.dtype.kind in "iuO":
            _check_exact_integers(raw, owner, what)
        if raw.dtype.kind in "US":
            return _text_as_float(raw, owner, what, fix)
        return raw.astype(np.float64, copy=False)
    except (TypeError, ValueError, OverflowError) as exc:
        if isinstance(exc, DataError):
            raise
        raise DataError(
            f"{owner}: {what} must be numeric; got {type(value).__name__} that cannot be converted "
            f"to float64 ({exc}). {fix}"
        ) from None


def _text_as_float(raw: np.ndarray, owner: str, what: str, fix: str) -> np.ndarray:
    """Text that spells numbers ("1.5") as float64; otherwise the first entry that does not."""
    try:
        return raw.astype(np.float64)
    except ValueError:
        flat = raw.ravel()
        for i, t in enumerate(flat):
            try:
                float(t)
            except ValueError:
                raise DataError(f"{owner}: {what} must be numeric; got the text {str(t)!r} "
                                f"(first at {row_label(np.unravel_index(i, raw.shape))}). {fix}") from None
        raise


def _unmasked(value, owner: str, what: str) -> np.ndarray:
    """The data of a masked array without masked entries; masked entries are an error (fitting
    the values under the mask would be silently wrong, dropping them would change row numbers)."""
    mask = np.ma.getmaskarray(value)
    if mask.any():
        raise DataError(f"{owner}: {what} must have no masked entries; got {int(mask.sum())} masked "
                        f"(first at {row_label(_first_bad(mask))}). Pass x.compressed() to drop them, "
                        "or x.filled(value) to fill them.")
    return np.ma.getdata(value)


EXACT_INTEGER = 2**53  # the largest magnitude below which float64 holds every integer


def _check_exact_integers(raw: np.ndarray, owner: str, what: str) -> None:
    """Integers beyond 2**53 would be rounded by the conversion to float64: an error, not a guess."""
    if raw.dtype.kind == "O":
        ints = [abs(v) for v in raw.ravel() if isinstance(v, (int, np.integer)) and not isinstance(v, bool)]
        big = max(ints, default=0) > EXACT_INTEGER
    else:
        big = raw.size and (int(raw.max()) > EXACT_INTEGER or int(raw.min()) < -EXACT_INTEGER)
    if big:
        flat = raw.ravel()
        first = next(i for i, v in enumerate(flat) if isinstance(v, (int, np.integer)) and abs(int(v)) > EXACT_INTEGER)
        raise DataError(f"{owner}: {what} must be integers of magnitude at most 2**53 to be held exactly in float64; "
                        f"got {int(flat[first])} (first at {row_label(np.unravel_index(first, raw.shape))}). "
                        "Subtract a common offset first, or convert to float if rounding is acceptable.")


def as_data(x, owner: str, event_ndim: int = 0, check_finite: bool = True) -> np.ndarray:
    """Convert ``x`` to a float64 array of shape (n,) (event_ndim=0) or (n, d) (event_ndim=1).

    A 1-D input to a vector family is an error, not a silent reshape: the user must say
    whether it is one observation of dimension d or d observations of dimension 1.
    ``check_finite=False`` skips the NaN/inf scan (a full pass over the data): for callers that
    detect non-finite values from their own results and then call :func:`require_finite`.
    """
    arr = _to_float64(x, owner, "data", "Select numeric columns or convert them first.")
    want = 1 + event_ndim
    if event_ndim == 0 and arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != want:
        shape = "(n,)" if event_ndim == 0 else "(n, d)"
        hint = (
            "Pass a 1-D array of observations, or fit each column separately."
            if event_ndim == 0
            else "Pass a 2-D array with one row per observation; use x.reshape(-1, 1) for 1-D data."
        )
        raise DataError(f"{owner}: data must have shape {shape}; got shape {arr.shape}. {hint}")
    if arr.shape[0] == 0:
        raise DataError(f"{owner}: data must contain at least one observation; got an empty array.")
    if check_finite:
        require_finite(arr, owner)
    return arr


def require_finite(arr: np.ndarray, owner: str) -> None:
    """Raise DataError with the count of NaN and infinite values and the first bad row."""
    if np.isfinite(arr).all():
        return
    bad = ~np.isfinite(arr)
    n_nan, n_inf = int(np.isnan(arr).sum()), int(np.isinf(arr).sum())
    what = ", ".join(s for s in (f"{n_nan} NaN" * bool(n_nan), f"{n_inf} infinite" * bool(n_inf)) if s)
    raise DataError(
        f"{owner}: data must be finite; got {what} value(s) (first at {row_label(_first_bad(bad))}). "
        "Drop or impute them before fitting."
    )


def as_weights(weights, n: int, owner: str) -> np.ndarray | None:
    """Validate optional observation weights: shape (n,), finite, non-negative, not all zero."""
    if weights is None:
        return None
    w = _to_float64(weights, owner, "weights", "Pass one non-negative number per row of the data.")
    if w.ndim != 1 or w.shape[0] != n:
        raise DataError(
            f"{owner}: weights must have shape ({n},), one per observation; got shape {w.shape}. "
            "Pass one non-negative weight per row of the data."
        )
    if not np.isfinite(w).all():
        raise DataError(
            f"{owner}: weights must be finite; got {int((~np.isfinite(w)).sum())} NaN/inf weight(s) "
            f"(first at {row_label(_first_bad(~np.isfinite(w))[0])}). Replace them with 0 to drop those rows."
        )
    if (w < 0).any():
        i = _first_bad(w < 0)[0]
        raise DataError(
            f"{owner}: weights must be non-negative; got {int((w < 0).sum())} negative weight(s) "
            f"(first at {row_label(i)}: {w[i]:g}). Weights are observation counts or importances."
        )
    if not (w > 0).any():
        raise DataError(
            f"{owner}: weights must not all be zero; got {n} zero weights. "
            "At least one observation needs a positive weight."
        )
    return w


def check_support(x: np.ndarray, support, family_name: str) -> None:
    """Raise SupportError naming the family, the support, the count and the first bad value."""
    inside = support.check(x)
    if inside.all():
        return
    bad = ~inside
    idx = _first_bad(bad)
    value = x[idx] if support.event_ndim == 0 else x[idx[0]]
    shown = f"{value:g}" if np.ndim(value) == 0 else np.array2string(np.asarray(value), precision=4)
    raise SupportError(
        f"{family_name}: data must be {support.describe()}; got {int(bad.sum())} value(s) outside "
        f"the support (first at {row_label(idx)}: {shown}). "
        "Check the data, or choose a family whose support contains them."
    )


def scalar_value(param, arr: np.ndarray, owner: str, what: str, keyword: str) -> np.ndarray:
    """``arr`` as a 0-d array where ``param`` (a family's ``Param``) is a scalar (a one-element
    array is its number); a ParameterError for more numbers, before they reach a ``float()`` or
    a broadcast deep inside."""
    if param.shape or arr.ndim == 0:
        return arr
    if arr.size == 1:
        return arr.reshape(())
    raise ParameterError(
        f"{owner}: {what} `{param.name}` must be one number (a scalar parameter); got shape {arr.shape}. "
        f"For example {keyword}={{'{param.name}': 1.0}}."
    )
