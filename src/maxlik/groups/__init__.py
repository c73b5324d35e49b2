"""Many groups in one call: :func:`fit_groups` fits one model per group label and returns a
:class:`GroupFits` table.

* :mod:`._segments` — labels -> contiguous segments of sorted rows, segmented sums;
* :mod:`._closed` — closed-form families and Gamma: segmented statistics, vectorised estimates;
* :mod:`._derivatives`, :mod:`.batched` — numerical families: per-group derivative sums and
  the batched Newton (:mod:`maxlik.optimize.batched_newton`);
* :mod:`.table` — the GroupFits table;  :mod:`.fit` — the entry point.
"""

from .fit import fit_groups
from .table import GroupFits

__all__ = ["GroupFits", "fit_groups"]
