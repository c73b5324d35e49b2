"""GaussianMixture (EM) vs scikit-learn: D = 10, K = 10, full covariance, exactly 100 EM
iterations (tol = 0, max_iter = 100) from the same start (weights_init / means_init /
precisions_init from one k-means++ start, passed to both), N = 10⁵ (and 10⁶ with
MAXLIK_BENCH_MIXTURE_LARGE=1). maxlik runs once before the timing (JIT compilation); each tool
is then timed once (scikit-learn takes minutes on a shared 2-core machine). The final average
log-likelihoods (lower_bound_ and score(X)) are compared and reported below the tables.

Model selection as R's mclust does it: ``select_mixture`` × G = 1..9 over the 4 covariance models
(full, tied, diag, spherical = mclust's VVV, EEE, VVI, VII) on Old Faithful (272 × 2), and over all
14 mclust models on Old Faithful and on iris (150 × 4), against ``Mclust(X, G = 1:9, modelNames =
...)`` timed inside R (``system.time``, the median of 7, start-up excluded) when ``Rscript`` and
mclust are installed. maxlik runs twice: with its defaults (sweep tol 1e-3, the contenders refined
to 1e-7) and at mclust's tolerance (|Δℓ| < 1e-5 (1 + |ℓ|): ≈ 4e-5 per row on Old Faithful, 1.5e-5
on iris; max_iter 1000). The choices and log-likelihoods are printed below the tables.
MAXLIK_BENCH_MIXTURE_SELECT_ONLY=1 runs only the model selection.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning as SkConvergenceWarning
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from maxlik import ConvergenceWarning
from maxlik import datasets
from maxlik.models import GaussianMixture, select_mixture
from maxlik.models._covariance_models import MODELS

from .harness import compare, external_row

SIZES = ([] if os.environ.get("MAXLIK_BENCH_MIXTURE_SELECT_ONLY") else [100_000]) + (
    [1_000_000] if os.environ.get("MAXLIK_BENCH_MIXTURE_LARGE") else [])
D, K, ITER = 10, 10, 100
NOTES = ""


def _data(n, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 3, (K, D))
    y = rng.integers(0, K, n)
    A = rng.normal(size=(K, D, D)) / np.sqrt(D) + np.eye(D)
    return centres[y] + np.einsum("nd,nde->ne", rng.normal(size=(n, D)), A[y])


def _start(X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        g = GaussianMixture(K, max_iter=1, random_state=0).fit(X)
    return {"weights_init": g.weights_, "means_init": g.means_, "precisions_init": g.precisions_}


R_MCLUST = """
suppressMessages(library(mclust))
m4 <- c("EEE", "VVV", "VVI", "VII")
run <- function(X, models) {
  t <- system.time(m <- Mclust(X, G = 1:9, modelNames = models, verbose = FALSE))
  c(t[["elapsed"]], t[["user.self"]] + t[["sys.self"]])
}
m14 <- mclust.options("emModelNames")
iris4 <- iris[, 1:4]
invisible(run(faithful, m14))
t4 <- sapply(1:7, function(i) run(faithful, m4))
t14 <- sapply(1:7, function(i) run(faithful, m14))
ti <- sapply(1:7, function(i) run(iris4, m14))
pick <- function(X, models) {
  m <- Mclust(X, G = 1:9, modelNames = models, verbose = FALSE)
  cat(m$modelName, m$G, sprintf("%.6f", m$loglik), as.character(packageVersion("mclust")), "\\n")
}
for (t in list(t4, t14, ti)) cat(t[1, ], "\\n", t[2, ], "\\n")
pick(faithful, m4); pick(faithful, m14); pick(iris4, m14)
"""


def _mclust():
    """{"faithful 4", "faithful 14", "iris 14": (wall times, CPU times, [model, G, loglik, version])}
    of ``Mclust(X, G = 1:9)`` inside R (7 runs each), or None without Rscript / mclust."""
    if shutil.which("Rscript") is None:
        return None
    out = subprocess.run(["Rscript", "-e", R_MCLUST], capture_output=True, text=True)
    if out.returncode != 0:
        return None
    lines = out.stdout.strip().splitlines()
    times = [[float(v) for v in line.split()] for line in lines[:6]]
    keys = ("faithful 4", "faithful 14", "iris 14")
    return {k: (times[2 * i], times[2 * i + 1], lines[6 + i].split()) for i, k in enumerate(keys)}


def _select_rows() -> tuple[list[dict], list[str]]:
    faithful, iris = datasets.load("faithful").X, datasets.load("iris").X
    got = _mclust()
    out, notes = [], []
    runs = [("faithful 4", faithful, "Old Faithful 272 × 2", ["full", "tied", "diag", "spherical"], 4e-5, 5),
            ("faithful 14", faithful, "Old Faithful 272 × 2", list(MODELS), 4e-5, 7),
            ("iris 14", iris, "iris 150 × 4", list(MODELS), 1.5e-5, 7)]
    for key, X, what, kinds, mclust_tol, repeat in runs:
        picked = {}

        def ours():
            picked["default"] = select_mixture(X, n_components=range(1, 10), covariance_types=kinds)

        def at_mclust_tol():
            picked["mclust tol"] = select_mixture(X, n_components=range(1, 10), covariance_types=kinds, tol=mclust_tol,
                                                  max_iter=1000)

        models = f"{len(kinds)} models"
        rows = compare(f"select_mixture, {what}, {models} × G = 1..9 (BIC)", ours,
                       {f"maxlik select_mixture at mclust's tolerance (tol {mclust_tol:g}, max_iter 1000)": at_mclust_tol},
                       repeat=repeat, warmup=1)
        notes += [f"{what}, {models}: maxlik {k} chooses {s.best_config[0]}/{s.best_config[1]} at log-likelihood "
                  f"{s.best._loglik:.6f}" for k, s in picked.items()]
        if got is not None:
            wall, cpu, (model, g, loglik, version) = got[key]
            data = "faithful" if "faithful" in key else "iris[, 1:4]"
            spec = "4 models" if len(kinds) == 4 else "all 14 models, its default"
            row = external_row(rows, f"R mclust {version} Mclust({data}, G = 1:9, {spec}) (inside R)", wall)
            rows.append({**row, "cpu_median_s": float(np.median(cpu))})
            notes.append(f"{what}, {models}: R mclust {version} chooses {model}/{g} at log-likelihood {loglik}")
        out += rows
    if got is None:
        notes.append("Rscript or mclust not available: no R rows")
    else:
        notes.append("mclust stops at |Δℓ| < 1e-5 (1 + |ℓ|) and reports ℓ before its last M-step. R's CPU time is "
                     "user + system from system.time (the median of 7, start-up excluded); on a shared machine CPU "
                     "time is the fairer comparison.")
    return out, notes


def main() -> list[dict]:
    global NOTES
    rows, notes = _select_rows()
    print("\n".join(notes))
    for n in SIZES:
        X = _data(n)
        start = _start(X)
        fitted = {}

        def ours():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                fitted["ours"] = GaussianMixture(K, tol=0.0, max_iter=ITER, **start).fit(X)

        def sklearn():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SkConvergenceWarning)
                fitted["sklearn"] = SkGaussianMixture(K, tol=0.0, max_iter=ITER, **start).fit(X)

        ours()  # compile outside the timing
        rows += compare(f"GaussianMixture, N = {n:,}, D = {D}, K = {K}, full, {ITER} EM iterations", ours,
                        {"scikit-learn GaussianMixture": sklearn}, repeat=1, warmup=0)
        a, b = fitted["ours"], fitted["sklearn"]
        line = (f"N = {n:,}: both ran {a.n_iter_} / {b.n_iter_} iterations; final average log-likelihood "
                f"lower_bound_ maxlik {a.lower_bound_:.12f}, scikit-learn {b.lower_bound_:.12f} "
                f"(difference {abs(a.lower_bound_ - b.lower_bound_):.2e}); score(X) difference "
                f"{abs(a.score(X) - b.score(X)):.2e}; largest mean difference {np.abs(a.means_ - b.means_).max():.2e}.")
        print(line)
        notes.append(line)
    NOTES = "\n".join(notes)
    return rows


if __name__ == "__main__":
    main()
