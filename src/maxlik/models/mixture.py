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

import numbers
import warnings

import numpy as np
from scipy.special import logsumexp
from sklearn.base import BaseEstimator, DensityMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from .. import criteria
from .._lapack import cholesky
from .._xp import jnp
from ..errors import ConvergenceWarning, DataError, DegenerateFitError, DegenerateFitWarning, ParameterError
from ..families.mvnormal import COVARIANCE_TYPES, MultivariateNormal, MultivariateNormalStats
from ..families.mvnormal import diag_factors, factors, precision_cholesky
from ..optimize.em import em
from . import _gaussian_estep as estep
from ._gaussian_scores import gaussian_log_densities, numpy_path
from ._hyperparams import NON_NEGATIVE, POSITIVE_INT, OneOf, check_hyperparameters
from ._names import set_feature_names
from ._sourced import adopt_columns, design, source_of
from ._stream_mixture import e_step_pass, loglik_pass, moments, score_pass
from ..sources import is_source
from ._mixture_init import INIT_METHODS, check_inits, initial_responsibilities, is_positive_definite, lazy_random_state
from . import _covariance_models as cm
from ._mixture_degeneracy import check_distinct, diagnose, refuse_missing
from ._mixture_prior import map_step, resolve_prior

OWNER = "GaussianMixture"
COLLAPSE = 1e-12


def _positive_definite(covs):
    """(K,) whether each Σₖ is finite and positive definite, and the Cholesky factors (K, d, d)
    when all are (else None): one batched Cholesky, and the per-component one only when the
    batch fails (to name the component)."""
    covs = np.asarray(covs)
    if np.isfinite(covs).all():
        with np.errstate(invalid="ignore"):
            L = cholesky(covs)  # NaN where not positive definite (maxlik._lapack)
        if np.isfinite(L).all():
            return np.ones(len(covs), bool), L
    finite = np.isfinite(covs).all(axis=(1, 2))
    return np.array([f and is_positive_definite(c) for f, c in zip(finite, covs)], dtype=bool), None


class GaussianMixture(DensityMixin, BaseEstimator):
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

    def _start(self, Xc, w, rng, inits, center, start=0):
        """(weights, means, covariances (K, d, d)) to start from: the ``*_init`` values, the rest
        from one M-step on the initial responsibilities (the family's weighted statistics). The
        hierarchical start is deterministic: starts after the first are k-means++."""
        K = self.n_components
        self._last_covs = None  # the iterative mclust M-steps start afresh
        if {"weights", "means", "covs"} <= inits.keys():
            return inits["weights"], inits["means"] - center, inits["covs"]
        method = "kmeans++" if self.init_params == "hierarchical" and start > 0 else self.init_params
        r = initial_responsibilities(Xc, K, method, rng, w, tree=getattr(self, "_hc_tree", None))
        if self._small:  # all K components' statistics in one pass (the E-step's kernel)
            N, mean, M2 = estep.small_stats(Xc, w[:, None] * r)
        else:
            stats = [self._family.suffstats(Xc, w * r[:, k]) for k in range(K)]
            N, mean, M2 = (np.array([s.weight for s in stats]), np.array([s.mean for s in stats]),
                           np.array([s.m2 for s in stats]))
        weights, means, covs = self._m_step(Xc.shape[0], N, mean, M2, 0)
        weights = inits.get("weights", weights)
        means = inits["means"] - center if "means" in inits else means
        return weights, means, inits.get("covs", covs)

    def _m_step(self, n, N, means, M2, iteration):
        """The family's MLE from the centred statistics of every component -> (π, μ, Σ (K, d, d))."""
        W = float(N.sum())
        if not (N > 1e-10 * W).all():
            self._check_health(np.ones(len(N), bool), N > 1e-10 * W, iteration, N, W)
        if getattr(self, "_prior", None) is not None:  # MAP, not MLE (module _mixture_prior)
            means, covs = map_step(N, means, M2, self._prior, self._center)
            return N / W, means, covs + self.reg_covar * np.eye(means.shape[1])
        if self._model is not None:  # mclust's structures (:mod:`._covariance_models`)
            return N / W, means, self._model_covariances(N, M2, iteration, W)
        if self.reg_covar > 0:  # the family's formula for all K at once (positive definiteness: _prepare)
            fam = self._family
            covs = (np.repeat(fam.covariances_from_scatter(M2.sum(0)[None], np.array([W])), len(N), axis=0)
                    if self.covariance_type == "tied" else fam.covariances_from_scatter(M2, N))
            return N / W, means, covs
        stats = [MultivariateNormalStats(n, float(Nk), m, np.zeros_like(m), S) for Nk, m, S in zip(N, means, M2)]
        try:
            params = self._family.mle_from_stats(stats)
        except DegenerateFitError:
            k = self._degenerate_component(stats)
            self._check_health(np.arange(len(N)) != k, np.ones(len(N), bool), iteration, N, W)
            raise
        return N / W, np.array([p["loc"] for p in params]), np.array([p["covariance_matrix"] for p in params])

    def _model_covariances(self, N, M2, iteration, W):
        """The mclust model's Σ (K, d, d) from the scatter regularised as Wₖ + nₖ·reg_covar·I (for
        the four aliased models exactly Σ + reg_covar·I, as scikit-learn's; the others keep their
        structure). When a component's own scatter is singular and makes the structured estimate
        singular too (a volume or shape shared by all), the error names that component."""
        d = M2.shape[1]
        M2 = M2 + (N * float(self.reg_covar))[:, None, None] * cm.identity(d)
        try:
            covs = cm.covariances(self._model, N, M2, start=self._last_covs, tol=self._inner_tol())
            ok, L = _positive_definite(covs)
            self._chol = (covs, L)  # for _prepare's factors
        except np.linalg.LinAlgError:  # an SVD or eigendecomposition of non-finite values
            covs, ok = None, np.zeros(len(N), bool)
        if not ok.all():
            own = ~cm.singular_scatter(self._model, M2)
            self._check_health(own if not own.all() else ok, np.ones(len(N), bool), iteration, N, W)
        return covs

    def _inner_tol(self):
        """The iterative M-steps' tolerance (VEI … VVE): mclust's √eps at EM's default ``tol``
        (each inner iteration already raises ℓ, a generalised EM, and the next M-step continues
        from this one), the strict one when EM's own ``tol`` is finer (select_mixture's refinement)."""
        return cm.TOL if self.tol < 1e-6 else cm.LOOSE_TOL

    def _degenerate_component(self, stats):
        if self.covariance_type == "tied":
            return 0
        for k, s in enumerate(stats):
            try:
                self._family.mle_from_stats(s)
            except DegenerateFitError:
                return k
        return 0

    def _prepare(self, weights, means, covs, W, iteration):
        """State for the next E-step: (π, μ, Σ) and the kernel's factors (checked: a component
        whose conditional variances fall below the collapse floor, or not positive definite)."""
        nk = np.asarray(weights) * W
        self._last_covs = covs
        try:
            if self._diagonal():
                f1, f2, log_norm, sd = diag_factors(means, np.diagonal(covs, axis1=1, axis2=2))
            else:
                chol = getattr(self, "_chol", None)  # the M-step's Cholesky factors of these covs, if any
                f1, f2, log_norm, sd = factors(means, covs, chol=chol[1] if chol is not None and chol[0] is covs else None)
            sq = sd * sd
            if (sq > self._floor).all() and np.isfinite(sd).all() and (nk > 1e-10 * W).all():
                pd_ok = None  # healthy (the common case: two checks, not five)
            else:
                pd_ok = np.all(np.isfinite(sd), axis=1) & np.all(sq > self._floor, axis=1)
        except np.linalg.LinAlgError:
            pd_ok = np.array([is_positive_definite(c) for c in covs])
        if pd_ok is not None:
            self._check_health(pd_ok, nk > 1e-10 * W, iteration, nk, W)
        log_w = np.log(weights)  # every weight is positive here (_check_health)
        kernel = (log_w, f1, f2, log_norm)
        return (weights, means, covs), kernel if self._small else tuple(jnp.asarray(a) for a in kernel)

    def _check_health(self, pd_ok, wt_ok, iteration, nk, W):
        pd_ok, wt_ok = np.asarray(pd_ok), np.asarray(wt_ok)
        if pd_ok.all() and wt_ok.all():
            return
        when = "at initialisation" if iteration == 0 else f"at EM iteration {iteration}"
        nk = np.asarray(nk)
        if not wt_ok.all():
            k = int(np.argmin(wt_ok))
            raise DegenerateFitError(
                f"{OWNER}: component {k} must keep a positive weight; got weight {nk[k] / W:.3g} {when} (the "
                "component lost all its observations). Use fewer components, or another start (random_state, n_init)."
            )
        k = int(np.argmin(pd_ok))
        which = "the shared (tied) covariance" if self.covariance_type == "tied" else f"component {k}'s covariance"
        raise DegenerateFitError(
            f"{OWNER}: {which} must be positive definite; got a (numerically) singular matrix {when} (effective weight "
            f"{nk[k]:.4g} of {W:.4g}: the component collapsed onto too few distinct points, e.g. tied or "
            f"integer-valued data). Pass reg_covar (e.g. reg_covar=1e-6, currently {self.reg_covar:g}), use fewer "
            "components or a simpler covariance_type, or try another start (random_state, n_init)."
        )

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

    # -- densities -------------------------------------------------------------------------
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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        return tags


__all__ = ["GaussianMixture"]
