"""EM for a finite mixture of any closed-form family:  p(x) = Σₖ πₖ f(x | θₖ).

    E-step:  rₙₖ = πₖ f(xₙ | θₖ) / Σⱼ πⱼ f(xₙ | θⱼ)           (log-sum-exp of ``family.log_prob``)
    M-step:  θₖ = family.mle_from_stats(family.suffstats(x, weights = wₙ rₙₖ)),   πₖ = Nₖ / Σⱼ Nⱼ

The loop is the engine's EM driver (:func:`maxlik.optimize.em.em`). A family that fits groups
jointly (MultivariateNormal(covariance_type="tied"): one covariance pooled over components) is
given all K statistics in one ``mle_from_stats`` call.

The M-step is by definition the family's weighted closed-form MLE, so the log-likelihood
ℓ(θ) = Σₙ wₙ log Σₖ πₖ f(xₙ | θₖ) never decreases (EM's monotonicity; with ``reg_covar`` > 0
the M-step is a regularised MLE and the guarantee holds only up to the regularisation).

A scalar family (``event_ndim == 0``: Poisson, Bernoulli, ...) given (n, d) data is used as a
product of d independent copies, one per column: f(x | θₖ) = Πⱼ f(xⱼ | θₖⱼ) (a mixture of
independent Bernoullis is latent class analysis). ``lower_bounds`` follows scikit-learn: entry i
is ℓ(θ⁽ⁱ⁻¹⁾)/W, the average log-likelihood of the parameters going into iteration i.
A component that loses all its weight, or whose M-step has no MLE (DegenerateFitError), is
named in the error instead of producing NaNs.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy.special import logsumexp
from sklearn.utils import check_random_state

from .._xp import jax, jnp
from .._validation import as_data, as_weights, check_support, row_label
from ..errors import ConvergenceWarning, DegenerateFitError, ParameterError
from ..families import Family, get_family
from ..families.mvnormal import MultivariateNormal
from ..optimize.em import em
from ..results import Result
from ..status import Status
from .._deprecation import renamed_arguments
from ._mixture_init import INIT_METHODS, initial_responsibilities

SMOOTH = 0.1  # generic kmeans++ start: responsibilities (1 − SMOOTH)·one-hot + SMOOTH/K


@dataclass
class MixtureFit(Result):
    """A fitted mixture on the one result protocol: ``params`` = {"weights": (K,), and each
    component parameter stacked over components, e.g. "rate": (K,) or "loc": (K, d)}; ``loglik``
    (ℓ at the final parameters), ``n`` rows, ``weight`` (Σ w), ``n_params``, ``aic``/``bic``,
    ``status`` (CONVERGED or MAX_ITER) and ``message``; extras: ``components`` (K parameter
    dicts; for a product of scalar families each value has shape (d,)), the trace
    ``lower_bounds``, ``n_iter``. Standard errors are not computed for a generic mixture
    (``GaussianMixture(...).result_`` has them for Gaussians)."""

    family: Family
    weights: np.ndarray
    components: list
    lower_bounds: np.ndarray
    status: Status
    n_iter: int
    loglik: float
    n: int
    weight: float
    product: bool = field(default=False)

    @property
    def title(self) -> str:
        return f"mixture of {len(self.weights)} {self.family!r}"

    @property
    def owner(self) -> str:
        return "fit_mixture"

    @property
    def params(self) -> dict:
        stacked = {k: np.stack([np.asarray(c[k], dtype=float) for c in self.components]) for k in self.components[0]}
        return {"weights": np.asarray(self.weights, dtype=float), **stacked}

    @property
    def W(self) -> float:
        """Σ w (the total weight; ``weight`` in the result protocol)."""
        return self.weight

    @property
    def message(self) -> str:
        if self.status is Status.CONVERGED:
            return f"EM converged after {self.n_iter} iterations"
        return f"EM stopped at the iteration limit after {self.n_iter} iterations"

    def _covariance(self):
        return None, [], "fit_mixture does not compute standard errors (GaussianMixture(...).result_ has them for Gaussians)"

    def _details(self) -> list[tuple[str, str]]:
        return [("EM iterations", str(self.n_iter))]

    def _extra_dict(self) -> dict:
        return {"n_iter": int(self.n_iter), "lower_bounds": [float(v) for v in self.lower_bounds]}

    def component_log_prob(self, x) -> np.ndarray:
        """log f(xₙ | θₖ): (n, K)."""
        x = _prepare(x, self.family)[0]
        return _component_log_prob(self.family, self.components, x, self.product)

    def score_samples(self, x) -> np.ndarray:
        """log p(xₙ) = log Σₖ πₖ f(xₙ | θₖ): (n,)."""
        with np.errstate(divide="ignore"):
            return logsumexp(self.component_log_prob(x) + np.log(self.weights)[None], axis=1)

    def predict_proba(self, x) -> np.ndarray:
        with np.errstate(divide="ignore"):
            j = self.component_log_prob(x) + np.log(self.weights)[None]
        return np.exp(j - logsumexp(j, axis=1, keepdims=True))

    def predict(self, x) -> np.ndarray:
        return np.argmax(self.predict_proba(x), axis=1)

    @property
    def n_params(self) -> int:
        K = len(self.weights)
        if _pooled(self.family):  # K means, one shared covariance
            loc = self.components[0]["loc"]
            return K - 1 + K * self.family.n_free_params({"loc": loc}) + self.family.n_free_params(
                {"covariance_matrix": self.components[0]["covariance_matrix"]})
        per = sum(self.family.n_free_params(_column(c, j)) for c in self.components[:1] for j in _columns(c, self.product))
        return K - 1 + K * per


def _columns(params, product):
    return range(np.shape(next(iter(params.values())))[0]) if product else [None]


def _column(params, j):
    return params if j is None else {k: np.asarray(v)[j] for k, v in params.items()}


def _prepare(x, family):
    """Validated data and whether the scalar family is used as a product over columns."""
    if family.event_ndim == 0 and np.ndim(x) == 2 and np.shape(x)[1] > 1:
        arr = as_data(x, family.display_name, 1)
        check_support(arr, family.support, family.display_name)
        return arr, True
    return family.validate_data(x), False


_JITTED: dict = {}


def _log_prob_fn(family):
    """``family.log_prob`` compiled once per family configuration (EM calls it K·d times per
    iteration; eager JAX dispatch would dominate)."""
    try:
        return _JITTED.setdefault(family, jax.jit(family.log_prob))
    except TypeError:  # an unhashable user family: run it eagerly
        return family.log_prob


def _component_log_prob(family, components, x, product) -> np.ndarray:
    out = np.empty((x.shape[0], len(components)))
    lp = _log_prob_fn(family)
    for k, params in enumerate(components):
        if product:
            xs = jnp.asarray(x)
            out[:, k] = sum(np.asarray(lp(_column(params, j), xs[:, j])) for j in range(x.shape[1]))
        else:
            out[:, k] = np.asarray(lp(params, jnp.asarray(x)))
    return out


def _pooled(family) -> bool:
    """True for a family whose components share a parameter (fitted from all K statistics)."""
    return isinstance(family, MultivariateNormal) and family.covariance_type == "tied"


def _mle(family, stats, product):
    """Parameters of one component from its statistics (a list of per-column ones for a product)."""
    if not product:
        return {k: np.asarray(v) for k, v in family.mle_from_stats(stats).items()}
    cols = [family.mle_from_stats(s) for s in stats]
    return {k: np.array([c[k] for c in cols], dtype=float) for k in cols[0]}


def _suffstats(family, x, weights, product):
    return [family.suffstats(x[:, j], weights) for j in range(x.shape[1])] if product else family.suffstats(x, weights)


def m_step(family, x, w, resp, product, iteration, owner="fit_mixture"):
    """Weighted closed-form MLE per component; returns (weights (K,), components)."""
    nk = w @ resp
    W = w.sum()
    for k in range(resp.shape[1]):
        if nk[k] <= 1e-10 * W:
            raise DegenerateFitError(
                f"{owner}: component {k} must keep a positive weight; got weight {nk[k] / W:.3g} at EM "
                f"iteration {iteration} (the component lost all its observations). Use fewer components, "
                "or another start (seed, n_init, init_params)."
            )
    stats = [_suffstats(family, x, w * resp[:, k], product) for k in range(resp.shape[1])]
    if _pooled(family) and not product:
        try:
            components = [{k: np.asarray(v) for k, v in p.items()} for p in family.mle_from_stats(stats)]
        except DegenerateFitError as exc:
            raise _collapsed(owner, "the pooled components", iteration, W, W, family, exc) from None
        return nk / nk.sum(), components
    components = []
    for k in range(resp.shape[1]):
        try:
            components.append(_mle(family, stats[k], product))
        except DegenerateFitError as exc:
            raise _collapsed(owner, f"component {k}", iteration, nk[k], W, family, exc) from None
    return nk / nk.sum(), components


def _collapsed(owner, which, iteration, weight, W, family, exc):
    return DegenerateFitError(
        f"{owner}: {which} must have a maximum likelihood estimate at every EM iteration; got "
        f"none at iteration {iteration} (effective weight {weight:.4g} of {W:.4g}: the component "
        f"collapsed). {family.display_name} says: {exc} Use fewer components, or another start "
        "(seed, n_init); for Gaussians pass reg_covar (e.g. 1e-6)."
    )


def fit_mixture(
    x,
    family,
    n_components: int,
    *,
    weights=None,
    max_iter: int = 100,
    tol: float = 1e-3,
    n_init: int = 1,
    init_params: str = "kmeans++",
    seed=None,
    weights_init=None,
    components_init=None,
    **deprecated,
) -> MixtureFit:
    """Fit a K-component mixture of ``family`` (a Family instance or registry name) by EM.

    x: (n,) or (n, d) for a scalar family (columns independent), (n, d) for a vector family.
    ``weights`` (n,): observation weights (integer weights = repeated rows). ``weights_init``
    (K,) and ``components_init`` (K parameter dicts) give the start; otherwise responsibilities
    from ``init_params`` ("kmeans++" or "random", drawn with ``seed``) and one M-step. With
    ``n_init`` > 1 the start with the highest final ℓ is kept. Convergence: the average
    log-likelihood ℓ/W changes by less than ``tol``. Returns a :class:`MixtureFit`.

    Deprecated spellings (one release, with a DeprecationWarning): ``sample_weight`` → ``weights``,
    ``random_state`` → ``seed``, ``init`` → ``init_params``.
    """
    new = renamed_arguments("fit_mixture", deprecated, {"sample_weight": "weights", "random_state": "seed",
                                                        "init": "init_params"})
    weights, seed = new.get("weights", weights), new.get("seed", seed)
    init_params = new.get("init_params", init_params)
    fam = get_family(family, owner="fit_mixture") if isinstance(family, str) else family
    if not fam.has_closed_form:
        raise ParameterError(
            f"fit_mixture: family must have a closed-form MLE (suffstats/mle_from_stats); got "
            f"{fam.display_name}. Choose a closed-form family such as Poisson, Bernoulli or MultivariateNormal."
        )
    if init_params not in INIT_METHODS:
        raise ParameterError(f"fit_mixture: init_params must be one of {list(INIT_METHODS)}; got {init_params!r}.")
    if not (isinstance(n_init, (int, np.integer)) and n_init >= 1):
        raise ParameterError(f"fit_mixture: n_init must be a positive integer; got {n_init!r}.")
    X, product = _prepare(x, fam)
    n = X.shape[0]
    if not (isinstance(n_components, (int, np.integer)) and 1 <= n_components <= n):
        raise ParameterError(
            f"fit_mixture: n_components must be an integer between 1 and the number of samples ({n}); "
            f"got {n_components!r}. Use fewer components or more data."
        )
    w = as_weights(weights, n, "fit_mixture")
    w = np.ones(n) if w is None else w
    W = float(w.sum())
    rng = check_random_state(seed)

    def init(_):
        if components_init is not None:
            wts = np.full(n_components, 1.0 / n_components) if weights_init is None else np.asarray(weights_init, float)
            return wts, [{k: np.asarray(v, float) for k, v in c.items()} for c in components_init]
        r = initial_responsibilities(X if X.ndim == 2 else X[:, None], n_components, init_params, rng, w)
        if init_params == "kmeans++":
            r = (1.0 - SMOOTH) * r + SMOOTH / n_components
        wts, comps = m_step(fam, X, w, r, product, 0)
        return (wts if weights_init is None else np.asarray(weights_init, float)), comps

    def e_step(params):
        wts, comps = params
        with np.errstate(divide="ignore"):
            j = _component_log_prob(fam, comps, X, product) + np.log(wts)[None]
        lse = logsumexp(j, axis=1)
        bad = ~np.isfinite(lse) & (w > 0)
        if bad.any():
            i = int(np.argmax(bad))
            raise DegenerateFitError(
                f"fit_mixture: every row must have positive density under some component; got {row_label(i)} "
                f"with zero density under all {len(comps)} components. Use another start or fewer components."
            )
        return float(w @ lse), np.exp(j - lse[:, None])

    def loglik(params):
        wts, comps = params
        with np.errstate(divide="ignore"):
            return float(w @ logsumexp(_component_log_prob(fam, comps, X, product) + np.log(wts)[None], axis=1))

    run = em(e_step, lambda resp, it: m_step(fam, X, w, resp, product, it), init, weight=W,
             max_iter=max_iter, tol=tol, n_init=n_init, loglik=loglik)
    if not run.converged:
        warnings.warn(
            f"fit_mixture: EM must converge within max_iter={max_iter}; got a last change of {run.last_change:.3g} "
            f"(tol={tol}). Increase max_iter, loosen tol, or try another start (n_init, seed).",
            ConvergenceWarning,
            stacklevel=2,
        )
    wts, comps = run.params
    return MixtureFit(fam, wts, comps, run.trace, run.status, run.n_iter, run.loglik, n, W, product)


__all__ = ["MixtureFit", "fit_mixture", "m_step"]
