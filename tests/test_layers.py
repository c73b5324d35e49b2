"""The import layers of maxlik (README "Layout", ../shared/DESIGN.md "Layers").

Walks every module under ``src/maxlik`` with ``ast`` (top-level and function-level imports alike)
and fails on

(a) an import from a higher layer,
(b) a cycle between modules,
(c) a private name (``_x``) or a private module imported from outside the package that owns it:
    ``maxlik.families._base`` is private to ``maxlik.families``; ``maxlik._validation`` is private
    to ``maxlik`` (so every module of the library may use it).

A module may import from its own layer or any layer below.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = "maxlik"

# Bottom to top. A module belongs to the first entry that names it or a package above it; a package
# named here takes all its submodules unless a more specific name is listed too.
LAYERS: list[tuple[str, list[str]]] = [
    ("utilities", ["maxlik.errors", "maxlik.status", "maxlik._validation", "maxlik._jax", "maxlik._xp",
                   "maxlik._threads", "maxlik._deprecation", "maxlik._family_classes",
                   "maxlik._paths", "maxlik._textfile", "maxlik._lapack"]),
    ("datasets", ["maxlik.datasets"]),  # bundled CSV files; reads them, imports nothing of ours above
    ("data sources", ["maxlik.io", "maxlik.data", "maxlik.sources"]),
    ("constraints, transforms", ["maxlik.constraints", "maxlik.transforms"]),
    ("families", ["maxlik.families"]),
    ("engine", ["maxlik.optimize", "maxlik.inference", "maxlik.criteria", "maxlik.profile"]),
    ("results", ["maxlik.results"]),
    ("entry points", ["maxlik.fitting", "maxlik.rescaled_fit", "maxlik.stats_fit", "maxlik.threshold_fit", "maxlik.truncated_fit",
                      "maxlik.truncated_family", "maxlik.censored", "maxlik.censored_family", "maxlik.priors", "maxlik.map_fit", "maxlik.simulation", "maxlik.censored_fit", "maxlik.turnbull", "maxlik.streamed", "maxlik.loglik",
                      "maxlik.curve", "maxlik.groups",
                      "maxlik.likelihood_ratio", "maxlik.model_selection",
                      "maxlik._refit_many", "maxlik.gof", "maxlik.bootstrap", "maxlik.bootstrap_result"]),
    ("models", ["maxlik.models"]),
    ("persistence", ["maxlik.persist"]),  # save / load of every result and estimator
    ("user-facing", ["maxlik.cli", "maxlik._cli_main", "maxlik._cli_streaming", "maxlik._cli_persist",
                     "maxlik._cli_flags", "maxlik._cli_common", "maxlik._cli_io", "maxlik._cli_options", "maxlik._cli_print",
                     "maxlik._cli_figure", "maxlik._cli_fit", "maxlik._cli_fit_by", "maxlik._cli_families", "maxlik._cli_demo",
                     "maxlik._cli_compare", "maxlik._cli_classify", "maxlik._cli_mixture", "maxlik._cli_regress",
                     "maxlik.plot", "maxlik.plot_sampling",
                     "maxlik._figures", "maxlik.fit_figure", "maxlik.fit_figure_censored", "maxlik.report", "maxlik.demo",
                     "maxlik._demo_sampling"]),
    ("package", ["maxlik"]),  # maxlik/__init__.py re-exports everything; nothing imports it
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((SRC / ROOT).rglob("*.py"))}


def is_package(name: str, modules: dict[str, Path]) -> bool:
    return modules[name].name == "__init__.py"


def imports_of(name: str, modules: dict[str, Path]) -> list[tuple[str, str | None]]:
    """Every maxlik import in module ``name``: (imported module, imported name or None)."""
    tree = ast.parse(modules[name].read_text(), filename=str(modules[name]))
    package = name if is_package(name, modules) else name.rpartition(".")[0]
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(tree):  # walks function bodies too: lazy imports count
        if isinstance(node, ast.Import):
            found += [(a.name, None) for a in node.names if a.name.split(".")[0] == ROOT]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != ROOT:
                continue
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                # `from pkg import mod` imports the module pkg.mod, not a name of pkg/__init__
                found.append((sub, None) if sub in modules else (source, alias.name))
    return found


def layer_of(name: str) -> int:
    best, best_len = None, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            under = name.startswith(prefix + ".") and prefix != ROOT  # "maxlik" itself: only the name
            if (name == prefix or under) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    if best is None:
        raise AssertionError(f"test_layers: module {name} is in no layer; add it to LAYERS.")
    return best


def owner_package(name: str, modules: dict[str, Path]) -> str:
    """The package whose private API ``name`` (a module) belongs to."""
    return name if is_package(name, modules) else name.rpartition(".")[0]


def private_module_owner(name: str) -> str | None:
    """For a module with a private component (``a.b._c.d``), the package that owns it (``a.b``)."""
    parts = name.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return ".".join(parts[:i])
    return None


def inside(importer: str, package: str) -> bool:
    return importer == package or importer.startswith(package + ".")


def graph() -> dict[str, set[str]]:
    modules = all_modules()
    return {m: {target for target, _ in imports_of(m, modules)} - {m} for m in modules}


def violations() -> set[tuple[str, ...]]:
    modules = all_modules()
    found: set[tuple[str, ...]] = set()
    for importer in modules:
        for target, attr in imports_of(importer, modules):
            if target not in modules:
                raise AssertionError(f"test_layers: {importer} imports {target}, which does not exist.")
            if layer_of(target) > layer_of(importer):
                found.add(("upward", importer, target))
            owner = private_module_owner(target)
            if owner is not None and not inside(importer, owner):
                found.add(("private", importer, target))
            if attr is not None and attr.startswith("_") and not inside(importer, owner_package(target, modules)):
                found.add(("private", importer, f"{target}.{attr}"))
    for component in strongly_connected(graph()):
        if len(component) > 1:
            found.add(("cycle", " ".join(sorted(component))))
    return found


def strongly_connected(edges: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative (the graph is small, but recursion limits are not our business)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[set[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    out.append(component)
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return out


def test_every_module_has_a_layer():
    for name in all_modules():
        layer_of(name)


def test_no_layer_violations():
    # each entry: (kind, importer, imported) for "upward" and "private"; ("cycle", "a b c") for a cycle
    found = violations()
    assert not found, "import-layer violations (fix them; see LAYERS):\n" + "\n".join(map(str, sorted(found)))


# The checker itself, on small cases, so that a silent walker cannot pass the two tests above.
def test_checker_sees_cycles():
    components = strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
    assert {"a", "b", "c"} in components and {"d"} in components


@pytest.mark.parametrize(
    "name, owner",
    [("maxlik.families._base", "maxlik.families"), ("maxlik._validation", "maxlik"),
     ("maxlik.optimize._engine", "maxlik.optimize"), ("maxlik.fitting", None)],
)
def test_private_module_owner(name, owner):
    assert private_module_owner(name) == owner


def test_walker_finds_function_level_imports():
    modules = all_modules()
    targets = {t for t, _ in imports_of("maxlik._cli_fit", modules)}
    assert "maxlik.fitting" in targets  # imported inside a command function



def test_no_public_name_is_also_a_submodule():
    """``maxlik.prior`` was a function and a module: importing the module (as map_fit does)
    replaced the function on the package, and ``maxlik.prior(...)`` became a TypeError."""
    import pkgutil

    import maxlik

    modules = {m.name for m in pkgutil.iter_modules(maxlik.__path__)}
    clashes = sorted(n for n in maxlik.__all__ if n in modules and not isinstance(getattr(maxlik, n), type(maxlik)))
    assert not clashes, clashes
