"""Expected Fisher information per observation, I(θ) = −E[∂² log p(X | θ) / ∂θ ∂θᵀ], (P, P) in
the order of ``family.param_names``; the Cramér–Rao bound of n observations is I⁻¹ / n.

Closed forms where they are textbook (:data:`CLOSED`); otherwise the Monte-Carlo average of the
observed information at the true parameters over ``MC_DRAWS`` draws from the model (the families'
NumPy second derivatives where they have them, else the JAX Hessian of ``log_prob``).
"""

from __future__ import annotations

import numpy as np

MC_DRAWS = 200_000


def _normal(p):
    s2 = p["scale"] ** 2
    return np.diag([1.0 / s2, 2.0 / s2])


def _cauchy(p):  # 1/(2γ²) for both location and scale, no cross term
    g2 = p["scale"] ** 2
    return np.diag([0.5 / g2, 0.5 / g2])


def _laplace(p):  # 1/b² for both; the location's by the score (log p has no second derivative at x = μ)
    b2 = p["scale"] ** 2
    return np.diag([1.0 / b2, 1.0 / b2])


#: family name -> θ -> I(θ) (P, P), per observation
CLOSED = {
    "laplace": _laplace,
    "normal": _normal,
    "cauchy": _cauchy,
    "exponential": lambda p: np.array([[1.0 / p["rate"] ** 2]]),
    "poisson": lambda p: np.array([[1.0 / p["rate"]]]),
    "bernoulli": lambda p: np.array([[1.0 / (p["probs"] * (1.0 - p["probs"]))]]),
    "geometric": lambda p: np.array([[1.0 / (p["probs"] ** 2 * (1.0 - p["probs"]))]]),
}


def expected_information(family, params: dict, draw) -> tuple[np.ndarray, str]:
    """(I(θ) (P, P), how it was obtained: "closed form" or "Monte Carlo (m draws)").
    ``draw(m)`` returns m observations from the model at ``params``."""
    if family.name in CLOSED:
        return np.asarray(CLOSED[family.name](params), dtype=float), "closed form"
    x = draw(MC_DRAWS)
    names = family.param_names
    derivs = family.log_prob_derivatives({k: float(params[k]) for k in names}, x) if family.has_derivatives else None
    if derivs is not None:
        info = -np.mean(np.asarray(derivs[2], dtype=float), axis=0)
    else:
        from .._xp import jax, jnp

        def mean_lp(theta):
            return jnp.mean(family.log_prob(dict(zip(names, theta)), jnp.asarray(x)))

        info = -np.asarray(jax.hessian(mean_lp)(jnp.asarray([float(params[k]) for k in names])))
    return 0.5 * (info + info.T), f"Monte Carlo ({MC_DRAWS:,} draws)"


def cramer_rao(info: np.ndarray, names: tuple, free: list[str]) -> np.ndarray:
    """The per-observation variance bound of the free parameters, [I_free]⁻¹ (F, F) in the order of
    ``free``, the fixed ones known (their rows and columns dropped); NaN where I is not positive
    definite (a non-regular family such as the Uniform, whose support moves with θ: no bound applies)."""
    idx = [names.index(k) for k in free]
    block = info[np.ix_(idx, idx)]
    if not (np.all(np.isfinite(block)) and np.all(np.linalg.eigvalsh(block) > 0)):
        return np.full(block.shape, np.nan)
    return np.linalg.inv(block)
