"""Censored data (issue #14): a right-censored Weibull fit of 10⁵ survival times, maxlik against
``scipy.stats.weibull_min.fit(CensoredData, floc=0)`` in this process and against R's
``fitdistrplus::fitdistcens(d, "weibull")`` timed inside R (``system.time``, start-up excluded)
when ``Rscript`` and fitdistrplus are installed (the row is left out, with a note, otherwise).

The data: Weibull(shape 1.5, scale 10) event times, right-censored by independent uniform
follow-up times on (0, 25) (about a third censored). maxlik's fit includes its standard errors;
scipy's and R's estimates are compared with maxlik's and each log-likelihood is evaluated by scipy.
Weibull runs on the NumPy Newton kernel (its log f and log S derivatives are written out); a
second table fits a log-normal to the same times, which runs the JAX kernel over per-kind
segments of rows (:mod:`maxlik.censored_family`), against ``scipy.stats.lognorm.fit(CensoredData, floc=0)``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from scipy import stats

import maxlik

from .harness import compare, external_row

TITLE = "Censored data"
NOTES = ""

R_SCRIPT = """
suppressMessages(library(fitdistrplus))
d <- read.csv("{path}")
d$right[d$observed == 0] <- NA
d <- data.frame(left = d$left, right = d$right)
times <- c()
for (i in 1:5) {{ t <- system.time(f <- fitdistcens(d, "weibull"))[["elapsed"]]; times <- c(times, t) }}
cat(median(times), f$estimate[["shape"]], f$estimate[["scale"]], f$loglik, "\\n")
"""


def _loglik(t, observed, shape, scale):
    d = stats.weibull_min(shape, scale=scale)
    return float(np.sum(np.where(observed, d.logpdf(t), d.logsf(t))))


def _r_fit(t, observed):
    if shutil.which("Rscript") is None:
        return None, "Rscript not found: no R row"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d.csv"
        lines = ["left,right,observed"] + [f"{v!r},{v!r},{int(o)}" for v, o in zip(t.tolist(), observed.tolist())]
        path.write_text("\n".join(lines) + "\n")
        out = subprocess.run(["Rscript", "-e", R_SCRIPT.format(path=path)], capture_output=True, text=True)
    if out.returncode != 0:
        return None, f"R failed ({out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out.returncode}): no R row"
    seconds, shape, scale, loglik = map(float, out.stdout.split())
    return (seconds, shape, scale, loglik), None


def main() -> list[dict]:
    global NOTES
    rng = np.random.default_rng(14)
    n = 100_000
    events = 10.0 * rng.weibull(1.5, n)
    follow_up = rng.uniform(0.0, 25.0, n)
    observed = events <= follow_up
    t = np.minimum(events, follow_up)
    data = maxlik.Censored.from_events(t, observed)
    scipy_data = stats.CensoredData(uncensored=t[observed], right=t[~observed])

    def ours():
        r = maxlik.fit(data, "weibull")
        return r, r.stderr

    def scipy_fit():
        return stats.weibull_min.fit(scipy_data, floc=0)

    rows = compare(f"Weibull, {n:,} right-censored survival times ({int((~observed).sum()):,} censored), estimates",
                   ours, {"scipy.stats.weibull_min.fit(CensoredData, floc=0) (no SEs)": scipy_fit}, repeat=7, warmup=1)
    def ours_lognormal():
        r = maxlik.fit(data, "lognormal")
        return r, r.stderr

    def scipy_lognormal():
        return stats.lognorm.fit(scipy_data, floc=0)

    rows += compare(f"LogNormal, the same {n:,} times (the JAX kernel over per-kind segments of rows), estimates",
                    ours_lognormal, {"scipy.stats.lognorm.fit(CensoredData, floc=0) (no SEs)": scipy_lognormal},
                    repeat=7, warmup=1)
    rl, _ = ours_lognormal()
    sl, _, scl = scipy_lognormal()
    r, _ = ours()
    c, _, s = scipy_fit()
    notes = [f"maxlik: shape {r.params['concentration']:.6f}, scale {r.params['scale']:.6f} (standard errors "
             f"{r.stderr['concentration']:.2g}, {r.stderr['scale']:.2g}), log-likelihood by scipy "
             f"{_loglik(t, observed, r.params['concentration'], r.params['scale']):.6f}; scipy: shape {c:.6f}, scale {s:.6f}, "
             f"log-likelihood {_loglik(t, observed, c, s):.6f}."]
    d_ours, d_scipy = stats.lognorm(rl.params["scale"], scale=np.exp(rl.params["loc"])), stats.lognorm(sl, scale=scl)
    ll = [float(np.sum(np.where(observed, d.logpdf(t), d.logsf(t)))) for d in (d_ours, d_scipy)]
    notes.append(f"LogNormal: maxlik meanlog {rl.params['loc']:.6f}, sdlog {rl.params['scale']:.6f}, log-likelihood by "
                 f"scipy {ll[0]:.6f}; scipy meanlog {np.log(scl):.6f}, sdlog {sl:.6f}, log-likelihood {ll[1]:.6f}.")
    got, why = _r_fit(t, observed)
    if got is None:
        notes.append(why)
    else:
        seconds, shape, scale, loglik = got
        rows.insert(2, external_row(rows, "R fitdistrplus::fitdistcens(d, \"weibull\") (inside R, no start-up)", [seconds]))
        notes.append(f"R fitdistcens (median of 5 inside one Rscript, `system.time`): {seconds:.3f} s; shape {shape:.6f}, "
                     f"scale {scale:.6f}, log-likelihood {loglik:.6f} (R's own; by scipy "
                     f"{_loglik(t, observed, shape, scale):.6f}).")
    NOTES = "\n".join(f"- {x}" for x in notes)
    print(NOTES)
    return rows
