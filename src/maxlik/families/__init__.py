"""Distribution families, one per module. Each module registers its class on import."""

from ._base import Family, Param, Stats
from ._registry import families, get_family, names, register
from .normal import Normal

__all__ = ["Family", "Param", "Stats", "families", "get_family", "names", "register", "Normal"]
