"""Named estimates and standard errors of a fitted GaussianMixture.

Standard errors come from the observed information: the Hessian H of

    ℓ(θ) = Σₙ wₙ log Σₖ πₖ N(xₙ | μₖ, Σₖ)

at the estimate, in the parameters θ = (π₀ … π_{K−2}, μ (K·d), the free covariance entries:
upper triangles row by row for "full"/"tied", diagonals for "diag", one variance per component for
"spherical"; labelled ``cov[k][f,g]``, ``cov[tied][f,g]``, ``var[k][f]``, ``var[k]``, with the
feature names of the data); Cov(θ̂) = (−H)⁻¹ and se(π_{K−1}) follows from π_{K−1} = 1 − Σ πₖ. H is computed
in closed form (:mod:`._mixture_information`; JAX autodiff above 64 features), O(n·p²) for p
free parameters, on first access of ``result_``. With ``reg_covar`` > 0 the estimate is a regularised MLE and the standard errors
are those of the likelihood at that point. Component labels are arbitrary (label switching):
standard errors describe the mode that was found. If −H is not positive definite (a saddle
point or a collapsed component) the standard errors are NaN and an InferenceWarning says why.

The result follows the :class:`~maxlik.results.Result` protocol (``cov``/``cov_labels`` over the
free parameters, i.e. without the last weight; AIC/BIC from :mod:`maxlik.criteria` with n = Σ w).
"""

from __future__ import annotations

import warnings

import numpy as np

from ..errors import InferenceWarning
from ..results import StoredResult
from ..status import Status
from ..inference import covariance_from_hessian
from ._mixture_degeneracy import is_vanished
from ._mixture_information import free_layout, hessian
from ._names import covariance_label, feature_names
from ._covariance_models import SKLEARN, canonical


class GaussianMixtureResult(StoredResult):
    """``params`` / ``stderr`` (dicts by name), ``cov`` (p × p over the free parameters,
    ``cov_labels``), ``conf_int(level)``, ``loglik`` (at the final parameters), ``aic``, ``bic``,
    ``summary()``; extras ``n_iter``, ``covariance_type``."""

    def __init__(self, est, X, w):
        K, d = est.means_.shape
        ct = est.covariance_type
        names = feature_names(est)
        covs = est._full_covariances()
        # mclust's names: the four with a scikit-learn alias have its free entries and standard
        # errors; the other ten list every component's covariance entries, without standard errors
        layout_type = SKLEARN.get(canonical(ct), "full")
        structured = est._model is not None and canonical(ct) not in SKLEARN
        layout = free_layout(layout_type, K, d)
        streamed = w is None  # X is the data source of a streamed fit: H is summed over its chunks
        center, n, W = est._stream_fit if streamed else (np.average(X, axis=0, weights=w), X.shape[0], w.sum())
        theta = np.concatenate(
            [est.weights_[:-1], (est.means_ - center).ravel(), [covs[k, a, b] for k, a, b in layout]]
        )
        if structured:
            H = None
        elif streamed:
            from ._stream_mixture import hessian_pass

            H = hessian_pass(X, center, theta, est.weights_, est.means_ - center, covs, layout_type)
        else:
            H = hessian(X - center, w, theta, est.weights_, est.means_ - center, covs, layout_type)
        self.loglik = float(est._loglik)
        self.n, self.weight = int(n), float(W)
        self.n_params = est._n_parameters()
        self.n_iter, self.covariance_type = int(est.n_iter_), ct
        self.status = Status.CONVERGED if est.converged_ else Status.MAX_ITER
        self.message = (f"EM converged after {self.n_iter} iterations" if est.converged_
                        else f"EM stopped at max_iter after {self.n_iter} iterations")
        finding = getattr(est, "degenerate_", None)
        if finding is not None:  # a spurious spike is not a maximum; a vanished weight is the (K−1) limit
            self.status = Status.BOUNDARY if is_vanished(finding) else Status.DEGENERATE
            self.message = f"{self.message}, at a fit that is not a proper maximum: {finding}"
        self._title = f"GaussianMixture(n_components={K}, covariance_type={ct!r})"
        labels = [f"weight[{k}]" for k in range(K - 1)]
        labels += [f"mean[{k}][{names[j]}]" for k in range(K) for j in range(d)]
        owner = lambda k: "tied" if layout_type == "tied" else k  # noqa: E731
        labels += [covariance_label(layout_type, owner(k), names, a, b) for k, a, b in layout]
        self._labels, self._cov_reason = labels, None
        if structured:
            self._cov_reason = (f"standard errors of mclust model {ct!r} (volume, shape and orientation "
                                "constrained) are not implemented; use a bootstrap, or VVV / EEE / VVI / VII")
        self._cov = np.full((len(theta), len(theta)), np.nan) if structured else self._invert(-H)
        values = theta.copy()
        values[K - 1 : K - 1 + K * d] += np.tile(center, K)
        se = np.sqrt(np.clip(np.diagonal(self._cov), 0.0, None)) if np.isfinite(self._cov).all() else np.full(len(theta), np.nan)
        self.params, self._se = {}, {}
        for lab, v, s in zip(labels, values, se):
            self.params[lab], self._se[lab] = float(v), float(s)
        last = f"weight[{K - 1}]"
        self.params[last] = float(est.weights_[-1])
        block = self._cov[: K - 1, : K - 1]
        self._se[last] = float(np.sqrt(max(block.sum(), 0.0))) if K > 1 else 0.0
        order = [f"weight[{k}]" for k in range(K)]
        self.params = {k: self.params[k] for k in order + labels[K - 1 :]}
        self._se = {k: self._se[k] for k in self.params}
        if structured:
            self._cov = self._se = None

    @staticmethod
    def _invert(info):
        cov, why = covariance_from_hessian(info)
        if cov is None:
            finite = np.isfinite(info).all()
            lmin = np.linalg.eigvalsh(0.5 * (info + info.T)).min() if finite else np.nan
            warnings.warn(
                "GaussianMixture.result_: the observed information must be positive definite for standard "
                f"errors; got smallest eigenvalue {lmin:.3g} (a saddle point, a collapsed or "
                "redundant component). Standard errors are NaN; refit with other starts or fewer components.",
                InferenceWarning,
                stacklevel=3,
            )
            return np.full(info.shape, np.nan)
        return cov

    @property
    def title(self) -> str:
        return self._title

    @property
    def owner(self) -> str:
        return "GaussianMixture.result_"

    @property
    def labels(self) -> list[str]:
        warnings.warn("GaussianMixtureResult.labels is deprecated; use cov_labels.", DeprecationWarning, stacklevel=2)
        return self.cov_labels

    def _details(self) -> list[tuple[str, str]]:
        return [("EM iterations", str(self.n_iter))]

    def _extra_dict(self) -> dict:
        return {"title": self._title, "n_iter": self.n_iter, "covariance_type": self.covariance_type}

    def _restore(self, d: dict) -> None:
        self._title, self.n_iter, self.covariance_type = d["title"], int(d["n_iter"]), d["covariance_type"]
