"""What a data file is, from its first bytes, with the standard library only (no pyarrow, no NumPy):
compression, spreadsheet and binary signatures, the text encoding, and the CSV delimiter.

``inspect_head`` turns the first few KB (decompressed) into a ``CsvDialect`` or a DataError that
names the file and says what to do. The checks here are cheap enough to run before every read.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

from .errors import DataError

HEAD_BYTES = 64 * 1024
DELIMITERS = (",", "\t", ";", "|")  # sniffed candidates, in order of preference on a tie
_SEP_WORDS = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " "}
_TAB_SUFFIXES = (".tsv", ".tab")
_COMPRESSION_SUFFIXES = (".gz", ".gzip", ".bz2", ".zst", ".zstd")

# magic number -> pyarrow codec name (decided by content, not by the file's extension)
_COMPRESSION = ((b"\x1f\x8b", "gzip"), (b"BZh", "bz2"), (b"\x28\xb5\x2f\xfd", "zstd"))
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc) compound files
_ZIP = b"PK\x03\x04"
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff")


class CsvDialect(NamedTuple):
    """How to read one CSV: ``delimiter`` (one character), ``decimal`` ("." or ","), ``encoding``
    (a Python codec name) and ``compression`` (a pyarrow codec name or None)."""

    delimiter: str
    decimal: str
    encoding: str
    compression: str | None


def check_read_options(sep: str | None, decimal: str, encoding: str) -> tuple[str | None, str]:
    """(delimiter or None to sniff, canonical codec name), or a DataError naming the bad option."""
    if sep is not None:
        sep = _SEP_WORDS.get(sep.lower(), sep)
        if len(sep) != 1 or sep in "\"\r\n":
            raise DataError(f"read: --sep must be one character (or tab, comma, semicolon, pipe); got {sep!r}. For example --sep ';'.")
    if decimal not in (".", ","):
        raise DataError(f"read: --decimal must be '.' or ','; got {decimal!r}. Pass --decimal , for numbers written as 1,5.")
    if sep is not None and sep == decimal:
        raise DataError(f"read: --sep and --decimal must differ; got {sep!r} for both. Files with decimal commas are usually separated by ';' (--sep ';').")
    try:
        encoding = codecs.lookup(encoding).name
    except LookupError:
        raise DataError(f"read: --encoding must be a known text encoding; got {encoding!r}. For example utf-8, latin-1, cp1252 or utf-16.") from None
    return sep, encoding


def row_place(source: str, i: int, lines: bool | None = None) -> str:
    """Where data row ``i`` (0-based) of ``source`` is, in the words of its reader: in a CSV with its
    header on line 1, ``"line {i + 2} of data.csv"`` (``-``: ``"line 7 of standard input"``); a
    Parquet file has no lines: ``"data row 5 (0-based) of data.parquet"``. ``lines``: whether
    ``source`` is text (None: decided by its name)."""
    source = "standard input" if source == "-" else str(source)
    if lines is None:
        lines = not source.lower().endswith((".parquet", ".pq")) and source != "the table"
    if not lines:
        return f"data row {i} (0-based) of {source}"
    return f"line {i + 2} of {source}"


def quoted(label: str) -> str:
    """A file name quoted for a message; standard input as words."""
    return label if label == "standard input" else repr(label)


def compression_of(head: bytes) -> str | None:
    """The pyarrow codec of a gzip, bz2 or zstd stream from its magic number, else None."""
    return next((codec for magic, codec in _COMPRESSION if head.startswith(magic)), None)


def is_parquet(head: bytes) -> bool:
    return head.startswith(b"PAR1")


def check_not_spreadsheet(head: bytes, label: str, zip_names=None) -> None:
    """A DataError for an Excel workbook or another zip archive given as data. ``zip_names`` lists
    the archive's members (read only when ``head`` starts like a zip file)."""
    name = quoted(label)
    export = ("maxlik reads no Excel files: export the sheet to CSV (Excel: File > Save As > "
              "CSV UTF-8; LibreOffice: `soffice --headless --convert-to csv FILE`) and pass the .csv file.")
    if head.startswith(_OLE2):
        raise DataError(f"read: {name} must be a CSV or Parquet table; got an Excel workbook (.xls, an OLE2 compound file). {export}")
    if head.startswith(_ZIP):
        names = list(zip_names() if zip_names else [])
        if any(n.startswith("xl/") for n in names):
            raise DataError(f"read: {name} must be a CSV or Parquet table; got an Excel workbook (.xlsx). {export}")
        raise DataError(f"read: {name} must be a CSV or Parquet table; got a zip archive. Unzip it and pass the CSV file inside.")


def inspect_head(head: bytes, label: str, *, suffixes: list[str], sep: str | None, decimal: str,
                 encoding: str, compression: str | None, truncated: bool) -> CsvDialect:
    """The dialect of a CSV whose first (decompressed) bytes are ``head``; ``truncated`` says the
    file goes on past them. ``suffixes`` are the path's extensions (``.tsv`` means tab)."""
    name = quoted(label)
    wide = encoding.startswith(("utf-16", "utf-32"))
    if encoding == "utf-8" and head.startswith(_UTF16_32_BOMS):
        raise DataError(f"read: {name} must be text in utf-8; got a UTF-16 byte-order mark ({head[:2].hex(' ')}). Pass --encoding utf-16.")
    if not wide:
        _check_text_bytes(head, name)
    text = _decode(head, name, encoding, final=not truncated)
    if sep is None:
        kept = [x.lower() for x in suffixes]
        while kept and kept[-1] in _COMPRESSION_SUFFIXES:
            kept.pop()
        tab_named = bool(kept) and kept[-1] in _TAB_SUFFIXES
        sep = "\t" if tab_named else sniff_delimiter(text, truncated=truncated, exclude=decimal)
    return CsvDialect(sep, decimal, encoding, compression)


def _check_text_bytes(head: bytes, name: str) -> None:
    """A DataError for bytes no text file has: NUL, or many control characters."""
    nul = head.find(b"\x00")
    control = sum(head.count(bytes([b])) for b in (*range(1, 9), 11, *range(14, 27), *range(28, 32)))
    if nul >= 0 or control > max(8, len(head) // 20):
        where = f"a NUL byte at offset {nul}" if nul >= 0 else f"{control} control bytes in the first {len(head):,}"
        raise DataError(f"read: {name} must be a text CSV table or a Parquet file; got binary data ({where}). "
                        "Check that this is the data file you meant, or export it to CSV.")


def encoding_error(name: str, encoding: str, detail: str) -> DataError:
    """The message for text that does not decode with ``encoding`` (shared with the reader)."""
    other = "utf-8" if encoding != "utf-8" else "latin-1"
    return DataError(f"read: {name} must be text in {encoding}; got {detail}. Pass the file's encoding, "
                     f"e.g. --encoding {other}" + (" (Western European; cp1252 for Windows files)." if other == "latin-1" else "."))


def _decode(head: bytes, name: str, encoding: str, final: bool) -> str:
    try:
        return codecs.getincrementaldecoder(encoding)().decode(head, final=final)
    except UnicodeDecodeError as exc:
        line = head.count(b"\n", 0, exc.start) + 1
        raise encoding_error(name, encoding, f"byte 0x{head[exc.start]:02x} at offset {exc.start} (line {line}), which is not valid {encoding}") from None


def sniff_delimiter(text: str, *, truncated: bool = False, exclude: str = "", max_lines: int = 50) -> str:
    """The delimiter of a CSV from its first lines: the candidate (``,`` tab ``;`` ``|``) that splits
    every line into the same number (> 1) of fields, quotes respected; on a tie the one with more
    fields, then the earlier candidate. With no consistent candidate, the most frequent in the
    header line; with none at all (one column), a comma.

    Counting per line, not only in the header, is what tells ``x;y`` / ``1,5;2,25`` (semicolons,
    decimal commas: 1 comma-field in the header, 3 below) apart from a comma file.
    csv.Sniffer was the alternative; it guesses from character frequencies including quoted text
    and raises on a one-column file, so this simpler rule is used instead."""
    import csv  # (on first read, not for `maxlik --help`)

    lines = text.splitlines()
    if truncated and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    lines = [ln for ln in lines[:max_lines] if ln.strip()]
    if not lines:
        return ","
    candidates = [d for d in DELIMITERS if d not in exclude]
    best, best_fields = None, 1
    for d in candidates:
        counts = {len(row) for row in csv.reader(lines, delimiter=d)}
        if len(counts) == 1 and (fields := counts.pop()) > best_fields:
            best, best_fields = d, fields
    if best is not None:
        return best
    header = lines[0]
    counts = [(header.count(d), -i, d) for i, d in enumerate(candidates)]
    top = max(counts)
    return top[2] if top[0] > 0 else ","
