"""The pictures: the classic post's 4x4 grid of one fixed noise batch, the post's own layout beside it,
and at the end the grids as an animated GIF.

Grid NNN shows G before step NNN x sample_every, as wiseodd's post saves them (000.png is
the untrained generator), plus one more after the last step.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tf_gan.noise import sample_z
from tf_gan.recipes.base import RecipeConfig
from tf_gan.run.hooks.base import Context, Hook, next_multiple
from tf_gan.run.loops import Block
from tf_gan.viz.images import save_gif, save_grid, to_unit_range

GRID = (4, 4)  # the classic post's grid, for every recipe


def drop_pictures_after(run: Path, step: int, sample_every: int) -> None:
    """Delete the pictures a killed run drew after its checkpoint at `step`: the resumed run draws its own.

    They would be the same pictures where the resumed run gets that far; past its end
    (resumed with a smaller --steps) they would show steps it never trained.
    """
    for folder in ("grids", "samples"):
        for picture in (run / folder).glob("*.png"):
            if picture.stem.isdigit() and int(picture.stem) * sample_every > step:
                picture.unlink()


class Pictures(Hook):
    """grids/NNN.png and samples/NNN.png every sample_every steps, progress.gif at the end."""

    def __init__(self, cfg: RecipeConfig, fixed: np.random.Generator) -> None:
        """`fixed`: the stream of the fixed noise, drawn once (the grid's first: the loss log uses it too)."""
        self.every = cfg.sample_every
        self.grid_noise = sample_z(GRID[0] * GRID[1], cfg.z_dim, fixed, cfg.prior)
        self.pictures = [("grids", GRID, self.grid_noise)]  # (folder, (rows, cols), the noise it shows)
        if cfg.layout:
            self.pictures.append(("samples", cfg.layout,
                                  sample_z(cfg.layout[0] * cfg.layout[1], cfg.z_dim, fixed, cfg.prior)))

    def begin(self, ctx: Context) -> None:
        drop_pictures_after(ctx.run, ctx.start, self.every)
        if ctx.start % self.every == 0 and ctx.start < ctx.cfg.steps:
            self.draw(ctx, ctx.start // self.every, ctx.start)

    def next_stop(self, step: int) -> int:
        return next_multiple(step, self.every)

    def after_block(self, ctx: Context, block: Block) -> None:
        if ctx.step % self.every == 0 and not ctx.finished:
            self.draw(ctx, ctx.step // self.every, ctx.step)

    def draw(self, ctx: Context, index: int, step: int) -> None:
        for folder, (rows, cols), z in self.pictures:
            samples = to_unit_range(ctx.sess.run(ctx.gan.G_sample, feed_dict={ctx.gan.Z: z}), ctx.cfg.pixel_range)
            path = save_grid(samples, ctx.run / folder / f"{index:03d}.png", rows, cols)
            if folder == "grids":
                ctx.events.png("samples/4x4 grid of fixed noise", step, path)

    def end(self, ctx: Context, last: int) -> None:
        if ctx.finished:
            self.draw(ctx, -(-ctx.cfg.steps // self.every), ctx.cfg.steps)  # numbered next: after the last step
        frames = sorted((ctx.run / "grids").glob("[0-9][0-9][0-9].png"))
        if frames:
            save_gif(frames, [f"after {min(int(f.stem) * self.every, last)} steps" for f in frames],
                     ctx.run / "progress.gif")
