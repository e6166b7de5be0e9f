"""What every hook has: one job around the training loop, behind the same small interface.

After TF1's ``SessionRunHook`` (begin / after_run / end), for blocks of steps: the trainer
(tf_gan/run/trainer.py) runs blocks of iterations and knows nothing of pictures, logs or
checkpoints. Each hook may

* ``build``: add its ops to the graph, before the graph is frozen;
* ``begin``: start, once the session holds initial or restored weights;
* ``next_stop``: name the earliest step after which it needs the loop to pause (a block
  ends at the earliest step any hook asks for);
* ``after_block``: do its job once a block of steps has run;
* ``state`` / ``restore``: what it must remember, saved in every checkpoint under the
  hook's own ``name`` (no hook can overwrite another's), and given back on resume;
* ``end``: finish, whether the run completed, was stopped or diverged.

A hook that wants the run to stop calls ``ctx.request_stop(reason)``, as TF1's
``MonitoredSession`` hooks call ``run_context.request_stop()``: the loop stops after its
current step (classic) or block (fast), every hook sees ``ctx.stop_signal`` set in that
block's ``after_block``, and the checkpoint hook saves.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tf_gan.graph import tf1
from tf_gan.recipes.base import Gan, RecipeConfig
from tf_gan.run.events import EventLog
from tf_gan.run.loops import Block


@dataclass
class Context:
    """What the trainer shares with its hooks while a run trains."""

    run: Path  # the run directory
    name: str  # the recipe's name, for titles and log lines
    cfg: RecipeConfig  # the recipe's settings, with steps, sample_every and log_every filled in
    seed: int
    gan: Gan
    per_epoch: int  # steps per epoch, for the posts' log lines
    sess: tf1.Session | None = None
    events: EventLog | None = None  # TensorBoard: open from begin to end
    start: int = 0  # the step this process began at (0, or the checkpoint a run resumed from)
    step: int = 0  # steps done so far
    last: int = -1  # the last iteration run (steps are counted from 0, as the posts' log lines do)
    last_checkpoint: str | None = None  # the newest checkpoint written or restored
    stop_signal: int | None = None  # why the run stops (a Ctrl-C or SIGTERM), as every hook sees it after a block
    closing: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)  # closed when the run ends
    asked_to_stop: int | None = field(default=None, repr=False)  # request_stop's reason, until the block ends

    @property
    def finished(self) -> bool:
        return self.step == self.cfg.steps

    def request_stop(self, reason: int) -> None:
        """Ask the run to stop after the current step or block (the first reason given is kept)."""
        if self.asked_to_stop is None:
            self.asked_to_stop = reason

    def stop_requested(self) -> bool:
        """Has anyone asked yet? The classic loop looks after every step, the fast loop after its block."""
        return self.asked_to_stop is not None

    def end_block(self) -> None:
        """The trainer, once a block has run: a stop asked during it is what every hook now sees."""
        self.stop_signal = self.asked_to_stop


class Hook:
    """One job around the loop. Every method does nothing by default: a hook overrides what it needs."""

    @property
    def name(self) -> str:
        """Its key in a checkpoint's loop state: the class's name unless a hook says otherwise."""
        return type(self).__name__

    def build(self, ctx: Context) -> None:
        """Add ops to the graph (ctx.gan's graph is the default graph here; it is frozen afterwards)."""

    def begin(self, ctx: Context) -> None:
        """The session holds the initial or restored weights; ctx.start is the first step to run."""

    def next_stop(self, step: int) -> int | None:
        """The earliest step after `step` at which this hook wants the loop to pause; None: never."""
        return None

    def after_block(self, ctx: Context, block: Block) -> None:
        """A block of steps has run: ctx.step steps are done, ctx.last is the block's last iteration."""

    def state(self) -> dict[str, Any]:
        """What this hook keeps in a checkpoint, under its name (JSON: numbers, strings, lists and dicts)."""
        return {}

    def restore(self, ctx: Context, state: dict[str, Any]) -> None:
        """Take back what `state()` returned when the checkpoint was saved ({} if it saved nothing)."""

    def end(self, ctx: Context, last: int) -> None:
        """The run is over: completed (ctx.finished), stopped or diverged; `last` is the last step it reached."""


def next_multiple(step: int, every: int | None) -> int | None:
    """The first multiple of `every` after `step`: when an every-K-steps hook next wants a pause."""
    return None if not every else (step // every + 1) * every

