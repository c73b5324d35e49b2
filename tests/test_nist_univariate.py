"""Normal fits on every NIST StRD univariate dataset reach the binary64 ceiling.

LRE = −log10(|estimate − certified| / |certified|), capped at 15 (NIST's certified digits).
The ceiling is the LRE of the exact mean and SD of the binary64 inputs, rounded once to
binary64: computed here with ``fractions.Fraction`` (and a 60-digit decimal square root), so the
test needs no number produced by maxlik. The data sets whose decimal inputs are not representable
in binary64 (Mavro, Michelso, NumAcc3, NumAcc4) have ceilings below 15 for the SD.

The fitted scale is the MLE (divide by n); NIST certifies the n − 1 standard deviation, so the
estimate compared is scale · sqrt(n / (n − 1)).
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import pytest

import maxlik
from maxlik.families.normal import NormalStats

CAP = 15.0
NAMES = ["PiDigits", "Lottery", "Lew", "Mavro", "Michelso", "NumAcc1", "NumAcc2", "NumAcc3", "NumAcc4"]
# The issue's figures for the SD ceiling (the mean ceiling is 15 everywhere): a sanity check of
# the exact computation below, not the bar the fits are held to.
ISSUE_SD_CEILING = {"Mavro": 13.1, "Michelso": 13.8, "NumAcc3": 9.5, "NumAcc4": 8.3}


def lre(estimate: float, certified: float) -> float:
    if estimate == certified:
        return CAP
    return min(CAP, -math.log10(abs(estimate - certified) / abs(certified)))


def exact_mean_sd(x: np.ndarray) -> tuple[float, float]:
    """Mean and n − 1 SD of the binary64 values in exact arithmetic, each rounded to binary64."""
    fx = [Fraction(float(v)) for v in x]
    n = len(fx)
    mean = sum(fx) / n
    var = sum((v - mean) ** 2 for v in fx) / (n - 1)
    with localcontext() as ctx:
        ctx.prec = 60
        sd = (Decimal(var.numerator) / Decimal(var.denominator)).sqrt()
    return float(mean), float(sd)


@pytest.fixture(scope="module")
def datasets(nist_certified) -> dict:
    out = {}
    for name, entry in nist_certified["datasets"].items():
        if entry["kind"] != "univariate":
            continue
        x = np.asarray(entry["data"][entry["columns"][0]], dtype=np.float64)
        assert x.shape == (entry["n"],)
        mean, sd = exact_mean_sd(x)
        cert = entry["certified"]
        out[name] = {
            "x": x,
            "cert": cert,
            "ceiling": {"mean": lre(mean, cert["mean"]), "sd": lre(sd, cert["sd"])},
        }
    return out


def test_all_nine_univariate_datasets_are_present(datasets):
    assert sorted(datasets) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_exact_arithmetic_ceiling_matches_the_issue(datasets, name):
    ceiling = datasets[name]["ceiling"]
    assert ceiling["mean"] == pytest.approx(CAP, abs=0.2)
    assert ceiling["sd"] == pytest.approx(ISSUE_SD_CEILING.get(name, CAP), abs=0.2)


def _lres(result, n: int, cert: dict) -> dict:
    sd = result.params["scale"] * math.sqrt(n / (n - 1))
    return {"mean": lre(result.params["loc"], cert["mean"]), "sd": lre(sd, cert["sd"])}


@pytest.mark.parametrize("name", NAMES)
def test_one_call_reaches_the_ceiling(datasets, name):
    d = datasets[name]
    got = _lres(maxlik.fit(d["x"], "normal"), len(d["x"]), d["cert"])
    for key in ("mean", "sd"):
        assert got[key] >= d["ceiling"][key] - 0.3, (key, got, d["ceiling"])


def _chunked_fit(x: np.ndarray, n_chunks: int, uneven: bool):
    if uneven:  # cut points drawn at random (seeded): chunk sizes from 1 to many
        cuts = np.sort(np.random.default_rng(len(x)).choice(np.arange(1, len(x)), n_chunks - 1, replace=False))
        chunks = np.split(x, cuts)
    else:
        chunks = np.array_split(x, n_chunks)
    assert len(chunks) == n_chunks and sum(len(c) for c in chunks) == len(x)
    fam = maxlik.Normal()
    merged = fam.suffstats(chunks[0])
    for c in chunks[1:]:  # one by one: a left fold, the worst case for a sequential merge
        merged = merged.merge(fam.suffstats(c))
    assert isinstance(merged, NormalStats) and merged.count == len(x)
    return maxlik.fit_stats(merged, fam)


@pytest.mark.parametrize("uneven", [False, True], ids=["even", "uneven"])
@pytest.mark.parametrize("name", NAMES)
def test_merging_up_to_1000_chunks_stays_within_one_digit(datasets, name, uneven):
    d = datasets[name]
    n = len(d["x"])
    n_chunks = min(n, 1000) if not uneven else max(2, min(n - 1, 1000) // 2)
    got = _lres(_chunked_fit(d["x"], n_chunks, uneven), n, d["cert"])
    for key in ("mean", "sd"):
        assert got[key] >= d["ceiling"][key] - 1.0, (key, n_chunks, got, d["ceiling"])


def test_the_bar_rejects_the_textbook_formula(datasets):
    """The check can fail: E[x²] − E[x]² misses the NumAcc3 ceiling by several digits."""
    d = datasets["NumAcc3"]
    x, n = d["x"], len(d["x"])
    naive_sd = math.sqrt(max((np.sum(x * x) - np.sum(x) ** 2 / n) / (n - 1), 0.0))
    assert lre(naive_sd, d["cert"]["sd"]) < d["ceiling"]["sd"] - 1.0
