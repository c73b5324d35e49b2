"""Models built on likelihood: scikit-learn estimators with standard errors (``result_``)."""

from .linear import LinearRegression
from .logistic import LogisticRegression
from .poisson import PoissonRegression
from .softmax import SoftmaxRegression
from .mixture import GaussianMixture
from .select_mixture import MixtureSelection, select_mixture
from ._em import MixtureFit, fit_mixture

__all__ = ["LinearRegression", "LogisticRegression", "PoissonRegression", "SoftmaxRegression"]
__all__ += ["GaussianMixture", "select_mixture", "MixtureSelection", "fit_mixture", "MixtureFit"]
from .classifier import GaussianClassifier

__all__ += ["GaussianClassifier"]
