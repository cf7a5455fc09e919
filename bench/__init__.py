"""Benchmarks (`make bench`) and the drift evaluation (`make eval`): figures, not pass/fail."""
