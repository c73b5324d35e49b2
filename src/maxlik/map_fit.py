"""MAP estimation: ``maxlik.fit(x, family, prior={name: maxlik.prior(...)})``.

The posterior mode maximises

    log p(θ | x) = ℓ(θ) + Σₖ log pₖ(θₖ) + const,      ℓ(θ) = Σₙ wₙ log p(xₙ | θ)

(each named parameter with its own prior; the others flat). It runs on the numerical engine
unchanged, through the adapter :class:`PosteriorFamily`: the data gain one pseudo-row of weight 1
whose "log-density" is the log prior, so the engine's Σₙ wₙ log p is the log posterior, and its
Hessian at the mode gives the Laplace approximation (posterior ≈ Normal(θ̂_MAP, H⁻¹), mapped
back through each parameter's bijection as for the MLE). Closed-form families take this path too
(the conjugate closed forms are what the tests check it against). The prior does not depend on
the number of rows, so one compiled kernel serves every data set of a size bucket.

The result is a :class:`maxlik.results.MAPResult`: ``loglik`` is ℓ at the MAP estimate,
``log_posterior`` the maximised objective; AIC and BIC are refused (likelihood criteria).
"""

from __future__ import annotations

import numpy as np

from ._validation import as_weights
from .errors import ParameterError
from .families import Family
from .priors import check_priors
from .results import MAPResult
from .stats_fit import check_fixed


class PosteriorFamily(Family):
    """``base`` with priors on some parameters: log_prob over the data pytree (x, is_prior_row)."""

    name = "posterior"
    is_adapter = True

    def __init__(self, base: Family, priors: dict):
        self.base, self.priors = base, dict(priors)
        self.params = base.params
        self.support = base.support

    @property
    def display_name(self) -> str:
        return self.base.display_name

    def __eq__(self, other) -> bool:
        return type(other) is PosteriorFamily and (other.base, other.priors) == (self.base, self.priors)

    def __hash__(self) -> int:
        return hash((self.base, tuple(self.priors.items())))

    def log_prior(self, params):
        return sum(p.log_prob(params[k]) for k, p in self.priors.items())

    def log_prob(self, params, data):
        from ._xp import jnp

        x, is_prior = data
        return jnp.where(is_prior > 0.5, self.log_prior(params), self.base.log_prob(params, x))

    def init(self, data, weights=None):
        """The base family's start on the real rows; a parameter that starts on the edge of its
        domain (all heads: probs = 1) starts at its prior's median instead, inside the domain."""
        x = data[0][:-1]
        start = dict(self.base.init(x, None if weights is None else weights[:-1]))
        for k, p in self.priors.items():
            with np.errstate(divide="ignore", invalid="ignore"):  # an edge maps to ±inf: detected below
                u = self.base.to_unconstrained({k: np.asarray(start[k], dtype=float)})[k]
            if not np.all(np.isfinite(u)):
                start[k] = float(p.family.ppf(p.params, 0.5))
        return start

    def check_estimable(self, data, weights=None, fixed=None) -> None:
        self.base.check_estimable(data[0][:-1], None if weights is None else weights[:-1], fixed)

    def validate_data(self, x):
        return x


def fit_map(x, fam: Family, prior: dict, *, weights=None, fixed=None, method: str = "auto", **options) -> MAPResult:
    """The posterior mode of ``fam`` on ``x`` under ``prior`` (see the module docstring)."""
    from ._xp import jnp
    from .optimize import fit_numerical

    owner = f"fit({fam.display_name})"
    if method == "closed_form":
        raise ParameterError(f"{owner}: method must be 'auto' or a numerical optimizer with prior=; got 'closed_form'. "
                             "The posterior mode is found numerically; use method='auto'.")
    fixed = check_fixed(fam, fixed)
    priors = check_priors(fam, prior, fixed, owner)
    data = fam.validate_data(x)
    n = data.shape[0]
    w = as_weights(weights, n, owner)
    post = PosteriorFamily(fam, priors)
    rows = (np.concatenate([data, data[:1]]), np.concatenate([np.zeros(n), np.ones(1)]))
    w_rows = np.concatenate([np.ones(n) if w is None else w, np.ones(1)])
    nf = fit_numerical(rows, post, weights=w_rows, fixed=fixed, method=method, _owner=owner, **options)
    lp = np.asarray(fam.log_prob({k: jnp.asarray(v) for k, v in nf.params.items()}, data), dtype=float)
    loglik = float(np.sum(lp) if w is None else np.sum(np.where(w > 0, w * lp, 0.0)))
    shift = nf.loglik - loglik  # log prior at the mode: the profile's posterior scale -> ℓ's
    profile = None if nf.profile is None else (lambda extra: nf.profile(extra) - shift)
    return MAPResult(
        family=fam, params=nf.params, fixed=nf.fixed, loglik=loglik, n=n,
        weight=float(n if w is None else w.sum()), method="MAP", status=nf.status, n_iter=nf.n_iter,
        message=nf.message, trace=nf.trace, _cov_fn=nf.cov_fn, _profile=profile,
        optimizer=nf.method, log_posterior=float(nf.loglik),
        prior={k: p.describe() for k, p in priors.items()}, prior_spec={k: p.to_dict() for k, p in priors.items()},
    )
