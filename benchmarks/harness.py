"""Side-by-side timing of maxlik against established tools, in one process.

Each callable is run ``warmup`` times (JIT compilation, page faults, caches), then timed
``repeat`` times with ``time.perf_counter``; the table reports the median and the spread
(min–max over the repeats, as a percentage of the median: the noise of a shared machine), the
median CPU time, and the ratio ``reference / ours`` (> 1 means maxlik is faster).

    rows = compare("Normal, 1e8 float64", lambda: maxlik.fit(x, "normal"),
                   {"numpy x.sum()": x.sum, "numpy mean+var": lambda: (x.mean(), x.var())})
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from typing import Callable


def _time(fn: Callable, repeat: int, warmup: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (process, all threads) seconds of each repeat, after the warm-up."""
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return wall, cpu


def external_row(rows: list[dict], name: str, times: list[float]) -> dict:
    """A row for a tool timed outside this process (e.g. inside R with ``system.time``, start-up
    excluded): ``times`` its repeats; the ratio is against ``rows``' maxlik median."""
    med = statistics.median(times)
    ours = next(r["median_s"] for r in rows if r["ours"])
    return dict(title=rows[0]["title"], name=name, median_s=med, min_s=min(times), max_s=max(times),
                spread_pct=100.0 * (max(times) - min(times)) / med if med > 0 else 0.0, cpu_median_s=med,
                repeat=len(times), ratio=med / ours, ours=False)


def _fmt_s(t: float) -> str:
    if t >= 1.0:
        return f"{t:.3f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.1f} ms"
    return f"{t * 1e6:.1f} µs"


def compare(
    title: str,
    ours: Callable,
    references: dict[str, Callable],
    repeat: int = 5,
    warmup: int = 1,
    ours_label: str = "maxlik",
) -> list[dict]:
    """Time ``ours`` and every reference; print a table; return one dict per row.

    Row keys: ``title`` (the benchmark), ``name``, ``median_s``, ``min_s``, ``max_s`` (wall
    clock), ``spread_pct`` (100·(max − min)/median), ``cpu_median_s`` (process CPU time, all
    threads: less sensitive to other jobs on a shared machine), ``repeat``, ``ratio`` (this
    row's median / ours median; 1.0 for ours) and ``ours`` (True for maxlik's row).
    """
    rows = []
    t_ours = None
    for name, fn, is_ours in [(ours_label, ours, True)] + [(k, v, False) for k, v in references.items()]:
        ts, cpu = _time(fn, repeat, warmup)
        med = statistics.median(ts)
        if is_ours:
            t_ours = med
        rows.append(
            {
                "title": title,
                "name": name,
                "median_s": med,
                "min_s": min(ts),
                "max_s": max(ts),
                "spread_pct": 100.0 * (max(ts) - min(ts)) / med if med > 0 else 0.0,
                "cpu_median_s": statistics.median(cpu),
                "repeat": repeat,
                "ours": is_ours,
            }
        )
    for r in rows:
        r["ratio"] = r["median_s"] / t_ours if t_ours else float("nan")
    print(format_table(title, rows))
    return rows


def format_table(title: str, rows: list[dict]) -> str:
    """Markdown table of one benchmark's rows (also readable in a terminal)."""
    lines = [
        f"### {title}",
        "",
        "| tool | median | min – max | spread | CPU time | ratio tool / maxlik |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {_fmt_s(r['median_s'])} | {_fmt_s(r['min_s'])} – {_fmt_s(r['max_s'])} "
            f"| {r['spread_pct']:.0f}% | {_fmt_s(r.get('cpu_median_s', float('nan')))} | {r['ratio']:.2f}× |"
        )
    lines.append("")
    return "\n".join(lines)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> str:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    return f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def machine_info() -> str:
    """One paragraph: CPU model, cores, RAM, OS, Python and library versions."""
    import jax
    import numpy
    import scipy

    try:
        import maxlik

        ml = getattr(maxlik, "__version__", "dev")
    except Exception:  # pragma: no cover - the benchmarks need maxlik anyway
        ml = "unavailable"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"CPU: {_cpu_model()}, {cores} cores available ({os.cpu_count()} logical); RAM: {_ram_gib()}; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"numpy {numpy.__version__}, scipy {scipy.__version__}, jax {jax.__version__} "
        f"({jax.default_backend()}), maxlik {ml}."
    )
