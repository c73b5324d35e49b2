"""Renamed keyword arguments: the old spelling keeps working until 0.2, with one DeprecationWarning
worded the same everywhere: "<owner>: `old` is deprecated and will be removed in 0.2; pass `new`
instead."
"""

from __future__ import annotations

import warnings

REMOVED_IN = "0.2"


def warn_renamed(owner: str, old: str, new: str, stacklevel: int = 3) -> None:
    warnings.warn(
        f"{owner}: `{old}` is deprecated and will be removed in {REMOVED_IN}; pass `{new}` instead.",
        DeprecationWarning,
        stacklevel=stacklevel + 1,
    )


def renamed_arguments(owner: str, given: dict, renames: dict) -> dict:
    """Old keyword spellings in ``given`` -> {new name: value}, each with a DeprecationWarning;
    an unknown keyword is a TypeError, as Python would raise."""
    unknown = sorted(set(given) - set(renames))
    if unknown:
        raise TypeError(f"{owner}() got an unexpected keyword argument {unknown[0]!r}")
    out = {}
    for old, value in given.items():
        warn_renamed(owner, old, renames[old], stacklevel=3)
        out[renames[old]] = value
    return out
