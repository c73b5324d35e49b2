"""Benchmarks (``make bench`` / ``python -m benchmarks [filter]``); never part of the tests."""
