"""LogisticRegression: Bernoulli maximum likelihood with the logit link.

Model: P(yₙ = 1 | xₙ) = σ(xₙᵀβ), σ(t) = 1/(1 + e⁻ᵗ). ℓ(β) = Σ wₙ [yₙ ηₙ − log(1 + e^{ηₙ})],
gradient Xᵀ W (y − p), observed information = expected information = Xᵀ diag(wₙ pₙ(1−pₙ)) X.
Fitted by Newton's method (IRLS) with this exact Hessian; Cov(β̂) = H⁻¹.

No penalty by default: this is the MLE. ``penalty="l2"`` adds ‖β‖²/(2C) (intercept excluded) to
the negative log-likelihood — the MAP estimate under independent Normal(0, C) priors on the
slopes, scikit-learn's parametrisation — and the reported covariance is the inverse of the
penalised Hessian (the Laplace approximation of the posterior).

If the classes are (quasi-)completely separable the MLE does not exist (some coefficient goes to
±∞). This is detected with a linear program (see ``_separation``) and raised as
``DegenerateFitError`` naming the separating features, instead of returning diverged numbers.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.special import expit, log_expit
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils.multiclass import check_classification_targets

from ..errors import ConvergenceWarning, DataError, DegenerateFitError
from ._glm import glm_pass
from ..optimize.glm_newton import glm_covariance, glm_newton, warm_start
from ._regression_base import PenalisedNewtonBase
from ..status import Status
from ._result import RegressionResult
from ._separation import SUSPICIOUS_LOGIT
from ._names import set_feature_names
from ._sourced import SourceScore, adopt_columns, design, source_of
from ._stream_glm import check_separation, glm_chunk_terms, newton_on_source, pass_fun, totals


def _logistic_terms(eta, y, need_var=True):
    """Per-row NLL log(1 + e^η) − yη, residual σ(η) − y, and (if ``need_var``) the variance
    σ(η)(1 − σ(η)), from one overflow-free exponential e = exp(−|η|): log(1 + e^η) =
    max(η, 0) + log1p(e), σ(η) = 1/(1 + e) for η ≥ 0 and e/(1 + e) otherwise, σ(1 − σ) = e/(1 + e)²."""
    e = np.exp(-np.abs(eta))
    inv = 1.0 / (1.0 + e)
    mu = np.where(eta >= 0, inv, e * inv)
    nll = np.maximum(eta, 0.0) + np.log1p(e) - y * eta
    return nll, mu - y, (e * inv * inv if need_var else None)


def weighted_gram(A, v):
    """Aᵀ diag(v) A for A (n, p), v (n,) ≥ 0, as (√v·A)ᵀ(√v·A)."""
    B = A * np.sqrt(v)[:, None]
    return B.T @ B


def binary_labels(owner, y, w):
    """Map labels to {0, 1}: classes_ = np.unique(y) must have exactly two entries, both with
    positive weight."""
    check_classification_targets(y)
    classes = np.unique(y)
    positive = w > 0
    has_weight = None
    if classes.size == 2 and not positive.all():
        has_weight = np.array([positive[y == c].any() for c in classes])
    classes = binary_classes(owner, classes, has_weight)
    return classes, (y == classes[1]).astype(np.float64)


def binary_classes(owner, classes, has_weight=None):
    """The two classes among the sorted labels ``classes``; ``has_weight`` (bool per label, or
    None for all True): a label whose rows all have weight 0 is not a class."""
    if classes.size == 2 and has_weight is not None and not has_weight.all():
        classes = classes[has_weight]
    if classes.size != 2:
        raise DataError(
            f"{owner}: y must contain exactly 2 classes; got {classes.size} class{'es' * (classes.size > 1)} "
            f"({', '.join(map(repr, classes[:5].tolist()))}{' ...' if classes.size > 5 else ''}). "
            "Only binary classification is supported: pass two labels (e.g. 0/1), or use "
            "SoftmaxRegression for more than two classes."
        )
    return classes


class LogisticRegression(SourceScore, ClassifierMixin, PenalisedNewtonBase, BaseEstimator):
    """Binary logistic regression by maximum likelihood (Newton / IRLS with the exact Hessian).

    Parameters
    ----------
    fit_intercept : bool, default True
    penalty : None or "l2", default None (pure MLE)
    C : float > 0, default 1.0 — prior variance of each slope when penalty="l2"
    max_iter : int, default 100
    tol : float, default 1e-8 — stop when the Newton decrement gᵀH⁻¹g/2 (predicted NLL decrease)
        is below tol; one last Newton step is then taken

    Attributes
    ----------
    classes_ (2,), coef_ (1, d), intercept_ (1,), n_iter_, converged_, result_
    """

    _owner = "LogisticRegression"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None, feature_names=None, *, target=None):
        """X (n, d), y (n,) two labels, sample_weight (n,) or None. X may be a data source
        (``maxlik.scan(..., target="label")``, a Dask array with y, a Dask DataFrame with
        ``target=``): each Newton step is one pass (:mod:`._stream_glm`)."""
        src = source_of(self._owner, X, y, sample_weight, target)
        if src is not None:
            return self._fit_source(src, feature_names)
        X, y, w = self._validate_fit(X, y, sample_weight, y_numeric=False, check_finite_X=False, names=feature_names)
        self.classes_, t = binary_labels(self._owner, y, w)
        p = X.shape[1] + int(self.fit_intercept)
        lam = self._penalty(p)
        fi = self.fit_intercept

        unit_weights = sample_weight is None
        last_hess_pass = {}  # max |η| of the latest full-data Hessian pass, for the separation check

        def fun_on(Xs, ts, ws):
            def fun(beta, need):
                nll, g, H, eta_max = glm_pass(Xs, fi, ts, None if unit_weights else ws, beta, _logistic_terms, need)
                if need == "hess" and Xs is X:
                    last_hess_pass["eta_max"] = eta_max
                nll += 0.5 * float(lam @ beta**2)
                g = None if g is None else g + lam * beta
                H = None if H is None else H + np.diag(lam)
                return nll, g, H
            return fun

        beta0 = np.zeros(p)
        if fi:
            m = float(np.clip((w @ t) / w.sum(), 1e-10, 1 - 1e-10))
            beta0[0] = np.log(m / (1 - m))
        # NaN/inf in X (checked below, only if the fit is not finite) must not warn on the way
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            beta0, H0 = warm_start(fun_on, X, t, w, beta0)
            beta, nll, g, H, n_iter, ok = glm_newton(fun_on(X, t, w), beta0, self.max_iter, self.tol, H0=H0)
        if not (ok and np.isfinite(nll) and np.all(np.isfinite(beta))):
            self._raise_if_X_not_finite(X)
        if "eta_max" in last_hess_pass:  # at the last Hessian's point, one Newton correction from β̂
            eta_max = last_hess_pass["eta_max"]
        else:
            eta_max = np.max(np.abs(X[w > 0] @ beta[int(fi):] + (beta[0] if fi else 0.0)), initial=0.0)
        if self.penalty is None and (not ok or eta_max > SUSPICIOUS_LOGIT):
            keep = w > 0
            check_separation(self._owner, self._design(X[keep]), 2.0 * t[keep] - 1.0, self._names())
        self._finish(beta, nll, H, n_iter, ok, lam, int(w.size), float(w.sum()))
        return self._resamplable(X, y, w)

    def _penalty(self, p):
        lam = np.zeros(p)
        if self.penalty == "l2":
            lam[int(self.fit_intercept):] = 1.0 / self.C
        return lam

    def _fit_source(self, src, feature_names):
        """Newton with one pass per evaluation; start, Hessian and separation check from the sample."""
        d = adopt_columns(self, src)
        if feature_names is not None:
            set_feature_names(self, feature_names, d)
        tot = totals(self._owner, src, "labels")
        labels = np.array(sorted(tot.labels))
        self.classes_ = binary_classes(self._owner, labels, np.array([tot.labels[c] > 0 for c in labels.tolist()]))
        positive = self.classes_[1]
        fi, p = self.fit_intercept, d + int(self.fit_intercept)
        lam = self._penalty(p)

        def response(c):
            return (np.asarray(c.y) == positive).astype(np.float64)

        seen = {}
        full = pass_fun(src, glm_chunk_terms(fi, _logistic_terms, response), lam, seen)
        sample = src.sample()
        Xs, ts, ws = design(sample), response(sample), sample.w
        Ws = float(len(ts) if ws is None else ws.sum())

        def sample_fun(beta, need):
            nll, g, H, _ = glm_pass(Xs, fi, ts, ws, beta, _logistic_terms, need)
            lam_s = lam * (Ws / tot.weight)
            return nll + 0.5 * float(lam_s @ beta**2), None if g is None else g + lam_s * beta, None if H is None else H + np.diag(lam_s)

        beta0 = np.zeros(p)
        if fi:
            m = float(np.clip(tot.labels[positive] / tot.weight, 1e-10, 1 - 1e-10))
            beta0[0] = np.log(m / (1 - m))
        beta, nll, g, H, n_iter, ok = newton_on_source(src, sample_fun, full, beta0, self.max_iter, self.tol, Ws, tot.weight)
        if self.penalty is None and (not ok or seen.get("eta_max", np.inf) > SUSPICIOUS_LOGIT):
            keep = np.ones(len(ts), bool) if ws is None else ws > 0
            check_separation(self._owner, self._design(Xs[keep]), 2.0 * ts[keep] - 1.0, self._names())
        return self._finish(beta, nll, H, n_iter, ok, lam, tot.count, tot.weight)

    def _finish(self, beta, nll, H, n_iter, ok, lam, n, W):
        """Fitted attributes and ``result_`` from the Newton solution (nll penalised)."""
        p = beta.shape[0]
        cov = glm_covariance(H, p)
        if not ok:
            warnings.warn(
                f"{self._owner}: Newton's method must converge within max_iter={self.max_iter}; it did not "
                "(the Hessian may be singular: collinear features). Increase max_iter, drop collinear "
                "features, or use penalty='l2'.",
                ConvergenceWarning, stacklevel=3,
            )
        self.n_iter_, self.converged_ = int(n_iter), bool(ok)
        self.intercept_ = np.array([beta[0] if self.fit_intercept else 0.0])
        self.coef_ = (beta[1:] if self.fit_intercept else beta)[None, :]
        label = "MAP, Gaussian prior" if self.penalty else "Bernoulli MLE"
        self.result_ = RegressionResult(
            model=f"LogisticRegression ({label})", names=self._names(), coef=beta, cov=cov,
            loglik=-(nll - 0.5 * float(lam @ beta**2)), n=int(n), weight=float(W), n_params=p, status=Status.CONVERGED if ok else Status.MAX_ITER,
            n_iter=int(n_iter), method="newton", message="converged" if ok else "did not converge",
        )
        return self

    def decision_function(self, X):
        X = self._validate_predict(X)
        return X @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, X):
        eta = self.decision_function(X)
        return np.column_stack([expit(-eta), expit(eta)])

    def predict_log_proba(self, X):
        eta = self.decision_function(X)
        return np.column_stack([log_expit(-eta), log_expit(eta)])

    def predict(self, X):
        positive = self.decision_function(X) > 0
        return self.classes_[positive.astype(int)]
