"""Paths to the reference data beside the checkout (../shared/data), for test modules to import
(``from shared_paths import shared_data``: a module named ``conftest`` is ambiguous once
tests/properties has its own)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def shared_data(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"reference data missing: {path} (the checkout must have ../shared/data beside it)")
    return path
