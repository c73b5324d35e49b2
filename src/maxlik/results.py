"""FitResult: what a fit returns — estimates, log-likelihood, convergence, and uncertainty.

Uncertainty is lazy: ``cov``, ``stderr`` and ``conf_int`` compute the observed-information
covariance on first use (one Hessian; from sufficient statistics when the family has them).
"""

from __future__ import annotations

import html
import json
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .errors import InferenceWarning, ParameterError
from .criteria import aic, bic, wald_z


def _plain(v):
    """NumPy scalars/arrays -> floats/lists for JSON."""
    a = np.asarray(v, dtype=float)
    return float(a) if a.ndim == 0 else a.tolist()


def _value(v):
    a = np.asarray(v, dtype=float)
    return float(a) if a.ndim == 0 else a


@dataclass
class FitResult:
    """The outcome of :func:`maxlik.fit`.

    Attributes
    ----------
    family : Family           the fitted family (a configured instance)
    params : dict             name -> estimate (float, or array for vector/matrix parameters)
    fixed : tuple[str]        names of parameters held fixed (not estimated)
    loglik : float            ℓ(θ̂) = Σ wₙ log p(xₙ | θ̂)
    n : int                   number of observations (rows)
    weight : float            Σ wₙ (= n when unweighted); used as the sample size of BIC
    method : str              "closed_form", or the optimizer used
    converged : bool          True when the estimate is a verified maximum
    n_iter : int              iterations taken (0 for closed forms)
    message : str             human-readable status; explains any failure or caveat
    trace : dict | None       per-iteration diagnostics of iterative fits (e.g. {"nll": [...]})
    """

    family: Any
    params: dict
    fixed: tuple[str, ...]
    loglik: float
    n: int
    weight: float
    method: str
    converged: bool = True
    n_iter: int = 0
    message: str = "closed-form maximum likelihood estimate"
    trace: dict | None = None
    _cov_fn: Callable | None = field(default=None, repr=False, compare=False)
    _cov: tuple | None = field(default=None, repr=False, compare=False)
    # profile log-likelihood: {name: value, ...} -> max of ℓ over the other free parameters
    _profile: Callable | None = field(default=None, repr=False, compare=False)

    # -- counts and criteria ---------------------------------------------------------------
    @property
    def free(self) -> tuple[str, ...]:
        return tuple(k for k in self.family.param_names if k in self.params and k not in self.fixed)

    @property
    def n_params(self) -> int:
        """Number of free scalar parameters (the k of AIC and BIC)."""
        return int(self.family.n_free_params(self.params, self.fixed))

    @property
    def aic(self) -> float:
        """AIC = 2k − 2ℓ."""
        return aic(self.loglik, self.n_params)

    @property
    def bic(self) -> float:
        """BIC = k log(Σw) − 2ℓ."""
        return bic(self.loglik, self.n_params, self.weight)

    # -- uncertainty ---------------------------------------------------------------------------
    def _covariance(self) -> tuple[np.ndarray | None, list[str], str | None]:
        if self._cov is None:
            if self._cov_fn is None:
                self._cov = (None, [], "no covariance is available for this result")
            else:
                self._cov = self._cov_fn()
        return self._cov

    @property
    def cov(self) -> np.ndarray | None:
        """Covariance of the free parameters (flattened; labels in ``cov_labels``), from the
        observed Fisher information. None, with an InferenceWarning, where it is undefined."""
        cov, _, why = self._covariance()
        if cov is None:
            warnings.warn(f"{self.family.display_name}: standard errors unavailable: {why}.", InferenceWarning, stacklevel=2)
        return cov

    @property
    def cov_labels(self) -> list[str]:
        return self._covariance()[1]

    @property
    def stderr(self) -> dict:
        """name -> standard error (same shape as the parameter); NaN where undefined.
        Fixed parameters are not estimated and are left out."""
        cov, labels, why = self._covariance()
        if cov is None:
            warnings.warn(f"{self.family.display_name}: standard errors unavailable: {why}.", InferenceWarning, stacklevel=2)
            return {k: _value(np.full(np.shape(self.params[k]), np.nan)) for k in self.free}
        se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
        out, i = {}, 0
        for k in sorted(self.free):
            size = int(np.size(self.params[k]))
            out[k] = _value(se[i : i + size].reshape(np.shape(self.params[k])))
            i += size
        return {k: out[k] for k in self.free}

    def conf_int(self, level: float = 0.95, method: str = "wald") -> dict:
        """Wald intervals θ̂ ± z₍₁₊ₗₑᵥₑₗ₎/₂ · se: name -> (low, high).

        ``method="profile"``: profile-likelihood intervals {θ : 2(ℓ̂ − ℓₚ(θ)) ≤ χ²₁(level)},
        found by root-finding on the profile (see :mod:`maxlik.profile`)."""
        z = wald_z(level)
        if method == "profile":
            from .profile import profile_conf_int

            return profile_conf_int(self, level)
        if method != "wald":
            raise ParameterError(f"conf_int: method must be 'wald' or 'profile'; got {method!r}.")
        se = self.stderr
        return {k: (_value(np.asarray(self.params[k]) - z * se[k]), _value(np.asarray(self.params[k]) + z * se[k])) for k in self.free}

    # -- the fitted distribution --------------------------------------------------------------
    def log_prob(self, x) -> np.ndarray:
        """log p(x | θ̂) per observation."""
        x = self.family.validate_data(x)
        return np.asarray(self.family.log_prob(self.params, x))

    def sample(self, n: int, seed=None) -> np.ndarray:
        """n draws from the fitted distribution (``seed``: int or numpy Generator)."""
        return self.family.sample(self.params, int(n), seed)

    # -- presentation -----------------------------------------------------------------------
    def _rows(self, level=0.95):
        cov, _, _ = self._covariance()
        se = self.stderr if cov is not None else {k: np.full(np.shape(self.params[k]), np.nan) for k in self.free}
        ci = self.conf_int(level) if cov is not None else {k: (se[k], se[k]) for k in self.free}
        rows = []
        for name in self.family.param_names:
            if name not in self.params:
                continue
            est = np.asarray(self.params[name], dtype=float)
            for idx in np.ndindex(est.shape):
                label = name if est.ndim == 0 else f"{name}[{','.join(map(str, idx))}]"
                if name in self.fixed:
                    rows.append((label, est[idx], None, None, None))
                else:
                    rows.append((label, est[idx], np.asarray(se[name])[idx], np.asarray(ci[name][0])[idx], np.asarray(ci[name][1])[idx]))
        return rows

    def _header(self) -> list[tuple[str, str]]:
        return [
            ("family", repr(self.family)),
            ("observations", f"{self.n}" + (f" (total weight {self.weight:g})" if self.weight != self.n else "")),
            ("method", self.method),
            ("converged", f"{self.converged} ({self.message})"),
            ("log-likelihood", f"{self.loglik:.6g}"),
            ("AIC / BIC", f"{self.aic:.6g} / {self.bic:.6g}"),
        ]

    def summary(self, level: float = 0.95) -> str:
        """A plain-text table of the fit."""
        lines = [f"{k:>15}: {v}" for k, v in self._header()]
        pct = f"{100 * level:g}%"
        head = f"{'parameter':<22}{'estimate':>14}{'std err':>12}{pct + ' low':>14}{pct + ' high':>14}"
        lines += ["", head, "-" * len(head)]
        for label, est, se, lo, hi in self._rows(level):
            if se is None:
                lines.append(f"{label:<22}{est:>14.6g}{'(fixed)':>12}")
            else:
                lines.append(f"{label:<22}{est:>14.6g}{se:>12.4g}{lo:>14.6g}{hi:>14.6g}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        head = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in self._header())
        body = "".join(
            f"<tr><td>{html.escape(lbl)}</td><td>{est:.6g}</td>"
            + ("<td colspan=3>(fixed)</td>" if se is None else f"<td>{se:.4g}</td><td>{lo:.6g}</td><td>{hi:.6g}</td>")
            + "</tr>"
            for lbl, est, se, lo, hi in self._rows()
        )
        return (
            f"<table>{head}</table><table><tr><th>parameter</th><th>estimate</th><th>std err</th>"
            f"<th>95% low</th><th>95% high</th></tr>{body}</table>"
        )

    # -- serialisation -----------------------------------------------------------------------
    def to_dict(self) -> dict:
        """Plain Python types only (JSON-ready). ``from_dict`` rebuilds an equal result."""
        cov, labels, why = self._covariance()
        return {
            "family": self.family.name,
            "family_options": self.family.options,
            "params": {k: _plain(v) for k, v in self.params.items()},
            "fixed": list(self.fixed),
            "loglik": float(self.loglik),
            "n": int(self.n),
            "weight": float(self.weight),
            "n_params": self.n_params,
            "aic": self.aic,
            "bic": self.bic,
            "method": self.method,
            "converged": bool(self.converged),
            "n_iter": int(self.n_iter),
            "message": self.message,
            "stderr": None if cov is None else {k: _plain(v) for k, v in self.stderr.items()},
            "cov": None if cov is None else cov.tolist(),
            "cov_labels": labels,
            "cov_unavailable_reason": why,
            "trace": None if self.trace is None else {k: [float(t) for t in v] for k, v in self.trace.items()},
        }

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, d: dict) -> "FitResult":
        """Rebuild from ``to_dict``. A fit_loglik result comes back with its numbers and parameter
        table but without the user's log_prob_fn (``log_prob`` then raises a ParameterError)."""
        from .families import get_family
        from .loglik import LoglikFamily

        if d["family"] == LoglikFamily.name:
            family = LoglikFamily.from_options(**d.get("family_options", {}))
        else:
            family = get_family(d["family"], owner="FitResult.from_dict", **d.get("family_options", {}))
        cov = None if d.get("cov") is None else np.asarray(d["cov"], dtype=float)
        return cls(
            family=family,
            params={k: _value(v) for k, v in d["params"].items()},
            fixed=tuple(d["fixed"]),
            loglik=float(d["loglik"]),
            n=int(d["n"]),
            weight=float(d["weight"]),
            method=d["method"],
            converged=bool(d["converged"]),
            n_iter=int(d["n_iter"]),
            message=d["message"],
            trace=d.get("trace"),
            _cov=(cov, list(d.get("cov_labels", [])), d.get("cov_unavailable_reason")),
        )

    @classmethod
    def from_json(cls, text: str) -> "FitResult":
        return cls.from_dict(json.loads(text))
