"""fit_loglik: maximum likelihood for a user-written log-density.

    r = maxlik.fit_loglik(log_prob_fn, data, params={"rate": 1.0, "pi": (0.2, "unit_interval")})

``log_prob_fn(params, data)`` returns the per-observation log densities, shape (n,), written in
``jax.numpy`` (so it can be differentiated and compiled). Each parameter is given by its start
value (then it is unconstrained, ``"real"``) or by ``(start, constraint)`` with the constraint
named (``"real"``, ``"positive"``, ``"unit_interval"``, ``"simplex"``, ``"positive_definite"``)
or an object from :mod:`maxlik.constraints`. The fit runs on the same engine as
:func:`maxlik.fit` through a small adapter :class:`LoglikFamily`, so it gets the same
optimizers, standard errors, intervals, summary and warnings.

``to_dict``/JSON keep the numbers (estimates, covariance, log-likelihood, n, AIC, BIC) and the
parameter table (names, constraints, shapes), not ``log_prob_fn``: ``FitResult.from_dict`` rebuilds
a result whose family has no density, and anything that needs one (``log_prob``) says so.
"""

from __future__ import annotations

import functools

import dataclasses

import numpy as np

from . import constraints as C
from ._jax import jax, jnp
from ._validation import as_weights
from .errors import DataError, ParameterError
from .families import Family, Param
from .fitting import restart_spelling
from .results import FitResult, register_family_builder
from .results.resampling import ResampleData

OWNER = "fit_loglik"


class LoglikFamily(Family):
    """Adapter: a Family whose log_prob is a user function. Not registered by name."""

    name = "loglik"
    support = C.real

    def __init__(self, log_prob_fn, params: tuple[Param, ...], start: dict, label: str | None = None):
        self.fn = log_prob_fn  # None for a result rebuilt from to_dict/JSON
        self.params = params
        self.start = start
        self.label = label or getattr(log_prob_fn, "__name__", "log_prob_fn")

    @property
    def options(self) -> dict:
        """The parameter table as plain data (for ``FitResult.to_dict``); not the function."""
        return {"label": self.label, "params": [[p.name, _constraint_to_plain(p.constraint), list(p.shape)] for p in self.params]}

    @classmethod
    def from_options(cls, label: str, params: list) -> "LoglikFamily":
        """The family of a result rebuilt from ``to_dict``: its parameter table, no log_prob_fn."""
        specs = tuple(Param(name, _constraint_from_plain(c), "user parameter", shape=tuple(shape)) for name, c, shape in params)
        return cls(None, specs, {}, label)

    @property
    def display_name(self) -> str:
        return f"fit_loglik({self.label})"

    def __repr__(self) -> str:
        return f"LoglikFamily({self.label}: {', '.join(p.name for p in self.params)})"

    def __eq__(self, other) -> bool:
        return type(other) is LoglikFamily and other.fn is self.fn and other.params == self.params

    def __hash__(self) -> int:
        return hash((id(self.fn), self.params))

    def log_prob(self, params, x):
        if self.fn is None:
            raise ParameterError(
                f"{self.display_name}: log_prob needs the user's log_prob_fn; got a result rebuilt from "
                "to_dict/JSON, which keep only the numbers. Refit with maxlik.fit_loglik(log_prob_fn, data, params)."
            )
        return self.fn(params, x)

    def sample(self, params, n, seed=None):
        raise ParameterError(
            f"{self.display_name}: sample needs a sampler; got only a log-density (fit_loglik cannot draw "
            "from an arbitrary log_prob_fn). Draw from your model directly with the fitted r.params."
        )

    def init(self, x, weights=None):
        return dict(self.start)

    def validate_data(self, x):
        return _as_data(x)


register_family_builder(LoglikFamily.name, LoglikFamily.from_options)  # FitResult.from_dict rebuilds it


def _constraint_to_plain(c: C.Constraint):
    """A registered name ("positive"), or {"class": ..., fields} for a parametrised constraint."""
    if dataclasses.is_dataclass(c) and getattr(C, type(c).__name__, None) is type(c):
        try:
            if C.get(c.name) == c:
                return c.name
        except ParameterError:
            pass
        return {"class": type(c).__name__, **dataclasses.asdict(c)}
    return c.name


def _constraint_from_plain(spec) -> C.Constraint:
    if isinstance(spec, dict):
        fields = dict(spec)
        cls = getattr(C, str(fields.pop("class", "")), None)
        if not (isinstance(cls, type) and issubclass(cls, C.Constraint)):
            raise ParameterError(f"{OWNER}: a stored constraint must name a maxlik.constraints class; got {spec!r}.")
        return cls(**fields)
    return C.get(spec)


def _as_data(data):
    """Any pytree of numeric arrays sharing the leading dimension n (floats kept float64); a flat
    list of numbers is one array of n observations, not a pytree of n scalars."""
    if isinstance(data, list) and data and all(isinstance(v, (int, float, np.number)) for v in data):
        data = np.asarray(data)
    leaves, treedef = jax.tree_util.tree_flatten(data)
    if not leaves:
        raise DataError(f"{OWNER}: data must be an array or a pytree of arrays; got {type(data).__name__}.")
    out = []
    for leaf in leaves:
        a = np.asarray(leaf)
        if a.dtype.kind not in "biuf" or a.ndim == 0:
            raise DataError(
                f"{OWNER}: data must be numeric arrays with one row per observation; got "
                f"{'a scalar' if a.ndim == 0 else 'dtype ' + str(a.dtype)}."
            )
        if a.dtype.kind == "f" and not np.all(np.isfinite(a)):
            raise DataError(f"{OWNER}: data must be finite; got {int((~np.isfinite(a)).sum())} NaN or infinite values.")
        out.append(a.astype(np.float64) if a.dtype.kind in "fb" else a)
    ns = {a.shape[0] for a in out}
    if len(ns) != 1:
        raise DataError(f"{OWNER}: data arrays must share their number of rows; got {sorted(ns)}.")
    return jax.tree_util.tree_unflatten(treedef, out)


def _param_specs(params) -> tuple[tuple[Param, ...], dict]:
    if not isinstance(params, dict) or not params:
        raise ParameterError(
            f"{OWNER}: params must be a non-empty dict name -> start or (start, constraint); got "
            f"{params!r}. For example params={{'rate': (1.0, 'positive')}}."
        )
    specs, start = [], {}
    for name, spec in params.items():
        if isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[1], (str, C.Constraint)):
            value, constraint = spec
        else:
            value, constraint = spec, C.real
        constraint = C.get(constraint)
        value = np.asarray(value, dtype=float)
        specs.append(Param(str(name), constraint, "user parameter", shape=tuple(str(s) for s in value.shape)))
        start[str(name)] = value
    return tuple(specs), start


@functools.lru_cache(maxsize=64)
def _output_shape(fn, treedef, leaves: tuple):
    """jax.eval_shape of fn on arguments of these shapes and dtypes, traced once per signature."""
    specs = [jax.ShapeDtypeStruct(shape, dtype) for shape, dtype in leaves]
    return jax.eval_shape(fn, *jax.tree_util.tree_unflatten(treedef, specs))


def check_output(family: LoglikFamily, start: dict, data, n: int) -> None:
    """log_prob_fn must return a float array of shape (n,)."""
    args = ({k: np.asarray(v, dtype=float) for k, v in start.items()}, data)
    leaves, treedef = jax.tree_util.tree_flatten(args)
    signature = tuple((tuple(np.shape(a)), np.dtype(a.dtype)) for a in leaves)
    try:
        try:
            hash(family.fn)
        except TypeError:  # an unhashable callable object: check it without the cache
            out = _output_shape.__wrapped__(family.fn, treedef, signature)
        else:
            out = _output_shape(family.fn, treedef, signature)
    except Exception as e:  # noqa: BLE001  (re-raised as a maxlik error with the cause)
        raise ParameterError(
            f"{OWNER}: log_prob_fn(params, data) must run on JAX arrays; calling it raised "
            f"{type(e).__name__}: {e}. Write it with jax.numpy (not numpy or math)."
        ) from e
    if not isinstance(out, jax.ShapeDtypeStruct):
        raise ParameterError(f"{OWNER}: log_prob_fn must return one array of shape ({n},); got {type(out).__name__}.")
    if out.shape != (n,):
        raise ParameterError(
            f"{OWNER}: log_prob_fn must return one log density per observation, shape ({n},); got shape "
            f"{out.shape}. Return the per-observation values, not their sum."
        )
    if not jnp.issubdtype(out.dtype, jnp.floating):
        raise ParameterError(f"{OWNER}: log_prob_fn must return floats; got dtype {out.dtype}.")


def fit_loglik(log_prob_fn, data, params: dict, *, weights=None, fixed: dict | None = None, method: str = "auto",
               name: str | None = None, **options):
    """Maximum likelihood for a custom log-density ``log_prob_fn(params, data) -> (n,)``.

    params : dict name -> start value, or (start, constraint)  (constraint: a name such as
        "positive" or a maxlik.constraints object; default "real")
    data : array (n, ...) or a pytree (tuple/dict) of arrays with n rows; or a data source read
        in passes (``maxlik.scan(...)``, a Dask array): ``log_prob_fn`` then gets each chunk's
        x, or (x, y) when the source names a ``target`` column, and the fit runs Newton with each
        step summed over the chunks
    weights : (n,) non-negative;   fixed : dict name -> value held fixed
    method, tol, max_iter, n_init, seed, init, strict : as in :func:`maxlik.fit`
    """
    if not callable(log_prob_fn):
        raise ParameterError(f"{OWNER}: log_prob_fn must be callable (params, data) -> (n,); got {type(log_prob_fn).__name__}.")
    from .optimize import check_options, check_start, fit_numerical, n_rows  # optax/optimistix: only when needed

    options = restart_spelling(options, OWNER)
    check_options(options, OWNER, extra=("name",))
    specs, start = _param_specs(params)
    family = LoglikFamily(log_prob_fn, specs, start, name)
    from .sources import as_source

    src = as_source(data, owner=OWNER)
    if src is not None:
        from .streamed import streamed_data

        if weights is not None:
            raise DataError(f"{OWNER}: weights must be a column of the source for data read in passes; got "
                            f"{type(weights).__name__}. Pass scan(..., weights='w').")
        data, w = streamed_data(family, src, with_target=src.target is not None), None
        n = n_rows(data.sample)
    else:
        data = _as_data(data)
        n = n_rows(data)
        w = as_weights(weights, n, OWNER)
    fixed = dict(fixed or {})
    for k in fixed:
        if k not in family.param_names:
            raise ParameterError(f"{OWNER}: parameter names must be among {list(family.param_names)}; got {k!r}.")
    check_start(family, {**start, **fixed}, OWNER)
    check_output(family, {**start, **fixed}, data.sample if src is not None else data, n)
    fixed = {k: np.asarray(v, dtype=float) for k, v in fixed.items()}
    result = FitResult.from_numerical(family, fit_numerical(data, family, weights=w, fixed=fixed, method=method, _owner=OWNER,
                                                            **options))
    if src is None:  # bootstrap(): the same fit on resampled rows, one replicate at a time
        def refit(d, wd):
            return FitResult.from_numerical(family, fit_numerical(d, family, weights=wd, fixed=fixed, method=method,
                                                                  _owner=OWNER, **options))

        result._resample = ResampleData(data, w, "loglik", refit, False, fixed)
    return result
