"""exponential2's exact intervals through conf_int(method="exact") and the summary (issue #14),
against the closed forms computed here from min(x) and Σ (x − min(x)) with scipy's F and χ²
quantiles: n(n − 1)(m − loc)/E ~ F(2, 2n − 2), 2λE ~ χ²(2n − 2); with rate known,
nλ(m − loc) ~ Exp(1); with loc known, 2λ Σ (x − loc) ~ χ²(2n)."""

import math

import numpy as np
import pytest
import scipy.stats as st

import maxlik
from maxlik.errors import ParameterError


def _x(n=50):
    return 3.0 + np.random.default_rng(1).exponential(2.0, n)


@pytest.mark.parametrize("level", [0.9, 0.95])
def test_both_free(level):
    x = _x()
    n, m = x.size, x.min()
    e = np.sum(x - m)
    r = maxlik.fit(x, "exponential2")
    got = r.conf_int(level, method="exact")
    assert got["loc"][1] == m
    assert got["loc"][0] == pytest.approx(m - st.f.ppf(level, 2, 2 * n - 2) * e / (n * (n - 1)), rel=1e-12)
    lo, hi = st.chi2.ppf([(1 - level) / 2, (1 + level) / 2], 2 * n - 2) / (2 * e)
    np.testing.assert_allclose(got["rate"], (lo, hi), rtol=1e-12)


def test_rate_fixed_and_loc_fixed():
    x = _x()
    n, m = x.size, x.min()
    r = maxlik.fit(x, "exponential2", fixed={"rate": 0.5})
    got = r.conf_int(method="exact")
    assert list(got) == ["loc"]
    np.testing.assert_allclose(got["loc"], (m - math.log(1 / 0.05) / (n * 0.5), m), rtol=1e-12)
    r = maxlik.fit(x, "exponential2", fixed={"loc": 2.5})
    lo, hi = st.chi2.ppf([0.025, 0.975], 2 * n) / (2 * np.sum(x - 2.5))
    np.testing.assert_allclose(r.conf_int(method="exact")["rate"], (lo, hi), rtol=1e-12)


def test_summary_table_uses_the_exact_intervals_and_says_so():
    x = _x()
    r = maxlik.fit(x, "exponential2")
    text = r.summary()
    assert "intervals: loc: exact one-sided [min(x) - F(level; 2, 2n-2) E/(n(n-1))," in text
    row = next(row for row in r.rows() if row.label == "loc")
    assert (row.low, row.high) == pytest.approx(r.conf_int(method="exact")["loc"], rel=1e-12)
    assert r.conf_int()["loc"] != pytest.approx(r.conf_int(method="exact")["loc"])  # Wald stays on offer


def test_exact_needs_a_family_that_has_it():
    with pytest.raises(ParameterError, match=r"conf_int: method='exact' needs a family with exact intervals "
                                             r"\(e\.g\. exponential2\); got Normal\. Use method='wald' or 'profile'\."):
        maxlik.fit(_x(), "normal").conf_int(method="exact")
