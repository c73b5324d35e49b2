"""Hypothesis profiles of the property suite, chosen by HYPOTHESIS_PROFILE (default "ci").

ci   : a modest number of examples per property, derandomised (the same examples on every run,
       so CI is reproducible), no deadline (the first fit of a family compiles its kernels).
fuzz : 10⁴ examples per property (``make fuzz``; FUZZ_EXAMPLES overrides the number), random
       examples under the seed ``tools/fuzz.py`` passes with --hypothesis-seed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).resolve().parent))  # `import strategies` from the test modules

_COMMON = dict(deadline=None, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
settings.register_profile("ci", max_examples=int(os.environ.get("CI_EXAMPLES", 15)), derandomize=True, **_COMMON)
settings.register_profile("fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", 10_000)), **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
