"""One vocabulary (issue #10): the names of 0.1 that the README or the CLI documented keep working
for one release with a DeprecationWarning; each is pinned here, with its replacement."""

from __future__ import annotations

import types

import numpy as np
import pytest
from typer.testing import CliRunner

import maxlik
from maxlik import datasets
from maxlik.cli import app
from maxlik.errors import DegenerateFitError, ParameterError, UnknownFamilyError

X = np.random.default_rng(3).normal(2.0, 1.5, size=200)


# -- maxlik.families is the subpackage; the function is maxlik.family_names ---------------------


def test_families_is_the_subpackage():
    assert isinstance(maxlik.families, types.ModuleType)
    assert maxlik.families.__name__ == "maxlik.families"
    assert maxlik.families.Normal is maxlik.Normal
    import maxlik.families as fams  # the import statement and the attribute agree

    assert fams is maxlik.families


def test_family_names_maps_every_registered_name_to_its_class():
    table = maxlik.family_names()
    assert list(table) == maxlik.names() == sorted(table)
    assert table["normal"] is maxlik.Normal and table["mvnormal"] is maxlik.MultivariateNormal
    assert all(issubclass(cls, maxlik.Family) and cls.name == name for name, cls in table.items())


def test_calling_families_is_deprecated_but_still_works():
    with pytest.warns(DeprecationWarning, match=r"maxlik\.families\(\) is deprecated and will be removed in 0\.2: "
                                                r"maxlik\.families is the subpackage; call maxlik\.family_names\(\)"):
        table = maxlik.families()
    assert table == maxlik.family_names()


# -- get_family's errors name the function the user called --------------------------------------


@pytest.mark.parametrize(
    "call, owner",
    [
        (lambda spec: maxlik.fit(X, spec), "fit"),
        (lambda spec: maxlik.fit_stats(maxlik.Normal().suffstats(X), spec), "fit_stats"),
        (lambda spec: maxlik.compare(X, ["normal", spec]), "compare"),
        (lambda spec: maxlik.get_family(spec), "get_family"),
    ],
)
def test_unknown_family_error_names_the_caller(call, owner):
    with pytest.raises(UnknownFamilyError, match=rf"^{owner}: family must be one of \[.*\]; got 'nromal'\. "
                                                 r"Did you mean 'normal'\? See maxlik\.family_names\(\)"):
        call("nromal")
    with pytest.raises(UnknownFamilyError, match=rf"^{owner}: family must be a name, a Family class or a Family "
                                                 r"instance; got int\."):
        call(3)


def test_fit_mixture_names_itself():
    with pytest.raises(UnknownFamilyError, match=r"^fit_mixture: family must be one of .*; got 'nromal'"):
        maxlik.fit_mixture(X, "nromal", 2, seed=0)


def test_get_family_options_error_names_the_caller():
    with pytest.raises(ParameterError, match=r"^fit_stats: options must be empty when a configured family is passed; "
                                             r"got \['covariance_type'\]"):
        maxlik.get_family(maxlik.Normal(), owner="fit_stats", covariance_type="diag")


def test_cli_names_its_command():
    res = CliRunner().invoke(app, ["fit", str(datasets.path("faithful")), "-c", "waiting", "-f", "nromal"])
    assert res.exit_code == 1
    assert "maxlik fit: family must be one of" in res.output and "Did you mean 'normal'?" in res.output


# -- random restarts: n_init (n_starts until 0.2) -------------------------------------------------

FAR = {"loc": 40.0, "scale": 0.1}


def test_n_init_is_the_name_of_restarts():
    r = maxlik.fit(X, "normal", method="newton", n_init=3, seed=1, init=FAR)
    assert r.converged and "best of 3 starts" in r.message
    assert r.params["loc"] == pytest.approx(X.mean(), rel=1e-9)


@pytest.mark.parametrize("entry", ["fit", "fit_loglik"])
def test_n_starts_is_deprecated_and_means_n_init(entry):
    def run(**kw):
        if entry == "fit":
            return maxlik.fit(X, "normal", method="newton", seed=1, init=FAR, **kw)
        lp = maxlik.Normal().log_prob
        return maxlik.fit_loglik(lp, X, {"loc": (40.0, "real"), "scale": (0.1, "positive")}, seed=1, **kw)

    owner = r"fit\(Normal\)" if entry == "fit" else "fit_loglik"
    with pytest.warns(DeprecationWarning, match=rf"^{owner}: `n_starts` is deprecated and will be removed in 0\.2; "
                                                r"pass `n_init` instead\."):
        old = run(n_starts=3)
    new = run(n_init=3)
    assert old.params == new.params and old.message == new.message
    with pytest.raises(ParameterError, match=rf"^{owner}: pass n_init only; got both n_init and n_starts"):
        run(n_init=2, n_starts=2)


# -- hooks are declared on Family -------------------------------------------------------------------


def test_check_estimable_is_a_declared_hook_with_a_permissive_default():
    assert maxlik.Normal().check_estimable(X) is None  # the default accepts any data
    assert type(maxlik.NegativeBinomial()).check_estimable is not maxlik.Family.check_estimable
    with pytest.raises(DegenerateFitError, match=r"NegativeBinomial: data must contain a positive count"):
        maxlik.fit(np.zeros(6), "negative_binomial")


@pytest.mark.parametrize("spelling, name", [
    ("norm", "normal"), ("expon", "exponential"), ("lognorm", "lognormal"), ("weibull_min", "weibull"),
    ("t", "student_t"), ("nbinom", "negative_binomial"), ("negbinomial", "negative_binomial"), ("geom", "geometric"),
    ("binom", "binomial"), ("vonmises", "von_mises"), ("gumbel_r", "gumbel"), ("Gaussian", "normal"),
])
def test_scipy_names_and_common_spellings_mean_the_family(spelling, name):
    assert maxlik.get_family(spelling, **({"total_count": 5} if name == "binomial" else {})).name == name


@pytest.mark.parametrize("typo, meant", [("gausian", "normal"), ("negbinomal", "negative_binomial"), ("gama", "gamma"),
                                         ("weibul", "weibull")])
def test_a_near_miss_of_an_alias_suggests_the_family_it_means(typo, meant):
    with pytest.raises(UnknownFamilyError, match=rf"got '{typo}'\. Did you mean '{meant}'\?"):
        maxlik.get_family(typo)
    result = CliRunner().invoke(app, ["fit", "-", "--family", typo], input="x\n1\n2\n3\n")
    assert result.exit_code == 1 and f"Did you mean '{meant}'?" in result.output
