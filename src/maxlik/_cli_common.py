"""What every command shares: the consoles, the session's state (``--debug``, ``--quiet``, the file
read last), the library's errors and warnings as one line each on stderr (``_friendly``), and the
spinner and progress bars on stderr."""

from __future__ import annotations

import contextlib
import functools
import re
import warnings

import typer
from rich.console import Console
from rich.markup import escape

from ._cli_flags import as_flags
from ._textfile import row_place
from .errors import MaxlikError


out = Console()
err = Console(stderr=True)
_state = {"debug": False, "quiet": False, "source": None}  # source: (the file read last, whether it has lines)


class MaxlikErrorUsage(MaxlikError, ValueError):
    pass


def _friendly(fn):
    """Turn maxlik errors into one line on stderr and exit code 1; print warnings as `warning: ...`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            with _Warnings():
                return fn(*args, **kwargs)
        except BrokenPipeError:  # e.g. `maxlik fit ... | head`
            raise typer.Exit(0) from None
        except (MaxlikError, ValueError, TypeError, OSError) as exc:
            if _state["debug"]:
                raise
            err.print(f"[bold red]error:[/] {escape(for_shell(str(exc)))}", markup=True, highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper


def as_file_lines(message: str) -> str:
    """``message`` with the library's 0-based data rows (``row 2 (0-based)``, ``row 2, column 1
    (0-based)``: ``_validation.row_label``) as the place in the file the CLI read last (``line 4
    of data.csv``: the header is line 1; Parquet: ``data row 2 (0-based) of data.parquet``, which
    is left as it is: the lookbehind skips a place already written by ``row_place``)."""
    if _state["source"] is None:
        return message

    def place(m):
        column = f", fitted column {m[2]} (0-based)" if m[2] else ""
        return row_place(path, int(m[1]), lines) + column

    path, lines = _state["source"]
    return re.sub(r"(?<!data )\brow (\d+)(?:, column (\d+))? \(0-based\)", place, message)


def for_shell(message: str) -> str:
    """A library message as the CLI prints it: remedies as flags, rows as lines of the file."""
    return as_file_lines(as_flags(message))


class _Warnings:
    """Collect the library's warnings during a fit; print each once on stderr as ``warning: ...``
    (with flags for remedies), instead of Python's ``file:line: Category: ...`` lines."""

    def __enter__(self):
        self._ctx = warnings.catch_warnings(record=True)
        self._caught = self._ctx.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc):
        self._ctx.__exit__(*exc)
        seen = []
        for w in self._caught:
            text = for_shell(str(w.message))
            if text not in seen and not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning)):
                seen.append(text)
                err.print(f"[yellow]warning:[/] {escape(text)}", highlight=False, soft_wrap=True)
        return False


def _working(message: str):
    """A spinner on stderr while long work runs (nothing with --quiet, or when not a terminal)."""
    if _state["quiet"]:
        return contextlib.nullcontext()
    return err.status(message, spinner="dots")


@contextlib.contextmanager
def _progress(label: str, total: int, done_lines: bool = False):
    """A Rich progress bar on stderr over ``total`` steps; yields ``advance(msg)`` for the work to
    call after each step (``done_lines``: also print ``  done: msg``). Nothing with --quiet; only
    the done lines when stderr is not a terminal (a log gets no bar, nor the blank line it leaves)."""
    if _state["quiet"] or not err.is_terminal:
        yield (lambda msg: err.print(f"  done: {msg}", highlight=False)) if done_lines and not _state["quiet"] else (lambda msg: None)
        return
    from rich.progress import Progress

    with Progress(console=err, transient=not done_lines) as bar:
        task = bar.add_task(label, total=total)

        def advance(msg):
            if done_lines:
                bar.console.print(f"  done: {msg}", highlight=False)
            bar.advance(task)

        yield advance
