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
from ..status import Status
from ._result import RegressionResult
from ._names import set_feature_names
from ._sourced import SourceScore, adopt_columns, source_of
from ._stream_linear import solve_source

PERFECT_FIT = ("LinearRegression: the residuals are all 0 up to rounding (a perfect fit of {n} rows with {p} "
               "coefficients), so the noise variance σ̂² is 0 and the log-likelihood is +inf: the coefficients are exact, the Gaussian "
               "likelihood, its standard errors and AIC/BIC are degenerate. Add data, or check that y is not a "
               "column of X.")


def perfect_fit(rss: float, yy: float, n_pos: int, p: int) -> bool:
    """Every residual 0 up to rounding: as many rows as coefficients (y is interpolated), or an RSS
    within the rounding of y itself (RSS ≤ (n·ε)²·Σ w y², ε the float64 epsilon). There σ̂² is
    0 or rounding noise and ℓ = −(N/2)(log 2πσ̂² + 1) is +inf or as large as the rounding makes it."""
    return n_pos <= p or not rss > (n_pos * np.finfo(float).eps) ** 2 * yy


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
            yy = float(np.sum(totals.R[:, -1] ** 2))  # Σ w y² = ‖z‖² + ρ² of the factor of [A | y]
            return self._finish(b, C, rss, rank, cond, d + int(self.fit_intercept), totals.weight, totals.count,
                                "streamed householder-qr (tsqr)", yy, totals.positive)
        X, y, w = self._validate_fit(X, y, sample_weight, names=feature_names)
        A = self._design(X)
        keep = w > 0
        n_pos, p = int(keep.sum()), A.shape[1]
        self._check_rows(n_pos, p)
        sw = np.sqrt(w[keep])
        b, C, _, rss, rank, cond = lstsq(A[keep] * sw[:, None], y[keep] * sw)
        self._finish(b, C, rss, rank, cond, p, float(w.sum()), int(w.size), "householder-qr+refinement",
                     float(w[keep] @ (y[keep] * y[keep])), n_pos)
        return self._resamplable(X, y, w)

    def _finish(self, b, C, rss, rank, cond, p, N, n, method, yy, n_pos):
        """Fitted attributes from the solution b, C = (AᵀWA)⁻¹, the RSS; N = Σw, n rows, yy = Σ w y²,
        n_pos rows of positive weight."""
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
        status, message = Status.CLOSED_FORM, "exact least-squares solution"
        if perfect_fit(rss, yy, n_pos, p):
            status, message, loglik = Status.DEGENERATE, PERFECT_FIT.format(n=n_pos, p=p), math.inf
        self.cond_ = cond
        self.sigma2_ = s2
        self.intercept_ = float(b[0]) if self.fit_intercept else 0.0
        self.coef_ = b[1:] if self.fit_intercept else b
        self.result_ = RegressionResult(
            model="LinearRegression (Gaussian noise)", names=self._names(), coef=b, cov=s2 * C,
            loglik=loglik, n=int(n), weight=N, n_params=p + 1, method=method,
            status=status, message=message, extra={"sigma2": s2, "sigma": self.sigma},
            reference=student_t(dof) if self.sigma == "unbiased" else Z,  # t with N − p dof, as OLS
        )
        return self

    def predict(self, X):
        X = self._validate_predict(X)
        return X @ self.coef_ + self.intercept_
