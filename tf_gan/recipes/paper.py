"""paper: the GAN of Goodfellow et al. (2014) on MNIST, as the paper's own code trained it.

Not a blog post: the configuration every post cites, from the paper's repository
(goodfeli/adversarial: ``mnist.yaml`` on pylearn2, the cost ``AdversaryCost2`` in
``__init__.py``). Rebuilt here in the lessons' graph style, its three differences from
the posts in plain sight:

* D is a **maxout** network (240 units of 5 pieces, twice) trained with **dropout**
  (each input pixel kept with probability 0.8 and scaled by 1.25, each hidden unit kept
  with 0.5 and scaled by 2); G is 100 uniform noise values in +-sqrt(3) -> 1200 ReLU ->
  1200 ReLU -> 784 sigmoid, its output bias starting at the logits of the training
  pixels' means (clipped to [1e-7, 1 - 1e-7]).
* One cost for both players: D's mean cross-entropy on a real batch and a generated
  batch, G's non-saturating ``-log D(G(z))`` on the same generated batch and the same
  dropout masks. Both gradients are taken at the same weights and applied together
  (pylearn2's SGD), not one player after the other (``update="alternating"`` plays the
  paper's Algorithm 1 instead).
* Plain SGD with momentum, no Adam: learning rate 0.1 divided by 1.000004 after every
  update (never below 1e-6), momentum from 0.5 at the first epoch to 0.7 at the 250th.
  The learning rate, the momentum and the update count are graph variables, saved in
  every checkpoint, so a resumed run continues both schedules exactly (the optimizer is
  in tf_gan/recipes/paper_sgd.py). Dropout masks are drawn from the run's seed and the
  update count (stateless), so they repeat on resume too.

Trained on the first 50,000 training digits; the last 10,000 are held out, and
``evaluate`` chooses the Parzen window's width on them, as the paper did.
The lesson ``tutorials/09_paper.py`` types the same graph cell by cell, and
tests/test_lesson_graphs.py proves the two equal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from tf_gan.errors import TfGanError
from tf_gan.graph import tf, tf1
from tf_gan.layers import dense
from tf_gan.losses import bce, g_loss
from tf_gan.recipes.base import Gan, Noise, RecipeConfig
from tf_gan.recipes.settings import POSITIVE, Allowed, choices
from tf_gan.recipes.paper_sgd import (Sgd, averaged, momentum_moves, schedules_after, sgd_update,
                                     sgd_variables)

CONDITIONAL = False  # G draws any digit it likes: no labels
STARTS_FROM_DATA = True  # build() takes the training images: G's output bias starts at their pixel means
UPDATES = ("simultaneous", "alternating")  # one update of both players (the file's), or D then G
PAPER_TRAIN_SIZE = 50_000  # the digits mnist.yaml trains on; the epoch length when build() is given none


@dataclass
class Config(RecipeConfig):
    batch_size: int = 100
    z_dim: int = 100  # nvis: 100
    epochs: int | None = 100  # tf_gan's default length; mnist.yaml sets none and runs until stopped
    sample_every_epochs: int = 5
    prior: str = "uniform_sqrt3"  # mnist.yaml's noise: 'uniform', which Generator draws in [-sqrt(3), sqrt(3)]
    pixel_range: str = "01"
    validation_size: int = 10_000  # mnist.yaml: train on digits 0..49,999; 50,000..59,999 are 'valid'
    held_out: str = "last"
    g_hidden: int = 1200  # G's two ReLU layers, h0 and h1
    g_irange: float = 0.05  # G's weights start uniform in [-0.05, 0.05]
    bias_clip: float = 1e-7  # init_sigmoid_bias_from_marginals clips the pixel means to [1e-7, 1 - 1e-7]
    maxout_units: int = 240  # D's two maxout layers: 240 units ...
    maxout_pieces: int = 5  # ... each the max of 5 linear pieces
    d_irange: float = 0.005  # D's weights start uniform in [-0.005, 0.005]
    input_keep: float = 0.8  # dropout on D's input pixels: kept with probability 0.8 ...
    input_scale: float = 1.25  # ... and the kept ones multiplied by 1.25
    hidden_keep: float = 0.5  # dropout on the inputs of D's other two layers
    hidden_scale: float = 2.0
    masks_follow_seed: bool = True  # the dropout masks differ from seed to seed (False: every seed the same masks)
    update: str = "simultaneous"  # pylearn2's one update of both players; "alternating": D, then G (Algorithm 1)
    learning_rate: float = 0.1
    lr_decay: float = 1.000004  # ExponentialDecay: divide by this after every update ...
    min_lr: float = 1e-6  # ... down to this floor
    init_momentum: float = 0.5  # MomentumAdjustor: start 1, saturate 250, final 0.7
    final_momentum: float = 0.7
    momentum_start: int = 1
    momentum_saturate: int = 250
    # Not the paper's: from this epoch on, the schedules run schedule_speed times faster (a compressed anneal)
    schedule_speed_from: int | None = None
    schedule_speed: float = 1.0
    # Not the paper's: from this epoch on, G_sample (pictures, sample, evaluate) uses the running mean of
    # G's weights over every update since (Polyak averaging); training is unchanged. None: G's own weights.
    average_g_from: int | None = None

    RESUMABLE: ClassVar[tuple[str, ...]] = (*RecipeConfig.RESUMABLE, "schedule_speed_from", "schedule_speed")

    KEEP: ClassVar[Allowed] = Allowed(minimum=0, maximum=1, above=True)  # a share kept: some, up to all
    MOMENTUM: ClassVar[Allowed] = Allowed(minimum=0, maximum=1, below=True)
    ALLOWED: ClassVar[dict[str, Allowed]] = {
        "g_irange": POSITIVE, "d_irange": POSITIVE, "bias_clip": Allowed(minimum=0, maximum=0.5, above=True, below=True),
        "input_keep": KEEP, "hidden_keep": KEEP, "input_scale": POSITIVE, "hidden_scale": POSITIVE,
        "update": choices(*UPDATES), "learning_rate": POSITIVE, "lr_decay": Allowed(minimum=1),
        "min_lr": Allowed(minimum=0), "init_momentum": MOMENTUM, "final_momentum": MOMENTUM,
        "momentum_start": Allowed(minimum=0), "schedule_speed_from": Allowed(minimum=0),
        "schedule_speed": Allowed(minimum=1), "average_g_from": Allowed(minimum=0)}

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.momentum_saturate <= self.momentum_start:
            raise TfGanError("momentum_saturate must come after momentum_start")


@dataclass(kw_only=True)
class PaperGan(Gan):
    """The handles, plus one `step` that updates both players (D_solver and G_solver are it) and SGD's state."""

    step: tf.Operation
    sgd: Sgd
    Z_G: tf.Tensor | None = None  # with update="alternating": the noise of G's own update


# The layers ---------------------------------------------------------------------------


def uniform(irange: float) -> tf1.keras.initializers.Initializer:
    """pylearn2's ``irange``: weights uniform in [-irange, irange] (biases start at 0)."""
    return tf1.random_uniform_initializer(-irange, irange)


def maxout(x: tf.Tensor, units: int, pieces: int, irange: float, name: str) -> tf.Tensor:
    """A maxout layer (Goodfellow et al., 2013): units x pieces linear outputs, each unit the max of its pieces.

    The pieces of unit j are the consecutive columns j*pieces ... j*pieces + pieces - 1.
    """
    linear = dense(x, units * pieces, kernel_initializer=uniform(irange), name=name)
    return tf.reduce_max(tf.reshape(linear, [-1, units, pieces]), axis=2)


def dropout(x: tf.Tensor, keep: float, scale: float, seed: tf.Tensor) -> tf.Tensor:
    """pylearn2's dropout: keep each value with probability `keep`, multiply the kept ones by `scale`.

    With scale = 1 / keep, as here, a unit's expected input is the same with and without
    dropout. The mask is a function of `seed` (a pair of integers), so it repeats exactly.
    """
    kept = tf.random.stateless_uniform(tf.shape(x), seed=seed, alg="philox") < keep
    return x * tf.cast(kept, x.dtype) * scale


# The players ----------------------------------------------------------------------------


def generator(z: tf.Tensor, cfg: Config, output_bias: np.ndarray | None = None,
              reuse: bool | None = None) -> tf.Tensor:
    """G(z): 100 -> 1200 ReLU -> 1200 ReLU -> 784 sigmoid, the layers named as in mnist.yaml."""
    start = uniform(cfg.g_irange)
    bias = None if output_bias is None else tf1.constant_initializer(output_bias)
    with tf1.variable_scope("generator", reuse=reuse):
        h0 = dense(z, cfg.g_hidden, activation=tf.nn.relu, kernel_initializer=start, name="h0")
        h1 = dense(h0, cfg.g_hidden, activation=tf.nn.relu, kernel_initializer=start, name="h1")
        return dense(h1, 784, activation=tf.sigmoid, kernel_initializer=start, bias_initializer=bias, name="y")


def discriminator(x: tf.Tensor, cfg: Config, masks: tf.Tensor | None = None,
                  reuse: bool | None = None) -> tuple[tf.Tensor, tf.Tensor]:
    """D(x): maxout 240x5 -> maxout 240x5 -> sigmoid; returns (probability, logit).

    `masks`: while training, the seed of this call's dropout masks, (3, 2) integers, one
    pair per layer input; None for D without dropout (how the paper monitors it).
    """
    def drop(h: tf.Tensor, layer: int, keep: float, scale: float) -> tf.Tensor:
        return h if masks is None else dropout(h, keep, scale, masks[layer])

    with tf1.variable_scope("discriminator", reuse=reuse):
        h = drop(x, 0, cfg.input_keep, cfg.input_scale)
        h = maxout(h, cfg.maxout_units, cfg.maxout_pieces, cfg.d_irange, name="h0")
        h = drop(h, 1, cfg.hidden_keep, cfg.hidden_scale)
        h = maxout(h, cfg.maxout_units, cfg.maxout_pieces, cfg.d_irange, name="h1")
        h = drop(h, 2, cfg.hidden_keep, cfg.hidden_scale)
        logit = dense(h, 1, kernel_initializer=uniform(cfg.d_irange), name="y")
        return tf.sigmoid(logit), logit


def output_bias(train_images: np.ndarray, clip: float = 1e-7) -> np.ndarray:
    """pylearn2's ``init_sigmoid_bias_from_marginals``: the logit of each pixel's mean, clipped to [clip, 1 - clip].

    G's very first samples are then the average digit, not grey noise. A pixel no training
    digit inks starts at the logit of 1e-7, about -16.1 (tf_gan's first version clipped at
    0.001: about -6.9).
    """
    mean = np.clip(train_images.mean(axis=0), clip, 1 - clip)  # in float32, as pylearn2 computed it
    return np.log(mean / (1 - mean)).astype(np.float32)


# The game -------------------------------------------------------------------------------


def losses(real_logit: tf.Tensor, fake_logit: tf.Tensor, cfg: Config) -> tuple[tf.Tensor, tf.Tensor]:
    """AdversaryCost2: D's mean cross-entropy over a real and a fake batch; G's -log D(G(z)) on the same fakes."""
    D_loss = 0.5 * (bce(real_logit, 1.0, cfg.loss) + bce(fake_logit, 0.0, cfg.loss))
    return D_loss, g_loss(fake_logit, cfg.loss, cfg.g_objective)


def mask_seeds(cfg: Config, updates_done: tf.Tensor, call: int) -> tf.Tensor:
    """The dropout seeds of one D call at this update: (3, 2) int64, one pair per dropped layer.

    Call 0 is D on the real batch, 1 on the fakes (2: on G's own fakes when the players
    alternate). Mask number 10 x seed + 3 x call + layer, with the run's --seed (the graph's
    seed) unless masks_follow_seed is off; seed 0 gives tf_gan's first masks.
    """
    seed = (tf1.get_default_graph().seed or 0) if cfg.masks_follow_seed else 0
    layers = tf.constant([[10 * seed + call * 3 + layer] for layer in range(3)], tf.int64)
    return tf.concat([layers, tf.fill([3, 1], updates_done)], axis=1)


def build(cfg: Config, train_images: np.ndarray | None = None) -> PaperGan:
    """The paper's graph in the current default graph: lesson 09's cells in one call.

    `train_images`, (N, 784) in [0, 1]: the digits it trains on, for G's output bias and the
    epoch length of the momentum schedule. Without them (a graph to restore a checkpoint
    into) the bias starts at 0 and an epoch is 50,000 digits.
    """
    X = tf1.placeholder(tf.float32, [None, 784], name="X")
    Z = tf1.placeholder(tf.float32, [None, cfg.z_dim], name="Z")
    bias = None if train_images is None else output_bias(train_images, cfg.bias_clip)
    G_sample = generator(Z, cfg, bias)
    D_real, D_logit_real = discriminator(X, cfg)  # without dropout: what the logs show
    theta_G = tf1.trainable_variables("generator")
    theta_D = tf1.trainable_variables("discriminator")
    per_epoch = cfg.steps_per_epoch(PAPER_TRAIN_SIZE if train_images is None else len(train_images))
    sgd = sgd_variables(theta_D + theta_G, cfg, per_epoch)
    if sgd.average_after is not None:  # the samples we show and measure; training uses G's own
        G_sample = averaged(lambda: generator(Z, cfg, reuse=True), sgd)
    D_fake, D_logit_fake = discriminator(G_sample, cfg, reuse=True)
    Z_G = tf1.placeholder(tf.float32, [None, cfg.z_dim], name="Z_G") if cfg.update == "alternating" else None
    D_loss, G_loss, step = play(cfg, sgd, theta_D, theta_G, X, Z, Z_G)
    return PaperGan(
        X=X, Z=Z, G_sample=G_sample, D_real=D_real, D_fake=D_fake, D_logit_real=D_logit_real,
        D_logit_fake=D_logit_fake, D_loss=D_loss, G_loss=G_loss, D_solver=step, G_solver=step,
        theta_D=theta_D, theta_G=theta_G, optimizers=(), step=step, sgd=sgd, Z_G=Z_G,
        generator=lambda z: generator(z, cfg, reuse=True),
        discriminator=lambda x: discriminator(x, cfg, reuse=True),
        losses=lambda real, fake: losses(real, fake, cfg))


def play(cfg: Config, sgd: Sgd, theta_D: list[tf.Variable], theta_G: list[tf.Variable], X: tf.Tensor, Z: tf.Tensor,
         Z_G: tf.Tensor | None = None) -> tuple[tf.Tensor, tf.Tensor, tf.Operation]:
    """(D_loss, G_loss, the update) with this update's dropout masks.

    The file's way: D sees X and G(Z), G is judged on the same fakes, one update of both.
    With update="alternating" (Algorithm 1 of the paper, k = 1): D's update first, then
    G's, on fresh noise `Z_G`, judged by D's new weights through masks of their own.
    """
    done = sgd.updates_done
    _, real_logit = discriminator(X, cfg, mask_seeds(cfg, done, 0), reuse=True)
    _, fake_logit = discriminator(generator(Z, cfg, reuse=True), cfg, mask_seeds(cfg, done, 1), reuse=True)
    D_loss, G_loss = losses(real_logit, fake_logit, cfg)
    if cfg.update == "simultaneous":
        return D_loss, G_loss, sgd_update(sgd, theta_D, theta_G, D_loss, G_loss, cfg)
    d_moves = momentum_moves(sgd, theta_D, tf.gradients(D_loss, theta_D), [D_loss])
    with tf.control_dependencies(d_moves):  # everything below reads D's new weights
        _, g_fake_logit = discriminator(generator(Z_G, cfg, reuse=True), cfg, mask_seeds(cfg, done, 2), reuse=True)
        G_loss = g_loss(g_fake_logit, cfg.loss, cfg.g_objective)
        g_moves = momentum_moves(sgd, theta_G, tf.gradients(G_loss, theta_G), [G_loss])
    return D_loss, G_loss, schedules_after(sgd, cfg, d_moves + g_moves, theta_G)


def train_step(sess: tf1.Session, gan: PaperGan, X_mb: np.ndarray,
               sample_Z: Callable[[int], np.ndarray]) -> dict[str, float]:
    """One SGD update (of both players, or D's then G's) on a real batch, and the losses it followed."""
    feed = {gan.X: X_mb, gan.Z: sample_Z(len(X_mb))}
    if gan.Z_G is not None:
        feed[gan.Z_G] = sample_Z(len(X_mb))  # G's own noise, drawn after D's
    _, D_loss, G_loss = sess.run([gan.step, gan.D_loss, gan.G_loss], feed_dict=feed)
    return {"D_loss": float(D_loss), "G_loss": float(G_loss)}


def iteration(cfg: Config, gan: PaperGan, X: tf.Tensor, noise: Noise) -> dict[str, tf.Tensor]:
    """train_step as graph ops, for the fast loop: the same update, on a batch gathered in the graph."""
    Z = noise()
    Z_G = noise() if cfg.update == "alternating" else None  # drawn after D's, as train_step draws it
    D_loss, G_loss, step = play(cfg, gan.sgd, gan.theta_D, gan.theta_G, X, Z, Z_G)
    with tf.control_dependencies([step]):
        return {"D_loss": tf.identity(D_loss), "G_loss": tf.identity(G_loss)}


def log_line(it: int, metrics: dict[str, float], epoch: int = 0) -> str:
    return f"epoch {epoch} update {it}: D loss {metrics['D_loss']:.4f}, G loss {metrics['G_loss']:.4f}"
