"""Distribution families, one per module. Each module registers its class on import."""

from ._base import Family, Param, Stats, flat_labels
from ._registry import families, get_family, names, register

# closed form (mergeable sufficient statistics)
from .normal import Normal
from .mvnormal import MultivariateNormal
from .bernoulli import Bernoulli
from .binomial import Binomial
from .categorical import Categorical
from .poisson import Poisson
from .exponential import Exponential
from .geometric import Geometric
from .lognormal import LogNormal
from .uniform import Uniform
from .laplace import Laplace
from .pareto import Pareto
from .gamma import Gamma  # Newton on its sufficient statistics

# fitted numerically
from .weibull import Weibull
from .beta import Beta
from .student_t import StudentT
from .cauchy import Cauchy
from .logistic import Logistic
from .gumbel import Gumbel
from .negative_binomial import NegativeBinomial
from .von_mises import VonMises
from .dirichlet import Dirichlet

FAMILY_CLASSES = [
    "Normal", "MultivariateNormal", "Bernoulli", "Binomial", "Categorical", "Poisson", "Exponential",
    "Geometric", "LogNormal", "Uniform", "Laplace", "Pareto", "Gamma", "Weibull", "Beta", "StudentT",
    "Cauchy", "Logistic", "Gumbel", "NegativeBinomial", "VonMises", "Dirichlet",
]
__all__ = ["Family", "Param", "Stats", "flat_labels", "families", "get_family", "names", "register", *FAMILY_CLASSES]
