"""LAPACK on small stacked matrices without np.linalg's per-call checks.

``np.linalg.svd`` and ``np.linalg.inv`` spend ~5-9 µs per call on argument checks and error-state
set-up around a LAPACK call that, for the 2 × 2 to 4 × 4 matrices of a mixture's EM on small
data, takes less: the EVE/VVE M-step calls the SVD ~7,000 times and the E-step's factors the
inverse ~1,500 times in one ``select_mixture`` on iris (and the other M-steps the Cholesky
factor, eigendecompositions and log-determinants about as often). These call NumPy's own gufuncs
(``numpy.linalg._umath_linalg``, the ones np.linalg wraps) directly, and fall back to np.linalg
where that private module differs.

No check is made: a non-finite input, or a LAPACK failure (a matrix that is not positive
definite for the Cholesky factor), gives NaN out (and, outside ``np.errstate(invalid=
"ignore")``, a RuntimeWarning); callers pass only finite matrices or test the result.
"""

from __future__ import annotations

import numpy as np

try:
    from numpy.linalg import _umath_linalg as _gufuncs

    def svd(a):
        """(u, s, vt) of a (..., d, d) float64 array, as ``np.linalg.svd(a)``."""
        return _gufuncs.svd_f(a, signature="d->ddd")

    def inv(a):
        """a⁻¹ of an invertible (..., d, d) float64 array, as ``np.linalg.inv(a)``."""
        return _gufuncs.inv(a, signature="d->d")

    def cholesky(a):
        """The lower Cholesky factors of a (..., d, d) float64 array, as ``np.linalg.cholesky(a)``;
        NaN (not LinAlgError) for a matrix that is not positive definite."""
        return _gufuncs.cholesky_lo(a, signature="d->d")

    def eigh(a):
        """(eigenvalues ascending, eigenvectors) of a symmetric (..., d, d) float64 array (its lower
        triangle), as ``np.linalg.eigh(a)``."""
        return _gufuncs.eigh_lo(a, signature="d->dd")

    def eigvalsh(a):
        """The eigenvalues, ascending, of a symmetric (..., d, d) float64 array, as ``np.linalg.eigvalsh(a)``."""
        return _gufuncs.eigvalsh_lo(a, signature="d->d")

    def slogdet(a):
        """(sign, log|det|) of a (..., d, d) float64 array, as ``np.linalg.slogdet(a)``."""
        return _gufuncs.slogdet(a, signature="d->dd")

    for _f in (svd, inv, cholesky, eigh, eigvalsh, slogdet):
        _f(np.eye(2))
except (ImportError, AttributeError, TypeError):  # pragma: no cover - another NumPy
    svd, inv, cholesky, eigh = np.linalg.svd, np.linalg.inv, np.linalg.cholesky, np.linalg.eigh
    eigvalsh, slogdet = np.linalg.eigvalsh, np.linalg.slogdet

__all__ = ["cholesky", "eigh", "eigvalsh", "inv", "slogdet", "svd"]
