"""LogisticRegression (unpenalised MLE, standard errors included) vs scikit-learn and statsmodels.

N = 10⁶ rows (``MAXLIK_BENCH_N`` overrides), D = 50 Gaussian features, logits of moderate size
(the MLE exists). Every tool fits the same unpenalised model: scikit-learn
``LogisticRegression(penalty=None)`` with ``solver="lbfgs"`` and ``"newton-cholesky"`` (no
standard errors: it does not compute them), statsmodels ``Logit(...).fit()`` plus ``.bse``, and
maxlik ``LogisticRegression().fit(...)`` plus ``result_.stderr``. The title reports the largest
relative difference of maxlik's coefficients and standard errors from statsmodels'.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression as SkLogistic

from maxlik.models import LogisticRegression

from .harness import compare

N = int(os.environ.get("MAXLIK_BENCH_N", 1_000_000))
D = 50
NOTES = """scikit-learn's rows fit the coefficients only (it has no standard errors); statsmodels and
maxlik also compute the inverse-Hessian standard errors. scikit-learn's lbfgs stops at its
default tol=1e-4, so its coefficients are less precise than the Newton fits."""


def _data(n=N, d=D, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    beta = rng.normal(0.0, 0.3, d)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(X @ beta - 0.5)))).astype(np.float64)
    return X, y


def main() -> list[dict]:
    X, y = _data()
    Xc = sm.add_constant(X)

    def ours():
        r = LogisticRegression().fit(X, y).result_
        return r.coef, np.array(list(r.stderr.values()))

    def statsmodels_logit():
        r = sm.Logit(y, Xc).fit(disp=0)
        return r.params, r.bse

    def sklearn(solver):
        def run():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # lbfgs may stop at max_iter=100 (its default)
                return SkLogistic(penalty=None, solver=solver).fit(X, y)
        return run

    (b, se), (b_sm, se_sm) = ours(), statsmodels_logit()
    db = float(np.max(np.abs(b - b_sm) / np.abs(b_sm)))
    dse = float(np.max(np.abs(se - se_sm) / se_sm))
    return compare(
        f"LogisticRegression unpenalised + standard errors, N={N:,}, D={D} "
        f"(vs statsmodels: coef max rel diff {db:.1e}, stderr {dse:.1e})",
        ours,
        {
            "sklearn lbfgs": sklearn("lbfgs"),
            "sklearn newton-cholesky": sklearn("newton-cholesky"),
            "statsmodels Logit + bse": statsmodels_logit,
        },
        repeat=int(os.environ.get("MAXLIK_BENCH_REPEAT", 3)),
    )


if __name__ == "__main__":
    main()
