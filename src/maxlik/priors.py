"""Priors for MAP estimation: ``maxlik.prior(family, **params)``, a univariate continuous family
with every parameter fixed, placed on one scalar parameter of the fitted family:

    maxlik.fit(x, "bernoulli", prior={"probs": maxlik.prior("beta", concentration1=2.0, concentration0=2.0)})

A prior must put its mass where the parameter lives: its support must contain the parameter's
whole domain (a Normal prior on a real ``loc``, a Gamma or a log-normal prior on a positive
``scale``, a Beta prior on a probability). A prior whose support misses part of the domain (a
Gamma prior on a real ``loc``: log p = −∞ for every negative value) is refused with the reason,
rather than turned into a hidden constraint. A Normal prior on a positive scale is accepted (its
support, the real line, contains the domain); the fit still runs on the positive scale.
"""

from __future__ import annotations

import math

from . import constraints as C
from .errors import ParameterError
from .families import get_family


class Prior:
    """A fixed univariate density p(θ) for one parameter. ``log_prob(theta)`` is JAX-traceable."""

    def __init__(self, family, params: dict):
        self.family, self.params = family, dict(params)

    def log_prob(self, theta):
        from ._xp import jnp

        fixed = {k: jnp.asarray(v) for k, v in self.params.items()}
        return self.family.log_prob(fixed, jnp.reshape(theta, (1,)))[0]

    def describe(self) -> str:
        return f"{self.family.display_name}({', '.join(f'{k}={v:g}' for k, v in self.params.items())})"

    def to_dict(self) -> dict:
        return {"family": self.family.name, "params": dict(self.params)}

    def __repr__(self) -> str:
        return f"prior {self.describe()}"

    def __eq__(self, other) -> bool:
        return isinstance(other, Prior) and (self.family, self.params) == (other.family, other.params)

    def __hash__(self) -> int:
        return hash((self.family, tuple(sorted(self.params.items()))))


def prior(family, **params) -> Prior:
    """The prior density ``family`` at the given (all fixed) parameter values, e.g.
    ``maxlik.prior("normal", loc=0.0, scale=10.0)``."""
    fam = get_family(family, owner="prior")
    if fam.event_ndim != 0 or fam.support.is_discrete or any(p.shape != () for p in fam.params):
        raise ParameterError(f"prior: family must be a univariate continuous family with scalar parameters; got "
                             f"{fam.display_name}. Use e.g. 'normal', 'gamma', 'beta' or 'lognormal'.")
    missing = [k for k in fam.param_names if k not in params]
    if missing:
        raise ParameterError(f"prior: every parameter of {fam.display_name} ({', '.join(fam.param_names)}) must be "
                             f"given; got no value for {', '.join(missing)}. For example "
                             f"maxlik.prior({fam.name!r}, {', '.join(f'{k}=1.0' for k in fam.param_names)}).")
    values = fam.check_params(params, owner=f"prior({fam.display_name})")
    return Prior(fam, {k: float(values[k]) for k in fam.param_names})


def _bounds(c) -> tuple[float, float] | None:
    """(lower, upper) of a continuous scalar domain; None for one that is not an interval."""
    if c is C.real or c.name == "real":
        return -math.inf, math.inf
    if isinstance(c, C.GreaterThan):
        return c.lower, math.inf
    if isinstance(c, C.Interval):
        return c.lower, c.upper
    return None


def check_priors(family, priors, fixed: dict, owner: str) -> dict:
    """name -> Prior, validated: dict of Prior objects on scalar, free parameters of ``family``
    whose domains the priors' supports contain."""
    if not isinstance(priors, dict) or not priors:
        raise ParameterError(f"{owner}: prior must be a non-empty dict parameter name -> maxlik.prior(...); got {priors!r}.")
    out = {}
    for name, p in priors.items():
        if name not in family.param_names:
            raise ParameterError(f"{owner}: prior names must be parameters of {family.display_name} "
                                 f"({', '.join(family.param_names)}); got {name!r}.")
        if not isinstance(p, Prior):
            raise ParameterError(f"{owner}: prior[{name!r}] must be a maxlik.prior(...); got {type(p).__name__}. "
                                 "For example maxlik.prior('normal', loc=0.0, scale=10.0).")
        if name in fixed:
            raise ParameterError(f"{owner}: a parameter with a prior must be free; got {name!r} both in fixed= and in "
                                 "prior=. Drop one of them.")
        param = family.param(name)
        domain, support = _bounds(param.constraint), _bounds(p.family.support)
        if param.shape != () or domain is None:
            raise ParameterError(f"{owner}: a prior must be on a scalar parameter with an interval domain; got "
                                 f"{name!r} ({param.constraint.describe()}).")
        if support is None or support[0] > domain[0] or support[1] < domain[1]:
            raise ParameterError(
                f"{owner}: the prior's support must contain the domain of {name!r} ({param.constraint.describe()}); "
                f"got {p.describe()}, whose support is {p.family.support.describe()}. Choose a prior defined on the "
                "whole domain (e.g. 'normal' for a real parameter, 'gamma' or 'lognormal' for a positive one, 'beta' "
                "for a probability).")
        out[name] = p
    return {k: out[k] for k in family.param_names if k in out}
