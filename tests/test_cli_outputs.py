"""Issue #17, items 5 and 6: output paths are checked before any work and never left half-written;
the CLI's tables fit an 80-column terminal by wrapping, never by cutting a cell to "…".

The width checks run the real command in a fresh interpreter with COLUMNS=80 (Rich reads it when
the console is made). The bad-path checks look at ``sys.modules`` (never at timings): a command that
fails fast has not imported JAX, and the demo has run none of its sections."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import maxlik
from maxlik import datasets
from maxlik._paths import atomic_path, write_files
from maxlik.cli import app

FAITHFUL = str(datasets.path("faithful"))
IRIS = str(datasets.path("iris"))
HEAVY = ("jax", "sklearn", "optimistix", "optax")


def _run(args: list[str], cwd=None, columns: int = 80) -> tuple[subprocess.CompletedProcess, list[str]]:
    """``maxlik <args>`` in a fresh interpreter at a terminal width of ``columns``; returns the
    process and the heavy modules it loaded."""
    code = (
        "import sys\nfrom maxlik.cli import app\n"
        f"sys.argv = ['maxlik', *{args!r}]\n"
        "try:\n    app()\nexcept SystemExit as e:\n    code = e.code\nelse:\n    code = 0\n"
        f"print('loaded:', *(m for m in {HEAVY!r} if m in sys.modules))\n"
        "sys.exit(code)"
    )
    env = {**os.environ, "COLUMNS": str(columns),
           "PYTHONPATH": os.pathsep.join([str(Path(maxlik.__file__).parents[1]), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)
    lines = proc.stdout.rstrip("\n").splitlines()
    proc.stdout = "\n".join(lines[:-1])
    return proc, lines[-1].split()[1:]


def _assert_fits(text: str, width: int = 80) -> None:
    """No cell cut to "…", no line wider than the terminal, and no table cropped at its right edge."""
    assert "…" not in text, text
    assert max(len(line) for line in text.splitlines()) <= width, text
    for line in text.splitlines():
        if line[:1] in "┏┃┡│└":
            assert line.rstrip()[-1] in "┓┃┩│┘", line


def _one_line(stderr: str) -> str:
    return " ".join(stderr.split())


# -- item 6: tables that fit the terminal --------------------------------------------------------

def test_families_table_fits_80_columns_and_names_every_family_whole():
    proc, _ = _run(["families"])
    assert proc.returncode == 0, proc.stderr
    _assert_fits(proc.stdout)
    for name, cls in maxlik.family_names().items():  # whole words, not folded or cut
        assert re.search(rf"(?<![\w]){name}(?![\w])", proc.stdout), name
        assert re.search(rf"(?<![\w]){cls.__name__}(?![\w])", proc.stdout), cls.__name__
        for param in cls.params:  # may wrap at the space after the colon, never inside a word
            assert f"{param.name}:" in proc.stdout and param.constraint.name in proc.stdout, param.name


def _rows_of(table_text: str) -> dict[str, str]:
    """First cell of each body row -> the whole line (the families table's name line)."""
    rows = {}
    for line in table_text.splitlines():
        cells = [c.strip() for c in line.strip("│").split("│")]
        if line.startswith("│") and cells[0]:
            rows.setdefault(cells[0], line)
    return rows


def test_families_say_how_fit_finds_each_mle():
    """The table's MLE column is the method ``fit`` reports (gamma and Dirichlet: Newton on their
    statistics), or "numerical" where fit runs an optimizer."""
    rng = np.random.default_rng(0)
    samples = {"normal": rng.normal(2.0, 1.5, 200), "poisson": rng.poisson(3.0, 200),
               "gamma": rng.gamma(3.0, 2.0, 200), "dirichlet": rng.dirichlet([2.0, 3.0, 4.0], 200),
               "weibull": rng.weibull(1.5, 200) * 2.0, "student_t": rng.standard_t(5.0, 200)}
    res = CliRunner().invoke(app, ["families", "--format", "json"])
    mle = {r["name"]: r["mle"] for r in json.loads(res.stdout)}
    for name, x in samples.items():
        method = maxlik.fit(x, name).method
        assert mle[name] == (method if method in ("closed_form", "newton_on_stats") else "numerical"), name
    assert mle["gamma"] == mle["dirichlet"] == "newton_on_stats"
    proc, _ = _run(["families"])
    rows = _rows_of(proc.stdout)
    assert all(mle[name] in rows[name] for name in samples)


@pytest.mark.parametrize("args, labels", [
    (["fit", IRIS, "--family", "mvnormal", "-c", "Sepal.Length", "-c", "Sepal.Width"], ["covariance_matrix[0,1]", "loc[1]"]),
    (["fit", FAITHFUL, "-c", "eruptions", "--family", "gamma"], ["concentration", "rate"]),
    (["regress", FAITHFUL, "--target", "waiting"], ["intercept", "P>|z|"]),
    (["compare", FAITHFUL, "-c", "waiting", "--families", "normal,gamma,weibull,dirichlet"], ["weibull", "concentration=", "not applicable"]),
])
def test_summaries_fit_80_columns(args, labels):
    proc, _ = _run(args)
    assert proc.returncode == 0, proc.stderr
    table = proc.stdout.split("\n  ")[0]  # the table; the header lines after it wrap as prose
    _assert_fits(table)
    assert "…" not in proc.stdout
    for label in labels:
        assert label in proc.stdout


# -- item 5: output paths checked before the work ------------------------------------------------

def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_demo_out_unwritable_system_folder_fails_before_any_section(tmp_path):
    if not Path("/proc").is_dir():
        pytest.skip("needs Linux /proc, a folder nobody may create files in")
    proc, loaded = _run(["demo", "--out", "/proc/forbidden"], cwd=tmp_path)
    assert proc.returncode == 1
    assert re.fullmatch(r"error: maxlik demo: --out must be a writable folder; got '/proc/forbidden' "
                        r"\((permission denied|files cannot be created there)\)\. Choose another folder with --out\.",
                        _one_line(proc.stderr)), proc.stderr
    assert loaded == [] and "done:" not in proc.stderr
    assert not Path("/proc/forbidden").exists() and _files(tmp_path) == set()


def test_demo_out_permission_denied_message(tmp_path, monkeypatch):
    """The message of the issue, word for word; the denial is simulated so that it holds for root."""
    import maxlik._paths as paths

    def deny(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(paths.tempfile, "mkdtemp", deny)
    monkeypatch.setattr(paths.tempfile, "mkstemp", deny)
    target = tmp_path / "forbidden"
    res = CliRunner().invoke(app, ["demo", "--out", str(target)])
    assert res.exit_code == 1
    assert _one_line(res.stderr) == (f"error: maxlik demo: --out must be a writable folder; got '{target}' (permission denied). "
                                     "Choose another folder with --out.")
    assert _files(tmp_path) == set()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write in a read-only folder")
def test_demo_out_in_a_read_only_folder(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        proc, loaded = _run(["demo", "--out", str(locked / "report")])
    finally:
        locked.chmod(0o700)
    assert proc.returncode == 1 and loaded == []
    assert f"--out must be a writable folder; got '{locked / 'report'}' (permission denied)." in _one_line(proc.stderr)
    assert _files(tmp_path) == {"locked"}


def test_demo_out_that_is_a_file(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    res = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "notes.txt")])
    assert res.exit_code == 1
    assert _one_line(res.stderr) == (f"error: maxlik demo: --out must be a writable folder; got '{tmp_path / 'notes.txt'}' "
                                     "(it is a file). Choose another folder with --out.")
    res = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "notes.txt" / "report")])
    assert f"(\'{tmp_path / 'notes.txt'}\' is a file, not a folder)" in _one_line(res.stderr)
    assert _files(tmp_path) == {"notes.txt"} and (tmp_path / "notes.txt").read_text() == "keep me"


def test_demo_run_checks_its_folder_first(tmp_path):
    from maxlik.demo import run

    (tmp_path / "f").write_text("")
    with pytest.raises(maxlik.errors.OutputPathError, match=r"^demo.run: out_dir must be a writable folder; got .* \(it is a file\)\."):
        run(tmp_path / "f")


@pytest.mark.parametrize("case", ["missing folder", "a folder", "bad format"])
def test_fit_plot_path_fails_before_the_fit(tmp_path, case):
    plot = {"missing folder": "/nonexistent/dir/f.png", "a folder": str(tmp_path), "bad format": str(tmp_path / "f.xyz")}[case]
    proc, loaded = _run(["fit", FAITHFUL, "-c", "waiting", "--plot", plot], cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout == ""  # no table
    expected = {
        "missing folder": "maxlik fit: --plot must be a writable file; got '/nonexistent/dir/f.png' (its folder "
                          "'/nonexistent/dir' does not exist). Create the folder first, or choose another file with --plot.",
        "a folder": f"maxlik fit: --plot must be a writable file; got '{tmp_path}' (it is a folder). "
                    f"Name a file inside it, such as --plot '{tmp_path / 'fit.png'}'.",
        "bad format": rf"maxlik fit: --plot must end in a figure format \(.*\bpdf\b.*\bpng\b.*\); got '{re.escape(plot)}'\. "
                      r"Name a file such as fit\.png or fit\.pdf\.",
    }[case]
    if case == "bad format":
        assert re.fullmatch("error: " + expected, _one_line(proc.stderr)), proc.stderr
    else:
        assert _one_line(proc.stderr) == "error: " + expected
    assert loaded == []  # no JAX: nothing was fitted
    assert _files(tmp_path) == set()


@pytest.mark.parametrize("case", ["missing folder", "a folder"])
def test_classify_output_path_fails_before_the_fit(tmp_path, case):
    output = str(tmp_path / "no" / "p.csv") if case == "missing folder" else str(tmp_path)
    proc, loaded = _run(["classify", IRIS, "-l", "Species", "--predict", IRIS, "--output", output])
    assert proc.returncode == 1 and loaded == []
    why = (f"(its folder '{tmp_path / 'no'}' does not exist). Create the folder first, or choose another file with --output."
           if case == "missing folder" else
           f"(it is a folder). Name a file inside it, such as --output '{tmp_path / 'predictions.csv'}'.")
    assert _one_line(proc.stderr) == f"error: maxlik classify: --output must be a writable file; got '{output}' {why}"
    assert _files(tmp_path) == set()


# -- nothing half-written ------------------------------------------------------------------------

def test_fit_plot_that_fails_while_saving_leaves_no_file_and_no_table(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    def broken(self, fname, **kwargs):
        Path(fname).write_bytes(b"\x89PNG half")  # a partial file, then the failure
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Figure, "savefig", broken)
    res = CliRunner().invoke(app, ["fit", FAITHFUL, "-c", "waiting", "--plot", str(tmp_path / "fit.png")])
    assert res.exit_code == 1 and "No space left on device" in res.stderr
    assert res.stdout == "" and _files(tmp_path) == set()


def test_classify_output_replaces_the_file_whole(tmp_path):
    out = tmp_path / "pred.csv"
    out.write_text("old\n")
    res = CliRunner().invoke(app, ["classify", IRIS, "-l", "Species", "--predict", IRIS, "--output", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text().startswith("predicted,") and _files(tmp_path) == {"pred.csv"}


def test_atomic_path_keeps_the_old_file_when_the_write_fails(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError, match="boom"), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old" and _files(tmp_path) == {"a.txt"}
    with atomic_path(tmp_path / "b.txt") as tmp:
        tmp.write_text("new")
    assert (tmp_path / "b.txt").read_text() == "new" and _files(tmp_path) == {"a.txt", "b.txt"}
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "b.txt").stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600


def test_write_files_is_all_or_nothing(tmp_path):
    keep = tmp_path / "keep.txt"
    keep.write_text("mine")
    # the second name cannot be written (its folder does not exist): the first is removed again
    with pytest.raises(OSError):
        write_files(tmp_path / "new" / "report", {"a.png": b"1", "sub/b.png": b"2"})
    assert _files(tmp_path) == {"keep.txt"}
    with pytest.raises(OSError):
        write_files(tmp_path, {"a.png": b"1", "sub/b.png": b"2"})
    assert _files(tmp_path) == {"keep.txt"} and keep.read_text() == "mine"


def test_report_that_fails_to_render_writes_nothing(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    import maxlik.report as report

    calls = []

    def png(fig):
        calls.append(fig)
        if len(calls) == 2:
            raise RuntimeError("render failed")
        return b"png"

    monkeypatch.setattr(report, "_png", png)
    sec = report.Section("s").text("t").figure("one", Figure()).figure("two", Figure())
    with pytest.raises(RuntimeError, match="render failed"):
        report.write_report("title", "intro", [sec], tmp_path / "out")
    assert _files(tmp_path) == set()
