"""ClassifierResult: named estimates, standard errors and the summary of a GaussianClassifier.

Standard errors are the closed-form asymptotic ones of the MLE (inverse Fisher information):

    se(μₖⱼ)  = sqrt(Σₖ,ⱼⱼ / Wₖ)
    se(Σₖ,ᵢⱼ) = sqrt((Σₖ,ᵢᵢ Σₖ,ⱼⱼ + Σₖ,ᵢⱼ²) / Wₖ)   (full; the tied matrix uses W = Σ Wₖ; diag: i = j)
    se(σₖ²)   = sqrt(2 / d) σₖ² / sqrt(Wₖ)           (spherical: one variance from d·Wₖ deviations)
    se(πₖ)   = sqrt(πₖ (1 − πₖ) / W)                 (0 when priors are fixed)

They are marginal: no joint covariance is formed (``cov`` is None, with the reason). The
log-likelihood is the joint one of (x, y) at the estimate, from the per-class statistics
(Wₖ, x̄ₖ, scatter Mₖ = Σ w (x − x̄ₖ)(x − x̄ₖ)ᵀ):

    ℓ = Σₖ [Wₖ log πₖ − ½ (Wₖ (d log 2π + log|Σₖ|) + tr(Σₖ⁻¹ Mₖ))]
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..results import StoredResult
from ..status import Status
from ._names import covariance_label, covariance_pairs, feature_names
from ._covariance_models import ITERATIVE, SKLEARN, n_var_params


def _joint_loglik(est) -> float:
    d = est.means_.shape[1]
    total = 0.0
    for k, c in enumerate(est.classes_):
        st, S = est._stats[c], est.covariances_[k]
        _, logdet = np.linalg.slogdet(S)
        W = float(st.weight)
        total += W * math.log(est.class_prior_[k]) - 0.5 * (W * (d * math.log(2 * math.pi) + logdet) + np.trace(np.linalg.solve(S, st.m2)))
    return float(total)


def _covariance_entries(ct, c, S, names, n_eff):
    """(label, value, se) of the free entries of one class's covariance S (d, d), in the order
    and with the labels of :func:`._names.covariance_pairs` / :func:`._names.covariance_label`:
    full ``cov[c][f,g]`` (f ≤ g in column order), tied ``cov[tied][f,g]`` (once), diag
    ``var[c][f]``, spherical one ``var[c]``."""
    owner = "tied" if ct == "tied" else c
    out = []
    for i, j in covariance_pairs(ct, len(names)):
        if ct == "spherical":  # σ² from d·Wₖ squared deviations
            se = np.sqrt(2.0 / len(names)) * S[0, 0] / np.sqrt(n_eff)
        else:  # diag: i = j, (2 Σᵢᵢ²) / W
            se = np.sqrt((S[i, i] * S[j, j] + S[i, j] ** 2) / n_eff)
        out.append((covariance_label(ct, owner, names, i, j), float(S[i, j]), float(se)))
    return out


class ClassifierResult(StoredResult):
    """``params`` / ``stderr`` (dicts by name: ``prior[c]``, ``mean[c][feature]`` and the
    covariance: ``cov[c][f,g]`` (full), ``cov[tied][f,g]`` (tied, once, after the classes),
    ``var[c][f]`` (diag), ``var[c]`` (spherical); c the class labels, features from the data),
    ``conf_int``, ``loglik`` (joint, of x and y), ``n``, ``weight``, ``n_params``, ``aic``/``bic``,
    ``summary()`` — the :class:`~maxlik.results.Result` protocol."""

    def __init__(self, est):
        self.covariance_type = est.covariance_type
        # mclust's names: the four with a scikit-learn alias are labelled as it; the other ten list
        # each class's full matrix, their standard errors NaN (the structure couples the classes)
        model = est._model
        ct = est.covariance_type if model is None else SKLEARN.get(model, "full")
        structured = model is not None and model not in SKLEARN
        self.classes = est.classes_.tolist()
        self.feature_names = names = feature_names(est)
        W = est.class_count_
        total = W.sum()
        self.params, self._se = {}, {}
        fixed_priors = est.priors is not None
        for k, c in enumerate(self.classes):
            S = est.covariances_[k]
            n_eff = total if ct == "tied" else W[k]
            self.params[f"prior[{c}]"] = float(est.class_prior_[k])
            self._se[f"prior[{c}]"] = 0.0 if fixed_priors else float(np.sqrt(est.class_prior_[k] * (1 - est.class_prior_[k]) / total))
            for j, f in enumerate(names):
                self.params[f"mean[{c}][{f}]"] = float(est.means_[k, j])
                self._se[f"mean[{c}][{f}]"] = float(np.sqrt(S[j, j] / W[k]))
            if ct != "tied":
                entries = _covariance_entries(ct, c, S, names, n_eff)
                self._add([(lab, v, math.nan) for lab, v, _ in entries] if structured else entries)
        if ct == "tied":  # one shared matrix, after the classes' priors and means
            self._add(_covariance_entries(ct, None, est.covariances_[0], names, total))
        self.n = int(sum(int(est._stats[c].count) for c in est.classes_))
        self.weight = float(total)
        self.n_params = len(self.params) - (len(self.classes) if fixed_priors else 1)  # priors sum to 1
        if structured:  # mclust's count (nVarParams) for the covariances
            K, d = est.means_.shape
            self.n_params = n_var_params(model, d, K) + K * d + (0 if fixed_priors else K - 1)
        self.loglik = _joint_loglik(est)
        self.status, self.message = Status.CLOSED_FORM, Status.CLOSED_FORM.message
        if model in ITERATIVE:  # an MLE too, but from mclust's iterative M-step
            self.status, self.message = Status.CONVERGED, f"maximum likelihood estimate by the iterative {model} M-step"
        self._cov, self._labels = None, []
        self._cov_reason = "the classifier has marginal standard errors only (no joint covariance)"

    def _add(self, entries) -> None:
        for key, value, se in entries:
            self.params[key], self._se[key] = value, se

    @property
    def title(self) -> str:
        return f"GaussianClassifier(covariance_type={self.covariance_type!r}), classes {self.classes}"

    @property
    def owner(self) -> str:
        return "GaussianClassifier"

    @property
    def stderr_(self) -> dict:
        warnings.warn("ClassifierResult.stderr_ is deprecated; use stderr.", DeprecationWarning, stacklevel=2)
        return self.stderr

    def _extra_dict(self) -> dict:
        return {"covariance_type": self.covariance_type, "classes": list(self.classes), "feature_names": list(self.feature_names)}

    def _restore(self, d: dict) -> None:
        self.covariance_type, self.classes, self.feature_names = d["covariance_type"], list(d["classes"]), list(d["feature_names"])
