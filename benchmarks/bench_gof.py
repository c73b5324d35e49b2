"""Goodness of fit and the bootstrap (issue #13): a Gamma fit of 1,000 points.

* ``r.gof(n_boot=999)`` (KS, CvM, AD with p-values by parametric bootstrap, each sample refitted:
  999 fits in one batched call) against ``scipy.stats.goodness_of_fit(gamma, x, known_params=
  {"loc": 0}, statistic="ad", n_mc_samples=999)`` (one statistic; it refits each sample with
  ``gamma.fit``, in a Python loop);
* ``r.bootstrap(n_boot=999)`` (nonparametric, then the percentile interval) against
  ``scipy.stats.bootstrap`` of ``gamma.fit(s, floc=0)`` (method="percentile", 999 resamples);
* R fitdistrplus inside R (``system.time``, start-up excluded) when Rscript is installed:
  ``gofstat(f)`` (statistics only: fitdistrplus has no bootstrap p-values) and
  ``bootdist(f, bootmethod="nonparam", niter=999)``.

maxlik is timed over 5 repeats after a warm-up; scipy and R over 1 run (each takes seconds).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from scipy import stats

import maxlik

from .harness import compare

TITLE = "Goodness of fit and the bootstrap"
NOTES = ""
B = 999

R_SCRIPT = """
suppressMessages(library(fitdistrplus))
x <- scan("{path}", quiet = TRUE)
f <- fitdist(x, "gamma")
g <- system.time(s <- gofstat(f))
set.seed(1)
b <- system.time(bd <- bootdist(f, bootmethod = "nonparam", niter = {B}))
cpu <- function(t) t[["user.self"]] + t[["sys.self"]]
cat(g[["elapsed"]], cpu(g), b[["elapsed"]], cpu(b), s$ad, bd$CI[1, 2], bd$CI[1, 3], "\\n")
"""


def _r(x):
    if shutil.which("Rscript") is None:
        return None, "Rscript not found: no R rows"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.txt"
        path.write_text("\n".join(map(repr, x.tolist())) + "\n")
        out = subprocess.run(["Rscript", "-e", R_SCRIPT.format(path=path, B=B)], capture_output=True, text=True)
    if out.returncode != 0:
        return None, "R failed: no R rows"
    return tuple(map(float, out.stdout.split())), None


def _row(title, name, seconds, cpu, ours_s):
    return dict(title=title, name=name, median_s=seconds, min_s=seconds, max_s=seconds, spread_pct=0.0,
                cpu_median_s=cpu, repeat=1, ratio=seconds / ours_s, ours=False)


def main() -> list[dict]:
    global NOTES
    x = np.random.default_rng(13).gamma(2.5, 2.0, 1000)
    r = maxlik.fit(x, "gamma")
    notes = []

    title = f"gof(n_boot={B}): Gamma, 1,000 points, KS/CvM/AD with parametric-bootstrap p-values (refits batched)"
    rows = compare(title, lambda: r.gof(n_boot=B, seed=0), {}, repeat=5, warmup=1)
    ref = compare(title, lambda: stats.goodness_of_fit(stats.gamma, x, known_params={"loc": 0.0}, statistic="ad",
                                                       n_mc_samples=B, random_state=0), {}, repeat=1, warmup=0,
                  ours_label="scipy.stats.goodness_of_fit(gamma, AD only, loc known)")
    ours_gof = rows[0]["median_s"]
    rows += [dict(row, ratio=row["median_s"] / ours_gof, ours=False) for row in ref]
    g = r.gof(n_boot=B, seed=0)
    s = stats.goodness_of_fit(stats.gamma, x, known_params={"loc": 0.0}, statistic="ad", n_mc_samples=B, random_state=0)
    notes.append(f"gof: maxlik AD {g.statistics['ad']:.6f}, p {g.p_values['ad']:.3f} (KS p {g.p_values['ks']:.3f}, CvM p "
                 f"{g.p_values['cvm']:.3f}); scipy AD {s.statistic:.6f}, p {s.pvalue:.3f}.")

    title_b = f"bootstrap(n_boot={B}): Gamma, 1,000 points, nonparametric, percentile interval"

    def ours_boot():
        return r.bootstrap(n_boot=B, seed=0).conf_int()

    def scipy_boot():
        return stats.bootstrap((x,), lambda s: np.array(stats.gamma.fit(s, floc=0))[[0, 2]], vectorized=False,
                               n_resamples=B, method="percentile", random_state=0)

    rows_b = compare(title_b, ours_boot, {}, repeat=5, warmup=1)
    ref_b = compare(title_b, scipy_boot, {}, repeat=1, warmup=0, ours_label="scipy.stats.bootstrap(gamma.fit, percentile)")
    ours_b = rows_b[0]["median_s"]
    rows_b += [dict(row, ratio=row["median_s"] / ours_b, ours=False) for row in ref_b]
    ci = ours_boot()["concentration"]
    sci = scipy_boot().confidence_interval
    notes.append(f"bootstrap: maxlik shape 95% percentile interval ({ci[0]:.4f}, {ci[1]:.4f}); scipy "
                 f"({sci.low[0]:.4f}, {sci.high[0]:.4f}).")

    got, why = _r(x)
    if got is None:
        notes.append(why)
    else:
        g_r, g_cpu, b_r, b_cpu, ad_r, lo_r, hi_r = got
        rows.append(_row(title, "R fitdistrplus gofstat(f) (statistics only, no p-values; inside R)", g_r, g_cpu, ours_gof))
        rows_b.append(_row(title_b, f"R fitdistrplus bootdist(f, \"nonparam\", niter={B}) (inside R)", b_r, b_cpu, ours_b))
        notes.append(f"R: gofstat AD {ad_r:.6f} (at R's own estimate); bootdist shape interval ({lo_r:.4f}, {hi_r:.4f}).")
    import os

    notes.append(f"Wall times on a shared machine (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end "
                 "of the run): the CPU-time column is the steadier comparison.")
    NOTES = "\n".join(f"- {n}" for n in notes)
    print(NOTES)
    return rows + rows_b
