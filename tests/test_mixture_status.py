"""GaussianMixture.result_'s status is honest about a fit that is not a proper maximum: a
component collapsed onto identical values (a spurious spike of the unbounded likelihood) is
DEGENERATE, a component whose weight vanished is BOUNDARY (the fit is the (K−1)-component
limit); before, both were reported CONVERGED beside a DegenerateFitWarning."""

from __future__ import annotations

import warnings

import numpy as np

import maxlik
from maxlik.models._mixture_degeneracy import diagnose, is_vanished
from maxlik.status import Status


def test_a_spike_is_degenerate_not_converged():
    X = np.random.default_rng(0).normal(size=(300, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = maxlik.GaussianMixture(2, means_init=np.array([[0.0, 0.0], [4.5, 4.5]]), weights_init=[0.999, 0.001],
                                   random_state=0).fit(X)
        r = g.result_
    assert g.degenerate_ is not None and "must keep a spread in every direction" in g.degenerate_
    assert r.status is Status.DEGENERATE and not r.converged
    assert r.message.startswith("EM converged after") and g.degenerate_ in r.message
    assert Status.parse(r.to_dict()["status"]) is Status.DEGENERATE


def test_a_vanished_weight_is_the_boundary():
    cov = np.repeat(np.eye(2)[None], 3, axis=0)
    why = diagnose(np.array([0.6, 0.4, 1e-9]), cov, reg_covar=1e-6, data_var=np.ones(2), covariance_type="full", n=100)
    assert is_vanished(why) and "the 2-component mixture of the other components" in why
    spike = diagnose(np.array([0.5, 0.5]), np.stack([np.eye(2), np.diag([1.0, 1e-12])]), reg_covar=0.0,
                     data_var=np.ones(2), covariance_type="full", n=100)
    assert spike is not None and not is_vanished(spike)
