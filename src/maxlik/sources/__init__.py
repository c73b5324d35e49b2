"""Data that is not one in-memory array: files larger than memory (:func:`scan`) and Dask
collections. Fits take a :class:`Source` wherever they take an array and run as passes over
its chunks (see :mod:`._base`)."""

from ._base import Chunk, Source, merge, working_on
from ._detect import as_source, is_source
from ._progress import listening as listening_to_progress
from .files import FileSource, numeric_columns, scan

__all__ = ["Chunk", "FileSource", "listening_to_progress", "Source", "as_source", "is_source", "merge", "numeric_columns", "scan", "working_on"]
