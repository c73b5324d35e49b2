"""Issue #17, item 3: the CLI names a bad value by the line of the file it is on (the header is
line 1), standard input as "standard input", Parquet rows as 0-based data rows."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from maxlik.cli import app

runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def message(res) -> str:
    assert res.exit_code == 1, res.output
    return " ".join(res.stderr.split())


def line_of(text: str, value: str) -> int:
    """The 1-based line of ``text`` (header included) whose first field is ``value``: the reference."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.split(",")[0] == value)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


TEXT = "x,w\n1.5,1\n2.5,1\n-4,1\nabc,1\n3,-2\n"


def write(text: str = TEXT, name: str = "data.csv") -> str:
    with open(name, "w") as fh:
        fh.write(text)
    return name


def test_non_numeric_text_names_its_line():
    write()
    assert f"got 'abc' at line {line_of(TEXT, 'abc')} of data.csv. Choose a numeric column" in message(run("fit", "data.csv", "-c", "x"))


def test_missing_value_names_its_line():
    text = "x,y\n1,2\n2,\n3,\n"
    write(text)
    assert f"got 2 (first at line {line_of(text, '2')} of data.csv). Drop or impute" in message(run("fit", "data.csv", "-c", "y"))


def test_library_support_error_names_the_line():
    text = TEXT.replace("abc,1\n", "")
    write(text)
    assert (f"Gamma: data must be positive (> 0); got 1 value(s) outside the support (first at line {line_of(text, '-4')} "
            "of data.csv: -4)") in message(run("fit", "data.csv", "-c", "x", "--family", "gamma"))


def test_library_weight_error_names_the_line():
    text = TEXT.replace("abc,1\n", "")
    write(text)
    assert f"negative weight(s) (first at line {line_of(text, '3')} of data.csv: -2)" in message(
        run("fit", "data.csv", "-c", "x", "--weights", "w"))


def test_compare_reasons_name_the_line():
    text = TEXT.replace("abc,1\n", "")
    write(text)
    res = run("compare", "data.csv", "-c", "x", "--families", "normal,gamma")
    assert res.exit_code == 0, res.output
    assert f"(first at line {line_of(text, '-4')} of data.csv: -4)" in " ".join(res.stdout.split())


def test_standard_input_is_named():
    assert f"got 'abc' at line {line_of(TEXT, 'abc')} of standard input." in message(run("fit", "-", "-c", "x", input=TEXT))


def test_parquet_rows_are_0_based_data_rows():
    values = [1.0, 2.0, -4.0, 3.0]
    pq.write_table(pa.table({"x": values}), "data.parquet")
    assert f"(first at data row {values.index(-4.0)} (0-based) of data.parquet: -4)" in message(
        run("fit", "data.parquet", "--family", "gamma"))


def test_python_api_keeps_0_based_rows():
    import maxlik

    with pytest.raises(maxlik.SupportError, match=r"first at row 2 \(0-based\): -4\)"):
        maxlik.fit(np.array([1.5, 2.5, -4.0]), "gamma")


def test_parquet_named_csv_has_rows_not_lines():
    pq.write_table(pa.table({"x": [1.0, -4.0, 3.0], "s": ["a", "b", "c"]}), "data.csv")
    assert "(first at data row 1 (0-based) of data.csv: -4)" in message(run("fit", "data.csv", "-c", "x", "--family", "gamma"))
    assert "got 'a' at data row 0 (0-based) of data.csv." in message(run("fit", "data.csv", "-c", "s"))


def test_python_api_rows_say_they_are_0_based():
    """Every row the library names counts from 0 and says so, so "row 2" is never read as a line."""
    import maxlik

    with pytest.raises(maxlik.DataError, match=r"\(first at row 1, column 1 \(0-based\)\)"):
        maxlik.fit(np.array([[1.0, 2.0], [3.0, np.inf], [0.5, 1.0]]), "mvnormal")
    with pytest.raises(maxlik.DataError, match=r"\(first at row 1 \(0-based\): -2\)"):
        maxlik.fit(np.array([1.0, 2.0, 3.0]), "normal", weights=[1.0, -2.0, 1.0])


def test_vector_rows_name_the_line_and_the_fitted_column():
    text = "a,b\n0.2,0.8\n0.5,inf\n0.3,0.7\n1,2\n"
    write(text)
    assert (f"(first at line {line_of(text, '0.5')} of data.csv, fitted column 1 (0-based))"
            in message(run("fit", "data.csv", "-c", "a", "-c", "b", "--family", "mvnormal")))


def test_parquet_places_are_not_rewritten_twice():
    from maxlik.cli import as_file_lines, _state

    _state["source"] = ("data.parquet", False)
    try:
        assert as_file_lines("got 'a' at data row 3 (0-based) of data.parquet.") == "got 'a' at data row 3 (0-based) of data.parquet."
        assert as_file_lines("(first at row 3 (0-based): -4)") == "(first at data row 3 (0-based) of data.parquet: -4)"
    finally:
        _state["source"] = None


def test_compare_json_reasons_name_the_line(tmp_path):
    """In a real process: --format json says where the bad value is as the table output does."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    import maxlik

    text = "x\n1.5\n2.5\n-4\n3\n"
    (tmp_path / "data.csv").write_text(text)
    env = {**__import__("os").environ, "PYTHONPATH": str(Path(maxlik.__file__).parents[1])}
    proc = subprocess.run([sys.executable, "-m", "maxlik.cli", "compare", "data.csv", "-c", "x", "--families", "normal,gamma",
                           "--format", "json"], capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    reasons = {r["family"]: r["reason"] for r in json.loads(proc.stdout)["rows"]}
    assert reasons["normal"] is None
    assert (f"outside the support (first at line {line_of(text, '-4')} of data.csv: -4). Check the data"
            in reasons["gamma"])
