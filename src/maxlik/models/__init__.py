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

# the results of the estimators (``result_``), public for maxlik.save / maxlik.load
from ._result import RegressionResult
from ._classifier_result import ClassifierResult
from ._mixture_result import GaussianMixtureResult

__all__ += ["RegressionResult", "ClassifierResult", "GaussianMixtureResult"]
