"""A conjugate prior for Gaussian-mixture components: the MAP fit of R mclust's ``priorControl()``
(Fraley & Raftery 2007, "Bayesian regularization for normal mixture estimation and model-based
clustering", J. Classification 24). It is MAP estimation, not maximum likelihood: the prior keeps
every covariance away from the singular boundary, where the likelihood is unbounded.

Prior (normal-inverse-Wishart, per component k):  μₖ | Σₖ ~ N(μ_P, Σₖ / κ_P),  Σₖ ~ IW(ν_P, Λ_P).
mclust's ``defaultPrior`` for the unconstrained model (VVV): κ_P = 0.01 (``shrinkage``), μ_P = the
data mean, ν_P = d + 2, Λ_P = var(X) / G^(2/d) (R's ``var``, divisor n − 1). MAP M-step
(mclust's Fortran ``msvvvp``), with Nₖ, x̄ₖ, Wₖ the weighted count, mean and scatter:

    μ̂ₖ = (Nₖ x̄ₖ + κ_P μ_P) / (Nₖ + κ_P)
    Σ̂ₖ = (Λ_P + Wₖ + (Nₖ κ_P / (Nₖ + κ_P)) (x̄ₖ − μ_P)(x̄ₖ − μ_P)ᵀ) / (ν_P + Nₖ + d + 2)

(the last term d + 1 when κ_P = 0); the weights stay Nₖ / N. Only the full covariance type has
it here (mclust's default prior for the other models uses other conjugate forms).
"""

from __future__ import annotations

import numpy as np

from ..errors import ParameterError

KEYS = ("shrinkage", "mean", "dof", "scale")


def resolve_prior(owner: str, prior, X: np.ndarray, w: np.ndarray, K: int, covariance_type: str) -> dict | None:
    """The prior's parameters for data X (n, d) with weights w and K components: ``prior`` None
    (no prior: MLE), "default" (mclust's defaultPrior) or a dict overriding some of KEYS."""
    if prior is None:
        return None
    if covariance_type != "full":
        raise ParameterError(f"{owner}: prior must be used with covariance_type='full' (mclust's VVV); got "
                             f"covariance_type={covariance_type!r}. Use covariance_type='full', or reg_covar.")
    given = {} if isinstance(prior, str) and prior == "default" else prior
    if not isinstance(given, dict) or set(given) - set(KEYS):
        raise ParameterError(f"{owner}: prior must be None, 'default' or a dict with keys among {list(KEYS)}; got "
                             f"{prior!r}. Pass prior='default' for mclust's priorControl().")
    d = X.shape[1]
    W = w.sum()
    mean = w @ X / W
    Xc = X - mean
    cov = (Xc * w[:, None]).T @ Xc / (W - 1.0) if W > d + 1 else np.diag((w @ (Xc * Xc)) / max(W - 1.0, 1.0))
    out = {"shrinkage": 0.01, "mean": mean, "dof": d + 2.0, "scale": cov / K ** (2.0 / d)}
    out.update({k: np.asarray(v, dtype=float) if k in ("mean", "scale") else float(v) for k, v in given.items()})
    if out["shrinkage"] < 0 or out["dof"] <= d - 1 or np.shape(out["mean"]) != (d,) or np.shape(out["scale"]) != (d, d):
        raise ParameterError(f"{owner}: prior must have shrinkage >= 0, dof > d - 1 = {d - 1}, mean of shape ({d},) and "
                             f"scale of shape ({d}, {d}); got {given!r}.")
    return out


def map_step(N: np.ndarray, means: np.ndarray, M2: np.ndarray, prior: dict, center: np.ndarray):
    """MAP means (K, d) and covariances (K, d, d) from the centred statistics (N (K,), means
    (K, d), M2 (K, d, d)); ``center`` is what was subtracted from the data."""
    kappa, mu, nu, scale = prior["shrinkage"], prior["mean"] - center, prior["dof"], prior["scale"]
    d = means.shape[1]
    delta = means - mu
    c = N * kappa / (N + kappa)
    covs = (scale + M2 + c[:, None, None] * delta[:, :, None] * delta[:, None, :])
    covs = covs / (nu + N + d + (2.0 if kappa > 0 else 1.0))[:, None, None]
    return (N[:, None] * means + kappa * mu) / (N + kappa)[:, None], covs


__all__ = ["KEYS", "map_step", "resolve_prior"]
