"""LinearRegression: least squares read as Gaussian-noise maximum likelihood.

Model: yₙ = xₙᵀβ + εₙ, εₙ ~ Normal(0, σ²); weights are frequencies, ℓ = Σ wₙ log N(yₙ | xₙᵀβ, σ²).
The MLE of β is weighted least squares; the MLE of σ² is RSS/Σw (``sigma="mle"``, the default) and RSS/(Σw − p) is the ``sigma="unbiased"``
option (the convention of NIST, statsmodels OLS and R's lm). Cov(β̂) = σ̂² (XᵀWX)⁻¹.

The solver (see ``_lstsq``) is pivoted Householder QR with iterative refinement in extended
precision: on all 11 NIST StRD linear problems the coefficients and standard errors agree with
the certified values to at least 7 significant digits (Filip, Wampler5 included).
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context

from ..errors import DegenerateFitError
from ._lstsq import lstsq
from ._hyperparams import OneOf
from ._regression_base import NEWTON_PARAMS, RegressionBase
from ..results import Z, student_t
from ._result import RegressionResult
from ._names import set_feature_names
from ._sourced import SourceScore, adopt_columns, source_of
from ._stream_linear import solve_source


class LinearRegression(SourceScore, RegressorMixin, RegressionBase, BaseEstimator):
    """Ordinary / weighted least squares as a Gaussian likelihood.

    Parameters
    ----------
    fit_intercept : bool, default True
    sigma : {"mle", "unbiased"}, default "mle"
        Noise variance estimate used for the standard errors: RSS/N (MLE) or RSS/(N − p).

    Attributes
    ----------
    coef_ (d,), intercept_ (float), sigma2_ (float), result_ (RegressionResult),
    n_features_in_, feature_names_in_ (DataFrame input only), cond_ (condition number of the
    column-scaled design).
    """

    _owner = "LinearRegression"
    _parameter_constraints: dict = {
        "fit_intercept": NEWTON_PARAMS["fit_intercept"],
        "sigma": [OneOf(["mle", "unbiased"])],  # 'mle' divides the RSS by N, 'unbiased' by N - p
    }

    def __init__(self, fit_intercept=True, sigma="mle"):
        self.fit_intercept = fit_intercept
        self.sigma = sigma

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None, feature_names=None, *, target=None):
        """X (n, d), y (n,), sample_weight (n,) or None. X may be a data source
        (``maxlik.scan(..., target="y")``, a Dask array with y, a Dask DataFrame with
        ``target=``): one pass of a merged QR factor (:mod:`._stream_linear`)."""
        src = source_of(self._owner, X, y, sample_weight, target)
        if src is not None:
            d = adopt_columns(self, src)
            if feature_names is not None:
                set_feature_names(self, feature_names, d)
            b, C, rss, rank, cond, totals = solve_source(src, self.fit_intercept)
            return self._finish(b, C, rss, rank, cond, d + int(self.fit_intercept), totals.weight, totals.count,
                                "streamed householder-qr (tsqr)")
        X, y, w = self._validate_fit(X, y, sample_weight, names=feature_names)
        A = self._design(X)
        keep = w > 0
        n_pos, p = int(keep.sum()), A.shape[1]
        self._check_rows(n_pos, p)
        sw = np.sqrt(w[keep])
        b, C, _, rss, rank, cond = lstsq(A[keep] * sw[:, None], y[keep] * sw)
        self._finish(b, C, rss, rank, cond, p, float(w.sum()), int(w.size), "householder-qr+refinement")
        return self._resamplable(X, y, w)

    def _finish(self, b, C, rss, rank, cond, p, N, n, method):
        """Fitted attributes from the solution b, C = (AᵀWA)⁻¹, the RSS; N = Σw, n rows."""
        if b is None:
            raise DegenerateFitError(
                f"LinearRegression: the design matrix must have full column rank ({p}); got rank {rank}. "
                "Some columns are (nearly) collinear: drop or combine them."
            )
        dof = N - p if self.sigma == "unbiased" else N
        if dof <= 0:
            raise DegenerateFitError(
                f"LinearRegression: sigma='unbiased' needs more weight than coefficients; got N = {N:g}, "
                f"p = {p}. Use sigma='mle' or add data."
            )
        s2 = rss / dof
        s2_mle = rss / N
        loglik = -0.5 * N * (math.log(2 * math.pi * s2_mle) + 1.0) if s2_mle > 0 else math.inf
        self.cond_ = cond
        self.sigma2_ = s2
        self.intercept_ = float(b[0]) if self.fit_intercept else 0.0
        self.coef_ = b[1:] if self.fit_intercept else b
        self.result_ = RegressionResult(
            model="LinearRegression (Gaussian noise)", names=self._names(), coef=b, cov=s2 * C,
            loglik=loglik, n=int(n), weight=N, n_params=p + 1, method=method,
            message="exact least-squares solution", extra={"sigma2": s2, "sigma": self.sigma},
            reference=student_t(dof) if self.sigma == "unbiased" else Z,  # t with N − p dof, as OLS
        )
        return self

    def predict(self, X):
        X = self._validate_predict(X)
        return X @ self.coef_ + self.intercept_
