"""Groups: ``fit_groups`` over random groups equals ``fit`` on each group's rows alone — the same
status, the same estimates (closed forms to rounding, numerical maxima to 10⁻³ of a standard
error) and log-likelihoods — for data from the family, in units from 1e-150 to 1e150 where the
family is scale-equivariant, with or without integer weights (zeros included), rows of a group
not contiguous. A group whose own fit is refused is refused, or not ok, in the table.

fit_groups runs its own vectorised paths (closed forms from per-group sums, one batched Newton
over all groups), so this checks that they are the engine's equals; a hand probe found two
failures of this kind (a Student-t at 5e8 and a negative binomial near its Poisson limit: see
tests/test_fit_groups.py) before the property existed.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as hs

import maxlik
import strategies as S
from test_equivariance import LOG_SCALE, RATE, RULES, SCALE

# families whose data may be multiplied by any b > 0 (a scale, rate or log-scale parameter); the
# threshold families and the multivariate normal are not fitted group by group in a vectorised path
SCALABLE = sorted(n for n, r in RULES.items() if n not in S.THRESHOLD and n != "mvnormal"
                  and any(rule in (SCALE, RATE, LOG_SCALE) for rule in r.values()))


def _quiet_fit_groups(x, g, fam, w):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", maxlik.ConvergenceWarning)
        warnings.simplefilter("ignore", maxlik.InferenceWarning)
        try:
            return maxlik.fit_groups(x, g, fam, weights=w)
        except maxlik.MaxlikError:
            return None


def _group_result(fits, label):
    try:
        return fits[label]
    except maxlik.MaxlikError:
        return None


@pytest.mark.parametrize("name", S.NAMES)
@given(data=hs.data(), seed=hs.integers(0, 2**32 - 1))
def test_every_group_equals_its_own_fit(name, data, seed):
    _, x = data.draw(S.family_data(name, min_n=1, max_n=1000), label="params, x")
    if name in SCALABLE:
        x = x * 10.0 ** data.draw(hs.floats(-150, 150), label="log10 of the units")
    n = x.shape[0]
    cuts = data.draw(S.cuts_of(n), label="cuts")
    rng = np.random.default_rng(seed)
    g = rng.permutation(np.repeat(np.arange(len(cuts) + 1), np.diff([0, *cuts, n])))  # group sizes from the cuts
    w = data.draw(hs.none() | hs.just("integers"), label="weights")
    if w is not None:
        w = rng.integers(0, 4, n).astype(float)
    fam = S.family(name)
    fits = _quiet_fit_groups(x, g, fam, w)
    if fits is None:  # only where the data as a whole are refused (every weight 0, say)
        assert S.try_fit(x, fam, weights=w) is None, "fit_groups refuses data that fit fits"
        return
    for label in np.unique(g):
        rows = g == label
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", maxlik.InferenceWarning)
            ref = S.try_fit(x[rows], fam, weights=None if w is None else w[rows])
        got = _group_result(fits, label)
        if ref is None:
            assert got is None or not got.converged, f"group {label}: fit refuses its rows, fit_groups fits them"
            continue
        assert got is not None, f"group {label}: fit_groups refuses rows that fit fits ({ref.status.name})"
        assert got.status == ref.status, (label, got.status, ref.status, got.message, ref.message)
        if S.ok(ref):
            assert S.same_estimate(name, got, ref, x[rows]), (label, got.params, ref.params)
            assert got.loglik == pytest.approx(ref.loglik, rel=1e-12 if S.rtol_of(name) < 1e-6 else 1e-9, abs=1e-12)
