"""``maxlik fit FILE -c x --by group`` (issue #12, item 2): one fit per group in a subprocess on a
CSV the test writes; the table, JSON and CSV outputs against maxlik.fit on each group's rows."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import numpy as np
import pytest

import maxlik


@pytest.fixture(scope="module")
def grouped_csv(tmp_path_factory):
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("groups") / "claims.csv"
    rows = [(shop, float(v)) for shop, k in (("north", 2.0), ("south", 4.0), ("east", 1.5))
            for v in rng.gamma(k, 1.5, 60)]
    rows.append(("single", 3.0))
    path.write_text("shop,amount\n" + "\n".join(f"{s},{v!r}" for s, v in rows) + "\n")
    x = np.array([v for _, v in rows])
    g = np.array([s for s, _ in rows])
    return path, x, g


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "maxlik.cli", *args], capture_output=True, text=True, timeout=300)


def test_json_rows_equal_separate_fits(grouped_csv):
    path, x, g = grouped_csv
    proc = _cli("fit", str(path), "-c", "amount", "--by", "shop", "--family", "gamma", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert [r["group"] for r in rows] == ["east", "north", "single", "south"]
    for r in rows:
        if r["group"] == "single":
            with pytest.raises(maxlik.DegenerateFitError) as error:
                maxlik.fit(x[g == "single"], "gamma")
            assert r["converged"] is False and r["concentration"] is None
            assert r["message"] == str(error.value).replace("fixed={'concentration': ...}", "--fixed concentration=...")
            continue
        ref = maxlik.fit(x[g == r["group"]], "gamma")
        for k in ("concentration", "rate"):
            assert r[k] == pytest.approx(ref.params[k], rel=1e-10)
            assert r[f"{k}_se"] == pytest.approx(ref.stderr[k], rel=1e-10)
        assert r["loglik"] == pytest.approx(ref.loglik, rel=1e-10) and r["n"] == ref.n and r["converged"] is True


def test_csv_output(grouped_csv):
    path, x, g = grouped_csv
    proc = _cli("fit", str(path), "-c", "amount", "--by", "shop", "--family", "normal", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    table = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert list(table[0]) == ["group", "loc", "loc_se", "scale", "scale_se", "loglik", "n", "weight", "converged", "message"]
    north = next(r for r in table if r["group"] == "north")
    ref = maxlik.fit(x[g == "north"], "normal")
    assert float(north["loc"]) == pytest.approx(ref.params["loc"], rel=1e-12)
    assert float(north["scale_se"]) == pytest.approx(ref.stderr["scale"], rel=1e-10)
    single = next(r for r in table if r["group"] == "single")
    assert single["converged"] == "False" and single["loc"] == "" and "at least 2 observations" in single["message"]


def test_table_fits_80_columns(grouped_csv):
    path, _, _ = grouped_csv
    proc = _cli("fit", str(path), "-c", "amount", "--by", "shop", "--family", "gamma")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert max(map(len, lines)) <= 80
    assert "4 groups" in proc.stdout and "north" in proc.stdout and "NO" in proc.stdout
    assert "single: Gamma: concentration must be finite" in " ".join(proc.stdout.split())


def test_bad_group_column_and_options(grouped_csv):
    path, _, _ = grouped_csv
    bad = _cli("fit", str(path), "-c", "amount", "--by", "store", "--family", "gamma")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "column must be one of ['shop', 'amount']; got 'store'" in bad.stderr
    opt = _cli("fit", str(path), "-c", "amount", "--by", "shop", "--family", "weibull", "--tol", "1e-3")
    assert opt.returncode == 1
    assert "maxlik fit --by: options must be among --column, --family, --weights, --fixed, --format; got --tol." in " ".join(opt.stderr.split())
    fmt = _cli("fit", str(path), "-c", "amount", "--by", "shop", "--format", "xml")
    assert fmt.returncode == 1 and "--format must be one of table, json, csv; got 'xml'" in fmt.stderr
