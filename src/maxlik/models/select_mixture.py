"""Choose the number of components and the covariance structure of a Gaussian mixture by BIC,
as R's mclust does:

    BIC = −2 ℓ(θ̂) + k log n        (scikit-learn's sign: smaller is better; mclust reports −BIC)

Every configuration (n_components × covariance_type) is fitted by EM, by default from mclust's
deterministic start: one model-based hierarchical clustering of the data (:mod:`._hierarchical`,
built once, cut at each K). Then, per covariance structure,

* nesting: a K-component fit that ends below a fit with fewer components of the same structure
  (which it contains) is refitted from that fit with its widest component split
  (:mod:`._mixture_nested`); if it still ends below, its status says so;
* refinement: the configurations whose BIC is within ``refine_margin`` of the best are continued
  from where they stopped to ``refine_tol``, so that the chosen fit sits at its maximum (to the
  tolerance) and not where the sweep's looser ``tol`` stopped it; the choice is made after this;
* degeneracy: a fit that fails (a singular covariance, an empty component) or ends on a spurious
  spike of the unbounded likelihood (:mod:`._mixture_degeneracy`), or a K above the number of
  distinct rows, is skipped and listed with its reason, never selected (mclust reports NA).

``covariance_types`` takes scikit-learn's four names and mclust's 14 models
(:mod:`._covariance_models`; by default all 14, or E and V for one feature, as mclust's ``Mclust``); a configuration of an mclust model with more parameters than the
data have distinct rows is skipped with that reason before any fit (it cannot be identified;
scikit-learn's names keep their behaviour: the fit is tried and its collapse reported).

``summary()`` prints the table in mclust's layout (:mod:`._mixture_table`).
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array

from ..criteria import aic, bic
from ..errors import ConvergenceWarning, DataError, DegenerateFitError, DegenerateFitWarning, ParameterError
from ..families.mvnormal import COVARIANCE_TYPES
from ..results import SUMMARY_WIDTH, wrap_text
from .._deprecation import renamed_arguments
from . import _hierarchical
from ._mixture_nested import split_widest, warm_start
from ._mixture_table import bic_table
from ._covariance_models import MODELS, NOTE, NAMES, UNIVARIATE, canonical, n_params, suggestion
from ._hyperparams import check_hyperparameters
from .mixture import GaussianMixture


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
        """The BIC table in mclust's layout (G × model, NA for skipped) in 80 columns, the best
        three, and the notes (why a configuration was skipped or flagged)."""
        return bic_table(self.table, self.best_config)

    def long_summary(self) -> str:
        """One line per configuration (covariance_type, K, loglik, params, BIC, status), the best starred."""
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


def _fit(row: dict, X, weights, W: float, options: dict, tree=None):
    """Fit ``row``'s configuration with ``options`` and fill in its statistics; the
    GaussianMixture, or None (skipped, the reason in the row's status)."""
    public = {k: v for k, v in options.items() if not k.startswith("_")}
    gm = GaussianMixture(row["n_components"], covariance_type=row["covariance_type"], **public)
    gm._hc_tree = tree  # one hierarchical tree for every K (mclust's hcPairs)
    gm._distinct = options.get("_distinct")  # counted once for every fit
    gm._checked = options.get("_checked", False)  # the shared options checked once (select_mixture)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", DegenerateFitWarning)
            gm.fit(X, sample_weight=weights)
        if gm.degenerate_ is not None:
            raise DegenerateFitError(gm.degenerate_)
    except DegenerateFitError as exc:
        del gm._hc_tree, gm._distinct, gm._checked
        row.update(loglik=None, n_params=None, bic=None, aic=None, converged=None, n_iter=None,
                   status=f"skipped: {exc}")
        return None
    del gm._hc_tree, gm._distinct, gm._checked  # they belong to this X: a later gm.fit(other data) builds its own
    ll, p = gm._loglik, gm._n_parameters()
    row.update(loglik=ll, n_params=p, bic=bic(ll, p, W), aic=aic(ll, p), converged=bool(gm.converged_),
               n_iter=int(gm.n_iter_), status="ok" if gm.converged_ else "not converged")
    return gm


def _nested(row, gm, fits, X, weights, W, options):
    """Refit a configuration that ended below (or failed where) a smaller fit of the same
    structure succeeded, from that fit with its widest component split (module docstring)."""
    k = row["n_components"]
    smaller = [(g._loglik, kk, g) for kk, g in fits.items() if kk < k]
    if not smaller or row["status"].startswith("skipped: GaussianMixture: n_components must be at most"):
        return gm
    ll0, k0, g0 = max(smaller, key=lambda t: t[0])
    if gm is not None and gm._loglik >= ll0:
        return gm
    first, was = dict(row), "failed" if gm is None else f"ended at loglik {gm._loglik:.4f}"
    start = split_widest(g0, k - k0, g0._data_var)
    refit = _fit(row, X, weights, W, {**options, "n_init": 1, **start})
    if refit is None or (gm is not None and refit._loglik < gm._loglik):
        row.clear()
        row.update(first)
        refit = gm
    else:
        row["status"] += f"; refitted from the K={k0} fit with its widest component split (the first start {was})"
    if refit is not None and refit._loglik < ll0:
        row["status"] += f"; below the K={k0} fit (loglik {ll0:.4f}), a local optimum"
    return refit


def _refine(table, fits, X, weights, W, options, margin, refine_tol, max_iter):
    """Continue the configurations within ``margin`` BIC of the best to ``refine_tol``."""
    bics = [r["bic"] for r in table if r["bic"] is not None]
    if not bics or refine_tol is None:
        return
    for r in table:
        key = (r["covariance_type"], r["n_components"])
        if r["bic"] is not None and r["bic"] <= min(bics) + margin and refine_tol < options["tol"]:
            status = r["status"]
            extra = dict(tol=refine_tol, max_iter=10 * max_iter, n_init=1, **warm_start(fits[key]))
            fits[key] = _fit(r, X, weights, W, {**options, **extra})
            if fits[key] is not None and ";" in status:
                r["status"] += status[status.index(";"):]


def _flag_below(table):
    """After refinement: flag a fit still below a smaller fit of the same structure."""
    for r in table:
        smaller = [q for q in table if q["covariance_type"] == r["covariance_type"]
                   and q["n_components"] < r["n_components"] and q["loglik"] is not None]
        if r["loglik"] is None or not smaller or "below the K=" in r["status"]:
            continue
        q = max(smaller, key=lambda q: q["loglik"])
        if r["loglik"] < q["loglik"]:
            r["status"] += f"; below the K={q['n_components']} fit (loglik {q['loglik']:.4f}), a local optimum"


def select_mixture(
    X,
    n_components=range(1, 10),
    covariance_types=None,
    *,
    weights=None,
    reg_covar: float = 1e-6,
    n_init: int = 1,
    max_iter: int = 100,
    tol: float = 1e-3,
    init_params: str = "hierarchical",
    refine_tol: float | None = 1e-7,
    refine_margin: float = 10.0,
    prior=None,
    seed=0,
    progress=None,
    **deprecated,
) -> MixtureSelection:
    """Fit a GaussianMixture for every (covariance_type, n_components) and keep the smallest BIC.

    X (n, d); ``covariance_types``: None (the default) for mclust's 14 models, or for one feature
    its E and V (as ``Mclust``'s default); ``("full", "tied", "diag", "spherical")``
    (``maxlik.families.mvnormal.COVARIANCE_TYPES``, the default before issue #15) for
    scikit-learn's four; ``weights`` (n,) observation weights; ``init_params`` "hierarchical" (mclust's
    deterministic start, the default), "kmeans++" or "random"; ``n_init`` EM starts per
    configuration (after a hierarchical first start, k-means++ ones; the best log-likelihood is
    kept); ``seed`` for the starts (and the hierarchical subsample above 2000 rows). ``tol`` is
    the sweep's tolerance; configurations within ``refine_margin`` BIC of the best are then
    continued to ``refine_tol`` (None: not). Nested fits that end below a smaller one are refitted
    (module docstring). Configurations with more components than samples or distinct rows are
    listed as skipped; so are fits that raise DegenerateFitError (collapsing components, spurious
    spikes). A fit that stops at max_iter is kept, with status "not converged". Raises DataError if
    every configuration fails. ``prior`` (full covariance only): "default" for mclust's
    ``priorControl()``, each fit then MAP, not MLE (GaussianMixture). ``progress``: called with
    ``"{covariance_type}, K={k}"`` after each
    configuration (the CLI's bar).

    Deprecated spellings (one release, with a DeprecationWarning): ``sample_weight`` → ``weights``,
    ``random_state`` → ``seed``.
    """
    new = renamed_arguments("select_mixture", deprecated,
                            {"sample_weight": "weights", "random_state": "seed"})
    weights, seed = new.get("weights", weights), new.get("seed", seed)
    ks = sorted(n_components)
    if not ks or not all(isinstance(k, (int, np.integer)) and k >= 1 for k in ks):
        raise ParameterError(f"select_mixture: n_components must be positive integers; got {list(n_components)!r}.")
    if covariance_types is None:  # mclust's default: its models for the data's dimension
        covariance_types = tuple(UNIVARIATE) if np.ndim(X) == 1 or np.shape(X)[1:] == (1,) else MODELS
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
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    distinct = len(np.unique(arr, axis=0))
    positive = distinct if weights is None else (  # exact, for every fit (GaussianMixture's check_distinct)
        len(np.unique(arr[w > 0], axis=0)) if w.shape == (n,) and np.all(np.isfinite(w)) else None)
    W = float(w.sum())
    tree = None
    if init_params == "hierarchical" and w.shape == (n,) and n >= 2:
        tree = _hierarchical.build(arr, w, 1, check_random_state(seed))
    options = dict(reg_covar=reg_covar, n_init=n_init, max_iter=max_iter, tol=tol, init_params=init_params,
                   random_state=seed, prior=prior, _distinct=positive)
    # the options every fit shares, checked once (n_components and covariance_types are checked above)
    check_hyperparameters(GaussianMixture(ks[0], covariance_type=types[0], **{k: v for k, v in options.items()
                                                                              if not k.startswith("_")}))
    options["_checked"] = True
    if not hasattr(X, "columns"):
        X = arr  # validated once for every fit (a DataFrame keeps its column names for them)
    table, fits = [], {}
    for ct in types:
        by_k = {}
        for k in ks:
            row = {"covariance_type": ct, "n_components": int(k), "loglik": None, "n_params": None,
                   "bic": None, "aic": None, "converged": None, "n_iter": None, "status": "ok"}
            table.append(row)
            p = n_params(canonical(ct), arr.shape[1], k)
            if k > n:
                row["status"] = f"skipped: n_components > n_samples ({n})"
            elif ct not in COVARIANCE_TYPES and distinct < p:  # scikit-learn's names: the fit says why (as before)
                row["status"] = (f"skipped: the data have {distinct} distinct rows, fewer than the {p} parameters of "
                                 f"{ct} with {k} components (not identifiable); use fewer components or a simpler model")
            else:
                gm = _nested(row, _fit(row, X, weights, W, options, tree), by_k, X, weights, W, options)
                if gm is not None:
                    by_k[int(k)] = fits[(ct, int(k))] = gm
            if progress is not None:
                progress(f"{ct}, K={k}")
    _refine(table, fits, X, weights, W, options, refine_margin, refine_tol, max_iter)
    _flag_below(table)
    done = [r for r in table if r["bic"] is not None]
    if not done:
        raise DataError(
            "select_mixture: at least one configuration must fit; got a failure for every one (see the "
            "reasons below). Pass reg_covar (e.g. 1e-6) or fewer components.\n"
            + "\n".join(f"{r['covariance_type']}, K={r['n_components']}: {r['status']}" for r in table)
        )
    best = min(done, key=lambda r: r["bic"])
    config = (best["covariance_type"], best["n_components"])
    return MixtureSelection(table, fits[config], config)


__all__ = ["MixtureSelection", "select_mixture"]
