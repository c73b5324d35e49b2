"""Shared fixtures: paths to the reference data beside the checkout (../shared/data)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

# No persistent compilation cache in the suite (tests/test_compile_cache.py tests it in
# subprocesses with a directory of their own), so runs do not depend on what an earlier run left.
os.environ["MAXLIK_CACHE_DIR"] = "off"

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def shared_data(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"reference data missing: {path} (the checkout must have ../shared/data beside it)")
    return path


@pytest.fixture(scope="session")
def nist_certified() -> dict:
    return json.loads(shared_data("nist", "certified.json").read_text())
