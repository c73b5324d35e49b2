"""BootstrapResult: the replicates of a bootstrap and what they say about the estimates.

For a parameter θ with estimate θ̂ and converged replicates θ*₁ … θ*_B, level 1 − α:

    percentile   (q(α/2), q(1 − α/2))                  q: the replicates' quantiles (linear
                                                         interpolation, R's type 7, as bootdist)
    basic        (2θ̂ − q(1 − α/2), 2θ̂ − q(α/2))
    bca          (q(α₁), q(α₂)),  αⱼ = Φ(z₀ + (z₀ + zⱼ) / (1 − a (z₀ + zⱼ))), z₁,₂ = Φ⁻¹(α/2), Φ⁻¹(1 − α/2),
                 z₀ = Φ⁻¹(#{θ* < θ̂} / B), a = Σ (θ̄₍.₎ − θ₍ᵢ₎)³ / (6 [Σ (θ̄₍.₎ − θ₍ᵢ₎)²]^{3/2})
                 from the n leave-one-out estimates θ₍ᵢ₎ (Efron 1987; nonparametric only)

The standard error is the replicates' standard deviation (ddof = 1). Replicates whose refit did not
converge are NaN in ``replicates``, counted in ``n_failed`` and left out of every interval.
"""

from __future__ import annotations

import numpy as np

from .errors import FitFailedError, ParameterError
from .results import plain

METHODS = ("percentile", "basic", "bca")


class BootstrapResult:
    """What ``result.bootstrap(...)`` returns.

    estimate : dict name -> θ̂ (the free parameters of the original fit)
    replicates : dict name -> array (B,) (or (B, ...) for a vector parameter), NaN where the refit failed
    converged : bool array (B,);  n_boot = B;  n_failed = B − Σ converged
    kind : "nonparametric" | "parametric"

    BCa's acceleration comes from ``jackknife()`` (name -> (n,) leave-one-out estimates, refits of
    the data) on first use; a stored result (pickled, or :func:`maxlik.save`) carries the
    acceleration itself, or in ``bca_unavailable`` the reason it could not be computed.
    """

    def __init__(self, estimate: dict, replicates: dict, converged: np.ndarray, kind: str, jackknife=None,
                 acceleration: dict | None = None, bca_unavailable: str | None = None):
        self.estimate, self.replicates, self.converged, self.kind = estimate, replicates, converged, kind
        self.n_boot, self.n_failed = int(converged.shape[0]), int((~converged).sum())
        self._jackknife, self._acceleration, self._bca_unavailable = jackknife, acceleration, bca_unavailable

    def _ok(self, k: str) -> np.ndarray:
        return np.asarray(self.replicates[k], dtype=float)[self.converged]

    @property
    def stderr(self) -> dict:
        """name -> the bootstrap standard error (standard deviation of the converged replicates)."""
        return {k: np.std(self._ok(k), axis=0, ddof=1) if self._ok(k).shape[0] > 1 else np.nan for k in self.replicates}

    def conf_int(self, level: float = 0.95, method: str = "percentile") -> dict:
        """name -> (low, high) at ``level`` by ``method`` ("percentile", "basic" or "bca")."""
        if method not in METHODS:
            raise ParameterError(f"BootstrapResult.conf_int: method must be one of {', '.join(METHODS)}; got {method!r}.")
        if not (isinstance(level, (int, float)) and 0 < level < 1):
            raise ParameterError(f"BootstrapResult.conf_int: level must be a number in (0, 1); got {level!r}. E.g. 0.95.")
        if not self.converged.any():
            raise FitFailedError(f"BootstrapResult.conf_int: none of the {self.n_boot} replicates converged, so there "
                                 "is no bootstrap distribution to take intervals from. Check the original fit's status "
                                 "and message, and refit with other options (method=, init=).")
        alpha = 1 - level
        out = {}
        for k in self.replicates:
            rep, est = self._ok(k), np.asarray(self.estimate[k], dtype=float)
            if method == "bca":
                lo_q, hi_q = self._bca_levels(k, rep, est, alpha)
            else:
                lo_q, hi_q = alpha / 2, 1 - alpha / 2
            lo, hi = _quantile(rep, lo_q), _quantile(rep, hi_q)
            out[k] = (2 * est - hi, 2 * est - lo) if method == "basic" else (lo, hi)
            out[k] = tuple(float(v) if np.ndim(v) == 0 else v for v in out[k])
        return out

    def _bca_levels(self, k: str, rep: np.ndarray, est: np.ndarray, alpha: float):
        from scipy.special import ndtr, ndtri

        if self._acceleration is None and self._jackknife is None and self._bca_unavailable is None:
            raise ParameterError("BootstrapResult.conf_int: method='bca' needs a nonparametric bootstrap (its "
                                 "acceleration comes from leave-one-out refits of the data); got a "
                                 f"{self.kind} one. Use method='percentile' or 'basic', or kind='nonparametric'.")
        a = self.acceleration()[k]
        z0 = ndtri(np.mean(rep < est, axis=0))
        z = ndtri(np.array([alpha / 2, 1 - alpha / 2]))
        lo, hi = (ndtr(z0 + (z0 + zj) / (1 - a * (z0 + zj))) for zj in z)
        return lo, hi

    def acceleration(self) -> dict | None:
        """name -> BCa's acceleration a (computed once, from the leave-one-out refits); None for a
        parametric bootstrap. A ParameterError says why it cannot be had (n too large)."""
        if self._acceleration is None and self._bca_unavailable is not None:
            raise ParameterError(self._bca_unavailable)
        if self._acceleration is None and self._jackknife is not None:
            acceleration = {}  # (set only when complete: a jackknife that raises leaves nothing behind)
            for name, theta in self._jackknife().items():
                d = np.nanmean(theta, axis=0) - theta
                acceleration[name] = np.nansum(d ** 3, axis=0) / (6 * np.nansum(d ** 2, axis=0) ** 1.5)
            self._acceleration = acceleration
        return self._acceleration

    def stored_acceleration(self) -> tuple[dict | None, str | None]:
        """(acceleration, None), or (None, the reason it cannot be computed): what a stored copy
        keeps in place of the leave-one-out refits, so that its BCa intervals (or their error) are
        this result's. Computes the acceleration if it has not been (n refits)."""
        try:
            return self.acceleration(), None
        except ParameterError as exc:
            return None, str(exc)

    def __reduce__(self):
        """pickle / joblib: the replicates and the acceleration (the jackknife closes over the data)."""
        acc, why = self.stored_acceleration()
        return BootstrapResult, (self.estimate, self.replicates, self.converged, self.kind, None, acc, why)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "n_boot": self.n_boot, "n_failed": self.n_failed,
                "estimate": {k: plain(v) for k, v in self.estimate.items()},
                "stderr": {k: plain(v) for k, v in self.stderr.items()},
                "conf_int": {k: [plain(v) for v in ci] for k, ci in self.conf_int().items()}}

    def summary(self, level: float = 0.95) -> str:
        """Estimate, bootstrap standard error, median and percentile interval per parameter."""
        lines = [f"Bootstrap ({self.kind}): {self.n_boot} replicates"
                 + (f", {self.n_failed} failed to converge and are left out" if self.n_failed else ", all converged"),
                 f"{'parameter':<16}{'estimate':>12}{'boot SE':>12}{'median':>12}{f'{level:.0%} percentile interval':>28}"]
        if not self.converged.any():
            return "\n".join(lines[:1])
        ci, se = self.conf_int(level), self.stderr
        for k in self.replicates:
            if np.ndim(self.estimate[k]) != 0:
                lines.append(f"{k:<15} (vector: see .replicates[{k!r}])")
                continue
            med = float(np.median(self._ok(k)))
            lines.append(f"{k:<16}{float(self.estimate[k]):>12.5g}{float(se[k]):>12.4g}{med:>12.5g}"
                         f"{f'({ci[k][0]:.5g}, {ci[k][1]:.5g})':>28}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"BootstrapResult(kind={self.kind!r}, n_boot={self.n_boot}, n_failed={self.n_failed}, params={list(self.replicates)})"

    def plot(self, path=None, bins: int | str = "auto"):
        """A histogram of each parameter's replicates (the estimate marked), with a scatter of every
        pair below the diagonal when there are several (matplotlib Figure, written to ``path``)."""
        from matplotlib.figure import Figure

        names = [k for k in self.replicates if np.ndim(self.estimate[k]) == 0]
        m = len(names)
        fig = Figure(figsize=(2.8 * m + 0.6, 2.8 * m))
        axes = fig.subplots(m, m, squeeze=False)
        for i, ki in enumerate(names):
            for j, kj in enumerate(names):
                ax = axes[i][j]
                if i == j:
                    ax.hist(self._ok(ki), bins=bins, color="0.7", edgecolor="0.4")
                    ax.axvline(float(self.estimate[ki]), color="C3")
                elif i > j:
                    ax.scatter(self._ok(kj), self._ok(ki), s=4, alpha=0.4)
                else:
                    ax.set_axis_off()
                if i == m - 1:
                    ax.set_xlabel(kj)
                if j == 0 and i > 0:
                    ax.set_ylabel(ki)
        fig.suptitle(f"{self.kind} bootstrap, {self.n_boot - self.n_failed} of {self.n_boot} replicates")
        fig.tight_layout()
        if path is not None:
            fig.savefig(path, dpi=110, bbox_inches="tight")
        return fig


def _quantile(rep: np.ndarray, q):
    """Quantiles of the replicates along axis 0; q a scalar, or an array per element for BCa."""
    q = np.asarray(q, dtype=float)
    if q.ndim == 0:
        return np.quantile(rep, float(q), axis=0)
    return np.array([np.quantile(rep[:, i], q.ravel()[i]) for i in range(q.size)]).reshape(q.shape)
