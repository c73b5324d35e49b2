"""PoissonRegression: count regression by Poisson maximum likelihood with the log link.

Model: yₙ ~ Poisson(μₙ), log μₙ = xₙᵀβ. ℓ(β) = Σ wₙ [yₙηₙ − e^{ηₙ} − log Γ(yₙ + 1)], gradient
Xᵀ W (y − μ), Hessian (observed = expected for the canonical link) Xᵀ diag(wₙμₙ) X; Newton's
method; Cov(β̂) = H⁻¹. Non-integer y ≥ 0 are accepted (the quasi-Poisson fit of statsmodels GLM).
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.special import gammaln
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context

from .._validation import row_label
from ..errors import ConvergenceWarning, DegenerateFitError, SupportError
from ..optimize.glm_newton import glm_covariance, glm_newton, warm_start
from ._regression_base import NEWTON_PARAMS, RegressionBase
from ..status import Status
from ._result import RegressionResult
from ._glm import glm_pass
from ._names import set_feature_names
from ._sourced import SourceScore, adopt_columns, design, source_of
from ._stream_glm import glm_chunk_terms, newton_on_source, pass_fun, totals


def _poisson_terms(eta, y, need_var=True):
    """Per-row NLL e^η − yη (without log y!), residual μ − y and variance μ."""
    mu = np.exp(np.minimum(eta, 700.0))
    return mu - y * eta, mu - y, (mu if need_var else None)


class PoissonRegression(SourceScore, RegressorMixin, RegressionBase, BaseEstimator):
    """Poisson regression (log link) by maximum likelihood.

    Parameters: fit_intercept=True, max_iter=100, tol=1e-8 (Newton decrement, in log-likelihood units).
    Attributes: coef_ (d,), intercept_, n_iter_, converged_, result_.
    ``predict`` returns the mean μ = exp(xᵀβ); ``score`` is R² of scikit-learn's RegressorMixin.
    """

    _owner = "PoissonRegression"
    _parameter_constraints: dict = NEWTON_PARAMS

    def __init__(self, fit_intercept=True, max_iter=100, tol=1e-8):
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.positive_only = True
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None, feature_names=None, *, target=None):
        """X (n, d), y (n,) counts ≥ 0, sample_weight (n,) or None. X may be a data source
        (``maxlik.scan(..., target="y")``, a Dask array with y, a Dask DataFrame with
        ``target=``): each Newton step is one pass (:mod:`._stream_glm`)."""
        src = source_of(self._owner, X, y, sample_weight, target)
        if src is not None:
            return self._fit_source(src, feature_names)
        X, y, w = self._validate_fit(X, y, sample_weight, check_finite_X=False, names=feature_names)
        if (y < 0).any():
            i = int(np.argmax(y < 0))
            raise SupportError(
                f"{self._owner}: y must be non-negative counts; got {int((y < 0).sum())} negative value(s) "
                f"(first at {row_label(i)}: {y[i]:g}). Poisson regression models counts 0, 1, 2, ...; check the data."
            )
        self._check_positive(float(w @ y))
        p = X.shape[1] + int(self.fit_intercept)
        self._check_rows(int((w > 0).sum()), p)
        const = float(w @ gammaln(y + 1.0))
        fi = self.fit_intercept

        unit_weights = sample_weight is None

        def fun_on(Xs, ys, ws):
            def fun(beta, need):
                return glm_pass(Xs, fi, ys, None if unit_weights else ws, beta, _poisson_terms, need)[:3]
            return fun

        beta0 = np.zeros(p)
        if fi:
            beta0[0] = np.log((w @ y) / w.sum())
        # NaN/inf in X (checked below, only if the fit is not finite) must not warn on the way
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            beta0, H0 = warm_start(fun_on, X, y, w, beta0)
            beta, nll, g, H, n_iter, ok = glm_newton(fun_on(X, y, w), beta0, self.max_iter, self.tol, H0=H0)
        if not (ok and np.isfinite(nll) and np.all(np.isfinite(beta))):
            self._raise_if_X_not_finite(X)
        self._finish(beta, nll + const, H, n_iter, ok, int(w.size), float(w.sum()))
        return self._resamplable(X, y, w)

    def _finish(self, beta, nll, H, n_iter, ok, n, W):
        """Fitted attributes and ``result_`` from the Newton solution (nll with its constant)."""
        p = beta.shape[0]
        if not ok:
            warnings.warn(
                f"{self._owner}: Newton's method must converge within max_iter={self.max_iter}; it did not. "
                "Some rates may be driven to 0 (a feature separating zero counts) or features are collinear: "
                "increase max_iter, or drop those features.",
                ConvergenceWarning, stacklevel=3,
            )
        self.n_iter_, self.converged_ = int(n_iter), bool(ok)
        self.intercept_ = float(beta[0]) if self.fit_intercept else 0.0
        self.coef_ = beta[1:] if self.fit_intercept else beta
        self.result_ = RegressionResult(
            model="PoissonRegression (log link)", names=self._names(), coef=beta,
            cov=glm_covariance(H, p), loglik=-nll, n=int(n), weight=float(W), n_params=p,
            status=Status.CONVERGED if ok else Status.MAX_ITER, n_iter=int(n_iter), method="newton",
            message="converged" if ok else "did not converge",
        )
        return self

    def _check_positive(self, wy):
        if not wy > 0:
            raise DegenerateFitError(
                f"{self._owner}: y must contain at least one positive count; got all zeros. "
                "The MLE of the rate is 0 (log-rate -inf): there is nothing to fit."
            )

    def _fit_source(self, src, feature_names):
        """Newton with one pass per evaluation, started from the sample's fit."""
        d = adopt_columns(self, src)
        if feature_names is not None:
            set_feature_names(self, feature_names, d)
        tot = totals(self._owner, src, "counts")
        self._check_positive(tot.wy)
        fi, p = self.fit_intercept, d + int(self.fit_intercept)
        self._check_rows(tot.positive, p)

        def response(c):
            return np.asarray(c.y, dtype=np.float64)

        full = pass_fun(src, glm_chunk_terms(fi, _poisson_terms, response), np.zeros(p), {})
        sample = src.sample()
        Xs, ys, ws = design(sample), response(sample), sample.w

        def sample_fun(beta, need):
            return glm_pass(Xs, fi, ys, ws, beta, _poisson_terms, need)[:3]

        beta0 = np.zeros(p)
        if fi:
            beta0[0] = np.log(tot.wy / tot.weight)
        Ws = float(len(ys) if ws is None else ws.sum())
        beta, nll, g, H, n_iter, ok = newton_on_source(src, sample_fun, full, beta0, self.max_iter, self.tol, Ws, tot.weight)
        return self._finish(beta, nll + tot.wlg, H, n_iter, ok, tot.count, tot.weight)

    def predict(self, X):
        X = self._validate_predict(X)
        return np.exp(X @ self.coef_ + self.intercept_)
