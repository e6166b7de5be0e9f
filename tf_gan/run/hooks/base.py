"""What every hook has: one job around the training loop, behind the same small interface.

After TF1's ``SessionRunHook`` (begin / after_run / end), for blocks of steps: the trainer
(tf_gan/run/trainer.py) runs blocks of iterations and knows nothing of pictures, logs or
checkpoints. Each hook may

* ``build``: add its ops to the graph, before the graph is frozen;
* ``begin``: start, once the session holds initial or restored weights;
* ``next_stop``: name the earliest step after which it needs the loop to pause (a block
  ends at the earliest step any hook asks for);
* ``after_block``: do its job once a block of steps has run;
* ``state`` / ``restore``: add what it must remember to a checkpoint, and take it back;
* ``end``: finish, whether the run completed, was stopped or diverged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
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
    stop_signal: int | None = None  # the Ctrl-C or SIGTERM that asked the run to stop, seen after a block
    stop_requested: Callable[[], bool] = lambda: False  # asked yet? The classic loop looks after every step
    closing: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)  # closed when the run ends

    @property
    def finished(self) -> bool:
        return self.step == self.cfg.steps


class Hook:
    """One job around the loop. Every method does nothing by default: a hook overrides what it needs."""

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
        """What this hook adds to a checkpoint (JSON: numbers, strings, lists and dicts)."""
        return {}

    def restore(self, ctx: Context, state: dict[str, Any]) -> None:
        """Take back what `state` (a whole checkpoint's loop state) holds of this hook's."""

    def end(self, ctx: Context, last: int) -> None:
        """The run is over: completed (ctx.finished), stopped or diverged; `last` is the last step it reached."""


def next_multiple(step: int, every: int | None) -> int | None:
    """The first multiple of `every` after `step`: when an every-K-steps hook next wants a pause."""
    return None if not every else (step // every + 1) * every

