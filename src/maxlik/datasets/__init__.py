"""Embedded reference data sets, each with its provenance.

>>> from maxlik import datasets
>>> d = datasets.load("faithful")
>>> d.X.shape, d.feature_names
((272, 2), ['eruptions', 'waiting'])

| name      | rows  | features | target  | source |
|-----------|-------|----------|---------|--------|
| faithful  | 272   | 2        | —       | Old Faithful geyser (Härdle 1991), as in R's `datasets` |
| iris      | 150   | 4        | species | Fisher (1936), as in R's `datasets` |
| vowel     | 990   | 10       | vowel   | Deterding (1989) vowels, UCI vowel-context; `split` train = speakers 0–7 |
| spam      | 4,601 | 57       | type    | Spambase (Hopkins et al. 1999), as shipped with R's `kernlab` |

plus :func:`skittles`, a seeded two-class 2-D generator for the classifier example.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

import numpy as np
import pyarrow.csv as pacsv

from ..errors import ParameterError

_INFO = {
    "faithful": ("faithful.csv", None, "Old Faithful geyser: eruption duration (min) and waiting time to the next eruption (min). Härdle (1991), as shipped with R's datasets package."),
    "iris": ("iris.csv", "Species", "Fisher's (1936) iris measurements: 4 features (cm), 3 species, 50 each. As in R's datasets package."),
    "vowel": ("vowel.csv", "vowel", "Deterding (1989) vowel recognition: 10 log-area-ratio features, 11 vowels, 15 speakers; column `split` is the standard speaker-independent split (speakers 0–7 train, 528 rows; 8–14 test, 462 rows). From the UCI vowel-context data."),
    "spam": ("spam.csv", "type", "Spambase (Hopkins, Reeber, Forman, Suermondt 1999): 57 word/character frequency and capital-run features; target spam / nonspam. As shipped with R's kernlab package."),
}


@dataclass(frozen=True)
class Dataset:
    """A data set: features X (n, d) float64, optional labels y (n,) strings, and metadata.
    ``extra`` holds non-feature columns (e.g. vowel's ``split`` and ``speaker``)."""

    name: str
    X: np.ndarray
    feature_names: list[str]
    y: np.ndarray | None
    description: str
    extra: dict = field(default_factory=dict)

    def frame(self):
        """The data as a pandas DataFrame (needs pandas)."""
        import pandas as pd

        df = pd.DataFrame(self.X, columns=self.feature_names)
        for k, v in self.extra.items():
            df[k] = v
        if self.y is not None:
            df[_INFO[self.name][1]] = self.y
        return df


def names() -> list[str]:
    return sorted(_INFO)


def path(name: str):
    """Filesystem path of the embedded CSV (for the command line and examples)."""
    _check(name)
    return resources.files(__name__).joinpath(_INFO[name][0])


def _check(name: str) -> None:
    if name not in _INFO:
        raise ParameterError(f"datasets: name must be one of {names()}; got {name!r}.")


def load(name: str) -> Dataset:
    """Load an embedded data set by name."""
    _check(name)
    filename, target, description = _INFO[name]
    with resources.as_file(path(name)) as p:
        table = pacsv.read_csv(p)
    cols = {c: table.column(c).to_numpy() for c in table.column_names}
    y = None if target is None else np.asarray(cols.pop(target)).astype(str)
    extra = {k: cols.pop(k) for k in ("split", "speaker") if k in cols}
    feature_names = list(cols)
    X = np.column_stack([np.asarray(cols[c], dtype=np.float64) for c in feature_names])
    return Dataset(name, X, feature_names, y, description, extra)


def skittles(n_per_class: int = 100, seed: int = 0) -> Dataset:
    """Two classes of 2-D points ("purple" and "yellow" skittles), each from a Gaussian with
    its own mean and per-axis spread: the textbook picture of a generative classifier with
    diagonal class covariances. Seeded, so the same call gives the same data."""
    rng = np.random.default_rng(seed)
    purple = rng.normal([2.0, 3.0], [0.6, 1.0], size=(n_per_class, 2))
    yellow = rng.normal([4.0, 1.5], [1.0, 0.5], size=(n_per_class, 2))
    X = np.vstack([purple, yellow])
    y = np.array(["purple"] * n_per_class + ["yellow"] * n_per_class)
    return Dataset("skittles", X, ["width", "height"], y, skittles.__doc__.split("\n\n")[0])
