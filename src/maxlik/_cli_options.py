"""The options of several commands, defined and checked once, before any heavy import: the fitting
options of ``fit`` and ``compare`` (``--method``, ``--max-iter``, ``--init``, ``--fixed``, ...),
the family options (``--family-option``, ``--total-count``), ``--weights``, ``--level``, and the
checks of option values (``name=value`` pairs, choices, levels, number lists)."""

from __future__ import annotations

import json
from typing import Annotated, List, Optional

import typer

from ._cli_common import MaxlikErrorUsage, err


def _parse_pairs(items: list[str] | None, option: str, example: str, strings: bool = False, owner: str = "maxlik") -> dict:
    """``name=value`` items of a repeatable option -> {name: value}; values are JSON numbers or
    arrays (``strings``: anything else is kept as text, for family options such as covariance_type)."""
    pairs = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise MaxlikErrorUsage(f"{owner}: {option} must look like name=value; got {item!r}. For example {option} {example}.")
        try:
            pairs[name.strip()] = json.loads(value)
        except json.JSONDecodeError:
            if not strings:
                raise MaxlikErrorUsage(f"{owner}: {option} value must be a number or JSON array; got {value!r} for {name!r}. "
                                       f"For example {option} {name.strip()}=1.5.") from None
            pairs[name.strip()] = value.strip()
    return pairs


def _parse_fixed(items: list[str], owner: str = "maxlik") -> dict:
    return _parse_pairs(items, "--fixed", "loc=0", owner=owner)


def _check_choice(value, choices, option: str, owner: str):
    if value is not None and value not in choices:
        raise MaxlikErrorUsage(f"{owner}: {option} must be one of {', '.join(choices)}; got {value!r}.")


def _check_level(level: float, owner: str) -> None:
    if not 0 < level < 1:
        raise MaxlikErrorUsage(f"{owner}: --level must be a confidence level in (0, 1); got {level!r}. For example --level 0.9.")


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "json"):
        raise MaxlikErrorUsage(f"--format must be table or json; got {fmt!r}.")


def _numbers(text: str, option: str, owner: str) -> list[float]:
    try:
        return [float(v) for v in text.split(",")]
    except ValueError:
        raise MaxlikErrorUsage(f"{owner}: {option} must be comma-separated numbers; got {text!r}. For example {option} 0.5,0.5.") from None


# method= of maxlik.fit (the optimizers of maxlik.optimize, plus auto and closed_form); checked
# before JAX loads (tests/test_cli_options.py keeps it equal to maxlik.optimize's list)
FIT_METHODS = ("auto", "closed_form", "newton", "bfgs", "lbfgs", "gradient_descent")


# The options of maxlik.fit's numerical path, defined once for fit and compare (see README "CLI").
Method = Annotated[str, typer.Option("--method", "-m", help="auto, closed_form, newton, bfgs, lbfgs or gradient_descent.")]
MaxIter = Annotated[Optional[int], typer.Option("--max-iter", help="Iteration limit of the optimizer (default: its own).")]
Tol = Annotated[Optional[float], typer.Option("--tol", help="Convergence tolerance (default 1e-8).")]
NInit = Annotated[Optional[int], typer.Option("--n-init", help="Number of starts, the first from the moments, the others random; the best is kept.")]
NStarts = Annotated[Optional[int], typer.Option("--n-starts", hidden=True, help="Deprecated spelling of --n-init.")]
Seed = Annotated[Optional[int], typer.Option("--seed", help="Seed of the random starts of --n-init.")]
Init = Annotated[Optional[List[str]], typer.Option("--init", help="Starting value: name=value (repeatable), e.g. --init shape=2.")]
Fixed = Annotated[Optional[List[str]], typer.Option("--fixed", help="Hold a parameter fixed: name=value (repeatable).")]
Weights = Annotated[Optional[str], typer.Option("--weights", help="Column of non-negative observation weights.")]
Level = Annotated[float, typer.Option("--level", help="Confidence level of the intervals, e.g. 0.9.")]
Stream = Annotated[Optional[bool], typer.Option("--stream/--no-stream", help="Read the file in passes of --batch-rows rows, in bounded memory (default: for files over 64 MB, folders and globs).")]
BatchRows = Annotated[Optional[int], typer.Option("--batch-rows", min=1, help="Rows per batch when streaming (default 262144).")]
FamilyOption = Annotated[Optional[List[str]], typer.Option("--family-option", help="A constant of the family: name=value (repeatable), e.g. total_count=10.")]
TotalCount = Annotated[Optional[int], typer.Option("--total-count", help="Binomial trials per observation (= --family-option total_count=N).")]


def _fit_options(method, max_iter, tol, n_init, n_starts, seed, init, fixed, owner: str) -> dict:
    """The keyword arguments of maxlik.fit / compare from the flags (only those given: with none,
    a closed-form family keeps its closed form)."""
    _check_choice(method, FIT_METHODS, "--method", owner)
    if n_starts is not None:
        if n_init is not None:
            raise MaxlikErrorUsage(f"{owner}: pass --n-init only; got both --n-init and --n-starts (its deprecated spelling).")
        err.print("[yellow]warning:[/] --n-starts is deprecated; use --n-init.", highlight=False)
        n_init = n_starts
    options = {"method": method, "fixed": _parse_fixed(fixed, owner) or None}
    start = _parse_pairs(init, "--init", "concentration=2", owner=owner)
    given = {"max_iter": max_iter, "tol": tol, "n_init": n_init, "seed": seed, "init": start or None}
    return {**options, **{k: v for k, v in given.items() if v is not None}}


def _family_options(items, total_count, owner: str) -> dict:
    """{name: value} of --family-option (and --total-count)."""
    opts = _parse_pairs(items, "--family-option", "total_count=10", strings=True, owner=owner)
    if total_count is not None:
        if "total_count" in opts and opts["total_count"] != total_count:
            raise MaxlikErrorUsage(f"{owner}: --total-count and --family-option total_count must agree; got {total_count} and {opts['total_count']}.")
        opts["total_count"] = total_count
    return opts


def _families_with(names: list[str], opts: dict, owner: str) -> list:
    """Each name configured with the family options it accepts; each option must fit one of them."""
    if not opts:
        return names
    from ._family_classes import registry_key
    from .families import family_names

    classes = [family_names().get(registry_key(n)) for n in names]
    takes = [{k: v for k, v in opts.items() if cls is not None and k in _accepted(cls)} for cls in classes]
    unused = [k for k in opts if not any(k in t for t in takes)]
    if unused:
        raise MaxlikErrorUsage(f"{owner}: --family-option must name an option of one of the families {', '.join(names)}; "
                               f"got {unused[0]!r}, which none of them has. See `maxlik families`.")
    return [_configured_family(n, t, owner) if t else n for n, t in zip(names, takes)]


def _accepted(cls) -> list[str]:
    import inspect

    return [k for k, p in inspect.signature(cls.__init__).parameters.items()
            if k != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]  # Family(**options): none


def _configured_family(name: str, opts: dict, owner: str):
    """get_family(name, **opts), with a CLI-level error for an option the family does not have."""
    from ._family_classes import registry_key
    from .families import family_names, get_family

    cls = family_names().get(registry_key(name))
    if cls is None or not opts:
        return get_family(name, owner=owner, **opts)
    unknown = [k for k in opts if k not in _accepted(cls)]
    if unknown:
        have = ", ".join(_accepted(cls)) or "none"
        raise MaxlikErrorUsage(f"{owner}: --family-option must name an option of {cls.__name__} ({have}); got {unknown[0]!r}. "
                               "See `maxlik families` for each family's parameters.")
    return get_family(name, owner=owner, **opts)
