"""Files larger than memory (issue #12): a Parquet column of 4·10⁸ float64 values (3.2 GB),
fitted by maxlik.scan with Normal and Gamma, against the floor of reading the same column with
pyarrow (``ParquetFile.iter_batches`` plus a ``sum`` per batch), side by side in one run.

    python -m benchmarks.scale_files                       # 4e8 rows, 3 repeats
    python -m benchmarks.scale_files --rows 5e7 --repeat 5

Every job is a fresh process (its time includes its imports) (round-robin over the jobs, ``--repeat`` times) that reports its wall
time and its peak resident memory (``ru_maxrss``); the file is written once (in pieces, so that
writing it needs little memory either) and then read from the page cache like any hot file. The
ratio is the median time over the floor's median. pyarrow's default ``iter_batches`` pre-buffers
and keeps every column chunk read until the file is closed (its memory grows with the file), so a
second floor reads with ``pre_buffer=False`` as maxlik does; both ratios are printed. Timings go to BENCHMARKS.md by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FLOOR = """
import pyarrow.compute as pc, pyarrow.parquet as pq
total = 0.0
for b in pq.ParquetFile(PATH).iter_batches(columns=["x"]):
    total += pc.sum(b.column(0)).as_py()
"""
# the same with pyarrow's pre-buffering off (as maxlik.scan reads): the fair floor, in bounded memory
FLOOR_UNBUFFERED = FLOOR.replace("pq.ParquetFile(PATH)", "pq.ParquetFile(PATH, pre_buffer=False, buffer_size=1 << 22)")
FIT = """
import maxlik
r = maxlik.fit(maxlik.scan(PATH, column="x"), FAMILY)
assert r.n == ROWS and r.converged, r
"""
# peak RSS from VmHWM (this process's own high-water mark; ru_maxrss survives exec from the parent)
RUNNER = """
import sys, time, json
t = time.perf_counter()
exec(sys.argv[1])
s = time.perf_counter() - t
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print(json.dumps({"s": s, "rss_mb": int(hwm) / 1024}))
"""


def write_file(path: Path, rows: int) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(12)
    tmp = path.with_suffix(".tmp")
    with pq.ParquetWriter(tmp, pa.schema([("x", pa.float64())])) as w:
        for start in range(0, rows, 10_000_000):
            n = min(10_000_000, rows - start)
            w.write_table(pa.table({"x": rng.gamma(2.0, 3.0, size=n)}), row_group_size=1 << 20)
    tmp.rename(path)


def run(code: str) -> dict:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    out = subprocess.run([sys.executable, "-c", RUNNER, code], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=float, default=4e8)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--path", default="/tmp/maxlik-bench/scale-{rows}.parquet")
    args = ap.parse_args(argv)
    rows = int(args.rows)
    path = Path(args.path.format(rows=rows))
    if not path.exists():
        t = time.perf_counter()
        write_file(path, rows)
        print(f"wrote {path} ({path.stat().st_size / 1e9:.2f} GB) in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    jobs = {
        "pyarrow floor (iter_batches + sum)": FLOOR.replace("PATH", repr(str(path))),
        "pyarrow floor, pre_buffer=False": FLOOR_UNBUFFERED.replace("PATH", repr(str(path))),
        **{f"maxlik.fit(scan, {fam!r})": FIT.replace("PATH", repr(str(path))).replace("FAMILY", repr(fam)).replace("ROWS", str(rows))
           for fam in ("normal", "gamma")},
    }
    run(jobs["pyarrow floor (iter_batches + sum)"])  # the page cache, warmed once
    times = {k: [] for k in jobs}
    rss = {k: [] for k in jobs}
    for _ in range(args.repeat):
        for name, code in jobs.items():
            r = run(code)
            times[name].append(r["s"])
            rss[name].append(r["rss_mb"])
    floor = statistics.median(times["pyarrow floor (iter_batches + sum)"])
    fair = statistics.median(times["pyarrow floor, pre_buffer=False"])
    import numpy, pyarrow

    print(f"{rows:.3g} float64 values ({path.stat().st_size / 1e9:.2f} GB Parquet), {args.repeat} runs each, "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; Python {platform.python_version()}, "
          f"NumPy {numpy.__version__}, pyarrow {pyarrow.__version__}\n")
    print("| job | median s | min s | × floor | × unbuffered floor | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in jobs:
        med = statistics.median(times[name])
        print(f"| {name} | {med:.2f} | {min(times[name]):.2f} | {med / floor:.2f} | {med / fair:.2f} | {max(rss[name]):.0f} |")


if __name__ == "__main__":
    main()
