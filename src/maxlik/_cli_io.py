"""Tables in and out: the reading options of every command that reads a table (``--sep``,
``--decimal``, ``--encoding``), the reader that remembers the file for the line numbers of
messages, a feature matrix (n, d) from columns, and CSV rows to ``--output`` or standard output."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ._cli_common import MaxlikErrorUsage, _state, out
from ._paths import atomic_path
from ._textfile import check_read_options

if TYPE_CHECKING:
    import numpy as np


def _mio():
    """maxlik.io (pyarrow), imported by the commands that read files, not by ``--help``."""
    from . import io

    return io


# The reading options of every command that reads a table (defined once; see README "Files").
Sep = Annotated[Optional[str], typer.Option("--sep", help="Field delimiter (one character, or tab); default: sniffed from , tab ; | (.tsv/.tab: tab).")]
Decimal = Annotated[str, typer.Option("--decimal", help="Decimal mark: '.' or ',' (for numbers written 1,5).")]
Encoding = Annotated[str, typer.Option("--encoding", help="Text encoding of CSV files, e.g. utf-8, latin-1, cp1252, utf-16.")]


def _reader(sep: str | None, decimal: str, encoding: str):
    """``read(path) -> pyarrow.Table`` with the reading options, checked now (before pyarrow loads)."""
    check_read_options(sep, decimal, encoding)

    def read(path: str):
        table = _mio().read_table(path, sep=sep, decimal=decimal, encoding=encoding)
        _state["source"] = (path, _mio().has_lines(table))  # the library's row numbers below are rows of this file
        return table

    return read


def _features(table, exclude: set, columns: list[str] | None, source: str) -> tuple[list[str], np.ndarray]:
    """Feature matrix (n, d) from the named columns, or every numeric column not excluded."""
    import numpy as np
    import pyarrow as pa

    if columns:
        names = list(columns)
    else:
        names = [c for c in table.column_names if c not in exclude
                 and (pa.types.is_integer(table.schema.field(c).type) or pa.types.is_floating(table.schema.field(c).type))]
        if not names:
            raise MaxlikErrorUsage(f"{source} must have numeric feature columns; got only {table.column_names}. Name them with --column.")
    return names, np.column_stack([_mio().column(table, c, source)[1] for c in names])


def _write_rows(rows: list[str], output: str | None, note: str) -> None:
    """CSV lines to ``output`` (atomically, then ``note`` unless --quiet), or to standard output."""
    text = "\n".join(rows) + "\n"
    if output:
        with atomic_path(output) as tmp:
            tmp.write_text(text)
        if not _state["quiet"]:
            out.print(note)
    else:
        sys.stdout.write(text)
