"""Distribution families, one per module. Each module registers its class on import.

``maxlik.families`` is this package. Until release 0.2 it can also be called, ``maxlik.families()``,
the spelling of 0.1 for :func:`family_names` (which now has its own name), with a DeprecationWarning.
"""

import sys
import types
import warnings

from ._base import Family, Param, Stats, flat_labels
from ._limit import LIMIT_TOL, Limit, at_limit
from ._scale_rules import LOG, Rescaling, scale_exponents_of
from ._registry import family_names, get_family, names, register, with_distribution_functions

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
from .dirichlet import Dirichlet  # Newton on its sufficient statistics

# fitted numerically
from .weibull import Weibull
from .beta import Beta
from .student_t import StudentT
from .cauchy import Cauchy
from .logistic import Logistic
from .gumbel import Gumbel
from .negative_binomial import NegativeBinomial
from .von_mises import VonMises

# threshold (three-parameter) forms: Weibull(threshold=True) etc.
from ._threshold import ThresholdFamily
from .weibull3 import Weibull3
from .gamma3 import Gamma3
from .lognormal3 import LogNormal3
from .exponential2 import Exponential2

from .._family_classes import FAMILY_CLASSES

__all__ = ["Family", "LIMIT_TOL", "LOG", "Limit", "Param", "Rescaling", "Stats", "scale_exponents_of", "at_limit", "ThresholdFamily", "flat_labels", "family_names", "get_family", "names", "register", "with_distribution_functions", *FAMILY_CLASSES]


class _CallableFamilies(types.ModuleType):
    """The package module, callable for one release as the deprecated ``maxlik.families()``."""

    def __call__(self):
        warnings.warn(
            "maxlik.families() is deprecated and will be removed in 0.2: maxlik.families is the subpackage; "
            "call maxlik.family_names() (same output).",
            DeprecationWarning, stacklevel=2,
        )
        return family_names()


sys.modules[__name__].__class__ = _CallableFamilies
