"""Turnbull's NPMLE (maxlik.turnbull) against R, the ECDF and Kaplan–Meier."""

import numpy as np
import pytest
from test_censored import DATA  # fitdistrplus 1.1.8's smokedfish, fluazinam, salinity (with provenance)

from maxlik import Censored
from maxlik.errors import DataError
from maxlik.turnbull import innermost_intervals, npmle

INF = np.inf

# fitdistrplus's NPMLE (Wang's constrained Newton method, the default of plotdistcens), printed by
#   Rscript -e 'library(fitdistrplus); data(smokedfish); f <- fitdistrplus:::npmle(smokedfish);
#               cat(sprintf("%.10g", f$left), sprintf("%.10g", f$right), sprintf("%.10g", f$p))'
# (same for salinity); loglik: Σ log P̂(Aᵢ) of those masses, computed in R.
# R 4.2.2 Patched (2022-11-10 r83330), fitdistrplus 1.1.8, survival 3.5.3.
R_NPMLE = {
    "SMOKEDFISH": dict(
        left=[-INF, 0.04, 1, 15, 100], right=[0.04, 1, 10, 15, INF],
        p=[0.5408846204, 0.3520368198, 0.06951158998, 0.01621327702, 0.0213536928], loglik=-86.22399785),
    "SALINITY": dict(
        left=[12.6, 12.8, 15, 15, 21.5, 23.7, 26.1, 26.2, 29.1, 30, 35, 43.9, 45.7, 47, 49],
        right=[12.6, 12.8, 15, 20, 21.5, 23.7, 26.1, 26.2, 29.1, 30, 35, 43.9, 45.7, 47, 49],
        p=[0.02249913881, 0.04499858699, 0.103885619, 0.03357246423, 0.05709644984, 0.05709645028, 0.03438139906,
           0.0343815024, 0.06876291208, 0.03438156384, 0.1146073373, 0.06182098066, 0.06182099783, 0.1236417511,
           0.1470528466], loglik=-115.5679479),
}
# survival::survfit(Surv(left, right, type="interval2") ~ 1, data=smokedfish): an EM stopped earlier
# (same R session): masses = diff(c(1, s$surv)) at s$time 0.04, 0.52, 5.5, 15, 100.
R_SURVFIT_SMOKEDFISH = [0.54088659232, 0.35178774829, 0.06978154431, 0.01619542519, 0.02134868990]


@pytest.mark.parametrize("name", sorted(R_NPMLE))
def test_matches_fitdistrplus_npmle(name):
    ref = R_NPMLE[name]
    r = npmle(Censored(*DATA[name]))
    assert r.converged
    np.testing.assert_array_equal(r.left, ref["left"])
    np.testing.assert_array_equal(r.right, ref["right"])
    np.testing.assert_allclose(r.mass, ref["p"], atol=1e-6)
    assert r.loglik == pytest.approx(ref["loglik"], abs=1e-7)


def test_smokedfish_near_survfit():
    r = npmle(Censored(*DATA["SMOKEDFISH"]))
    np.testing.assert_allclose(r.mass, R_SURVFIT_SMOKEDFISH, atol=5e-4)


def test_fluazinam_is_kaplan_meier():
    # survival::survfit(Surv(left, !is.na(right)) ~ 1, data=fluazinam)$surv at the 11 event times
    # (same R session): S drops by 1/14 at each death; S = 3/14 after the last one (640).
    km = [0.9285714286, 0.8571428571, 0.7857142857, 0.7142857143, 0.6428571429, 0.5714285714, 0.5,
          0.4285714286, 0.3571428571, 0.2857142857, 0.2142857143]
    r = npmle(Censored(*DATA["FLUAZINAM"]))
    times = np.array([1.6, 3.8, 4.8, 33.6, 82, 87, 113, 129, 155, 586, 640])
    lo, hi = r.sf_bounds(times)
    np.testing.assert_allclose(lo, km, atol=1e-12)
    np.testing.assert_allclose(hi, km, atol=1e-12)
    assert (r.left[-1], r.right[-1]) == (1856.0, INF)  # the rest lies beyond the last censored time


def _kaplan_meier(t, event):
    """S(t) just after each distinct event time, by the product-limit formula (censored at a tie: at risk)."""
    out = {}
    s = 1.0
    for u in np.unique(t[event]):
        s *= 1.0 - np.sum((t == u) & event) / np.sum(t >= u)
        out[u] = s
    return out


def test_right_censored_reduces_to_kaplan_meier():
    rng = np.random.default_rng(3)
    t = np.round(rng.exponential(2.0, 60), 1)  # rounded: ties between deaths and censorings
    event = rng.random(60) < 0.7
    km = _kaplan_meier(t, event)
    r = npmle(Censored.from_events(t, event))
    u = np.array(sorted(km))
    lo, hi = r.sf_bounds(u)
    np.testing.assert_allclose(lo, [km[k] for k in u], atol=1e-8)
    np.testing.assert_allclose(hi, lo, atol=1e-8)
    # survival::survfit(Surv(c(1,2,2,3,3,3,5,6,6,8), c(1,1,0,1,1,0,0,1,0,1)) ~ 1)$surv (R 4.2.2, survival 3.5.3)
    tt = np.array([1, 2, 2, 3, 3, 3, 5, 6, 6, 8.0])
    ev = np.array([1, 1, 0, 1, 1, 0, 0, 1, 0, 1]) == 1
    small = npmle(Censored.from_events(tt, ev))
    np.testing.assert_allclose(small.sf_bounds([1, 2, 3, 6, 8])[0], [0.9, 0.8, 0.5714285714, 0.380952381, 0.0], atol=1e-8)


def test_exact_data_give_the_ecdf():
    x = np.round(np.random.default_rng(4).normal(size=200), 1)  # with ties
    r = npmle(Censored(x, x))
    assert r.is_point.all()
    values, counts = np.unique(x, return_counts=True)
    np.testing.assert_array_equal(r.left, values)
    np.testing.assert_allclose(r.mass, counts / x.size, rtol=1e-12)
    grid = np.linspace(-3, 3, 41)
    ecdf = (x[None, :] <= grid[:, None]).mean(1)
    for bound in r.cdf_bounds(grid):
        np.testing.assert_allclose(bound, ecdf, atol=1e-12)


def test_weights_equal_repeated_rows():
    left, right = (np.asarray(a, dtype=float) for a in DATA["SALINITY"])
    w = np.arange(left.size) % 3
    a = npmle(Censored(left, right), weights=w)
    b = npmle(Censored(np.repeat(left, w), np.repeat(right, w)))
    np.testing.assert_array_equal(a.left, b.left)
    np.testing.assert_allclose(a.mass, b.mass, atol=1e-9)
    assert a.loglik == pytest.approx(b.loglik, abs=1e-8)


def test_innermost_intervals_and_ties():
    # rows: exact 1, (1, 3], (2, ∞), ≤ 2, exact 3. Ends in order: (−∞ < 1⁻ < 1] < (1 < 2] < (2 < 3⁻ < 3] < ∞,
    # so the innermost intervals are {1}, (1, 2] and {3}: the exact 1 is not in (1, 3].
    data = Censored([1, 1, 2, np.nan, 3], [1, 3, np.nan, 2, 3])
    left, right, start, stop = innermost_intervals(data)
    np.testing.assert_array_equal(left, [1, 1, 3])
    np.testing.assert_array_equal(right, [1, 2, 3])
    np.testing.assert_array_equal(start, [0, 1, 2, 0, 2])
    np.testing.assert_array_equal(stop, [1, 3, 3, 2, 3])
    # L(p) = p₁ (p₂ + p₃) p₃ (p₁ + p₂) p₃; at p = (0.4, 0, 0.6) d₂ = (1/0.6 + 1/0.4) / 5 < 1: the maximum
    r = npmle(data)
    np.testing.assert_allclose(r.mass, [0.4, 0.6], atol=1e-9)
    lo, hi = r.cdf_bounds([0.5, 1, 2.5, 3])
    np.testing.assert_allclose(lo, [0, 0.4, 0.4, 1], atol=1e-9)
    np.testing.assert_allclose(hi, lo, atol=1e-9)


def test_interval_bounds_are_not_unique_inside():
    r = npmle(Censored(*DATA["SMOKEDFISH"]))
    lo, hi = r.cdf_bounds([0.5, 5.0, 20.0])  # inside (0.04, 1] and (1, 10]; 20 lies between intervals
    np.testing.assert_allclose(lo, [r.mass[0], r.mass[:2].sum(), r.mass[:4].sum()])
    np.testing.assert_allclose(hi, [r.mass[:2].sum(), r.mass[:3].sum(), r.mass[:4].sum()])


def test_refuses_plain_arrays():
    with pytest.raises(DataError, match=r"npmle: data must be maxlik.Censored\(left, right\); got ndarray"):
        npmle(np.ones(3))
