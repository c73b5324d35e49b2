"""FitResult: what :func:`maxlik.fit` and :func:`maxlik.fit_loglik` return.

Uncertainty is lazy: ``cov``, ``stderr`` and ``conf_int`` compute the observed-information
covariance on first use (one Hessian; from sufficient statistics when the family has them).
Everything else (criteria, table, summary, serialisation) is the :class:`Result` protocol.
"""

from __future__ import annotations

import math

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ..errors import ParameterError
from ..families import get_family
from ..transforms import ScaledSigmoid, ShiftedExp, bijection_for
from ..status import Status
from ._protocol import _TYPES, Result, plain, value
from .resampling import ResampleData, action

# family name -> builder(**options) for families that ``get_family`` does not construct by name
# (e.g. fit_loglik's adapter registers itself here); results never import the layers above.
_FAMILY_BUILDERS: dict[str, Callable[..., Any]] = {}


def register_family_builder(name: str, builder: Callable[..., Any]) -> None:
    """Let ``FitResult.from_dict`` rebuild the family stored under ``name`` with ``builder(**options)``."""
    _FAMILY_BUILDERS[name] = builder


def family_from_dict(d: dict, owner: str = "FitResult.from_dict"):
    """The family stored as ``d["family"]`` (a name) and ``d["family_options"]``: by a registered
    builder (truncated, fit_loglik), else from the family registry."""
    builder = _FAMILY_BUILDERS.get(d["family"])
    options = d.get("family_options", {})
    return builder(**options) if builder is not None else get_family(d["family"], owner=owner, **options)


def _status_of_old_dict(d: dict) -> Status:
    """The Status of a dict written by maxlik 0.1's ``to_dict`` (no "status" key): from its
    converged flag, method and message."""
    if d["converged"]:
        return Status.CLOSED_FORM if d["method"] == "closed_form" else Status.CONVERGED
    text = d["message"].lower()
    for words, status in (("not finite", Status.NONFINITE), ("line search", Status.STALLED),
                          ("not a maximum", Status.NOT_POSITIVE_DEFINITE), ("positive definite", Status.NOT_POSITIVE_DEFINITE)):
        if words in text:
            return status
    return Status.MAX_ITER


def _limit_from_dict(d: dict, cov=None, labels=()):
    """The Limit stored by ``to_dict``, with the result's covariance (``cov``, ``labels``), which
    is the limit's. A dict without "at_edge" (written before it was stored) has the limit's
    parameters beside the edge, as a Student's t at df = ∞ does."""
    from ..families import Limit

    fam = get_family(d["family"], owner="FitResult.from_dict")
    params = {k: float(v) for k, v in d["params"].items()}
    at_edge = ({k: float(v) for k, v in d["at_edge"].items()} if "at_edge" in d
               else {d["param"]: float(d["edge"]), **params})
    return Limit(d["param"], float(d["edge"]), d["meaning"], fam, params, float(d["loglik"]), at_edge,
                 cov, tuple(labels))


@dataclass
class FitResult(Result):
    """The outcome of :func:`maxlik.fit`.

    Attributes
    ----------
    family : Family           the fitted family (a configured instance)
    params : dict             name -> estimate (float, or array for vector/matrix parameters)
    fixed : tuple[str]        names of parameters held fixed (not estimated)
    loglik : float            ℓ(θ̂) = Σ wₙ log p(xₙ | θ̂)
    n : int                   number of observations (rows)
    weight : float            Σ wₙ (= n when unweighted); used as the sample size of BIC
    method : str              "closed_form", or the optimizer used
    status : Status           how the fit ended; ``converged`` (= ``status.ok``) derives from it
    n_iter : int              iterations taken (0 for closed forms)
    message : str             human-readable status; explains any failure or caveat
    trace : dict | None       per-iteration diagnostics of iterative fits (e.g. {"nll": [...]})
    """

    family: Any
    params: dict
    fixed: tuple[str, ...]
    loglik: float
    n: int
    weight: float
    method: str
    status: Status = Status.CLOSED_FORM
    n_iter: int = 0
    message: str = "closed-form maximum likelihood estimate"
    trace: dict | None = None
    _cov_fn: Callable | None = field(default=None, repr=False, compare=False)
    _cov: tuple | None = field(default=None, repr=False, compare=False)
    # profile log-likelihood: {name: value, ...} -> max of ℓ over the other free parameters
    _profile: Callable | None = field(default=None, repr=False, compare=False)
    # the data and the refit behind gof() and bootstrap() (set by fit / fit_loglik on in-memory data)
    _resample: ResampleData | None = field(default=None, repr=False, compare=False)
    # status BOUNDARY: the limiting model the fit ran to (maxlik.families._limit.Limit), else None
    limit: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def from_numerical(cls, family, fit) -> "FitResult":
        """Wrap the engine's :class:`maxlik.optimize.NumericalFit` (plain values) as a FitResult."""
        return cls(family=family, params=fit.params, fixed=fit.fixed, loglik=fit.loglik, n=fit.n, weight=fit.weight,
                   method=fit.method, status=fit.status, n_iter=fit.n_iter, message=fit.message,
                   trace=fit.trace, _cov_fn=fit.cov_fn, _profile=fit.profile, limit=fit.limit)

    # -- the protocol's hooks ------------------------------------------------------------------
    @property
    def title(self) -> str:
        return repr(self.family)

    @property
    def owner(self) -> str:
        return self.family.display_name

    @property
    def free(self) -> tuple[str, ...]:
        return tuple(k for k in self.family.param_names if k in self.params and k not in self.fixed)

    @property
    def n_params(self) -> int:
        """Number of free scalar parameters (the k of AIC and BIC)."""
        return int(self.family.n_free_params(self.params, self.fixed))

    def _covariance(self) -> tuple[np.ndarray | None, list[str], str | None]:
        if self._cov is None:
            if self._cov_fn is None:
                self._cov = (None, [], "no covariance is available for this result")
            else:
                self._cov = self._cov_fn()
        return self._cov

    def _profile_conf_int(self, level: float) -> dict:
        from ..profile import profile_conf_int

        return profile_conf_int(self, level)

    def _exact_intervals(self, level: float) -> dict:
        """{name: (low, high, how)} from the family's ``exact_conf_int``, or {} (none)."""
        if not hasattr(self.family, "exact_conf_int") or not self.free:
            return {}
        return self.family.exact_conf_int(self.params, self.free, self.weight, level)

    def _exact_conf_int(self, level: float) -> dict:
        exact = self._exact_intervals(level)
        if not exact:
            return super()._exact_conf_int(level)
        return {k: (lo, hi) for k, (lo, hi, _) in exact.items()}

    def rows(self, level: float = 0.95):
        """The protocol's table, with a family's exact intervals in place of Wald's (the header says so)."""
        exact = self._exact_intervals(level)
        return [r._replace(low=exact[r.label][0], high=exact[r.label][1]) if r.label in exact else r
                for r in super().rows(level)]

    def _details(self) -> list[tuple[str, str]]:
        exact = self._exact_intervals(0.95)
        out = [("intervals", "; ".join(f"{k}: {how}" for k, (_, _, how) in exact.items()))] if exact else []
        lim = self.limit
        if lim is not None and not all(k in self.params for k in lim.params):  # a limit with its own parameters
            se = lim.stderr
            out.append(("limit", f"{lim.family.display_name}: " + ", ".join(
                f"{k} = {v:.6g} (std err {se.get(k, math.nan):.4g})" for k, v in lim.params.items())))
        return out

    def _names(self) -> list[str]:
        return [k for k in self.family.param_names if k in self.params]

    def _interval_bijection(self, name: str):
        """The parameter's own bijection where it is an elementwise log or logit (a positive or
        interval constraint); None (natural scale) for real, simplex and matrix parameters."""
        try:
            bij = bijection_for(self.family.param(name).constraint)
        except (KeyError, ParameterError):
            return None
        return bij if isinstance(bij, (ShiftedExp, ScaledSigmoid)) else None

    def header(self) -> list[tuple[str, str]]:
        head = super().header()
        head[0] = ("family", self.title)
        head.insert(2, ("method", self.method))
        if not self._exact_intervals(0.95):  # exact ones say what they are in _details
            head.append(("intervals", self.interval_text()))
        return head

    # -- the fitted distribution ---------------------------------------------------------------
    def _model(self):
        """(family, params) of the fitted distribution: the limit model at a boundary (df = ∞ is
        the Normal), else the family at θ̂."""
        if self.limit is not None:
            return self.limit.family, self.limit.params
        return self.family, self.params

    def log_prob(self, x) -> np.ndarray:
        """log p(x | θ̂) per observation."""
        fam, params = self._model()
        return np.asarray(fam.log_prob(params, self.family.validate_data(x)))

    def sample(self, n: int, seed=None) -> np.ndarray:
        """n draws from the fitted distribution (``seed``: int or numpy Generator)."""
        fam, params = self._model()
        return fam.sample(params, int(n), seed)

    # Distribution functions at θ̂ (univariate families; see Family.cdf): NumPy arrays shaped like
    # x or q. A multivariate family, or one without them, raises a ParameterError naming those that
    # have them.
    def cdf(self, x) -> np.ndarray:
        """F(x | θ̂) = P(X ≤ x)."""
        fam, params = self._model()
        return np.asarray(fam.cdf(params, np.asarray(x, dtype=float)))

    def sf(self, x) -> np.ndarray:
        """S(x | θ̂) = P(X > x), accurate where it is tiny."""
        fam, params = self._model()
        return np.asarray(fam.sf(params, np.asarray(x, dtype=float)))

    def logcdf(self, x) -> np.ndarray:
        """log F(x | θ̂), finite far into the left tail."""
        fam, params = self._model()
        return np.asarray(fam.logcdf(params, np.asarray(x, dtype=float)))

    def logsf(self, x) -> np.ndarray:
        """log S(x | θ̂), finite far into the right tail."""
        fam, params = self._model()
        return np.asarray(fam.logsf(params, np.asarray(x, dtype=float)))

    def ppf(self, q) -> np.ndarray:
        """The quantile function at θ̂, q in [0, 1]."""
        fam, params = self._model()
        return np.asarray(fam.ppf(params, q))

    def isf(self, q) -> np.ndarray:
        """The inverse survival function at θ̂: isf(q) = ppf(1 − q), accurate at small q."""
        fam, params = self._model()
        return np.asarray(fam.isf(params, q))

    @property
    def mean(self) -> float:
        """E[X] at θ̂; as scipy.stats, nan where it does not exist (Cauchy; Student's t with
        df ≤ 1) and inf where it diverges (Pareto with alpha ≤ 1)."""
        fam, params = self._model()
        return float(fam.mean(params))

    @property
    def var(self) -> float:
        """Var[X] at θ̂; nan or inf as for ``mean`` (Cauchy: nan; Student's t with 1 < df ≤ 2 and
        Pareto with alpha ≤ 2: inf)."""
        fam, params = self._model()
        return float(fam.var(params))

    # -- resampling (maxlik.gof, maxlik.bootstrap) ----------------------------------------------
    def gof(self, n_boot: int = 999, seed=None):
        """Goodness of fit: Kolmogorov–Smirnov, Cramér–von Mises and Anderson–Darling statistics
        (the chi-square statistic for a discrete family) with p-values by parametric bootstrap,
        every simulated sample refitted. See :func:`maxlik.gof.gof`."""
        return action("gof")(self, n_boot=n_boot, seed=seed)

    def bootstrap(self, n_boot: int = 999, kind: str = "nonparametric", seed=None, progress="auto"):
        """``n_boot`` bootstrap replicates of the estimates (rows resampled, or samples drawn from
        the fit); a :class:`maxlik.bootstrap.BootstrapResult`. See :func:`maxlik.bootstrap.bootstrap`."""
        return action("bootstrap")(self, n_boot=n_boot, kind=kind, seed=seed, progress=progress)

    # -- serialisation -------------------------------------------------------------------------
    def _extra_dict(self) -> dict:
        return {
            "family": self.family.name,
            "family_options": self.family.options,
            "fixed": list(self.fixed),
            "method": self.method,
            "n_iter": int(self.n_iter),
            "trace": None if self.trace is None else {k: [float(t) for t in v] for k, v in self.trace.items()},
            **({} if self.limit is None else {"limit": self.limit.to_dict()}),
        }

    def __reduce__(self):
        """pickle / joblib: the family and ``to_dict()`` (the covariance and profile closures over
        the training data are not picklable; the numbers they gave are kept)."""
        return _unpickle, (type(self), self.family, self.to_dict())

    @classmethod
    def from_dict(cls, d: dict) -> "FitResult":
        """Rebuild from ``to_dict``; a fit made on rescaled data (``d["type"]`` "RescaledFitResult",
        see :mod:`maxlik.results.rescaled_result`) comes back as one."""
        if cls is FitResult and isinstance(d, dict) and d.get("type") == "RescaledFitResult":
            return _TYPES["RescaledFitResult"].from_dict(d)  # registered by maxlik.results on import
        return super().from_dict(d)

    @classmethod
    def _from_dict(cls, d: dict, family=None) -> "FitResult":
        """A fit_loglik result comes back with its numbers and parameter table but without the
        user's log_prob_fn (``log_prob`` then raises a ParameterError)."""
        cov = None if d.get("cov") is None else np.asarray(d["cov"], dtype=float)
        return cls(
            family=family_from_dict(d) if family is None else family,
            params={k: value(v) for k, v in d["params"].items()},
            fixed=tuple(d["fixed"]),
            loglik=float(d["loglik"]),
            n=int(d["n"]),
            weight=float(d["weight"]),
            method=d["method"],
            status=Status.parse(d["status"]) if "status" in d else _status_of_old_dict(d),
            n_iter=int(d["n_iter"]),
            message=d["message"],
            trace=d.get("trace"),
            _cov=(cov, list(d.get("cov_labels", [])), d.get("cov_unavailable_reason")),
            limit=None if d.get("limit") is None else _limit_from_dict(d["limit"], cov, d.get("cov_labels", ())),
        )


def _unpickle(cls, family, d: dict) -> FitResult:
    return cls._from_dict(d, family)


__all__ = ["FitResult", "register_family_builder", "family_from_dict", "plain"]
