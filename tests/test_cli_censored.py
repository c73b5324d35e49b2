"""maxlik fit --left/--right and --time/--event: censored and survival data from a CSV file."""

import json
import subprocess
import sys

import numpy as np
import pytest
import scipy.stats
from typer.testing import CliRunner

from maxlik.cli import app

runner = CliRunner()


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "maxlik.cli", *map(str, args)], capture_output=True, text=True, timeout=300)


def test_survival_columns_in_a_subprocess(tmp_path):
    rng = np.random.default_rng(4)
    t, c = rng.exponential(2.0, 60), rng.exponential(4.0, 60)
    time, event = np.minimum(t, c), (t <= c).astype(int)
    csv = tmp_path / "surv.csv"
    csv.write_text("t,e\n" + "\n".join(f"{float(a)!r},{int(b)}" for a, b in zip(time, event)) + "\n")
    proc = _cli("fit", csv, "--time", "t", "--event", "e", "--family", "exponential", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["params"]["rate"] == pytest.approx(event.sum() / time.sum(), rel=1e-9)  # #events / Σ time
    assert out["n"] == 60


def test_interval_columns_in_a_subprocess(tmp_path):
    # empty cells and NA are missing bounds: "<0.5" (left-censored), ">2" (right-censored)
    csv = tmp_path / "lab.csv"
    rows = [("", 0.5), (1.2, 1.2), (0.7, 1.5), (2.0, "NA"), (0.3, 0.3), (1.1, 1.1), ("NA", 0.5), (0.9, 2.1), (3.0, 3.0), (1.7, 1.7)]
    csv.write_text("L,R\n" + "\n".join(f"{a},{b}" for a, b in rows) + "\n")
    proc = _cli("fit", csv, "--left", "L", "--right", "R", "--family", "weibull", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    lo = np.array([np.nan, 1.2, 0.7, 2.0, 0.3, 1.1, np.nan, 0.9, 3.0, 1.7])
    hi = np.array([0.5, 1.2, 1.5, np.nan, 0.3, 1.1, 0.5, 2.1, 3.0, 1.7])
    k, s = out["params"]["concentration"], out["params"]["scale"]
    d = scipy.stats.weibull_min(k, scale=s)
    kind = np.select([np.isnan(lo), np.isnan(hi), lo == hi], [1, 2, 0], 3)
    ll = (d.logpdf(lo[kind == 0]).sum() + d.logcdf(hi[kind == 1]).sum() + d.logsf(lo[kind == 2]).sum()
          + np.log(d.cdf(hi[kind == 3]) - d.cdf(lo[kind == 3])).sum())
    assert out["loglik"] == pytest.approx(ll, rel=1e-10)  # the reported ℓ is scipy's censored ℓ at the estimate
    table = _cli("fit", csv, "--left", "L", "--right", "R", "--family", "weibull")
    assert table.returncode == 0 and "concentration" in table.stdout and "log-likelihood" in table.stdout


@pytest.mark.parametrize("args, message", [
    (["--time", "t"], "--time and --event must be given together; got only --time."),
    (["--right", "R"], "--left and --right must be given together; got only --right."),
    (["--left", "L", "--right", "R", "--time", "t", "--event", "e"], "must be given by --left/--right or by --time/--event; got both."),
    (["--left", "L", "--right", "R", "--by", "g"], "--by must not be combined with --left/--right"),
    (["--time", "t", "--event", "e", "--stream"], "--stream must not be combined with --time/--event"),
])
def test_usage_errors(tmp_path, args, message):
    csv = tmp_path / "x.csv"
    csv.write_text("L,R,t,e,g\n1,1,1,1,a\n")
    res = runner.invoke(app, ["fit", str(csv), *args])
    assert res.exit_code != 0
    assert message in " ".join(res.output.split())


def _figure_of(monkeypatch, args):
    """Run ``maxlik fit ARGS`` in process; (result, the Figure that --plot wrote)."""
    import maxlik._cli_fit as cli  # fit_cmd looks _write_figure up there

    written = []
    real = cli._write_figure
    monkeypatch.setattr(cli, "_write_figure", lambda fig, path: (written.append(fig), real(fig, path)))
    res = runner.invoke(app, ["fit", *map(str, args)])
    return res, written[0] if written else None


@pytest.mark.parametrize("flags", [("--left", "L", "--right", "R"), ("--time", "t", "--event", "e")])
def test_plot_of_censored_data_draws_the_npmle(tmp_path, monkeypatch, flags):
    rng = np.random.default_rng(7)
    t, c = rng.weibull(1.5, 80) * 2.0, rng.exponential(3.0, 80)
    time, event = np.minimum(t, c), (t <= c).astype(int)
    csv = tmp_path / "surv.csv"
    rows = [f"{float(a)!r},{repr(float(a)) if b else ''},{float(a)!r},{int(b)}" for a, b in zip(time, event)]
    csv.write_text("L,R,t,e\n" + "\n".join(rows) + "\n")  # right-censored: R empty
    png = tmp_path / "fit.png"
    res, fig = _figure_of(monkeypatch, [csv, *flags, "--family", "weibull", "--plot", png])
    assert res.exit_code == 0, res.output
    assert png.stat().st_size > 2000 and f"figure: {png}" in " ".join(res.stdout.split())
    assert [a.get_title().split("\n")[0] for a in fig.axes] == [
        "NPMLE and theoretical densities", "NPMLE and theoretical CDFs", "Q–Q plot", "P–P plot"]
    name = "t" if flags[0] == "--time" else "L/R"
    assert fig.axes[1].get_xlabel() == name and fig.axes[2].get_ylabel() == f"empirical quantiles of {name}"
    # right-censored only: the CDF panel's rectangles step as Kaplan–Meier, 1 − Ŝ at each event time
    tops = sorted(path.vertices[:, 1].max() for path in fig.axes[1].collections[0].get_paths())
    s, km = 1.0, []
    for u in np.unique(time[event == 1]):
        s *= 1 - np.sum((time == u) & (event == 1)) / np.sum(time >= u)
        km.append(1 - s)
    np.testing.assert_allclose(tops[:len(km)], km, atol=1e-8)
