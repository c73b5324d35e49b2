"""StoredResult: a Result whose core lives in plain attributes, so that ``from_dict`` rebuilds it
without the estimator that built it (the classifier's and the mixture's results)."""

from __future__ import annotations

import numpy as np

from ..status import Status
from ._protocol import Result, value


class StoredResult(Result):
    """A Result whose core is stored as plain attributes (``_se``, ``_cov``, ``_labels`` …), so
    ``from_dict`` can restore it without the estimator that built it."""

    _core = ("params", "loglik", "n", "weight", "n_params", "message")

    def _covariance(self):
        return getattr(self, "_cov", None), list(getattr(self, "_labels", [])), getattr(self, "_cov_reason", None)

    def _stderr_values(self):
        se = getattr(self, "_se", None)
        return None if se is None else dict(se)

    @classmethod
    def _from_dict(cls, d: dict):
        obj = cls.__new__(cls)
        for k in cls._core:
            setattr(obj, k, d[k])
        obj.params = {k: value(v) for k, v in d["params"].items()}
        obj.status = Status.parse(d["status"])
        obj._se = None if d.get("stderr") is None else {k: value(v) for k, v in d["stderr"].items()}
        obj._cov = None if d.get("cov") is None else np.asarray(d["cov"], dtype=float)
        obj._labels, obj._cov_reason = list(d.get("cov_labels", [])), d.get("cov_unavailable_reason")
        obj._restore(d)
        return obj

    def _restore(self, d: dict) -> None:
        """Set the model-specific attributes from ``to_dict``'s extras."""
