"""maximise_stats / stats_covariance: numerical MLE over sufficient statistics.

A Gamma family defined here from its sufficient statistics (W, Σx, Σ log x) must reproduce
scipy.stats.gamma.fit(x, floc=0) and the exact observed-information standard errors: for
Gamma(k, β) the information per observation is [[ψ′(k), −1/β], [−1/β, k/β²]].
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from jax.scipy.special import gammaln
from scipy import special, stats

import maxlik
from maxlik import DegenerateFitError
from maxlik.families._base import Stats, frozen, jnp
from maxlik.families.gamma import Gamma
from maxlik.optimize import maximise_stats, stats_covariance


@frozen
class GammaStats(Stats):
    count: int
    weight: float
    sum_x: float
    sum_log_x: float


class GammaFromStats(Gamma):
    def suffstats(self, x, weights=None):
        w = np.ones(x.shape[0]) if weights is None else weights
        return GammaStats(x.shape[0], float(w.sum()), float(w @ x), float(w @ np.log(x)))

    def loglik_from_stats(self, s, p):
        k, r = p["concentration"], p["rate"]
        return s.weight * (k * jnp.log(r) - gammaln(k)) + (k - 1.0) * s.sum_log_x - r * s.sum_x

    def mle_from_stats(self, s, fixed=None):
        m = s.sum_x / s.weight
        return maximise_stats(self, s, {"concentration": 1.0, "rate": 1.0 / m}, fixed, owner="GammaFromStats")[0]

    def exact_covariance(self, s, params, free):
        return stats_covariance(self, s, params, free)


def test_matches_scipy_and_exact_information():
    x = np.random.default_rng(5).gamma(2.5, 1 / 0.8, size=5000)
    r = maxlik.fit(x, GammaFromStats())
    a, _, scale = stats.gamma.fit(x, floc=0)
    assert r.params["concentration"] == pytest.approx(a, rel=1e-6)
    assert r.params["rate"] == pytest.approx(1 / scale, rel=1e-6)
    k, b, n = r.params["concentration"], r.params["rate"], x.size
    info = n * np.array([[special.polygamma(1, k), -1 / b], [-1 / b, k / b**2]])
    se = np.sqrt(np.diag(np.linalg.inv(info)))
    assert r.stderr["concentration"] == pytest.approx(se[0], rel=1e-8)
    assert r.stderr["rate"] == pytest.approx(se[1], rel=1e-8)
    # with k fixed, the MLE of the rate is k / mean
    p, _ = maximise_stats(GammaFromStats(), GammaFromStats().suffstats(x), {"rate": 1.0}, {"concentration": 2.0})
    assert p["rate"] == pytest.approx(2.0 / x.mean(), rel=1e-9) and p["concentration"] == 2.0


def test_no_interior_maximum_is_a_degenerate_fit():
    fam = GammaFromStats()
    s = fam.suffstats(np.full(10, 3.0))  # constant data: k -> ∞
    with pytest.raises(DegenerateFitError, match=r"GammaFromStats: the likelihood must have an interior maximum; got none"):
        maximise_stats(fam, s, {"concentration": 1.0, "rate": 1.0}, owner="GammaFromStats", max_iter=20)
    assert math.isfinite(s.sum_log_x)
