"""maxlik — maximum likelihood estimation.

>>> import maxlik
>>> r = maxlik.fit([2.1, 1.9, 2.0, 2.3, 1.8], "normal")
>>> r.params["loc"]
2.02

Importing maxlik turns on JAX float64 (see maxlik._jax for how to opt out).
"""

from . import _jax  # noqa: F401  (sets JAX float64 before anything else touches JAX)
from . import constraints, datasets, families
from .errors import (
    ConvergenceWarning,
    DataError,
    DegenerateFitError,
    FitFailedError,
    InferenceWarning,
    MaxlikError,
    ParameterError,
    SupportError,
    UnknownFamilyError,
)
from .families import (  # noqa: F401  (re-exported)
    FAMILY_CLASSES, Bernoulli, Beta, Binomial, Categorical, Cauchy, Dirichlet, Exponential, Family, Gamma,
    Geometric, Gumbel, Laplace, Logistic, LogNormal, MultivariateNormal, NegativeBinomial, Normal, Param,
    Pareto, Poisson, Stats, StudentT, Uniform, VonMises, Weibull, family_names, get_family, names, register,
)
from .fit import fit, fit_stats
from .results import FitResult
from .loglik import fit_loglik
from .likelihood_ratio import lrt
from .model_selection import compare
from .curve import fit_curve
from .curve import CurveFitResult
from .models import (
    GaussianClassifier, GaussianMixture, LinearRegression, LogisticRegression, PoissonRegression,
    SoftmaxRegression, fit_mixture, select_mixture,
)

__version__ = "0.1.0"

__all__ = [
    "ConvergenceWarning", "DataError", "DegenerateFitError", "FitFailedError", "InferenceWarning",
    "MaxlikError", "ParameterError", "SupportError", "UnknownFamilyError",
    "Family", "Param", "Stats", "FitResult", "CurveFitResult", "constraints", "datasets", "families",
    "family_names", "get_family", "names", "register",
    "fit", "fit_stats", "fit_loglik", "fit_curve", "lrt", "compare",
    "GaussianClassifier", "GaussianMixture", "select_mixture", "fit_mixture",
    "LinearRegression", "LogisticRegression", "PoissonRegression", "SoftmaxRegression",
    *FAMILY_CLASSES,
]
