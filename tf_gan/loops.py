"""How the iterations run: the posts' loop, or the fast loop that does the same work.

``classic`` is the loop the posts write: every iteration draws a batch and noise in
numpy and runs the recipe's ``train_step``, two or three ``session.run`` calls with a
``feed_dict``. Most of its time goes to what surrounds the math: Python, copying
the feeds in, starting each run.

``fast`` runs the same iterations a block at a time. The training images live in the
graph; each block feeds only the batches' positions and the block's noise, and one
``session.run`` executes the recipe's ``iteration`` (its ``train_step`` written as
graph ops) for every step of the block inside a ``tf.while_loop``, compiled by XLA
where that helps. The batches and the noise come from the same seeded generators, in
the same order, as the classic loop's: both loops train on the same numbers and
differ only in floating-point rounding.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

import numpy as np

from tf_gan.data import DataSet
from tf_gan.graph import tf, tf1
from tf_gan.noise import sample_z

Loop = Literal["classic", "fast"]
LOOPS: tuple[str, ...] = ("classic", "fast")
Check = Callable[[int, dict[str, float]], None]  # raises when iteration `it` left anything non-finite
Stop = Callable[[], bool]  # has Ctrl-C or SIGTERM asked the run to stop?


@dataclass
class Block:
    """What a block of iterations left: each iteration's metrics, and the last iteration's real batch."""

    metrics: list[dict[str, float]]
    last_batch: np.ndarray


def has_fast(recipe: ModuleType) -> bool:
    return hasattr(recipe, "iteration")


class Classic:
    """The posts' loop: a numpy batch and noise, and the recipe's train_step, one iteration at a time."""

    def __init__(self, recipe: ModuleType, cfg: Any, gan: Any, data: DataSet, noise: np.random.Generator):
        self.recipe, self.cfg, self.gan, self.data, self.noise = recipe, cfg, gan, data, noise

    def start(self, sess: tf1.Session) -> None:
        """Nothing to load: every batch is fed."""

    def sample_Z(self, m: int) -> np.ndarray:
        return sample_z(m, self.cfg.z_dim, self.noise, self.cfg.prior)

    def run(self, sess: tf1.Session, first: int, count: int, check: Check, stop: Stop) -> Block:
        """Up to `count` iterations from `first`; fewer when asked to stop (one iteration is the unit here)."""
        draw = self.data.random_batch if self.cfg.sampling == "replacement" else self.data.next_batch
        block = []
        for it in range(first, first + count):
            X_mb, _ = draw(self.cfg.batch_size)
            block.append(self.recipe.train_step(sess, self.gan, X_mb, self.sample_Z))
            check(it, block[-1])
            if stop():
                break
        return Block(block, X_mb)


class Fast:
    """The same iterations, a block per session.run, in a tf.while_loop over in-graph images."""

    def __init__(self, recipe: ModuleType, cfg: Any, gan: Any, data: DataSet, noise: np.random.Generator,
                 xla: bool = True):
        self.cfg, self.data, self.noise = cfg, data, noise
        B = cfg.batch_size
        with tf1.name_scope("fast_loop"):
            self.images_in = tf1.placeholder(tf.float32, data.images.shape, name="images_in")
            # Not a checkpointed variable (collections=[]): it is the data set, loaded once per session.
            self.images = tf1.Variable(self.images_in, trainable=False, collections=[], name="images")
            self.indices = tf1.placeholder(tf.int32, [None, B], name="indices")  # [steps, batch]
            self.noise_in = tf1.placeholder(tf.float32, [None, None, B, cfg.z_dim], name="noise")  # [steps, draw, batch, z]
            batches = tf.gather(self.images, self.indices)
            self.names: list[str] = []
            self.draws = 0

            def block(batches: tf.Tensor, noise: tf.Tensor) -> tf.Tensor:
                steps = tf.shape(batches)[0]

                def body(i: tf.Tensor, out: tf.TensorArray) -> tuple[tf.Tensor, tf.TensorArray]:
                    drawn = 0

                    def next_noise() -> tf.Tensor:  # the iteration's draws, in train_step's order
                        nonlocal drawn
                        drawn += 1
                        return noise[i, drawn - 1]

                    metrics = recipe.iteration(cfg, gan, batches[i], next_noise)
                    self.names, self.draws = list(metrics), drawn
                    row = tf.stack([tf.cast(m, tf.float32) for m in metrics.values()])
                    with tf.control_dependencies([row]):  # the counter waits for the updates: nothing is pruned
                        return i + 1, out.write(i, row)

                _, out = tf1.while_loop(lambda i, _: i < steps, body, [tf.constant(0), tf.TensorArray(tf.float32, steps)])
                return out.stack()

            if xla:
                (self.per_step,) = tf1.xla.experimental.compile(block, [batches, self.noise_in])
            else:
                self.per_step = block(batches, self.noise_in)

    def start(self, sess: tf1.Session) -> None:
        """Load the training images into the graph, once per session."""
        sess.run(self.images.initializer, {self.images_in: self.data.images})

    def run(self, sess: tf1.Session, first: int, count: int, check: Check, stop: Stop) -> Block:
        """`count` iterations from `first` in one session.run (a block is the unit: a stop waits for its end)."""
        draw = self.data.random_indices if self.cfg.sampling == "replacement" else self.data.next_indices
        indices = np.stack([draw(self.cfg.batch_size) for _ in range(count)])
        B, z = self.cfg.batch_size, self.cfg.z_dim
        noise = sample_z(count * self.draws * B, z, self.noise, self.cfg.prior).reshape(count, self.draws, B, z)
        values = sess.run(self.per_step, {self.indices: indices, self.noise_in: noise})
        block = [dict(zip(self.names, map(float, row))) for row in values]
        finite = [all(map(math.isfinite, m.values())) for m in block]
        worst = finite.index(False) if False in finite else count - 1
        check(first + worst, block[worst])  # the weights are checked once, after the block
        return Block(block, self.data.images[indices[-1]])


def make(loop: Loop, recipe: ModuleType, cfg: Any, gan: Any, data: DataSet, noise: np.random.Generator,
         xla: bool = True) -> Classic | Fast:
    if loop == "fast":
        return Fast(recipe, cfg, gan, data, noise, xla)
    return Classic(recipe, cfg, gan, data, noise)
