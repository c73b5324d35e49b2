"""Multivariate normal distribution, with full, diagonal or spherical covariance.

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

With ``loc`` fixed, M2 is replaced by the scatter about it, M2 + W (mean − loc)(mean − loc)ᵀ;
with ``covariance_matrix`` fixed, loc = mean still. ``reg_covar`` (default 0) is added to the
diagonal of the estimate — when statistics become parameters, never inside the statistics —
and turns a singular covariance (N ≤ D, constant or collinear columns) into a valid one, as
in scikit-learn's GaussianMixture.
"""

from __future__ import annotations

import difflib
import math

import numpy as np

from .. import constraints as C
from ._moments import two_sum
from ..errors import DataError, DegenerateFitError, ParameterError
from ._base import flat_labels
from ..transforms import CholeskyLogDiag
from ._base import Family, Param, Stats, frozen, jax, jnp
from ._registry import register
from ._scatter import mean_and_scatter

LOG_2PI = math.log(2 * math.pi)
COVARIANCE_TYPES = ("full", "diag", "spherical")
EPS = np.finfo(np.float64).eps


@frozen
class MultivariateNormalStats(Stats):
    """count rows, weight W, mean = mean_hi + mean_lo (d,) (double-double),
    m2 = Σ w (x − mean)(x − mean)ᵀ (d, d)."""

    count: int
    weight: float
    mean_hi: np.ndarray
    mean_lo: np.ndarray
    m2: np.ndarray

    @property
    def dim(self) -> int:
        return int(self.mean_hi.shape[0])

    @property
    def mean(self) -> np.ndarray:
        return self.mean_hi + self.mean_lo

    def merge(self, other: "MultivariateNormalStats") -> "MultivariateNormalStats":
        """Chan–Golub–LeVeque with a compensated mean: exact to rounding, associative."""
        self._check_mergeable(other)
        if other.dim != self.dim:
            raise ParameterError(
                f"MultivariateNormalStats.merge: other must have the same dimension {self.dim}; "
                f"got {other.dim}. Merge statistics of data with the same columns only."
            )
        Wa, Wb = self.weight, other.weight
        if Wb == 0.0:
            return MultivariateNormalStats(self.count + other.count, Wa, self.mean_hi, self.mean_lo, self.m2)
        if Wa == 0.0:
            return MultivariateNormalStats(self.count + other.count, Wb, other.mean_hi, other.mean_lo, other.m2)
        W = Wa + Wb
        dh, dl = two_sum(other.mean_hi, -self.mean_hi)
        delta = dh + (dl + (other.mean_lo - self.mean_lo))
        s, e = two_sum(self.mean_hi, delta * (Wb / W))
        hi, lo = two_sum(s, e + self.mean_lo)
        m2 = self.m2 + other.m2 + np.outer(delta, delta) * (Wa * Wb / W)
        return MultivariateNormalStats(self.count + other.count, W, hi, lo, m2)

    def scatter_about(self, loc: np.ndarray) -> np.ndarray:
        """Σ w (x − loc)(x − loc)ᵀ = M2 + W δδᵀ, δ = mean − loc formed before rounding."""
        delta = (self.mean_hi - loc) + self.mean_lo
        return self.m2 + self.weight * np.outer(delta, delta)


@register
class MultivariateNormal(Family):
    """Multivariate normal N(loc, covariance_matrix) on ℝᵈ; data of shape (n, d).

    Options: ``covariance_type`` "full" (default), "diag" or "spherical" (σ² I);
    ``reg_covar`` ≥ 0 added to the diagonal of the estimated covariance (default 0: the MLE).
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
        self.covariance_type = covariance_type
        self.reg_covar = reg
        self._dim: int | None = None  # remembered for spherical from_unconstrained (see there)

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
        """Per-row log density via the Cholesky factor L of Σ: z = L⁻¹(x − μ),
        log p = −½|z|² − Σ log Lᵢᵢ − (d/2) log 2π.  x: (n, d) → (n,)."""
        x = jnp.asarray(x)
        loc = jnp.asarray(params["loc"])
        L = jnp.linalg.cholesky(jnp.asarray(params["covariance_matrix"]))
        z = jax.scipy.linalg.solve_triangular(L, (x - loc).T, lower=True)
        d = x.shape[-1]
        return -0.5 * jnp.sum(z * z, axis=0) - jnp.sum(jnp.log(jnp.diagonal(L))) - 0.5 * d * LOG_2PI

    def sample(self, params, n, seed=None):
        rng = np.random.default_rng(seed)
        loc = np.asarray(params["loc"], dtype=float)
        cov = np.asarray(params["covariance_matrix"], dtype=float)
        return rng.multivariate_normal(loc, cov, size=int(n), method="cholesky")

    # -- closed form ------------------------------------------------------------------------
    def suffstats(self, x, weights=None):
        """x: float64 (n, d) (already validated); weights: (n,) or None."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2:
            x = self.validate_data(x)
        W, hi, lo, m2 = mean_and_scatter(x, weights)
        return MultivariateNormalStats(int(x.shape[0]), W, hi, lo, m2)

    def mle_from_stats(self, stats, fixed=None):
        fixed = fixed or {}
        d = stats.dim
        loc_fixed = "loc" in fixed
        if loc_fixed:
            loc = self._fixed_array(fixed["loc"], (d,), "loc", d)
        else:
            loc = stats.mean
        if "covariance_matrix" in fixed:
            cov = self._fixed_array(fixed["covariance_matrix"], (d, d), "covariance_matrix", d)
            self._check_structure(cov)
            return {"loc": loc, "covariance_matrix": cov}
        scatter = stats.scatter_about(loc) if loc_fixed else stats.m2
        if self.reg_covar == 0.0:
            self._check_degenerate(stats, scatter, loc, loc_fixed)
        W = stats.weight
        if self.covariance_type == "full":
            cov = scatter / W
        elif self.covariance_type == "diag":
            cov = np.diag(np.diagonal(scatter) / W)
        else:
            cov = np.trace(scatter) / (W * d) * np.eye(d)
        cov = cov + self.reg_covar * np.eye(d)
        try:
            np.linalg.cholesky(cov)
        except np.linalg.LinAlgError:
            raise DegenerateFitError(
                f"MultivariateNormal: covariance_matrix must be positive definite; got a numerically "
                f"singular estimate ({stats.count} observations in {d} dimensions). "
                f"{self._remedies()}"
            ) from None
        return {"loc": loc, "covariance_matrix": cov}

    def loglik_from_stats(self, stats, params):
        """ℓ = −W/2 (d log 2π + log|Σ|) − ½ tr(Σ⁻¹ (M2 + W δδᵀ)),  δ = mean − loc."""
        loc = jnp.asarray(params["loc"], dtype=float)
        cov = jnp.asarray(params["covariance_matrix"], dtype=float)
        return _loglik(stats.weight, stats.mean_hi, stats.mean_lo, stats.m2, loc, cov)

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
            elif self.covariance_type == "full":
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
        diag → log variances (d,), spherical → log σ² (scalar)."""
        out = {}
        for k, v in params.items():
            v = jnp.asarray(v, dtype=float)
            if k == "loc":
                out[k] = v
                continue
            self.param(k)
            self._dim = int(v.shape[-1])
            if self.covariance_type == "full":
                out[k] = CholeskyLogDiag().inverse(v)
            elif self.covariance_type == "diag":
                out[k] = jnp.log(jnp.diagonal(v))
            else:
                out[k] = jnp.log(jnp.trace(v) / v.shape[-1])
        return out

    def from_unconstrained(self, u):
        """Inverse of :meth:`to_unconstrained`. A spherical covariance takes its dimension from
        ``loc`` when present, else from the last :meth:`to_unconstrained` call."""
        out = {}
        for k, v in u.items():
            if k == "loc":
                out[k] = v
            elif self.covariance_type == "full":
                out[k] = CholeskyLogDiag().forward(v)
            elif self.covariance_type == "diag":
                out[k] = jnp.diag(jnp.exp(v))
            else:
                d = u["loc"].shape[-1] if "loc" in u else self._dim
                if d is None:
                    raise ParameterError(
                        "MultivariateNormal: the dimension of a spherical covariance_matrix must be "
                        "known; got only its log-variance. Call to_unconstrained first, or pass loc too."
                    )
                out[k] = jnp.exp(v) * jnp.eye(d)
        return out

    def n_free_params(self, params, fixed=()):
        """d for loc; d(d+1)/2 (full), d (diag) or 1 (spherical) for the covariance."""
        shape = np.shape(params["loc"]) if "loc" in params else np.shape(params["covariance_matrix"])
        d = int(shape[-1])
        k = 0
        if "loc" in params and "loc" not in fixed:
            k += d
        if "covariance_matrix" in params and "covariance_matrix" not in fixed:
            k += {"full": d * (d + 1) // 2, "diag": d, "spherical": 1}[self.covariance_type]
        return k

    # -- checks -------------------------------------------------------------------------------
    def _remedies(self) -> str:
        other = 'covariance_type="diag"' if self.covariance_type == "full" else 'covariance_type="spherical"'
        return (
            f"Pass reg_covar=1e-6 (added to the diagonal), use {other}, "
            "drop the offending column(s), or fix covariance_matrix."
        )

    def _fixed_array(self, value, shape, name, d):
        arr = np.asarray(value, dtype=float)
        if arr.shape != shape:
            raise ParameterError(
                f"MultivariateNormal: fixed `{name}` must have shape {shape} to match the data's {d} "
                f"column(s); got shape {arr.shape}."
            )
        return arr

    def _check_structure(self, cov):
        if self.covariance_type == "full":
            return
        off = cov - np.diag(np.diagonal(cov))
        if np.any(off != 0.0):
            raise ParameterError(
                f"MultivariateNormal(covariance_type={self.covariance_type!r}): fixed covariance_matrix "
                f"must be diagonal; got off-diagonal entries up to {np.abs(off).max():g}. "
                'Fix a diagonal matrix, or use covariance_type="full".'
            )
        diag = np.diagonal(cov)
        if self.covariance_type == "spherical" and np.any(diag != diag[0]):
            raise ParameterError(
                "MultivariateNormal(covariance_type='spherical'): fixed covariance_matrix must be "
                f"σ²·I (equal diagonal entries); got diagonal {np.array2string(diag, precision=6, threshold=10)}. "
                'Fix a multiple of the identity, or use covariance_type="diag".'
            )

    def _check_degenerate(self, stats, scatter, loc, loc_fixed):
        """Raise DegenerateFitError, naming the cause and remedies, where the MLE of the
        covariance is singular (the likelihood is then unbounded)."""
        n, d, W = stats.count, stats.dim, stats.weight
        remedies = self._remedies()
        if self.covariance_type == "full" and (n < d if loc_fixed else n <= d):
            need = "at least as many observations as" if loc_fixed else "more observations than"
            raise DegenerateFitError(
                f"MultivariateNormal: a full covariance_matrix needs {need} dimensions; got {n} "
                f"observation(s) in {d} dimensions, so the sample covariance is singular (rank at most "
                f"{n if loc_fixed else n - 1}) and the likelihood is unbounded. {remedies} Or add data."
            )
        var = np.diagonal(scatter) / W
        scale = np.maximum(np.abs(stats.mean), np.abs(loc))
        const = var <= (4.0 * EPS * scale) ** 2
        about = " about the fixed loc" if loc_fixed else ""
        if self.covariance_type == "spherical":
            if const.all():
                raise DegenerateFitError(
                    f"MultivariateNormal: the data must vary in some column to estimate a spherical "
                    f"covariance_matrix; got all {d} column(s) constant{about} (zero variance), so the "
                    f"likelihood is unbounded. Pass reg_covar=1e-6 (added to the diagonal), or fix "
                    "covariance_matrix."
                )
            return
        if const.any():
            cols = np.flatnonzero(const).tolist()
            raise DegenerateFitError(
                f"MultivariateNormal: every column must vary to estimate covariance_matrix; got "
                f"constant column(s) {cols}{about} (zero variance), so the likelihood is unbounded. "
                + remedies.replace('use covariance_type="diag", ', "")
            )
        if self.covariance_type == "full":
            dependent = _collinear_columns(scatter)
            if dependent:
                j, basis = dependent
                raise DegenerateFitError(
                    f"MultivariateNormal: the columns must be linearly independent to estimate a full "
                    f"covariance_matrix; got collinear columns: column {j} is a linear combination of "
                    f"column(s) {basis}, so the sample covariance is singular and the likelihood is "
                    f"unbounded. {remedies}"
                )


@jax.jit
def _loglik(W, mean_hi, mean_lo, m2, loc, cov):
    """Jitted core of loglik_from_stats (compiled once per d; differentiable)."""
    d = m2.shape[0]
    L = jnp.linalg.cholesky(cov)
    delta = (mean_hi - loc) + mean_lo
    scatter = m2 + W * jnp.outer(delta, delta)
    tr = jnp.trace(jax.scipy.linalg.cho_solve((L, True), scatter))
    logdet = 2.0 * jnp.sum(jnp.log(jnp.diagonal(L)))
    return -0.5 * W * (d * LOG_2PI + logdet) - 0.5 * tr


def _collinear_columns(scatter: np.ndarray):
    """First column (in order) that is, to rounding, a linear combination of earlier ones:
    (j, [columns it depends on]) or None. Greedy Cholesky on the correlation matrix: the
    squared pivot of column j is 1 − R² of its regression on the independent earlier columns."""
    d = scatter.shape[0]
    sd = np.sqrt(np.diagonal(scatter))
    R = scatter / np.outer(sd, sd)
    tol = 1000.0 * d * EPS
    basis: list[int] = []
    L = np.zeros((0, 0))
    for j in range(d):
        r = R[basis, j]
        y = np.linalg.solve(L, r) if basis else r
        resid = R[j, j] - y @ y
        if resid <= tol:
            beta = np.linalg.solve(L.T, y)
            big = np.abs(beta) > 1e-8 * np.abs(beta).max()
            return j, [basis[i] for i in np.flatnonzero(big)]
        k = len(basis)
        L2 = np.zeros((k + 1, k + 1))
        L2[:k, :k] = L
        L2[k, :k] = y
        L2[k, k] = math.sqrt(resid)
        L, basis = L2, basis + [j]
    return None


__all__ = ["MultivariateNormal", "MultivariateNormalStats"]
