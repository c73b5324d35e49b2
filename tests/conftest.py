"""Shared fixtures: paths to the reference data beside the checkout (../shared/data)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

# No persistent compilation cache in the suite (tests/test_compile_cache.py tests it in
# subprocesses with a directory of their own), so runs do not depend on what an earlier run left.
os.environ["MAXLIK_CACHE_DIR"] = "off"

from shared_paths import ROOT, SHARED_DATA, shared_data  # noqa: F401  (re-exported for fixtures below)


@pytest.fixture(scope="session")
def nist_certified() -> dict:
    return json.loads(shared_data("nist", "certified.json").read_text())
