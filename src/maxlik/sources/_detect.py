"""Which inputs are sources: a :class:`~._base.Source`, or a Dask collection (wrapped)."""

from __future__ import annotations

from ._base import Source


def is_source(x) -> bool:
    """A :class:`Source`, or a Dask collection (recognised without importing Dask)."""
    return isinstance(x, Source) or _is_dask(x)


def _is_dask(x) -> bool:
    return type(x).__module__.split(".")[0] == "dask" and hasattr(x, "__dask_graph__")


def as_source(x, *, columns=None, target=None, weights=None, owner: str = "fit") -> Source | None:
    """``x`` as a :class:`Source` (Dask collections are wrapped), or None for in-memory data."""
    if isinstance(x, Source):
        return x if target is None and weights is None else x.with_roles(target=target, weights=weights)
    if _is_dask(x):
        from .dask_source import DaskSource

        return DaskSource.wrap(x, columns=columns, target=target, weights=weights, owner=owner)
    return None
