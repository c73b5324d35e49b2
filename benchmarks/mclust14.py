"""Issue #15 item 5: ``select_mixture`` over mclust's 14 covariance models × G = 1..9 against R's
``Mclust(X, G = 1:9)`` (its default: the same 14 models), on Old Faithful (272 × 2) and iris
(150 × 4), timed in one run.

    nice python -m benchmarks.mclust14                  # 5 repeats after a warm-up, 2 rounds
    python -m benchmarks.mclust14 --repeat 5 --rounds 3

maxlik is timed in this process (``time.perf_counter`` and ``time.process_time``: the median of
``--repeat`` after one warm-up selection); mclust inside one R process per round
(``system.time``, the median of ``--repeat`` after one warm-up ``Mclust``, start-up and
``library(mclust)`` excluded). The rounds alternate R and maxlik so that a busy spell of a shared
machine falls on both; the medians pool the rounds. Printed: one table per data set in
BENCHMARKS.md's layout (ratio tool / maxlik: above 1, maxlik is faster), the ratios maxlik /
mclust of the wall and CPU medians (at most 1: the issue's goal), and each tool's choice and
log-likelihood. Without ``Rscript`` or mclust only maxlik's rows are printed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import time

from maxlik import datasets
from maxlik.models import select_mixture

from .harness import format_table, machine_info

R_SCRIPT = """
suppressMessages(library(mclust))
sets <- list(faithful = faithful, iris = iris[, 1:4])
for (name in names(sets)) {
  X <- sets[[name]]
  invisible(Mclust(X, G = 1:9, verbose = FALSE))
  for (i in seq_len(%d)) {
    t <- system.time(m <- Mclust(X, G = 1:9, verbose = FALSE))
    cat("time", name, t[["elapsed"]], t[["user.self"]] + t[["sys.self"]], "\\n")
  }
  cat("pick", name, m$modelName, m$G, sprintf("%%.6f", m$loglik), as.character(packageVersion("mclust")), "\\n")
}
"""
SETS = {"faithful": "Old Faithful 272 × 2", "iris": "iris 150 × 4"}


def _mclust(repeat: int):
    """{name: ([wall], [cpu], (model, G, loglik, version))} from one R process, or None."""
    if shutil.which("Rscript") is None:
        return None
    out = subprocess.run(["Rscript", "-e", R_SCRIPT % repeat], capture_output=True, text=True)
    if out.returncode != 0:
        return None
    got = {name: ([], [], None) for name in SETS}
    for line in out.stdout.splitlines():
        kind, name, *rest = line.split()
        if kind == "time":
            got[name][0].append(float(rest[0]))
            got[name][1].append(float(rest[1]))
        elif kind == "pick":
            got[name] = (got[name][0], got[name][1], tuple(rest))
    return got


def _maxlik(X, repeat: int):
    """([wall], [cpu], selection) of ``repeat`` selections after one warm-up."""
    sel = select_mixture(X)
    wall, cpu = [], []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        sel = select_mixture(X)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return wall, cpu, sel


def _row(title, name, wall, cpu, ours_median, ours):
    med = statistics.median(wall)
    return dict(title=title, name=name, median_s=med, min_s=min(wall), max_s=max(wall),
                spread_pct=100.0 * (max(wall) - min(wall)) / med, cpu_median_s=statistics.median(cpu),
                repeat=len(wall), ratio=med / ours_median, ours=ours)


def main(argv=None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    data = {name: datasets.load(name).X for name in SETS}
    ours = {name: ([], [], None) for name in SETS}
    theirs = {name: ([], [], None) for name in SETS}
    has_r = True
    for _ in range(args.rounds):
        got = _mclust(args.repeat) if has_r else None
        has_r = got is not None
        for name in SETS:
            if got is not None:
                theirs[name] = (theirs[name][0] + got[name][0], theirs[name][1] + got[name][1], got[name][2])
            wall, cpu, sel = _maxlik(data[name], args.repeat)
            ours[name] = (ours[name][0] + wall, ours[name][1] + cpu, sel)
    print(machine_info())
    rows = []
    for name, what in SETS.items():
        title = f"select_mixture, {what}, 14 models × G = 1..9 (BIC), {args.rounds} × {args.repeat} runs"
        wall, cpu, sel = ours[name]
        med = statistics.median(wall)
        table = [_row(title, "maxlik", wall, cpu, med, True)]
        notes = [f"maxlik chooses {sel.best_config[0]}/{sel.best_config[1]} at log-likelihood {sel.best._loglik:.6f}"]
        if has_r:
            rwall, rcpu, (model, g, loglik, version) = theirs[name]
            data_r = "faithful" if name == "faithful" else "iris[, 1:4]"
            table.append(_row(title, f"R mclust {version} Mclust({data_r}, G = 1:9) (inside R)", rwall, rcpu, med, False))
            notes.append(f"R mclust {version} chooses {model}/{g} at log-likelihood {loglik}")
            notes.append(f"maxlik / mclust: wall {med / statistics.median(rwall):.2f}, "
                         f"CPU {statistics.median(cpu) / statistics.median(rcpu):.2f} (at most 1: the goal)")
        print(format_table(title, table))
        print("\n".join(notes) + "\n")
        rows += table
    if not has_r:
        print("Rscript or mclust not available: no R rows")
    return rows


if __name__ == "__main__":
    main()
