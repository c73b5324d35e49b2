"""The ledger of ``make fuzz`` (tools/fuzz_ledger.py) on fake lines: resume, shards, the rows and
progress RELIABILITY.md is rendered from. No hypothesis run."""

from __future__ import annotations

import json

import pytest

from tools import fuzz_ledger as L

SUITE = [f"tests/properties/test_weights.py::test_w[{n}]" for n in ("normal", "gamma", "beta")] + [
    "tests/properties/test_errors.py::test_e[normal]"]


def fake(nodeid, outcome="passed", cap=10_000, seed=7, commit="abc", date="2026-12-02 10:00 UTC"):
    return L.line(nodeid, cap=cap, examples=cap, outcome=outcome, seconds=1.5, seed=seed, commit=commit, date=date,
                  hypothesis="6.0")


def test_lines_are_appended_one_by_one_and_a_cut_last_line_is_dropped(tmp_path):
    path = tmp_path / "r" / "ledger.jsonl"
    L.append(path, fake(SUITE[0]))
    L.append(path, fake(SUITE[1], "failed"))
    with open(path, "a") as f:
        f.write(json.dumps(fake(SUITE[2]))[:40])  # a kill in the middle of a write
    got = L.load(path)
    assert [e["id"] for e in got] == SUITE[:2]
    assert got[0]["property"] == "weights::test_w" and got[0]["param"] == "normal"
    assert L.load(tmp_path / "missing.jsonl") == []


def test_a_rerun_skips_ids_done_at_the_same_cap_only():
    entries = [fake(SUITE[0]), fake(SUITE[1], "failed"), fake(SUITE[2], cap=100)]
    assert L.to_skip(entries, 10_000) == {SUITE[0], SUITE[1]}
    assert L.to_skip(entries, 10_000, retry_failed=True) == {SUITE[0]}
    assert L.to_skip(entries, 10_000, fresh=True) == set()
    assert L.to_skip(entries, 100) == {SUITE[2]}


def test_the_latest_line_of_an_id_wins():
    entries = [fake(SUITE[1], "failed", commit="old"), fake(SUITE[1], "passed", commit="new")]
    assert L.latest(entries, 10_000)[SUITE[1]]["commit"] == "new"
    assert L.rows(entries, 10_000, SUITE)["weights::test_w"]["failed"] == []


def test_shards_partition_the_suite_whatever_its_order():
    parts = [L.in_shard(SUITE, (i, 3)) for i in (1, 2, 3)]
    assert set().union(*parts) == set(SUITE) and sum(map(len, parts)) == len(SUITE)
    assert L.in_shard(list(reversed(SUITE)), (2, 3)) == parts[1]
    assert L.in_shard(SUITE, None) == set(SUITE)
    assert L.parse_shard("2/3") == (2, 3)
    with pytest.raises(ValueError, match="--shard must be i/n"):
        L.parse_shard("4/3")


def test_rows_and_progress_count_the_full_suite():
    entries = [fake(SUITE[0], seed=1, date="2026-12-02 10:00 UTC"), fake(SUITE[1], "failed", seed=2, commit="def",
                                                                         date="2026-12-03 09:00 UTC"),
               fake("tests/properties/test_gone.py::test_old[x]"), fake(SUITE[3], "xfailed", cap=100)]
    r = L.rows(entries, 10_000, SUITE)["weights::test_w"]
    assert (r["suite"], r["done"], r["examples"], r["failed"]) == (3, 2, 20_000, ["gamma"])
    assert r["seeds"] == {"1", "2"} and r["commits"] == {"abc", "def"} and r["dates"] == {"2026-12-02", "2026-12-03"}
    assert L.progress(entries, 10_000, SUITE) == (2, 2, 1)
    line = L.summary_line(entries, 10_000, SUITE)
    assert line.startswith("**2 of 4 parametrisations of the full suite done at 10000 examples; 2 remain; 1 failed.**")
    assert "1 ledger ids at this cap are no longer in the suite" in line
    table = L.table(entries, 10_000, SUITE)
    assert "| errors::test_e | 0 / 1 | 0 | 0 | 0 | 0.0 |" in table[2]
    assert table[3].startswith("| weights::test_w | 2 / 3 | 20000 | 1 (gamma) | 0 | 3.0 | 1, 2 | abc, def |")
