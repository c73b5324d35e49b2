"""Data that is not one in-memory array: files larger than memory (:func:`scan`) and Dask
collections. Fits take a :class:`Source` wherever they take an array and run as passes over
its chunks (see :mod:`._base`)."""

from ._base import Chunk, Source, merge, working_on
from ._detect import as_source, is_source
from .files import FileSource, scan

__all__ = ["Chunk", "FileSource", "Source", "as_source", "is_source", "merge", "scan", "working_on"]
