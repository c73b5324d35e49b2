"""Densities, predictions, sampling and information criteria of a fitted
:class:`maxlik.models.GaussianMixture`, as a base class: log p(xₙ) = log Σₖ πₖ N(xₙ | μₖ, Σₖ),
responsibilities, draws, the parameter count (mclust's ``nMclustParams`` for its models) and
AIC/BIC on an array or a data source (one pass), and ``result_``."""

from __future__ import annotations

import numbers

import numpy as np
from scipy.special import logsumexp
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from .. import criteria
from ..errors import DataError, ParameterError
from ..sources import is_source
from . import _covariance_models as cm
from ._gaussian_scores import gaussian_log_densities
from ._mixture_steps import OWNER
from ._sourced import source_of
from ._stream_mixture import score_pass


class MixtureScoring:
    """Mixed into GaussianMixture (its fitted attributes: ``means_``, ``covariances_``,
    ``weights_``, ``_model``, ``_diagonal()``)."""

    def _full_covariances(self):
        K, ct = self.n_components, self.covariance_type
        d = self.means_.shape[1]
        if ct == "full" or self._model is not None:
            return self.covariances_
        if ct == "tied":
            return np.repeat(self.covariances_[None], K, axis=0)
        var = self.covariances_ if ct == "diag" else np.repeat(self.covariances_[:, None], d, axis=1)
        return var[:, :, None] * np.eye(d)

    def _estimate_weighted_log_prob(self, X):
        check_is_fitted(self, "means_")
        X = validate_data(self, X, reset=False, dtype=np.float64)
        if self._diagonal():
            var = np.diagonal(self._full_covariances(), axis1=1, axis2=2)
            dens = gaussian_log_densities(X, self.means_, var, diagonal=True)
        else:
            dens = gaussian_log_densities(X, self.means_, self._full_covariances())
        with np.errstate(divide="ignore"):
            return dens + np.log(self.weights_)[None]

    def score_samples(self, X):
        """log p(xₙ) = log Σₖ πₖ N(xₙ | μₖ, Σₖ): (n,)."""
        return logsumexp(self._estimate_weighted_log_prob(X), axis=1)

    def score(self, X, y=None):
        """Average log-likelihood per sample (unweighted). X may be a data source (one pass)."""
        total, n = self._total_loglik(X)
        return total / n

    def _total_loglik(self, X):
        """(Σₙ log p(xₙ), n) over X, an array or a data source (one pass)."""
        src = source_of(OWNER, X, None, None, None, needs_target=False)
        if src is None:
            values = self.score_samples(X)
            return float(values.sum()), values.shape[0]
        check_is_fitted(self, "means_")
        if len(src.columns) != self.n_features_in_:
            raise DataError(f"{OWNER}: X must have {self.n_features_in_} features, as in fit; got {len(src.columns)} "
                            f"columns in {src.describe()}.")
        means, covs, weights = self.means_, self._full_covariances(), self.weights_
        diagonal = self._diagonal()
        if diagonal:
            covs = np.diagonal(covs, axis1=1, axis2=2)

        def rows(x):
            with np.errstate(divide="ignore"):
                return logsumexp(gaussian_log_densities(x, means, covs, diagonal=diagonal) + np.log(weights)[None], axis=1)

        return score_pass(src, rows)

    def predict_proba(self, X):
        """Responsibilities p(component k | xₙ): (n, K)."""
        j = self._estimate_weighted_log_prob(X)
        return np.exp(j - logsumexp(j, axis=1, keepdims=True))

    def predict(self, X):
        return np.argmax(self._estimate_weighted_log_prob(X), axis=1)

    def fit_predict(self, X, y=None, sample_weight=None, feature_names=None):
        return self.fit(X, sample_weight=sample_weight, feature_names=feature_names).predict(X)

    def sample(self, n_samples=1):
        """Draw n_samples points: returns (X (n, d), component labels (n,))."""
        check_is_fitted(self, "means_")
        if not (isinstance(n_samples, numbers.Integral) and n_samples >= 1):
            raise ParameterError(f"{OWNER}.sample: n_samples must be a positive integer; got {n_samples!r}.")
        rng = check_random_state(self.random_state)
        counts = rng.multinomial(n_samples, self.weights_)
        covs = self._full_covariances()
        X = np.vstack([rng.multivariate_normal(m, c, int(c_n)) for m, c, c_n in zip(self.means_, covs, counts)])
        y = np.concatenate([np.full(c_n, k, dtype=int) for k, c_n in enumerate(counts)])
        return X, y

    # -- information criteria and inference -------------------------------------------------
    def _n_parameters(self):
        K, d = self.means_.shape
        if self._model is not None:
            return cm.n_params(self._model, d, K)
        cov = {"full": K * d * (d + 1) / 2, "diag": K * d, "tied": d * (d + 1) / 2, "spherical": K}[self.covariance_type]
        return int(cov + K * d + K - 1)

    def bic(self, X):
        """−2 ℓ + k log n on X (smaller is better); X may be a data source."""
        X = np.asarray(X) if not hasattr(X, "shape") and not is_source(X) else X
        total, n = self._total_loglik(X)
        return criteria.bic(total, self._n_parameters(), n)

    def aic(self, X):
        """−2 ℓ + 2k on X (smaller is better); X may be a data source."""
        X = np.asarray(X) if not hasattr(X, "shape") and not is_source(X) else X
        total, n = self._total_loglik(X)
        return criteria.aic(total, self._n_parameters())

    @property
    def result_(self):
        """Named estimates, standard errors from the observed information, ``summary()``
        (computed on first access: it needs a Hessian of ℓ over all parameters)."""
        check_is_fitted(self, "means_")
        if self._result is None:
            from ._mixture_result import GaussianMixtureResult

            self._result = GaussianMixtureResult(self, *self._fit_data)
        return self._result
