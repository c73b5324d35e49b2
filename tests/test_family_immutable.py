"""Families are immutable once built: they are cache keys of compiled solvers and compare by options."""

from __future__ import annotations

import pytest

import maxlik


# -- immutable families (they are cache keys of compiled solvers) ---------------------------------
@pytest.mark.parametrize("name", sorted(maxlik.family_names()))
def test_every_family_is_immutable(name):
    fam = maxlik.get_family(name, **({"total_count": 5} if name == "binomial" else {}))
    cls = type(fam).__name__
    with pytest.raises(AttributeError, match=rf"^{cls}: instances are immutable; got an assignment to 'anything'\. "
                                             rf"Build a new family instead"):
        fam.anything = 1
    assert fam == maxlik.get_family(name, **fam.options) and hash(fam) == hash(maxlik.get_family(name, **fam.options))
