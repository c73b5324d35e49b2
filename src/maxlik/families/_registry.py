"""Family registry: lower-case names -> classes, and resolution of whatever a user passes."""

from __future__ import annotations

from .._family_classes import registry_key, unknown_family
from ..errors import ParameterError, UnknownFamilyError
from ._base import REGISTRY as _REGISTRY
from ._base import Family, with_distribution_functions  # noqa: F401  (public here)
from ._scale_rules import scale_exponents_of


def register(cls: type[Family]) -> type[Family]:
    """Class decorator adding a family under ``cls.name``."""
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise ValueError(f"register: family name {cls.name!r} is already taken by {_REGISTRY[cls.name].__name__}.")
    scale_exponents_of(cls)  # a malformed declaration fails here, not in a fit of data near 1e±300
    _REGISTRY[cls.name] = cls
    return cls


def names() -> list[str]:
    """The registry names, sorted: ``["bernoulli", "beta", ...]``."""
    return sorted(_REGISTRY)


def family_names() -> dict[str, type[Family]]:
    """Registry name -> family class, sorted by name (each class carries its ``params`` table)."""
    return dict(sorted(_REGISTRY.items()))


def get_family(spec, *, owner: str = "get_family", **options) -> Family:
    """Resolve a registry name (``"normal"``), a class (``Normal``) or an instance.

    ``options`` configure a name or class, e.g. ``get_family("mvnormal", covariance_type="diag")``.
    ``owner`` prefixes the error messages: the name of the function the user called (``"fit"``,
    ``"compare"``, ...), so that a misspelt family is reported where it was written.
    """
    if isinstance(spec, Family):
        if options:
            raise ParameterError(
                f"{owner}: options must be empty when a configured family is passed; got {sorted(options)}. "
                f"Configure the instance instead, e.g. {type(spec).__name__}(...)."
            )
        return spec
    if isinstance(spec, type) and issubclass(spec, Family):
        return spec(**options)
    if isinstance(spec, str):
        key = registry_key(spec)
        if key in _REGISTRY:
            return _REGISTRY[key](**options)
        raise unknown_family(spec, _REGISTRY, owner)
    raise UnknownFamilyError(
        f"{owner}: family must be a name, a Family class or a Family instance; got {type(spec).__name__}."
    )
