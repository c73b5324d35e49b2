"""Strategies shared by the property suite: every family of the registry with parameters drawn
from its ``typical`` ranges, data drawn from the family itself, adversarial data mapped into the
family's support, and a chunked in-memory source for the streamed passes.

Data kinds (``adversarial``): ties (a few draws repeated), a few distinct values, heavy tails
(Cauchy-like draws mapped into the support), values near the support's edge (0 for positive and
count data, 0 and 1 for proportions, ±π for angles), all mapped into each family's support so
that a family always receives valid data. Sizes n run from 1 to 10⁴.
"""

from __future__ import annotations

import functools
import math
import os
import warnings

import numpy as np
import pytest
from hypothesis import Phase, settings
from hypothesis import strategies as hs

import maxlik
from maxlik.errors import MaxlikError
from maxlik.sources import Chunk, Source

# -- the registry ---------------------------------------------------------------------------

TOTAL_COUNT = 10  # Binomial's known number of trials
K = 3  # categories (Categorical) and components (Dirichlet)
D = 2  # dimensions (MultivariateNormal)

# the support of each family's data, by kind (mapping a real z into the support, below)
SUPPORT_KIND = {
    "bernoulli": "binary", "beta": "unit", "binomial": "binomial", "categorical": "category",
    "cauchy": "real", "dirichlet": "simplex", "exponential": "nonnegative", "exponential2": "real",
    "gamma": "positive", "gamma3": "real", "geometric": "count", "gumbel": "real", "laplace": "real",
    "logistic": "real", "lognormal": "positive", "lognormal3": "real", "mvnormal": "vector",
    "negative_binomial": "count", "normal": "real", "pareto": "positive", "poisson": "count",
    "student_t": "real", "uniform": "real", "von_mises": "circle", "weibull": "positive", "weibull3": "real",
}


def family(name: str) -> maxlik.Family:
    """The registry's family ``name``, configured where it needs options (Binomial's trials)."""
    if name == "binomial":
        return maxlik.get_family(name, total_count=TOTAL_COUNT)
    return maxlik.get_family(name)


NAMES = list(maxlik.family_names())
assert sorted(NAMES) == sorted(SUPPORT_KIND), "a family was added: give it a SUPPORT_KIND"
# families whose MLE is a closed form of sufficient statistics (a merge of chunks is exact)
CLOSED = [n for n in NAMES if family(n).has_closed_form]
NUMERICAL = [n for n in NAMES if n not in CLOSED]


# Strategies are built once per argument tuple and reused (functools.cache below): a composite
# built afresh inside every example is validated afresh too, ~5 % of a fuzz run's time.
_cached = functools.cache


@_cached
def _log_uniform(lo: float, hi: float):
    return hs.floats(math.log(lo), math.log(hi)).map(math.exp)


@_cached
@hs.composite
def params_of(draw, name: str) -> dict:
    """Parameters of family ``name`` inside its typical ranges (vectors: K or D entries)."""
    if name == "categorical":
        w = np.asarray(draw(hs.lists(hs.floats(0.1, 1.0), min_size=K, max_size=K)))
        return {"probs": w / w.sum()}
    if name == "dirichlet":
        return {"concentration": np.asarray(draw(hs.lists(_log_uniform(0.5, 10.0), min_size=K, max_size=K)))}
    if name == "mvnormal":
        loc = np.asarray(draw(hs.lists(hs.floats(-5.0, 5.0), min_size=D, max_size=D)))
        sd = np.asarray(draw(hs.lists(_log_uniform(0.3, 3.0), min_size=D, max_size=D)))
        rho = draw(hs.floats(-0.8, 0.8))
        corr = np.array([[1.0, rho], [rho, 1.0]])
        return {"loc": loc, "covariance_matrix": corr * np.outer(sd, sd)}
    out = {}
    for p in family(name).params:
        lo, hi = p.typical
        positive = lo > 0 and p.constraint is not maxlik.constraints.real
        out[p.name] = draw(_log_uniform(lo, hi) if positive else hs.floats(lo, hi))
    return out


CI = os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci"
SIZES = hs.one_of(hs.integers(1, 60), hs.sampled_from([100, 1000, 10_000]))
# the threshold families profile the likelihood over loc (~0.3 s a fit): in the quick "ci" runs
# they see n ≤ 100; the fuzz profile gives them the whole range
THRESHOLD = {"exponential2", "gamma3", "lognormal3", "weibull3"}
CI_MAX_N = 100


def _cap(name: str, max_n: int) -> int:
    return min(max_n, CI_MAX_N) if CI and name in THRESHOLD else max_n


@_cached
def sizes(name: str, min_n: int, max_n: int):
    max_n = _cap(name, max_n)
    return SIZES.filter(lambda k: min_n <= k <= max_n) if max_n >= 100 else hs.integers(min_n, max_n)



# hypothesis shrinks a failing example, which for a known failure (an xfail parametrisation) is
# minutes of refits: the quick "ci" runs (and a fuzz run with FUZZ_NO_SHRINK=1) skip shrinking in
# the tests that carry xfail marks
NO_SHRINK_IN_CI = (settings(phases=[Phase.explicit, Phase.reuse, Phase.generate])
                   if CI or os.environ.get("FUZZ_NO_SHRINK") == "1" else (lambda f: f))


@_cached
@hs.composite
def family_data(draw, name: str, min_n: int = 1, max_n: int = 10_000):
    """(params, x): n draws from family ``name`` at typical parameters (seeded by hypothesis)."""
    params = draw(params_of(name))
    n = draw(sizes(name, min_n, max_n))
    seed = draw(hs.integers(0, 2**32 - 1))
    return params, np.asarray(family(name).sample(params, n, seed=seed), dtype=float)


# -- adversarial data -----------------------------------------------------------------------


def into_support(name: str, z: np.ndarray) -> np.ndarray:
    """Real values z (n,) mapped into family ``name``'s support (vector families: (n, d))."""
    kind = SUPPORT_KIND[name]
    z = np.asarray(z, dtype=float)
    if kind == "real":
        return z
    if kind == "vector":
        return np.stack([z, np.roll(z, 1) * 0.5 + z], axis=1)
    if kind in ("positive", "nonnegative"):
        out = np.abs(z)
        return np.where(out > 0, out, 1e-300) if kind == "positive" else out
    if kind == "unit":
        out = 1.0 / (1.0 + np.exp(-np.clip(z, -700, 700)))
        return np.clip(out, 1e-300, 1.0 - 2**-53)
    if kind == "binary":
        return (z > 0).astype(float)
    if kind == "count":
        return np.floor(np.minimum(np.abs(z), 1e12))
    if kind == "binomial":
        return np.floor(np.minimum(np.abs(z), TOTAL_COUNT))
    if kind == "category":
        return np.floor(np.minimum(np.abs(z), K - 1))
    if kind == "circle":
        return np.clip(np.remainder(z + math.pi, 2 * math.pi) - math.pi, -math.pi, math.pi)
    if kind == "simplex":
        e = np.exp(-np.abs(np.stack([z, np.roll(z, 1), np.roll(z, 2)], axis=1)) - np.arange(K))
        return e / e.sum(axis=1, keepdims=True)
    raise AssertionError(kind)


EDGES = {  # values at or next to the edge of each kind of support
    "real": [0.0], "vector": [0.0], "positive": [1e-300, 1e-12], "nonnegative": [0.0, 1e-300],
    "unit": [1e-12, 1.0 - 1e-12], "binary": [0.0, 1.0], "count": [0.0], "binomial": [0.0, float(TOTAL_COUNT)],
    "category": [0.0], "circle": [-math.pi, math.pi], "simplex": [0.0],
}


@hs.composite
def real_values(draw, n: int, kind: str) -> np.ndarray:
    seed = draw(hs.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if kind == "ties":
        return np.repeat(rng.normal(size=max(1, n // 4)), 4)[:n] if n >= 4 else np.full(n, rng.normal())
    if kind == "few":
        values = rng.normal(size=draw(hs.integers(1, 3)))
        return values[rng.integers(0, len(values), n)]
    if kind == "heavy":
        return rng.standard_cauchy(n) * 10.0 ** draw(hs.integers(0, 6))
    if kind == "grid":
        return np.asarray(draw(hs.lists(hs.floats(-10.0, 10.0, allow_nan=False), min_size=n, max_size=n)))
    raise AssertionError(kind)


@_cached
@hs.composite
def adversarial(draw, name: str, min_n: int = 1, max_n: int = 10_000) -> np.ndarray:
    """Data in family ``name``'s support that stresses a fit: ties, a few distinct values, heavy
    tails, values on the support's edge, or hypothesis's own floats; n from min_n to max_n."""
    n = draw(sizes(name, min_n, max_n))
    kind = draw(hs.sampled_from(["ties", "few", "heavy", "grid", "edge"]))
    if kind == "edge":
        z = draw(real_values(n, "heavy"))
        x = into_support(name, z)
        edge = EDGES[SUPPORT_KIND[name]]
        m = draw(hs.integers(1, max(1, n // 2)))
        if x.ndim == 1:
            x[:m] = edge[m % len(edge)] if m < n else np.resize(edge, m)
        return x
    if kind == "grid" and n > 200:
        kind = "ties"
    return into_support(name, draw(real_values(n, kind)))


# -- fitting without surprises ----------------------------------------------------------------


def try_fit(x, fam, **kw):
    """``maxlik.fit`` or None where the library refuses the data with its own error. A fit that
    does not converge says so in its status (callers check ``ok``): its warning is not repeated."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", maxlik.ConvergenceWarning)
        try:
            return maxlik.fit(x, fam, **kw)
        except MaxlikError:
            return None


def ok(r) -> bool:
    return r is not None and r.status.ok


_JITTED: dict = {}


def log_prob(fam, params: dict, x) -> np.ndarray:
    """``fam.log_prob`` as NumPy, jitted once per family and per padded size (the rows are padded
    to a power of two with copies of row 0, so a run compiles a few shapes, not one per n)."""
    from maxlik._xp import jax, jnp

    x = np.asarray(x, dtype=float)
    n = len(x)
    size = max(64, 1 << (n - 1).bit_length())
    padded = np.concatenate([x, np.repeat(x[:1], size - n, axis=0)]) if size > n else x
    fn = _JITTED.get(fam)
    if fn is None:
        fn = _JITTED[fam] = jax.jit(fam.log_prob)
    p = {k: jnp.asarray(v, dtype=float) for k, v in params.items()}
    return np.asarray(fn(p, jnp.asarray(padded)))[:n]


def loglik(fam, params: dict, x, w=None) -> float:
    """Σ wₙ log p(xₙ | θ) by the family's log_prob, summed with math.fsum (−inf outside the support)."""
    lp = log_prob(fam, params, x)
    if w is not None:
        lp = np.where(np.asarray(w) > 0, lp * np.asarray(w), 0.0)
    if np.isnan(lp).any():
        return -math.inf
    return math.fsum(lp) if np.isfinite(lp).all() else -math.inf


def free_vector(fam, params: dict) -> np.ndarray:
    """The parameters on the unconstrained scale, flattened (the space the optimiser works in)."""
    from maxlik.transforms import bijection_for

    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.concatenate([np.ravel(np.asarray(bijection_for(p.constraint).inverse(np.asarray(params[p.name], dtype=float))))
                            for p in fam.params])
    # an estimate on the boundary (p̂ = 0 for all-zero Bernoulli data) is −inf here: perturbations
    # then start from a point just inside it
    return np.where(np.isfinite(u), u, np.sign(np.nan_to_num(u)) * 40.0)


def from_free(fam, params: dict, u: np.ndarray) -> dict:
    from maxlik.transforms import bijection_for

    out, i = {}, 0
    for p in fam.params:
        b = bijection_for(p.constraint)
        with np.errstate(divide="ignore", invalid="ignore"):
            shape = np.shape(b.inverse(np.asarray(params[p.name], dtype=float)))
        k = int(np.prod(shape))
        out[p.name] = np.asarray(b.forward(u[i:i + k].reshape(shape)), dtype=float)
        if out[p.name].ndim == 0:
            out[p.name] = float(out[p.name])
        i += k
    return out


# -- a chunked source -------------------------------------------------------------------------


class ChunkedSource(Source):
    """In-memory rows cut into given chunks: the passes of a streamed fit run over them in order."""

    def __init__(self, chunks, weights=None):
        self.chunks = [np.asarray(c, dtype=float) for c in chunks]
        self.w = None if weights is None else [np.asarray(w, dtype=float) for w in weights]
        self._as_matrix = self.chunks[0].ndim == 2
        self.columns = tuple(f"x{j}" for j in range(self.chunks[0].shape[1])) if self._as_matrix else ("x",)
        self.weights = None if weights is None else "w"

    def describe(self) -> str:
        return f"{len(self.chunks)} chunks in memory"

    @property
    def n_rows(self) -> int:
        return sum(len(c) for c in self.chunks)

    def with_roles(self, *, target=None, weights=None):
        if target is not None:
            raise AssertionError("ChunkedSource has no target")
        if weights is None:
            return self
        w = np.asarray(weights, dtype=float)
        cuts = np.cumsum([len(c) for c in self.chunks])[:-1]
        return ChunkedSource(self.chunks, np.split(w, cuts))

    def map_reduce(self, fn, combine=maxlik.sources.merge):
        out, offset = None, 0
        for i, c in enumerate(self.chunks):
            part = fn(Chunk(c, None, None if self.w is None else self.w[i], offset, "chunks", offset))
            out = part if out is None else combine(out, part)
            offset += len(c)
        return out


@hs.composite
def cuts_of(draw, n: int, max_chunks: int = 8) -> list[int]:
    """Sorted cut points splitting n rows into at most max_chunks non-empty chunks."""
    if n < 2:
        return []
    cuts = draw(hs.lists(hs.integers(1, n - 1), max_size=max_chunks - 1, unique=True))
    return sorted(cuts)


# -- comparing estimates ----------------------------------------------------------------------


def rtol_of(name: str) -> float:
    """How closely two fits of equal likelihoods agree: closed forms to rounding, numerical
    maxima to the optimiser's convergence criterion (relative, on the unconstrained scale)."""
    return 1e-10 if name in CLOSED and family(name).stats_method == "closed_form" else 1e-6


def same_params(fam, a: dict, b: dict, rtol: float, spread: float = 1.0) -> bool:
    """a ≈ b parameter by parameter: positive ones relatively, real ones (locations) to rtol of
    ``spread`` (the size of the data) plus their own size."""
    for p in fam.params:
        u, v = np.asarray(a[p.name], dtype=float), np.asarray(b[p.name], dtype=float)
        if p.constraint is maxlik.constraints.real:
            tol = rtol * (spread + np.abs(v))
        else:
            tol = rtol * np.abs(v) + 1e-300
        if not (np.all(np.isfinite(u)) and np.all(np.abs(u - v) <= tol)):
            return False
    return True


def spread(x) -> float:
    x = np.asarray(x, dtype=float)
    return float(np.max(np.abs(x))) if x.size else 1.0


def stderr_of(r) -> dict | None:
    """The result's standard errors, or None where it has none (no warning)."""
    cov, labels, _ = r._covariance()
    if cov is None:
        return None
    se = r._stderr_values()
    if se is None or not all(np.all(np.isfinite(v)) for v in se.values()):
        return None
    return se


def same_estimate(name: str, a, b, x) -> bool:
    """Two fits of the same likelihood agree: closed forms to rounding (``rtol_of``); numerical
    maxima to 10⁻³ of a standard error, which is what the convergence rule promises (a Newton
    decrement ½gᵀH⁻¹g ≤ 10⁻⁸ puts the estimate within √(2·10⁻⁸) ≈ 1.4·10⁻⁴ standard errors of
    the maximum), or to 10⁻⁶ relative where there are no standard errors."""
    fam = S_family = family(name)
    if rtol_of(name) < 1e-6:
        return same_params(fam, a.params, b.params, rtol_of(name), spread(x))
    se = stderr_of(b)
    if se is None:
        return same_params(S_family, a.params, b.params, 1e-6, spread(x))
    for k, s in se.items():
        u, v = np.asarray(a.params[k], dtype=float), np.asarray(b.params[k], dtype=float)
        if not np.all(np.abs(u - v) <= 1e-3 * np.asarray(s) + 1e-10 * np.abs(v)):
            return False
    return True


# -- estimators -------------------------------------------------------------------------------

ESTIMATORS = ["GaussianClassifier", "GaussianMixture", "LinearRegression", "LogisticRegression", "PoissonRegression",
              "SoftmaxRegression"]


def estimator_data(kind: str, rng, n: int):
    """(X (n', 2), y (n',) or None) for estimator ``kind``: data its model fits."""
    X = rng.normal(size=(n, 2))
    if kind == "GaussianMixture":
        return np.concatenate([X, X + 5.0]), None
    if kind == "LinearRegression":
        return X, X @ [1.0, -2.0] + rng.normal(size=n)
    if kind == "PoissonRegression":
        return X, rng.poisson(np.exp(0.3 * X[:, 0])).astype(float)
    if kind == "SoftmaxRegression":
        return X, np.argmax(X @ [[1.0, 0.0, -1.0], [0.0, 1.0, -1.0]] + rng.gumbel(size=(n, 3)), axis=1)
    y = (X[:, 0] + rng.logistic(size=n) > 0).astype(int)
    return (X + 3.0 * y[:, None], y) if kind == "GaussianClassifier" else (X, y)


def estimator(kind: str):
    return maxlik.GaussianMixture(n_components=2, random_state=0) if kind == "GaussianMixture" else getattr(maxlik, kind)()
