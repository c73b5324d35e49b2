"""`import maxlik` and `maxlik --help` stay light: heavy libraries load on first use (issue #11).

Checked in fresh subprocesses through ``sys.modules`` (never by timing)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import maxlik

HEAVY = ("jax", "sklearn", "matplotlib", "scipy.optimize", "pyarrow", "optimistix", "optax")


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint('loaded:', *(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1].split()[1:]


def test_import_maxlik_loads_no_heavy_library():
    assert _loaded_after("import maxlik") == []


def test_cli_help_loads_no_heavy_library():
    code = ("import sys\nfrom maxlik.cli import app\nsys.argv = ['maxlik', '--help']\n"
            "try:\n    app()\nexcept SystemExit:\n    pass")
    assert _loaded_after(code) == []


def test_public_names_resolve_on_first_use():
    for name in maxlik.__all__:
        assert getattr(maxlik, name) is not None
    assert callable(maxlik.fit) and maxlik.fit.__module__ == "maxlik.fitting"
    assert maxlik.families.__name__ == "maxlik.families"  # the subpackage, not a function
    with pytest.raises(AttributeError, match="module 'maxlik' has no attribute 'nope'"):
        maxlik.nope


def test_family_class_list_matches_the_registry():
    assert sorted(maxlik.FAMILY_CLASSES) == sorted(cls.__name__ for cls in maxlik.family_names().values())


def test_jax_is_float64_when_imported_after_maxlik():
    code = "import maxlik\nimport jax.numpy as jnp\nprint(jnp.ones(1).dtype)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "float64"
