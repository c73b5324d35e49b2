"""The names of the family classes, in one list that needs no import of the families themselves:
``maxlik/__init__`` exports them lazily from it, and ``maxlik.families`` lists them in ``__all__``."""

FAMILY_CLASSES = [
    "Normal", "MultivariateNormal", "Bernoulli", "Binomial", "Categorical", "Poisson", "Exponential",
    "Geometric", "LogNormal", "Uniform", "Laplace", "Pareto", "Gamma", "Weibull", "Beta", "StudentT",
    "Cauchy", "Logistic", "Gumbel", "NegativeBinomial", "VonMises", "Dirichlet",
]
