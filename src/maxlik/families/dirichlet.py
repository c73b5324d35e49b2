"""Dirichlet distribution (``concentration`` α ∈ (0, ∞)^d; scipy ``dirichlet(alpha)``).

Each observation is a row x = (x₁, …, x_d) of positive proportions summing to 1:

    log p(x | α) = log Γ(α₀) − Σ log Γ(αᵢ) + Σ (αᵢ − 1) log xᵢ,   α₀ = Σ αᵢ

Data: shape (n, d). Rows must lie in the open simplex (every entry > 0, sum 1 within 1e-8):
a zero proportion has density 0 or ∞.

No closed form, but the log-likelihood depends on the data only through W = Σ w and the vector
S = Σ w log x (d,):  ℓ(α) = W (log Γ(α₀) − Σ log Γ(αᵢ)) + Σ (αᵢ − 1) Sᵢ, concave in α (an
exponential family). So, as for Gamma, the data are read once into mergeable statistics and
Newton runs on them (``method="newton_on_stats"``): with m = S / W, the score per unit weight is
gᵢ = ψ(α₀) − ψ(αᵢ) + mᵢ and the Hessian H = ψ′(α₀) 11ᵀ − diag ψ′(αᵢ) (negative definite). Once a
Newton step moves every αᵢ by less than 1e-9 relative (or stops shrinking, at the rounding level), one more full step ends the
iteration (quadratic convergence). Start: α = s p with
pᵢ = exp(mᵢ) / Z, Z = Σ exp(mⱼ), and s = (d − 1) / (−2 log Z), the maximiser along p of ℓ with
Stirling's log Γ. While Newton would move some αᵢ by half of itself or more, or would not ascend, the
better of a damped Newton step and Minka's (2000) fixed point αᵢ ← ψ⁻¹(ψ(α₀) + mᵢ) (which never
decreases ℓ) is taken instead. Z < 1 unless every row is the same point (Jensen), where ℓ grows without bound as
α → ∞: DegenerateFitError.

Observed information (= expected, it does not depend on the data): W (diag ψ′(α) − ψ′(α₀) 11ᵀ);
its inverse is the covariance of α̂ (``exact_covariance``).

``init`` (for ``method="newton"`` and the other per-observation optimizers) is Minka's (2000)
moment match: α = s · mean, with the precision s = (m_i − E[x_i²]) / (E[x_i²] − m_i²) combined over
components through the mean of log s.
"""

from __future__ import annotations

import math

import numpy as np

from .. import constraints as C
from .._xp import namespace, special
from ..errors import DegenerateFitError, ParameterError
from ._base import Family, Param, Stats, flat_labels, frozen, jnp
from ._registry import register
from ._start import weights_or_ones

MAX_NEWTON = 200


@frozen
class DirichletStats(Stats):
    """count rows, weight W = Σ w, sum_log = Σ w log x (d,) (merge: add)."""

    count: int
    weight: float
    sum_log: np.ndarray

    def merge(self, other: "DirichletStats") -> "DirichletStats":
        self._check_mergeable(other)
        if other.sum_log.shape != self.sum_log.shape:
            raise ParameterError(
                f"DirichletStats.merge: other must have the same dimension {self.sum_log.shape[0]}; got "
                f"{other.sum_log.shape[0]}. Merge statistics of data with the same columns only."
            )
        return DirichletStats(self.count + other.count, self.weight + other.weight, self.sum_log + other.sum_log)


def _inverse_digamma(y: np.ndarray, digamma, polygamma) -> np.ndarray:
    """x with ψ(x) = y, elementwise: Minka's (2000, appendix C) start, then Newton (5 steps reach
    working precision)."""
    x = np.where(y >= -2.22, np.exp(np.minimum(y, 700.0)) + 0.5, -1.0 / (y - digamma(1.0)))
    for _ in range(5):
        x = x - (digamma(x) - y) / polygamma(1, x)
    return x


def _newton(mean_log: np.ndarray, count: int) -> np.ndarray:
    """The maximiser α of ℓ(α) / W = log Γ(α₀) − Σ log Γ(αᵢ) + Σ (αᵢ − 1) mᵢ (module docstring)."""
    from scipy.special import digamma, gammaln, polygamma  # here: importing scipy.special takes ~0.4 s

    log_z = float(np.logaddexp.reduce(mean_log))
    if not log_z < -1e-13:
        raise DegenerateFitError(
            f"Dirichlet: concentration must be finite, but all {count} observations are the same point, so "
            "the likelihood grows without bound as the distribution narrows (concentration -> inf). "
            "Fix concentration with fixed={'concentration': ...}, or add varied data."
        )
    d = mean_log.shape[0]

    def objective(a):
        """ℓ / W at a, and the rounding error it may carry (its terms cancel for peaked data)."""
        terms = np.concatenate([[gammaln(a.sum())], -gammaln(a), (a - 1.0) * mean_log])
        return float(terms.sum()), 1e-14 * float(np.abs(terms).sum())

    alpha = np.exp(mean_log - log_z) * (d - 1) / (-2.0 * log_z)
    (value, _), last = objective(alpha), math.inf
    for _ in range(MAX_NEWTON):
        g = digamma(alpha.sum()) - digamma(alpha) + mean_log
        neg_h = np.diag(polygamma(1, alpha)) - polygamma(1, alpha.sum())
        step = np.linalg.solve(neg_h, g)
        rel = float(np.max(np.abs(step) / alpha))
        # quadratic convergence: past 1e-9 one more step reaches rounding; a step no smaller than
        # half the one before it is rounding noise already (very peaked data: ψ differences cancel)
        if rel <= 1e-9 or (rel <= 1e-6 and rel >= 0.5 * last):
            return alpha + step if np.all(alpha + step > 0) else alpha
        last = rel
        if rel < 0.5:  # near the maximum: the full Newton step, if it ascends
            trial_value, noise = objective(alpha + step)
            if trial_value >= value - noise:
                alpha, value = alpha + step, trial_value
                continue
        # far from it: the better of a damped Newton step (halved until α > 0 and ℓ ascends) and
        # Minka's fixed point αᵢ ← ψ⁻¹(ψ(α₀) + mᵢ), which never decreases ℓ
        fixed_point = _inverse_digamma(digamma(alpha.sum()) + mean_log, digamma, polygamma)
        candidates = [(objective(fixed_point)[0], fixed_point)]
        t = 1.0
        while t > 1e-3 and not np.all(alpha + t * step > 0):
            t *= 0.5
        if np.all(alpha + t * step > 0):
            candidates.append((objective(alpha + t * step)[0], alpha + t * step))
        value, alpha = max(candidates, key=lambda c: c[0])
    raise DegenerateFitError(
        f"Dirichlet: concentration must have a finite maximum likelihood estimate; the Newton iteration "
        f"did not settle after {MAX_NEWTON} steps (last value {np.array2string(alpha, precision=6)}). Check "
        "the data for rows near the edge of the simplex, or fix concentration with fixed={'concentration': ...}."
    )


class _OpenSimplex(C.Constraint):
    """Rows of positive entries summing to 1 (within 1e-8): the support of the Dirichlet."""

    name = "open_simplex"
    event_ndim = 1

    def check(self, value):
        v = np.asarray(value, dtype=float)
        return np.all(v > 0, axis=-1) & (np.abs(v.sum(axis=-1) - 1.0) < 1e-8)

    def describe(self):
        return "rows of positive proportions summing to 1"


open_simplex = _OpenSimplex()


@register
class Dirichlet(Family):
    name = "dirichlet"
    params = (
        Param("concentration", C.positive, "concentration αᵢ of each component", shape=("d",), typical=(0.5, 10.0)),
    )
    support = open_simplex
    event_ndim = 1

    def log_prob(self, params, x):
        from jax.scipy.special import gammaln  # here, not at the top: importing the family loads no JAX
        a = jnp.asarray(params["concentration"])
        norm = gammaln(jnp.sum(a)) - jnp.sum(gammaln(a))
        return norm + jnp.sum((a - 1.0) * jnp.log(x), axis=-1)

    def sample(self, params, n, seed=None):
        a = np.asarray(params["concentration"], dtype=float)
        return np.random.default_rng(seed).dirichlet(a, size=n)

    # -- Newton on the sufficient statistics ------------------------------------------------------
    stats_method = "newton_on_stats"

    def suffstats(self, x, weights=None):
        """x: (n, d) rows in the open simplex (validated) -> W and Σ w log x (d,)."""
        logs = np.log(x)
        if weights is None:
            return DirichletStats(x.shape[0], float(x.shape[0]), logs.sum(axis=0))
        return DirichletStats(x.shape[0], float(weights.sum()), weights @ logs)

    def mle_from_stats(self, stats, fixed=None):
        fixed = fixed or {}
        if "concentration" in fixed:
            a = np.asarray(fixed["concentration"], dtype=float)
            if a.shape != stats.sum_log.shape:
                raise ParameterError(
                    f"Dirichlet: fixed concentration must have shape {stats.sum_log.shape} (one entry per "
                    f"column of the data); got shape {a.shape}."
                )
            return {"concentration": a}
        return {"concentration": _newton(stats.sum_log / stats.weight, stats.count)}

    def loglik_from_stats(self, stats, params):
        """ℓ = W (log Γ(α₀) − Σ log Γ(αᵢ)) + Σ (αᵢ − 1) Sᵢ (NumPy for NumPy values, JAX for JAX)."""
        a = params["concentration"]
        xp = namespace(a)
        gammaln = special(xp).gammaln
        return stats.weight * (gammaln(xp.sum(a)) - xp.sum(gammaln(a))) + xp.sum((a - 1.0) * stats.sum_log)

    def exact_covariance(self, stats, params, free):
        """(W (diag ψ′(α) − ψ′(α₀) 11ᵀ))⁻¹ over concentration[0..d−1]."""
        from scipy.special import polygamma

        if "concentration" not in free:
            return np.zeros((0, 0)), []
        a = np.asarray(params["concentration"], dtype=float)
        info = stats.weight * (np.diag(polygamma(1, a)) - polygamma(1, a.sum()))
        try:
            chol = np.linalg.cholesky(info)
        except np.linalg.LinAlgError:
            return None
        inv_chol = np.linalg.solve(chol, np.eye(a.shape[0]))
        return inv_chol.T @ inv_chol, flat_labels({"concentration": a})

    def init(self, x, weights=None):
        w = weights_or_ones(x, weights)
        W = w.sum()
        m = w @ x / W
        m2 = w @ (x * x) / W
        var = m2 - m * m
        ok = (var > 0) & (m > m2)
        if ok.any():
            s = math.exp(float(np.mean(np.log((m[ok] - m2[ok]) / var[ok]))))
        else:  # every row identical: the MLE is unbounded; start very concentrated
            s = 1e6
        return {"concentration": s * m}
