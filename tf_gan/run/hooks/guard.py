"""The NaN guard: stop the moment a loss, a weight or an optimizer's moment stops being a number.

Once a weight is NaN, the printed losses can still look like ordinary numbers for a
while; a non-finite gradient shows up first in Adam's moment estimates. So every float
variable is checked, not just the losses: the classic loop after every step, the fast
loop after each block (naming the first bad step of the block). Nothing from that step is
saved, and the error names the last good checkpoint.
"""

from __future__ import annotations

import math

import numpy as np

from tf_gan.errors import TrainingDiverged
from tf_gan.graph import tf, tf1
from tf_gan.run.hooks.base import Context, Hook


def finite_flags(variables: list[tf.Variable]) -> tf.Tensor:
    """One bool per variable: are all of its entries finite?

    A sum is NaN or infinite when any entry is, and one pass over the entries costs half of
    ``reduce_all(is_finite(v))``. (It could also overflow if the entries were near 1e38: a run
    would be lost long before that.)
    """
    return tf.stack([tf.math.is_finite(tf.reduce_sum(v)) for v in variables])


def check_finite(it: int, metrics: dict[str, float], flags: np.ndarray, variables: list[tf.Variable],
                 last_good: str | None = None, hint: str = "") -> None:
    """Raise TrainingDiverged naming every non-finite loss and variable after iteration `it`."""
    bad = [f"{name} ({value})" for name, value in metrics.items() if not math.isfinite(value)]
    bad += [v.op.name for v, ok in zip(variables, flags) if not ok]
    if bad:
        raise TrainingDiverged(it, bad, last_good, hint)


class Guard(Hook):
    """Checks the losses and every float variable; the loops call `check` (tf_gan/run/loops.py)."""

    def __init__(self) -> None:
        self.ctx: Context | None = None

    def build(self, ctx: Context) -> None:
        with tf1.name_scope("guard"):  # every float variable: weights, Adam's moments, batch-norm statistics
            self.watched = [v for v in tf1.global_variables() if v.dtype.base_dtype.is_floating]
            self.flags = finite_flags(self.watched)
        self.hint = ("the raw log loss does this; --loss sigmoid_ce computes the same loss stably"
                     if ctx.cfg.loss == "raw_log" else "")

    def begin(self, ctx: Context) -> None:
        self.ctx = ctx

    def check(self, it: int, metrics: dict[str, float]) -> None:
        """Raise TrainingDiverged if iteration `it` left a loss or a variable non-finite."""
        check_finite(it, metrics, self.ctx.sess.run(self.flags), self.watched, self.ctx.last_checkpoint, self.hint)
