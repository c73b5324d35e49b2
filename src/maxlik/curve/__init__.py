"""maxlik.curve: nonlinear regression as Gaussian-noise maximum likelihood.

* :mod:`.fit` — ``fit_curve``: validation, the solver stages (Levenberg–Marquardt from
  :mod:`maxlik.optimize.levenberg_marquardt`, polishing, verification), the result;
* :mod:`.result` — ``CurveFitResult``, the fit on the one result protocol;
* :mod:`._extended_eval` — one evaluation of the model in extended precision for the final RSS.
"""

from .fit import SIGMA_CONVENTIONS, fit_curve
from .result import CurveFitResult

__all__ = ["CurveFitResult", "SIGMA_CONVENTIONS", "fit_curve"]
