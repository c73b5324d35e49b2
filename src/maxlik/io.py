"""Reading tabular data (CSV, Parquet, standard input) for the command line and users.

Errors name the file, the column and the first bad row (its line in a CSV file), and list what is there instead.
"""

from __future__ import annotations

import io as _io
import re
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from ._paths import existing_file
from ._textfile import (HEAD_BYTES, CsvDialect, check_not_spreadsheet, check_read_options, compression_of,
                        encoding_error, inspect_head, is_parquet, quoted, row_place)
from .errors import DataError


def read_table(source: str | Path, *, sep: str | None = None, decimal: str = ".", encoding: str = "utf-8") -> pa.Table:
    """A pyarrow Table from a CSV or Parquet path, or ``"-"`` for CSV on standard input.

    CSV files may be gzip, bz2 or zstd compressed (recognised by their first bytes); the delimiter
    (``,`` tab ``;`` ``|``) is sniffed from the decompressed head unless ``sep`` is given (``.tsv``
    and ``.tab`` mean tab); ``decimal=","`` reads 1,5 as 1.5; ``encoding`` is any Python codec.
    Excel workbooks, zip archives and binary files get a DataError that names the file."""
    sep, encoding = check_read_options(sep, decimal, encoding)
    if str(source) == "-":
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            raise DataError("read: standard input must contain a CSV table; got nothing. Pipe a file in, e.g. `cat data.csv | maxlik fit - ...`.")
        return _read_text_table(lambda: pa.BufferReader(raw), "standard input", [], sep, decimal, encoding,
                                lambda: _zip_names(_io.BytesIO(raw)))
    path = existing_file(source)
    if path.suffix.lower() in (".parquet", ".pq"):
        return _read_parquet(path)
    if path.stat().st_size == 0:
        raise DataError(f"read: {path} must contain a CSV table; got an empty file.")
    return _read_text_table(lambda: str(path), str(path), path.suffixes, sep, decimal, encoding, lambda: _zip_names(path))


def _read_parquet(path: Path) -> pa.Table:
    import pyarrow.parquet as pq  # (imported for Parquet only: it costs as much as pyarrow itself)

    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise DataError(f"read: {path} must be a valid Parquet file; it could not be read ({exc}).") from None
    return table.replace_schema_metadata({**(table.schema.metadata or {}), _PARQUET: b"1"})


_PARQUET = b"maxlik.parquet"  # marks a table read from Parquet (rows, not lines; whatever its file name)


_COMMA = b"maxlik.comma-delimited"  # marks a table read from a CSV file whose delimiter is ","


def comma_delimited(table: pa.Table) -> bool:
    """Whether ``table`` was read from a comma-delimited text file (see ``to_float(thousands=)``)."""
    return _COMMA in (table.schema.metadata or {})


def has_lines(table: pa.Table) -> bool:
    """Whether ``table``'s rows are lines of a text file (CSV), not rows of a Parquet file."""
    return _PARQUET not in (table.schema.metadata or {})


def _zip_names(src) -> list[str]:
    import zipfile

    try:
        with zipfile.ZipFile(src) as z:
            return z.namelist()
    except (zipfile.BadZipFile, OSError):
        return []


def _read_text_table(open_raw, label: str, suffixes: list[str], sep, decimal: str, encoding: str, zip_names) -> pa.Table:
    """Inspect the first bytes (decompressed), then read the whole CSV with pyarrow in that dialect."""
    with pa.input_stream(open_raw(), compression=None) as f:  # (not pyarrow's guess from the extension)
        magic = f.read(8)
    if is_parquet(magic) and label != "standard input":
        return _read_parquet(Path(label))
    check_not_spreadsheet(magic, label, zip_names)
    compression = compression_of(magic)
    try:
        with pa.input_stream(open_raw(), compression=compression) as f:
            head = f.read(HEAD_BYTES + 1)
    except (OSError, pa.ArrowInvalid) as exc:
        raise DataError(f"read: {label} must be a valid {compression or 'CSV'} file; it could not be read ({exc}).") from None
    dialect = inspect_head(head[:HEAD_BYTES], label, suffixes=suffixes, sep=sep, decimal=decimal, encoding=encoding,
                           compression=compression, truncated=len(head) > HEAD_BYTES)
    return _read_csv(pa.input_stream(open_raw(), compression=compression), label, dialect)


def _read_csv(src, label: str, dialect: CsvDialect) -> pa.Table:
    utf8 = dialect.encoding == "utf-8"
    try:
        table = pacsv.read_csv(
            src,
            read_options=pacsv.ReadOptions(encoding="utf8" if utf8 else dialect.encoding),
            parse_options=pacsv.ParseOptions(delimiter=dialect.delimiter),
            convert_options=pacsv.ConvertOptions(decimal_point=dialect.decimal),
        )
    except UnicodeDecodeError as exc:
        raise encoding_error(quoted(label), dialect.encoding,
                             f"a byte that is not valid {dialect.encoding} ({exc.reason})") from None
    except pa.ArrowInvalid as exc:
        first = str(exc).splitlines()[0]
        if "straddles" in first:  # pyarrow's wording for a line longer than its read block
            raise DataError(f"read: {label} must have lines shorter than {_BLOCK_MB} MB; got a longer line (a line break "
                            "missing, or a binary file?). Check the file's line endings, or split that line.") from None
        raise DataError(f"read: {label} must be a readable CSV table with a header row; it could not be parsed ({first}).") from None
    except OSError as exc:  # a compressed stream that breaks off past the inspected head
        raise DataError(f"read: {label} must be a valid {dialect.compression or 'CSV'} file; it could not be read ({exc}).") from None
    _check_unique_names(table.column_names, label)
    if dialect.delimiter == ",":
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), _COMMA: b"1"})
    if table.num_rows == 0:
        raise DataError(f"read: {label} must contain at least one data row; got only a header ({', '.join(table.column_names)}).")
    # pyarrow keeps data that is not UTF-8 as a binary column instead of failing (here: past the
    # inspected head); the header row fails above
    binary = [c for c in table.column_names if pa.types.is_binary(table.schema.field(c).type) or pa.types.is_large_binary(table.schema.field(c).type)]
    if utf8 and binary:
        raise encoding_error(quoted(label), "utf-8", f"bytes in column {binary[0]!r} that are not valid utf-8")
    return table


_BLOCK_MB = 1  # pyarrow.csv's default block size (1 MiB) bounds the length of one line


def _check_unique_names(names: list[str], label: str) -> None:
    seen, twice = set(), []
    for n in names:
        (twice if n in seen and n not in twice else []).append(n)
        seen.add(n)
    if twice:
        raise DataError(f"read: the column names of {label} must be unique; got {twice[0]!r} "
                        f"{names.count(twice[0])} times in the header. Rename the repeated columns.")


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
    return name, to_float(table.column(name), name, source, has_lines(table), thousands=comma_delimited(table))


def column_hint(name: str, names) -> str:
    """"Did you mean 'x'?" for a near miss, else how to see the columns."""
    import difflib

    close = difflib.get_close_matches(str(name), [str(n) for n in names], n=1)
    return f"Did you mean {close[0]!r}?" if close else "Check the spelling (names are case-sensitive)."


def require_column(table: pa.Table, name: str, source: str = "the table") -> None:
    """A DataError unless ``table`` has a column ``name`` (checked before any conversion)."""
    if name not in table.column_names:
        raise DataError(f"read: column must be one of {table.column_names}; got {name!r} in {source}. "
                        + column_hint(name, table.column_names))


def _float64_values(values) -> np.ndarray:
    """The values of a float64 Arrow column without nulls, straight from its buffers (pyarrow's
    ``to_numpy`` imports pandas, 0.3 s, when it is installed)."""
    parts = [np.frombuffer(chunk.buffers()[1], dtype=np.float64, count=len(chunk), offset=chunk.offset * 8)
             for chunk in getattr(values, "chunks", [values]) if len(chunk)]
    if not parts:
        return np.zeros(0)
    return parts[0].copy() if len(parts) == 1 else np.concatenate(parts)


_DECIMAL_COMMA = re.compile(r"\s*[-+]?\d*,\d+([eE][-+]?\d+)?\s*")
_THOUSANDS = re.compile(r"\s*[-+]?\d{1,3}(,\d{3})+(\.\d*)?\s*")  # 1,234,567.5 (groups of exactly three)


def _number(t) -> float:
    """float(t), also for a text with thousands separators in groups of exactly three (1,234.5)."""
    if isinstance(t, str) and _THOUSANDS.fullmatch(t):
        t = t.replace(",", "")
    return float(t)


def to_float(col, name: str, source: str = "the table", lines: bool | None = None, first_row: int = 0,
             thousands: bool = False) -> np.ndarray:
    """Float64 values of an Arrow column; non-numeric text names the first bad row as the line of
    ``source`` it is on (see ``row_place``); ``first_row``: the column's first row in ``source``.
    ``thousands``: read quoted 1,234.5 as 1234.5 (only in comma-delimited files, where such a cell
    must have been quoted; with ``;`` as delimiter a comma is more likely a decimal comma)."""
    if pa.types.is_integer(col.type) or pa.types.is_floating(col.type) or pa.types.is_boolean(col.type):
        values = col.cast(pa.float64())
        if values.null_count:
            import pyarrow.compute as pc

            first = int(np.argmax(np.asarray(pc.is_null(values).to_numpy(zero_copy_only=False))))
            raise DataError(
                f"read: column {name!r} must have no missing values; got {values.null_count} (first at {row_place(source, first_row + first, lines)}). "
                "Drop or impute them first."
            )
        return _float64_values(values)
    texts = col.cast(pa.string()).to_pylist()
    values = np.empty(len(texts))
    for i, t in enumerate(texts):
        try:
            values[i] = _number(t) if thousands else float(t)
        except (TypeError, ValueError):
            hint = " It looks like a decimal comma: pass --decimal ,." if _DECIMAL_COMMA.fullmatch(str(t)) else ""
            raise DataError(f"read: column {name!r} must be numeric; got {t!r} at {row_place(source, first_row + i, lines)}. Choose a numeric column or clean the data.{hint}") from None
    return values


def labels(table: pa.Table, name: str, source: str = "the table") -> np.ndarray:
    """A label column as strings (for classifiers)."""
    require_column(table, name, source)
    return np.asarray(table.column(name).cast(pa.string()).to_pylist(), dtype=object).astype(str)
