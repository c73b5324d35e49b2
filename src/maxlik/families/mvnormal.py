"""Multivariate normal distribution, with full, tied, diagonal or spherical covariance.

    log p(x | μ, Σ) = −½ (d log 2π + log|Σ| + (x − μ)ᵀ Σ⁻¹ (x − μ)),     x ∈ ℝᵈ

Data have shape (n, d). Sufficient statistics (weights wₙ, W = Σ wₙ): the mean vector and the
centred scatter M2 = Σ wₙ (xₙ − mean)(xₙ − mean)ᵀ (d, d), computed by a blocked corrected
two-pass with BLAS ``dsyrk`` (see :mod:`._scatter`) and merged exactly with
Chan–Golub–LeVeque:  M2 = M2ₐ + M2ᵦ + δδᵀ WₐWᵦ/W,  δ = meanᵦ − meanₐ.

MLE (divides by W, never W − 1):

    loc = mean
    full:       Σ = M2 / W
    diag:       Σ = diag(M2ᵢᵢ / W)                  (d free variances)
    spherical:  Σ = tr(M2) / (W d) · I               (one free variance)
    tied:       Σ = Σ_g M2_g / Σ_g W_g              (groups g: pooled within-group scatter)

"tied" concerns several groups sharing one covariance (a classifier's classes, a mixture's
components): ``mle_from_stats`` given a sequence of per-group statistics returns one parameter
dict per group, each with its own mean and the pooled covariance; for a single group it is the
full estimate. ``grouped_suffstats`` computes per-group statistics of an index-partitioned
array in parallel, and every density in the package is evaluated by one kernel
(:mod:`._gaussian_kernel`).

With ``loc`` fixed, M2 is replaced by the scatter about it, M2 + W (mean − loc)(mean − loc)ᵀ;
with ``covariance_matrix`` fixed, loc = mean still. ``reg_covar`` (default 0) is added to the
diagonal of the estimate — when statistics become parameters, never inside the statistics —
and turns a singular covariance (N ≤ D, constant or collinear columns) into a valid one, as
in scikit-learn's GaussianMixture.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence

import numpy as np

from .. import constraints as C
from .._threads import one_blas_thread, thread_pool
from .._xp import namespace
from ..errors import DataError, DegenerateFitError, ParameterError
from ..transforms import CholeskyLogDiag
from . import _mvnormal_checks as checks
from ._base import Family, Param, flat_labels, jnp
# the one Gaussian log-density kernel, public here for the models built on this family
from ._gaussian_kernel import UNROLL_MAX_D, diag_factors, diag_scores, factors, log_densities, precision_cholesky, scores
from ._mvnormal_loglik import loglik_jax as _loglik_jax
from ._mvnormal_loglik import loglik_numpy as _loglik_numpy
from ._mvnormal_stats import MultivariateNormalStats
from ._spherical import SphericalLogVariance
from ._registry import register
from ._scatter import mean_and_scatter

# The covariance structures of every Gaussian in the package (family, mixture, classifier).
COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")


@register
class MultivariateNormal(Family):
    """Multivariate normal N(loc, covariance_matrix) on ℝᵈ; data of shape (n, d).

    Options: ``covariance_type`` "full" (default), "tied" (one covariance pooled over groups;
    "full" for one group), "diag" or "spherical" (σ² I); ``reg_covar`` ≥ 0 added to the
    diagonal of the estimated covariance (default 0: the MLE). Instances are immutable (they are
    compared, hashed and used as cache keys by their options).
    """

    name = "mvnormal"
    params = (
        Param("loc", C.real, "mean vector", shape=("d",), typical=(-5.0, 5.0)),
        Param(
            "covariance_matrix",
            C.positive_definite,
            "covariance matrix (diagonal for 'diag', σ²·I for 'spherical')",
            shape=("d", "d"),
            typical=(0.1, 10.0),
        ),
    )
    support = C.real
    event_ndim = 1
    stats_reveal_invalid_data = True  # a NaN or inf anywhere makes the mean and scatter non-finite

    def __init__(self, covariance_type: str = "full", reg_covar: float = 0.0):
        if covariance_type not in COVARIANCE_TYPES:
            close = difflib.get_close_matches(str(covariance_type), COVARIANCE_TYPES, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ParameterError(
                f"MultivariateNormal: covariance_type must be one of {list(COVARIANCE_TYPES)}; "
                f"got {covariance_type!r}.{hint}"
            )
        try:
            reg = float(reg_covar)
        except (TypeError, ValueError):
            reg = float("nan")
        if not (math.isfinite(reg) and reg >= 0.0):
            raise ParameterError(
                f"MultivariateNormal: reg_covar must be a non-negative finite number; got {reg_covar!r}. "
                "Use e.g. reg_covar=1e-6 (added to the diagonal of the covariance), or 0 for the MLE."
            )
        self.covariance_type, self.reg_covar = covariance_type, reg

    @property
    def options(self):
        out = {}
        if self.covariance_type != "full":
            out["covariance_type"] = self.covariance_type
        if self.reg_covar != 0.0:
            out["reg_covar"] = self.reg_covar
        return out

    # -- data -------------------------------------------------------------------------------
    def validate_data(self, x):
        """As :meth:`Family.validate_data`, with a fast path for a float64 (n, d) array: one
        summation (no n × d boolean temporaries) proves every value finite — a NaN or inf
        anywhere makes the sum non-finite — and the support is all of ℝᵈ. Anything else
        (or a sum that overflowed) takes the full check with its detailed message."""
        if (
            isinstance(x, np.ndarray)
            and x.dtype == np.float64
            and x.ndim == 2
            and x.shape[0] > 0
            and x.shape[1] > 0
            and np.isfinite(x.sum())
        ):
            return x
        arr = super().validate_data(x)
        if arr.shape[1] == 0:
            raise DataError(
                f"MultivariateNormal: data must have at least one column; got shape {arr.shape}. "
                "Pass one column per dimension."
            )
        return arr

    # -- the density ------------------------------------------------------------------------
    def log_prob(self, params, x):
        """Per-row log density by the package's Gaussian kernel (:mod:`._gaussian_kernel`) on
        the rows centred at loc: log p = −½‖(x − μ)ᵀL⁻ᵀ‖² − Σ log Lᵢᵢ − (d/2) log 2π, Σ = LLᵀ.
        x: (n, d) → (n,)."""
        x = jnp.asarray(x)
        loc = jnp.asarray(params["loc"])
        cov = jnp.asarray(params["covariance_matrix"])
        d = x.shape[-1]
        P2, b, log_norm, _ = factors(jnp.zeros((1, d)), cov[None], xp=jnp)
        return scores(jnp.reshape(x - loc, (-1, d)), P2, b, log_norm)[:, 0].reshape(x.shape[:-1])

    def sample(self, params, n, seed=None):
        rng = np.random.default_rng(seed)
        loc = np.asarray(params["loc"], dtype=float)
        cov = np.asarray(params["covariance_matrix"], dtype=float)
        return rng.multivariate_normal(loc, cov, size=int(n), method="cholesky")

    # -- closed form ------------------------------------------------------------------------
    def suffstats(self, x, weights=None, *, index=None):
        """x: float64 (n, d) (already validated); weights: (n,) or None. With ``index`` (m,),
        the statistics of the rows x[index] (``weights`` then has m entries), gathered block by
        block without copying them."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2:
            x = self.validate_data(x)
        W, hi, lo, m2 = mean_and_scatter(x, weights, index=index)
        return MultivariateNormalStats(int(x.shape[0] if index is None else index.shape[0]), W, hi, lo, m2)

    def grouped_suffstats(self, x, groups, weights=None):
        """Statistics of each group of rows: ``groups`` a sequence of row-index arrays into x
        (n, d), ``weights`` (n,) or None -> one :class:`MultivariateNormalStats` per group.
        Groups run in parallel, one per core, each on one BLAS thread (the caller's
        ``np.errstate`` applies in the workers too)."""
        x = np.ascontiguousarray(x, dtype=np.float64)
        state = np.geterr()

        def one(rows):
            wg = None if weights is None else weights[rows]
            if wg is not None and np.all(wg == 1.0):
                wg = None  # the unweighted kernel is faster
            with np.errstate(**state):
                W, hi, lo, m2 = mean_and_scatter(x, wg, threads=1, index=rows)
            return MultivariateNormalStats(int(rows.shape[0]), W, hi, lo, m2)

        with one_blas_thread():
            return list(thread_pool().map(one, groups)) if len(groups) > 1 else [one(g) for g in groups]

    def mle_from_stats(self, stats, fixed=None):
        """The closed-form MLE. ``stats`` one :class:`MultivariateNormalStats` -> a parameter
        dict; a sequence of per-group statistics -> a list of parameter dicts, one per group
        (for "tied" each group's own mean and the pooled within-group covariance
        Σ_g M2_g / Σ_g W_g + reg_covar·I; for the other types each group fitted on its own)."""
        if isinstance(stats, Sequence):
            return self._mle_groups(list(stats), fixed)
        fixed = fixed or {}
        d = stats.dim
        loc_fixed = "loc" in fixed
        if loc_fixed:
            loc = checks.fixed_array(fixed["loc"], (d,), "loc", d)
        else:
            loc = stats.mean
        if "covariance_matrix" in fixed:
            cov = checks.fixed_array(fixed["covariance_matrix"], (d, d), "covariance_matrix", d)
            checks.check_structure(self.covariance_type, cov)
            return {"loc": loc, "covariance_matrix": cov}
        scatter = stats.scatter_about(loc) if loc_fixed else stats.m2
        if self.reg_covar == 0.0:
            scale = np.maximum(np.abs(stats.mean), np.abs(loc))
            checks.check_degenerate(self.covariance_type, stats.count, stats.weight, scatter, scale, loc_fixed)
        return {"loc": loc, "covariance_matrix": self._covariance(scatter, stats.weight, stats.count)}

    def _mle_groups(self, stats, fixed):
        if fixed:
            raise ParameterError(
                f"MultivariateNormal: fixed must be empty when fitting groups; got {sorted(fixed)}. "
                "Fit each group's statistics on their own to hold a parameter fixed."
            )
        if self.covariance_type != "tied" or len(stats) == 1:
            return [self.mle_from_stats(s) for s in stats]
        if len({s.dim for s in stats}) > 1:
            raise ParameterError(
                f"MultivariateNormal: group statistics must share one dimension; got {sorted({s.dim for s in stats})}."
            )
        n, W = sum(s.count for s in stats), sum(s.weight for s in stats)
        pooled = sum(s.m2 for s in stats)
        if self.reg_covar == 0.0:
            scale = np.max([np.abs(s.mean) for s in stats], axis=0)
            checks.check_degenerate("tied", n, W, pooled, scale, False, n_groups=len(stats))
        cov = self._covariance(pooled, W, n)
        return [{"loc": s.mean, "covariance_matrix": cov} for s in stats]

    def covariances_from_scatter(self, scatter, W):
        """The structured MLE covariances, regularised, unchecked, for many groups at once:
        scatter (K, d, d), weights W (K,) -> (K, d, d) = M2ₖ/Wₖ (full, tied: pass the pooled
        scatter), diag(M2ₖ)/Wₖ (diag), tr(M2ₖ)/(d Wₖ)·I (spherical), each + reg_covar·I."""
        scatter, W = np.asarray(scatter, dtype=float), np.asarray(W, dtype=float)
        d = scatter.shape[-1]
        eye = np.eye(d)
        if self.covariance_type in ("full", "tied"):
            cov = scatter / W[:, None, None]
        elif self.covariance_type == "diag":
            cov = np.diagonal(scatter, axis1=1, axis2=2)[:, :, None] / W[:, None, None] * eye
        else:
            cov = np.trace(scatter, axis1=1, axis2=2)[:, None, None] / (W[:, None, None] * d) * eye
        return cov + self.reg_covar * eye

    def _covariance(self, scatter, W, count):
        """Scatter (d, d) and weight -> the structured covariance, regularised, checked."""
        d = scatter.shape[0]
        cov = self.covariances_from_scatter(scatter[None], np.array([W]))[0]
        try:
            np.linalg.cholesky(cov)
        except np.linalg.LinAlgError:
            raise DegenerateFitError(
                f"MultivariateNormal: covariance_matrix must be positive definite; got a numerically "
                f"singular estimate ({count} observations in {d} dimensions). "
                f"{checks.remedies(self.covariance_type)}"
            ) from None
        return cov

    def loglik_from_stats(self, stats, params):
        """ℓ = −W/2 (d log 2π + log|Σ|) − ½ tr(Σ⁻¹ (M2 + W δδᵀ)),  δ = mean − loc (NumPy for
        NumPy values; jitted and differentiable for JAX values)."""
        xp = namespace(params)
        loc = xp.asarray(params["loc"], dtype=float)
        cov = xp.asarray(params["covariance_matrix"], dtype=float)
        core = _loglik_numpy if xp is np else _loglik_jax()
        return core(stats.weight, stats.mean_hi, stats.mean_lo, stats.m2, loc, cov)

    def exact_covariance(self, stats, params, free):
        """Inverse Fisher information at θ̂, in closed form (flat_labels order; the whole d×d
        matrix is listed, with zero variance where the structure fixes an entry):

            Cov(loc) = Σ / W;   Cov(loc, Σ) = 0
            full:       Cov(Σᵢⱼ, Σₖₗ) = (ΣᵢₖΣⱼₗ + ΣᵢₗΣⱼₖ) / W
            diag:       Var(Σᵢᵢ) = 2Σᵢᵢ² / W, off-diagonal entries 0
            spherical:  Cov(Σᵢᵢ, Σⱼⱼ) = 2σ⁴ / (W d) for every i, j; off-diagonal entries 0

        At the MLE (reg_covar = 0) this equals the observed information; with reg_covar > 0 it
        is the expected information at the regularised estimate.
        """
        W = float(stats.weight)
        cov = np.asarray(params["covariance_matrix"], dtype=float)
        d = cov.shape[0]
        blocks = []
        for name in sorted(free):
            if name == "loc":
                blocks.append(cov / W)
            elif self.covariance_type in ("full", "tied"):
                k = np.einsum("ik,jl->ijkl", cov, cov) + np.einsum("il,jk->ijkl", cov, cov)
                blocks.append(k.reshape(d * d, d * d) / W)
            else:
                k = np.zeros((d * d, d * d))
                ii = np.arange(d) * (d + 1)  # flat index of (i, i)
                if self.covariance_type == "diag":
                    k[ii, ii] = 2.0 * np.diagonal(cov) ** 2 / W
                else:
                    k[np.ix_(ii, ii)] = 2.0 * cov[0, 0] ** 2 / (W * d)
                blocks.append(k)
        size = sum(b.shape[0] for b in blocks)
        out, i = np.zeros((size, size)), 0
        for b in blocks:
            out[i : i + b.shape[0], i : i + b.shape[0]] = b
            i += b.shape[0]
        return out, flat_labels({k: params[k] for k in free})

    # -- unconstrained coordinates ------------------------------------------------------------
    def to_unconstrained(self, params):
        """loc as is; covariance: full → Cholesky factor with log diagonal (d(d+1)/2),
        diag → log variances (d,), spherical → log σ² (one scalar, carried with its dimension
        d as a :class:`SphericalLogVariance` pytree, so that the inverse needs no state)."""
        out = {}
        for k, v in params.items():
            v = jnp.asarray(v, dtype=float)
            if k == "loc":
                out[k] = v
                continue
            self.param(k)
            if self.covariance_type in ("full", "tied"):
                out[k] = CholeskyLogDiag().inverse(v)
            elif self.covariance_type == "diag":
                out[k] = jnp.log(jnp.diagonal(v))
            else:
                out[k] = SphericalLogVariance(jnp.log(jnp.trace(v) / v.shape[-1]), int(v.shape[-1]))
        return out

    def from_unconstrained(self, u):
        """Inverse of :meth:`to_unconstrained`. A spherical covariance takes its dimension from
        its :class:`SphericalLogVariance`, or, given a bare log-variance, from ``loc``."""
        out = {}
        for k, v in u.items():
            if k == "loc":
                out[k] = v
            elif self.covariance_type in ("full", "tied"):
                out[k] = CholeskyLogDiag().forward(v)
            elif self.covariance_type == "diag":
                out[k] = jnp.diag(jnp.exp(v))
            elif isinstance(v, SphericalLogVariance):
                out[k] = jnp.exp(v.log_var) * jnp.eye(v.dim)
            elif "loc" in u:
                out[k] = jnp.exp(v) * jnp.eye(u["loc"].shape[-1])
            else:
                raise ParameterError(
                    "MultivariateNormal: the dimension of a spherical covariance_matrix must be "
                    "known; got only its log-variance. Pass the SphericalLogVariance that "
                    "to_unconstrained returns, or pass loc too."
                )
        return out

    def n_free_params(self, params, fixed=()):
        """d for loc; d(d+1)/2 (full), d (diag) or 1 (spherical) for the covariance."""
        shape = np.shape(params["loc"]) if "loc" in params else np.shape(params["covariance_matrix"])
        d = int(shape[-1])
        k = 0
        if "loc" in params and "loc" not in fixed:
            k += d
        if "covariance_matrix" in params and "covariance_matrix" not in fixed:
            k += {"full": d * (d + 1) // 2, "tied": d * (d + 1) // 2, "diag": d, "spherical": 1}[self.covariance_type]
        return k


__all__ = ["COVARIANCE_TYPES", "MultivariateNormal", "MultivariateNormalStats", "SphericalLogVariance"]
__all__ += ["UNROLL_MAX_D", "factors", "diag_factors", "precision_cholesky", "scores", "diag_scores", "log_densities"]
