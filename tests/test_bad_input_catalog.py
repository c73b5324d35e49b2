"""The bad-input catalog (issue #16 item 2): one table of inputs as users really give them, the call,
the exception type and the message pinned, for the library and for every CLI command.

Each message pattern is the whole message, with ``…`` standing for text the test does not pin (a
long list, a temporary path). The README's "Errors" section is rendered from this table between its
``<!-- error-catalog -->`` markers; ``python tests/test_bad_input_catalog.py`` rewrites it, and
``test_readme_shows_the_catalog`` fails when the two differ.

CLI cases run the console entry point (``maxlik.cli.main``'s ``run``) in-process and check that the
answer is exactly one line on stderr, exit code 1 (2 for usage errors), and that no output file was
written. Timings are not tested (each answer takes well under 0.5 s; see the issue's note).
"""

from __future__ import annotations

import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

import maxlik
from maxlik import (Censored, GaussianClassifier, GaussianMixture, LinearRegression, LogisticRegression,
                    PoissonRegression, SoftmaxRegression)
from maxlik.errors import (DataError, DegenerateFitError, OutputPathError, ParameterError, SupportError,
                           UnknownFamilyError)

README = Path(__file__).resolve().parents[1] / "README.md"
IRIS = str(Path(__file__).resolve().parents[1].parent / "shared" / "data" / "iris.csv")
rng = np.random.default_rng(0)
X2 = rng.normal(size=(40, 2))
Y01 = np.arange(40) % 2


@dataclass(frozen=True)
class Case:
    call: str  # as the README shows it
    run: Callable[[], object]
    error: type
    message: str  # the whole message; "…" stands for any text


def _fitted_classifier():
    return GaussianClassifier().fit(X2, Y01)


LIBRARY = [
    # -- maxlik.fit: the data
    Case('fit([], "normal")', lambda: maxlik.fit([], "normal"), DataError,
         "Normal: data must contain at least one observation; got an empty array."),
    Case('fit([1.0, nan, 2.0], "normal")', lambda: maxlik.fit([1.0, np.nan, 2.0], "normal"), DataError,
         "Normal: data must be finite; got 1 NaN value(s) (first at row 1 (0-based)). Drop or impute them before fitting."),
    Case('fit([1.0, inf], "gamma")', lambda: maxlik.fit([1.0, np.inf], "gamma"), DataError,
         "Gamma: data must be finite; got 1 infinite value(s) (first at row 1 (0-based)). Drop or impute them before fitting."),
    Case('fit(np.ones((3, 2)), "normal")', lambda: maxlik.fit(np.ones((3, 2)), "normal"), DataError,
         "Normal: data must have shape (n,); got shape (3, 2). Pass a 1-D array of observations, or fit each column separately."),
    Case('fit(np.ones((2, 2, 2)), "normal")', lambda: maxlik.fit(np.ones((2, 2, 2)), "normal"), DataError,
         "Normal: data must have shape (n,); got shape (2, 2, 2). Pass a 1-D array of observations, or fit each column separately."),
    Case('fit(np.float64(1.0), "normal")', lambda: maxlik.fit(np.float64(1.0), "normal"), DataError,
         "Normal: data must have shape (n,); got shape (). Pass a 1-D array of observations, or fit each column separately."),
    Case('fit(["a", "b"], "normal")', lambda: maxlik.fit(["a", "b"], "normal"), DataError,
         "Normal: data must be numeric; got the text 'a' (first at row 0 (0-based)). Select numeric columns or convert them first."),
    Case('fit([[1, 2], [3]], "mvnormal")', lambda: maxlik.fit([[1, 2], [3]], "mvnormal"), DataError,
         "MultivariateNormal: data must be numeric; got list that cannot be converted to float64 (…). Select numeric columns or convert them first."),
    Case('fit(np.array([1 + 1j, 2]), "normal")', lambda: maxlik.fit(np.array([1 + 1j, 2]), "normal"), DataError,
         "Normal: data must be real numbers; got complex values (dtype complex128). Pass the real part (x.real) or the modulus (abs(x)), whichever the model is of."),
    Case('fit(np.array([1.0, None, 2.0], dtype=object), "normal")',
         lambda: maxlik.fit(np.array([1.0, None, 2.0], dtype=object), "normal"), DataError,
         "Normal: data must be finite; got 1 NaN value(s) (first at row 1 (0-based)). Drop or impute them before fitting."),
    Case('fit(np.ma.masked_array([1.0, 2.0, 3.0], [0, 1, 0]), "normal")',
         lambda: maxlik.fit(np.ma.masked_array([1.0, 2.0, 3.0], [0, 1, 0]), "normal"), DataError,
         "Normal: data must have no masked entries; got 1 masked (first at row 1 (0-based)). Pass x.compressed() to drop them, or x.filled(value) to fill them."),
    Case('fit(pd.Series([1.0, None, 3.0]), "normal")',
         lambda: maxlik.fit(__import__("pandas").Series([1.0, None, 3.0]), "normal"), DataError,
         "Normal: data must be finite; got 1 NaN value(s) (first at row 1 (0-based)). Drop or impute them before fitting."),
    Case('fit(np.array([2**60, 2**60 + 1]), "poisson")', lambda: maxlik.fit(np.array([2**60, 2**60 + 1]), "poisson"), DataError,
         "Poisson: data must be integers of magnitude at most 2**53 to be held exactly in float64; got 1152921504606846976 "
         "(first at row 0 (0-based)). Subtract a common offset first, or convert to float if rounding is acceptable."),
    Case('fit([1.0, -2.0], "exponential")', lambda: maxlik.fit([1.0, -2.0], "exponential"), SupportError,
         "Exponential: data must be non-negative (>= 0); got 1 value(s) outside the support (first at row 1 (0-based): -2). "
         "Check the data, or choose a family whose support contains them."),
    Case('fit([0, 1, 2], "bernoulli")', lambda: maxlik.fit([0, 1, 2], "bernoulli"), SupportError,
         "Bernoulli: data must be 0 or 1; got 1 value(s) outside the support (first at row 2 (0-based): 2). "
         "Check the data, or choose a family whose support contains them."),
    Case('fit([0, 1.5], "poisson")', lambda: maxlik.fit([0, 1.5], "poisson"), SupportError,
         "Poisson: data must be integers >= 0; got 1 value(s) outside the support (first at row 1 (0-based): 1.5). "
         "Check the data, or choose a family whose support contains them."),
    Case('fit([0.2, 1.5], "beta")', lambda: maxlik.fit([0.2, 1.5], "beta"), SupportError,
         "Beta: data must be in (0, 1); got 1 value(s) outside the support (first at row 1 (0-based): 1.5). "
         "Check the data, or choose a family whose support contains them."),
    # -- maxlik.fit: degenerate data
    Case('fit([2.0, 2.0, 2.0], "normal")', lambda: maxlik.fit([2.0, 2.0, 2.0], "normal"), DegenerateFitError,
         "Normal: scale must be positive, but all 3 observations are equal (2) (zero variance), so the likelihood is unbounded "
         "as scale -> 0 and no MLE exists. Fix scale with fixed={'scale': ...}, or add varied data."),
    Case('fit([2.0], "normal")', lambda: maxlik.fit([2.0], "normal"), DegenerateFitError,
         "Normal: data must contain at least 2 observations to estimate scale; got 1. With one point the likelihood is "
         "unbounded as scale -> 0. Add data, or fix scale with fixed={'scale': ...}."),
    # -- maxlik.fit: options
    Case('fit(x, "gausian")', lambda: maxlik.fit([1.0, 2.0], "gausian"), UnknownFamilyError,
         "fit: family must be one of […]; got 'gausian'. Did you mean 'normal'? See maxlik.family_names() for the list with parameters."),
    Case('fit(x, "normal", weights=[1, -1, 1])', lambda: maxlik.fit([1.0, 2.0, 3.0], "normal", weights=[1, -1, 1]), DataError,
         "fit(Normal): weights must be non-negative; got 1 negative weight(s) (first at row 1 (0-based): -1). Weights are observation counts or importances."),
    Case('fit(x, "normal", weights=[1, 1])', lambda: maxlik.fit([1.0, 2.0, 3.0], "normal", weights=[1, 1]), DataError,
         "fit(Normal): weights must have shape (3,), one per observation; got shape (2,). Pass one non-negative weight per row of the data."),
    Case('fit(x, "normal", weights=[0, 0, 0])', lambda: maxlik.fit([1.0, 2.0, 3.0], "normal", weights=[0, 0, 0]), DataError,
         "fit(Normal): weights must not all be zero; got 3 zero weights. At least one observation needs a positive weight."),
    Case('fit(x, "normal", fixed={"sigma": 1})', lambda: maxlik.fit([1.0, 2.0, 3.0], "normal", fixed={"sigma": 1}), ParameterError,
         "fit(Normal): parameter names must be among ['loc', 'scale']; got 'sigma'."),
    Case('fit(x, "normal", fixed={"scale": -1})', lambda: maxlik.fit([1.0, 2.0, 3.0], "normal", fixed={"scale": -1}), ParameterError,
         "fit(Normal): `scale` must be positive (> 0); got -1."),
    Case('fit(x, "gamma", method="newtn")', lambda: maxlik.fit([1.0, 2.0, 3.5], "gamma", method="newtn"), ParameterError,
         "fit(Gamma): method must be one of ['auto', 'newton', 'bfgs', 'lbfgs', 'gradient_descent']; got 'newtn'."),
    Case('fit(x, "gamma", max_iter=0)', lambda: maxlik.fit([1.0, 2.0, 3.5], "gamma", max_iter=0), ParameterError,
         "fit(Gamma): max_iter must be an integer >= 1; got 0."),
    Case('fit(x, "normal", truncation=(4, 1))', lambda: maxlik.fit([1.0, 2.0, 3.0], "normal", truncation=(4, 1)), ParameterError,
         "fit(Normal): truncation low must be below high; got low = 4 >= high = 1. Pass the window as (low, high) with low < high."),
    Case('fit([1.0, 2.0, 3.0], "normal", truncation=(1.5, 4))', lambda: maxlik.fit([1.0, 2.0, 3.0], "normal", truncation=(1.5, 4)), DataError,
         "fit(Normal truncated to (1.5, 4]): data must lie inside the truncation window 1.5 <= x <= 4; got 1 value(s) outside "
         "(first at row 0 (0-based): 1). Truncated data cannot hold values outside the window: widen it, or drop those rows."),
    # -- censored data
    Case('Censored(left=[1, 3], right=[2, 2])', lambda: Censored([1.0, 3.0], [2.0, 2.0]), DataError,
         "Censored: left must be <= right on every row; got 1 row(s) with left > right (first at row 1 (0-based): left=3, right=2). "
         "Check the order of the two columns."),
    Case('Censored(left=[1, nan], right=[2, nan])', lambda: Censored([1.0, np.nan], [2.0, np.nan]), DataError,
         "Censored: each row must have at least one bound; got 1 row(s) with both left and right missing (first at row 1 (0-based)). "
         "Drop those rows: they carry no information."),
    Case('fit(Censored([1, 2], [1, 2]), "mvnormal")', lambda: maxlik.fit(Censored([1.0, 2.0], [1.0, 2.0]), "mvnormal"), DataError,
         "fit(MultivariateNormal): censored data need a univariate family with a CDF; got a multivariate family. Families that support censoring: …"),
    # -- results
    Case('r.conf_int(1.5)', lambda: maxlik.fit([1.0, 2.0, 3.0], "normal").conf_int(1.5), ParameterError,
         "conf_int: level must be in (0, 1); got 1.5. Use e.g. 0.95."),
    Case('r.ppf(1.5)', lambda: maxlik.fit([1.0, 2.0, 3.0], "normal").ppf(1.5), ParameterError,
         "Normal.ppf: q must be probabilities in [0, 1]; got 1 value(s) outside (first: 1.5). Pass probabilities, e.g. 0.95, not percentages or log-probabilities."),
    Case('lrt(fit(x, "normal"), fit(x, "gamma"))',
         lambda: maxlik.lrt(maxlik.fit([1.0, 2.0, 3.0], "normal"), maxlik.fit([1.0, 2.0, 3.0], "gamma")), ParameterError,
         "lrt: restricted and full must be nested fits of one family; got Normal and Gamma. Hold parameters fixed "
         "(fit(..., fixed={...})) to build the restricted model, or compare non-nested models with AIC (maxlik.compare)."),
    Case('r.conf_int(method="boot")', lambda: maxlik.fit([1.0, 2.0, 3.0], "normal").conf_int(method="boot"), ParameterError,
         "conf_int: method must be 'wald' or 'profile'; got 'boot'. The valid methods are 'wald': …; 'wald-natural': …; 'profile': …."),
    Case("r.bootstrap(n_boot=0)", lambda: maxlik.fit([1.0, 2.0, 3.5], "gamma").bootstrap(n_boot=0), ParameterError,
         "bootstrap: n_boot must be an integer >= 1; got 0. Pass the number of bootstrap samples, e.g. n_boot=999."),
    Case('r.bootstrap(kind="jackknife")', lambda: maxlik.fit([1.0, 2.0, 3.5], "gamma").bootstrap(kind="jackknife"), ParameterError,
         "bootstrap: kind must be one of nonparametric, parametric; got 'jackknife'."),
    Case("r.gof(n_boot=9.5)", lambda: maxlik.fit([1.0, 2.0, 3.5], "gamma").gof(n_boot=9.5), ParameterError,
         "gof: n_boot must be an integer >= 1; got 9.5. Pass the number of bootstrap samples, e.g. n_boot=999."),
    Case('fit(X, "mvnormal").gof()', lambda: maxlik.fit(X2, "mvnormal").gof(), ParameterError,
         "gof: the family must be univariate; got MultivariateNormal, a multivariate family. Test each margin with its own "
         "univariate fit, or compare models by AIC (maxlik.compare)."),
    Case('simulate("normal", {"loc": 0, "scale": -1}, n=[10])',
         lambda: maxlik.simulate("normal", {"loc": 0.0, "scale": -1.0}, n=[10]), ParameterError,
         "simulate: `scale` must be positive (> 0); got -1."),
    Case('simulate("normal", {"loc": 0, "scale": 1}, n=[0])',
         lambda: maxlik.simulate("normal", {"loc": 0.0, "scale": 1.0}, n=[0]), ParameterError,
         "simulate: n must be a sample size or a list of them, integers >= 1; got 0. For example n=[10, 30, 100, 1000]."),
    Case('fit(x, "gamma", prior={"sigma": prior("normal", ...)})',
         lambda: maxlik.fit([1.0, 2.0, 3.5], "gamma", prior={"sigma": maxlik.prior("normal", loc=0.0, scale=1.0)}), ParameterError,
         "fit(Gamma): prior names must be parameters of Gamma (concentration, rate); got 'sigma'."),
    Case('fit(x, "normal", prior={"loc": prior("gamma", ...)})',
         lambda: maxlik.fit([1.0, 2.0, 3.5], "normal", prior={"loc": maxlik.prior("gamma", concentration=2.0, rate=1.0)}), ParameterError,
         "fit(Normal): the prior's support must contain the domain of 'loc' (real (any finite number)); got Gamma(concentration=2, "
         "rate=1), whose support is positive (> 0). Choose a prior defined on the whole domain (e.g. 'normal' for a real "
         "parameter, 'gamma' or 'lognormal' for a positive one, 'beta' for a probability)."),
    Case("npmle([1, 2, 3])", lambda: maxlik.npmle([1, 2, 3]), DataError,
         "npmle: data must be maxlik.Censored(left, right); got list. Wrap exact values as Censored(x, x)."),
    # -- fit_loglik, fit_curve, compare, fit_groups, scan
    Case('fit_loglik(f, x, params={})', lambda: maxlik.fit_loglik(lambda p, x: -x**2, [1.0, 2.0], {}), ParameterError,
         "fit_loglik: params must be a non-empty dict name -> start or (start, constraint); got {}. For example params={'rate': (1.0, 'positive')}."),
    Case('fit_loglik("normal", x, {"a": 1.0})', lambda: maxlik.fit_loglik("normal", [1.0, 2.0], {"a": 1.0}), ParameterError,
         "fit_loglik: log_prob_fn must be callable (params, data) -> (n,); got str."),
    Case('fit_loglik(lambda p, x: p["a"] * nan + x, x, {"a": 1.0})',
         lambda: maxlik.fit_loglik(lambda p, x: p["a"] * np.nan + x, [1.0, 2.0], {"a": 1.0}), ParameterError,
         "fit_loglik: the log-density must be finite at the starting point; got 2 non-finite value(s) (first at row 0 (0-based): nan) "
         "at params {'a': 1}. Pass init= with values nearer the data, or check that log_prob is defined on the data."),
    Case('fit_curve(f, x, y, p0={})', lambda: maxlik.fit_curve(lambda x, a: a * x, [1.0, 2.0], [1.0, 2.0], {}), ParameterError,
         "fit_curve: p0 must be a 1-D array of numbers; got {}. Pass one starting value per parameter."),
    Case('fit_curve(f, x, [1.0, nan, 2.0], p0=[1.0])',
         lambda: maxlik.fit_curve(lambda x, a: a * x, [1.0, 2.0, 3.0], [1.0, np.nan, 2.0], [1.0]), DataError,
         "fit_curve: y must be finite; got 1 NaN/inf value(s) (first at index 1 (0-based)). Drop or impute those observations before fitting."),
    Case('compare(x, [])', lambda: maxlik.compare([1.0, 2.0, 3.0], []), ParameterError,
         "compare: families must list at least one candidate; got none. E.g. ['normal', 'gamma']."),
    Case('compare(x, ["normal", "gamm"])', lambda: maxlik.compare([1.0, 2.0, 3.0], ["normal", "gamm"]), UnknownFamilyError,
         "compare: family must be one of […]; got 'gamm'. Did you mean 'gamma'? See maxlik.family_names() for the list with parameters."),
    Case('fit_groups([1, 2, 3], groups=[0, 1], "normal")', lambda: maxlik.fit_groups([1.0, 2.0, 3.0], [0, 1], "normal"), DataError,
         "fit_groups: groups must have one label per row of x (shape (3,)); got shape (2,). Pass an array of labels as long as the data."),
    Case('scan("missing.parquet", column="x")', lambda: maxlik.scan("missing.parquet", column="x"), DataError,
         "scan: file must exist; got 'missing.parquet', which was not found. Check the path (relative to …)."),
    # -- estimators
    Case("GaussianClassifier().fit(X, y with one class)", lambda: GaussianClassifier().fit(X2, np.zeros(40)), DataError,
         "GaussianClassifier: y must contain at least 2 classes; got 1 class (0.0). A classifier needs examples of every class it should predict."),
    Case('GaussianClassifier(covariance_type="ful").fit(X, y)', lambda: GaussianClassifier(covariance_type="ful").fit(X2, Y01), ParameterError,
         "GaussianClassifier: covariance_type must be one of ['full', 'tied', 'diag', 'spherical']; got 'ful'. Did you mean 'full'? Also accepted: mclust's models […], and 'E' / 'V' for one-dimensional data (…)."),
    Case("GaussianMixture(20).fit(X with 10 rows)", lambda: GaussianMixture(20).fit(X2[:10]), DataError,
         "GaussianMixture: n_components must be at most the number of samples (10); got 20. Use fewer components or more data."),
    Case("GaussianMixture(2).fit(200 identical rows)", lambda: GaussianMixture(2).fit(np.ones((200, 1))), DegenerateFitError,
         "GaussianMixture: n_components must be at most the number of distinct rows (1); got 2 (the likelihood of a component "
         "on one repeated value is unbounded). Use at most that many components, or more varied data."),
    Case("GaussianMixture(0).fit(X)", lambda: GaussianMixture(0).fit(X2), ParameterError,
         "GaussianMixture: n_components must be a positive integer; got 0."),
    Case("select_mixture(X, n_components=[0])", lambda: maxlik.select_mixture(X2, n_components=[0]), ParameterError,
         "select_mixture: n_components must be positive integers; got [0]."),
    Case("LinearRegression().fit(collinear X, y)",
         lambda: LinearRegression().fit(np.c_[np.arange(10.0), 2 * np.arange(10.0)], np.arange(10.0)), DegenerateFitError,
         "LinearRegression: the design matrix must have full column rank (3); got rank 2. Some columns are (nearly) collinear: drop or combine them."),
    Case("LogisticRegression().fit(x, y separated by x)",
         lambda: LogisticRegression().fit(np.arange(10.0)[:, None], (np.arange(10) > 4).astype(int)), DegenerateFitError,
         "LogisticRegression: the classes must not be separable for the maximum likelihood estimate to exist; got complete "
         "separation by the feature(s) 'x0' (the coefficients diverge to infinity). Use penalty='l2' (a Gaussian prior, MAP "
         "estimate), or remove or merge the separating feature(s)."),
    Case("LogisticRegression().fit(X, y with 3 classes)", lambda: LogisticRegression().fit(X2, np.arange(40) % 3), DataError,
         "LogisticRegression: y must contain exactly 2 classes; got 3 classes (0, 1, 2). Only binary classification is supported: "
         "pass two labels (e.g. 0/1), or use SoftmaxRegression for more than two classes."),
    Case("PoissonRegression().fit(X, y = -1)", lambda: PoissonRegression().fit(X2, -np.ones(40)), SupportError,
         "PoissonRegression: y must be non-negative counts; got 40 negative value(s) (first at row 0 (0-based): -1). "
         "Poisson regression models counts 0, 1, 2, ...; check the data."),
    Case("SoftmaxRegression().fit(X, y with one class)", lambda: SoftmaxRegression().fit(X2, np.zeros(40)), DataError,
         "SoftmaxRegression: y must contain at least 2 classes with positive weight; got 1 class (0.0). A classifier needs examples of more than one class."),
]


@dataclass(frozen=True)
class CliCase:
    argv: str  # after `maxlik`; {tmp} is the test's folder, {iris} the iris CSV
    code: int  # 1: an error in the data or the options' values; 2: a usage error
    message: str  # the line on stderr; "…" stands for any text
    writes: str | None = None  # an output file that must not exist after the failure


CLI = [
    CliCase("fit {tmp}/missing.csv -c x", 1, "error: read: file must exist; got '{tmp}/missing.csv', which was not found. Check the path (relative to …)."),
    CliCase("classify {tmp}/folder -l y", 1, "error: read: a file is needed; got the directory '{tmp}/folder'. Name a CSV or Parquet file inside it."),
    CliCase("fit {tmp}/header.csv -c x", 1, "error: read: {tmp}/header.csv must contain at least one data row; got only a header (x)."),
    CliCase("fit {tmp}/text.csv -c x", 1, "error: read: column 'x' must be numeric; got 'abc' at line 3 of {tmp}/text.csv. Choose a numeric column or clean the data."),
    CliCase("fit {tmp}/semicolon.csv -c x", 1, "error: read: column 'x' must be numeric; got '1,5' at line 2 of {tmp}/semicolon.csv. "
            "Choose a numeric column or clean the data. It looks like a decimal comma: pass --decimal ,."),
    CliCase("fit {tmp}/dup.csv -c x", 1, "error: read: the column names of {tmp}/dup.csv must be unique; got 'x' 2 times in the header. Rename the repeated columns."),
    CliCase("fit {tmp}/ragged.csv -c x", 1, "error: read: {tmp}/ragged.csv must be a readable CSV table with a header row; it could not be parsed (CSV parse error: Expected 2 columns, got 1: 3.1)."),
    CliCase("fit {tmp}/long.csv -c x", 1, "error: read: {tmp}/long.csv must have lines shorter than 1 MB; got a longer line (a line break missing, or a binary file?). Check the file's line endings, or split that line."),
    CliCase("fit {tmp}/cut.parquet -c x", 1, "error: read: {tmp}/cut.parquet must be a valid Parquet file; it could not be read (…)."),
    CliCase("fit {tmp}/nan.csv -c x", 1, "error: read: column 'x' must have no missing values; got 1 (first at line 3 of {tmp}/nan.csv). Drop or impute them first."),
    CliCase("fit {iris} -c sepal_length", 1, "error: read: column must be one of ['Sepal.Length', 'Sepal.Width', 'Petal.Length', 'Petal.Width', 'Species']; "
            "got 'sepal_length' in {iris}. Did you mean 'Sepal.Length'?"),
    CliCase("fit {iris} -c Species", 1, "error: read: column 'Species' must be numeric; got 'setosa' at line 2 of {iris}. Choose a numeric column or clean the data."),
    CliCase("fit {iris} -c Sepal.Length --family poisson --plot {tmp}/fit.png", 1,
            "error: Poisson: data must be integers >= 0; got 133 value(s) outside the support (first at line 2 of {iris}: 5.1). "
            "Check the data, or choose a family whose support contains them.", writes="fit.png"),
    CliCase("fit {iris} -c Sepal.Length --family gausian", 1, "error: maxlik fit: family must be one of […]; got 'gausian'. Did you mean 'normal'? Run `maxlik families` for the list with parameters."),
    CliCase("fit {iris} -c Sepal.Length --level 2", 1, "error: maxlik fit: --level must be a confidence level in (0, 1); got 2.0. For example --level 0.9."),
    CliCase("fit {iris} -c Sepal.Length --fixed scale", 1, "error: maxlik fit: --fixed must look like name=value; got 'scale'. For example --fixed loc=0."),
    CliCase("fit {iris} -c Sepal.Length --plot {tmp}/fit.pdfx", 1, "error: maxlik fit: --plot must end in a figure format (…); got '{tmp}/fit.pdfx'. Name a file such as fit.png or fit.pdf."),
    CliCase("fit {iris} -c Sepal.Length --plot {tmp}/no/such/fit.png", 1, "error: maxlik fit: --plot must be a writable file; got '{tmp}/no/such/fit.png' "
            "(its folder '{tmp}/no/such' does not exist). Create the folder first, or choose another file with --plot."),
    CliCase("fit {iris} --colum Sepal.Length", 2, "error: maxlik fit: No such option: --colum (Possible options: --column, --tol). See `maxlik fit --help`."),
    CliCase("fit {iris} -c Sepal.Length --max-iter many", 2, "error: maxlik fit: Invalid value for '--max-iter': …. See `maxlik fit --help`."),
    CliCase("fitt {iris}", 2, "error: maxlik: No such command 'fitt'. Did you mean 'fit'? See `maxlik --help`."),
    CliCase("fit", 2, "error: maxlik fit: Missing argument 'file'. See `maxlik fit --help`."),
    CliCase("compare {iris} -c Sepal.Length --families normal,gamm", 1, "error: compare: family must be one of […]; got 'gamm'. Did you mean 'gamma'? Run `maxlik families` for the list with parameters."),
    CliCase("classify {iris} --label specie", 1, "error: read: column must be one of ['Sepal.Length', 'Sepal.Width', 'Petal.Length', 'Petal.Width', 'Species']; got 'specie' in {iris}. Did you mean 'Species'?"),
    CliCase("classify {iris} --label Species --priors 0.5,0.5 --predict {iris} -o {tmp}/pred.csv", 1,
            "error: GaussianClassifier: --priors must be 3 non-negative numbers summing to 1 (one per class in ['setosa', 'versicolor', 'virginica']); got [0.5, 0.5].",
            writes="pred.csv"),
    CliCase("classify {iris} --label Species --covariance ful", 1, "error: GaussianClassifier: --covariance must be one of ['full', 'tied', 'diag', 'spherical']; got 'ful'. Did you mean 'full'? Also accepted: mclust's models […], and 'E' / 'V' for one-dimensional data (…)."),
    CliCase("mixture {iris} -c Sepal.Length --components 500 -o {tmp}/comp.csv", 1,
            "error: GaussianMixture: --components must be at most the number of samples (150); got 500. Use fewer components or more data.", writes="comp.csv"),
    CliCase("mixture {iris} --covariance ful", 1, "error: GaussianMixture: --covariance must be one of ['full', 'tied', 'diag', 'spherical']; got 'ful'. Did you mean 'full'? Also accepted: mclust's models […], and 'E' / 'V' for one-dimensional data (…)."),
    CliCase("regress {iris} --target Sepal.Length --family bernoulli", 1,
            "error: LogisticRegression: y must contain exactly 2 classes; got 35 classes ('4.3', '4.4', '4.5', '4.6', '4.7' ...). "
            "Only binary classification is supported: pass two labels (e.g. 0/1), or use --family categorical for more than two classes."),
    CliCase("regress {iris} --target Sepal.Length --family bernoulli --penalty l3", 1, "error: maxlik regress: --penalty must be one of none, l2; got 'l3'."),
    CliCase("families --format xml", 1, "error: --format must be table or json; got 'xml'."),
    CliCase("predict {tmp}/text.csv {iris}", 1, "error: maxlik.load: text.csv must be a maxlik model file (written by maxlik.save or "
            "`maxlik ... --save`); got a file that is not JSON (it starts with 'x'). Pass the .json or .npz file that was saved."),
    CliCase("predict {tmp}/newer.json {iris}", 1, "error: maxlik.load: newer.json must have format version 1 or older to be read by "
            "this maxlik; got format version 99. Upgrade maxlik to load it."),
    CliCase("mixture {tmp}/constant.csv -c x -k 2", 1, "error: GaussianMixture: --components must be at most the number of distinct rows (1); "
            "got 2 (the likelihood of a component on one repeated value is unbounded). Use at most that many components, or more varied data."),
]

# files as users really have them, each read as the clean file is
READABLE = {
    "bom.csv": b"\xef\xbb\xbfx\n1.5\n2.5\n3.25\n",
    "crlf.csv": b"x\r\n1.5\r\n2.5\r\n3.25\r\n",
    "quoted.csv": b'x\n"1.5"\n"2.5"\n"3.25"\n',
    "blank_lines.csv": b"x\n1.5\n\n2.5\n\n3.25\n\n",
    "thousands.csv": b'x,y\n"1,500",1\n"2,500.5",2\n"1,003,250",3\n',
}
CLEAN = {"thousands.csv": [1500.0, 2500.5, 1003250.0]}


def _pattern(message: str) -> re.Pattern:
    return re.compile(".*".join(re.escape(part) for part in message.split("…")), re.DOTALL)


def _check_message(text: str, message: str) -> None:
    assert _pattern(message).fullmatch(text), f"\nexpected: {message}\n     got: {text}"


@pytest.mark.parametrize("case", LIBRARY, ids=[c.call for c in LIBRARY])
def test_library_catalog(case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(case.error) as info:
            case.run()
    assert type(info.value).__module__.startswith("maxlik"), type(info.value)
    _check_message(str(info.value), case.message)


@pytest.fixture()
def user_files(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "header.csv").write_text("x\n")
    (tmp_path / "text.csv").write_text("x\n1.5\nabc\n3.1\n")
    (tmp_path / "semicolon.csv").write_text("x;y\n1,5;2\n2,5;3\n")
    (tmp_path / "dup.csv").write_text("x,x\n1,2\n2,3\n")
    (tmp_path / "newer.json").write_text('{"format": "maxlik", "format_version": 99}')
    (tmp_path / "constant.csv").write_text("x\n" + "2.5\n" * 200)
    (tmp_path / "ragged.csv").write_text("x,y\n1.5,2\n2.5,3\n3.1\n")
    (tmp_path / "long.csv").write_text("x\n" + "1" * 3_000_000 + "\n2\n")
    (tmp_path / "nan.csv").write_text("x,y\n1.5,1\n,2\n2.5,3\n")
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"x": np.arange(1000.0)}), tmp_path / "good.parquet")
    data = (tmp_path / "good.parquet").read_bytes()
    (tmp_path / "cut.parquet").write_bytes(data[: len(data) // 2])
    for name, content in READABLE.items():
        (tmp_path / name).write_bytes(content)
    return tmp_path


def _run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    from maxlik.cli import app
    from maxlik._cli_main import run

    capsys.readouterr()
    code = run(app, argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _expand(text: str, tmp) -> str:
    return text.replace("{tmp}", str(tmp)).replace("{iris}", IRIS)


@pytest.mark.parametrize("case", CLI, ids=[c.argv.split(" {")[0] + " " + c.argv.rsplit(" ", 1)[-1] for c in CLI])
def test_cli_catalog(case, user_files, capsys):
    argv = [_expand(a, user_files) for a in case.argv.split(" ")]
    code, out, err = _run_cli(argv, capsys)
    lines = err.strip().splitlines()
    assert code == case.code and len(lines) == 1, (code, err)
    _check_message(lines[0], _expand(case.message, user_files))
    if case.writes:
        assert not (user_files / case.writes).exists()


def test_unreadable_file_is_named(user_files, capsys, monkeypatch):
    """A file without read permission (simulated: the tests may run as root, who reads anything)."""
    import maxlik._paths as paths

    def refuse(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(paths, "open_for_reading", refuse)
    code, _, err = _run_cli(["fit", str(user_files / "bom.csv"), "-c", "x"], capsys)
    assert code == 1
    _check_message(err.strip(), f"error: read: file must be readable; got '{user_files}/bom.csv', which cannot be read "
                                f"(permission denied). Check its permissions (e.g. chmod u+r {user_files}/bom.csv).")


@pytest.mark.skipif(sys.platform == "win32" or __import__("os").geteuid() == 0, reason="root reads files without read permission")
def test_unreadable_file_really(user_files, capsys):
    path = user_files / "bom.csv"
    path.chmod(0)
    code, _, err = _run_cli(["fit", str(path), "-c", "x"], capsys)
    assert code == 1 and "which cannot be read (permission denied)" in err


@pytest.mark.parametrize("name", sorted(READABLE))
def test_files_as_users_have_them_are_read(name, user_files, capsys):
    code, out, err = _run_cli(["fit", str(user_files / name), "-c", "x", "--format", "json"], capsys)
    assert code == 0, err
    x = np.array(CLEAN.get(name, [1.5, 2.5, 3.25]))
    params = __import__("json").loads(out)["params"]
    assert params["loc"] == pytest.approx(x.mean(), rel=1e-12) and params["scale"] == pytest.approx(x.std(), rel=1e-12)


def test_thousands_are_not_read_where_a_comma_is_a_decimal_comma(tmp_path, capsys):
    (tmp_path / "semi.csv").write_text('x;y\n"1,500";2\n"2,500";3\n')
    code, _, err = _run_cli(["fit", str(tmp_path / "semi.csv"), "-c", "x"], capsys)
    assert code == 1 and "It looks like a decimal comma: pass --decimal ,." in err


def test_the_catalog_is_large():
    assert len(LIBRARY) + len(CLI) >= 50


def render() -> str:
    """The README table: call, exception, message (for CLI cases: the command line and its line)."""
    rows = ["| Call | Raises | Message |", "|---|---|---|"]
    for c in LIBRARY:
        rows.append(f"| `{c.call}` | `{c.error.__name__}` | {c.message} |")
    for c in CLI:
        argv = c.argv.replace("{tmp}/", "").replace("{iris}", "iris.csv")
        message = c.message.replace("{tmp}/", "").replace("{iris}", "iris.csv")
        rows.append(f"| `maxlik {argv}` | exit {c.code} | {message} |")
    return "\n".join(r.replace("\n", " ") for r in rows) + "\n"


MARK = "<!-- error-catalog -->"


def _readme_with(table: str) -> str:
    text = README.read_text()
    head, _, rest = text.partition(MARK)
    _, _, tail = rest.partition(MARK)
    return f"{head}{MARK}\n{table}{MARK}{tail}"


def test_readme_shows_the_catalog():
    assert README.read_text().count(MARK) == 2
    assert README.read_text() == _readme_with(render()), "README's error catalog is stale: run python tests/test_bad_input_catalog.py"


if __name__ == "__main__":
    README.write_text(_readme_with(render()))
    print(f"wrote {len(LIBRARY) + len(CLI)} cases to {README}")
