"""The ledger of ``make fuzz``: one JSON line per finished test id (a parametrisation of a
property), so that a 10⁴-example run spread over several sessions resumes where it stopped.

A line: {"id": nodeid, "property": "module::function", "param": "...", "cap": max_examples,
"examples": test cases run, "outcome": passed|failed|xfailed|xpassed|skipped, "seconds": ...,
"seed": ..., "commit": ..., "date": "YYYY-MM-DD HH:MM UTC", "hypothesis": version}.

The latest line of an id wins (a rerun with --fresh or --retry-failed supersedes the older one).
Pure functions on lists of dicts: tools/fuzz.py does the pytest side, tests/test_fuzz_ledger.py
tests these with fake lines.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path

FULL = 10_000  # the examples cap issue #16 asks for


def split_id(nodeid: str) -> tuple[str, str]:
    """("module::function", "param") of a pytest node id like
    ``tests/properties/test_weights.py::test_x[normal]`` → ("weights::test_x", "normal")."""
    path, _, rest = nodeid.partition("::")
    func, _, param = rest.partition("[")
    return f"{Path(path).stem.removeprefix('test_')}::{func}", param[:-1] if param.endswith("]") else param


def line(nodeid: str, *, cap: int, examples: int, outcome: str, seconds: float, seed: int, commit: str, date: str,
         hypothesis: str) -> dict:
    prop, param = split_id(nodeid)
    return {"id": nodeid, "property": prop, "param": param, "cap": cap, "examples": examples, "outcome": outcome,
            "seconds": round(seconds, 3), "seed": seed, "commit": commit, "date": date, "hypothesis": hypothesis}


def append(path: Path, entry: dict) -> None:
    """Append one line and push it to disk at once: a run killed later loses nothing written here."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, sort_keys=True) + "\n")
        f.flush()
        os.fsync(f.fileno())


def load(path: Path) -> list[dict]:
    """The ledger's lines in order; a last line cut short by a kill (no closing brace) is dropped."""
    if not Path(path).exists():
        return []
    out = []
    for text in Path(path).read_text(encoding="utf-8").splitlines():
        if not text.strip():
            continue
        try:
            out.append(json.loads(text))
        except json.JSONDecodeError:
            continue
    return out


def latest(entries: list[dict], cap: int) -> dict[str, dict]:
    """id → its latest line at examples cap ``cap``."""
    return {e["id"]: e for e in entries if e["cap"] == cap}


def to_skip(entries: list[dict], cap: int, *, fresh: bool = False, retry_failed: bool = False) -> set[str]:
    """Ids a rerun at ``cap`` leaves out: every id with a line at that cap (none with ``fresh``;
    with ``retry_failed`` not those whose latest outcome is a failure)."""
    if fresh:
        return set()
    return {i for i, e in latest(entries, cap).items() if not (retry_failed and e["outcome"] == "failed")}


def in_shard(ids: list[str], shard: tuple[int, int] | None) -> set[str]:
    """Shard i of n (1-based) of the sorted ids: every n-th, so shards stay fixed from one session
    to the next whatever the ledger holds."""
    if shard is None:
        return set(ids)
    i, n = shard
    return {x for k, x in enumerate(sorted(ids)) if k % n == i - 1}


def parse_shard(text: str) -> tuple[int, int]:
    i, _, n = text.partition("/")
    i, n = int(i), int(n)
    if not 1 <= i <= n:
        raise ValueError(f"--shard must be i/n with 1 ≤ i ≤ n; got {text!r}")
    return i, n


def rows(entries: list[dict], cap: int, suite: list[str]) -> dict[str, dict]:
    """Per property: the suite's parametrisations, those done at ``cap``, examples, failures
    (failing params), xfailed, seconds, and the seeds, commits and dates the lines ran on."""
    now = set(suite)
    done = {i: e for i, e in latest(entries, cap).items() if i in now}  # stale ids: counted in progress()
    out = defaultdict(lambda: {"suite": 0, "done": 0, "examples": 0, "failed": [], "xfailed": 0, "seconds": 0.0,
                               "seeds": set(), "commits": set(), "dates": set()})
    for nodeid in suite:
        out[split_id(nodeid)[0]]["suite"] += 1
    for nodeid, e in done.items():
        r = out[e["property"]]
        r["done"] += 1
        r["examples"] += e["examples"]
        r["seconds"] += e["seconds"]
        r["xfailed"] += e["outcome"] == "xfailed"
        if e["outcome"] == "failed":
            r["failed"].append(e["param"] or e["property"])
        r["seeds"].add(str(e["seed"]))
        r["commits"].add(e["commit"])
        r["dates"].add(e["date"][:10])
    return dict(out)


def progress(entries: list[dict], cap: int, suite: list[str]) -> tuple[int, int, int]:
    """(done, remaining, stale): the suite's ids with a line at ``cap``, those without, and ledger
    ids at ``cap`` no longer in the suite (renamed or removed tests; not counted as done)."""
    done = set(latest(entries, cap))
    now = set(suite)
    return len(done & now), len(now - done), len(done - now)


def table(entries: list[dict], cap: int, suite: list[str]) -> list[str]:
    out = ["| property | done / suite | examples | failures | xfailed | time (s) | seeds | commits | dates |",
           "|---|---:|---:|---|---:|---:|---|---|---|"]
    for key, r in sorted(rows(entries, cap, suite).items()):
        fails = f"{len(r['failed'])} ({', '.join(sorted(r['failed']))})" if r["failed"] else "0"
        out.append(f"| {key} | {r['done']} / {r['suite']} | {r['examples']} | {fails} | {r['xfailed']} | "
                   f"{r['seconds']:.1f} | {', '.join(sorted(r['seeds']))} | {', '.join(sorted(r['commits']))} | "
                   f"{', '.join(sorted(r['dates']))} |")
    return out


def summary_line(entries: list[dict], cap: int, suite: list[str]) -> str:
    done, remaining, stale = progress(entries, cap, suite)
    failed = sum(e["outcome"] == "failed" for i, e in latest(entries, cap).items() if i in set(suite))
    text = (f"**{done} of {len(suite)} parametrisations of the full suite done at {cap} examples; "
            f"{remaining} remain; {failed} failed.**")
    return text + (f" ({stale} ledger ids at this cap are no longer in the suite and are not counted.)" if stale else "")
