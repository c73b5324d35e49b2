"""The maxlik command line, end to end: Typer's runner and a real subprocess on real CSV files."""

import json
import subprocess
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from maxlik import datasets
from maxlik.cli import app

runner = CliRunner()
FAITHFUL = str(datasets.path("faithful"))
IRIS = str(datasets.path("iris"))


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


def test_fit_json_matches_closed_form():
    res = run("fit", FAITHFUL, "--column", "waiting", "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    w = datasets.load("faithful").X[:, 1]
    assert out["params"]["loc"] == pytest.approx(w.mean()) and out["params"]["scale"] == pytest.approx(w.std())
    assert set(out) >= {"stderr", "loglik", "aic", "bic", "converged"}


def test_fit_table_fixed_and_plot(tmp_path):
    png = tmp_path / "fit.png"
    res = run("fit", FAITHFUL, "-c", "eruptions", "--family", "gamma", "--fixed", "rate=1.5", "--plot", str(png))
    assert res.exit_code == 0, res.output
    assert "(fixed)" in res.stdout and "concentration" in res.stdout
    assert png.stat().st_size > 1000


def test_fit_plot_writes_the_four_panels(tmp_path, monkeypatch):
    import maxlik._cli_fit as cli  # fit_cmd looks _write_figure up there

    written = []
    real = cli._write_figure
    monkeypatch.setattr(cli, "_write_figure", lambda fig, path: (written.append(fig), real(fig, path)))
    png = tmp_path / "fit.png"
    res = run("fit", FAITHFUL, "-c", "eruptions", "--family", "gamma", "--plot", str(png))
    assert res.exit_code == 0, res.output
    assert png.stat().st_size > 2000
    (fig,) = written
    assert [a.get_title() for a in fig.axes] == ["Empirical and theoretical densities", "Empirical and theoretical CDFs",
                                                 "Q–Q plot", "P–P plot"]
    assert [a.get_xlabel() for a in fig.axes[:3]] == ["eruptions", "eruptions", "theoretical quantiles of eruptions"]
    assert fig.axes[2].get_ylabel() == "empirical quantiles of eruptions"


def test_fit_plot_with_weights(tmp_path):
    csv = tmp_path / "w.csv"
    csv.write_text("x,w\n" + "".join(f"{v},{k % 3 + 1}\n" for k, v in enumerate(np.linspace(0.5, 4.0, 40))))
    png = tmp_path / "fit.png"
    res = run("fit", str(csv), "-c", "x", "--weights", "w", "--family", "gamma", "--plot", str(png))
    assert res.exit_code == 0, res.output
    assert png.stat().st_size > 2000


def test_fit_reads_standard_input():
    res = run("fit", "-", "-c", "x", "--format", "json", input="x\n1.0\n2.0\n4.0\n")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["params"]["loc"] == pytest.approx(7 / 3)


def test_families_lists_every_family():
    res = run("families", "--format", "json")
    names = {r["name"] for r in json.loads(res.stdout)}
    assert {"normal", "mvnormal", "gamma", "binomial", "dirichlet"} <= names


def test_compare_ranks_by_aic():
    res = run("compare", FAITHFUL, "-c", "waiting", "--families", "normal,gamma,poisson", "--format", "json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    aics = [r["aic"] for r in rows if r.get("aic") is not None]
    assert aics == sorted(aics) and len(aics) == 3


def test_classify_predicts_to_csv(tmp_path):
    out = tmp_path / "pred.csv"
    res = run("classify", IRIS, "--label", "Species", "--covariance", "tied", "--predict", IRIS, "--output", str(out))
    assert res.exit_code == 0, res.output
    lines = out.read_text().splitlines()
    assert lines[0].startswith("predicted,p_setosa") and len(lines) == 151
    iris = datasets.load("iris")
    predicted = np.array([line.split(",")[0] for line in lines[1:]])
    assert (predicted == iris.y).mean() > 0.95


def test_mixture_and_select():
    res = run("mixture", FAITHFUL, "-k", "2", "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["loglik"] == pytest.approx(-1130.264, abs=1e-3)
    res = run("mixture", FAITHFUL, "--select", "1..3", "--covariance", "full")
    assert res.exit_code == 0 and "best by BIC: --covariance full --components 2" in res.stdout


def test_regress_gaussian_is_least_squares():
    res = run("regress", FAITHFUL, "--target", "waiting", "--format", "json")
    assert res.exit_code == 0, res.output
    X = datasets.load("faithful").X
    slope, intercept = np.polyfit(X[:, 0], X[:, 1], 1)
    params = json.loads(res.stdout)["params"]
    assert list(params.values()) == pytest.approx([intercept, slope], rel=1e-10)


@pytest.mark.parametrize(
    "args, message",
    [
        (["fit", "/nonexistent/data.csv"], "read: file must exist; got '/nonexistent/data.csv'"),
        (["fit", FAITHFUL, "-c", "wait"], r"column must be one of \['eruptions', 'waiting'\]; got 'wait'"),
        (["fit", FAITHFUL, "-c", "waiting", "--family", "gama"], "Did you mean 'gamma'"),
        (["fit", IRIS, "-c", "Species"], "column 'Species' must be numeric; got 'setosa' at line 2 of " + IRIS),
        (["fit", FAITHFUL, "-c", "waiting", "--fixed", "loc"], "--fixed must look like name=value"),
        (["regress", FAITHFUL, "--target", "waiting", "--family", "gamma"], "--family must be one of"),
    ],
)
def test_bad_input_exits_1_with_one_line(args, message):
    res = run(*args)
    assert res.exit_code == 1
    assert res.stderr.startswith("error: ") and len(res.stderr.strip().splitlines()) <= 3  # one line (may wrap)
    import re

    assert re.search(message, " ".join(res.stderr.split())), res.stderr


def test_empty_and_header_only_csv(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    header = tmp_path / "header.csv"
    header.write_text("x,y\n")
    assert "got an empty file" in run("fit", str(empty)).stderr
    res = run("fit", str(header), "-c", "x")
    assert res.exit_code == 1 and "at least one data row; got only a header (x, y)" in " ".join(res.stderr.split())


def test_usage_error_exits_2():
    assert run("fit", FAITHFUL, "--no-such-option").exit_code == 2


def test_real_subprocess(tmp_path):
    csv = tmp_path / "x.csv"
    csv.write_text("x\n" + "\n".join(str(v) for v in np.random.default_rng(0).poisson(3.0, 200)) + "\n")
    proc = subprocess.run([sys.executable, "-m", "maxlik.cli", "fit", str(csv), "-c", "x", "--family", "poisson", "--format", "json"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["params"]["rate"] == pytest.approx(np.loadtxt(csv, skiprows=1).mean())
    bad = subprocess.run([sys.executable, "-m", "maxlik.cli", "fit", str(csv), "-c", "nope"], capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and "column must be one of ['x']" in bad.stderr


def test_demo_command_writes_report(tmp_path):
    res = run("--quiet", "demo", "--out", str(tmp_path / "report"))
    assert res.exit_code == 0, res.output
    assert (tmp_path / "report" / "index.html").stat().st_size > 100_000  # figures embedded
    assert "report:" in res.stdout and "done:" not in res.stderr  # --quiet silences progress
