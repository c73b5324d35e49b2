"""`import maxlik` and `maxlik --help` stay light: heavy libraries load on first use (issue #11).

Checked in fresh subprocesses through ``sys.modules`` (never by timing)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import maxlik

HEAVY = ("jax", "sklearn", "matplotlib", "scipy.optimize", "pyarrow", "optimistix", "optax")


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint('loaded:', *(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1].split()[1:]


def test_import_maxlik_loads_no_heavy_library():
    assert _loaded_after("import maxlik") == []


def test_cli_help_loads_no_heavy_library():
    code = ("import sys\nfrom maxlik.cli import app\nsys.argv = ['maxlik', '--help']\n"
            "try:\n    app()\nexcept SystemExit:\n    pass")
    assert _loaded_after(code) == []


def test_public_names_resolve_on_first_use():
    for name in maxlik.__all__:
        assert getattr(maxlik, name) is not None
    assert callable(maxlik.fit) and maxlik.fit.__module__ == "maxlik.fitting"
    assert maxlik.families.__name__ == "maxlik.families"  # the subpackage, not a function
    with pytest.raises(AttributeError, match="module 'maxlik' has no attribute 'nope'"):
        maxlik.nope


def test_family_class_list_matches_the_registry():
    assert sorted(maxlik.FAMILY_CLASSES) == sorted(cls.__name__ for cls in maxlik.family_names().values())


def test_jax_is_float64_when_imported_after_maxlik():
    code = "import maxlik\nimport jax.numpy as jnp\nprint(jnp.ones(1).dtype)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "float64"


CLOSED_FORM_FITS = """
import numpy as np
import maxlik
rng = np.random.default_rng(0)
z = rng.normal(size=(300, 3))
positive = rng.lognormal(0.2, 0.6, 300)
w = rng.uniform(0.5, 2.0, 300)
cases = [
    (rng.normal(3, 2, 300), "normal", {}), (positive, "lognormal", {}), (positive, "exponential", {}),
    (rng.poisson(3.0, 300), "poisson", {}), (rng.random(300) < 0.3, "bernoulli", {}),
    (rng.binomial(5, 0.4, 300), maxlik.Binomial(total_count=5), {}), (rng.geometric(0.4, 300) - 1, "geometric", {}),
    (rng.choice(4, 300), "categorical", {}), (rng.laplace(1, 2, 300), "laplace", {}), (1 + positive, "pareto", {}),
    (rng.uniform(-1, 2, 300), "uniform", {}), (positive, "gamma", {}),
    (rng.normal(3, 2, 300), "normal", {"loc": 3.0}), (rng.normal(3, 2, 300), maxlik.Normal(ddof=1), {}),
    (positive, "gamma", {"rate": 1.0}), (np.ones(30), "bernoulli", {}), (rng.dirichlet([1, 2, 3], 300), "dirichlet", {}),
    *[(z, maxlik.MultivariateNormal(covariance_type=ct), {}) for ct in ("full", "diag", "spherical", "tied")],
]
for x, fam, fixed in cases:
    for weights in (None, w[: len(x)]):
        r = maxlik.fit(x, fam, weights=weights, fixed=fixed)
        r.stderr, r.cov, r.loglik, r.aic, r.bic, r.conf_int(), r.summary(), r.to_dict()
table = maxlik.compare(positive, ["normal", "lognormal", "gamma", "exponential"])
table.summary(), table.to_dict()
"""


def test_closed_form_fits_and_their_inference_load_no_jax():
    """Issue #11: a closed-form fit with its standard errors, intervals, criteria, summary and
    JSON — and ``compare`` over closed-form families — computes in NumPy alone."""
    code = f"import warnings\nwarnings.simplefilter('ignore')\n{CLOSED_FORM_FITS}"
    assert _loaded_after(code) == []


def test_profile_intervals_of_a_closed_form_fit_load_no_jax():
    code = ("import numpy as np, maxlik\nx = np.random.default_rng(1).gamma(2.0, 1.5, 200)\n"
            "for fam in ('normal', 'gamma', 'exponential'):\n    maxlik.fit(x, fam).conf_int(method='profile')")
    assert "jax" not in _loaded_after(code)  # (scipy.optimize's root finder is used)
