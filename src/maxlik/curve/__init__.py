"""maxlik.curve: nonlinear regression as Gaussian-noise maximum likelihood.

* :mod:`.fit` — ``fit_curve``: validation, the solver stages (Levenberg–Marquardt from
  :mod:`maxlik.optimize.levenberg_marquardt`, polishing, verification), the result;
* :mod:`._extended_eval` — one evaluation of the model in extended precision for the final RSS.

(The result type, ``CurveFitResult``, is in :mod:`maxlik.curve_result` for now.)
"""

from .fit import SIGMA_CONVENTIONS, fit_curve

__all__ = ["SIGMA_CONVENTIONS", "fit_curve"]
