"""Wald intervals on the scale of a parameter's bijection, and the interval methods' names.

A Wald interval θ̂ ± q·se can leave the parameter's domain (a negative rate, a probability above
one). The default interval is therefore formed on the unconstrained coordinate u = T⁻¹(θ) of the
parameter's bijection T (log for a positive parameter, logit for the unit interval) and mapped
back, as R's ``confint`` does on a log link:

    se_u = se_θ / T′(û),   interval = (T(û − q·se_u), T(û + q·se_u))

(the delta method run backwards: the same standard error, read on the u scale). For a positive
parameter this is θ̂·exp(±q·se/θ̂); for the unit interval, logit⁻¹(logit p̂ ± q·se/(p̂(1 − p̂))).
A parameter with the identity bijection (a location) gets θ̂ ± q·se either way. ``"wald-natural"``
asks for θ̂ ± q·se on every parameter. NumPy only: the bijections' ``derivatives`` give T′.
"""

from __future__ import annotations

import numpy as np

from ..errors import ParameterError

#: conf_int's methods, with what each one is (the error for an unknown method lists them)
METHODS = {
    "wald": "θ̂ ± q·se on the scale of each parameter's bijection (log, logit), mapped back: the default",
    "wald-natural": "θ̂ ± q·se on the parameters' own scale (may leave the domain)",
    "profile": "the profile likelihood (where the result has one)",
}


def check_method(method) -> str:
    """``method`` if it is one of :data:`METHODS`, else a ParameterError listing them."""
    if method not in METHODS:
        listed = "; ".join(f"{k!r}: {v}" for k, v in METHODS.items())
        raise ParameterError(
            f"conf_int: method must be 'wald' or 'profile'; got {method!r}. The valid methods are {listed}."
        )
    return method


def scale_name(bij) -> str:
    """How the summary names the scale of a default Wald interval under bijection ``bij``."""
    kind = type(bij).__name__
    return {"ShiftedExp": "log", "ScaledSigmoid": "logit"}.get(kind, "natural")


def wald_interval(est, se, q: float, bij=None):
    """(low, high), arrays shaped like ``est``: θ̂ ± q·se, or on the u scale of the scalar
    bijection ``bij`` (None or the identity: the natural scale). A zero or non-finite se gives
    NaN ends through the same arithmetic (never an interval that claims more than it knows)."""
    est = np.asarray(est, dtype=float)
    se = np.asarray(se, dtype=float)
    if bij is None or scale_name(bij) == "natural":
        return est - q * se, est + q * se
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        u = np.asarray(bij.inverse(est), dtype=float)
        slope = np.asarray(bij.derivatives(u)[0], dtype=float)
        se_u = se / slope
        low, high = bij.forward(u - q * se_u), bij.forward(u + q * se_u)
    bad = ~np.isfinite(se_u) | ~np.isfinite(u)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)
