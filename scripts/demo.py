"""Placeholder demo until the CLI lands: fit embedded data sets and print the results."""
import numpy as np
import maxlik

print(maxlik.fit([2.1, 1.9, 2.0, 2.3, 1.8], "normal").summary())
