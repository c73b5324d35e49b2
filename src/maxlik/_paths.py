"""Checks on a file path that need no reader library (not even NumPy), so that the command line
reports a missing file at once, before pyarrow loads."""

from __future__ import annotations

from pathlib import Path

from .errors import DataError


def existing_file(source) -> Path:
    """``source`` as a Path to an existing file, or a DataError saying what is there instead."""
    path = Path(source)
    if not path.exists():
        raise DataError(f"read: file must exist; got {str(path)!r}, which was not found. Check the path (relative to {Path.cwd()}).")
    if path.is_dir():
        raise DataError(f"read: a file is needed; got the directory {str(path)!r}. Name a CSV or Parquet file inside it.")
    return path
