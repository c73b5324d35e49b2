"""Goodness of fit and the bootstrap of a fit at its family's boundary: the fitted distribution is the limit model
(Student-t df → ∞ is the Normal; negative binomial total_count → ∞ is the Poisson), so gof tests
that model, refitting it on every bootstrap sample — the same statistics and p-values as gof of
the limit family's own fit (whose statistics test_gof.py pins against fitdistrplus), and no
refits counted as failed (before: all NaN for the t, chi-square = inf for the negative binomial,
and every refit "failed"); the bootstrap resamples the limit's parameters likewise (before: every
replicate "failed" and the summary raised a raw IndexError)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import maxlik
from maxlik.status import Status


def _fit(x, family):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", maxlik.InferenceWarning)
        return maxlik.fit(x, family)


@pytest.mark.parametrize("family, limit, data", [
    ("negative_binomial", "poisson", lambda rng: rng.binomial(10, 0.5, 200).astype(float)),
    ("student_t", "normal", lambda rng: rng.uniform(-1.0, 1.0, 150)),
])
def test_a_boundary_fit_is_tested_as_its_limit(family, limit, data):
    x = data(np.random.default_rng(0))
    r = _fit(x, family)
    assert r.status is Status.BOUNDARY
    g = r.gof(n_boot=99, seed=1)
    ref = maxlik.fit(x, limit).gof(n_boot=99, seed=1)
    assert g.family.name == limit and g.n_failed == 0
    assert g.statistics == pytest.approx(ref.statistics, rel=1e-12)
    assert g.p_values == ref.p_values
    assert all(np.isfinite(v) for v in g.statistics.values())
    assert f"is at its boundary" in g.summary() and g.to_dict()["limit_of"] == family


def test_the_bootstrap_of_a_boundary_fit_is_the_limits():
    x = np.random.default_rng(0).binomial(10, 0.5, 200).astype(float)
    r = _fit(x, "negative_binomial")
    with pytest.warns(maxlik.InferenceWarning, match=r"at its boundary \(total_count → ∞\).*the Poisson, whose "
                                                       r"parameters \(rate\) are bootstrapped"):
        b = r.bootstrap(n_boot=200, seed=3, progress=False)
    ref = maxlik.fit(x, "poisson").bootstrap(n_boot=200, seed=3, progress=False)
    assert b.n_failed == 0 and list(b.replicates) == ["rate"]
    np.testing.assert_array_equal(b.replicates["rate"], ref.replicates["rate"])
    # the nonparametric bootstrap of a mean: its SE is about the sample SD / √n
    assert b.stderr["rate"] == pytest.approx(np.std(x) / np.sqrt(len(x)), rel=0.15)


def test_a_bootstrap_with_no_converged_replicate_says_so():
    from maxlik.bootstrap_result import BootstrapResult

    b = BootstrapResult({"rate": 1.0}, {"rate": np.full(5, np.nan)}, np.zeros(5, dtype=bool), "parametric")
    with pytest.raises(maxlik.FitFailedError, match=r"BootstrapResult.conf_int: none of the 5 replicates converged, "
                                                     r"so there is no bootstrap distribution"):
        b.conf_int()
    assert "5 failed to converge" in b.summary()
