"""``make fuzz``: the property suite (tests/properties) under the hypothesis profile "fuzz"
(10⁴ examples per property; FUZZ_EXAMPLES overrides), resumable across sessions through a ledger,
with RELIABILITY.md rendered from the whole ledger.

    python -m tools.fuzz [--ledger reliability/ledger.jsonl] [--seed N] [--out RELIABILITY.md]
                         [--shard i/n] [--fresh] [--retry-failed] [--render-only] [pytest args, e.g. -k normal]

Each finished test id (a parametrisation) appends one JSON line to the ledger as it finishes
(flushed and fsynced; tools/fuzz_ledger.py has the fields), so a run stopped by SIGTERM or a kill
loses at most the test in progress. A rerun skips every id the ledger holds at the same examples
cap (--fresh: runs them again; --retry-failed: reruns those that failed); the latest line of an id
wins. --shard i/n runs every n-th id of the sorted full suite (fixed from session to session);
pytest's -k and other options pass through. Choose subsets with -k or --shard, not with paths, so
that the suite counted as "full" stays tests/properties. RELIABILITY.md shows, per property, the
parametrisations done at the cap, examples, failures, xfails, time, and the seeds, commits and dates
the lines ran on, with how many of the full suite's parametrisations are done and how many remain.

Environment: FUZZ_EXAMPLES (examples per property and parametrisation, default 10⁴), FUZZ_SEED
(the seed), FUZZ_NO_SHRINK=1 (no shrinking in the tests that carry xfail marks). The seed (random
unless given) goes to hypothesis as --hypothesis-seed and into every ledger line. Examples are
counted from hypothesis's own statistics of each test (passing plus failing test cases of every
phase but shrinking).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tools import fuzz_ledger as L

ROOT = Path(__file__).resolve().parents[1]
_CASES = re.compile(r"during (\w+) phase .*?(\d+) passing, (\d+) failing", re.S)


def _commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        # the run's own outputs (the ledger it appends to, the table it writes) do not make the code dirty
        dirty = subprocess.run(["git", "status", "--porcelain", "-uno", "--", ".", ":!reliability/ledger.jsonl",
                                ":!RELIABILITY.md"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def _now() -> str:
    return f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC"


def examples_of(statistics: str) -> int:
    """Test cases hypothesis ran, from its statistics text: every phase but shrinking."""
    return sum(int(p) + int(f) for phase, p, f in _CASES.findall(statistics) if phase != "shrink")


class LedgerPlugin:
    """Records the full suite at collection, leaves out the ids the ledger holds (and those
    outside the shard), and appends a ledger line as each test finishes."""

    def __init__(self, ledger: Path, cap: int, seed: int, skip: set[str], shard):
        self.ledger, self.cap, self.seed, self.skip, self.shard = ledger, cap, seed, skip, shard
        self.suite: list[str] = []
        self.commit, self.ran = _commit(), 0
        import hypothesis

        self.hypothesis = hypothesis.__version__

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, config, items):
        self.suite = [i.nodeid for i in items]  # before -k deselects: the full suite

    def select(self, config, items):
        wanted = L.in_shard(self.suite, self.shard) - self.skip
        keep = [i for i in items if i.nodeid in wanted]
        gone = [i for i in items if i.nodeid not in wanted]
        if gone:
            config.hook.pytest_deselected(items=gone)
        items[:] = keep

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = (yield).get_result()
        if call.excinfo is not None and call.excinfo.errisinstance(KeyboardInterrupt):
            return  # interrupted: the test in progress is not finished
        if report.when == "call" or (report.when == "setup" and not report.passed):
            outcome = ("xfailed" if report.skipped else "xpassed") if hasattr(report, "wasxfail") else report.outcome
            L.append(self.ledger, L.line(item.nodeid, cap=self.cap, examples=examples_of(
                getattr(item, "hypothesis_statistics", "")), outcome=outcome, seconds=report.duration, seed=self.seed,
                commit=self.commit, date=_now(), hypothesis=self.hypothesis))
            self.ran += 1


class _Selector:
    """The trylast half of the plugin (a class may define a hook once): -k has run by then."""

    def __init__(self, plugin: LedgerPlugin):
        self.plugin = plugin

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        self.plugin.select(config, items)


def render(entries: list[dict], cap: int, suite: list[str], code: int | None) -> str:
    done = L.latest(entries, cap)
    versions = sorted({e["hypothesis"] for e in done.values()}) or ["(none yet)"]
    lines = [
        "# Reliability: the property suite, fuzzed",
        "",
        "Rendered by `make fuzz` (tools/fuzz.py) from the whole ledger `reliability/ledger.jsonl` (one line per "
        "finished parametrisation, accumulated over sessions): every property of `tests/properties/` under the "
        "hypothesis profile `fuzz`, over every family of the registry (and every estimator where it applies).",
        "",
        L.summary_line(entries, cap, suite),
        "",
        *([f"**A reduced cap: {cap} examples per property and parametrisation, not the {L.FULL} the issue asks for.**",
           ""] if cap < L.FULL else []),
        f"- rendered: {_now()}; this session's pytest exit code: {'none (render only)' if code is None else code}",
        f"- hypothesis {', '.join(versions)}; each row names the seeds, commits and dates its lines ran on (repeat "
        f"one with `FUZZ_EXAMPLES={cap} python -m tools.fuzz --fresh --seed SEED -k ...` at that commit)",
        f"- machine of this session: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}",
        "",
        "Examples: the test cases hypothesis ran (all phases but shrinking), summed over the parametrisations done; "
        "a property with examples below its cap ran out of distinct inputs or returned early where the library "
        "refused the data. Failures name the failing parametrisations; xfailed counts known failures kept as xfail "
        "(reasons in the test modules). Time: seconds summed over the parametrisations done.",
        "",
        *L.table(entries, cap, suite),
        "",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", random.SystemRandom().randrange(2**31))))
    ap.add_argument("--out", default=str(ROOT / "RELIABILITY.md"))
    ap.add_argument("--ledger", default=str(ROOT / "reliability" / "ledger.jsonl"))
    ap.add_argument("--shard", type=L.parse_shard, default=None, help="i/n: every n-th id of the sorted suite")
    ap.add_argument("--fresh", action="store_true", help="run ids the ledger already holds again")
    ap.add_argument("--retry-failed", action="store_true", help="run again the ids whose latest line failed")
    ap.add_argument("--render-only", action="store_true", help="collect the suite and render, run nothing")
    args, rest = ap.parse_known_args(argv)
    os.environ.setdefault("HYPOTHESIS_PROFILE", "fuzz")
    cap = int(os.environ.get("FUZZ_EXAMPLES", L.FULL))
    ledger = Path(args.ledger)
    entries = L.load(ledger)
    plugin = LedgerPlugin(ledger, cap, args.seed, L.to_skip(entries, cap, fresh=args.fresh,
                                                            retry_failed=args.retry_failed), args.shard)
    # SIGTERM (a session's stop) ends pytest like Ctrl-C: the finished lines are on disk, the
    # test in progress is dropped, and RELIABILITY.md is still rendered below
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    extra = ["--collect-only", "-q"] if args.render_only else []
    code = pytest.main([str(ROOT / "tests" / "properties"), f"--hypothesis-seed={args.seed}", "-p", "no:cacheprovider",
                        *extra, *rest], plugins=[plugin, _Selector(plugin)])
    text = render(L.load(ledger), cap, plugin.suite, None if args.render_only else int(code))
    print(text)
    Path(args.out).write_text(text)
    # nothing left to run (every id in the ledger already) is success, not pytest's "no tests" (5)
    return 0 if args.render_only or code == pytest.ExitCode.NO_TESTS_COLLECTED else int(code)


if __name__ == "__main__":
    sys.exit(main())
