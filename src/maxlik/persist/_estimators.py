"""The estimator kinds: a fitted estimator is its hyper-parameters (``get_params()``) plus the
fitted attributes listed here for its class, each restored as it was; what is derived from them
(the classifier's scorer, the mixture's family) is rebuilt, and the mixture's ``result_`` (whose
standard errors need the training data) is computed before saving and stored.

A file may hold only the attributes listed for its class: no other name is set on a loaded object.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ..families.mvnormal import MultivariateNormal, MultivariateNormalStats
from ..models import (GaussianClassifier, GaussianMixture, LinearRegression, LogisticRegression, PoissonRegression,
                      SoftmaxRegression)
from ._registry import Invalid, field, register

_COMMON = ("n_features_in_", "feature_names_in_", "_feature_names")
_GLM = ("classes_", "n_iter_", "converged_", "intercept_", "coef_", "result_")
ATTRIBUTES = {
    GaussianClassifier: ("classes_", "_stats", "class_count_", "class_prior_", "means_", "covariances_", "result_"),
    GaussianMixture: ("_floor", "_small", "weights_", "means_", "covariances_", "precisions_cholesky_", "precisions_",
                      "converged_", "n_iter_", "lower_bounds_", "lower_bound_", "_loglik", "result_"),
    LinearRegression: ("cond_", "sigma2_", "intercept_", "coef_", "result_"),
    LogisticRegression: _GLM,
    PoissonRegression: _GLM[1:],  # no classes_
    SoftmaxRegression: _GLM,
}


_ARRAYS = {"classes_", "class_count_", "class_prior_", "means_", "covariances_", "weights_", "precisions_cholesky_",
           "precisions_", "lower_bounds_", "coef_", "_floor", "feature_names_in_"}
_TYPES = {**dict.fromkeys(_ARRAYS, np.ndarray), "intercept_": (np.ndarray, float), "cond_": float, "sigma2_": float,
          "lower_bound_": float, "_loglik": float, "n_features_in_": int, "n_iter_": int, "converged_": bool,
          "_small": bool, "_feature_names": (list, type(None)), "_stats": dict}


def _check_type(name: str, v, cls: type):
    """``v`` as the attribute ``name`` of ``cls`` must be: an ndarray, a float (an int is taken as
    one), an int, a bool, a list of names, or the estimator's Result."""
    want = _TYPES.get(name)
    if want is None:  # result_
        from ..results import Result

        ok = isinstance(v, Result)
        what = "a result (a nested FitResult, RegressionResult, ...)"
    else:
        want = want if isinstance(want, tuple) else (want,)
        if float in want and isinstance(v, int) and not isinstance(v, bool):
            v = float(v)
        ok = isinstance(v, want) and not (isinstance(v, bool) and bool not in want)
        what = " or ".join({np.ndarray: "an array", float: "a number", int: "an integer", bool: "true or false",
                            list: "a list of names", dict: "an object", type(None): "null"}[t] for t in want)
    if not ok:
        raise Invalid(f"state.fitted.{name}", f"{what} for a {cls.__name__}; got {type(v).__name__}")
    return v


def _estimator_state(est) -> dict:
    check_is_fitted(est)
    names = (*_COMMON, *ATTRIBUTES[type(est)])
    return {"params": est.get_params(deep=False), "fitted": {k: getattr(est, k) for k in names if hasattr(est, k)}}


def _estimator(cls):
    def from_state(state: dict):
        params, fitted = field(state, "params", dict), field(state, "fitted", dict)
        est = cls()
        unknown = sorted(set(params) - set(est.get_params(deep=False)))
        if unknown:
            raise Invalid(f"state.params.{unknown[0]}", f"a hyper-parameter of {cls.__name__}")
        est.set_params(**params)
        allowed = (*_COMMON, *ATTRIBUTES[cls])
        for k, v in fitted.items():
            if k not in allowed:
                raise Invalid(f"state.fitted.{k}", f"a fitted attribute of {cls.__name__} ({', '.join(allowed)})")
            setattr(est, "_result" if (cls is GaussianMixture and k == "result_") else k, _check_type(k, v, cls))
        missing = [k for k in ATTRIBUTES[cls] if k not in fitted]
        if missing:
            raise Invalid(f"state.fitted.{missing[0]}", "present")
        _FINISH.get(cls, lambda e: None)(est)
        return est

    return from_state


def _finish_classifier(est: GaussianClassifier) -> None:
    stats = est._stats
    if not isinstance(stats, dict) or not all(isinstance(s, MultivariateNormalStats) for s in stats.values()):
        raise Invalid("state.fitted._stats", "an object of MultivariateNormalStats by class")
    est._scorer_obj = est._make_scorer()


def _finish_mixture(est: GaussianMixture) -> None:
    est._resolve_model(est.means_.shape[1])  # an mclust name: its model, and the family's covariance type
    est._family = MultivariateNormal(covariance_type=est._sk_type, reg_covar=float(est.reg_covar))
    est._fit_data = None  # result_ is restored; nothing else reads the training data


_FINISH = {GaussianClassifier: _finish_classifier, GaussianMixture: _finish_mixture}


def _stats_state(s: MultivariateNormalStats) -> dict:
    return {f.name: getattr(s, f.name) for f in dataclasses.fields(s)}


def _stats(state: dict) -> MultivariateNormalStats:
    hi = field(state, "mean_hi", np.ndarray)
    d = hi.shape[0] if hi.ndim == 1 else -1
    lo, m2 = field(state, "mean_lo", np.ndarray), field(state, "m2", np.ndarray)
    if d < 1 or lo.shape != (d,) or m2.shape != (d, d):
        raise Invalid("state.MultivariateNormalStats", "mean_hi, mean_lo of shape (d,) and m2 of shape (d, d)")
    return MultivariateNormalStats(field(state, "count", int), field(state, "weight", float), hi, lo, m2)


for _cls in ATTRIBUTES:
    register(_cls, _estimator_state, _estimator(_cls))
register(MultivariateNormalStats, _stats_state, _stats)
