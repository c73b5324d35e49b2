"""Issue #17, item 7: long commands show a progress bar on stderr (a terminal only); stdout holds
the result alone, the same with or without --quiet, which silences the bar."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from maxlik.cli import app

runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def write(text: str, name: str = "data.csv") -> str:
    with open(name, "w") as fh:
        fh.write(text)
    return name


@pytest.mark.parametrize("args", [
    ("compare", "data.csv", "-c", "x", "--families", "normal,lognormal,gamma", "--format", "json"),
    ("mixture", "data.csv", "-c", "x", "--select", "1..2", "--format", "json"),
    ("compare", "data.csv", "-c", "x", "--families", "normal,gamma"),
])
def test_progress_never_reaches_stdout(args):
    x = np.random.default_rng(3).gamma(3.0, 2.0, 200).round(4)
    write("x\n" + "\n".join(map(str, x)) + "\n")
    loud, quiet = run(*args), run("--quiet", *args)
    assert loud.exit_code == 0 and quiet.exit_code == 0, loud.output + quiet.output
    assert loud.stdout == quiet.stdout and quiet.stderr == ""
    if "json" in args:
        json.loads(loud.stdout)


def test_progress_bar_on_a_terminal_goes_to_stderr_only(monkeypatch):
    import io

    from rich.console import Console

    import maxlik._cli_common as cli  # the progress bars print on its err console

    x = np.random.default_rng(4).gamma(3.0, 2.0, 200).round(4)
    write("x\n" + "\n".join(map(str, x)) + "\n")
    args = ("compare", "data.csv", "-c", "x", "--families", "normal,lognormal,gamma", "--format", "json")
    shown = {}
    for flags in ((), ("--quiet",)):
        terminal = io.StringIO()
        monkeypatch.setattr(cli, "err", Console(file=terminal, force_terminal=True, width=100))
        res = run(*flags, *args)
        assert res.exit_code == 0, res.output
        shown[flags] = (res.stdout, terminal.getvalue())
    assert shown[()][0] == shown[("--quiet",)][0] and json.loads(shown[()][0])
    assert "fitting 3 families" in shown[()][1] and "100%" in shown[()][1]
    assert shown[("--quiet",)][1] == ""


def test_progress_callbacks_are_called_once_per_candidate():
    import maxlik
    from maxlik.models.select_mixture import select_mixture

    x = np.random.default_rng(5).gamma(3.0, 2.0, 100)
    seen = []
    table = maxlik.compare(x, ["normal", "gamma", "exponential"], progress=seen.append)
    assert seen == ["normal", "gamma", "exponential"] and len(table.rows) == 3
    seen.clear()
    select_mixture(x[:, None], n_components=[1, 2], covariance_types=["full", "diag"], progress=seen.append)
    assert seen == ["full, K=1", "full, K=2", "diag, K=1", "diag, K=2"]
