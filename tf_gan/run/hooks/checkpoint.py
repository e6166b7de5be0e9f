"""Checkpoints every ``checkpoint_every`` steps, at a stop and at the end.

Each holds the whole loop state beside the weights (tf_gan/run/checkpoints.py): the step,
the data order, the noise stream and every hook's state, so ``--resume`` continues
exactly as if the run had never stopped. The final checkpoint is written after everything
else at the end: a run whose final checkpoint exists has all its pictures, and one killed
before it resumes and writes them again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tf_gan.run.checkpoints import Checkpointer
from tf_gan.run.hooks.base import Context, Hook, next_multiple
from tf_gan.run.loops import Block
from tf_gan.run.run_dir import checkpoint_prefix


class Checkpoints(Hook):
    """Saves `loop_state()` with the weights; ctx.last_checkpoint names the newest, for the NaN guard's message."""

    def __init__(self, saver: Checkpointer, every: int, loop_state: Callable[[], dict[str, Any]]) -> None:
        self.saver, self.every, self.loop_state = saver, every, loop_state

    def next_stop(self, step: int) -> int:
        return next_multiple(step, self.every)

    def after_block(self, ctx: Context, block: Block) -> None:
        if not ctx.finished and (ctx.stop_signal is not None or ctx.step % self.every == 0):
            self.save(ctx)

    def save(self, ctx: Context) -> None:
        ctx.last_checkpoint = self.saver.save(ctx.sess, checkpoint_prefix(ctx.run), ctx.step, self.loop_state())
        ctx.events.flush()

    def end(self, ctx: Context, last: int) -> None:
        if ctx.finished:
            self.save(ctx)
