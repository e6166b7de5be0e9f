"""What a person watching sees: the post's log line every ``sample_every`` steps, and a progress bar.

The bar draws itself only on a terminal; every log line carries the same rate and time
left, so a log file has them too.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from tqdm.contrib.logging import logging_redirect_tqdm

from tf_gan.run import progress
from tf_gan.run.hooks.base import Context, Hook
from tf_gan.run.hooks.losslog import LossLog
from tf_gan.run.loops import Block

log = logging.getLogger("tf_gan.run.trainer")


class Console(Hook):
    """The recipe's own log line (its post's print) with D(x), D(G(z)), the speed and the time left."""

    def __init__(self, log_line: Callable[..., str], losses: LossLog) -> None:
        self.log_line, self.losses = log_line, losses

    def begin(self, ctx: Context) -> None:
        self.bar = ctx.closing.enter_context(progress.bar(ctx.cfg.steps, ctx.start, desc=ctx.name))
        ctx.closing.enter_context(logging_redirect_tqdm())  # log lines above the bar, not through it
        self.began = time.perf_counter()

    def after_block(self, ctx: Context, block: Block) -> None:
        if ctx.last % ctx.cfg.sample_every == 0 or ctx.finished:
            row = self.losses.rows[-1]
            log.info("%s  D(x): %.2f  D(G(z)): %.2f%s", self.log_line(ctx.last, row, epoch=ctx.last // ctx.per_epoch),
                     row["D_real"], row["D_fake"],
                     progress.speed(ctx.step - ctx.start, ctx.cfg.steps - ctx.step, self.began))
        self.bar.update(len(block.metrics))
