"""The hooks every run has, built and wired in one place, so the trainer only runs them.

Their order is the order they act in after each block: stop requests first, then the NaN
guard, the loss log, the console line (which prints the loss log's newest row), sample
quality, the pictures, a caller's own hooks, and the checkpoint last, so that what it
saves includes everything the others did.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tf_gan.errors import TfGanError
from tf_gan.eval.evaluate import Judge
from tf_gan.run.checkpoints import Checkpointer
from tf_gan.run.hooks.base import Hook
from tf_gan.run.hooks.checkpoint import Checkpoints
from tf_gan.run.hooks.console import Console
from tf_gan.run.hooks.guard import Guard
from tf_gan.run.hooks.losslog import LossLog
from tf_gan.run.hooks.pictures import Pictures
from tf_gan.run.hooks.quality import ParzenCheck, Quality
from tf_gan.run.hooks.stop import StopOnSignal


@dataclass(frozen=True)
class Judging:
    """What the quality hook needs, when the run is judged as it goes (--eval-every)."""

    judge: Judge
    every: int
    noise: np.ndarray  # the fixed noise batch judged every time
    parzen: ParzenCheck | None = None


def standard_hooks(cfg: Any, log_line: Callable[..., str], picture_noise: np.random.Generator, conditional: bool,
                   judging: Judging | None, saver: Checkpointer, checkpoint_every: int,
                   loop_state: Callable[[Sequence[Hook]], dict[str, Any]],
                   own: Sequence[Hook] = ()) -> tuple[Guard, list[Hook]]:
    """(the NaN guard, which the loop also calls after every step; every hook, in the order they act)."""
    guard, pictures = Guard(), Pictures(cfg, picture_noise, conditional=conditional)
    losses = LossLog(pictures.grid_noise, pictures.grid_labels)  # D's verdicts on the grids' fixed noise too
    quality = [Quality(judging.judge, judging.every, judging.noise, conditional=conditional,
                       parzen_check=judging.parzen)] if judging else []
    others = [StopOnSignal(), guard, losses, Console(log_line, losses), *quality, pictures, *own]
    names = [hook.name for hook in others]
    if len(set(names)) != len(names):
        twice = sorted({name for name in names if names.count(name) > 1})
        raise TfGanError(f"two hooks named {', '.join(twice)}: give your hook a name of its own (its `name`), "
                         "under which its checkpoint state is kept")
    return guard, [*others, Checkpoints(saver, checkpoint_every, lambda: loop_state(others))]
