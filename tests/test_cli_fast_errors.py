"""`maxlik fit` reports a misspelt family, a missing file and a bad column before the heavy imports
(issue #11: such errors should appear at once). Checked through ``sys.modules`` in a fresh
subprocess, never by timing; the messages are the ones the library itself raises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import maxlik
from maxlik.cli import as_flags

NEVER = ("jax", "sklearn", "scipy.optimize", "matplotlib", "optimistix", "optax")


def _run_cli(args: list[str], cwd) -> tuple[str, list[str]]:
    """(stderr of ``maxlik <args>``, the heavy modules it loaded), in a fresh interpreter."""
    code = (
        "import sys\nfrom maxlik.cli import app\n"
        f"sys.argv = ['maxlik', *{args!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        f"print('loaded:', *(m for m in {(*NEVER, 'pyarrow')!r} if m in sys.modules))"
    )
    # the maxlik under test, also when PYTHONPATH is relative to another directory
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(maxlik.__file__).parents[1]), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)
    return " ".join(out.stderr.split()), out.stdout.strip().splitlines()[-1].split()[1:]


@pytest.fixture()
def csv(tmp_path):
    (tmp_path / "data.csv").write_text("x,y\n1.5,2\n2.5,3\n0.5,4\n")
    return tmp_path


def test_unknown_family_is_reported_without_pyarrow_or_jax(csv):
    stderr, loaded = _run_cli(["fit", "data.csv", "-c", "x", "--family", "weibul"], csv)
    with pytest.raises(maxlik.UnknownFamilyError) as expected:
        maxlik.get_family("weibul", owner="maxlik fit")
    # the library's message, its remedy in the CLI's words (cli.as_flags)
    assert stderr == f"error: {as_flags(str(expected.value))}" and "Did you mean 'weibull'?" in stderr
    assert "Run `maxlik families`" in stderr
    assert loaded == []


def test_compare_unknown_family_is_reported_without_jax(csv):
    stderr, loaded = _run_cli(["compare", "data.csv", "-c", "x", "--families", "normal,gama"], csv)
    with pytest.raises(maxlik.UnknownFamilyError) as expected:
        maxlik.compare([1.5, 2.5, 0.5], ["normal", "gama"])
    assert stderr == f"error: {as_flags(str(expected.value))}"
    assert loaded == []


def test_missing_file_is_reported_without_pyarrow_or_jax(csv):
    stderr, loaded = _run_cli(["fit", "missing.csv", "-c", "x", "--family", "weibull"], csv)
    assert stderr.startswith("error: read: file must exist; got 'missing.csv', which was not found.")
    assert loaded == []


@pytest.mark.parametrize("option", ["-c", "--weights"])
def test_bad_column_is_reported_without_jax(csv, option):
    args = ["fit", "data.csv", "--family", "weibull", option, "z"] + (["-c", "x"] if option == "--weights" else [])
    stderr, loaded = _run_cli(args, csv)
    assert stderr == "error: read: column must be one of ['x', 'y']; got 'z' in data.csv. Check the spelling (names are case-sensitive)."
    assert loaded == ["pyarrow"]  # the header had to be read


def test_builtin_name_table_matches_the_registry():
    assert maxlik._family_classes.FAMILY_NAMES == {name: cls.__name__ for name, cls in maxlik.family_names().items()}


@pytest.mark.parametrize("options, expected", [
    (["--encoding", "utf-9"], "error: read: --encoding must be a known text encoding; got 'utf-9'. For example utf-8, latin-1, cp1252 or utf-16."),
    (["--decimal", ";"], "error: read: --decimal must be '.' or ','; got ';'. Pass --decimal , for numbers written as 1,5."),
])
def test_bad_reading_option_is_reported_without_pyarrow_or_jax(csv, options, expected):
    stderr, loaded = _run_cli(["fit", "data.csv", "-c", "x", *options], csv)
    assert stderr == expected
    assert loaded == []


def test_a_mixture_of_one_row_says_what_to_do(tmp_path):
    import subprocess
    import sys

    (tmp_path / "one.csv").write_text("a,b\n1,2\n")
    r = subprocess.run([sys.executable, "-m", "maxlik.cli", "mixture", "one.csv", "-k", "2"], cwd=tmp_path,
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert r.stderr.strip() == ("error: GaussianMixture: data must have at least 2 rows to fit a mixture; got 1 sample. "
                                "Add data (a mixture needs more rows than components).")
