"""Reading tabular data (CSV, Parquet, standard input) for the command line and users.

Errors name the file, the column and the first bad row, and list what is there instead.
"""

from __future__ import annotations

import io as _io
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from ._paths import existing_file
from .errors import DataError


def read_table(source: str | Path) -> pa.Table:
    """A pyarrow Table from a CSV or Parquet path, or ``"-"`` for CSV on standard input."""
    if str(source) == "-":
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            raise DataError("read: standard input must contain a CSV table; got nothing. Pipe a file in, e.g. `cat data.csv | maxlik fit - ...`.")
        return _read_csv(_io.BytesIO(raw), "standard input")
    path = existing_file(source)
    if path.suffix.lower() in (".parquet", ".pq"):
        import pyarrow.parquet as pq  # (imported for Parquet only: it costs as much as pyarrow itself)

        try:
            return pq.read_table(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise DataError(f"read: {path} must be a valid Parquet file; it could not be read ({exc}).") from None
    if path.stat().st_size == 0:
        raise DataError(f"read: {path} must contain a CSV table; got an empty file.")
    return _read_csv(path, str(path))


def _read_csv(src, label: str) -> pa.Table:
    try:
        table = pacsv.read_csv(src)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0]
        raise DataError(f"read: {label} must be a readable CSV table with a header row; it could not be parsed ({first}).") from None
    if table.num_rows == 0:
        raise DataError(f"read: {label} must contain at least one data row; got only a header ({', '.join(table.column_names)}).")
    return table


def column(table: pa.Table, name: str | None, source: str = "the table") -> tuple[str, np.ndarray]:
    """(name, float64 values) of one column; ``None`` picks the only numeric column."""
    if name is None:
        numeric = [c for c in table.column_names if pa.types.is_integer(table.schema.field(c).type) or pa.types.is_floating(table.schema.field(c).type)]
        if len(numeric) != 1:
            raise DataError(
                f"read: --column must be given when {source} has {len(numeric)} numeric columns; "
                f"choose one of {table.column_names}."
            )
        name = numeric[0]
    require_column(table, name, source)
    return name, to_float(table.column(name), name)


def require_column(table: pa.Table, name: str, source: str = "the table") -> None:
    """A DataError unless ``table`` has a column ``name`` (checked before any conversion)."""
    if name not in table.column_names:
        raise DataError(f"read: column must be one of {table.column_names}; got {name!r} in {source}.")


def _float64_values(values) -> np.ndarray:
    """The values of a float64 Arrow column without nulls, straight from its buffers (pyarrow's
    ``to_numpy`` imports pandas, 0.3 s, when it is installed)."""
    parts = [np.frombuffer(chunk.buffers()[1], dtype=np.float64, count=len(chunk), offset=chunk.offset * 8)
             for chunk in getattr(values, "chunks", [values]) if len(chunk)]
    if not parts:
        return np.zeros(0)
    return parts[0].copy() if len(parts) == 1 else np.concatenate(parts)


def to_float(col, name: str) -> np.ndarray:
    """Float64 values of an Arrow column; non-numeric text names the first bad row."""
    if pa.types.is_integer(col.type) or pa.types.is_floating(col.type) or pa.types.is_boolean(col.type):
        values = col.cast(pa.float64())
        if values.null_count:
            import pyarrow.compute as pc

            first = int(np.argmax(np.asarray(pc.is_null(values).to_numpy(zero_copy_only=False))))
            raise DataError(
                f"read: column {name!r} must have no missing values; got {values.null_count} (first at row {first}). "
                "Drop or impute them first."
            )
        return _float64_values(values)
    texts = col.cast(pa.string()).to_pylist()
    for i, t in enumerate(texts):
        try:
            float(t)
        except (TypeError, ValueError):
            raise DataError(f"read: column {name!r} must be numeric; got {t!r} at row {i}. Choose a numeric column or clean the data.") from None
    return np.asarray([float(t) for t in texts])


def labels(table: pa.Table, name: str, source: str = "the table") -> np.ndarray:
    """A label column as strings (for classifiers)."""
    require_column(table, name, source)
    return np.asarray(table.column(name).cast(pa.string()).to_pylist(), dtype=object).astype(str)
