"""The library's remedies in the CLI's words: ``as_flags`` rewrites the Python keywords of a
message (``n_init > 1``, ``init=``, ``max_iter``) as the command line's flags (``--n-init 2 or
more``, ``--init name=value``, ``--max-iter``), by one ordered table of patterns."""

from __future__ import annotations

import re


def _as_family_options(m) -> str:
    """A MultivariateNormal message from ``fit`` / ``compare``: its ``reg_covar`` and
    ``covariance_type`` are the family's options there (``--family-option``), not the
    ``--reg-covar`` / ``--covariance`` of ``classify`` and ``mixture``, and ``--fixed`` holds
    a covariance matrix."""
    text = re.sub(r"--reg-covar must be\b", "--family-option reg_covar must be", m[0])
    text = re.sub(r"--reg-covar[= ]([\d.e+-]+)", r"--family-option reg_covar=\1", text)
    text = re.sub(r"--covariance (\w+)", r"--family-option covariance_type=\1", text)
    return re.sub(r"\bfix covariance_matrix\b", "fix it with --fixed covariance_matrix=[[...]]", text)


# The library's remedies speak Python (keywords of fit and the estimators); the CLI prints them
# with its flags. One table, applied to every error and warning the CLI prints (tests walk it).
_AS_FLAGS = (  # in order: a later pattern sees the flags an earlier one wrote
    (r"\buse n_init > 1", "use --n-init 2 or more"),
    (r"\bn_init > 1", "--n-init 2 or more"),
    (r"\bpass a better init=", "pass a better start with --init name=value"),
    (r"\bPass init=\{'(\w+)': \.\.\.\}", r"Pass --init \1=..."),
    (r"\bPass init= ", "Pass --init name=value "),
    (r"\bmethod='(profile|wald-natural|wald)'", r"--ci \1"),
    (r"\bmethod='(\w+)' or '(\w+)'", r"--method \1 or --method \2"),
    (r"\bmethod='(\w+)'", r"--method \1"),
    (r"\bmax_iter=(\d+)", r"--max-iter \1"),
    (r"\btol=", "--tol "),
    (r"(?<![-\w])(tol|sigma|penalty|C|priors) must be\b", r"--\1 must be"),  # not the CLI's own --tol
    (r"(?<![-\w])total_count must be (.*?); got None\.", r"--total-count must be \1; got none."),
    (r"(?<![-\w])total_count must be\b", "--total-count must be"),
    (r"(?<!--family-option )\b(max_iter|n_init|init_params|reg_covar)\b", lambda m: "--" + m[1].replace("_", "-")),
    (r"\bn_components must be\b", "--components must be"),
    (r"\bn_components > n_samples \((\d+)\)", r"K > the number of rows (\1)"),
    (r"^select_mixture: --components must be positive integers; got \[\]\.",
     "maxlik mixture: --select must be a range of positive integers, low..high; got an empty range. For example --select 1..9."),
    (r"e\.g\. maxlik\.fit\(x, maxlik\.Binomial\(total_count=(\w+)\)\)( or maxlik\.get_family\([^)]*\))?", r"e.g. --total-count \1"),
    (r"e\.g\. maxlik\.fit\(x, maxlik\.\w+\((\w+)=(\w+)\)\)( or maxlik\.get_family\([^)]*\))?", r"e.g. --family-option \1=\2"),
    (r"e\.g\. maxlik\.\w+\((\w+)=(\w+)\)", r"e.g. --family-option \1=\2"),
    (r"\bPass it when choosing the family, e\.g\. --total-count", "Pass it with --total-count, e.g. --total-count"),
    (r"relabel with np\.unique\(x, return_inverse=True\), or pass Categorical\(num_categories=\.\.\.\)",
     "relabel them 0..K-1 in the file, or pass --family-option num_categories=K"),
    (r"\brandom_state\b", "--seed"),
    (r"\(seed, ", "(--seed, "),
    (r"\bloosen tol\b", "loosen --tol"),
    (r"\bpenalty='l2'", "--penalty l2"),
    (r"\bsigma='(\w+)'", r"--sigma \1"),
    (r"\bfit_intercept=False", "--no-intercept"),
    (r"\buse SoftmaxRegression for more than two classes", "use --family categorical for more than two classes"),
    (r"(?<!--family-option )\bcovariance_type\b", "--covariance"),
    (r"--reg-covar=", "--reg-covar "),
    (r'--covariance="(\w+)"', r"--covariance \1"),
    (r"^(?:error: )?MultivariateNormal: .*", _as_family_options),  # fit / compare: family options
    (r", drop the offending column\(s\), or fix covariance_matrix\.", ", or drop the offending column(s)."),  # the models
    (r", or fix covariance_matrix\.", "."),
    (r"\bPass --reg-covar \(e\.g\. 1e-6\) or fewer components\.", "Pass --reg-covar (e.g. --reg-covar 1e-6) or a smaller --select range."),
    (r"\brefit with other starts or fewer components\.", "refit with other starts (--n-init, --seed) or fewer components (--components)."),
    (r"\bFit the two-parameter family \(family='(\w+)'\)", r"Fit the two-parameter family (--family \1)"),  # threshold fits
    (r" \(the profile is attached as error\.profile\)", ""),
    (r"\bfixed=\{'(\w+)': \.\.\.\}", r"--fixed \1=..."),
    (r"\bFor example fixed=\{'(\w+)': ([^}]+)\}", r"For example --fixed \1=\2"),
    (r"\bFor example init=\{'(\w+)': ([^}]+)\}", r"For example --init \1=\2"),
    (r"\bfix low or high away from the data with fixed=\{\.\.\.\}", "fix low or high away from the data with --fixed low=... or --fixed high=..."),
    (r"\bfixed=\{\.\.\.\}", "--fixed name=value"),
    (r"\bFix a scale at or below min\(x\), or leave it free\.", "Fix a scale at or below the data's minimum (--fixed scale=...), or leave it free."),
    (r"\bWrap angles with numpy\.angle\(numpy\.exp\(1j \* x\)\), and convert degrees with numpy\.deg2rad first\.",
     "Wrap the angles into [-pi, pi] (add or subtract multiples of 2 pi) and convert degrees to radians in the file first."),
    (r"\bSee maxlik\.family_names\(\) for the list with parameters\.", "Run `maxlik families` for the list with parameters."),
    (r"\bcovariance_types must be among\b", "--covariance must be among"),
    (r"\bPass data for all classes \(partial_fit may add them in later chunks\)\.",
     "Give every class a row with positive weight (--weights)."),
)


def as_flags(message: str) -> str:
    """``message`` with the library's Python remedies (``n_init > 1``, ``init=``, ``max_iter``) as
    the CLI's flags (``--n-init 2 or more``, ``--init name=value``, ``--max-iter``)."""
    for pattern, flag in _AS_FLAGS:
        message = re.sub(pattern, flag, message)
    return message
