"""Embedded data sets equal the reference files in ../shared/data, read independently."""

import csv

import numpy as np
import pytest

from maxlik import datasets
from shared_paths import shared_data


@pytest.mark.parametrize("name", ["faithful", "iris", "vowel", "spam"])
def test_embedded_copy_equals_reference_file(name):
    with open(shared_data(f"{name}.csv"), newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    d = datasets.load(name)
    assert d.X.shape == (len(body), len(d.feature_names))
    for j, col in enumerate(d.feature_names):
        ref = np.array([float(r[header.index(col)]) for r in body])
        np.testing.assert_array_equal(d.X[:, j], ref)


def test_known_sizes_and_splits():
    assert datasets.load("faithful").X.shape == (272, 2)
    iris = datasets.load("iris")
    assert sorted(set(iris.y)) == ["setosa", "versicolor", "virginica"]
    vowel = datasets.load("vowel")
    assert (vowel.extra["split"] == "train").sum() == 528 and (vowel.extra["split"] == "test").sum() == 462
    assert len(set(vowel.y)) == 11
    spam = datasets.load("spam")
    assert spam.X.shape == (4601, 57) and set(spam.y) == {"spam", "nonspam"}


def test_skittles_is_seeded():
    a, b = datasets.skittles(seed=3), datasets.skittles(seed=3)
    np.testing.assert_array_equal(a.X, b.X)
    assert a.X.shape == (200, 2) and set(a.y) == {"purple", "yellow"}


def test_unknown_name():
    with pytest.raises(ValueError, match=r"datasets: name must be one of \['faithful', 'iris', 'spam', 'vowel'\]; got 'irsi'"):
        datasets.load("irsi")
