"""mclust's 14 parsimonious covariance models Σₖ = λₖ Dₖ Aₖ Dₖᵀ (Celeux & Govaert 1995) for
Gaussian mixtures and classifiers: names, aliases, parameter counts and the M-step.

Each name reads volume λ, shape A (diagonal, |A| = 1), orientation D (orthogonal): E equal
across components, V variable, I the identity. scikit-learn's names are aliases:
"spherical" = VII, "diag" = VVI, "tied" = EEE, "full" = VVV. For one-dimensional data mclust calls
the two models E (one variance) and V (one per component); both are accepted for d = 1 only.

The M-step (:func:`covariances`) is the weighted MLE of the structure from each component's
weighted scatter about its mean, Wₖ = Σₙ ωₙₖ (xₙ − x̄ₖ)(xₙ − x̄ₖ)ᵀ, and weight nₖ = Σₙ ωₙₖ (the
MultivariateNormal family's statistics M2 and N): it minimises

    Σₖ [nₖ log|Σₖ| + tr(Σₖ⁻¹ Wₖ)]        over Σₖ of the model's form;

the closed forms and fixed points are Celeux & Govaert (1995, Table 1 and section 4). The
orientation of EVE and VVE: mclust's Fortran (``mseve``, ``msvve`` in src/mclust2.f of mclust
6.1.3) uses the majorisation–minimisation of Browne & McNicholas (2014: MM 1 from the largest
eigenvalue of Wₖ, then MM 2 from the largest eigenvalue of Aₖ⁻¹); here Jacobi steps that turn
every pair of axes by its own optimal angle at once (Flury & Gautschi 1986) come first, 5–7×
fewer iterations to the same tolerance, and the MM steps take over after a step that does not
lower the objective (:func:`_common_orientation`). One departure: mclust's VVE orientation step
weighs Wₖ by Aₖ⁻¹ where the likelihood has (λₖAₖ)⁻¹; here it is the latter, so this VVE is the
exact MLE (its log-likelihood is ≥ mclust's; the tests record the difference).

Celeux, G. & Govaert, G. (1995). Gaussian parsimonious clustering models. Pattern Recognition 28,
781–793. Browne, R. P. & McNicholas, P. D. (2014). Estimating common principal components in high
dimensions. Advances in Data Analysis and Classification 8, 217–226. Flury, B. N. & Gautschi, W.
(1986). An algorithm for simultaneous orthogonal transformation of several positive definite
symmetric matrices to nearly diagonal form. SIAM J. Sci. Stat. Comput. 7, 169–184.
Parameter counts follow mclust's ``nVarParams`` / ``nMclustParams``.
"""

from __future__ import annotations

import difflib
import functools
import math

import numpy as np

from .._lapack import eigh, eigvalsh, inv, slogdet, svd
from ..errors import ParameterError

MODELS = ("EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE", "VEE", "EVE", "VVE", "EEV", "VEV", "EVV", "VVV")
UNIVARIATE = {"E": "EII", "V": "VII"}  # d = 1: every equal-variance model is E, every variable one V
ALIASES = {"spherical": "VII", "diag": "VVI", "tied": "EEE", "full": "VVV"}
SKLEARN = {v: k for k, v in ALIASES.items()}
ITERATIVE = ("VEI", "VEE", "EVE", "VVE", "VEV")  # no closed form: fixed points or MM
SKLEARN_ORDER = ("full", "tied", "diag", "spherical")  # as MultivariateNormal lists them
NAMES = MODELS + tuple(UNIVARIATE) + tuple(ALIASES)
NOTE = (f" Also accepted: mclust's models {list(MODELS)}, and 'E' / 'V' for one-dimensional data "
        "('spherical' = VII, 'diag' = VVI, 'tied' = EEE, 'full' = VVV).")
TOL, MAX_ITER = 1e-12, 2000  # the iterative M-steps: relative change of the objective, iteration cap
LOOSE_TOL = 1.5e-8  # mclust's emControl()$tol[2], √eps: the inner tolerance while EM is still moving


@functools.cache
def identity(d: int) -> np.ndarray:
    """The d × d identity, made once per d (read-only: shared)."""
    eye = np.eye(d)
    eye.flags.writeable = False
    return eye


def suggestion(name) -> str:
    """" Did you mean 'X'?" for the closest of :data:`NAMES` (case-insensitive), or ""."""
    pool = {n.lower(): n for n in NAMES}
    close = difflib.get_close_matches(str(name).lower(), list(pool), n=1)
    return f" Did you mean {pool[close[0]]!r}?" if close else ""


def check_name(owner: str, name, what: str = "covariance_type") -> str:
    """``name`` if it is one of scikit-learn's four names, the 14 models, or E / V; else a
    ParameterError that lists them and suggests the closest (the estimators' message)."""
    if isinstance(name, str) and name in NAMES:
        return name
    raise ParameterError(f"{owner}: {what} must be one of {list(SKLEARN_ORDER)}; got {name!r}.{suggestion(name)}{NOTE}")


def canonical(name: str, d: int | None = None, owner: str = "GaussianMixture") -> str:
    """The mclust model of a name (aliases resolved); E and V only for d = 1."""
    if name in UNIVARIATE:
        if d is not None and d != 1:
            raise ParameterError(
                f"{owner}: covariance_type {name!r} must be used with one-dimensional data; got {d} features. "
                f"Use {UNIVARIATE[name]!r} (or another of the 14 models) for multivariate data."
            )
        return UNIVARIATE[name]
    return ALIASES.get(name, name)


def is_diagonal(model: str) -> bool:
    """Whether every Σₖ of the model is diagonal (orientation I)."""
    return canonical(model)[2] == "I"


def singular_scatter(model: str, W) -> np.ndarray:
    """(K,) True where component k's own scatter Wₖ is singular (a zero variance for the diagonal
    models): the component to name when the structured estimate is singular too."""
    if is_diagonal(model):
        return ~np.all(np.diagonal(W, axis1=1, axis2=2) > 0, axis=1)
    return np.array([np.linalg.eigvalsh(S)[0] <= 1e-12 * np.trace(S) for S in W])


def n_var_params(model: str, d: int, G: int) -> int:
    """Free covariance parameters (mclust's ``nVarParams``)."""
    m = canonical(model)
    rot = d * (d - 1) // 2
    return {
        "EII": 1, "VII": G, "EEI": d, "VEI": G + d - 1, "EVI": 1 + G * (d - 1), "VVI": G * d,
        "EEE": d * (d + 1) // 2, "VEE": G + d - 1 + rot, "EVE": 1 + G * (d - 1) + rot, "VVE": G * d + rot,
        "EEV": d + G * rot, "VEV": G + d - 1 + G * rot, "EVV": 1 - G + G * d * (d + 1) // 2, "VVV": G * d * (d + 1) // 2,
    }[m]


def n_params(model: str, d: int, G: int) -> int:
    """Free parameters of a G-component mixture: covariances, G·d means, G − 1 weights
    (mclust's ``nMclustParams`` without noise or equal proportions)."""
    return n_var_params(model, d, G) + G * d + G - 1


def covariances(model: str, N, W, start=None, tol: float = TOL, max_iter: int = MAX_ITER) -> np.ndarray:
    """The model's weighted MLE Σ (K, d, d) from weights N (K,) and scatter matrices W (K, d, d).

    With n = Σₖ nₖ, W = Σₖ Wₖ, Wₖ = Lₖ Ωₖ Lₖᵀ (eigenvalues decreasing), |·| the determinant:

        EII  λ = tr W / (n d)                 VII  λₖ = tr Wₖ / (nₖ d)
        EEI  Σ = diag(W) / n                  VVI  Σₖ = diag(Wₖ) / nₖ
        EVI  Σₖ = diag(Wₖ) / |diag Wₖ|^(1/d) · Σⱼ |diag Wⱼ|^(1/d) / n
        EEE  Σ = W / n                        VVV  Σₖ = Wₖ / nₖ
        EVV  Σₖ = Wₖ / |Wₖ|^(1/d) · Σⱼ |Wⱼ|^(1/d) / n
        EEV  Σₖ = Lₖ (Σⱼ Ωⱼ / n) Lₖᵀ
        VEI, VEE, VEV: fixed points (:func:`_common_shape`, :func:`_vee`); EVE, VVE: Jacobi steps, then MM
        (:func:`_common_orientation`)

    ``start`` (K, d, d), the previous EM iteration's Σ, starts the iterative models (VEI, VEE, VEV:
    the volumes; EVE, VVE: the orientation), so that EM's M-step continues where it stopped.
    A singular Wₖ gives a singular or non-finite Σ where the model needs it; the caller checks."""
    m = canonical(model)
    N, W = np.asarray(N, dtype=float), np.asarray(W, dtype=float)
    K, d = W.shape[0], W.shape[1]
    n, I = N.sum(), identity(d)
    with np.errstate(divide="ignore", invalid="ignore"):
        if m == "EII":
            return np.repeat((np.trace(W.sum(0)) / (n * d) * I)[None], K, 0)
        if m == "VII":
            return (np.trace(W, axis1=1, axis2=2) / (N * d))[:, None, None] * I
        if m == "EEI":
            return np.repeat(np.diag(np.diagonal(W.sum(0)) / n)[None], K, 0)
        if m == "VVI":
            return _diag(np.diagonal(W, axis1=1, axis2=2) / N[:, None])
        if m == "EVI":
            w = np.diagonal(W, axis1=1, axis2=2)
            g = _geomean(w)  # Bₖ = diag(Wₖ)/|diag Wₖ|^(1/d), λ = Σₖ |diag Wₖ|^(1/d) / n
            return _diag(w / g[:, None] * (g.sum() / n))
        if m == "VEI":
            lam, shape = _common_shape(N, np.diagonal(W, axis1=1, axis2=2), _volumes(start, N, W), tol, max_iter)
            return _diag(lam[:, None] * shape[None])
        if m == "EEE":
            return np.repeat((W.sum(0) / n)[None], K, 0)
        if m == "VVV":
            return W / N[:, None, None]
        if m == "EVV":
            g = np.exp(slogdet(W)[1] / d)  # Cₖ = Wₖ/|Wₖ|^(1/d), λ = Σₖ |Wₖ|^(1/d) / n
            return W / g[:, None, None] * (g.sum() / n)
        if m == "VEE":
            return _vee(N, W, _volumes(start, N, W), tol, max_iter)
        if m in ("EEV", "VEV"):
            omega, L = eigh(W)
            omega, L = omega[:, ::-1], L[:, :, ::-1]  # Dₖ: eigenvectors of Wₖ, eigenvalues decreasing
            if m == "EEV":  # λA = Σₖ Ωₖ / n
                shape = np.repeat((omega.sum(0) / n)[None], K, 0)
            else:  # VEI on the eigenvalues (the pairing largest with largest is optimal)
                lam, a = _common_shape(N, omega, _volumes(start, N, W), tol, max_iter)
                shape = lam[:, None] * a[None]
            return (L * shape[:, None, :]) @ L.transpose(0, 2, 1)
        if m in ("EVE", "VVE"):
            return _common_orientation(m, N, W, start, tol, max_iter)
    raise ParameterError(f"covariances: model must be one of {list(MODELS)}; got {model!r}.")  # pragma: no cover


def _diag(v):
    return v[:, :, None] * identity(v.shape[1])


def _geomean(v):
    return np.exp(np.log(v).sum(-1) / v.shape[-1])


def _volumes(start, N, W):
    """λₖ to start VEI/VEE/VEV: |Σₖ|^(1/d) of the previous iteration, else tr(Wₖ)/(d nₖ)."""
    if start is not None:
        return np.exp(slogdet(start)[1] / start.shape[1])
    return np.trace(W, axis1=1, axis2=2) / (N * W.shape[1])


def _converged(f, f_old, tol):
    return abs(f - f_old) <= tol * (1.0 + abs(f))


def _common_shape(N, w, lam, tol, max_iter):
    """VEI (and VEV on eigenvalues) by Celeux & Govaert's fixed point: Σₖ = λₖ diag(a), |a| = 1,
    from the diagonals w (K, d):  a ∝ Σₖ wₖ/λₖ,  λₖ = Σⱼ wₖⱼ/aⱼ / (d nₖ). Convex in (log λ, log a):
    one optimum. -> (λ (K,), a (d,))."""
    d, f_old = w.shape[1], np.inf
    dN = d * N
    for _ in range(max_iter):
        s = (1.0 / lam) @ w  # Σₖ wₖ/λₖ
        a = s / math.exp(np.log(s).sum() / d)
        lam = (w @ (1.0 / a)) / dN
        f = d * float(N @ np.log(lam))
        if _converged(f, f_old, tol):
            break
        f_old = f
    return lam, a


def _vee(N, W, lam, tol, max_iter):
    """VEE by Celeux & Govaert's fixed point: Σₖ = λₖ C, |C| = 1:  C ∝ Σₖ Wₖ/λₖ,  λₖ = tr(Wₖ C⁻¹)/(d nₖ)
    (both sums over the entries of Wₖ as one product with W flattened to (K, d·d))."""
    K, d, f_old = W.shape[0], W.shape[1], np.inf
    Wf, dN = W.reshape(K, d * d), d * N
    for _ in range(max_iter):
        S = ((1.0 / lam) @ Wf).reshape(d, d)
        C = S / np.exp(slogdet(S)[1] / d)
        lam = (Wf @ inv(C).T.reshape(d * d)) / dN  # tr(C⁻¹Wₖ) = Σᵢⱼ (C⁻¹)ᵢⱼ (Wₖ)ⱼᵢ
        f = d * float(N @ np.log(lam))
        if _converged(f, f_old, tol):
            break
        f_old = f
    return lam[:, None, None] * C[None]


def _orientation_start(start, d):
    """D to start EVE/VVE: the eigenvectors of a generic positive combination of the previous
    Σₖ (they share D, so the combination is D (Σ cₖ Ωₖ) Dᵀ), else the identity (as mclust)."""
    if start is None:
        return np.eye(d)
    c = 1.0 + 0.6180339887 * np.arange(start.shape[0])
    return eigh(np.tensordot(c, start, 1))[1]


def _common_orientation(m, N, W, start, tol, max_iter):
    """EVE (Σₖ = λ D Aₖ Dᵀ) and VVE (Σₖ = D Ωₖ Dᵀ): given D the diagonals are closed form,
    Ωₖ = diag(DᵀWₖD)/nₖ (VVE), or Aₖ = diag(DᵀWₖD)/|·|^(1/d), λ = Σₖ d |diag(DᵀWₖD)|^(1/d)/(n d)
    (EVE), and the profiled objective f(D) = Σₖ nₖ log|Σₖ| (minus n d) is minimised over the
    orthogonal D. Given the diagonals Bₖ = Σₖ's inverse eigenvalues (up to a common factor, which
    changes no step below), D decreases g(D) = Σₖ tr(Wₖ D Bₖ Dᵀ), so f.

    Jacobi steps (as Flury & Gautschi's for common principal components): in the plane of axes
    i < j, turning D by θ changes g by P cos 2θ + Q sin 2θ + const, with W̃ₖ = DᵀWₖD,
    Pᵢⱼ = ½ Σₖ (Bₖᵢ − Bₖⱼ)(W̃ₖᵢᵢ − W̃ₖⱼⱼ) and Qᵢⱼ = Σₖ (Bₖᵢ − Bₖⱼ) W̃ₖᵢⱼ, least at
    tan θ = −Q / (hypot(P, Q) − P); all planes turn at once, D ← D · polar(I − T) with Tᵢⱼ = tan θᵢⱼ
    (antisymmetric; for a single plane exactly the rotation by θ). A step that raises f (the
    planes interact) is undone, and from there on the monotone majorisation–minimisation of
    Browne & McNicholas (2014, as mclust) is used: D = UVᵀ for the SVD UΣVᵀ of
    Σₖ (αₖ I − Wₖ) D Bₖ (MM 1, αₖ the largest eigenvalue of Wₖ) and of Σₖ Wₖ D (βₖ I − Bₖ)
    (MM 2, βₖ the largest of Bₖ), each sum one (d, K·d) @ (K·d, d) product. Both stop when f
    changes by at most ``tol`` relative. One component: Σ = W/n (any positive definite matrix
    has both forms)."""
    K, d = W.shape[0], W.shape[1]
    if K == 1:
        return W / N[:, None, None]
    D = _orientation_start(start, d)
    polar, mm = (_polar if d == 2 else _polar_svd), None
    eve, f_old, n, I = m == "EVE", np.inf, float(N.sum()), identity(d)
    NN = N[:, None]
    const = 0.0 if eve else d * float(N @ np.log(N))
    for it in range(max_iter + 1):
        Wd = D.T @ (W @ D)  # W̃ₖ = DᵀWₖD (K, d, d)
        w = Wd.diagonal(0, 1, 2)
        if eve:  # Bₖ ∝ |diag W̃ₖ|^(1/d) / diag W̃ₖ; f = n d log(Σₖ |diag W̃ₖ|^(1/d) / n)
            g = np.exp(np.log(w).sum(1) * (1.0 / d))
            f = n * d * math.log(float(g.sum()) / n) if g.all() else math.nan
            B = g[:, None] / w
        else:  # Bₖ = nₖ / diag W̃ₖ; f = Σₖ nₖ log|diag W̃ₖ / nₖ|
            f = float((N @ np.log(w)).sum()) - const
            B = NN / w
        if mm is None and f > f_old:  # the simultaneous turn overshot: back, and MM from there on
            D, Wd, w, B = saved
            alpha = eigvalsh(W)[:, -1]
            mm = ((alpha[:, None, None] * I - W).transpose(1, 0, 2).reshape(d, K * d),
                  W.transpose(1, 0, 2).reshape(d, K * d))
        elif f != f or _converged(f, f_old, tol) or it == max_iter:  # NaN: a non-finite scatter (raised below)
            break
        else:
            f_old, saved = f, (D, Wd, w, B)
        if mm is None:  # one Jacobi step over all planes
            Bd = B[:, :, None] - B[:, None, :]
            P = (Bd * (w[:, :, None] - w[:, None, :])).sum(0) * 0.5
            Q = (Bd * Wd).sum(0)
            den = np.hypot(P, Q) - P
            T = np.where(den > 0.0, Q / den, 0.0)  # −tan θᵢⱼ; 0 on the diagonal (P = Q = 0)
            D = D @ polar(I + T)
        else:
            D = polar(mm[0] @ (B[:, None, :] * D).reshape(K * d, d))
            D = polar(mm[1] @ ((B.max(1)[:, None] - B)[:, None, :] * D).reshape(K * d, d))
    if f != f or not np.isfinite(D).all():  # as np.linalg.svd would have said
        raise np.linalg.LinAlgError("SVD did not converge")
    omega, _ = _diagonals(m, N, w)
    return (D * omega[:, None, :]) @ D.T


def _polar_svd(M):
    """:func:`_polar` by the SVD (d > 2)."""
    u, _, vt = svd(M)  # unchecked: the loop turns NaN into LinAlgError
    return u @ vt


def _polar(M):
    """The orthogonal polar factor UVᵀ of M = UΣVᵀ (d, d): the orthogonal Q maximising tr(QᵀM).
    For d = 2 in closed form: the rotation R(θ) with (cos θ, sin θ) ∝ (m₁₁ + m₂₂, m₂₁ − m₁₂), or
    the reflection [[cos φ, sin φ], [sin φ, −cos φ]] with (cos φ, sin φ) ∝ (m₁₁ − m₂₂, m₁₂ + m₂₁),
    whichever has the larger tr(QᵀM) (the hypotenuse); else by the SVD."""
    if M.shape[0] == 2:
        a, b, c, e = M.ravel().tolist()
        rot, ref = math.hypot(a + e, c - b), math.hypot(a - e, b + c)
        if rot >= ref and rot > 0.0:
            co, si = (a + e) / rot, (c - b) / rot
            return np.array([[co, -si], [si, co]])
        if ref > 0.0:
            co, si = (a - e) / ref, (b + c) / ref
            return np.array([[co, si], [si, -co]])
    u, _, vt = svd(M)  # unchecked: the loop turns NaN into LinAlgError
    return u @ vt


def _diagonals(m, N, w):
    """EVE / VVE given D, from w = diag(DᵀWₖD) (K, d): the eigenvalues Ωₖ (K, d) of Σₖ and the
    profiled Σₖ nₖ log|Σₖ| (minus n d)."""
    if m == "VVE":
        omega = w / N[:, None]
        return omega, float(N @ np.log(omega).sum(1))
    n, d = N.sum(), w.shape[1]
    g = np.exp(np.log(w).sum(1) / d)  # |diag(DᵀWₖD)|^(1/d)
    s = g.sum()
    return w * (s / n / g)[:, None], float(n * d * np.log(s / n))


__all__ = ["ALIASES", "ITERATIVE", "MODELS", "NAMES", "SKLEARN", "UNIVARIATE", "canonical", "check_name", "covariances",
           "is_diagonal", "n_params", "n_var_params", "singular_scatter", "suggestion"]
