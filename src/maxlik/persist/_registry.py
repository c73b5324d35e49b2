"""The kinds of object that :func:`maxlik.save` writes and :func:`maxlik.load` rebuilds.

Each kind is a name (the class's name) -> the class, ``to_state(obj) -> dict`` (plain values,
arrays and nested registered objects, see :mod:`._codec`) and ``from_state(state) -> obj``.
Loading looks a file's kind up here and nowhere else: no module named by a file is imported,
no class named by a file is constructed unless it is registered.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple


class Kind(NamedTuple):
    cls: type
    to_state: Callable[[Any], dict]
    from_state: Callable[[dict], Any]


KINDS: dict[str, Kind] = {}


def register(cls: type, to_state: Callable[[Any], dict], from_state: Callable[[dict], Any], name: str | None = None) -> None:
    KINDS[name or cls.__name__] = Kind(cls, to_state, from_state)


def kind_of(obj) -> str | None:
    """The registered kind of ``obj`` (its exact class), or None."""
    name = type(obj).__name__
    kind = KINDS.get(name)
    return name if kind is not None and kind.cls is type(obj) else None


class Invalid(Exception):
    """Raised by a ``from_state`` (or the checks below) for a state that does not have the
    documented form: ``where`` (a path into the state) must be ``what``."""

    def __init__(self, where: str, what: str):
        super().__init__(f"{where} must be {what}")
        self.where, self.what = where, what


def field(state: dict, key: str, types, where: str = "state", *, optional: bool = False):
    """``state[key]``, checked to be of ``types`` (a type or a tuple; bool is not an int here)."""
    if not isinstance(state, dict):
        raise Invalid(where, "an object")
    if key not in state:
        if optional:
            return None
        raise Invalid(f"{where}.{key}", "present")
    v = state[key]
    types = types if isinstance(types, tuple) else (types,)
    if float in types and isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    ok = isinstance(v, types) and not (isinstance(v, bool) and bool not in types)
    if optional and v is None:
        return None
    if not ok:
        names = " or ".join("a number" if t is float else t.__name__ for t in types)
        raise Invalid(f"{where}.{key}", f"{names}; got {type(v).__name__}")
    return v


def checked_dict(state: dict, key: str, values, where: str = "state", *, optional: bool = False):
    """``state[key]``: an object whose every value is of ``values`` (checked as :func:`field` does)."""
    d = field(state, key, dict, where, optional=optional)
    if d is None:
        return None
    if not all(isinstance(k, str) for k in d):
        raise Invalid(f"{where}.{key}", "an object with string keys")
    return {k: field(d, k, values, f"{where}.{key}") for k in d}


def family_state(fam) -> dict:
    """A family as its name and options (rebuilt by :func:`family_of`)."""
    return {"family": fam.name, "family_options": dict(fam.options)}


def family_of(state: dict):
    """The family of a :func:`family_state`: from the family registry, or a registered builder
    (a truncated family); nothing outside those is constructed."""
    from ..results import family_from_dict

    field(state, "family", str)
    field(state, "family_options", dict)
    return family_from_dict(state, owner="maxlik.load")
