"""SoftmaxRegression: multinomial logistic regression (categorical likelihood, cross-entropy).

Model: P(yₙ = k | xₙ) = softmax(ηₙ)ₖ with ηₙₖ = xₙᵀβₖ for k = 1..K−1 and η₀ = 0: the first class
(``classes_[0]``) is the reference, as in statsmodels MNLogit, so the (K−1)·p coefficients are
identifiable and have standard errors. ℓ = Σ wₙ log P(yₙ | xₙ). Newton's method with the exact
Hessian, blocks H_{kl} = Xᵀ diag(wₙ pₙₖ(δₖₗ − pₙₗ)) X; Cov = H⁻¹ (coefficients ordered class-major:
all of class 1, then class 2, ...; names "<feature>[<class>]").
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils.multiclass import check_classification_targets

from ..errors import ConvergenceWarning, DataError
from ..optimize.glm_newton import glm_covariance, glm_newton
from ._regression_base import PenalisedNewtonBase
from ..status import Status
from ._result import RegressionResult
from ._separation import SUSPICIOUS_LOGIT
from ._names import set_feature_names
from ._sourced import SourceScore, adopt_columns, design, source_of
from ._stream_glm import check_separation, newton_on_source, pass_fun, totals
from .logistic import weighted_gram


def softmax_terms(A, Y, w, theta, need):
    """Unpenalised NLL −Σ wₙ log P(yₙ | xₙ), gradient and Hessian (blocks Aᵀ diag(wₙ pₙₖ(δₖₗ − pₙₗ)) A)
    for the design A (n, p), one-hot labels Y (n, K), weights w (n,) and θ ((K−1)·p,);
    ``need`` as in glm_newton (entries not asked for are None)."""
    n, p = A.shape
    m = Y.shape[1] - 1
    eta = np.hstack([np.zeros((n, 1)), A @ theta.reshape(m, p).T])
    nll = -float(w @ np.sum(Y * log_softmax(eta, axis=1), axis=1))
    if need == "nll":
        return nll, None, None
    P = softmax(eta, axis=1)[:, 1:]
    g = (((P - Y[:, 1:]) * w[:, None]).T @ A).ravel()
    if need == "grad":
        return nll, g, None
    H = np.empty((m * p, m * p))
    for k in range(m):
        for l in range(k, m):
            v = w * P[:, k] * ((k == l) - P[:, l])
            blk = weighted_gram(A, v) if k == l else A.T @ (A * v[:, None])
            H[k * p:(k + 1) * p, l * p:(l + 1) * p] = blk
            H[l * p:(l + 1) * p, k * p:(k + 1) * p] = blk.T
    return nll, g, H


class SoftmaxRegression(SourceScore, ClassifierMixin, PenalisedNewtonBase, BaseEstimator):
    """Multinomial logistic regression by maximum likelihood (reference class = classes_[0]).

    Parameters: fit_intercept=True, penalty=None | "l2", C=1.0, max_iter=100, tol=1e-8 (Newton
    decrement, in log-likelihood units).
    ``penalty="l2"`` adds ‖β‖²/(2C) over the non-reference slopes (intercepts excluded): the MAP
    estimate under Normal(0, C) priors, as in LogisticRegression. (scikit-learn's multinomial
    penalty is symmetric over all K classes, so its penalised fit differs from this one.)
    Attributes: classes_ (K,), coef_ (K, d) and intercept_ (K,) with row 0 (reference) zero,
    n_iter_, converged_, result_.
    """

    _owner = "SoftmaxRegression"

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None, feature_names=None, *, target=None):
        """X (n, d), y (n,) labels, sample_weight (n,) or None. X may be a data source
        (``maxlik.scan(..., target="label")``, a Dask array with y, a Dask DataFrame with
        ``target=``): each Newton step is one pass (:mod:`._stream_glm`)."""
        src = source_of(self._owner, X, y, sample_weight, target)
        if src is not None:
            return self._fit_source(src, feature_names)
        X, y, w = self._validate_fit(X, y, sample_weight, y_numeric=False, names=feature_names)
        check_classification_targets(y)
        self.classes_, code = np.unique(y, return_inverse=True)
        K = self.classes_.size
        self._check_present(np.unique(code[w > 0]))
        A = self._design(X)
        n, p = A.shape
        if self.penalty is None:
            self._check_rows(int((w > 0).sum()), p)
        Y = np.zeros((n, K))
        Y[np.arange(n), code] = 1.0
        m = K - 1
        lam = self._penalty(m, p)

        def logits(theta):
            return np.hstack([np.zeros((n, 1)), A @ theta.reshape(m, p).T])

        def fun(theta, need):
            nll, g, H = softmax_terms(A, Y, w, theta, need)
            nll += 0.5 * float(lam @ theta**2)
            return nll, None if g is None else g + lam * theta, None if H is None else H + np.diag(lam)

        theta0 = np.zeros((m, p))
        if self.fit_intercept:
            freq = np.clip((w @ Y) / w.sum(), 1e-10, None)
            theta0[:, 0] = np.log(freq[1:] / freq[0])
        theta, nll, g, H, n_iter, ok = glm_newton(fun, theta0.ravel(), self.max_iter, self.tol)
        eta = logits(theta)
        if self.penalty is None and (not ok or np.ptp(eta, axis=1).max(initial=0.0) > SUSPICIOUS_LOGIT):
            self._check_separation(A[w > 0], code[w > 0])
        self._finish(theta, nll, H, n_iter, ok, lam, p, int(w.size), float(w.sum()))
        return self._resamplable(X, y, w)

    def _check_present(self, present):
        if present.size < 2:
            raise DataError(
                f"{self._owner}: y must contain at least 2 classes with positive weight; got 1 class "
                f"({self.classes_.tolist()[present[0]]!r}). A classifier needs examples of more than one class."
            )

    def _penalty(self, m, p):
        lam = np.zeros((m, p))
        if self.penalty == "l2":
            lam[:, int(self.fit_intercept):] = 1.0 / self.C
        return lam.ravel()

    def _check_separation(self, A, code):
        """A class separable from the rest (rows A with class codes) makes the MLE diverge."""
        for k in range(self.classes_.size):
            s = np.where(code == k, 1.0, -1.0)
            check_separation(self._owner, A, s, self._names(), kind_of=self.classes_.tolist()[k])

    def _fit_source(self, src, feature_names):
        """Newton with one pass per evaluation; start and separation check from the sample."""
        d = adopt_columns(self, src)
        if feature_names is not None:
            set_feature_names(self, feature_names, d)
        tot = totals(self._owner, src, "labels")
        self.classes_ = np.array(sorted(tot.labels))
        K, fi = self.classes_.size, self.fit_intercept
        freq = np.array([tot.labels[c] for c in self.classes_.tolist()])
        self._check_present(np.flatnonzero(freq > 0))
        p = d + int(fi)
        if self.penalty is None:
            self._check_rows(tot.positive, p)
        m, classes = K - 1, self.classes_
        lam = self._penalty(m, p)

        def parts(c):
            X = design(c)
            A = np.hstack([np.ones((X.shape[0], 1)), X]) if fi else X
            Y = np.zeros((len(A), K))
            Y[np.arange(len(A)), np.searchsorted(classes, np.asarray(c.y))] = 1.0
            return A, Y, np.ones(len(A)) if c.w is None else c.w

        def chunk_terms(c, theta, need):
            return (*softmax_terms(*parts(c), theta, need), None)

        full = pass_fun(src, chunk_terms, lam, {})
        sample = src.sample()
        As, Ys, ws = parts(sample)
        Ws = float(ws.sum())

        def sample_fun(theta, need):
            lam_s = lam * (Ws / tot.weight)
            nll, g, H = softmax_terms(As, Ys, ws, theta, need)
            return nll + 0.5 * float(lam_s @ theta**2), None if g is None else g + lam_s * theta, None if H is None else H + np.diag(lam_s)

        theta0 = np.zeros((m, p))
        if fi:
            f = np.clip(freq / tot.weight, 1e-10, None)
            theta0[:, 0] = np.log(f[1:] / f[0])
        theta, nll, g, H, n_iter, ok = newton_on_source(src, sample_fun, full, theta0.ravel(), self.max_iter, self.tol,
                                                        Ws, tot.weight)
        if self.penalty is None:
            eta = As @ theta.reshape(m, p).T
            spread = np.ptp(np.hstack([np.zeros((len(As), 1)), eta]), axis=1).max(initial=0.0)
            if not ok or spread > SUSPICIOUS_LOGIT:
                keep = ws > 0
                self._check_separation(As[keep], np.argmax(Ys[keep], axis=1))
        return self._finish(theta, nll, H, n_iter, ok, lam, p, tot.count, tot.weight)

    def _finish(self, theta, nll, H, n_iter, ok, lam, p, n, W):
        """Fitted attributes and ``result_`` from the Newton solution (nll penalised)."""
        K = self.classes_.size
        m = K - 1
        names = self._names()
        if not ok:
            warnings.warn(
                f"{self._owner}: Newton's method must converge within max_iter={self.max_iter}; it did not. "
                "Increase max_iter or drop collinear features.",
                ConvergenceWarning, stacklevel=3,
            )
        B = np.vstack([np.zeros(p), theta.reshape(m, p)])
        self.n_iter_, self.converged_ = int(n_iter), bool(ok)
        self.intercept_ = B[:, 0] if self.fit_intercept else np.zeros(K)
        self.coef_ = B[:, 1:] if self.fit_intercept else B
        self.result_ = RegressionResult(
            model=f"SoftmaxRegression ({'MAP, Gaussian prior' if self.penalty else 'categorical MLE'}; reference class {self.classes_.tolist()[0]!r})",
            names=[f"{nm}[{c}]" for c in self.classes_[1:] for nm in names], coef=theta,
            cov=glm_covariance(H, m * p), loglik=-(nll - 0.5 * float(lam @ theta**2)), n=int(n), weight=float(W), n_params=m * p,
            status=Status.CONVERGED if ok else Status.MAX_ITER, n_iter=int(n_iter), method="newton",
            message="converged" if ok else "did not converge",
        )
        return self

    def _logits(self, X):
        X = self._validate_predict(X)
        return X @ self.coef_.T + self.intercept_

    def decision_function(self, X):
        """Logits (n, K) relative to the reference class; for K = 2, scikit-learn's (n,) score
        of the second class."""
        eta = self._logits(X)
        return eta[:, 1] if eta.shape[1] == 2 else eta

    def predict_log_proba(self, X):
        return log_softmax(self._logits(X), axis=1)

    def predict_proba(self, X):
        return softmax(self._logits(X), axis=1)

    def predict(self, X):
        best = np.argmax(self._logits(X), axis=1)
        return self.classes_[best]
