"""GaussianMixture (EM) vs scikit-learn: D = 10, K = 10, full covariance, exactly 100 EM
iterations (tol = 0, max_iter = 100) from the same start (weights_init / means_init /
precisions_init from one k-means++ start, passed to both), N = 10⁵ (and 10⁶ with
MAXLIK_BENCH_MIXTURE_LARGE=1). maxlik runs once before the timing (JIT compilation); each tool
is then timed once (scikit-learn takes minutes on a shared 2-core machine). The final average
log-likelihoods (lower_bound_ and score(X)) are compared and reported below the tables.

Model selection as R's mclust does it: ``select_mixture`` over the 4 covariance models (full,
tied, diag, spherical = mclust's VVV, EEE, VVI, VII) × G = 1..9 on Old Faithful (272 × 2), against
``Mclust(faithful, G = 1:9, modelNames = c("EEE", "VVV", "VVI", "VII"))`` timed inside R
(``system.time``, the median of 7, start-up excluded) when ``Rscript`` and mclust are installed.
maxlik runs twice: with its defaults (sweep tol 1e-3, the contenders refined to 1e-7) and at
mclust's tolerance (|Δℓ| < 1e-5 (1 + |ℓ|), ≈ 4e-5 per row here, max_iter 1000). The choices and
log-likelihoods are printed below the table; the 14-model ``Mclust(faithful, G = 1:9)`` time too.
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

from .harness import compare, external_row

SIZES = [100_000] + ([1_000_000] if os.environ.get("MAXLIK_BENCH_MIXTURE_LARGE") else [])
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
run <- function(models) {
  t <- system.time(m <- Mclust(faithful, G = 1:9, modelNames = models, verbose = FALSE))
  c(t[["elapsed"]], t[["user.self"]] + t[["sys.self"]])
}
t4 <- sapply(1:7, function(i) run(m4))
t14 <- sapply(1:3, function(i) run(mclust.options("emModelNames")))
m <- Mclust(faithful, G = 1:9, modelNames = m4, verbose = FALSE)
cat(t4[1, ], "\\n", t4[2, ], "\\n", t14[1, ], "\\n", m$modelName, m$G, sprintf("%.6f", m$loglik),
    as.character(packageVersion("mclust")), "\\n")
"""


def _mclust():
    """(wall and CPU times of the 4-model Mclust, wall times of the 14-model one, [model, G, loglik,
    version]) or None."""
    if shutil.which("Rscript") is None:
        return None
    out = subprocess.run(["Rscript", "-e", R_MCLUST], capture_output=True, text=True)
    if out.returncode != 0:
        return None
    t4, cpu4, t14, chosen = out.stdout.strip().splitlines()
    return ([float(v) for v in t4.split()], [float(v) for v in cpu4.split()], [float(v) for v in t14.split()],
            chosen.split())


def _select_rows() -> tuple[list[dict], list[str]]:
    X = datasets.load("faithful").X
    kinds = ["full", "tied", "diag", "spherical"]
    picked = {}

    def ours():
        picked["default"] = select_mixture(X, n_components=range(1, 10), covariance_types=kinds)

    def at_mclust_tol():
        picked["mclust tol"] = select_mixture(X, n_components=range(1, 10), covariance_types=kinds, tol=4e-5, max_iter=1000)

    rows = compare("select_mixture, Old Faithful 272 × 2, 4 models × G = 1..9 (BIC)", ours,
                   {"maxlik select_mixture at mclust's tolerance (tol 4e-5, max_iter 1000)": at_mclust_tol},
                   repeat=5, warmup=1)
    notes = [f"maxlik {k}: chooses {s.best_config[0]}/{s.best_config[1]} at log-likelihood {s.best._loglik:.6f}"
             for k, s in picked.items()]
    got = _mclust()
    if got is None:
        notes.append("Rscript or mclust not available: no R row")
        return rows, notes
    t4, cpu4, t14, (model, g, loglik, version) = got
    row = external_row(rows, f"R mclust {version} Mclust(faithful, G = 1:9, 4 models) (inside R)", t4)
    rows.append({**row, "cpu_median_s": float(np.median(cpu4))})
    notes.append(f"R mclust {version}: chooses {model}/{g} at log-likelihood {loglik} (it stops at |Δℓ| < 1e-5 (1 + |ℓ|) "
                 f"and reports ℓ before its last M-step); all 14 models, G = 1..9: median {np.median(t14):.3f} s inside R. "
                 "R's CPU time is user + system from system.time; on a shared machine CPU time is the fairer comparison.")
    return rows, notes


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
