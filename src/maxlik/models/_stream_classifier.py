"""GaussianClassifier on a data source: one pass of per-class sufficient statistics.

Each chunk gives its labels (every label seen, also on rows of weight 0, as the in-memory fit's
``classes_``) and, for the rows of positive weight, one MultivariateNormal ``Stats`` per class
present (``grouped_suffstats``); the chunks' results merge by the union of labels and
``Stats.merge`` (Chan–Golub–LeVeque, exact) per class. The estimates then come from the merged
statistics exactly as after ``partial_fit``, so they equal the in-memory fit to rounding.
"""

from __future__ import annotations

import numpy as np

from ..errors import DataError
from ..sources import Chunk, Source
from ._labels import class_index, continuous_labels, sorted_labels
from ._sourced import check_chunk, checked_pass, design, first

OWNER = "GaussianClassifier"


class _ClassPass:
    """Merged result of the pass: labels seen, {label: Stats}, rows, weight, findings."""

    def __init__(self, labels, stats, count, weight, bad_x, bad_w, bad_y):
        self.labels, self.stats, self.count, self.weight = labels, stats, count, weight
        self.bad_x, self.bad_w, self.bad_y = bad_x, bad_w, bad_y

    def merge(self, o: "_ClassPass") -> "_ClassPass":
        stats = dict(self.stats)
        for c, st in o.stats.items():
            stats[c] = stats[c].merge(st) if c in stats else st
        return _ClassPass(self.labels | o.labels, stats, self.count + o.count, self.weight + o.weight,
                          first(self.bad_x, o.bad_x), first(self.bad_w, o.bad_w), first(self.bad_y, o.bad_y))


def class_pass(family, src: Source) -> _ClassPass:
    """The per-class statistics of every row of ``src`` (one pass)."""
    def part(c: Chunk):
        if len(c.x) == 0:
            return None
        bad_x, bad_w = check_chunk(c)
        bad_y = continuous_labels(c)
        labels = sorted_labels(np.asarray(c.y))
        weight = float(len(c.x) if c.w is None else c.w.sum())
        stats = {}
        if bad_x is None and bad_w is None and bad_y is None:
            X, y, w = design(c), c.y, c.w
            if w is not None and not (w > 0).all():
                keep = w > 0
                X, y, w = X[keep], y[keep], w[keep]
            index = class_index(y, labels)
            order = np.argsort(index, kind="stable")
            bounds = np.concatenate([[0], np.cumsum(np.bincount(index, minlength=labels.size))])
            present = [k for k in range(labels.size) if bounds[k] < bounds[k + 1]]
            groups = [order[bounds[k]:bounds[k + 1]] for k in present]
            values = labels.tolist()
            stats = {values[k]: st for k, st in zip(present, family.grouped_suffstats(X, groups, w))}
        return _ClassPass(set(labels.tolist()), stats, len(c.x), weight, bad_x, bad_w, bad_y)

    p = checked_pass(OWNER, src, part)
    if p.bad_y is not None:
        n, place, value = p.bad_y
        raise DataError(f"{OWNER}: the labels in column {src.target!r} must be classes, not continuous values; got "
                        f"{n:,} non-integer number(s) (first at {place}: {value}). Use a label column.")
    return p


def fit_classifier_source(est, src: Source):
    """Set the fitted attributes of ``est`` (a GaussianClassifier) from one pass over ``src``."""
    p = class_pass(est._family(), src)
    est.classes_ = np.array(sorted(p.labels))
    if est.classes_.size < 2:
        raise DataError(f"{OWNER}: y must contain at least 2 classes; got 1 class ({est.classes_[0]!s}) in "
                        f"{src.describe()}. A classifier needs examples of every class it should predict.")
    est._stats = p.stats
    est._update_params()
    return est


__all__ = ["class_pass", "fit_classifier_source"]
