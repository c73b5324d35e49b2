"""Named estimates, standard errors and a summary for a fitted GaussianClassifier.

Standard errors are the closed-form asymptotic ones of the MLE (inverse Fisher information):

    se(μₖⱼ)  = sqrt(Σₖ,ⱼⱼ / Wₖ)
    se(Σₖ,ᵢⱼ) = sqrt((Σₖ,ᵢᵢ Σₖ,ⱼⱼ + Σₖ,ᵢⱼ²) / Wₖ)   (full; the tied matrix uses W = Σ Wₖ)
    se(πₖ)   = sqrt(πₖ (1 − πₖ) / W)                 (0 when priors are fixed)
"""

from __future__ import annotations

import numpy as np

from ..criteria import wald_z


class ClassifierResult:
    def __init__(self, est):
        self.covariance_type = est.covariance_type
        self.classes = est.classes_.tolist()
        names = list(getattr(est, "feature_names_in_", [f"x{j}" for j in range(est.n_features_in_)]))
        self.feature_names = names
        W = est.class_count_
        total = W.sum()
        self.params, self.stderr_ = {}, {}
        fixed_priors = est.priors is not None
        for k, c in enumerate(self.classes):
            S = est.covariances_[k]
            n_eff = total if est.covariance_type == "tied" else W[k]
            self.params[f"prior[{c}]"] = float(est.class_prior_[k])
            self.stderr_[f"prior[{c}]"] = 0.0 if fixed_priors else float(np.sqrt(est.class_prior_[k] * (1 - est.class_prior_[k]) / total))
            for j, f in enumerate(names):
                self.params[f"mean[{c}][{f}]"] = float(est.means_[k, j])
                self.stderr_[f"mean[{c}][{f}]"] = float(np.sqrt(S[j, j] / W[k]))
            if est.covariance_type == "tied" and k > 0:
                continue
            owner = "tied" if est.covariance_type == "tied" else c
            for i in range(len(names)):
                for j in range(i, len(names)):
                    if est.covariance_type in ("diag", "spherical") and i != j:
                        continue
                    if est.covariance_type == "spherical" and i > 0:
                        continue
                    key = f"cov[{owner}][{names[i]},{names[j]}]"
                    self.params[key] = float(S[i, j])
                    se = np.sqrt((S[i, i] * S[j, j] + S[i, j] ** 2) / n_eff)
                    if est.covariance_type == "spherical":
                        se = np.sqrt(2.0 / len(names)) * S[0, 0] / np.sqrt(n_eff)  # σ² from d·Wₖ squared deviations
                    self.params[key], self.stderr_[key] = float(S[i, j]), float(se)
        self.n = int(total)

    @property
    def stderr(self) -> dict:
        return dict(self.stderr_)

    def conf_int(self, level: float = 0.95) -> dict:
        z = wald_z(level)
        return {k: (v - z * self.stderr_[k], v + z * self.stderr_[k]) for k, v in self.params.items()}

    def summary(self) -> str:
        lines = [f"GaussianClassifier(covariance_type={self.covariance_type!r}), classes {self.classes}, total weight {self.n}", ""]
        head = f"{'parameter':<40}{'estimate':>14}{'std err':>12}"
        lines += [head, "-" * len(head)]
        lines += [f"{k:<40}{v:>14.6g}{self.stderr_[k]:>12.4g}" for k, v in self.params.items()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()
