"""Choose the number of components and the covariance structure of a Gaussian mixture by BIC,
as R's mclust does:

    BIC = −2 ℓ(θ̂) + k log n        (scikit-learn's sign: smaller is better; mclust reports −BIC)

Every configuration (n_components × covariance_type) is fitted by EM; one whose fit fails
(collapsing components: a singular covariance or an empty component, as happens with
integer-valued data such as Old Faithful's waiting times when ``reg_covar`` = 0) is skipped and
listed in the table with its reason instead of failing the whole selection, as mclust reports
such models as NA. ``covariance_types`` takes scikit-learn's four names and mclust's 14 models
(:mod:`._covariance_models`); a configuration of an mclust model with more parameters than the
data have distinct rows is skipped with that reason before any fit (it cannot be identified;
scikit-learn's names keep their behaviour: the fit is tried and its collapse reported).
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.utils.validation import check_array

from ..criteria import aic, bic
from ..errors import ConvergenceWarning, DataError, DegenerateFitError, ParameterError
from ..families.mvnormal import COVARIANCE_TYPES
from ..results import SUMMARY_WIDTH, wrap_text
from .._deprecation import renamed_arguments
from .mixture import GaussianMixture
from ._covariance_models import NOTE, NAMES, canonical, n_params, suggestion


class MixtureSelection:
    """``table``: one dict per configuration (covariance_type, n_components, loglik, n_params,
    bic, aic, converged, n_iter, status); ``best``: the fitted GaussianMixture with the
    smallest BIC; ``best_config``; ``skipped``: the rows whose fit failed;
    ``to_dict()``; ``to_pandas()``; ``summary()``."""

    def __init__(self, table, best, best_config):
        self.table, self.best, self.best_config = table, best, best_config

    @property
    def skipped(self) -> list[dict]:
        return [r for r in self.table if r["status"].startswith("skipped")]

    def to_dict(self) -> dict:
        """The table (plain values, JSON-ready) and the best configuration (``best.result_.to_dict()``
        has the best fit itself)."""
        return {"table": [dict(r) for r in self.table], "best_config": list(self.best_config)}

    def to_pandas(self):
        import pandas as pd

        return pd.DataFrame(self.table)

    def summary(self) -> str:
        """The BIC table in 80 columns, the best configuration starred; a long status (why a
        configuration was skipped) wrapped under its row."""
        head = f"{'covariance_type':<16}{'K':>4}{'loglik':>14}{'params':>8}{'BIC':>14}  status"
        lines = [head, "-" * len(head)]
        for r in self.table:
            ll = "" if r["loglik"] is None else f"{r['loglik']:.4f}"
            bic = "" if r["bic"] is None else f"{r['bic']:.4f}"
            k = "" if r["n_params"] is None else r["n_params"]
            star = " *" if (r["covariance_type"], r["n_components"]) == self.best_config else ""
            row = f"{r['covariance_type']:<16}{r['n_components']:>4}{ll:>14}{k:>8}{bic:>14}  "
            lines += wrap_text(f"{r['status']}{star}", SUMMARY_WIDTH, row, " " * 8)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _fit_config(row: dict, X, weights, n: int, options: dict, distinct: int):
    """Fit ``row``'s configuration and fill in its statistics; the GaussianMixture, or None (skipped)."""
    k, ct = row["n_components"], row["covariance_type"]
    if k > n:
        row["status"] = f"skipped: n_components > n_samples ({n})"
        return None
    p = n_params(canonical(ct), X.shape[1], k)
    if ct not in COVARIANCE_TYPES and distinct < p:  # scikit-learn's names: the fit says why (as before)
        row["status"] = (f"skipped: the data have {distinct} distinct rows, fewer than the {p} parameters of "
                         f"{ct} with {k} components (not identifiable); use fewer components or a simpler model")
        return None
    gm = GaussianMixture(k, covariance_type=ct, **options)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            gm.fit(X, sample_weight=weights)
    except DegenerateFitError as exc:
        row["status"] = f"skipped: {exc}"
        return None
    W = float(np.sum(weights)) if weights is not None else float(n)
    ll = gm._loglik
    p = gm._n_parameters()
    row.update(loglik=ll, n_params=p, bic=bic(ll, p, W), aic=aic(ll, p),
               converged=bool(gm.converged_), n_iter=int(gm.n_iter_))
    if not gm.converged_:
        row["status"] = "not converged"
    return gm


def select_mixture(
    X,
    n_components=range(1, 10),
    covariance_types=COVARIANCE_TYPES,
    *,
    weights=None,
    reg_covar: float = 1e-6,
    n_init: int = 1,
    max_iter: int = 100,
    tol: float = 1e-3,
    init_params: str = "kmeans++",
    seed=0,
    progress=None,
    **deprecated,
) -> MixtureSelection:
    """Fit a GaussianMixture for every (covariance_type, n_components) and keep the smallest BIC.

    X (n, d); ``weights`` (n,) observation weights; ``n_init`` EM starts per configuration;
    ``seed`` for the starts. Configurations with more components than samples are listed as
    skipped; so are fits that raise DegenerateFitError (collapsing components). A fit that stops
    at max_iter is kept, with status "not converged". Raises DataError if every configuration fails.
    ``progress``: called with ``"{covariance_type}, K={k}"`` after each configuration (the CLI's bar).

    Deprecated spellings (one release, with a DeprecationWarning): ``sample_weight`` → ``weights``,
    ``random_state`` → ``seed``.
    """
    new = renamed_arguments("select_mixture", deprecated,
                            {"sample_weight": "weights", "random_state": "seed"})
    weights, seed = new.get("weights", weights), new.get("seed", seed)
    ks = list(n_components)
    if not ks or not all(isinstance(k, (int, np.integer)) and k >= 1 for k in ks):
        raise ParameterError(f"select_mixture: n_components must be positive integers; got {ks!r}.")
    types = [covariance_types] if isinstance(covariance_types, str) else list(covariance_types)
    bad = [t for t in types if not isinstance(t, str) or t not in NAMES]
    if bad or not types:
        hint = suggestion(bad[0]) if bad else ""
        raise ParameterError(
            f"select_mixture: covariance_types must be among {list(COVARIANCE_TYPES)}; got {types!r}.{hint}{NOTE}"
        )
    arr = check_array(X, dtype=np.float64)
    n = arr.shape[0]
    for t in types:
        canonical(t, arr.shape[1], "select_mixture")  # E and V only for one-dimensional data
    distinct = len(np.unique(arr, axis=0))
    table, best, best_config = [], None, None
    for ct in types:
        for k in ks:
            row = {"covariance_type": ct, "n_components": int(k), "loglik": None, "n_params": None,
                   "bic": None, "aic": None, "converged": None, "n_iter": None, "status": "ok"}
            table.append(row)
            gm = _fit_config(row, X, weights, n, dict(reg_covar=reg_covar, n_init=n_init, max_iter=max_iter, tol=tol,
                                                      init_params=init_params, random_state=seed), distinct)
            if progress is not None:
                progress(f"{ct}, K={k}")
            if gm is not None and (best is None or row["bic"] < best[0]):
                best, best_config = (row["bic"], gm), (ct, int(k))
    if best is None:
        raise DataError(
            "select_mixture: at least one configuration must fit; got a failure for every one (see the "
            "reasons below). Pass reg_covar (e.g. 1e-6) or fewer components.\n"
            + "\n".join(f"{r['covariance_type']}, K={r['n_components']}: {r['status']}" for r in table)
        )
    return MixtureSelection(table, best[1], best_config)


__all__ = ["MixtureSelection", "select_mixture"]
