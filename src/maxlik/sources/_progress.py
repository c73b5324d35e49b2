"""Progress of passes over a source, for whoever wants to show it (the CLI's progress bar).

A pass reports the rows it has read through ``pass_over``; by default nobody listens. The CLI
installs a listener with :func:`listening` — a callable ``start(label, total_rows) ->
advance(rows)`` — for the duration of a command.
"""

from __future__ import annotations

import contextlib
import contextvars

_LISTENER: contextvars.ContextVar = contextvars.ContextVar("maxlik_source_progress", default=None)


@contextlib.contextmanager
def listening(start):
    token = _LISTENER.set(start)
    try:
        yield
    finally:
        _LISTENER.reset(token)


@contextlib.contextmanager
def pass_over(label: str, total: int | None):
    """Yields ``advance(rows)`` for one pass over ``label`` (``total`` rows, None if unknown)."""
    start = _LISTENER.get()
    if start is None:
        yield lambda rows: None
        return
    with start(label, total) as advance:
        yield advance
