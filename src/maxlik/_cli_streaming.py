"""The command line's side of files larger than memory: when to stream a file, the scan for a
command's columns, and a progress bar over the rows of each pass (stderr)."""

from __future__ import annotations

import contextlib
from pathlib import Path

STREAM_BYTES = 64 << 20  # files larger than this are read in passes unless --no-stream


def is_many(file: str) -> bool:
    """A folder or a glob: always a scan (there is no one table to load)."""
    return any(ch in file for ch in "*?[") or Path(file).is_dir()


def wants_stream(file: str, stream: bool | None) -> bool:
    """Read ``file`` in passes? ``stream``: the user's --stream / --no-stream (None: by size)."""
    from .errors import DataError

    if file == "-":
        if stream:
            raise DataError("read: --stream needs a file; got standard input. Save the data to a file first.")
        return False
    if is_many(file):
        return True
    if stream is not None:
        return stream
    try:
        return Path(file).stat().st_size > STREAM_BYTES
    except OSError:
        return False


def scan_for(file: str, vector: bool, column: list[str] | None, weights: str | None, *, sep, decimal, encoding,
             batch_rows: int | None):
    """The scan of ``file`` for a fit: one column (scalar family) or several (``vector``)."""
    from .sources import scan
    from .sources.files import BATCH_ROWS

    options = dict(weights=weights, sep=sep, decimal=decimal, encoding=encoding, batch_rows=batch_rows or BATCH_ROWS)
    if not vector:
        return scan(file, column=column[0] if column else None, **options)
    if column:
        return scan(file, columns=column, **options)
    from .sources import numeric_columns

    names = numeric_columns(file, exclude=(weights,), sep=sep, decimal=decimal, encoding=encoding)
    return scan(file, columns=names, **options)


@contextlib.contextmanager
def row_progress(console, quiet: bool):
    """A Rich bar on ``console`` per pass over a source (rows read / total), while the block runs;
    nothing with --quiet or when ``console`` is not a terminal."""
    from .sources import listening_to_progress

    if quiet or not console.is_terminal:
        yield
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    passes = {"n": 0}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:

        @contextlib.contextmanager
        def start(label: str, total):
            passes["n"] += 1
            task = bar.add_task(f"pass {passes['n']} over {label}", total=total)
            try:
                yield lambda rows: bar.advance(task, rows)
            finally:
                bar.remove_task(task)

        with listening_to_progress(start):
            yield
