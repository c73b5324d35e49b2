"""Everyday closed-form fits (issue #11): ``maxlik.fit(x, "normal").stderr`` on small and large
data, and a fresh process that imports maxlik, fits, and prints the summary.

Target: after the first call, ``fit(x, "normal").stderr`` in ≤ 1 ms for up to 10⁴ points (the
standard errors come from ``exact_covariance``, in NumPy; no JAX Hessian), and no JAX import on
the closed-form path at all.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import scipy.stats

import maxlik

from .harness import compare

NOTES = """`fit+stderr` is a new fit and its standard errors per call (`maxlik.fit(x, "normal").stderr`);
`scipy.stats.norm.fit` gives the estimates only. The fresh-process row runs
`python -c "import maxlik; r = maxlik.fit(x, 'normal'); r.stderr; r.summary()"` (x of 10⁴ points made
in the process with NumPy): interpreter start, imports and the fit, with no JAX and no SciPy loaded."""

FRESH = ("import numpy as np; x = np.random.default_rng(0).normal(3, 2, 10000); import maxlik; "
         "r = maxlik.fit(x, 'normal'); r.stderr; r.summary()")


def main() -> list[dict]:
    rows = []
    rng = np.random.default_rng(0)
    for n in (10**3, 10**4, 10**6):
        x = rng.normal(3.0, 2.0, n)
        rows += compare(
            f"Normal fit and standard errors, {n:.0e} points",
            lambda: maxlik.fit(x, "normal").stderr,
            {"numpy mean+std": lambda: (x.mean(), x.std()), "scipy.stats.norm.fit": lambda: scipy.stats.norm.fit(x)},
            repeat=7 if n >= 10**6 else 201,
            warmup=3,
        )
    rows += compare(
        "Fresh process: import maxlik, fit a Normal to 1e4 points, stderr, summary",
        lambda: subprocess.run([sys.executable, "-c", FRESH], check=True),
        {"python -c 'import numpy'": lambda: subprocess.run([sys.executable, "-c", "import numpy"], check=True)},
        repeat=5,
        warmup=1,
    )
    return rows
