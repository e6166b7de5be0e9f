"""Experiments over many runs: compare-losses (variants, runner, report)."""
