"""``maxlik.scan``: Parquet and CSV files read batch by batch, in bounded memory.

A scan names files (a path, a directory, a glob such as ``claims/*.parquet``, or a list of
them) and the columns a fit uses. Nothing is read but the files' schemas (Parquet footers, CSV
header lines) until a fit asks for a pass; each pass then reads the needed columns in batches
of ``batch_rows`` rows (pyarrow's ``ParquetFile.iter_batches`` / its streaming CSV reader),
converts them to float64 and hands them to the fit's per-chunk function, a few batches in
flight at a time. Errors name the file, and a bad value's line (CSV) or row (Parquet).
"""

from __future__ import annotations

import glob as _glob
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from ..errors import DataError
from ._base import Chunk, Source, iterate_in_order
from . import _progress

BATCH_ROWS = 1 << 18  # 2 MB of float64 per column: a few batches in flight, whatever the file size
_PARQUET_SUFFIXES = (".parquet", ".pq")
_TEXT_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")
_COMPRESSED = (".gz", ".bz2", ".zst")


def scan(path, column: str | None = None, columns: Sequence[str] | None = None, *, target: str | None = None,
         weights: str | None = None, batch_rows: int = BATCH_ROWS, sep: str | None = None, decimal: str = ".",
         encoding: str = "utf-8") -> "FileSource":
    """A lazy data source over Parquet or CSV files, for any fit that accepts an array.

    path : a file, a directory (its Parquet / CSV files, recursively), a glob (``"logs/*.parquet"``,
        ``"**"`` recursive), or a list of these
    column : the one data column (the fit gets x of shape (n,));  columns : several ((n, d));
        neither: the only numeric column of the first file
    target : the label / response column, for the estimators (``GaussianClassifier().fit(src)``)
    weights : a column of observation weights
    batch_rows : rows per batch (memory per pass ≈ a few batches of the used columns)
    sep, decimal, encoding : CSV dialect (the delimiter is sniffed per file unless ``sep`` is given)

    >>> src = maxlik.scan("claims/*.parquet", column="amount")
    >>> maxlik.fit(src, "gamma")          # one pass of sufficient statistics
    """
    from .._textfile import check_read_options

    sep, encoding = check_read_options(sep, decimal, encoding)
    if column is not None and columns is not None:
        raise DataError("scan: pass column= (one column) or columns= (several), not both; got both. "
                        "Use columns=[...] for a multivariate fit.")
    if not (isinstance(batch_rows, (int, np.integer)) and batch_rows >= 1):
        raise DataError(f"scan: batch_rows must be an integer >= 1; got {batch_rows!r}. The default is {BATCH_ROWS}.")
    files = [_open(p, sep, decimal, encoding) for p in _resolve(path)]
    if columns is not None:
        cols = tuple(columns)
        if not cols or not all(isinstance(c, str) for c in cols):
            raise DataError(f"scan: columns must be a non-empty list of column names; got {columns!r}.")
        matrix = True
    elif column is not None:
        cols, matrix = (column,), False
    else:
        numeric = [c for c, t in files[0].types.items() if _numeric(t)]
        if len(numeric) != 1:
            raise DataError(f"scan: column must be given when {files[0].path} has {len(numeric)} numeric columns; "
                            f"choose one of {list(files[0].types)} (column='...').")
        cols, matrix = (numeric[0],), False
    source = FileSource(files=tuple(files), columns=cols, target=target, weights=weights, batch_rows=int(batch_rows),
                        _as_matrix=matrix, _label=_label(path))
    source.check()
    return source


def numeric_columns(path, *, exclude=(), sep: str | None = None, decimal: str = ".", encoding: str = "utf-8") -> list[str]:
    """The numeric columns of the first file ``path`` names (in file order), less ``exclude``."""
    from .._textfile import check_read_options

    sep, encoding = check_read_options(sep, decimal, encoding)
    first = _open(_resolve(path)[0], sep, decimal, encoding)
    return [c for c, t in first.types.items() if _numeric(t) and c not in exclude]


def _label(path) -> str:
    if isinstance(path, (list, tuple)):
        return ", ".join(map(str, path)) if len(path) <= 3 else f"{path[0]}, ... ({len(path)} paths)"
    return str(path)


def _resolve(path) -> list[Path]:
    """The files ``path`` names, sorted; a DataError for nothing found."""
    if isinstance(path, (list, tuple)):
        if not path:
            raise DataError("scan: path must name at least one file; got an empty list.")
        out = [f for p in path for f in _resolve(p)]
        return list(dict.fromkeys(out))
    text = str(path)
    if any(ch in text for ch in "*?["):
        found = sorted(Path(p) for p in _glob.glob(text, recursive=True) if Path(p).is_file())
        if not found:
            raise DataError(f"scan: the pattern must match at least one file; got {text!r}, which matched none. "
                            f"Check the folder and the pattern (relative to {Path.cwd()}).")
        return found
    p = Path(text)
    if p.is_dir():
        found = sorted(f for f in p.rglob("*") if f.is_file() and _data_file(f))
        if not found:
            raise DataError(f"scan: the folder must contain Parquet or CSV files; got {text!r}, which has none "
                            f"(looked for {', '.join(_PARQUET_SUFFIXES + _TEXT_SUFFIXES)}, also compressed).")
        return found
    from .._paths import existing_file

    try:
        return [existing_file(p)]
    except DataError as exc:
        raise DataError(str(exc).replace("read:", "scan:", 1)) from None


def _data_file(f: Path) -> bool:
    if f.name.startswith((".", "_")):  # _SUCCESS, _metadata, .crc: written beside data by Spark / Dask
        return False
    suffixes = [s.lower() for s in f.suffixes]
    while suffixes and suffixes[-1] in _COMPRESSED:
        suffixes.pop()
    return bool(suffixes) and suffixes[-1] in _PARQUET_SUFFIXES + _TEXT_SUFFIXES


def _numeric(t) -> bool:
    import pyarrow as pa

    return pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_boolean(t)


def _labels_or_values(col, as_float):
    """A target column as the estimators expect it: integers and booleans keep their type (class
    labels 0, 1 stay ints, as in an in-memory y), floats are float64, anything else text."""
    import pyarrow as pa

    if (pa.types.is_integer(col.type) or pa.types.is_boolean(col.type)) and col.null_count == 0:
        return np.asarray(col.to_numpy(zero_copy_only=False))
    return as_float() if _numeric(col.type) else np.asarray(col.to_pylist(), dtype=object).astype(str)


def _kind(t) -> str:
    import pyarrow as pa

    if pa.types.is_integer(t) or pa.types.is_floating(t):
        return "numeric"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_dictionary(t):
        return "text"
    return str(t)


@dataclass(frozen=True)
class _File:
    """One file of a scan: its format, column types (from its schema or header) and row count
    (Parquet: from the footer; CSV: None until counted)."""

    path: Path
    parquet: bool
    types: dict
    rows: int | None
    dialect: object = None
    row_bytes: float = 16.0  # CSV: mean bytes per line of its head (batch_rows -> a block size)

    @property
    def label(self) -> str:
        return str(self.path)


def _open(path: Path, sep, decimal, encoding) -> _File:
    import pyarrow as pa

    from .._textfile import check_not_spreadsheet, compression_of, is_parquet

    with open(path, "rb") as f:
        magic = f.read(8)
    if is_parquet(magic):
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(path)
            schema = pf.schema_arrow
            rows = pf.metadata.num_rows
        except (pa.ArrowInvalid, OSError) as exc:
            raise DataError(f"scan: {path} must be a valid Parquet file; it could not be read ({exc}).") from None
        return _File(path, True, {n: schema.field(n).type for n in schema.names}, rows)
    if not magic:
        raise DataError(f"scan: {path} must contain a CSV table; got an empty file.")
    check_not_spreadsheet(magic, str(path))
    dialect, row_bytes = _csv_dialect(path, compression_of(magic), sep, decimal, encoding)
    header = _csv_header(path, dialect)
    return _File(path, False, header, None, dialect, row_bytes)


def _csv_dialect(path: Path, compression, sep, decimal, encoding):
    import pyarrow as pa

    from .._textfile import HEAD_BYTES, inspect_head

    try:
        with pa.input_stream(str(path), compression=compression) as f:
            head = f.read(HEAD_BYTES + 1)
    except (OSError, pa.ArrowInvalid) as exc:
        raise DataError(f"scan: {path} must be a valid {compression or 'CSV'} file; it could not be read ({exc}).") from None
    dialect = inspect_head(head[:HEAD_BYTES], str(path), suffixes=path.suffixes, sep=sep, decimal=decimal,
                           encoding=encoding, compression=compression, truncated=len(head) > HEAD_BYTES)
    head = head[:HEAD_BYTES]
    return dialect, len(head) / max(1, head.count(b"\n"))


def _csv_reader(path: Path, dialect, include=(), types=None, block_size=1 << 22):
    import pyarrow as pa
    import pyarrow.csv as pacsv

    return pacsv.open_csv(
        pa.input_stream(str(path), compression=dialect.compression),
        read_options=pacsv.ReadOptions(encoding="utf8" if dialect.encoding == "utf-8" else dialect.encoding,
                                       block_size=block_size),
        parse_options=pacsv.ParseOptions(delimiter=dialect.delimiter),
        convert_options=pacsv.ConvertOptions(decimal_point=dialect.decimal, include_columns=list(include),
                                             column_types=types or {}),
    )


def _csv_header(path: Path, dialect) -> dict:
    """Column name -> type inferred from the first block (types are checked per batch later)."""
    import pyarrow as pa

    try:
        reader = _csv_reader(path, dialect, block_size=1 << 16)
    except pa.ArrowInvalid as exc:
        raise DataError(f"scan: {path} must be a readable CSV table with a header row; it could not be parsed "
                        f"({str(exc).splitlines()[0]}).") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"scan: {path} must be text in {dialect.encoding}; got a byte that is not ({exc.reason}). "
                        "Pass encoding='latin-1' (or the file's encoding) to scan.") from None
    schema = reader.schema
    return {n: schema.field(n).type for n in schema.names}


@dataclass(frozen=True)
class FileSource(Source):
    """Rows of Parquet / CSV files (see :func:`scan`); cheap to copy, reads nothing until a pass."""

    files: tuple
    columns: tuple
    target: str | None = None
    weights: str | None = None
    batch_rows: int = BATCH_ROWS
    _as_matrix: bool = False
    _label: str = ""
    _rows: dict = field(default_factory=dict, compare=False, repr=False)  # a cache: {"n": rows}

    def describe(self) -> str:
        cols = ", ".join(repr(c) for c in self.columns)
        return f"{self._label} (column{'s' if len(self.columns) > 1 else ''} {cols})"

    def with_roles(self, *, target=None, weights=None) -> "FileSource":
        for role, name in (("target", target), ("weights", weights)):
            if name is not None and not isinstance(name, str):
                raise DataError(f"scan: {role} must be a column name of the scanned files; got {type(name).__name__}. "
                                f"Pass {role}='column', or scan(..., {role}='column').")
        out = replace(self, target=target or self.target, weights=weights or self.weights, _rows={})
        out.check()
        return out

    @property
    def needed(self) -> tuple:
        return tuple(dict.fromkeys(c for c in (*self.columns, self.target, self.weights) if c is not None))

    def check(self) -> None:
        """Every file has every needed column, of the same kind as in the first file."""
        first = self.files[0]
        roles = {**{c: "column" for c in self.columns}, self.target: "target", self.weights: "weights"}
        for name in self.needed:
            if name not in first.types:
                from ..io import column_hint

                raise DataError(f"scan: {roles[name]} must be one of the columns {list(first.types)}; got {name!r}, "
                                f"which {first.path} lacks. " + column_hint(name, list(first.types)))
        for f in self.files[1:]:
            for name in self.needed:
                if name not in f.types:
                    raise DataError(f"scan: every file must have column {name!r}; {f.path} lacks it "
                                    f"(it has {list(f.types)}). Rename the column there, or leave the file out of the scan.")
                a, b = _kind(first.types[name]), _kind(f.types[name])
                if a != b:
                    raise DataError(f"scan: column {name!r} must have one type in every file; got {a} in {first.path} "
                                    f"and {b} in {f.path}. Convert it in one of them, or leave that file out.")
        for name in (*self.columns, self.weights):
            if name is not None and _kind(first.types[name]) not in ("numeric", "boolean"):
                raise DataError(f"scan: column {name!r} must be numeric; got {first.types[name]} in {first.path}. "
                                "Choose a numeric column.")

    @property
    def n_rows(self) -> int:
        if "n" not in self._rows:
            known = [f.rows for f in self.files]
            if all(r is not None for r in known):
                self._rows["n"] = int(sum(known))
            else:
                self._rows["n"] = int(self.map_reduce(lambda c: len(c.x), lambda a, b: (a or 0) + (b or 0)) or 0)
        return self._rows["n"]

    def learned_rows(self, n: int) -> None:
        self._rows.setdefault("n", int(n))

    def map_reduce(self, fn, combine=None):
        from ._base import merge

        return iterate_in_order(self.chunks(), fn, combine or merge)

    def chunks(self) -> Iterator[Chunk]:
        offset = 0
        total = self._rows.get("n")
        with _progress.pass_over(self.describe(), total) as advance:
            for f in self.files:
                start = 0
                for batch in self._batches(f):
                    chunk = self._chunk(batch, f, offset, start)
                    n = len(chunk.x)
                    offset += n
                    start += n
                    advance(n)
                    yield chunk

    def _batches(self, f: _File):
        import pyarrow as pa

        try:
            if f.parquet:
                import pyarrow.parquet as pq

                # pre_buffer=False: pyarrow's default pre-buffering keeps every column chunk read so far
                # in its memory pool until the file is closed (peak memory would grow with the file)
                yield from pq.ParquetFile(f.path, pre_buffer=False, buffer_size=1 << 22).iter_batches(
                    batch_size=self.batch_rows, columns=list(self.needed), use_threads=True)
            else:
                types = {c: pa.float64() for c in (*self.columns, self.weights) if c is not None}
                block = int(min(max(self.batch_rows * f.row_bytes, 1 << 12), 1 << 26))
                reader = _csv_reader(f.path, f.dialect, include=self.needed, types=types, block_size=block)
                for batch in reader:
                    yield batch
        except (pa.ArrowInvalid, OSError) as exc:
            first = str(exc).splitlines()[0]
            raise DataError(f"scan: {f.path} must be readable to the end; reading it failed ({first}). "
                            "Check or re-export that file; no result was computed.") from None
        except UnicodeDecodeError as exc:
            raise DataError(f"scan: {f.path} must be text in {f.dialect.encoding}; got a byte that is not ({exc.reason}). "
                            "Pass encoding='latin-1' (or the file's encoding) to scan.") from None

    def _chunk(self, batch, f: _File, offset: int, start: int) -> Chunk:
        from ..io import to_float

        lines = not f.parquet
        names = batch.schema.names

        def values(name):
            return to_float(batch.column(names.index(name)), name, f.label, lines, first_row=start,
                            thousands=lines and f.dialect.delimiter == ",")

        if self._as_matrix:
            x = np.column_stack([values(c) for c in self.columns]) if len(batch) else np.zeros((0, len(self.columns)))
        else:
            x = values(self.columns[0])
        y = None
        if self.target is not None:
            col = batch.column(names.index(self.target))
            y = _labels_or_values(col, lambda: values(self.target))
        w = None if self.weights is None else values(self.weights)
        return Chunk(x, y, w, offset, f.label, start, lines)
