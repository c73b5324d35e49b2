"""maxlik.save / maxlik.load (issue #16 item 3): every result and fitted estimator survives
save -> load (JSON and .npz), to_dict -> JSON -> from_dict, pickle and joblib with identical
predictions, log-likelihoods, estimates, standard errors and summaries; bad files get one pinned
ModelFileError each; loading executes no code."""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import re
import warnings
import zipfile

import joblib
import numpy as np
import pytest

import maxlik
from maxlik import models
from maxlik.errors import ModelFileError
from maxlik import persist
from maxlik.persist import FORMAT_VERSION, kinds
from maxlik.bootstrap_result import BootstrapResult
from maxlik.gof import GofResult
from maxlik.results import Result
from maxlik.simulation import SimulationResult
from maxlik.status import Status

RNG = np.random.default_rng(16)
X = RNG.normal(size=(80, 2))
Y2 = (X[:, 0] + RNG.normal(size=80) > 0).astype(int)
Y3 = np.digitize(X[:, 0] + RNG.normal(size=80), [-0.5, 0.5])
COUNTS = RNG.poisson(np.exp(0.3 * X[:, 0]))
POSITIVE = RNG.gamma(2.0, 1.5, 90)
T = np.linspace(0, 3, 30)
XM = np.vstack([X[:40] - 2.0, X[40:] + 2.0])  # two clusters
NEW = np.random.default_rng(7).normal(size=(25, 2))  # new rows to predict
NORMAL_X = np.random.default_rng(2).normal(size=300)  # no heavier tails than a Normal: Student's t runs to df = ∞
BETA22 = maxlik.prior("beta", concentration1=2.0, concentration0=2.0)


def _log_density(p, x):  # module level, so that pickle can find it
    return -0.5 * (x - p["m"]) ** 2 - 0.5 * np.log(2 * np.pi)


def _curve(p, t):
    from maxlik._xp import jnp

    return p[0] * jnp.exp(-p[1] * t)


def _build():
    import pandas as pd

    frame = pd.DataFrame(X, columns=["height", "width"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gamma = maxlik.fit(POSITIVE, "gamma")
        objs = {
            "fit_gamma": maxlik.fit(POSITIVE, "gamma"),
            "fit_fixed": maxlik.fit(POSITIVE, "normal", fixed={"loc": 3.0}),
            "fit_mvnormal": maxlik.fit(X, "mvnormal"),
            "fit_loglik": maxlik.fit_loglik(_log_density, POSITIVE, {"m": 1.0}),
            "fit_truncated": maxlik.fit(POSITIVE, "normal", truncation=(0, None)),
            "fit_censored": maxlik.fit(maxlik.Censored(POSITIVE, np.where(POSITIVE > 4, np.nan, POSITIVE)), "weibull"),
            "fit_threshold": maxlik.fit(POSITIVE + 5.0, "lognormal3"),
            "fit_map": maxlik.fit((POSITIVE > 3).astype(float), "bernoulli", prior={"probs": BETA22}),
            "fit_map_gamma": maxlik.fit(POSITIVE, "gamma", prior={"concentration": maxlik.prior("lognormal", loc=0.5, scale=1.0)}),
            "fit_limit": maxlik.fit(NORMAL_X, "student_t"),  # status BOUNDARY: df = ∞, r.limit the Normal
            "fit_interval_censored": maxlik.fit(maxlik.Censored(np.floor(POSITIVE), np.floor(POSITIVE) + 1), "gamma"),
            "fit_truncated_both": maxlik.fit(POSITIVE[(POSITIVE > 0.5) & (POSITIVE < 6)], "gamma", truncation=(0.5, 6)),
            "fit_weibull3": maxlik.fit(POSITIVE + 5.0, "weibull3"),
            "fit_rescaled": maxlik.fit(POSITIVE * 2.0**900, "gamma"),  # data near 1e271: a RescaledFitResult
            "fit_rescaled_limit": maxlik.fit(NORMAL_X * 2.0**-900, "student_t"),  # ... whose limit is mapped too
            "bootstrap": gamma.bootstrap(n_boot=40, seed=0, progress=False),
            "bootstrap_parametric": gamma.bootstrap(n_boot=40, kind="parametric", seed=1, progress=False),
            "bootstrap_truncated": maxlik.fit(POSITIVE, "normal", truncation=(0, None)).bootstrap(n_boot=8, seed=2, progress=False),
            "gof": gamma.gof(n_boot=30, seed=0),
            "gof_poisson": maxlik.fit(COUNTS, "poisson").gof(n_boot=30, seed=0),  # chi-square cells
            "simulation": maxlik.simulate("gamma", {"concentration": 2.0, "rate": 1.0}, n=(10, 30), n_rep=40, seed=0,
                                          functions={"mean": lambda p: p["concentration"] / p["rate"]}),
            "npmle": maxlik.npmle(maxlik.Censored(np.where(POSITIVE > 4, 4.0, np.floor(POSITIVE)),
                                                  np.where(POSITIVE > 4, np.nan, np.floor(POSITIVE) + 1))),
            "curve": maxlik.fit_curve(_curve, T, 2 * np.exp(-0.7 * T) + RNG.normal(0, 0.05, 30), [1.0, 1.0]),
            "mixture_fit": maxlik.fit_mixture(np.concatenate([RNG.poisson(2, 50), RNG.poisson(9, 50)]), "poisson", 2, seed=0),
            "lrt": maxlik.lrt(maxlik.fit(POSITIVE, "gamma", fixed={"concentration": 2.0}), maxlik.fit(POSITIVE, "gamma")),
            "compare": maxlik.compare(POSITIVE, ["normal", "gamma", "lognormal", "poisson"]),
            "select_mixture": maxlik.select_mixture(X, n_components=[1, 2], covariance_types=["full", "diag"]),
            "groups": maxlik.fit_groups(np.concatenate([POSITIVE, [2.0, 2.0, 2.0]]),  # group 7 cannot be fitted
                                        np.concatenate([np.arange(90) % 3, [7, 7, 7]]), "gamma"),
            "classifier": models.GaussianClassifier().fit(X, Y3),
            "classifier_str_tied": models.GaussianClassifier(covariance_type="tied").fit(frame, np.array(["a", "b", "c"])[Y3]),
            "classifier_priors": models.GaussianClassifier(covariance_type="diag", priors=[0.2, 0.3, 0.5]).fit(X, Y3),
            "mixture": models.GaussianMixture(2, random_state=0).fit(XM),
            "mixture_spherical": models.GaussianMixture(3, covariance_type="spherical", random_state=1).fit(frame),
            "mixture_vev": models.GaussianMixture(2, covariance_type="VEV", random_state=0).fit(XM),  # mclust's names
            "mixture_eev": models.GaussianMixture(2, covariance_type="EEV", random_state=0).fit(frame),
            "classifier_vev": models.GaussianClassifier(covariance_type="VEV").fit(X, Y3),
            "classifier_evi": models.GaussianClassifier(covariance_type="EVI").fit(frame, Y3),
            "linear": models.LinearRegression(sigma="unbiased").fit(X, 2 * X[:, 0] + RNG.normal(size=80)),
            "logistic": models.LogisticRegression().fit(X, Y2),
            "logistic_l2": models.LogisticRegression(penalty="l2", C=0.5).fit(frame, np.array(["no", "yes"])[Y2]),
            "poisson": models.PoissonRegression().fit(X, COUNTS),
            "softmax": models.SoftmaxRegression().fit(X, Y3),
        }
        for est in ("classifier", "mixture", "logistic"):  # the estimators' results, saved on their own
            objs[f"{est}_result"] = objs[est].result_
        return objs


@pytest.fixture(scope="module")
def objects():
    return _build()


CASES = ["fit_gamma", "fit_fixed", "fit_mvnormal", "fit_loglik", "fit_truncated", "fit_censored", "fit_threshold",
         "fit_map", "fit_map_gamma", "fit_limit", "fit_interval_censored", "fit_truncated_both", "fit_weibull3", "fit_rescaled",
         "fit_rescaled_limit", "curve",
         "mixture_fit", "lrt", "compare", "select_mixture", "groups", "bootstrap", "bootstrap_parametric",
         "bootstrap_truncated", "gof", "gof_poisson", "simulation", "npmle", "classifier", "classifier_str_tied",
         "classifier_priors", "classifier_vev", "classifier_evi", "mixture", "mixture_spherical", "mixture_vev",
         "mixture_eev", "linear", "logistic", "logistic_l2", "poisson", "softmax", "classifier_result", "mixture_result",
         "logistic_result"]
NOT_RESULTS = ("compare", "select_mixture", "groups", "lrt", "mixture_fit", "bootstrap", "bootstrap_parametric",
               "bootstrap_truncated", "gof", "gof_poisson", "simulation", "npmle")


def _same(a, b) -> bool:
    """Equal, arrays bit for bit (NaN equal to NaN), dicts and lists element by element."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, (np.ndarray, float, np.floating)) or isinstance(b, (np.ndarray, float)):
        a, b = np.asarray(a), np.asarray(b)
        if a.dtype.kind in "fc" or b.dtype.kind in "fc":
            return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
        return a.shape == b.shape and bool(np.all(a == b))
    return a == b


def _group_fit(fits, label) -> str:
    try:
        return fits[label].summary()
    except maxlik.MaxlikError as exc:
        return f"{type(exc).__name__}: {exc}"


def _or_error(value):
    """``value()``, or the message of the MaxlikError it raises (which must then be the same too)."""
    try:
        return value()
    except maxlik.MaxlikError as exc:
        return f"{type(exc).__name__}: {exc}"


def _fingerprint(obj) -> dict:
    """What a user reads off an object: summaries, estimates, standard errors, log-likelihoods,
    and for estimators (and fitted distributions) every prediction on new data."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = {"type": type(obj).__name__}
        if hasattr(obj, "summary"):
            out["summary"] = obj.summary()
        if isinstance(obj, Result):
            out.update(params=obj.params, stderr=obj.stderr, loglik=obj.loglik, aic=_or_error(lambda: obj.aic),
                       bic=_or_error(lambda: obj.bic), status=obj.status, html=obj._repr_html_(),
                       dict=json.dumps(obj.to_dict(), sort_keys=True))
        if hasattr(obj, "to_dict"):
            out["dict"] = json.dumps(obj.to_dict(), sort_keys=True)
        if isinstance(obj, maxlik.FitResult) and obj.family.name != "loglik":
            x = np.linspace(0.5, 8, 25)
            try:
                out["log_prob"] = obj.log_prob(np.column_stack([x, x]) if obj.family.event_ndim else x)
            except maxlik.SupportError:  # a discrete family
                x = np.arange(25.0) % (2 if obj.family.name == "bernoulli" else 25)
                out["log_prob"] = obj.log_prob(x)
            if not obj.family.event_ndim:
                out.update(cdf=_or_error(lambda: obj.cdf(x)), sf=_or_error(lambda: obj.sf(x)),
                           ppf=_or_error(lambda: obj.ppf(np.linspace(0.05, 0.95, 7))))
            out["limit"] = None if obj.limit is None else (obj.limit.to_dict(), obj.limit.at_edge)
        if isinstance(obj, BootstrapResult):
            out.update(replicates=obj.replicates, converged=obj.converged, stderr=obj.stderr,
                       **{m: _or_error(lambda: obj.conf_int(0.9, method=m)) for m in ("percentile", "basic", "bca")})
        if isinstance(obj, GofResult):
            out.update(null=obj.null, chisq=(obj.chisq_df, obj.chisq_pvalue, obj.chisq_table), family=repr(obj.family))
        if isinstance(obj, SimulationResult):
            out.update(table=obj.table, estimates=obj.estimates, sizes=obj.sizes, failures=obj.failures,
                       frame=obj.to_pandas().to_dict("list"))
        if isinstance(obj, maxlik.NPMLE):
            grid = np.linspace(-1, 12, 40)
            out.update(fields=[getattr(obj, k) for k in ("left", "right", "mass", "loglik", "n_iter", "converged", "gap")],
                       cdf_bounds=obj.cdf_bounds(grid), sf_bounds=obj.sf_bounds(grid))
        if isinstance(obj, models.MixtureFit):
            out.update(proba=obj.predict_proba(np.arange(15.0)), score=obj.score_samples(np.arange(15.0)))
        if hasattr(obj, "best"):  # MixtureSelection
            out["best"] = _fingerprint(obj.best)
        if hasattr(obj, "items"):  # GroupFits
            out["groups"] = [(g, _group_fit(obj, g)) for g in obj]
            out["records"] = obj.to_records()
        if hasattr(obj, "rows") and not isinstance(obj, Result):  # CompareTable
            out["results"] = [None if r.result is None else r.result.summary() for r in obj.rows]
        if hasattr(obj, "get_params"):
            out["params"] = obj.get_params()
            for method in ("predict", "predict_proba", "predict_log_proba", "score_samples", "decision_function"):
                if hasattr(obj, method):
                    out[method] = getattr(obj, method)(NEW)
            out["score"] = obj.score(NEW, obj.predict(NEW)) if hasattr(obj, "classes_") else None
            out["result"] = obj.result_.summary()
            out["result_dict"] = json.dumps(obj.result_.to_dict(), sort_keys=True)
        return out


@pytest.mark.parametrize("suffix", [".json", ".npz"])
@pytest.mark.parametrize("name", CASES)
def test_save_load_round_trip_is_identical(objects, name, suffix, tmp_path):
    obj = objects[name]
    path = maxlik.save(obj, tmp_path / f"model{suffix}")
    back = maxlik.load(path)
    assert type(back) is type(obj)
    a, b = _fingerprint(obj), _fingerprint(back)
    assert a.keys() == b.keys()
    for k in a:
        assert _same(a[k], b[k]), k


@pytest.mark.parametrize("name", CASES)
def test_every_object_survives_to_dict_json_from_dict(objects, name):
    obj = objects[name]
    back = persist.from_dict(json.loads(json.dumps(persist.to_dict(obj))))
    a, b = _fingerprint(obj), _fingerprint(back)
    assert type(back) is type(obj) and all(_same(a[k], b[k]) for k in a)


def test_from_dict_checks_the_document_as_load_does(objects):
    doc = json.loads(json.dumps(persist.to_dict(objects["poisson"])))
    doc["state"]["fitted"]["n_iter_"] += 1
    with pytest.raises(ModelFileError, match=r"^maxlik\.load: the document must be the file as it was saved; got one whose "
                       r"state does not match its checksum"):
        persist.from_dict(doc)
    with pytest.raises(ModelFileError, match=r'^maxlik\.load: the document must be a maxlik model file .*; got JSON without '
                       r'"format": "maxlik"\.'):
        persist.from_dict([1, 2])


def test_every_kind_is_covered(objects):
    covered = {type(objects[n]).__name__ for n in CASES}
    nested = {"MultivariateNormalStats"}  # inside a GaussianClassifier only
    assert covered | nested == set(kinds())


@pytest.mark.parametrize("name", [n for n in CASES if n not in NOT_RESULTS
                                  and not n.startswith(("classifier", "mixture", "linear", "logistic", "poisson", "softmax"))])
def test_results_survive_to_dict_json_from_dict(objects, name):
    r = objects[name]
    back = type(r).from_dict(json.loads(json.dumps(r.to_dict())))
    assert back.summary() == r.summary() and _same(back.params, r.params) and back.loglik == r.loglik


@pytest.mark.parametrize("name", ["classifier", "classifier_vev", "mixture", "mixture_vev", "linear", "logistic", "poisson",
                                  "softmax"])
def test_estimator_results_survive_to_dict_json_from_dict(objects, name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", maxlik.InferenceWarning)  # an mclust model without standard errors says so
        r = objects[name].result_
        back = Result.from_dict(json.loads(json.dumps(r.to_dict())))
        assert back.summary() == r.summary() and _same(back.stderr, r.stderr)


@pytest.mark.parametrize("name", CASES)
def test_pickle_and_joblib_still_work(objects, name, tmp_path):
    obj = objects[name]
    a = _fingerprint(obj)
    joblib.dump(obj, tmp_path / "m.joblib")
    for back in (pickle.loads(pickle.dumps(obj)), joblib.load(tmp_path / "m.joblib")):
        b = _fingerprint(back)
        assert all(_same(a[k], b[k]) for k in a)


def test_loaded_mixture_and_classifier_keep_working(objects, tmp_path):
    """A loaded GaussianClassifier keeps its statistics (partial_fit merges into them exactly, as
    on the original); a loaded GaussianMixture samples and refits."""
    clf = models.GaussianClassifier().fit(X[:40], Y3[:40])
    back = maxlik.load(maxlik.save(clf, tmp_path / "c.json"))
    for est in (clf, back):
        est.partial_fit(X[40:], Y3[40:])
    whole = models.GaussianClassifier().fit(X, Y3)
    np.testing.assert_allclose(back.covariances_, whole.covariances_, rtol=1e-12)
    assert np.array_equal(back.covariances_, clf.covariances_)
    gm = maxlik.load(maxlik.save(objects["mixture"], tmp_path / "g.npz"))
    assert gm.sample(5)[0].shape == (5, 2) and gm.fit(XM).converged_


def _doc(path):
    return json.loads(path.read_text())


def _rewrite(path, doc, fix_checksum=True):
    if fix_checksum:
        text = json.dumps({"meta": doc.get("meta"), "state": doc["state"]}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        doc["checksum"] = "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    path.write_text(json.dumps(doc))


@pytest.fixture
def saved(objects, tmp_path):
    return maxlik.save(objects["linear"], tmp_path / "linear.json")


def test_a_newer_format_version_is_refused(saved):
    doc = _doc(saved)
    doc["format_version"] = FORMAT_VERSION + 1
    _rewrite(saved, doc)
    with pytest.raises(ModelFileError, match=r"^maxlik\.load: linear\.json must have format version 1 or older to be read by "
                       r"this maxlik; got format version 2 \(written by maxlik 0\.1\.0\)\. Upgrade maxlik to load it\.$"):
        maxlik.load(saved)


def test_an_edited_file_is_refused_by_its_checksum(saved):
    doc = _doc(saved)
    doc["state"]["fitted"]["coef_"]["__array__"]["data"][0] += 1.0
    _rewrite(saved, doc, fix_checksum=False)
    with pytest.raises(ModelFileError, match=r"^maxlik\.load: linear\.json must be the file as it was saved; got one whose state "
                       r"does not match its checksum \(it was edited or damaged after saving\)\. Save the model again, or "
                       r"use the original file\.$"):
        maxlik.load(saved)


@pytest.mark.parametrize("edit, message", [
    (lambda s: s["fitted"].update(coef_="1.5"),
     r"state\.fitted\.coef_ must be an array for a LinearRegression; got str\."),
    (lambda s: s["fitted"].pop("coef_"), r"state\.fitted\.coef_ must be present\."),
    (lambda s: s["fitted"].update(__class__=1), r"state\.fitted\.__class__ must be a fitted attribute of LinearRegression \("),
    (lambda s: s["params"].update(verbose=True), r"state\.params\.verbose must be a hyper-parameter of LinearRegression\."),
    (lambda s: s["fitted"]["result_"]["__object__"].update(kind="builtins.eval"),
     r"a nested kind 'builtins\.eval' must be one of BootstrapResult, ClassifierResult, "),
    (lambda s: s["fitted"]["coef_"]["__array__"].update(dtype="object"),
     r"state\.fitted\.coef_ must be an array of dtype bool, .*; got 'object'\."),
    (lambda s: s["fitted"]["coef_"]["__array__"].update(shape=[3]),
     r"state\.fitted\.coef_ must be an array whose data has 3 values for shape \[3\]\."),
])
def test_an_ill_formed_state_is_refused_even_with_a_valid_checksum(saved, edit, message):
    doc = _doc(saved)
    edit(doc["state"])
    _rewrite(saved, doc)
    with pytest.raises(ModelFileError, match=r"^maxlik\.load: linear\.json is not a valid maxlik model file: " + message):
        maxlik.load(saved)


def test_an_unknown_kind_is_refused_without_importing_it(saved):
    doc = _doc(saved)
    doc["kind"] = "os.system"
    _rewrite(saved, doc)
    with pytest.raises(ModelFileError, match=r"^maxlik\.load: linear\.json's kind must be one of BootstrapResult, ClassifierResult, .*; got "
                       r"'os\.system'\. It was written by maxlik 0\.1\.0: load it with that version or a newer one\.$"):
        maxlik.load(saved)


def test_a_truncated_file_is_refused(saved, tmp_path):
    text = saved.read_text()
    saved.write_text(text[: len(text) // 2])
    with pytest.raises(ModelFileError, match=r"^maxlik\.load: linear\.json must be a complete maxlik model file; got one that is "
                       r"truncated or damaged \(the JSON stops or breaks at line \d+, column \d+: .*\)\. Save the model again, "
                       r"or copy the whole file\.$"):
        maxlik.load(saved)
    npz = maxlik.save(maxlik.load(maxlik.save(maxlik.fit(POSITIVE, "gamma"), tmp_path / "g.json")), tmp_path / "g.npz")
    npz.write_bytes(npz.read_bytes()[:-40])
    with pytest.raises(ModelFileError, match=r"^maxlik\.load: g\.npz must be a complete maxlik model file; got one that is truncated "
                       r"or damaged \(the archive cannot be read: .*\)\. Save the model again, or copy the whole file\.$"):
        maxlik.load(npz)


def test_other_files_are_refused(tmp_path):
    csv = tmp_path / "data.csv"
    csv.write_text("x,y\n1,2\n")
    other = tmp_path / "other.json"
    other.write_text('{"name": "not a model"}')
    empty = tmp_path / "empty.json"
    empty.write_text("")
    nan = tmp_path / "nan.json"
    nan.write_text('{"format": "maxlik", "x": NaN}')
    tail = r"\. Pass the \.json or \.npz file that was saved\.$"
    head = r"^maxlik\.load: {} must be a maxlik model file \(written by maxlik\.save or `maxlik \.\.\. --save`\); got "
    with pytest.raises(ModelFileError, match=head.format("data\\.csv") + r"a file that is not JSON \(it starts with 'x,y'\)" + tail):
        maxlik.load(csv)
    with pytest.raises(ModelFileError, match=head.format("other\\.json") + r'JSON without "format": "maxlik"' + tail):
        maxlik.load(other)
    with pytest.raises(ModelFileError, match=head.format("empty\\.json") + "an empty file" + tail):
        maxlik.load(empty)
    with pytest.raises(ModelFileError, match=r"^maxlik\.load: nan\.json must be a complete .*: NaN is not JSON"):
        maxlik.load(nan)
    with pytest.raises(maxlik.DataError, match=r"^read: file must exist; got '.*missing\.json', which was not found\."):
        maxlik.load(tmp_path / "missing.json")


def test_loading_never_unpickles(objects, tmp_path):
    """An .npz member holding a pickled object array is refused (np.load with allow_pickle=False)."""
    path = maxlik.save(objects["linear"], tmp_path / "m.npz")
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    members["a0.npy"] = buf.getvalue()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in members.items():
            z.writestr(n, data)
    with pytest.raises(ModelFileError, match=r"^maxlik\.load: m\.npz is not a valid LinearRegression file: its state could not "
                       r"be rebuilt \(Object arrays cannot be loaded when allow_pickle=False\)\.$"):
        maxlik.load(path)


def test_an_npz_member_that_differs_from_its_record_is_refused(objects, tmp_path):
    path = maxlik.save(objects["linear"], tmp_path / "m.npz")
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    doc = json.loads(members["maxlik.json"])
    name = doc["state"]["fitted"]["coef_"]["__array__"]["member"]
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.array([9.0, 9.0]))
    members[f"{name}.npy"] = buf.getvalue()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in members.items():
            z.writestr(n, data)
    with pytest.raises(ModelFileError, match=rf"^maxlik\.load: m\.npz is not a valid maxlik model file: state\.fitted\.coef_ must be "
                       rf"the array {name}\.npy as saved \(its dtype, shape or sha256 differ\)\.$"):
        maxlik.load(path)


def test_save_refuses_what_it_cannot_write_and_leaves_no_file(tmp_path):
    with pytest.raises(TypeError, match=r"^maxlik\.save: obj must be a maxlik result or fitted estimator \(.*\); got a dict\. "
                       r"Use pickle or joblib for other objects\.$"):
        maxlik.save({"a": 1}, tmp_path / "d.json")
    gm = models.GaussianMixture(2, random_state=np.random.RandomState(0)).fit(XM)
    with pytest.raises(TypeError, match=r"^maxlik\.save: state\.params\.random_state must be numbers, strings, arrays or a "
                       r"maxlik object; got a RandomState\. Save the maxlik result or estimator itself\.$"):
        maxlik.save(gm, tmp_path / "g.json")
    assert list(tmp_path.iterdir()) == []


def test_the_file_is_the_documented_document(objects, tmp_path):
    path = maxlik.save(objects["fit_gamma"], tmp_path / "g.json", meta={"columns": ["x"]})
    doc = _doc(path)
    assert list(doc) == ["format", "format_version", "maxlik_version", "kind", "arrays", "checksum", "meta", "state"]
    assert (doc["format"], doc["format_version"], doc["maxlik_version"], doc["kind"], doc["arrays"]) == (
        "maxlik", 1, maxlik.__version__, "FitResult", "inline")
    assert doc["state"]["params"] == {k: float(v) for k, v in objects["fit_gamma"].params.items()}
    obj, meta = maxlik.load(path, meta=True)
    assert meta == {"columns": ["x"]} and obj.loglik == objects["fit_gamma"].loglik
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", doc["checksum"])


def test_a_mixture_fitted_in_passes_over_a_file_saves_its_standard_errors(tmp_path):
    """The standard errors of a streamed fit need a pass over the source: done at save time, kept in the file."""
    from maxlik import datasets

    src = maxlik.scan(str(datasets.path("faithful")), columns=["eruptions", "waiting"])
    gm = models.GaussianMixture(2, random_state=0).fit(src)
    back = maxlik.load(maxlik.save(gm, tmp_path / "g.json"))
    X_ = datasets.load("faithful").X
    assert back.result_.summary() == gm.result_.summary()
    assert np.array_equal(back.predict_proba(X_), gm.predict_proba(X_))


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
                    reason="root reads every file")
def test_an_unreadable_file_is_named(saved):
    saved.chmod(0)
    with pytest.raises(ModelFileError, match=r"^maxlik\.load: linear\.json must be a readable file; got '.*linear\.json' "
                       r"\(permission denied\)\. Check its permissions\.$"):
        maxlik.load(saved)


def test_a_fit_at_its_limit_keeps_df_infinite(objects, tmp_path):
    """Student's t on Normal data ends at df = ∞ (status BOUNDARY) with the Normal as its limit:
    df is written as the tagged {"__float__": "inf"} (JSON has no Infinity), and the loaded fit is
    still the Normal MLE (scipy's density at the sample mean and standard deviation)."""
    from scipy import stats

    r, x = objects["fit_limit"], NORMAL_X
    assert r.status is Status.BOUNDARY and r.params["df"] == np.inf
    path = maxlik.save(r, tmp_path / "t.json")
    assert _doc(path)["state"]["params"]["df"] == {"__float__": "inf"} and "Infinity" not in path.read_text()
    plain = maxlik.FitResult.from_dict(json.loads(json.dumps(r.to_dict())))  # Python's json: Infinity
    mean, sd = x.mean(), x.std()
    for back in (maxlik.load(path), maxlik.load(maxlik.save(r, tmp_path / "t.npz")), plain):
        assert back.status is Status.BOUNDARY and back.params["df"] == np.inf and back.limit.family.name == "normal"
        np.testing.assert_allclose(back.log_prob(x[:9]), stats.norm.logpdf(x[:9], mean, sd), rtol=1e-12)
        np.testing.assert_allclose(back.cdf([-1.0, 0.3]), stats.norm.cdf([-1.0, 0.3], mean, sd), rtol=1e-12)
        assert back.summary() == r.summary() and back.limit.at_edge == r.limit.at_edge


def test_bca_intervals_and_their_error_survive(objects, monkeypatch, tmp_path):
    """A loaded nonparametric bootstrap gives the BCa interval of the original (the acceleration
    travels, not the data); where the acceleration cannot be had, the loaded one says why, as the
    original does; a parametric one refuses BCa as before."""
    from scipy.special import ndtr, ndtri

    b = maxlik.load(maxlik.save(objects["bootstrap"], tmp_path / "b.json"))
    gamma = maxlik.fit(POSITIVE, "gamma")
    loo = [maxlik.fit(np.delete(POSITIVE, i), "gamma").params["concentration"] for i in range(POSITIVE.size)]
    d = np.mean(loo) - np.asarray(loo)
    a = np.sum(d ** 3) / (6 * np.sum(d ** 2) ** 1.5)  # Efron's acceleration from the leave-one-out fits
    rep = b.replicates["concentration"][b.converged]
    z0 = ndtri(np.mean(rep < gamma.params["concentration"]))
    q = [ndtr(z0 + (z0 + z) / (1 - a * (z0 + z))) for z in ndtri([0.05, 0.95])]
    np.testing.assert_allclose(b.conf_int(0.9, method="bca")["concentration"], np.quantile(rep, q), rtol=1e-9)
    monkeypatch.setattr(maxlik.bootstrap, "MAX_JACKKNIFE_ROWS", 50)
    fresh = gamma.bootstrap(n_boot=10, seed=3, progress=False)
    why = (r"^BootstrapResult\.conf_int: method='bca' needs n leave-one-out refits; got n = 90 rows \(at most 50 here\)\. "
           r"Use method='percentile' or 'basic'\.$")
    for obj in (fresh, maxlik.load(maxlik.save(fresh, tmp_path / "f.npz")), pickle.loads(pickle.dumps(fresh))):
        with pytest.raises(maxlik.ParameterError, match=why):
            obj.conf_int(method="bca")
    with pytest.raises(maxlik.ParameterError, match=r"method='bca' needs a nonparametric bootstrap .*; got a parametric one"):
        maxlik.load(maxlik.save(objects["bootstrap_parametric"], tmp_path / "p.json")).conf_int(method="bca")


def test_a_simulation_keeps_the_values_of_its_derived_functions(objects, tmp_path):
    """functions= are user code: the loaded SimulationResult has their rows and estimates (the mean
    k/θ of each replicate, recomputed here from its estimates), never the functions."""
    s = maxlik.load(maxlik.save(objects["simulation"], tmp_path / "s.npz"))
    assert s.parameters == ["concentration", "rate", "mean"] and not hasattr(s, "functions")
    for n in (10, 30):
        est = s.estimates[n]
        np.testing.assert_array_equal(est["mean"], est["concentration"] / est["rate"])
        (row,) = [r for r in s.table if r["parameter"] == "mean" and r["n"] == n]
        assert row["true"] == 2.0 and row["mean"] == pytest.approx(np.mean(est["mean"]), rel=1e-12)


@pytest.mark.parametrize("name, edit, message", [
    ("bootstrap", lambda s: s["replicates"]["rate"]["__array__"].update(shape=[39], data=[1.0] * 39),
     r"state\.replicates\.rate must be an array of shape \(40, \.\.\.\) like its estimate\."),
    ("bootstrap", lambda s: s.update(kind="jackknife"), r"state\.kind must be 'nonparametric' or 'parametric'; got 'jackknife'\."),
    ("gof", lambda s: s["p_values"].update(ks="0.5"), r"state\.p_values\.ks must be a number; got str\."),
    ("simulation", lambda s: s["table"][0].pop("mse"), r"state\.table\[0\] must be an object with the fields parameter, n, "),
    ("simulation", lambda s: s.update(estimates=[[10]]), r"state\.estimates must be a list of \[sample size, value\] pairs\."),
    ("npmle", lambda s: s.update(mass={"__array__": {"dtype": "int64", "shape": [1], "data": [1]}}),
     r"state\.mass must be a float array \(m,\), as left and right"),
    ("gof", lambda s: s.update(family="os.system"), r"its state could not be rebuilt \(.*'os\.system'"),
])
def test_an_ill_formed_state_of_the_new_kinds_is_refused(objects, tmp_path, name, edit, message):
    path = maxlik.save(objects[name], tmp_path / "m.json")
    doc = _doc(path)
    edit(doc["state"])
    _rewrite(path, doc)
    with pytest.raises(ModelFileError, match=r"^maxlik\.load: m\.json is not a valid .*" + message):
        maxlik.load(path)


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_FAMILIES = {"normal": lambda r, n: r.normal(3, 2, n), "gamma": lambda r, n: r.gamma(2.0, 1.5, n),
             "poisson": lambda r, n: r.poisson(4.0, n), "weibull": lambda r, n: r.weibull(1.5, n) + 1e-3,
             "student_t": lambda r, n: r.standard_t(4, n)}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(family=st.sampled_from(sorted(_FAMILIES)), n=st.sampled_from([5, 60, 200]), seed=st.integers(0, 2**32 - 1),
       scale=st.sampled_from([1e-6, 1.0, 1e6]), npz=st.booleans())
def test_property_fits_survive_save_and_load(tmp_path, family, n, seed, scale, npz):
    """Any fit (closed form or Newton, any data scale) comes back with the same estimates,
    standard errors, log-likelihood, per-row log-density and summary, bit for bit."""
    x = _FAMILIES[family](np.random.default_rng(seed), n)
    x = x if family == "poisson" else x * scale
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            r = maxlik.fit(x, family)
        except maxlik.MaxlikError:  # a degenerate sample (e.g. all counts equal): nothing to save
            return
    back = maxlik.load(maxlik.save(r, tmp_path / ("r.npz" if npz else "r.json")))
    a, b = _fingerprint(r), _fingerprint(back)
    assert all(_same(a[k], b[k]) for k in a)
    assert np.array_equal(back.log_prob(x), r.log_prob(x), equal_nan=True)
