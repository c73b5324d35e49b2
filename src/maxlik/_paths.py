"""Checks on a file path that need no reader library (not even NumPy), so that the command line
reports a missing file, or an output path it cannot write, at once, before any heavy import or
any fitting; and writes that leave no half-written file behind."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from .errors import DataError, OutputPathError


def existing_file(source) -> Path:
    """``source`` as a Path to an existing file, or a DataError saying what is there instead."""
    path = Path(source)
    if not path.exists():
        raise DataError(f"read: file must exist; got {str(path)!r}, which was not found. Check the path (relative to {Path.cwd()}).")
    if path.is_dir():
        raise DataError(f"read: a file is needed; got the directory {str(path)!r}. Name a CSV or Parquet file inside it.")
    try:
        open_for_reading(path).close()
    except OSError as exc:
        raise DataError(f"read: file must be readable; got {str(path)!r}, which cannot be read ({_reason(exc)}). "
                        f"Check its permissions (e.g. chmod u+r {quoted_path(path)}).") from None
    return path


def open_for_reading(path: Path):
    """``path`` opened for reading (its own function so that tests can refuse it as root would not)."""
    return open(path, "rb")


def quoted_path(path) -> str:
    """``path`` as a shell word."""
    import shlex

    return shlex.quote(str(path))


# -- output paths: checked before any work, written atomically ---------------------------------

def _reason(exc: OSError) -> str:
    """An OSError as a few words for a message ("permission denied", "read-only file system")."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOENT:  # the folder exists (it was checked), yet refuses new entries: /proc as root
        return "files cannot be created there"
    return (exc.strerror or str(exc)).lower()


def _probe(folder: Path) -> None:
    """Create and remove a temporary file in ``folder``: os.access says yes to root even where
    nothing can be written (/proc, a read-only mount), so only a real write tells."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".maxlik-probe-")
    os.close(fd)
    os.unlink(tmp)


def writable_folder(path, *, option: str, owner: str) -> Path:
    """``path`` as a Path to a folder that exists, or can be created, and is writable; otherwise an
    OutputPathError "<owner>: <option> must be a writable folder; got '<path>' (<why>). ..."."""
    folder = Path(path)

    def fail(why: str):
        raise OutputPathError(f"{owner}: {option} must be a writable folder; got {str(path)!r} ({why}). "
                              f"Choose another folder with {option}.")

    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        fail("it is a file" if existing == folder else f"{str(existing)!r} is a file, not a folder")
    try:
        if existing == folder:
            _probe(folder)
        else:  # it will be created: the first missing level must be creatable where it goes
            tmp = tempfile.mkdtemp(dir=existing, prefix=".maxlik-probe-")
            os.rmdir(tmp)
    except OSError as exc:
        fail(_reason(exc))
    return folder


def writable_file(path, *, option: str, owner: str, example: str) -> Path:
    """``path`` as a Path where a file can be written (its folder exists and is writable; it is not
    a folder); otherwise an OutputPathError naming ``option`` and the path. ``example`` is a file
    name suggested when a folder was given."""
    file = Path(path)
    parent = file.parent
    if file.is_dir():
        raise OutputPathError(f"{owner}: {option} must be a writable file; got {str(path)!r} (it is a folder). "
                              f"Name a file inside it, such as {option} {str(file / example)!r}.")
    if not parent.is_dir():
        why = "is a file, not a folder" if parent.exists() else "does not exist"
        raise OutputPathError(f"{owner}: {option} must be a writable file; got {str(path)!r} (its folder {str(parent)!r} {why}). "
                              f"Create the folder first, or choose another file with {option}.")
    try:
        _probe(parent)
    except OSError as exc:
        raise OutputPathError(f"{owner}: {option} must be a writable file; got {str(path)!r} ({_reason(exc)}). "
                              f"Choose another file with {option}.") from None
    return file


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path in ``path``'s folder to write to; rename it onto ``path`` when the
    block succeeds, remove it when it fails, so a failed run never leaves a half-written file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else _new_file_mode())  # mkstemp's is 0600
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_files(folder, files: dict[str, bytes]) -> list[Path]:
    """Write ``files`` (name -> bytes) into ``folder``, creating it (and its parents) if needed.
    All or nothing: on a failure the files written so far and the folders created are removed."""
    folder = Path(folder)
    created = []
    level = folder
    while not level.exists():
        created.append(level)
        level = level.parent
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            with atomic_path(folder / name) as tmp:
                tmp.write_bytes(data)
            written.append(folder / name)
    except BaseException:
        for p in written:
            with contextlib.suppress(OSError):
                p.unlink()
        for d in created:  # deepest first
            with contextlib.suppress(OSError):
                d.rmdir()
        raise
    return written
