"""Before/after timing of two maxlik trees (a refactor must not slow the large-data paths).

    PYTHONPATH=<tree>/src python benchmarks/ab_trees.py <case> [repeats]

prints the median wall time of <case> for the maxlik found on the path. Run it alternately for
the old and the new tree (e.g. a `git worktree` of the old commit) and compare medians from the
same session; `make bench` compares maxlik with the established tools instead. Cases:
mixture (GaussianMixture 10⁵ × 10, K = 10, 100 EM iterations), clf_full / clf_diag
(GaussianClassifier fit + predict_proba, 10⁶ × 20, K = 10), mvn (MultivariateNormal fit,
10⁶ × 100), logistic (LogisticRegression 10⁶ × 50 with standard errors), gamma (10⁶ points with
standard errors), normal (10⁸ points), first (a fresh process: import, then a first Weibull and a
first Beta fit, compilation included).
"""
import statistics
import sys
import time
import warnings

import numpy as np

case = sys.argv[1]
rep = int(sys.argv[2]) if len(sys.argv) > 2 else 5
rng = np.random.default_rng(0)
if case != "first":
    import maxlik
    from maxlik.models import GaussianClassifier, GaussianMixture, LogisticRegression


def timeit(fn, rep):
    fn()
    ts = []
    for _ in range(rep):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return statistics.median(ts)


if case == "mixture":
    n, D, K = 100_000, 10, 10
    centres = rng.normal(0, 3, (K, D)); y = rng.integers(0, K, n)
    A = rng.normal(size=(K, D, D)) / np.sqrt(D) + np.eye(D)
    X = centres[y] + np.einsum("nd,nde->ne", rng.normal(size=(n, D)), A[y])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = GaussianMixture(K, max_iter=1, random_state=0).fit(X)
    st = {"weights_init": g.weights_, "means_init": g.means_, "precisions_init": g.precisions_}

    def f():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return GaussianMixture(K, tol=0.0, max_iter=100, **st).fit(X)
    t = timeit(f, min(rep, 3))
    print(case, f"{t:.4f}", f"lower_bound {f().lower_bound_:.12f}")
elif case in ("clf_full", "clf_diag"):
    n, D, K = 1_000_000, 20, 10
    y = rng.integers(0, K, n); X = rng.normal(size=(n, D)) + y[:, None] * 0.1
    ct = case.split("_")[1]
    t = timeit(lambda: GaussianClassifier(ct).fit(X, y).predict_proba(X), rep)
    print(case, f"{t:.4f}")
elif case == "mvn":
    X = rng.normal(size=(1_000_000, 100))
    t = timeit(lambda: maxlik.fit(X, "mvnormal"), rep)
    print(case, f"{t:.4f}")
elif case == "logistic":
    n, D = 1_000_000, 50
    X = rng.normal(size=(n, D)); b = rng.normal(size=D) * 0.1
    yy = (rng.random(n) < 1 / (1 + np.exp(-(X @ b)))).astype(float)
    t = timeit(lambda: LogisticRegression().fit(X, yy).result_.stderr, rep)
    print(case, f"{t:.4f}")
elif case == "gamma":
    x = rng.gamma(2.0, 1.5, 1_000_000)
    t = timeit(lambda: maxlik.fit(x, "gamma").stderr, 20)
    print(case, f"{t * 1e3:.3f} ms")
elif case == "normal":
    x = rng.normal(size=100_000_000)
    t = timeit(lambda: maxlik.fit(x, "normal"), rep)
    print(case, f"{t:.4f}")
elif case == "first":
    import subprocess
    code = ("import time; t0 = time.perf_counter(); import numpy as np, maxlik; t1 = time.perf_counter(); "
            "maxlik.fit(np.random.default_rng(0).weibull(1.5, 1000), 'weibull').stderr; t2 = time.perf_counter(); "
            "maxlik.fit(np.random.default_rng(1).beta(2, 3, 500), 'beta').stderr; t3 = time.perf_counter(); "
            "print(f'import {t1 - t0:.2f} s, first weibull {t2 - t1:.2f} s, first beta {t3 - t2:.2f} s')")
    print(case, subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip())
elif case == "weibull_small":
    x = rng.weibull(1.5, 1000)
    t = timeit(lambda: maxlik.fit(x, "weibull").stderr, 20)
    print(case, f"{t * 1e3:.3f} ms")
