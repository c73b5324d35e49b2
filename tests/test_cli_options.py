"""Every fitting option as a flag (issue #17, item 1): each flag reaches the fit, checked against
closed forms, scipy and the Python API called with the same arguments; every remedy the CLI
prints names a flag of the command that printed it."""

import json
import re
import warnings

import numpy as np
import pytest
from scipy import stats
from typer.main import get_command
from typer.testing import CliRunner

import maxlik
from maxlik import datasets
from maxlik.cli import FIT_METHODS, app, as_flags

runner = CliRunner()
FAITHFUL = str(datasets.path("faithful"))
ERUPTIONS = datasets.load("faithful").X[:, 0]
WAITING = datasets.load("faithful").X[:, 1]


def run(*args):
    return runner.invoke(app, list(args))


def run_json(*args):
    res = run(*args, "--format", "json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout), res.stderr


def flags(command: str) -> set[str]:
    """Every option string of ``maxlik <command>`` (hidden ones included)."""
    return {o for p in get_command(app).commands[command].params for o in (*p.opts, *p.secondary_opts)}


@pytest.fixture()
def counts(tmp_path):
    k = np.random.default_rng(0).binomial(10, 0.3, size=200)
    path = tmp_path / "counts.csv"
    path.write_text("k\n" + "\n".join(map(str, k)) + "\n")
    return str(path), k


# -- fit -------------------------------------------------------------------------------------------
def test_fixed_loc_gives_the_closed_form_scale():
    out, _ = run_json("fit", FAITHFUL, "-c", "waiting", "--fixed", "loc=0")
    assert out["params"]["loc"] == 0 and out["params"]["scale"] == pytest.approx(np.sqrt(np.mean(WAITING**2)))


def test_weights_column_gives_the_weighted_mean(tmp_path):
    x, w = np.array([1.0, 2.0, 4.0, 7.0]), np.array([1.0, 3.0, 0.5, 2.0])
    path = tmp_path / "w.csv"
    path.write_text("x,w\n" + "\n".join(f"{a},{b}" for a, b in zip(x, w)) + "\n")
    out, _ = run_json("fit", str(path), "-c", "x", "--weights", "w")
    mean = np.average(x, weights=w)
    assert out["params"]["loc"] == pytest.approx(mean)
    assert out["params"]["scale"] == pytest.approx(np.sqrt(np.average((x - mean) ** 2, weights=w)))


def test_max_iter_1_reports_non_convergence_with_flags():
    out, err = run_json("fit", FAITHFUL, "-c", "waiting", "-f", "weibull", "--max-iter", "1")
    assert out["converged"] is False and "max_iter=1" in out["message"]
    assert "warning:" in err and "did not converge" in err and "--max-iter" in err and "--n-init 2 or more" in err


def test_method_tol_and_init_reach_the_fit():
    start = {"concentration": 2.0, "rate": 1.0}
    out, _ = run_json("fit", FAITHFUL, "-c", "eruptions", "-f", "gamma", "--method", "gradient_descent", "--max-iter", "3",
                      "--tol", "1e-3", "--init", "concentration=2", "--init", "rate=1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        api = maxlik.fit(ERUPTIONS, "gamma", method="gradient_descent", max_iter=3, tol=1e-3, init=start)
        other = maxlik.fit(ERUPTIONS, "gamma", method="gradient_descent", max_iter=3, tol=1e-3)
    assert out["params"] == pytest.approx(api.params) and out["params"] != pytest.approx(other.params)
    assert "gradient_descent" in out["message"]


def test_n_init_and_seed_match_the_api_and_n_starts_is_a_deprecated_alias():
    out, _ = run_json("fit", FAITHFUL, "-c", "waiting", "-f", "weibull", "--n-init", "3", "--seed", "1")
    api = maxlik.fit(WAITING, "weibull", n_init=3, seed=1)
    assert out["params"] == pytest.approx(api.params) and "best of 3 starts" in out["message"]
    old, err = run_json("fit", FAITHFUL, "-c", "waiting", "-f", "weibull", "--n-starts", "3", "--seed", "1")
    assert old["params"] == out["params"] and "--n-starts is deprecated; use --n-init" in err
    assert "--n-starts" not in run("fit", "--help").stdout  # hidden


def test_family_option_binomial_is_k_over_n_times_total_count(counts):
    path, k = counts
    out, _ = run_json("fit", path, "-c", "k", "--family", "binomial", "--family-option", "total_count=10")
    assert out["params"]["probs"] == pytest.approx(k.sum() / (k.size * 10))
    short, _ = run_json("fit", path, "-c", "k", "--family", "binomial", "--total-count", "10")
    assert short["params"] == out["params"]


def test_ci_profile_and_level_equal_conf_int():
    out, _ = run_json("fit", FAITHFUL, "-c", "eruptions", "-f", "gamma", "--ci", "profile", "--level", "0.9")
    r = maxlik.fit(ERUPTIONS, "gamma")
    ci = out["conf_int"]
    assert ci["level"] == 0.9 and ci["method"] == "profile"
    for k, (lo, hi) in r.conf_int(0.9, method="profile").items():
        assert ci["intervals"][k] == pytest.approx([lo, hi])


def test_level_gives_wald_intervals_at_that_level():
    out, _ = run_json("fit", FAITHFUL, "-c", "waiting", "--level", "0.9", "--ci", "wald-natural")
    z = stats.norm.ppf(0.95)  # independent of maxlik's quantile
    for k in ("loc", "scale"):
        est, se = out["params"][k], out["stderr"][k]
        assert out["conf_int"]["intervals"][k] == pytest.approx([est - z * se, est + z * se])
    out, _ = run_json("fit", FAITHFUL, "-c", "waiting", "--level", "0.9")  # the default: scale on the log scale
    est, se = out["params"]["loc"], out["stderr"]["loc"]
    assert out["conf_int"]["intervals"]["loc"] == pytest.approx([est - z * se, est + z * se])
    est, se = out["params"]["scale"], out["stderr"]["scale"]
    assert out["conf_int"]["intervals"]["scale"] == pytest.approx([est * np.exp(-z * se / est), est * np.exp(z * se / est)])
    table = run("fit", FAITHFUL, "-c", "waiting", "--level", "0.9").stdout
    assert "90% low" in table and "95%" not in table


def test_the_table_says_which_intervals_it_shows():
    def line(*args):
        text = " ".join(run("fit", FAITHFUL, "-c", "waiting", *args).stdout.split())
        return text[text.index("intervals:"):]

    assert line().startswith("intervals: Wald on the log scale of scale, mapped back (--ci wald-natural: estimate")
    assert line("--ci", "wald-natural").startswith("intervals: Wald, estimate ± q·std err")
    assert line("--ci", "profile").startswith("intervals: profile likelihood")


def test_method_list_is_the_librarys():
    from maxlik.optimize._engine import METHODS

    assert set(FIT_METHODS) == {"closed_form", *METHODS}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--method", "newtn"], "maxlik fit: --method must be one of auto, closed_form, newton"),
        (["--ci", "boot"], "maxlik fit: --ci must be one of wald, wald-natural, profile; got 'boot'."),
        (["--level", "95"], "maxlik fit: --level must be a confidence level in (0, 1); got 95.0."),
        (["--init", "shape"], "--init must look like name=value; got 'shape'."),
        (["--family-option", "total=3", "-f", "binomial"], "--family-option must name an option of Binomial (total_count); got 'total'."),
        (["--weights", "nope"], "column must be one of"),
        (["--max-iter", "0", "-f", "weibull"], "--max-iter must be"),
        (["--n-init", "2", "--n-starts", "2"], "pass --n-init only"),
        (["--tol", "-1", "-f", "weibull"], "--tol must be positive; got -1.0."),
        (["--n-init", "0", "-f", "weibull"], "--n-init must be an integer >= 1; got 0."),
    ],
)
def test_bad_values_are_one_line_errors(args, message):
    res = run("fit", FAITHFUL, "-c", "waiting", *args)
    assert res.exit_code == 1 and res.stderr.startswith("error: ") and "Traceback" not in res.output
    assert message in " ".join(res.stderr.split()), res.stderr


def test_compare_passes_options_weights_and_family_options(counts):
    path, k = counts
    out, _ = run_json("compare", path, "-c", "k", "--families", "poisson,binomial", "--total-count", "10")
    rows = {r["family"]: r for r in out["rows"]}
    assert rows["Binomial(total_count=10)"]["params"]["probs"] == pytest.approx(k.mean() / 10)
    out, _ = run_json("compare", FAITHFUL, "-c", "waiting", "--families", "normal,laplace", "--fixed", "loc=70")
    rows = {r["family"]: r["params"] for r in out["rows"]}
    assert rows["normal"]["scale"] == pytest.approx(np.sqrt(np.mean((WAITING - 70) ** 2)))
    assert rows["laplace"]["scale"] == pytest.approx(np.mean(np.abs(WAITING - 70)))


def coefficients(out: dict) -> list[float]:
    """The coefficients of ``regress --format json``, in the order intercept, features."""
    return [v for k, v in out["params"].items() if k != "sigma"]


# -- regress ---------------------------------------------------------------------------------------
def test_regress_predict_weights_and_sigma(tmp_path):
    new = tmp_path / "new.csv"
    new.write_text("eruptions\n1.5\n3.0\n4.5\n")
    res = run("regress", FAITHFUL, "-y", "waiting", "--predict", str(new))
    assert res.exit_code == 0, res.output
    lines = res.stdout.split()
    slope, intercept = np.polyfit(ERUPTIONS, WAITING, 1)
    assert lines[0] == "predicted"
    assert [float(v) for v in lines[1:]] == pytest.approx(intercept + slope * np.array([1.5, 3.0, 4.5]))
    model = maxlik.LinearRegression().fit(ERUPTIONS[:, None], WAITING)
    assert [float(v) for v in lines[1:]] == pytest.approx(model.predict(np.array([[1.5], [3.0], [4.5]])))

    w = np.arange(1, 273) % 4 + 0.5
    data = tmp_path / "w.csv"
    data.write_text("x,y,w\n" + "\n".join(f"{a},{b},{c}" for a, b, c in zip(ERUPTIONS, WAITING, w)) + "\n")
    out, _ = run_json("regress", str(data), "-y", "y", "--weights", "w", "--sigma", "unbiased")
    A = np.column_stack([np.ones(272), ERUPTIONS]) * np.sqrt(w)[:, None]
    beta, rss, *_ = np.linalg.lstsq(A, WAITING * np.sqrt(w), rcond=None)
    assert out["features"] == ["x"]
    assert coefficients(out)[:2] == pytest.approx(beta)
    cov = rss[0] / (w.sum() - 2) * np.linalg.inv(A.T @ A)  # sigma="unbiased": RSS / (Σw − p)
    assert list(out["stderr"].values()) == pytest.approx(np.sqrt(np.diag(cov)))


def test_regress_penalty_c_and_no_intercept_match_the_api(tmp_path):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(80, 2))
    y = (X[:, 0] - X[:, 1] + rng.normal(size=80) > 0).astype(int)
    path = tmp_path / "b.csv"
    path.write_text("a,b,y\n" + "\n".join(f"{r[0]},{r[1]},{t}" for r, t in zip(X, y)) + "\n")
    out, _ = run_json("regress", str(path), "-y", "y", "-f", "bernoulli", "--penalty", "l2", "--C", "0.5", "--no-intercept")
    api = maxlik.LogisticRegression(penalty="l2", C=0.5, fit_intercept=False).fit(X, y)
    assert "intercept" not in out["params"] and coefficients(out) == pytest.approx(api.coef_[0])
    res = run("regress", str(path), "-y", "y", "-f", "bernoulli", "--predict", str(path))
    full = maxlik.LogisticRegression().fit(X, y)
    rows = [line.split(",") for line in res.stdout.split()]
    assert rows[0] == ["predicted", "p_0", "p_1"]
    assert [int(r[0]) for r in rows[1:]] == full.predict(X).tolist()
    assert np.array([[float(v) for v in r[1:]] for r in rows[1:]]) == pytest.approx(full.predict_proba(X), abs=1e-6)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--penalty", "l2"], "maxlik regress: --penalty applies to --family bernoulli or categorical; got --family gaussian."),
        (["--penalty", "l1", "-f", "poisson"], "maxlik regress: --penalty must be one of none, l2; got 'l1'."),
        (["--sigma", "n-1"], "LinearRegression: --sigma must be one of ['mle', 'unbiased']; got 'n-1'."),
        (["--max-iter", "5"], "maxlik regress: --max-iter applies to --family bernoulli or poisson or categorical"),
        (["--weights", "nope"], "column must be one of"),
    ],
)
def test_regress_bad_options_are_one_line_errors(args, message):
    res = run("regress", FAITHFUL, "-y", "waiting", *args)
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert message in " ".join(res.stderr.split()), res.stderr


# -- mixture and classify --------------------------------------------------------------------------
def test_mixture_em_options_equal_the_api(tmp_path):
    out, _ = run_json("mixture", FAITHFUL, "-k", "2", "--n-init", "3", "--seed", "0", "--reg-covar", "1e-4",
                      "--init-params", "random", "--tol", "1e-6", "--max-iter", "300")
    X = datasets.load("faithful").X
    gm = maxlik.GaussianMixture(2, n_init=3, random_state=0, reg_covar=1e-4, init_params="random", tol=1e-6, max_iter=300).fit(X)
    assert out["loglik"] == pytest.approx(gm.result_.loglik, rel=1e-10)
    res = run("mixture", FAITHFUL, "-k", "2", "--n-init", "3", "--predict", FAITHFUL)
    rows = [line.split(",") for line in res.stdout.split()]
    gm3 = maxlik.GaussianMixture(2, n_init=3, random_state=0).fit(X)
    assert rows[0] == ["component", "p_0", "p_1"] and [int(r[0]) for r in rows[1:]] == gm3.predict(X).tolist()


def test_classify_reg_covar_priors_and_weights_reach_the_model(tmp_path):
    out, _ = run_json("classify", str(datasets.path("iris")), "-l", "Species", "--reg-covar", "0.5")
    iris = datasets.load("iris")
    api = maxlik.GaussianClassifier(reg_covar=0.5).fit(iris.X, iris.y)
    assert out["loglik"] == pytest.approx(api.result_.loglik)
    x = np.array([0.0, 1.0, 2.0, 10.0, 12.0, 11.0])
    path = tmp_path / "c.csv"
    path.write_text("x,w,y\n" + "\n".join(f"{a},{b},{c}" for a, b, c in zip(x, [1, 1, 2, 1, 3, 1], "aaabbb")) + "\n")
    new = tmp_path / "new.csv"
    new.write_text("x\n6.0\n")
    res = run("classify", str(path), "-l", "y", "--weights", "w", "--priors", "0.9,0.1", "--predict", str(new))
    assert res.exit_code == 0, res.output
    # the weighted class Gaussians (MLE divides by the class weight) and the given priors, by Bayes' rule
    wa, wb = np.array([1, 1, 2.0]), np.array([1, 3, 1.0])
    dens = [stats.norm(m := np.average(v, weights=ww), np.sqrt(np.average((v - m) ** 2, weights=ww))).pdf(6.0)
            for v, ww in ((x[:3], wa), (x[3:], wb))]
    post = np.array([0.9, 0.1]) * dens / np.dot([0.9, 0.1], dens)
    assert [float(v) for v in res.stdout.split()[1].split(",")[1:]] == pytest.approx(post, rel=1e-5)


# -- remedies name the CLI's flags -------------------------------------------------------------------
# (an option name after --family-option is the CLI's spelling: --family-option reg_covar=1e-6)
PYTHON_SPELLINGS = re.compile(r"(?<!--family-option )\b(n_init|n_components|max_iter|init_params|reg_covar|random_state|"
                              r"fit_intercept|covariance_type)\b|init=|fixed=|method='|penalty='|sigma='|maxlik\.\w+\(|"
                              r"maxlik\.family_names|numpy\.|np\.|[A-Z]\w+Regression for|got None|min\(x\)|"
                              r"fix covariance_matrix|--\w+=\"")


def _separable(tmp_path):
    path = tmp_path / "sep.csv"
    path.write_text("x,y\n" + "\n".join(f"{v},{int(v > 0)}" for v in np.linspace(-2, 2, 20)) + "\n")
    return str(path)


_U = np.random.default_rng(3).normal(size=30)
FILES = {  # small tables the remedy runs read (name in REMEDY_RUNS -> CSV text)
    "CONSTANT": "x\n2.0\n2.0\n2.0\n",
    "ANGLES": "x\n0.1\n4.0\n-1.0\n",
    "ZEROS": "x\n0\n0\n0\n",
    "PAIR": "x,y\n1,2\n3,5\n",  # 2 rows in 2 dimensions: a singular covariance
    "CONSTANT_COLUMN": "x,y\n2,1\n2,3\n2,4\n",
    "COLLINEAR": "u,v,l\n" + "\n".join(f"{a},{2 * a},{'ab'[i % 2]}" for i, a in enumerate(_U)) + "\n",
    "THREE_CLASSES": "x,y\n" + "\n".join(f"{a},{'abc'[i % 3]}" for i, a in enumerate(_U)) + "\n",
    "ONE": "x,y\n2,1\n",
    "TWO": "x,y\n1,2\n3,5\n",
    "UNWEIGHTED_CLASS": "x,w,l\n1,1,a\n2,1,a\n3,0,b\n4,0,b\n",
}


REMEDY_RUNS = [  # (command, extra args): each prints a remedy (a warning or an error)
    ("fit", [FAITHFUL, "-c", "waiting", "-f", "weibull", "--max-iter", "1"]),
    ("fit", [FAITHFUL, "-c", "eruptions", "-f", "gamma", "--init", "concentration=-1"]),
    ("fit", [FAITHFUL, "-c", "waiting", "-f", "weibull", "--method", "closed_form"]),
    ("fit", [FAITHFUL, "-f", "mvnormal", "--ci", "profile"]),
    ("fit", [FAITHFUL, "-c", "waiting", "-f", "binomial"]),  # "--total-count must be ...; got none"
    ("mixture", [FAITHFUL, "-k", "3", "--max-iter", "1"]),
    ("regress", [FAITHFUL, "-y", "waiting", "-f", "poisson", "--max-iter", "1"]),
    ("regress", ["SEPARABLE", "-y", "y", "-f", "bernoulli"]),
    ("fit", ["CONSTANT", "-c", "x", "-f", "normal"]),  # zero variance: "Fix scale with --fixed scale=..."
    ("fit", [FAITHFUL, "-c", "waiting", "-f", "weibul"]),  # unknown family: "Run `maxlik families`"
    # found by running every command on wrong inputs (issue #17, item 3):
    ("fit", ["CONSTANT", "-c", "x", "-f", "uniform"]),  # was fixed={...}
    ("fit", ["ZEROS", "-c", "x", "-f", "negative_binomial"]),  # was fixed={...}
    ("fit", [FAITHFUL, "-c", "waiting", "-f", "pareto", "--fixed", "scale=100"]),  # was min(x)
    ("fit", ["PAIR", "-c", "x", "-c", "y", "-f", "mvnormal"]),  # reg_covar, covariance_type: family options
    ("fit", ["CONSTANT_COLUMN", "-c", "x", "-c", "y", "-f", "mvnormal"]),
    ("fit", [FAITHFUL, "-f", "mvnormal", "--family-option", "reg_covar=-1"]),
    ("fit", [FAITHFUL, "-c", "waiting", "-f", "categorical", "--family-option", "num_categories=0"]),  # maxlik.Categorical(
    ("compare", [FAITHFUL, "-c", "waiting", "--families", "normal,binomial"]),
    ("classify", ["COLLINEAR", "-l", "l"]),  # --reg-covar, --covariance diag; no covariance_matrix to fix
    ("mixture", [FAITHFUL, "-k", "0"]),  # n_components
    ("mixture", [FAITHFUL, "--select", "3..1"]),  # an empty range
    ("mixture", ["COLLINEAR", "-c", "u", "-c", "v", "-k", "2", "--reg-covar", "0"]),  # singular start
    ("mixture", ["COLLINEAR", "-c", "u", "-c", "v", "--select", "1..2", "--reg-covar", "0"]),  # every configuration fails
    ("mixture", ["PAIR", "-c", "x", "-c", "y", "-k", "2"]),  # no standard errors: other starts, fewer components
    ("regress", ["THREE_CLASSES", "-y", "y", "-f", "bernoulli"]),  # was SoftmaxRegression
    ("regress", ["SEPARABLE", "-y", "y", "-f", "categorical"]),  # penalty='l2'
    ("regress", ["ONE", "-y", "y", "-c", "x"]),  # fit_intercept=False
    ("regress", ["TWO", "-y", "y", "-c", "x", "--sigma", "unbiased"]),  # sigma='mle'
    ("fit", [FAITHFUL, "-c", "waiting", "-f", "gamma", "--fixed", "concentration=[1,2]"]),  # was a NumPy TypeError
    ("fit", [FAITHFUL, "-c", "waiting", "--init", "loc=[1,2]", "--method", "newton"]),  # was a JAX broadcast error
    ("classify", ["UNWEIGHTED_CLASS", "-l", "l", "-c", "x", "--weights", "w"]),  # a class without positive weight: was partial_fit
    ("mixture", [FAITHFUL, "--select", "1..2", "--covariance", "full,nope"]),  # was covariance_types
]


def _files(args, tmp_path):
    """``args`` with each FILES name (and SEPARABLE) as the path of that table, written in tmp_path."""
    for name, text in FILES.items():
        (tmp_path / f"{name.lower()}.csv").write_text(text)
    return [_separable(tmp_path) if a == "SEPARABLE" else str(tmp_path / f"{a.lower()}.csv") if a in FILES else a for a in args]


def test_a_remedy_on_the_data_itself_speaks_of_the_file(tmp_path):
    """Angles outside [-pi, pi]: no flag can fix them, and the remedy is no NumPy call either."""
    res = run("fit", *_files(["ANGLES", "-c", "x", "-f", "von_mises"], tmp_path))
    said = " ".join(res.stderr.split())
    assert res.exit_code == 1 and not PYTHON_SPELLINGS.search(said), said
    assert "(first at line 3 of" in said and "convert degrees to radians in the file first." in said


@pytest.mark.parametrize(("command", "args"), REMEDY_RUNS)
def test_every_printed_remedy_names_a_flag_of_its_command(command, args, tmp_path):
    res = run(command, *_files(args, tmp_path))
    said = " ".join(res.stderr.split())
    assert ("warning:" in said or "error:" in said) and "Traceback" not in res.output, res.output
    assert not PYTHON_SPELLINGS.search(said), said
    assert as_flags(said) == said  # flags are never translated twice (no "----tol")
    named = set(re.findall(r"--[a-z][a-z-]*", said))
    assert (named or "`maxlik families`" in said) and named <= flags(command), (named - flags(command), said)


def test_start_remedies_of_the_engine_become_flags():
    """The engine's other remedy (a start where the log-density is not finite), through as_flags."""
    from maxlik.errors import ParameterError
    from maxlik.families import get_family
    from maxlik.optimize._engine import check_finite_start

    with pytest.raises(ParameterError) as e:
        check_finite_start(get_family("uniform"), {"low": 0.0, "high": 1.0}, np.array([5.0]), None, "fit")
    said = as_flags(str(e.value))
    assert not PYTHON_SPELLINGS.search(said) and "--init name=value" in said
    assert set(re.findall(r"--[a-z][a-z-]*", said)) <= flags("fit")


def test_install_completion_is_offered():
    assert "--install-completion" in run("--help").stdout


# -- --level on the model commands -------------------------------------------------------------------
@pytest.mark.parametrize("command", ["classify", "mixture", "regress"])
def test_level_sets_the_model_commands_intervals(command, tmp_path):
    import json

    from maxlik import GaussianClassifier, GaussianMixture, LinearRegression

    rng = np.random.default_rng(4)
    x1, x2 = rng.normal(size=60), rng.normal(size=60)
    y = (x1 + rng.normal(size=60) > 0).astype(int)
    path = tmp_path / "d.csv"
    path.write_text("x1,x2,y\n" + "\n".join(f"{a},{b},{c}" for a, b, c in zip(x1, x2, y)) + "\n")
    X = np.column_stack([x1, x2])
    if command == "classify":
        args, ref = ["-l", "y", "-c", "x1", "-c", "x2"], GaussianClassifier().fit(X, y, feature_names=["x1", "x2"])
    elif command == "mixture":
        args, ref = ["-c", "x1", "-c", "x2", "-k", "2"], GaussianMixture(2, random_state=0).fit(X, feature_names=["x1", "x2"])
    else:
        args, ref = ["-y", "y", "-c", "x1", "-c", "x2"], LinearRegression().fit(X, y.astype(float), feature_names=["x1", "x2"])
    res = run(command, str(path), *args, "--level", "0.9", "--format", "json")
    assert res.exit_code == 0, res.output
    got = json.loads(res.stdout)["conf_int"]
    assert got["level"] == 0.9 and got["method"] == "wald"
    want = {r.label: (r.low, r.high) for r in ref.result_.rows(0.9) if r.stderr is not None}
    assert set(got["intervals"]) == set(want)
    for k, (lo, hi) in want.items():
        assert got["intervals"][k] == pytest.approx([lo, hi], rel=1e-6, abs=1e-9), k
    bad = run(command, str(path), *args, "--level", "1.5")
    assert bad.exit_code != 0 and f"maxlik {command}: --level must be a confidence level in (0, 1); got 1.5" in bad.stderr


@pytest.mark.parametrize(("command", "args", "printed", "remedy"), [
    ("fit", ["PAIR", "-c", "x", "-c", "y", "-f", "mvnormal"], "--family-option reg_covar=1e-6", ["--family-option", "reg_covar=1e-6"]),
    ("fit", ["PAIR", "-c", "x", "-c", "y", "-f", "mvnormal"], "--family-option covariance_type=diag",
     ["--family-option", "covariance_type=diag"]),
    ("fit", ["PAIR", "-c", "x", "-c", "y", "-f", "mvnormal"], "--fixed covariance_matrix=[[...]]",
     ["--fixed", "covariance_matrix=[[1,0],[0,1]]"]),
    ("classify", ["COLLINEAR", "-l", "l"], "Pass --reg-covar 1e-6", ["--reg-covar", "1e-6"]),
    ("classify", ["COLLINEAR", "-l", "l"], "use --covariance diag", ["--covariance", "diag"]),
    ("fit", ["CONSTANT", "-c", "x", "-f", "uniform"], "--fixed low=...", ["--fixed", "low=0"]),
    ("regress", ["THREE_CLASSES", "-y", "y", "-f", "bernoulli"], "use --family categorical", ["--family", "categorical"]),
    ("regress", ["ONE", "-y", "y", "-c", "x"], "use --no-intercept", ["--no-intercept"]),
])
def test_following_a_printed_remedy_works(command, args, printed, remedy, tmp_path):
    """The remedy as printed, its flags added to the failing command, makes it succeed."""
    args = _files(args, tmp_path)
    failed = run(command, *args)
    assert failed.exit_code == 1 and printed in " ".join(failed.stderr.split()), failed.stderr
    fixed = run(command, *args, *remedy)
    assert fixed.exit_code == 0, fixed.output


def test_select_table_speaks_in_flags(tmp_path):
    """mixture --select: a skipped configuration's reason and the best choice, as flags that refit it."""
    path = _files(["PAIR"], tmp_path)[0]
    res = run("mixture", path, "-c", "x", "-c", "y", "--select", "1..3", "--covariance", "diag")
    said = " ".join(res.stdout.split())
    rows = said.split("--- ")[-1]  # below the header (the library's column names)
    assert res.exit_code == 0 and not PYTHON_SPELLINGS.search(rows), said
    assert "skipped: K > the number of rows (2)" in said
    best = maxlik.select_mixture(np.array([[1.0, 2.0], [3.0, 5.0]]), n_components=range(1, 4), covariance_types="diag").best_config
    assert f"best by BIC: --covariance {best[0]} --components {best[1]}" in said
    again = run("mixture", path, "-c", "x", "-c", "y", "--covariance", best[0], "--components", str(best[1]))
    assert again.exit_code == 0, again.output
    res = run("mixture", path, "-c", "x", "-c", "y", "--select", "1..3", "--covariance", "diag", "--format", "json")
    assert [r["status"] for r in json.loads(res.stdout)["table"]][-1] == "skipped: K > the number of rows (2)"
