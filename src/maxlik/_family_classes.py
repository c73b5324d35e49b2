"""The built-in families by registry name, in one table that needs no import of the families
themselves: ``maxlik/__init__`` exports the classes lazily from it, ``maxlik.families`` lists them
in ``__all__``, and the command line checks a ``--family`` name against it before JAX loads
(tests/test_lazy_import.py checks the table against the registry)."""

from __future__ import annotations

from .errors import UnknownFamilyError

# registry name -> class name (in maxlik.families)
FAMILY_NAMES = {
    "normal": "Normal", "mvnormal": "MultivariateNormal", "bernoulli": "Bernoulli", "binomial": "Binomial",
    "categorical": "Categorical", "poisson": "Poisson", "exponential": "Exponential", "geometric": "Geometric",
    "lognormal": "LogNormal", "uniform": "Uniform", "laplace": "Laplace", "pareto": "Pareto", "gamma": "Gamma",
    "weibull": "Weibull", "beta": "Beta", "student_t": "StudentT", "cauchy": "Cauchy", "logistic": "Logistic",
    "gumbel": "Gumbel", "negative_binomial": "NegativeBinomial", "von_mises": "VonMises", "dirichlet": "Dirichlet",
    "weibull3": "Weibull3", "gamma3": "Gamma3", "lognormal3": "LogNormal3", "exponential2": "Exponential2",
}
FAMILY_CLASSES = list(FAMILY_NAMES.values())

ALIASES = {
    "gaussian": "normal", "multivariate_normal": "mvnormal", "log_normal": "lognormal",
    "negbinomial": "negative_binomial", "negbin": "negative_binomial", "neg_binomial": "negative_binomial",
    "student": "student_t", "studentt": "student_t",
    # SciPy's names (scipy.stats.norm, expon, ...), for users who come from there
    "norm": "normal", "expon": "exponential", "lognorm": "lognormal", "weibull_min": "weibull", "t": "student_t",
    "nbinom": "negative_binomial", "geom": "geometric", "binom": "binomial", "vonmises": "von_mises",
    "gumbel_r": "gumbel",
}


def registry_key(spec: str) -> str:
    """The registry name a user's spelling means: case and ``-`` / ``_`` ignored, aliases resolved."""
    key = spec.strip().lower().replace("-", "_")
    return ALIASES.get(key, key)


def unknown_family(spec: str, known, owner: str) -> UnknownFamilyError:
    """The error for a name not in ``known`` (registry names), with the closest one suggested."""
    import difflib

    # near misses of an alias suggest what it means ('gausian' -> 'normal', not 'gamma')
    spellings = {**{k: k for k in known}, **{a: t for a, t in ALIASES.items() if t in known and len(a) > 3}}
    close = difflib.get_close_matches(registry_key(spec), list(spellings), n=1, cutoff=0.5)
    hint = f"Did you mean {spellings[close[0]]!r}? " if close else ""
    return UnknownFamilyError(
        f"{owner}: family must be one of {sorted(known)}; got {spec!r}. {hint}"
        "See maxlik.family_names() for the list with parameters."
    )


def check_builtin_name(spec: str, owner: str) -> None:
    """Raise :func:`unknown_family` unless ``spec`` names a built-in family (no family is imported)."""
    if registry_key(spec) not in FAMILY_NAMES:
        raise unknown_family(spec, FAMILY_NAMES, owner)
