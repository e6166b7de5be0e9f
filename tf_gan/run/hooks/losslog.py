"""The loss log: a row of losses.csv and TensorBoard every ``log_every`` steps, and losses.png.

Each row holds the step, the recipe's losses (and keras_gan's D accuracy), D_real (mean
D(x) on that step's real batch) and D_fake (mean D(G(z)) on the grid's fixed noise), and,
for a loss form other than sigmoid_ce, form_gap: how far that form is from the stable one
on the same logits. A conditional D takes one y for both of its inputs, so there D judges the
real batch with its labels and the grid's fakes with theirs, one run each, and the figures
are computed from the two sets of logits.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tf_gan.files import write_csv
from tf_gan.graph import tf, tf1
from tf_gan.losses import form_gap
from tf_gan.recipes.base import generator_feed
from tf_gan.run.hooks.base import Context, Hook
from tf_gan.run.loops import Block
from tf_gan.viz.curves import LABELS, plot_losses


class LossLog(Hook):
    """losses.csv, TensorBoard's scalars and losses.png; its rows go into every checkpoint."""

    def __init__(self, grid_noise: np.ndarray, grid_labels: np.ndarray | None = None) -> None:
        self.grid_noise = grid_noise  # D(G(z)) is logged on the grid's fixed noise
        self.grid_labels = grid_labels  # and, for a conditional GAN, the grid's labels
        self.rows: list[dict[str, float]] = []

    def build(self, ctx: Context) -> None:
        gan, cfg = ctx.gan, ctx.cfg
        self.cfg = cfg
        with tf1.name_scope("monitor"):
            if not gan.conditional:
                logit_real, logit_fake = gan.D_logit_real, gan.D_logit_fake
                self.monitored = {"D_real": tf.reduce_mean(gan.D_real),
                                  "D_fake": tf.reduce_mean(gan.D_fake)}
            else:  # fed with the logits of two runs of D, each on its own labels
                logit_real = tf1.placeholder(tf.float32, [None, 1], name="D_logit_real")
                logit_fake = tf1.placeholder(tf.float32, [None, 1], name="D_logit_fake")
                self.logit_real, self.logit_fake = logit_real, logit_fake
                self.monitored = {"D_real": tf.reduce_mean(tf.sigmoid(logit_real)),
                                  "D_fake": tf.reduce_mean(tf.sigmoid(logit_fake))}
            if cfg.loss != "sigmoid_ce":  # how far this loss form is from the stable one, on the same batch
                self.monitored["form_gap"] = form_gap(logit_real, logit_fake, cfg.loss,
                                                      cfg.g_objective, getattr(cfg, "real_label", 1.0))

    def logged(self, it: int) -> bool:
        """Iterations that get a row (every log line has one too)."""
        cfg = self.cfg
        return it % cfg.log_every == 0 or it % cfg.sample_every == 0 or it + 1 == cfg.steps

    def next_stop(self, step: int) -> int:
        end = step + 1
        while not self.logged(end - 1):
            end += 1
        return end

    def after_block(self, ctx: Context, block: Block) -> None:
        if self.logged(ctx.last):
            metrics = block.metrics[-1]
            monitored = ctx.sess.run(self.monitored, self.feed(ctx, block))
            seen = {k: float(v) for k, v in monitored.items()}
            self.rows.append({"step": ctx.last, **metrics, **seen})
            ctx.events.scalars(ctx.last, {**metrics, **{LABELS.get(k, k): v for k, v in seen.items()}})
        if ctx.last % ctx.cfg.sample_every == 0 or ctx.finished:
            write_csv(ctx.run / "losses.csv", self.rows)

    def feed(self, ctx: Context, block: Block) -> dict:
        """What the monitored figures are computed from: the last real batch, and the grid's noise."""
        gan = ctx.gan
        if not gan.conditional:
            return {gan.X: block.last_batch, gan.Z: self.grid_noise}
        real = ctx.sess.run(gan.D_logit_real, {gan.X: block.last_batch, gan.y: block.last_labels})
        fake = ctx.sess.run(gan.D_logit_fake,
                            generator_feed(gan, self.grid_noise, self.grid_labels))
        return {self.logit_real: real, self.logit_fake: fake}

    def state(self) -> dict[str, Any]:
        return {"rows": self.rows}

    def restore(self, ctx: Context, state: dict[str, Any]) -> None:
        self.rows = state["rows"]
        if self.rows and not self.logged(self.rows[-1]["step"]):  # the old, shorter run's row for its last step
            self.rows.pop()

    def end(self, ctx: Context, last: int) -> None:
        if self.rows:
            write_csv(ctx.run / "losses.csv", self.rows)
            plot_losses(self.rows, ctx.run / "losses.png", title=f"{ctx.name}, seed {ctx.seed}")
