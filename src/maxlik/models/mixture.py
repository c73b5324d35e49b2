"""Gaussian mixture fitted by maximum likelihood with EM (scikit-learn estimator).

    p(x) = Σₖ πₖ N(x | μₖ, Σₖ),   ℓ(θ) = Σₙ wₙ log p(xₙ)

The loop is the engine's EM driver (:func:`maxlik.optimize.em.em`). Its E-step is one pass over
the rows (:mod:`._gaussian_estep`: jitted and blocked, or on small data a NumPy pass that needs
no JAX) that returns the log-likelihood and every component's centred weighted statistics (N,
mean, scatter about that mean); its M-step is the MultivariateNormal family's ``mle_from_stats``
on those statistics (for "tied" on all of them at once: the pooled within-component scatter),
exactly as :func:`maxlik.fit_mixture` does for any closed-form family; the tests check that the
two give the same fit.

Conventions follow scikit-learn's ``GaussianMixture``: the ``*_init`` arguments, the shapes of
``covariances_`` / ``precisions_`` / ``precisions_cholesky_`` per ``covariance_type``
("full" (K, d, d), "tied" (d, d), "diag" (K, d), "spherical" (K,)), ``reg_covar`` added to the
diagonal after every M-step, ``lower_bounds_[i]`` = ℓ(θ⁽ⁱ⁻¹⁾)/W (the average log-likelihood of
the parameters going into iteration i; EM makes it non-decreasing when ``reg_covar`` = 0, and
up to the regularisation otherwise), ``lower_bound_`` its last entry, convergence when two
successive entries differ by less than ``tol``. A component whose covariance becomes singular
or whose weight vanishes raises DegenerateFitError naming the component (never silent NaNs); so
does data with fewer distinct rows than components. A fit that ends on a spurious spike of the
unbounded likelihood (a component collapsed onto identical values, held up only by ``reg_covar``:
:mod:`._mixture_degeneracy`) warns (DegenerateFitWarning, naming the component, the cause and the
remedies) and says why in ``degenerate_`` (None for a proper fit); with ``n_init`` > 1 such starts
lose to any start that is not degenerate. ``init_params="hierarchical"`` starts from mclust's model-based agglomerative
clustering (:mod:`._hierarchical`: deterministic; further starts, n_init > 1, are k-means++).

``covariance_type`` also takes mclust's 14 models ("EII" … "VVV", "E" / "V" for one feature): the
M-step is then :func:`._covariance_models.covariances` on the same statistics (the model's weighted
MLE, its iterative ones started from the previous iteration's Σ; ``reg_covar`` enters as
nₖ·reg_covar·I added to each scatter Wₖ, which is Σ + reg_covar·I for the aliased models), the
E-step the same kernel (diagonal for the models with orientation I), the parameter count
mclust's ``nMclustParams``, and ``covariances_`` (K, d, d).
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator, DensityMixin
from sklearn.utils.validation import _check_sample_weight, validate_data

from ..errors import ConvergenceWarning, DataError, DegenerateFitWarning, ParameterError
from ..families.mvnormal import COVARIANCE_TYPES, MultivariateNormal, precision_cholesky
from ..optimize.em import em
from . import _gaussian_estep as estep
from ._gaussian_scores import numpy_path
from ._hyperparams import NON_NEGATIVE, POSITIVE_INT, OneOf, check_hyperparameters
from ._names import set_feature_names
from ._sourced import adopt_columns, design, source_of
from ._stream_mixture import e_step_pass, loglik_pass, moments
from ._mixture_init import INIT_METHODS, check_inits, lazy_random_state
from . import _covariance_models as cm
from ._mixture_degeneracy import check_distinct, diagnose, refuse_missing
from ._mixture_prior import resolve_prior
from ._mixture_scoring import MixtureScoring
from ._mixture_steps import OWNER, MixtureSteps

COLLAPSE = 1e-12


class GaussianMixture(MixtureSteps, MixtureScoring, DensityMixin, BaseEstimator):
    """Gaussian mixture model fitted by EM (maximum likelihood).

    Parameters (as scikit-learn's ``GaussianMixture``)
    ----------
    n_components : int >= 1
    covariance_type : "full" | "tied" | "diag" | "spherical", or one of mclust's 14 models "EII" …
        "VVV" (and "E" / "V" for 1-D data; :mod:`._covariance_models`): then ``covariances_``,
        ``precisions_`` and ``precisions_cholesky_`` are (K, d, d) for every model
    tol : float >= 0          stop when the average log-likelihood rises by less than tol
    reg_covar : float >= 0    added to the covariance diagonals after each M-step (an mclust
        model: nₖ·reg_covar added to the diagonal of each component's scatter before its M-step)
    max_iter : int >= 1       EM iterations per start
    n_init : int >= 1         starts; the one with the highest lower bound is kept
    init_params : "kmeans++" | "random" | "hierarchical" (mclust's hc start; deterministic)
    weights_init (K,), means_init (K, d), precisions_init : optional starting values
        (precisions in the shape of ``precisions_`` for the covariance type)
    random_state : None | int | RandomState
    prior : None | "default" | dict   a conjugate prior (mclust's priorControl(), full only): the
        fit is then MAP, not MLE (:mod:`._mixture_prior`)

    Fitted: ``weights_``, ``means_``, ``covariances_``, ``precisions_``, ``precisions_cholesky_``,
    ``converged_``, ``n_iter_``, ``lower_bound_``, ``lower_bounds_``, ``n_features_in_``,
    ``degenerate_`` (None, or why the fit is a spurious spike: see the module docstring),
    ``result_`` (named estimates with standard errors, computed on first access).
    """

    _parameter_constraints: dict = {
        "n_components": [POSITIVE_INT],
        "covariance_type": [OneOf(cm.NAMES, shown=COVARIANCE_TYPES, note=cm.NOTE)],
        "tol": [NON_NEGATIVE],
        "reg_covar": [NON_NEGATIVE],
        "max_iter": [POSITIVE_INT],
        "n_init": [POSITIVE_INT],
        "init_params": [OneOf(INIT_METHODS)],
        "weights_init": ["array-like", None],
        "means_init": ["array-like", None],
        "precisions_init": ["array-like", None],
        "random_state": ["random_state"],
        "prior": [None, str, dict],
    }

    def __init__(
        self,
        n_components=1,
        *,
        covariance_type="full",
        tol=1e-3,
        reg_covar=1e-6,
        max_iter=100,
        n_init=1,
        init_params="kmeans++",
        weights_init=None,
        means_init=None,
        precisions_init=None,
        random_state=None,
        prior=None,
    ):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.random_state = random_state
        self.prior = prior

    # -- validation ------------------------------------------------------------------------
    # -- fitting ---------------------------------------------------------------------------
    def fit(self, X, y=None, sample_weight=None, feature_names=None):
        """Fit by EM. X (n, d); sample_weight (n,) non-negative (integer weights = repeated rows);
        ``feature_names`` (d names) label ``result_`` for array input (a DataFrame's columns otherwise).

        X may be a data source (``maxlik.scan(..., columns=[...])``, a Dask array with
        ``sample_weight`` a Dask or NumPy array, a Dask DataFrame with ``sample_weight="col"``):
        each EM iteration is one pass, the starts come from the source's sample
        (:mod:`._stream_mixture`)."""
        if not getattr(self, "_checked", False):  # select_mixture checks its options once for all its fits
            check_hyperparameters(self)
        if getattr(self, "_distinct", None) is not None and type(X) is np.ndarray:
            # select_mixture's fits: X validated once for all of them (finite float64 (n, d))
            self.n_features_in_ = X.shape[1]
            if hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
        else:
            src = source_of(OWNER, X, None, sample_weight, None, needs_target=False)
            if src is not None:
                return self._fit_source(src, feature_names)
            if self.prior is not None:
                refuse_missing(OWNER, X)
            X = validate_data(self, X, dtype=np.float64, ensure_min_samples=1)
        if X.shape[0] < 2:  # (scikit-learn's own check names neither the fix nor the command)
            raise DataError(f"{OWNER}: data must have at least 2 rows to fit a mixture; got 1 sample. "
                            "Add data (a mixture needs more rows than components).")
        set_feature_names(self, feature_names, X.shape[1])
        n, d = X.shape
        if self.n_components > n:
            raise DataError(
                f"{OWNER}: n_components must be at most the number of samples ({n}); got {self.n_components}. "
                "Use fewer components or more data."
            )
        if sample_weight is None:  # (scikit-learn's check costs ~0.2 ms; select_mixture fits 100+ times)
            w = np.ones(n)
        else:
            w = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
        if not (w > 0).any():
            raise DataError(f"{OWNER}: sample_weight must not all be zero; got {n} zero weights.")
        self._resolve_model(d)
        check_distinct(OWNER, X, w, self.n_components, getattr(self, "_distinct", None))
        inits = check_inits(OWNER, self.n_components, self._sk_type, d, self.weights_init, self.means_init,
                            self.precisions_init)
        W = float(w.sum())
        center = (w @ X) / W
        Xc = X - center  # the kernel's products are then formed from small numbers
        self._prior, self._center = resolve_prior(OWNER, self.prior, X, w, self.n_components, self.covariance_type), center
        # a conditional variance below 1e-12 of the column's variance is a collapsed component
        self._data_var = (w @ (Xc * Xc)) / W
        self._floor = COLLAPSE * np.maximum(self._data_var, np.finfo(float).tiny)
        self._family = MultivariateNormal(covariance_type=self._sk_type, reg_covar=float(self.reg_covar))
        self._small = numpy_path(n, self.n_components, d)
        data, step, ll_fn = ((Xc, w), estep.small_e_step, estep.small_log_likelihood) if self._small else (
            estep.block_data(Xc, w), estep.e_step, estep.log_likelihood)
        rng = lazy_random_state(self.random_state)  # drawn from only when a start needs it
        diagonal = self._diagonal()

        def e_step(state):
            _, factors_ = state
            ll, N, means, M2 = step(*data, *factors_, diagonal=diagonal)
            return ll, (n, np.asarray(N), np.asarray(means), np.asarray(M2))

        def m_step(stats, iteration):
            return self._prepare(*self._m_step(*stats, iteration), W, iteration)

        def loglik(state):
            return float(ll_fn(*data, *state[1], diagonal=diagonal))

        def init(start):
            return self._prepare(*self._start(Xc, w, rng, inits, center, start), W, 0)

        run = em(e_step, m_step, init, weight=W, max_iter=self.max_iter, tol=self.tol, n_init=self.n_init,
                 loglik=loglik, check=lambda state: self._check_spike(state, n))
        self._set_fitted(run, center)
        self._fit_data = (X, w)
        self._warn_degenerate(run)
        self._warn_unconverged(run)
        return self

    def _check_spike(self, state, n):
        """Why a start's end point is a spurious spike (:func:`._mixture_degeneracy.diagnose`), or None."""
        weights, _, covs = state[0]
        why = diagnose(weights, covs, reg_covar=float(self.reg_covar), data_var=np.maximum(self._data_var, 1e-300),
                       covariance_type=self.covariance_type, n=n)
        return None if why is None else f"{OWNER}: {why}"

    def _warn_degenerate(self, run):
        self.degenerate_ = run.degenerate
        if run.degenerate is not None:
            warnings.warn(run.degenerate, DegenerateFitWarning, stacklevel=3)

    def _warn_unconverged(self, run):
        if not self.converged_:
            warnings.warn(
                f"{OWNER}: EM must converge within max_iter={self.max_iter}; got a last change of "
                f"{run.last_change:.3g} in the average log-likelihood (tol={self.tol}). Increase max_iter, "
                "loosen tol, scale the features, or try more starts (n_init) / another random_state.",
                ConvergenceWarning,
                stacklevel=3,
            )

    def _fit_source(self, src, feature_names):
        """EM with one pass per E-step; the starts from the source's sample."""
        self._prior = None
        if self.prior is not None:
            raise ParameterError(f"{OWNER}: prior must be None for a data source; got {self.prior!r}. Fit an array, "
                                 "or drop the prior.")
        d = adopt_columns(self, src)
        if feature_names is not None:
            set_feature_names(self, feature_names, d)
        n, W, center, var = moments(OWNER, src)
        if n < 2 or self.n_components > n:
            raise DataError(
                f"{OWNER}: n_components must be at most the number of samples ({n}), and there must be at least 2; "
                f"got {self.n_components}. Use fewer components or more data."
            )
        self._resolve_model(d)
        inits = check_inits(OWNER, self.n_components, self._sk_type, d, self.weights_init, self.means_init,
                            self.precisions_init)
        self._data_var = var
        self._floor = COLLAPSE * np.maximum(var, np.finfo(float).tiny)
        self._family = MultivariateNormal(covariance_type=self._sk_type, reg_covar=float(self.reg_covar))
        self._small = True  # the state carries NumPy factors; each chunk picks its own kernel
        sample = src.sample()
        Xs = design(sample) - center
        ws = np.ones(len(Xs)) if sample.w is None else sample.w
        rng = lazy_random_state(self.random_state)  # drawn from only when a start needs it
        diagonal = self._diagonal()

        def e_step(state):
            ll, N, means, M2 = e_step_pass(src, center, state[1], diagonal)
            return ll, (n, N, means, M2)

        def m_step(stats, iteration):
            return self._prepare(*self._m_step(*stats, iteration), W, iteration)

        def init(start):
            return self._prepare(*self._start(Xs, ws, rng, inits, center, start), W, 0)

        run = em(e_step, m_step, init, weight=W, max_iter=self.max_iter, tol=self.tol, n_init=self.n_init,
                 loglik=lambda state: loglik_pass(src, center, state[1], diagonal),
                 check=lambda state: self._check_spike(state, n))
        self._set_fitted(run, center)
        self._fit_data = (src, None)
        self._stream_fit = (center, n, W)
        self._warn_degenerate(run)
        self._warn_unconverged(run)
        return self

    def _resolve_model(self, d):
        """``_model``: the mclust model of an mclust name (None for scikit-learn's four names, which
        keep the family's M-step and their shapes); ``_sk_type``: the family's covariance type."""
        ct = self.covariance_type
        self._model = None if ct in COVARIANCE_TYPES else cm.canonical(ct, d, OWNER)
        self._sk_type = ct if self._model is None else "full"
        self._last_covs = None

    def _diagonal(self):
        return self._model is not None and cm.is_diagonal(self._model) or self.covariance_type in ("diag", "spherical")

    def _set_fitted(self, run, center):
        ct = self.covariance_type
        weights, means, covs = run.params[0]
        self.weights_ = np.asarray(weights, dtype=float)
        self.means_ = means + center
        P = precision_cholesky(covs)  # Lₖ⁻ᵀ, upper triangular
        self._chol = None  # (the last M-step's factors: not kept with the fitted model)
        if ct == "full" or self._model is not None:
            self.covariances_, self.precisions_cholesky_ = covs, P
            self.precisions_ = P @ np.swapaxes(P, 1, 2)
        elif ct == "tied":
            self.covariances_, self.precisions_cholesky_ = covs[0], P[0]
            self.precisions_ = P[0] @ P[0].T
        else:
            var = np.diagonal(covs, axis1=1, axis2=2)
            if ct == "spherical":
                var = var[:, 0]
            self.covariances_ = var
            self.precisions_cholesky_ = 1.0 / np.sqrt(var)
            self.precisions_ = 1.0 / var
        self.converged_ = run.converged
        self.n_iter_ = run.n_iter
        self.lower_bounds_ = run.trace
        self.lower_bound_ = float(run.trace[-1])
        self._loglik = run.loglik
        self._result = None

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags


__all__ = ["GaussianMixture"]
