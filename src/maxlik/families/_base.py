"""The Family interface every distribution implements, and its sufficient statistics.

A family is a parametric density p(x | θ). It declares its parameters (name, constraint, shape,
description, typical range), the support of its data, and a per-observation ``log_prob``
written in ``jax.numpy`` so that it can be differentiated, jitted and vmapped. A family whose
MLE has a closed form also implements::

    suffstats(x, weights) -> Stats          # sums over observations; Stats.merge is exact
    mle_from_stats(stats, fixed) -> params  # the closed-form maximiser
    loglik_from_stats(stats, params) -> ℓ   # ℓ(θ) = Σₙ wₙ log p(xₙ | θ), JAX-traceable in params

so that fits stream over chunks, merge across machines, and never touch the data twice.
Families without a closed form need only ``log_prob`` and ``init`` (a moment-based start).
Univariate families also have distribution functions (``cdf``, ``sf``, ``logcdf``, ``logsf``,
``ppf``, ``isf``, ``mean``, ``var``): public methods here that check their inputs and call the
family's hooks (``_logcdf``, ...; see the section below and :mod:`maxlik.families._cdf`).
Every hook a family may implement is declared here with its default (``exact_covariance``,
``check_estimable``, ...), so callers never probe with ``hasattr``.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .. import constraints as C
from .._xp import jax, jnp, namespace
from ._distribution_functions import REGISTRY, DistributionFunctions, with_distribution_functions  # noqa: F401  (public here)
from .._validation import as_data, check_support, scalar_value
from ..errors import ParameterError
from ..transforms import bijection_for


@dataclass(frozen=True)
class Param:
    """One parameter: its name, domain, a description, its shape in symbolic dimensions
    (``()`` scalar, ``("d",)`` a vector over data dimensions, ``("d", "d")`` a matrix,
    ``("k",)`` one entry per category) and a typical range used by conformance tests."""

    name: str
    constraint: C.Constraint
    description: str
    shape: tuple[str, ...] = ()
    typical: tuple[float, float] | None = None


class Stats:
    """Immutable sufficient statistics of a weighted sample.

    Subclasses are frozen dataclasses with at least ``count`` (number of rows) and ``weight``
    (sum of weights; equal to ``count`` when unweighted). ``merge`` must be exact and
    associative: the statistics of a concatenation equal the merge of the parts' statistics.
    """

    count: int
    weight: float

    def merge(self, other: "Stats") -> "Stats":
        raise NotImplementedError

    def _check_mergeable(self, other: "Stats") -> None:
        if type(other) is not type(self):
            raise TypeError(
                f"{type(self).__name__}.merge: other must be {type(self).__name__}; got "
                f"{type(other).__name__}. Merge statistics of the same family only."
            )

    @classmethod
    def merge_all(cls, parts) -> "Stats":
        """Merge many statistics one after the other (a left fold)."""
        parts = list(parts)
        if not parts:
            raise ValueError(f"{cls.__name__}.merge_all: parts must not be empty; got 0 statistics.")
        out = parts[0]
        for p in parts[1:]:
            out = out.merge(p)
        return out


class Family(DistributionFunctions):
    """Base class of distribution families. Instances are configurations (e.g.
    ``MultivariateNormal(covariance_type="diag")``); parameters are passed as dicts."""

    name: ClassVar[str] = "family"  # registry name, lower case
    params: ClassVar[tuple[Param, ...]] = ()
    support: ClassVar[C.Constraint] = C.real
    event_ndim: ClassVar[int] = 0  # 0: scalar observations (n,); 1: vectors (n, d)
    # how mle_from_stats finds the maximum: "closed_form", or e.g. "newton_on_stats" for a
    # family whose likelihood depends on a few sums but whose maximum has no formula (Gamma)
    stats_method: ClassVar[str] = "closed_form"
    # True when ``suffstats`` of data holding a NaN, an inf or a value outside the support come
    # out non-finite: fit() then skips the up-front scan of the data (a full extra pass) and runs
    # ``validate_data`` only when the unweighted statistics are not finite.
    stats_reveal_invalid_data: ClassVar[bool] = False
    # True for a family built around another one or a user's function (maxlik.fit's truncated
    # form, fit_loglik's): not a family a user names, so error messages do not list it
    is_adapter: ClassVar[bool] = False
    # how the parameters move when the data are multiplied by c > 0: name -> e (θ becomes c^e·θ)
    # or "log" (θ becomes θ + log c); None: not a scale family (see families/_scale_rules.py)
    scale_exponents: ClassVar[dict | None] = None
    # True when an estimate is the data's smallest value and its variance goes as its square
    # (Pareto's scale: Var = xₘ²·Nα/((Nα−1)²(Nα−2))): data whose smallest |x| is below 2^-332 are
    # then rescaled even when their largest is not, or that variance underflows to 0
    rescale_by_minimum: ClassVar[bool] = False

    # -- configuration ------------------------------------------------------------------------
    # Families are immutable once built: they are cache keys of compiled solvers and are
    # compared by their options, so a later assignment would change what an existing key means.
    # A subclass's ``__init__`` may set attributes (it runs under ``_configuring``).
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is not None:
            @functools.wraps(init)
            def configuring(self, *args, **kw):
                depth = self.__dict__.get("_configuring", 0)
                object.__setattr__(self, "_configuring", depth + 1)
                try:
                    init(self, *args, **kw)
                finally:
                    object.__setattr__(self, "_configuring", depth)

            cls.__init__ = configuring

    def __setattr__(self, name, value):
        if self.__dict__.get("_configuring", 0):
            return object.__setattr__(self, name, value)
        raise AttributeError(
            f"{type(self).__name__}: instances are immutable; got an assignment to {name!r}. "
            f"Build a new family instead, e.g. {type(self).__name__}(...) with the options you want."
        )

    def __init__(self, **options: Any):
        if options:
            raise ParameterError(
                f"{type(self).__name__}: options must be empty (this family takes none); "
                f"got {sorted(options)}."
            )

    @property
    def options(self) -> dict[str, Any]:
        """Constructor options, enough to rebuild this family (used by JSON round trips)."""
        return {}

    @property
    def display_name(self) -> str:
        return type(self).__name__

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    @property
    def has_closed_form(self) -> bool:
        return type(self).suffstats is not Family.suffstats

    def __repr__(self) -> str:
        opts = ", ".join(f"{k}={v!r}" for k, v in self.options.items())
        return f"{type(self).__name__}({opts})"

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.options == other.options

    def __hash__(self) -> int:
        return hash((type(self), tuple(sorted(self.options.items()))))

    # -- data -------------------------------------------------------------------------------
    def validate_data(self, x) -> np.ndarray:
        """Float64 array of the right shape, finite, inside the support; else a clear error."""
        arr = as_data(x, self.display_name, self.event_ndim)
        check_support(arr, self.support, self.display_name)
        return arr

    # -- the density ------------------------------------------------------------------------
    def log_prob(self, params: dict, x) -> jnp.ndarray:
        """log p(xₙ | θ) for each observation: shape (n,). Pure jax.numpy."""
        raise NotImplementedError

    def sample(self, params: dict, n: int, seed=None) -> np.ndarray:
        """n independent draws, shape (n,) or (n, d); ``seed`` is an int or numpy Generator."""
        raise NotImplementedError

    # -- closed form (optional) -------------------------------------------------------------
    def suffstats(self, x: np.ndarray, weights: np.ndarray | None = None) -> Stats:
        raise NotImplementedError(f"{self.display_name} has no closed-form sufficient statistics.")

    def mle_from_stats(self, stats: Stats, fixed: dict | None = None) -> dict:
        raise NotImplementedError(f"{self.display_name} has no closed-form MLE.")

    def loglik_from_stats(self, stats: Stats, params: dict):
        """ℓ(θ) from sufficient statistics; must be differentiable in ``params`` with JAX."""
        raise NotImplementedError(f"{self.display_name} cannot evaluate ℓ from statistics.")

    def exact_covariance(self, stats: Stats, params: dict, free: tuple[str, ...]):
        """Optional closed-form covariance of the free parameters: ``(cov, labels)`` in the
        order of :func:`maxlik.inference.flat_labels`, or None to use the autodiff observed
        information. Non-regular families (Uniform, Laplace's loc) must override this."""
        return None

    # -- numerical fitting support ------------------------------------------------------------
    def check_estimable(self, x, weights=None, fixed: dict | None = None) -> None:
        """Hook: raise ``DegenerateFitError`` when the data admit no MLE of the free parameters
        (e.g. NegativeBinomial on all-zero counts), before the optimizer wanders off to a
        boundary. Called by the numerical engine on every fit; the default accepts all data."""

    #: (parameter, registry name of the limiting family) where the family tends to another one as
    #: that parameter runs to its domain's edge (StudentT: ("df", "normal")); None: no such limit
    limit: tuple[str, str] | None = None

    def limit_fit(self, stats_of, fixed: dict | None = None):
        """Hook: the :class:`maxlik.families._limit.Limit` this family tends to as one parameter runs
        to the edge of its domain (Student's t: df → ∞, the Normal), fitted to the data, whose
        sufficient statistics for the limit family come from ``stats_of(limit_family)``; None where
        the family has no such limit or the parameter is fixed. The numerical engine reports
        ``Status.BOUNDARY`` when the limit's log-likelihood is at least the optimum's."""
        return None

    def init(self, x: np.ndarray, weights: np.ndarray | None = None) -> dict:
        """A starting point for numerical fits; closed-form families start at their MLE."""
        return self.mle_from_stats(self.suffstats(x, weights))

    def extra_starts(self, x: np.ndarray, weights: np.ndarray | None, start: dict, fixed: dict) -> list[dict]:
        """Hook: further starting points (dicts of the free parameters) for a likelihood known to
        have several maxima (Student's t on a few values: one near the Cauchy, one near the Normal);
        the engine solves from ``start`` and from each, and keeps the best. Default: none."""
        return []

    # -- analytic derivatives (optional) --------------------------------------------------------
    def log_prob_derivatives(self, params: dict, x: np.ndarray):
        """Optional NumPy derivatives of the log-density, for a family whose parameters are all
        scalars: ``(lp, d1, d2)`` with

            lp (n,)       log p(xₙ | θ)
            d1 (n, P)     ∂ log p(xₙ | θ) / ∂θⱼ
            d2 (n, P, P)  ∂² log p(xₙ | θ) / ∂θⱼ ∂θₖ   (symmetric)

        in the order of ``param_names`` (all P of them, fixed ones too); ``params`` holds floats.
        With them the numerical engine fits small data with NumPy alone, without loading or
        compiling JAX (issue #11). The default, None, means: differentiate ``log_prob`` with JAX.
        """
        return None

    def logsf_derivatives(self, params: dict, x: np.ndarray):
        """Optional NumPy ``(ls, d1, d2)`` of log S(xₙ | θ), in the layout of
        :meth:`log_prob_derivatives`, accurate in both tails (a cumulative hazard's −H). With it
        and ``log_prob_derivatives`` a censored fit runs on the NumPy Newton kernel: log F and
        log(F(b) − F(a)) follow from log S by the chain rule (:mod:`maxlik.censored_family`).
        The default, None, means: the censored fit differentiates the log-CDFs with JAX."""
        return None

    @property
    def has_logsf_derivatives(self) -> bool:
        return type(self).logsf_derivatives is not Family.logsf_derivatives

    # True when ``log_prob_derivatives`` also accepts each parameter as an array (n,) of per-row
    # values broadcast against x (maxlik.fit_groups: every group's θ in one NumPy pass); else
    # fit_groups differentiates ``log_prob`` with JAX for all groups at once.
    derivatives_broadcast: ClassVar[bool] = False

    @property
    def has_derivatives(self) -> bool:
        return type(self).log_prob_derivatives is not Family.log_prob_derivatives

    def to_unconstrained(self, params: dict) -> dict:
        """Map (a subset of) parameters to unconstrained arrays, one per name (NumPy arrays for
        NumPy input, JAX arrays for JAX input)."""
        xp = namespace(params)
        return {k: bijection_for(self.param(k).constraint).inverse(xp.asarray(v, dtype=float)) for k, v in params.items()}

    def from_unconstrained(self, u: dict) -> dict:
        """Inverse of :meth:`to_unconstrained`; differentiable."""
        return {k: bijection_for(self.param(k).constraint).forward(v) for k, v in u.items()}

    def n_free_params(self, params: dict, fixed=()) -> int:
        """Number of free scalar parameters (the k of AIC/BIC): the size of the unconstrained
        vector of every parameter not held fixed (a K-simplex counts K − 1)."""
        total = 0
        for p in self.params:
            if p.name in fixed or p.name not in params:
                continue
            shape = np.shape(params[p.name])
            total += int(np.prod(bijection_for(p.constraint).unconstrained_shape(shape)))
        return total

    def check_params(self, params: dict, owner: str | None = None) -> dict:
        """Validate names and domains of (a subset of) parameters; return float64 arrays."""
        owner = owner or self.display_name
        out = {}
        for name, value in params.items():
            if name not in self.param_names:
                close = difflib.get_close_matches(str(name), self.param_names, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise ParameterError(
                    f"{owner}: parameter names must be among {list(self.param_names)}; got {name!r}.{hint}"
                )
            try:
                arr = np.asarray(value, dtype=np.float64)
            except (TypeError, ValueError):
                raise ParameterError(
                    f"{owner}: `{name}` must be numeric; got {value!r}. Pass a number or an array of numbers."
                ) from None
            arr = scalar_value(self.param(name), arr, owner, "fixed", "fixed")
            constraint = self.param(name).constraint
            if not np.all(constraint.check(arr)):
                shown = f"{float(arr):g}" if arr.ndim == 0 else np.array2string(arr, precision=6, threshold=10)
                raise ParameterError(f"{owner}: `{name}` must be {constraint.describe()}; got {shown}.")
            out[name] = arr
        return out


def frozen(cls):
    """Decorator: an immutable dataclass that compares arrays by value."""
    return dataclasses.dataclass(frozen=True, eq=False)(cls)


__all__ = ["Family", "Param", "Stats", "frozen", "jax", "jnp"]


def flat_labels(params: dict) -> list[str]:
    """'loc', 'cov[0,1]', ... in ravel_pytree order (sorted keys, row-major)."""
    labels = []
    for name in sorted(params):
        shape = np.shape(params[name])
        if shape == ():
            labels.append(name)
        else:
            labels += [f"{name}[{','.join(map(str, idx))}]" for idx in np.ndindex(shape)]
    return labels

