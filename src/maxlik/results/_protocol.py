"""Result: the one protocol that every fit's result in maxlik follows.

A subclass supplies the numbers of its fit —

    params : dict          name -> estimate (float, or ndarray for a vector/matrix parameter)
    loglik : float         ℓ(θ̂) = Σ wₙ log p(xₙ | θ̂)
    n, weight              rows, and their total weight Σ wₙ (= n unweighted; the n of BIC)
    n_params : int         free scalar parameters (the k of AIC and BIC)
    status, message        a :class:`maxlik.status.Status` and the fit's own text
    _covariance()          -> (cov | None, cov_labels, why-unavailable), cov over the free
                           parameters flattened (labels "loc", "cov[0,1]", …), or override
                           ``_stderr_values()`` where only marginal standard errors exist

— and inherits the rest: ``cov``/``cov_labels``, ``stderr``, ``conf_int(level, method)``,
``aic``/``bic`` (from :mod:`maxlik.criteria`), ``converged`` (= ``status.ok``), ``rows(level)``
(the public table: one :class:`Row` per scalar), ``header()``, ``summary(level)``,
``_repr_html_``, ``to_dict``/``from_dict``/``to_json``/``from_json``. Wald tests and intervals use
the declared ``reference`` distribution (z by default; Student t where σ² is estimated with the
residual degrees of freedom, see :mod:`maxlik.results.reference`).

A dataclass subclass that stores one of the inherited names (``converged``, ``cov``) must give
that field a default, so that the stored value shadows the inherited property.
"""

from __future__ import annotations

import html
import json
import math
import warnings
from typing import NamedTuple

import numpy as np

from ..criteria import aic as _aic
from ..criteria import bic as _bic
from ..errors import InferenceWarning, ParameterError
from .reference import Z, Reference
from .text import SUMMARY_WIDTH, split_label, wrap_text
from .wald import check_method, scale_name, wald_interval

_TYPES: dict[str, type] = {}


def plain(v):
    """NumPy scalars/arrays -> floats/lists, for JSON."""
    a = np.asarray(v, dtype=float)
    return float(a) if a.ndim == 0 else a.tolist()


def value(v):
    """A stored value back as a float or an ndarray."""
    a = np.asarray(v, dtype=float)
    return float(a) if a.ndim == 0 else a


class Row(NamedTuple):
    """One scalar of a result's table. ``stderr`` is None for a fixed (not estimated) parameter;
    ``statistic`` = estimate / stderr (z or t, see ``result.reference``), ``pvalue`` two-sided."""

    label: str
    estimate: float
    stderr: float | None
    low: float | None
    high: float | None
    statistic: float | None
    pvalue: float | None


class Result:
    """Base class of every result (see the module docstring for what a subclass supplies)."""

    reference: Reference = Z
    #: show the statistic and p-value columns in the summary (regressions)
    show_tests: bool = False
    #: significant digits of estimates in the summary
    digits: int = 6
    #: why AIC and BIC do not apply to this result (e.g. a MAP estimate), or None where they do
    criteria_unavailable: str | None = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _TYPES[cls.__name__] = cls

    # -- what a subclass may override --------------------------------------------------------
    @property
    def title(self) -> str:
        return type(self).__name__

    @property
    def owner(self) -> str:
        """Who speaks in this result's warnings and errors."""
        return type(self).__name__

    @property
    def free(self) -> tuple[str, ...]:
        """Names of the estimated parameters (the others in ``params`` are held fixed)."""
        return tuple(self.params)

    def _covariance(self) -> tuple[np.ndarray | None, list[str], str | None]:
        return None, [], "no covariance is available for this result"

    def _stderr_values(self) -> dict | None:
        """name -> standard error for the free parameters, from ``_covariance``; None if unavailable."""
        cov, labels, _ = self._covariance()
        if cov is None:
            return None
        by_label = dict(zip(labels, np.sqrt(np.clip(np.diag(cov), 0.0, None))))
        out = {}
        for k in self.free:
            shape = np.shape(self.params[k])
            if shape == ():
                out[k] = float(by_label.get(k, math.nan))
            else:
                se = [by_label.get(f"{k}[{','.join(map(str, i))}]", math.nan) for i in np.ndindex(shape)]
                out[k] = np.asarray(se, dtype=float).reshape(shape)
        return out

    def _profile_conf_int(self, level: float) -> dict:
        raise ParameterError(
            f"conf_int: method='profile' needs a profile likelihood; got a {type(self).__name__}, which has "
            "none. Use method='wald'."
        )

    def _exact_conf_int(self, level: float) -> dict:
        raise ParameterError(
            f"conf_int: method='exact' needs a family with exact intervals (e.g. exponential2); got "
            f"{self.owner}. Use method='wald' or 'profile'.")

    def _details(self) -> list[tuple[str, str]]:
        """Model-specific header lines (between the observations and the convergence status)."""
        return []

    def _extra_dict(self) -> dict:
        """Model-specific fields of ``to_dict``."""
        return {}

    # -- criteria and status -----------------------------------------------------------------
    def _check_criteria(self, name: str) -> None:
        if self.criteria_unavailable:
            raise ParameterError(f"{self.owner}: {name} must come from a maximum-likelihood fit; got a result where "
                                 f"{self.criteria_unavailable}.")

    @property
    def aic(self) -> float:
        """AIC = 2k − 2ℓ (k = ``n_params``)."""
        self._check_criteria("AIC")
        return _aic(self.loglik, self.n_params)

    @property
    def bic(self) -> float:
        """BIC = k log(Σw) − 2ℓ."""
        self._check_criteria("BIC")
        return _bic(self.loglik, self.n_params, self.weight)

    @property
    def converged(self) -> bool:
        return self.status.ok

    # -- uncertainty -------------------------------------------------------------------------
    def _warn_unavailable(self) -> None:
        why = self._covariance()[2] or "no covariance is available for this result"
        warnings.warn(f"{self.owner}: standard errors unavailable: {why}.", InferenceWarning, stacklevel=3)

    @property
    def cov(self) -> np.ndarray | None:
        """Covariance of the free parameters (flattened; labels in ``cov_labels``). None, with an
        InferenceWarning, where it is undefined."""
        cov = self._covariance()[0]
        if cov is None:
            self._warn_unavailable()
        return cov

    @property
    def cov_labels(self) -> list[str]:
        return list(self._covariance()[1])

    @property
    def stderr(self) -> dict:
        """name -> standard error (same shape as the parameter), free parameters only; NaN (with an
        InferenceWarning) where unavailable."""
        se = self._stderr_values()
        if se is None:
            self._warn_unavailable()
            return {k: value(np.full(np.shape(self.params[k]), np.nan)) for k in self.free}
        return se

    def _interval_bijection(self, name: str):
        """The scalar bijection whose u scale the default Wald interval of ``name`` is formed on;
        None: the natural scale θ̂ ± q·se (the base's choice: regression coefficients and the like
        are unconstrained already)."""
        return None

    def _wald(self, level: float, natural: bool = False) -> dict:
        """name -> (low, high) arrays of Wald intervals (see :mod:`maxlik.results.wald`)."""
        q = self.reference.quantile(level)
        se = self._stderr_values()
        out = {}
        for k in self.free:
            s = np.full(np.shape(self.params[k]), np.nan) if se is None else se[k]
            out[k] = wald_interval(self.params[k], s, q, None if natural else self._interval_bijection(k))
        return out

    def conf_int(self, level: float = 0.95, method: str = "wald") -> dict:
        """name -> (low, high). ``"wald"`` (default): θ̂ ± q·se (q the ``reference`` quantile at
        (1 + level)/2) formed on the unconstrained scale of each parameter's bijection (log for a
        positive parameter, logit for the unit interval) and mapped back, so it never leaves the
        domain; ``"wald-natural"``: θ̂ ± q·se as it stands; ``"profile"``: profile-likelihood
        intervals, where the result supports them; ``"exact"``: a family's exact intervals, where
        it has them (exponential2)."""
        self.reference.quantile(level)  # checks level first
        if method == "exact":  # a family's exact intervals, where it has them (exponential2)
            return self._exact_conf_int(level)
        if check_method(method) == "profile":
            return self._profile_conf_int(level)
        self.stderr  # the InferenceWarning where standard errors are unavailable
        return {k: (value(lo), value(hi)) for k, (lo, hi) in self._wald(level, method == "wald-natural").items()}

    def interval_text(self) -> str:
        """What the summary's intervals are: Wald, and on which scale per parameter."""
        scales = {}
        for k in self.free:
            bij = self._interval_bijection(k)
            scales.setdefault("natural" if bij is None else scale_name(bij), []).append(k)
        if set(scales) <= {"natural"}:
            return "Wald, estimate ± q·std err"
        parts = [f"{s} scale of {', '.join(ks)}" for s, ks in scales.items() if s != "natural"]
        return f"Wald on the {'; '.join(parts)}, mapped back (method='wald-natural': estimate ± q·std err)"

    # -- the table ---------------------------------------------------------------------------
    def _names(self) -> list[str]:
        return list(self.params)

    def rows(self, level: float = 0.95) -> list[Row]:
        """The table of every summary, HTML view and CLI: one Row per scalar of every parameter."""
        se = self._stderr_values()
        wald = self._wald(level)
        free, rows = set(self.free), []
        for name in self._names():
            est = np.asarray(self.params[name], dtype=float)
            for idx in np.ndindex(est.shape):
                label = name if est.ndim == 0 else f"{name}[{','.join(map(str, idx))}]"
                b = float(est[idx])
                if name not in free:
                    rows.append(Row(label, b, None, None, None, None, None))
                    continue
                s = math.nan if se is None else float(np.asarray(se[name])[idx])
                stat = math.nan if math.isnan(s) else (b / s if s > 0 else math.inf)
                p = math.nan if math.isnan(stat) else self.reference.pvalue(stat)
                lo, hi = (float(np.asarray(end)[idx]) for end in wald[name])
                rows.append(Row(label, b, s, lo, hi, stat, p))
        return rows

    def header(self) -> list[tuple[str, str]]:
        """(key, text) lines above the table: model, data, status, likelihood, criteria, reference."""
        obs = (str(self.n) if isinstance(self.n, (int, np.integer)) else f"{self.n:g}") + (f" (total weight {self.weight:g})" if self.weight != self.n else "")
        return [
            ("model", self.title),
            ("observations", obs),
            *self._details(),
            ("converged", f"{self.converged} ({self.message})"),
            ("log-likelihood", f"{self.loglik:.6g}"),
            ("AIC / BIC", "not given: likelihood criteria" if self.criteria_unavailable else f"{self.aic:.6g} / {self.bic:.6g}"),
            ("reference", f"{self.reference.describe()} for tests and intervals"),
        ]

    def _columns(self, level: float) -> list[str]:
        pct = f"{100 * level:g}%"
        tests = [self.reference.name, f"P>|{self.reference.name}|"] if self.show_tests else []
        return ["parameter", "estimate", "std err", *tests, f"{pct} low", f"{pct} high"]

    def _cells(self, row: Row) -> list[str]:
        g = f".{self.digits}g"
        if row.stderr is None:
            return [row.label, format(row.estimate, g), "(fixed)"]
        tests = [f"{row.statistic:.3f}", f"{row.pvalue:.3g}"] if self.show_tests else []
        return [row.label, format(row.estimate, g), f"{row.stderr:.4g}", *tests, format(row.low, g), format(row.high, g)]

    def summary(self, level: float = 0.95) -> str:
        """A plain-text table in ``SUMMARY_WIDTH`` (80) columns, as a terminal shows it: the header
        (long values wrapped), then estimate, std err (and tests) and interval per scalar. The
        number columns keep their long-standing widths where they fit, else narrow to their
        contents; a label longer than its column breaks after a ``,`` or ``]`` onto lines of its
        own, the numbers beside its last part."""
        head = self.header()
        kw = max(len(k) for k, _ in head)
        lines = []
        for k, v in head:
            lines += wrap_text(v, SUMMARY_WIDTH, f"{k:>{kw}}: ", " " * (kw + 2))
        cols = self._columns(level)
        cells = [self._cells(r) for r in self.rows(level)]
        mins = [22, 14, 12, *((10, 10) if self.show_tests else ()), 14, 14]  # FitResult's long-standing layout
        fitted = [max([len(c)] + [len(r[i]) for r in cells if i < len(r)]) + 2 for i, c in enumerate(cols)]
        label_need = max(mins[0], fitted[0])
        for numbers in ([max(m, f) for m, f in zip(mins[1:], fitted[1:])], fitted[1:]):
            if label_need + sum(numbers) <= SUMMARY_WIDTH:
                break
        widths = [max(12, min(label_need, SUMMARY_WIDTH - sum(numbers))), *numbers]

        def line(parts):
            return "".join(p.ljust(w) if i == 0 else p.rjust(w) for i, (p, w) in enumerate(zip(parts, widths)))

        title = line(cols)
        lines += ["", title, "-" * len(title)]
        for r in cells:
            *first, last = split_label(r[0], widths[0] - 2)
            lines += first
            lines.append(line([last, *r[1:]]).rstrip())
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        esc = html.escape
        head = "".join(f"<tr><th style='text-align:left'>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in self.header())
        cols = self._columns(0.95)
        body = ""
        for r in self.rows():
            cells = self._cells(r)
            tds = "".join(f"<td>{esc(c)}</td>" for c in cells)
            if r.stderr is None:
                tds += f"<td colspan={len(cols) - len(cells)}></td>"
            body += f"<tr>{tds}</tr>"
        th = "".join(f"<th>{esc(c)}</th>" for c in cols)
        return f"<table>{head}</table><table><tr>{th}</tr>{body}</table>"

    # -- serialisation -------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """Plain Python types only (JSON-ready): the core of the protocol plus the model's extras.
        ``type(self).from_dict`` (or ``Result.from_dict``) rebuilds an equal result."""
        cov, labels, why = self._covariance()
        se = self._stderr_values()
        core = {
            "type": type(self).__name__,
            "params": {k: plain(v) for k, v in self.params.items()},
            "stderr": None if se is None else {k: plain(v) for k, v in se.items()},
            "cov": None if cov is None else np.asarray(cov, dtype=float).tolist(),
            "cov_labels": list(labels),
            "cov_unavailable_reason": why,
            "loglik": float(self.loglik),
            "n": self.n if isinstance(self.n, int) else float(self.n),
            "weight": float(self.weight),
            "n_params": int(self.n_params),
            "aic": None if self.criteria_unavailable else float(self.aic),
            "bic": None if self.criteria_unavailable else float(self.bic),
            "status": self.status.name.lower(),
            "converged": bool(self.converged),
            "message": self.message,
            "reference": self.reference.to_dict(),
        }
        return {**core, **self._extra_dict()}

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, d: dict):
        """Rebuild a result from ``to_dict``. On ``Result`` itself, ``d["type"]`` picks the class."""
        kind = d.get("type")
        if cls is Result:
            if kind not in _TYPES:
                raise ParameterError(
                    f"Result.from_dict: d['type'] must name a result class ({', '.join(sorted(_TYPES))}); "
                    f"got {kind!r}. Call the class's own from_dict, e.g. FitResult.from_dict(d)."
                )
            cls = _TYPES[kind]
        elif kind is not None and kind != cls.__name__:
            raise ParameterError(f"{cls.__name__}.from_dict: d must come from a {cls.__name__}; got one from a {kind}.")
        return cls._from_dict(d)

    @classmethod
    def from_json(cls, text: str):
        return cls.from_dict(json.loads(text))

    @classmethod
    def _from_dict(cls, d: dict):
        raise ParameterError(f"{cls.__name__}.from_dict: this result type cannot be rebuilt from a dict; got {sorted(d)}.")
