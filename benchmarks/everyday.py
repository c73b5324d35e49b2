"""Everyday speed (issue #11): what a user waits for in a fresh process, beside the tools they
would otherwise use, measured side by side in one run.

    python -m benchmarks.everyday                        # 5 repeats, tables on stdout
    python -m benchmarks.everyday --repeat 3 --markdown everyday.md
    python -m benchmarks.everyday --only help,error      # the jobs whose name contains "help" or "error"
    make bench-everyday                                  # the same, ARGS="--repeat 3 ..."

Every job is a new process (``maxlik ...``, ``python -c ...`` or ``Rscript -e ...``), started
``--repeat`` times, round-robin over the jobs so that a busy spell of the machine falls on all of
them alike. The first table gives the median and minimum wall time of each (start-up included), the
child's CPU time, and the ratio of its median to its anchor's (below 1: faster than the anchor).
Jobs that may compile JAX kernels run twice: with a cold compilation cache (``MAXLIK_CACHE_DIR`` a
new empty directory for every run) and a warm one (a directory filled by one untimed run of the
same job first); "kernels" counts the files a cold run left in its cache (0: nothing was compiled,
or nothing took long enough to be kept). Python jobs also time their phases inside the process
(import, then each first call): the second table.

Anchors: ``python -c "import scipy.stats"``; SciPy's four fits (norm, lognorm, gamma and
weibull_min, the last three with ``floc=0``) in a fresh process; R's
``fitdistrplus::fitdist(x, "weibull")`` with Rscript's start-up, when ``Rscript`` and fitdistrplus
are installed (the rows are skipped, with a note, otherwise). The data: 254 positive values, R's
fitdistrplus ``groundbeef$serving`` when Rscript can export it, else simulated Weibull values (the
output says which).

The maxlik measured is the one in this tree (its ``src/`` goes first on ``PYTHONPATH``), so running
the script from two worktrees compares them. The driver uses the standard library and NumPy only;
timings go to BENCHMARKS.md by hand, never into pass/fail tests.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # also runnable as `python benchmarks/everyday.py`
    sys.path.insert(0, str(ROOT))
from benchmarks.harness import _cpu_model, _fmt_s, _ram_gib  # noqa: E402  (no JAX, no maxlik)

N_ROWS = 254
COLUMN = "serving"
ERROR_TARGET_S = 0.5  # issue #11: errors raised before the heavy imports

# A child's phases: lap(name) records the seconds since the previous lap; the driver reads the last line.
_LAPS = ("import time as _time, json as _json\n"
         "_T, _last = {}, [_time.perf_counter()]\n"
         "def lap(name):\n"
         "    now = _time.perf_counter(); _T[name] = now - _last[0]; _last[0] = now\n")
_REPORT = "\nprint('@@', _json.dumps(_T))\n"


@dataclass
class Job:
    """One command timed in fresh processes; ``{csv}`` in ``argv`` or ``code`` is the data file."""

    name: str
    argv: list[str]
    anchor: str | None = None  # the job whose median the ratio divides by
    jax: bool = False  # may compile JAX kernels: run with a cold and a warm cache
    expect_rc: int = 0
    target_s: float | None = None
    is_anchor: bool = False
    times: dict = field(default_factory=dict)  # cache mode -> list of (wall, cpu, phases)
    kernels: int | None = None
    failure: str | None = None


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", _LAPS + code + _REPORT]


def _maxlik_command() -> list[str]:
    """This interpreter's ``maxlik`` console script, else ``python -m maxlik.cli``."""
    script = Path(sys.executable).parent / "maxlik"
    return [str(script)] if script.exists() else [sys.executable, "-m", "maxlik.cli"]


_LOAD = "x = np.loadtxt(r'{csv}', delimiter=',', skiprows=1)\n"

SCIPY_FITS = ("import numpy as np, scipy.stats as st\nlap('import numpy + scipy.stats')\n" + _LOAD +
              "st.norm.fit(x); st.lognorm.fit(x, floc=0); st.gamma.fit(x, floc=0); st.weibull_min.fit(x, floc=0)\n"
              "lap('4 fits')")

COMPARE = ("import numpy as np, maxlik\nlap('import numpy + maxlik')\n" + _LOAD +
           "table = maxlik.compare(x, ['normal', 'lognormal', 'gamma', 'weibull'])\n"
           "ses = [row.result.stderr for row in table]\n"
           "lap('compare 4 families + SEs')")

NUMERICAL = ("import numpy as np, maxlik\nlap('import numpy + maxlik')\n" + _LOAD +
             "rng = np.random.default_rng(0)\n"
             "data = {'weibull': x, 'gamma': x, 'beta': rng.beta(2.0, 3.0, 254), 'logistic': x, 'gumbel': x,\n"
             "        'cauchy': x, 'student_t': x, 'negative_binomial': rng.negative_binomial(3, 0.4, 254)}\n"
             "for fam, d in data.items():\n"
             "    maxlik.fit(d, fam).stderr\n"
             "    lap(f'first {fam} + SEs')")

_MODEL_DATA = ("rng = np.random.default_rng(0)\n"
               "X = rng.normal(size=(1000, 3)); y3 = rng.integers(0, 3, 1000)\n"
               "yb = (rng.random(1000) < 1 / (1 + np.exp(-X @ np.array([1.0, -0.5, 0.25])))).astype(int)\n")


def _model(call: str) -> str:
    """Import, then the estimator class (scikit-learn's base classes come with it), then the fit."""
    cls = call.split("(")[0]
    return ("import numpy as np, maxlik\nlap('import numpy + maxlik')\n" + f"from maxlik import {cls}\n"
            + f"lap('from maxlik import {cls} (scikit-learn)')\n" + _MODEL_DATA + f"{call}\nlap({call!r})")


# README "Your own likelihood: fit_loglik", as printed there (its imports added)
ZIP = """import numpy as np, maxlik
import jax.numpy as jnp
from jax.scipy.special import gammaln
lap('import numpy + maxlik + jax.numpy')

def zip_log_prob(p, y):
    log_pois = y * jnp.log(p["rate"]) - p["rate"] - gammaln(y + 1.0)
    zero = jnp.logaddexp(jnp.log(p["pi"]), jnp.log1p(-p["pi"]) - p["rate"])
    return jnp.where(y == 0, zero, jnp.log1p(-p["pi"]) + log_pois)

rng = np.random.default_rng(1)
y = np.where(rng.random(5000) < 0.3, 0, rng.poisson(2.5, 5000)).astype(float)
r = maxlik.fit_loglik(zip_log_prob, y, params={"rate": (1.0, "positive"), "pi": (0.5, "unit_interval")})
lap('fit_loglik (first call)')
r.summary()
lap('summary() (standard errors)')"""


def jobs(have_r: bool) -> list[Job]:
    ml = _maxlik_command()
    fit = ml + ["fit", "{csv}", "-c", COLUMN, "--family"]
    cli_anchor = "R fitdist weibull" if have_r else "scipy 4 fits"
    out = [
        Job("python -c 'import scipy.stats'", [sys.executable, "-c", "import scipy.stats"], is_anchor=True),
        Job("scipy 4 fits", _python(SCIPY_FITS), is_anchor=True),
    ]
    if have_r:
        r_code = ('suppressMessages(library(fitdistrplus)); x <- read.csv("{csv}"); '
                  f'f <- fitdist(x${COLUMN}, "weibull"); invisible(summary(f))')
        out.append(Job("R fitdist weibull", ["Rscript", "-e", r_code], is_anchor=True))
    light = "python -c 'import scipy.stats'"
    out += [
        Job("maxlik --help", ml + ["--help"], anchor=light),
        Job("python -c 'import maxlik'", [sys.executable, "-c", "import maxlik"], anchor=light),
        Job("maxlik fit error: unknown family (weibul)", fit + ["weibul"], anchor=light, expect_rc=1, target_s=ERROR_TARGET_S),
        Job("maxlik fit error: missing file", ml + ["fit", "no-such-file.csv", "-c", COLUMN, "--family", "weibull"], anchor=light,
            expect_rc=1, target_s=ERROR_TARGET_S),
        Job("maxlik fit error: unknown column", ml + ["fit", "{csv}", "-c", COLUMN + "s", "--family", "weibull"], anchor=light,
            expect_rc=1, target_s=ERROR_TARGET_S),
    ]
    out += [Job(f"maxlik fit --family {f}", fit + [f], anchor=cli_anchor, jax=True)
            for f in ("weibull", "normal", "gamma", "student_t")]
    out += [
        Job("python: compare 4 families + SEs", _python(COMPARE), anchor="scipy 4 fits", jax=True),
        Job("python: first fit of 8 numerical families", _python(NUMERICAL), anchor="scipy 4 fits", jax=True),
        Job("python: GaussianMixture(3) 1000×3", _python(_model("GaussianMixture(3, random_state=0).fit(X).result_")),
            anchor="scipy 4 fits", jax=True),
        Job("python: LogisticRegression 1000×3", _python(_model("LogisticRegression().fit(X, yb).result_")),
            anchor="scipy 4 fits", jax=True),
        Job("python: GaussianClassifier 1000×3", _python(_model("GaussianClassifier().fit(X, y3).result_")),
            anchor="scipy 4 fits", jax=True),
        Job("python: README zero-inflated Poisson fit_loglik", _python(ZIP), anchor="scipy 4 fits", jax=True),
    ]
    return out


# ---------------------------------------------------------------------------------------- running

def _env(cache: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "JAX_COMPILATION_CACHE_DIR"}  # maxlik's cache, not the user's
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    env["MAXLIK_CACHE_DIR"] = cache
    return env


def _run_once(job: Job, csv: str, cache: str, cwd: str) -> tuple[float, float, dict]:
    """(wall seconds, child CPU seconds, phases) of one fresh process."""
    argv = [a.replace("{csv}", csv) for a in job.argv]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=_env(cache), cwd=cwd)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != job.expect_rc:
        raise RuntimeError(f"exit code {proc.returncode} (expected {job.expect_rc}): {proc.stderr.strip()[-600:]}")
    phases = {}
    for line in proc.stdout.splitlines():
        if line.startswith("@@ "):
            phases = json.loads(line[3:])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, phases


def _count_files(path: str) -> int:
    return sum(len(files) for _, _, files in os.walk(path))


def run_all(all_jobs: list[Job], csv: str, repeat: int, modes: list[str], work: str) -> None:
    warm_dirs = {}
    for job in all_jobs:  # warm caches: one untimed run of the same job fills each
        if job.jax and "warm" in modes:
            warm_dirs[job.name] = tempfile.mkdtemp(prefix="warm-", dir=work)
            try:
                wall = _run_once(job, csv, warm_dirs[job.name], work)[0]
            except RuntimeError as exc:
                job.failure = str(exc)
                continue
            print(f"  [warm-up] {job.name}: {_fmt_s(wall)} (fills its cache)", file=sys.stderr, flush=True)
    for rep in range(repeat):
        for job in all_jobs:
            if job.failure:
                continue
            for mode in (modes if job.jax else ["-"]):
                cache = warm_dirs[job.name] if mode == "warm" else tempfile.mkdtemp(prefix="cold-", dir=work)
                try:
                    wall, cpu, phases = _run_once(job, csv, cache, work)
                except RuntimeError as exc:
                    job.failure = str(exc)
                    break
                if mode == "cold" and job.kernels is None:
                    job.kernels = _count_files(cache)
                if mode != "warm":
                    shutil.rmtree(cache, ignore_errors=True)
                job.times.setdefault(mode, []).append((wall, cpu, phases))
                print(f"  [{rep + 1}/{repeat}] {job.name} ({mode}): {_fmt_s(wall)}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------- reporting

def _anchor_median(job: Job | None) -> float | None:
    """An anchor's median wall time (anchors run in one mode only)."""
    runs = next(iter(job.times.values()), None) if job else None
    return statistics.median(w for w, _, _ in runs) if runs else None


def wall_table(all_jobs: list[Job]) -> str:
    by_name = {j.name: j for j in all_jobs}
    lines = ["| job | cache | median | min | CPU (median) | kernels | ÷ anchor | anchor |",
             "|---|---|---:|---:|---:|---:|---:|---|"]
    for job in all_jobs:
        if job.failure:
            lines.append(f"| {job.name} | | failed | | | | | {job.failure.splitlines()[-1][:200]} |")
            continue
        for mode, runs in job.times.items():
            walls = [w for w, _, _ in runs]
            med = statistics.median(walls)
            ref = _anchor_median(by_name.get(job.anchor))
            ratio = f"{med / ref:.2f}×" if ref else ""
            note = job.anchor or ("(anchor)" if job.is_anchor else "")
            if job.target_s is not None:
                verdict = {True: "met", False: "missed"}
                note += (f"; target < {job.target_s} s: median {verdict[med < job.target_s]}, "
                         f"min {verdict[min(walls) < job.target_s]}")
            kernels = "" if mode != "cold" or job.kernels is None else str(job.kernels)
            lines.append(f"| {job.name} | {mode} | {_fmt_s(med)} | {_fmt_s(min(walls))} | "
                         f"{_fmt_s(statistics.median(c for _, c, _ in runs))} | {kernels} | {ratio} | {note} |")
    return "\n".join(lines) + "\n"


def phase_table(all_jobs: list[Job]) -> str:
    lines = ["| job | cache | phase | median | min |", "|---|---|---|---:|---:|"]
    for job in all_jobs:
        for mode, runs in job.times.items():
            names = list(dict.fromkeys(k for _, _, p in runs for k in p))
            for k in names:
                ts = [p[k] for _, _, p in runs if k in p]
                lines.append(f"| {job.name} | {mode} | {k} | {_fmt_s(statistics.median(ts))} | {_fmt_s(min(ts))} |")
    return "\n".join(lines) + "\n"


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _r_version() -> str | None:
    """R's version and fitdistrplus's, or None when Rscript or fitdistrplus is missing."""
    if shutil.which("Rscript") is None:
        return None
    code = 'suppressMessages(library(fitdistrplus)); cat(R.version.string, "; fitdistrplus ", format(packageVersion("fitdistrplus")), sep = "")'
    proc = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else None


def _git_state() -> str:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return f"{head}{' + uncommitted changes' if dirty else ''}" if head else "unknown"
    except OSError:
        return "unknown"


def write_data(path: Path, have_r: bool) -> str:
    """A CSV with one column of 254 positive values; returns where they came from."""
    if have_r:
        code = (f'suppressMessages(library(fitdistrplus)); data(groundbeef); '
                f'write.csv(data.frame({COLUMN} = groundbeef$serving), "{path}", row.names = FALSE)')
        proc = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True)
        if proc.returncode == 0 and path.exists():
            return f"R fitdistrplus `groundbeef${COLUMN}` ({N_ROWS} servings in grams), exported by Rscript"
    x = np.round(83.3 * np.random.default_rng(2026).weibull(2.19, N_ROWS), 1)
    np.savetxt(path, x, fmt="%.1f", header=COLUMN, comments="")
    return f"{N_ROWS} simulated Weibull(shape 2.19, scale 83.3) values, seed 2026 (Rscript or fitdistrplus is missing)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.everyday", description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5, help="fresh processes per job and cache mode (default 5)")
    ap.add_argument("--markdown", metavar="FILE", help="also write the report as Markdown to FILE")
    ap.add_argument("--only", metavar="TEXT[,TEXT...]",
                    help="only the maxlik jobs whose name contains one of the TEXTs (anchors always run)")
    ap.add_argument("--cache", choices=["both", "cold", "warm"], default="both", help="cache modes of the JAX jobs")
    args = ap.parse_args(argv)
    r_version = _r_version()
    modes = ["cold", "warm"] if args.cache == "both" else [args.cache]
    with tempfile.TemporaryDirectory(prefix="maxlik-everyday-") as work:
        csv = Path(work) / "groundbeef.csv"
        source = write_data(csv, r_version is not None)
        wanted = [t for t in (args.only or "").split(",") if t]
        all_jobs = [j for j in jobs(r_version is not None) if j.is_anchor or not wanted or any(t in j.name for t in wanted)]
        load0 = os.getloadavg()
        t0 = time.perf_counter()
        run_all(all_jobs, str(csv), args.repeat, modes, work)
        elapsed = time.perf_counter() - t0
        load1 = os.getloadavg()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    header = (
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {args.repeat} fresh processes per row, "
        f"{elapsed:.0f} s in all. CPU: {_cpu_model()}, {cores} cores available; RAM: {_ram_gib()}; "
        f"load average {load0[0]:.2f} before, {load1[0]:.2f} after; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; numpy {_version('numpy')}, scipy {_version('scipy')}, "
        f"jax {_version('jax')}, jaxlib {_version('jaxlib')}; maxlik from {ROOT / 'src'} at {_git_state()}; "
        f"`maxlik` is `{' '.join(Path(a).name for a in _maxlik_command())}`.\n\n"
        f"Data: {source}. R: {r_version or 'not installed, so the R rows are skipped'}.\n"
    )
    report = (f"## Everyday speed: fresh processes\n\n{header}\n"
              f"### Wall time of each process (start-up included)\n\n{wall_table(all_jobs)}\n"
              f"### Inside the process (Python jobs)\n\n{phase_table(all_jobs)}")
    print(report)
    if args.markdown:
        Path(args.markdown).write_text(report)
        print(f"wrote {args.markdown}", file=sys.stderr)
    return 1 if any(j.failure for j in all_jobs) else 0


if __name__ == "__main__":
    sys.exit(main())
