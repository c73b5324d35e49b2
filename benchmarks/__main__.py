"""Run every ``benchmarks/bench_*.py`` and write ``BENCHMARKS.md`` at the repository root.

    python -m benchmarks            # all benchmarks
    python -m benchmarks normal     # only bench_normal.py (else: every module whose name contains it)

Each module has ``main() -> list[dict]`` (rows from :func:`benchmarks.harness.compare`).
BENCHMARKS.md keeps one section per module between markers, so a filtered run updates its own
section and leaves the others as they were.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import re
import sys
from pathlib import Path

from .harness import format_table, machine_info

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "BENCHMARKS.md"
HEADER = """# Benchmarks

Produced by `make bench` (`python -m benchmarks [filter]`): each tool runs in the same process
after a warm-up; the table gives the median of the repeats, the min – max range, the spread
(max − min as % of the median: the noise on a shared machine) and the ratio of each tool's
median time to maxlik's (> 1: maxlik is faster). Sources: `benchmarks/bench_*.py`.
"""


def _modules(pattern: str | None) -> list[str]:
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_"))
    if pattern is None:
        return names
    exact = [n for n in names if n == f"bench_{pattern}"]  # "normal" means bench_normal only
    return exact or [n for n in names if pattern in n[len("bench_") :]]


def _section(module: str, rows: list[dict], notes: str, title: str | None = None) -> str:
    titles = list(dict.fromkeys(r["title"] for r in rows))
    body = "\n".join(format_table(t, [r for r in rows if r["title"] == t]) for t in titles)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = f"## {title or module[len('bench_'):]}\n\nRun {stamp}. {machine_info()}\n\n{body}"
    if notes:
        text += f"\n{notes.strip()}\n"
    return f"<!-- begin {module} -->\n{text}\n<!-- end {module} -->\n"


_MARKED = re.compile(r"<!-- begin (\S+) -->\n.*?<!-- end \1 -->\n", flags=re.S)


def _write(sections: dict[str, str]) -> None:
    """Replace the sections just run; keep the others already in BENCHMARKS.md."""
    old = OUT.read_text() if OUT.exists() else ""
    merged = {m.group(1): m.group(0) for m in _MARKED.finditer(old)}
    merged.update(sections)
    OUT.write_text(HEADER + "\n" + "\n".join(merged[k] for k in sorted(merged)))


def main(argv: list[str]) -> int:
    pattern = argv[0] if argv else None
    mods = _modules(pattern)
    if not mods:
        print(f"benchmarks: no module matches {pattern!r}; have {_modules(None)}", file=sys.stderr)
        return 2
    print(machine_info(), "\n")
    sections = {}
    for name in mods:
        mod = importlib.import_module(f"benchmarks.{name}")
        rows = mod.main() or []
        sections[name] = _section(name, rows, getattr(mod, "NOTES", ""), getattr(mod, "TITLE", None))
    _write(sections)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
