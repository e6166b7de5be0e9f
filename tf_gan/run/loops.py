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

A conditional GAN (a graph with a ``y`` placeholder: cgan) gets each batch's labels too,
one-hot: ``train_step(..., labels)`` in the classic loop, ``iteration(..., labels)`` in the
fast loop, which keeps them in the graph beside the images. Other recipes are called as before.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np

from tf_gan.data import NUM_CLASSES, DataSet, as_one_hot
from tf_gan.errors import TfGanError
from tf_gan.graph import tf, tf1
from tf_gan.noise import sample_z
from tf_gan.recipes.base import Recipe

Loop = Literal["classic", "fast"]
LOOPS: tuple[str, ...] = get_args(Loop)
DEFAULT_LOOP: Loop = "fast"  # a new run's; a run from before the fast loop existed was classic
Check = Callable[[int, dict[str, float]], None]  # raises when iteration `it` left anything non-finite
Stop = Callable[[], bool]  # has Ctrl-C or SIGTERM asked the run to stop?


@dataclass
class Block:
    """What a block of iterations left: each iteration's metrics, and the last iteration's real batch."""

    metrics: list[dict[str, float]]
    last_batch: np.ndarray
    last_labels: np.ndarray | None = None  # that batch's one-hot labels, for a conditional GAN


class Classic:
    """The posts' loop: a numpy batch and noise, and the recipe's train_step, one iteration at a time."""

    def __init__(self, recipe: Recipe, cfg: Any, gan: Any, data: DataSet, noise: np.random.Generator):
        self.recipe, self.cfg, self.gan, self.data, self.noise = recipe, cfg, gan, data, noise
        self.conditional = gan.conditional  # its train_step takes the batch's labels too

    def start(self, sess: tf1.Session) -> None:
        """Nothing to load: every batch is fed."""

    def sample_Z(self, m: int) -> np.ndarray:
        return sample_z(m, self.cfg.z_dim, self.noise, self.cfg.prior)

    def noise_state(self) -> dict:
        """The noise generator's state after the last iteration run: what a checkpoint saves."""
        return self.noise.bit_generator.state

    def run(self, sess: tf1.Session, first: int, count: int, check: Check, stop: Stop, then: int = 0) -> Block:
        """Up to `count` iterations from `first`; fewer when asked to stop (one iteration is the unit here)."""
        draw = self.data.random_batch if self.cfg.sampling == "replacement" else self.data.next_batch
        block = []
        for it in range(first, first + count):
            X_mb, y_mb = draw(self.cfg.batch_size)
            labels = (as_one_hot(y_mb),) if self.conditional else ()
            block.append(self.recipe.train_step(sess, self.gan, X_mb, self.sample_Z, *labels))
            check(it, block[-1])
            if stop():
                break
        return Block(block, X_mb, labels[0] if labels else None)


class Fast:
    """The same iterations, a block per session.run, in a tf.while_loop over in-graph images.

    With XLA the block is compiled once for the longest block (``cfg.log_every``
    iterations: blocks end at every log row); shorter blocks are padded and run fewer
    iterations of the same compiled loop. While a block runs, a second thread draws the
    next block's noise (numpy lets go of Python's lock while it fills an array), so the
    draws cost no time; they are the same numbers, drawn in the same order.
    """

    def __init__(self, recipe: Recipe, cfg: Any, gan: Any, data: DataSet, noise: np.random.Generator,
                 xla: bool = True):
        self.cfg, self.data, self.noise, self.xla = cfg, data, noise, xla
        self.conditional = gan.conditional
        self.drawer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="noise")
        self.ahead: tuple[int, int, Future] | None = None  # the next block's (first step, count, noise being drawn)
        self.state: dict | None = None
        B = cfg.batch_size
        with tf1.name_scope("fast_loop"):
            self.images_in = tf1.placeholder(tf.float32, data.images.shape, name="images_in")
            # Not a checkpointed variable (collections=[]): it is the data set, loaded once per session.
            self.images = tf1.Variable(self.images_in, trainable=False, collections=[], name="images")
            if self.conditional:  # the labels too, one-hot, for a conditional GAN
                self.labels_in = tf1.placeholder(tf.float32, [len(data.labels), NUM_CLASSES],
                                                 name="labels_in")
                self.labels = tf1.Variable(self.labels_in, trainable=False, collections=[],
                                           name="labels")
            self.indices = tf1.placeholder(tf.int32, [None, B], name="indices")  # [steps, batch]
            self.noise_in = tf1.placeholder(tf.float32, [None, None, B, cfg.z_dim], name="noise")  # [steps, draw, batch, z]
            self.steps = tf1.placeholder(tf.int32, [], name="steps")  # how many of the rows to run
            self.names: list[str] = []
            self.draws = 0

            def block(indices: tf.Tensor, noise: tf.Tensor, steps: tf.Tensor) -> tf.Tensor:
                def body(i: tf.Tensor, out: tf.TensorArray) -> tuple[tf.Tensor, tf.TensorArray]:
                    drawn = 0

                    def next_noise() -> tf.Tensor:  # the iteration's draws, in train_step's order
                        nonlocal drawn
                        drawn += 1
                        return noise[i, drawn - 1]

                    X = tf.gather(self.images, indices[i])  # this iteration's real batch
                    labels = (tf.gather(self.labels, indices[i]),) if self.conditional else ()
                    metrics = recipe.iteration(cfg, gan, X, next_noise, *labels)
                    self.names, self.draws = list(metrics), drawn
                    row = tf.stack([tf.cast(m, tf.float32) for m in metrics.values()])
                    with tf.control_dependencies([row]):  # the counter waits for the updates: nothing is pruned
                        return i + 1, out.write(i, row)

                rows = tf.TensorArray(tf.float32, tf.shape(indices)[0])
                return tf1.while_loop(lambda i, _: i < steps, body, [tf.constant(0), rows])[1].stack()

            inputs = [self.indices, self.noise_in, self.steps]
            self.per_step = tf.function(block, jit_compile=True)(*inputs) if xla else block(*inputs)
            self.capacity = cfg.log_every  # blocks end at every log row, so none is longer

    def start(self, sess: tf1.Session) -> None:
        """Load the training images into the graph, once per session."""
        sess.run(self.images.initializer, {self.images_in: self.data.images})
        if self.conditional:
            sess.run(self.labels.initializer, {self.labels_in: as_one_hot(self.data.labels)})

    def noise_state(self) -> dict:
        """The noise generator's state after the last block's draws, not counting the next block's, drawn early."""
        return self.state or self.noise.bit_generator.state

    def draw_noise(self, count: int) -> np.ndarray:
        B, z = self.cfg.batch_size, self.cfg.z_dim
        return sample_z(count * self.draws * B, z, self.noise, self.cfg.prior).reshape(count, self.draws, B, z)

    def run(self, sess: tf1.Session, first: int, count: int, check: Check, stop: Stop, then: int = 0) -> Block:
        """`count` iterations from `first` in one session.run (a block is the unit: a stop waits for its end).

        `then`: the length of the block that will follow, whose noise is drawn meanwhile.
        """
        ahead, self.ahead = self.ahead, None
        if ahead is not None and ahead[:2] != (first, count):
            raise RuntimeError(f"noise was drawn for steps {ahead[0]}+{ahead[1]}, not {first}+{count}")
        noise = ahead[2].result() if ahead else self.draw_noise(count)
        self.state = self.noise.bit_generator.state
        if then:
            self.ahead = (first + count, then, self.drawer.submit(self.draw_noise, then))
        draw = self.data.random_indices if self.cfg.sampling == "replacement" else self.data.next_indices
        indices = np.stack([draw(self.cfg.batch_size) for _ in range(count)])
        rows = max(count, self.capacity) if self.xla else count  # XLA compiles each shape: keep one
        feed = {self.indices: pad(indices, rows), self.noise_in: pad(noise, rows), self.steps: count}
        values = sess.run(self.per_step, feed)[:count]
        block = [dict(zip(self.names, map(float, row))) for row in values]
        finite = [all(map(math.isfinite, m.values())) for m in block]
        worst = finite.index(False) if False in finite else count - 1
        check(first + worst, block[worst])  # the weights are checked once, after the block
        last = indices[-1]
        labels = as_one_hot(self.data.labels[last]) if self.conditional else None
        return Block(block, self.data.images[last], labels)


def pad(rows: np.ndarray, length: int) -> np.ndarray:
    """`rows` followed by zeros up to `length` rows."""
    return np.concatenate([rows, np.zeros((length - len(rows), *rows.shape[1:]), rows.dtype)]) if length > len(rows) else rows


def choose(loop: Loop | None, xla: bool | None, saved: dict[str, Any],
           config: str = "the run's config.json") -> tuple[Loop, bool]:
    """The loop and XLA setting a run uses: those asked for, else a resumed run's own, else fast with XLA.

    Runs from before the fast loop existed were classic. A bad value from the run's
    `config` file is described, never printed: it could be anything, of any length.
    """
    asked = loop is not None
    loop = loop or saved.get("loop", "classic" if saved else DEFAULT_LOOP)
    xla = xla if xla is not None else saved.get("xla", loop == "fast")
    if loop not in LOOPS:
        shown = repr(loop) if isinstance(loop, str) and len(loop) <= 20 else f"a {type(loop).__name__}"
        where = "--loop" if asked else f"{config}: \"loop\""
        raise TfGanError(f"{where} must be one of {', '.join(LOOPS)}, not {shown}; "
                         f"{'choose one' if asked else 'set it to one of them there, or start a new run'}")
    if xla and loop == "classic":
        raise TfGanError("XLA compiles the fast loop's blocks; the classic loop runs one step at a time")
    return loop, xla


def make(loop: Loop, recipe: Recipe, cfg: Any, gan: Any, data: DataSet, noise: np.random.Generator,
         xla: bool = True) -> Classic | Fast:
    if loop == "fast":
        return Fast(recipe, cfg, gan, data, noise, xla)
    return Classic(recipe, cfg, gan, data, noise)
