"""The pictures: the classic post's 4x4 grid of one fixed noise batch, the post's own layout beside it,
and at the end the grids as an animated GIF.

Grid NNN shows G before step NNN x sample_every, as wiseodd's post saves them (000.png is
the untrained generator), plus one more after the last step. A conditional run's grid asks
for the post's digit (cfg.digit); beside it, digits/NNN.png asks each row's noise vector for
0 to 9 (column d: "asked for d"), and the GIF shows both.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tf_gan.data import NUM_CLASSES, as_one_hot
from tf_gan.noise import sample_z
from tf_gan.recipes.base import RecipeConfig, generator_feed
from tf_gan.run.hooks.base import Context, Hook, next_multiple
from tf_gan.run.loops import Block
from tf_gan.viz.images import save_gif, save_grid, to_unit_range

GRID = (4, 4)  # the classic post's grid, for every recipe
DIGIT_ROWS = 5  # rows of a conditional run's digits picture: one z each, asked for 0 to 9


def drop_pictures_after(run: Path, step: int, sample_every: int) -> None:
    """Delete the pictures a killed run drew after its checkpoint at `step`: the resumed run draws its own.

    They would be the same pictures where the resumed run gets that far; past its end
    (resumed with a smaller --steps) they would show steps it never trained.
    """
    for folder in ("grids", "samples", "digits"):
        for picture in (run / folder).glob("*.png"):
            if picture.stem.isdigit() and int(picture.stem) * sample_every > step:
                picture.unlink()


class Pictures(Hook):
    """grids/NNN.png and samples/NNN.png every sample_every steps, progress.gif at the end."""

    def __init__(self, cfg: RecipeConfig, fixed: np.random.Generator,
                 conditional: bool = False) -> None:
        """`fixed`: the stream of the fixed noise, drawn once (the grid's first: the loss log uses it).

        `conditional`: G takes labels (cgan): the grid asks for cfg.digit; the digits picture is added.
        """
        self.every = cfg.sample_every
        self.grid_noise = sample_z(GRID[0] * GRID[1], cfg.z_dim, fixed, cfg.prior)
        self.grid_labels = None
        if conditional:
            self.grid_labels = as_one_hot(np.full(len(self.grid_noise), cfg.digit))
        # (folder, (rows, cols), the noise it shows, the labels it asks for or None)
        self.pictures = [("grids", GRID, self.grid_noise, self.grid_labels)]
        if cfg.layout:
            layout_noise = sample_z(cfg.layout[0] * cfg.layout[1], cfg.z_dim, fixed, cfg.prior)
            self.pictures.append(("samples", cfg.layout, layout_noise, None))
        if conditional:
            rows = np.repeat(sample_z(DIGIT_ROWS, cfg.z_dim, fixed, cfg.prior), NUM_CLASSES, axis=0)
            asked = as_one_hot(np.tile(np.arange(NUM_CLASSES), DIGIT_ROWS))
            self.pictures.append(("digits", (DIGIT_ROWS, NUM_CLASSES), rows, asked))

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
        for folder, (rows, cols), z, labels in self.pictures:
            samples = ctx.sess.run(ctx.gan.G_sample, feed_dict=generator_feed(ctx.gan, z, labels))
            path = save_grid(to_unit_range(samples, ctx.cfg.pixel_range),
                             ctx.run / folder / f"{index:03d}.png", rows, cols)
            if folder == "grids":
                ctx.events.png("samples/4x4 grid of fixed noise", step, path)
            if folder == "digits":
                ctx.events.png("samples/digits asked for, 0 to 9 by column", step, path)

    def end(self, ctx: Context, last: int) -> None:
        if ctx.finished:
            self.draw(ctx, -(-ctx.cfg.steps // self.every), ctx.cfg.steps)  # numbered next: after the last step
        frames = sorted((ctx.run / "grids").glob("[0-9][0-9][0-9].png"))
        if frames:
            captions = [f"after {min(int(f.stem) * self.every, last)} steps" for f in frames]
            if self.grid_labels is not None:  # the digits picture beside each grid
                frames = [[f, ctx.run / "digits" / f.name] for f in frames]
            save_gif(frames, captions, ctx.run / "progress.gif")
