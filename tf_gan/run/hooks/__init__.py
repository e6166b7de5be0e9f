"""The hooks around the training loop, one job each (base.py says what a hook may do).

    guard.py       the NaN guard: losses, weights and optimizer moments stay finite
    losslog.py     losses.csv, TensorBoard's scalars, losses.png
    console.py     the post's log line and a progress bar
    quality.py     sample quality as training goes (--eval-every)
    pictures.py    the 4x4 grids, the post's own layout, progress.gif
    checkpoint.py  checkpoints with the whole loop state
    stop.py        Ctrl-C and SIGTERM: stop after the current block, with a checkpoint
"""

from tf_gan.run.hooks.base import Context, Hook
from tf_gan.run.hooks.checkpoint import Checkpoints
from tf_gan.run.hooks.console import Console
from tf_gan.run.hooks.guard import Guard
from tf_gan.run.hooks.losslog import LossLog
from tf_gan.run.hooks.pictures import Pictures
from tf_gan.run.hooks.quality import Quality
from tf_gan.run.hooks.stop import StopOnSignal

__all__ = ["Checkpoints", "Console", "Context", "Guard", "Hook", "LossLog", "Pictures", "Quality", "StopOnSignal"]
