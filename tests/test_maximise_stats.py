"""maximise_stats / stats_covariance: numerical MLE over sufficient statistics.

maxlik.Gamma, which is fitted from its sufficient statistics (W, Σx, Σ log x), must reproduce
scipy.stats.gamma.fit(x, floc=0) and the exact observed-information standard errors: for
Gamma(k, β) the information per observation is [[ψ′(k), −1/β], [−1/β, k/β²]].
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special, stats

import maxlik
from maxlik import DegenerateFitError
from maxlik.families.gamma import Gamma
from maxlik.optimize import maximise_stats, stats_covariance


def test_matches_scipy_and_exact_information():
    x = np.random.default_rng(5).gamma(2.5, 1 / 0.8, size=5000)
    r = maxlik.fit(x, Gamma())
    a, _, scale = stats.gamma.fit(x, floc=0)
    assert r.params["concentration"] == pytest.approx(a, rel=1e-6)
    assert r.params["rate"] == pytest.approx(1 / scale, rel=1e-6)
    k, b, n = r.params["concentration"], r.params["rate"], x.size
    info = n * np.array([[special.polygamma(1, k), -1 / b], [-1 / b, k / b**2]])
    se = np.sqrt(np.diag(np.linalg.inv(info)))
    assert r.stderr["concentration"] == pytest.approx(se[0], rel=1e-8)
    assert r.stderr["rate"] == pytest.approx(se[1], rel=1e-8)
    # maximise_stats itself, with k fixed: the MLE of the rate is k / mean
    p, _ = maximise_stats(Gamma(), Gamma().suffstats(x), {"rate": 1.0}, {"concentration": 2.0})
    assert p["rate"] == pytest.approx(2.0 / x.mean(), rel=1e-9) and p["concentration"] == 2.0


def test_no_interior_maximum_is_a_degenerate_fit():
    fam = Gamma()
    s = fam.suffstats(np.full(10, 3.0))  # constant data: k -> ∞
    with pytest.raises(DegenerateFitError, match=r"Gamma: the likelihood must have an interior maximum; got none"):
        maximise_stats(fam, s, {"concentration": 1.0, "rate": 1.0}, owner="Gamma", max_iter=20)
    assert math.isfinite(s.sum_log_x)
