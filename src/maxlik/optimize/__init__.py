"""The numerical engine: one solver per module, one loop contract, one convergence rule.

* :mod:`.newton` — Newton–Raphson on the host around a small derivative kernel
  (:mod:`._kernels`: the family's NumPy formulas for small data, else jitted JAX autodiff);
* :mod:`._loop` — the contract (``Solver``: init / step / measure) and the jitted loop with its
  bookkeeping (iteration count, traces, status) of the first-order methods;
* :mod:`._convergence` — the rule every iterative fit uses: the Newton decrement ½gᵀH⁻¹g of the
  total NLL ≤ max(tol, 10⁻¹³·|NLL|);
* :mod:`.quasi_newton` (BFGS, L-BFGS), :mod:`.gradient_descent` — jitted first-order solvers;
  with Newton, the methods of :func:`fit_numerical` (``maxlik.fit``, ``fit_loglik``);
* :mod:`.glm_newton` — Newton/IRLS over NumPy passes for the GLM estimators (chord steps, warm
  starts on subsamples);
* :mod:`.levenberg_marquardt` — least squares for ``fit_curve``;
* :mod:`._stream_kernel` — Newton's kernel for data read in passes (files, Dask): per-chunk
  derivatives summed by the data source.
"""

import importlib

__all__ = ["METHODS", "NUMPY_MAX_ROWS", "NumericalFit", "Streamed", "check_options", "check_start", "fit_numerical", "n_rows", "status_message"]


def __getattr__(name):
    # The jitted solvers import optimistix and optax (~0.4 s): load them on first use, so that
    # importing one light solver module (glm_newton, levenberg_marquardt, em) does not pay for them.
    if name in __all__:
        return getattr(importlib.import_module("._engine", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
