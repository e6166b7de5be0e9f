"""The run machinery: the trainer and its hooks, the loops, checkpoints, the run directory and its record."""
