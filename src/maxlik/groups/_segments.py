"""Group labels -> contiguous segments: sort the rows once, then every per-group sum is one
``np.add.reduceat`` over the sorted rows (no Python loop over groups).

    labels (G,)   the distinct group labels, sorted (np.unique)
    order  (n,)   a stable permutation of the rows that puts each group's rows together
    starts (G,)   first row of each group in sorted order;  counts (G,) its number of rows

``Segments`` takes plain NumPy arrays, so any source that can deliver (x, groups) columns
(an array, a DataFrame, a later ``maxlik.scan`` source read in full) feeds it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Segments:
    labels: np.ndarray
    order: np.ndarray
    starts: np.ndarray
    counts: np.ndarray

    @classmethod
    def from_labels(cls, groups: np.ndarray) -> "Segments":
        """Factorise ``groups`` (n,) (ints, floats, strings or objects; sortable)."""
        labels, inverse = np.unique(groups, return_inverse=True)
        inverse = inverse.reshape(-1)
        order = np.argsort(inverse, kind="stable")
        counts = np.bincount(inverse, minlength=labels.shape[0])
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
        return cls(labels, order, starts, counts)

    @property
    def n_groups(self) -> int:
        return int(self.labels.shape[0])

    @property
    def ids(self) -> np.ndarray:
        """(n,) group index of each sorted row."""
        return np.repeat(np.arange(self.n_groups), self.counts)

    def sort(self, values: np.ndarray) -> np.ndarray:
        """``values`` (n, ...) in segment order."""
        return values[self.order]

    def rows(self, g: int) -> np.ndarray:
        """Indices (into the original rows) of group ``g``, in their original order."""
        return self.order[self.starts[g] : self.starts[g] + self.counts[g]]


def segment_sum(sorted_values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Σ over each segment of rows (axis 0) of ``sorted_values`` (n, ...) -> (G, ...); every
    segment must be non-empty (reduceat returns the start row itself for an empty one)."""
    if sorted_values.shape[0] == 0:
        return np.zeros((0, *sorted_values.shape[1:]))
    return np.add.reduceat(sorted_values, starts, axis=0)
