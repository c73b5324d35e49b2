"""Feature names of a fitted estimator, used in the labels of its ``result_``.

The names come, in this order, from a DataFrame's columns (scikit-learn's ``feature_names_in_``),
from ``fit(..., feature_names=[...])`` (for NumPy input, e.g. the CLI's CSV columns), else
``x0 … x(d−1)``. Names given to ``fit`` are kept privately (``_feature_names``), not as
``feature_names_in_``: that would make scikit-learn warn on every later ``predict`` of an array.
"""

from __future__ import annotations

from ..errors import ParameterError


def set_feature_names(est, feature_names, n_features: int, reset: bool = True) -> None:
    """Check ``feature_names`` (None, or ``n_features`` distinct names) and keep them on ``est``.

    With ``reset=False`` (a later ``partial_fit``) names given must equal those already kept."""
    owner = type(est).__name__
    if feature_names is None:
        if reset:
            est._feature_names = None
        return
    if isinstance(feature_names, (str, bytes)) or not hasattr(feature_names, "__len__"):
        raise ParameterError(f"{owner}: feature_names must be a list of {n_features} names; got {feature_names!r}. "
                             "Pass one name per column of X, e.g. feature_names=['age', 'dose'].")
    names = [str(f) for f in feature_names]
    if len(names) != n_features:
        raise ParameterError(f"{owner}: feature_names must have one name per column of X ({n_features}); "
                             f"got {len(names)}: {names}. Pass exactly one name per column.")
    if len(set(names)) != len(names):
        dup = sorted({f for f in names if names.count(f) > 1})
        raise ParameterError(f"{owner}: feature_names must be distinct; got {dup} more than once. Rename the repeated columns.")
    columns = getattr(est, "feature_names_in_", None)
    current = [str(f) for f in columns] if columns is not None else (None if reset else getattr(est, "_feature_names", None))
    if current is not None and current != names:
        raise ParameterError(f"{owner}: feature_names must match the columns of X ({current}); got {names}. "
                             "Drop feature_names when X is a DataFrame, or pass the same names.")
    est._feature_names = names


def feature_names(est) -> list[str]:
    """The d feature names of a fitted estimator (strings)."""
    names = getattr(est, "feature_names_in_", None)
    if names is None:
        names = getattr(est, "_feature_names", None)
    if names is None:
        names = [f"x{j}" for j in range(est.n_features_in_)]
    return [str(f) for f in names]


def covariance_pairs(covariance_type: str, d: int) -> list[tuple[int, int]]:
    """(i, j) of the free entries of one d×d covariance, in the order of their labels.

    full / tied: the upper triangle row by row, (0,0), (0,1), …, (0,d−1), (1,1), … (i ≤ j): the
    order of MultivariateNormal's ``covariance_matrix[i,j]`` labels (row-major, ``flat_labels``)
    with the repeated lower entries left out; diag: (i, i); spherical: one variance, (0, 0)."""
    if covariance_type in ("full", "tied"):
        return [(i, j) for i in range(d) for j in range(i, d)]
    if covariance_type == "diag":
        return [(i, i) for i in range(d)]
    return [(0, 0)]


def covariance_label(covariance_type: str, owner, names: list[str], i: int, j: int) -> str:
    """The label of entry (i, j) of ``owner``'s covariance (a class, a component or "tied"), as
    what the structure estimates: ``cov[owner][f,g]`` (full, tied), ``var[owner][f]`` (diag),
    ``var[owner]`` (spherical: one variance)."""
    if covariance_type == "spherical":
        return f"var[{owner}]"
    if covariance_type == "diag":
        return f"var[{owner}][{names[i]}]"
    return f"cov[{owner}][{names[i]},{names[j]}]"
