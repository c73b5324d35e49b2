"""The EM steps of :class:`maxlik.models.GaussianMixture`, as a base class: the start (``*_init``
values, else one M-step on initial responsibilities), the M-step (the MultivariateNormal
family's weighted MLE, mclust's structured covariances, or the MAP step under a prior), the
state for the next E-step (the kernel's factors) and the health checks that name a component
whose weight vanished or whose covariance is not positive definite."""

from __future__ import annotations

import numpy as np

from .._lapack import cholesky
from .._xp import jnp
from ..errors import DegenerateFitError
from ..families.mvnormal import MultivariateNormalStats, diag_factors, factors
from . import _covariance_models as cm
from . import _gaussian_estep as estep
from ._mixture_init import initial_responsibilities, is_positive_definite
from ._mixture_prior import map_step

OWNER = "GaussianMixture"


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


class MixtureSteps:
    """Mixed into GaussianMixture, which sets ``_family``, ``_model``, ``_small``, ``_floor`` and
    the hyperparameters before EM runs."""

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
