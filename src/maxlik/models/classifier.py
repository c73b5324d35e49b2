"""Generative Gaussian classifier: one Gaussian per class, class priors, Bayes' rule.

    p(y = k | x) = πₖ N(x | μₖ, Σₖ) / Σⱼ πⱼ N(x | μⱼ, Σⱼ)     (log-sum-exp, never underflows)

Every parameter is the maximum likelihood estimate: μₖ the class mean, Σₖ the class scatter
divided by the class weight Wₖ (not Wₖ − 1), πₖ = Wₖ / W unless ``priors`` are given.

| covariance_type | Σₖ                                  | known as                         |
|-----------------|-------------------------------------|----------------------------------|
| "full"          | own full matrix per class           | quadratic discriminant analysis  |
| "diag"          | own diagonal per class              | Gaussian naive Bayes             |
| "tied"          | one full matrix shared (pooled)     | linear discriminant analysis     |
| "spherical"     | σₖ² I per class                     |                                  |
| "EII" … "VVV"   | mclust's 14 models λₖ Dₖ Aₖ Dₖᵀ      | EDDA (mclust's ``MclustDA``)     |

mclust's names (:mod:`._covariance_models`; "E" / "V" for one feature) take that model's
weighted MLE from the class scatter matrices (closed form or its iterative M-step); the four
with a scikit-learn alias give the same fit as the alias.

Every class's statistics, their exact merge and the estimates come from the MultivariateNormal
family (``grouped_suffstats``, ``Stats.merge``, ``mle_from_stats``; "tied" is the family's
pooled fit from all classes' statistics), and the scores from its Gaussian kernel.
``reg_covar`` is added to the diagonal of every covariance after estimation. ``partial_fit``
merges per-class sufficient statistics exactly (Chan–Golub–LeVeque), so fitting in chunks gives
the same model as one fit.
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _assert_all_finite, _check_sample_weight, check_is_fitted, validate_data

from ..errors import DataError, DegenerateFitError, ParameterError
from ..families.mvnormal import COVARIANCE_TYPES, MultivariateNormal
from ._gaussian_scores import GaussianScorer
from ._classifier_result import ClassifierResult
from ._hyperparams import NON_NEGATIVE, OneOf, check_hyperparameters
from ._names import set_feature_names
from ._labels import class_index, sorted_labels
from ._sourced import SourceScore, adopt_columns, source_of
from ._stream_classifier import fit_classifier_source
from . import _covariance_models as cm


class GaussianClassifier(SourceScore, ClassifierMixin, BaseEstimator):
    """Generative classifier with one maximum-likelihood Gaussian per class.

    Parameters
    ----------
    covariance_type : "full" | "diag" | "tied" | "spherical", or one of mclust's 14 models
        ("EII" … "VVV"; "E" / "V" for one feature)
    priors : array-like (n_classes,), optional   fixed class priors (summing to 1); default:
        the MLE, the weighted class frequencies.
    reg_covar : float >= 0   added to the diagonal of each covariance.

    Fitted attributes: ``classes_``, ``class_prior_``, ``means_`` (K, d), ``covariances_``
    (K, d, d), ``class_count_`` (weights per class), ``n_features_in_``, ``result_``.
    """

    _parameter_constraints: dict = {
        "covariance_type": [OneOf(cm.NAMES, shown=COVARIANCE_TYPES, note=cm.NOTE)],
        "priors": ["array-like", None],
        "reg_covar": [NON_NEGATIVE],
    }

    def __init__(self, covariance_type="full", priors=None, reg_covar=0.0):
        self.covariance_type = covariance_type
        self.priors = priors
        self.reg_covar = reg_covar

    def _family(self):
        ct = self.covariance_type
        return MultivariateNormal(covariance_type=ct if ct in COVARIANCE_TYPES else "full", reg_covar=float(self.reg_covar))

    @property
    def _model(self):
        """The mclust model of an mclust name; None for scikit-learn's four names."""
        ct = self.covariance_type
        return None if ct in COVARIANCE_TYPES else cm.canonical(ct, self.means_.shape[1], "GaussianClassifier")

    # -- fitting ---------------------------------------------------------------------------
    def fit(self, X, y=None, sample_weight=None, feature_names=None, *, target=None):
        """Fit one Gaussian per class by maximum likelihood. X (n, d), y (n,); ``feature_names``
        (d names) label ``result_`` for array input (a DataFrame's columns are used otherwise).

        X may be a data source (``maxlik.scan(..., target="label")``, a Dask array with y, a Dask
        DataFrame with ``target="label"``): one pass of per-class statistics, merged exactly
        (:mod:`._stream_classifier`); the feature names are the source's columns."""
        for attr in ("_stats", "classes_"):
            if hasattr(self, attr):
                delattr(self, attr)
        src = source_of("GaussianClassifier", X, y, sample_weight, target)
        if src is not None:
            check_hyperparameters(self)
            d = adopt_columns(self, src)
            if feature_names is not None:
                set_feature_names(self, feature_names, d)
            return fit_classifier_source(self, src)
        return self._accumulate(X, y, sample_weight, classes=None, reset=True, names=feature_names)

    def partial_fit(self, X, y, classes=None, sample_weight=None, feature_names=None):
        """Add a chunk of data; statistics merge exactly. ``classes`` is required on the first call."""
        first = not hasattr(self, "_stats")
        if first and classes is None:
            raise ParameterError(
                "GaussianClassifier.partial_fit: classes must be given on the first call; got None. "
                "Pass classes=np.unique(all_labels)."
            )
        return self._accumulate(X, y, sample_weight, classes=classes if first else None, reset=first, names=feature_names)

    def _accumulate(self, X, y, sample_weight, classes, reset, names=None):
        check_hyperparameters(self)
        # NaN/inf in X make the class statistics non-finite: X is scanned for them (scikit-learn's
        # error) only then, or up front when rows with zero weight are dropped before the statistics
        X, y = validate_data(self, X, y, reset=reset, dtype=np.float64, ensure_min_samples=1, ensure_all_finite=False)
        set_feature_names(self, names, X.shape[1], reset=reset)
        if y.dtype.kind not in "biu":  # integer labels cannot be continuous: skip that scan
            check_classification_targets(y)
        w = _check_sample_weight(sample_weight, X, dtype=np.float64)
        if reset:
            self.classes_ = sorted_labels(y) if classes is None else np.unique(np.asarray(classes))
            if self.classes_.size < 2:
                raise DataError(
                    f"GaussianClassifier: y must contain at least 2 classes; got 1 class ({self.classes_[0]!s}). "
                    "A classifier needs examples of every class it should predict."
                )
            self._stats = {}
        keep = w > 0
        all_kept = bool(keep.all())
        if not all_kept:
            self._check_finite(X)
            X, y, w = X[keep], y[keep], w[keep]
        index = class_index(y, self.classes_)
        if np.any(index < 0):
            raise DataError(
                f"GaussianClassifier: labels must be among the classes {self.classes_.tolist()}; "
                f"got {np.unique(y[index < 0]).tolist()}."
            )
        # row numbers grouped by class (one stable radix sort of small integers); each class's
        # rows are gathered block by block inside its statistics, never copied as a whole
        order = np.argsort(index, kind="stable")
        bounds = np.concatenate([[0], np.cumsum(np.bincount(index, minlength=self.classes_.size))])
        present = [k for k in range(self.classes_.size) if bounds[k] < bounds[k + 1]]
        with np.errstate(invalid="ignore", over="ignore"):  # NaN/inf in X: reported below
            stats = self._family().grouped_suffstats(X, [order[bounds[k] : bounds[k + 1]] for k in present],
                                                     None if all_kept and sample_weight is None else w)
        if not all(np.all(np.isfinite(st.mean)) and np.all(np.isfinite(st.m2)) for st in stats):
            self._check_finite(X)
        for k, st in zip(present, stats):
            c = self.classes_[k]
            self._stats[c] = st if c not in self._stats else self._stats[c].merge(st)
        self._update_params()
        return self

    def _update_params(self):
        missing = [c for c in self.classes_ if c not in self._stats]
        if missing:
            raise DataError(
                f"GaussianClassifier: every class needs at least one observation with positive weight; got none for class(es) {[str(c) for c in missing]}. "
                "Pass data for all classes (partial_fit may add them in later chunks)."
            )
        stats = [self._stats[c] for c in self.classes_]
        weights = np.array([s.weight for s in stats])
        self.class_count_ = weights
        self.class_prior_ = self._priors(weights)
        self.means_ = np.array([s.mean for s in stats])
        fam = self._family()
        if self.covariance_type not in COVARIANCE_TYPES:
            covs = self._model_covariances(weights, stats)
        elif self.covariance_type == "tied":  # the family's pooled within-class fit
            try:
                params = fam.mle_from_stats(stats)
            except DegenerateFitError as exc:
                n = sum(int(s.count) for s in stats)
                raise DegenerateFitError(f"GaussianClassifier: all classes together (tied, {n} observations): {exc}") from None
            covs = np.array([p["covariance_matrix"] for p in params])
        else:
            covs = np.array([self._class_covariance(fam, c, s) for c, s in zip(self.classes_, stats)])
        self.covariances_ = covs
        self._scorer_obj = self._make_scorer()
        self.result_ = ClassifierResult(self)

    def _model_covariances(self, weights, stats):
        """mclust model's MLE from the class scatter matrices regularised as Wₖ + nₖ·reg_covar·I
        (for the aliased models exactly Σ + reg_covar·I); each checked."""
        d = stats[0].dim
        M2 = np.array([s.m2 for s in stats]) + (weights * float(self.reg_covar))[:, None, None] * np.eye(d)
        try:
            covs = cm.covariances(self._model, weights, M2)
            bad = np.array([not (np.all(np.isfinite(S)) and np.linalg.eigvalsh(S)[0] > 0) for S in covs])
        except np.linalg.LinAlgError:  # an SVD or eigendecomposition of non-finite values
            covs, bad = None, np.ones(len(stats), bool)
        if bad.any():
            own = cm.singular_scatter(self._model, M2)
            k = int(np.argmax(own if own.any() else bad))  # the class whose own scatter is singular
            raise DegenerateFitError(
                f"GaussianClassifier: class {self.classes_[k]!s}'s covariance ({self.covariance_type}) must be positive "
                f"definite; got a singular estimate ({int(stats[k].count)} observations in {d} dimensions). Pass "
                "reg_covar (e.g. 1e-6), or use a model with fewer parameters (e.g. 'EEE' or 'VVI')."
            )
        return covs

    @staticmethod
    def _class_covariance(fam, label, stats):
        try:
            return np.asarray(fam.mle_from_stats(stats)["covariance_matrix"])
        except DegenerateFitError as exc:
            raise DegenerateFitError(f"GaussianClassifier: class {label!s} ({int(stats.count)} observations): {exc}") from None

    def _priors(self, weights):
        if self.priors is None:
            return weights / weights.sum()
        p = np.asarray(self.priors, dtype=float)
        if p.shape != (len(self.classes_),) or np.any(p < 0) or not np.isclose(p.sum(), 1.0):
            raise ParameterError(
                f"GaussianClassifier: priors must be {len(self.classes_)} non-negative numbers summing to 1 "
                f"(one per class in {self.classes_.tolist()}); got {self.priors!r}."
            )
        return p

    # -- prediction ------------------------------------------------------------------------
    def _make_scorer(self) -> GaussianScorer:
        model = self._model
        diagonal = self.covariance_type in ("diag", "spherical") or (model is not None and cm.is_diagonal(model))
        covs = np.diagonal(self.covariances_, axis1=1, axis2=2) if diagonal else self.covariances_
        with np.errstate(divide="ignore"):
            log_prior = np.log(self.class_prior_)
        return GaussianScorer(self.means_, covs, diagonal, log_prior)

    def _scorer(self) -> GaussianScorer:
        check_is_fitted(self, "means_")
        return self._scorer_obj

    def _check_finite(self, X):
        _assert_all_finite(X, input_name="X", estimator_name=type(self).__name__)

    def _scored(self, X, method: str) -> np.ndarray:
        """``method`` of the scorer on validated X. A NaN or inf in X makes its row of the output
        NaN or ±inf (never so for finite X), so X is scanned for them (scikit-learn's error) only
        when the output is not all finite."""
        check_is_fitted(self, "means_")
        X = validate_data(self, X, reset=False, dtype=np.float64, ensure_all_finite=False)
        out = getattr(self._scorer(), method)(X)
        if not np.isfinite(out).all():
            self._check_finite(X)
        return out

    def _joint_log_likelihood(self, X) -> np.ndarray:
        """log πₖ + log N(x | μₖ, Σₖ): (n, K)."""
        return self._scored(X, "log_densities")

    def predict_log_proba(self, X):
        """log p(class k | x): (n, K), normalised with log-sum-exp (never underflows)."""
        return self._scored(X, "log_posteriors")

    def predict_proba(self, X):
        """p(class k | x): (n, K), rows sum to 1."""
        return self._scored(X, "posterior_probabilities")

    def predict(self, X):
        jll = self._joint_log_likelihood(X)
        return self.classes_[np.argmax(jll, axis=1)]

    def score_samples(self, X):
        """log p(x) = log Σₖ πₖ N(x | μₖ, Σₖ) per row (the marginal density of the features)."""
        return logsumexp(self._joint_log_likelihood(X), axis=1)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags
