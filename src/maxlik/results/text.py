"""Plain-text layout shared by every summary: the width, and lines wrapped at spaces or a long
parameter label split at its punctuation."""

from __future__ import annotations

import textwrap

#: columns of every plain-text summary (a terminal's 80, as the CLI's Rich tables)
SUMMARY_WIDTH = 80


def wrap_text(text: str, width: int = SUMMARY_WIDTH, first: str = "", rest: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` characters, the first after ``first``, the others
    after ``rest`` (textwrap: at spaces; a word longer than a line is cut)."""
    return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False) or [first.rstrip()]


def split_label(label: str, width: int) -> list[str]:
    """A parameter label in parts of at most ``width`` characters, each broken after a ``,`` or
    ``]`` where one falls in the line (``cov[setosa][Petal.Length,`` / ``Petal.Width]``), else
    after a ``_``, ``.`` or ``-``, else cut; the parts after the first indented by two spaces."""
    parts, rest, indent = [], label, ""
    while len(indent) + len(rest) > width:
        room = max(width - len(indent), 1)
        cut = max(rest.rfind(c, 0, room) for c in ",]") + 1 or max(rest.rfind(c, 0, room) for c in "_.-") + 1 or room
        parts.append(indent + rest[:cut])
        rest, indent = rest[cut:], "  "
    return [*parts, indent + rest]
