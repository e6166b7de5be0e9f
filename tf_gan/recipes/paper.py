"""paper: the GAN of Goodfellow et al. (2014) on MNIST, as the paper's own code trained it.

Not a blog post: the configuration every post cites, from the paper's repository
(goodfeli/adversarial: ``mnist.yaml`` on pylearn2, the cost ``AdversaryCost2`` in
``__init__.py``). Rebuilt here in the lessons' graph style, its three differences from
the posts in plain sight:

* D is a **maxout** network (240 units of 5 pieces, twice) trained with **dropout**
  (each input pixel kept with probability 0.8 and scaled by 1.25, each hidden unit kept
  with 0.5 and scaled by 2); G is 1200 ReLU -> 1200 ReLU -> 784 sigmoid, its output bias
  starting at the logits of the training pixels' means.
* One cost for both players: D's mean cross-entropy on a real batch and a generated
  batch, G's non-saturating ``-log D(G(z))`` on the same generated batch and the same
  dropout masks. Both gradients are taken at the same weights and applied together
  (pylearn2's SGD), not one player after the other.
* Plain SGD with momentum, no Adam: learning rate 0.1 divided by 1.000004 after every
  update (never below 1e-6), momentum from 0.5 at the first epoch to 0.7 at the 250th.
  The learning rate, the momentum and the update count are graph variables, saved in
  every checkpoint, so a resumed run continues both schedules exactly. Dropout masks are
  drawn from the update count (stateless), so they repeat on resume too.

Trained on the first 50,000 training digits; the last 10,000 are held out, and
``evaluate`` chooses the Parzen window's width on them, as the paper did.
The lesson ``tutorials/09_paper.py`` types the same graph cell by cell, and
tests/test_lesson_graphs.py proves the two equal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tf_gan.errors import TfGanError
from tf_gan.graph import tf, tf1
from tf_gan.layers import dense
from tf_gan.losses import bce, g_loss
from tf_gan.recipes.base import Gan, Noise, RecipeConfig, check_count

STARTS_FROM_DATA = True  # build() takes the training images: G's output bias starts at their pixel means
PAPER_TRAIN_SIZE = 50_000  # the digits mnist.yaml trains on; the epoch length when build() is given none


@dataclass
class Config(RecipeConfig):
    batch_size: int = 100
    z_dim: int = 100  # nvis: 100, Gaussian noise (the Generator's default)
    epochs: int | None = 100  # tf_gan's default length; mnist.yaml sets none and runs until stopped
    sample_every_epochs: int = 5
    prior: str = "normal"
    pixel_range: str = "01"
    validation_size: int = 10_000  # mnist.yaml: train on digits 0..49,999; 50,000..59,999 are 'valid'
    held_out: str = "last"
    g_hidden: int = 1200  # G's two ReLU layers, h0 and h1
    g_irange: float = 0.05  # G's weights start uniform in [-0.05, 0.05]
    maxout_units: int = 240  # D's two maxout layers: 240 units ...
    maxout_pieces: int = 5  # ... each the max of 5 linear pieces
    d_irange: float = 0.005  # D's weights start uniform in [-0.005, 0.005]
    input_keep: float = 0.8  # dropout on D's input pixels: kept with probability 0.8 ...
    input_scale: float = 1.25  # ... and the kept ones multiplied by 1.25
    hidden_keep: float = 0.5  # dropout on the inputs of D's other two layers
    hidden_scale: float = 2.0
    learning_rate: float = 0.1
    lr_decay: float = 1.000004  # ExponentialDecay: divide by this after every update ...
    min_lr: float = 1e-6  # ... down to this floor
    init_momentum: float = 0.5  # MomentumAdjustor: start 1, saturate 250, final 0.7
    final_momentum: float = 0.7
    momentum_start: int = 1
    momentum_saturate: int = 250
    # Not the paper's: from this epoch on, G_sample (pictures, sample, evaluate) uses the running mean of
    # G's weights over every update since (Polyak averaging); training is unchanged. None: G's own weights.
    average_g_from: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("input_keep", "hidden_keep"):
            if not 0 < getattr(self, name) <= 1:
                raise TfGanError(f"{name} must be in (0, 1], got {getattr(self, name)!r}")
        if self.momentum_saturate <= self.momentum_start:
            raise TfGanError("momentum_saturate must come after momentum_start")
        if self.average_g_from is not None:
            check_count("average_g_from", self.average_g_from, minimum=0)


@dataclass(frozen=True)
class Sgd:
    """SGD's state, as graph variables that every checkpoint holds: a resumed run continues it exactly."""

    updates_done: tf.Variable  # how many updates so far: the schedules and the dropout masks follow it
    lr: tf.Variable  # the learning rate the next update uses
    momentum: tf.Variable  # the momentum the next update uses
    velocity: dict[str, tf.Variable]  # one per weight, by the weight's name
    steps_per_epoch: int  # updates per epoch: the momentum moves once per epoch
    averages: dict[str, tf.Variable]  # with average_g_from: the running mean of each of G's weights, else {}
    average_after: int | None  # the running means cover the updates after this many (None: no averaging)


@dataclass(kw_only=True)
class PaperGan(Gan):
    """The handles, plus one `step` that updates both players (D_solver and G_solver are it) and SGD's state."""

    step: tf.Operation
    sgd: Sgd


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


def output_bias(train_images: np.ndarray) -> np.ndarray:
    """pylearn2's ``init_sigmoid_bias_from_marginals``: the logit of each pixel's mean, clipped to [0.001, 0.999].

    G's very first samples are then the average digit, not grey noise.
    """
    mean = np.clip(train_images.mean(axis=0), 1e-3, 1 - 1e-3)
    return np.log(mean / (1 - mean)).astype(np.float32)


# The game -------------------------------------------------------------------------------


def losses(real_logit: tf.Tensor, fake_logit: tf.Tensor, cfg: Config) -> tuple[tf.Tensor, tf.Tensor]:
    """AdversaryCost2: D's mean cross-entropy over a real and a fake batch; G's -log D(G(z)) on the same fakes."""
    D_loss = 0.5 * (bce(real_logit, 1.0, cfg.loss) + bce(fake_logit, 0.0, cfg.loss))
    return D_loss, g_loss(fake_logit, cfg.loss, cfg.g_objective)


def mask_seeds(updates_done: tf.Tensor, call: int) -> tf.Tensor:
    """The dropout seeds of one D call (0: on the real batch, 1: on the fakes) at this update: (3, 2) int64."""
    layers = tf.constant([[call * 3 + layer] for layer in range(3)], tf.int64)
    return tf.concat([layers, tf.fill([3, 1], updates_done)], axis=1)


def momentum_at(cfg: Config, epoch: tf.Tensor) -> tf.Tensor:
    """MomentumAdjustor: linear from init_momentum to final_momentum between the start and saturate epochs.

    pylearn2 counts the monitor calls before training and after every epoch, so epoch e
    (from 0) trains with count e + 1: epoch 0 at 0.5, epoch 249 and after at 0.7.
    """
    alpha = (tf.cast(epoch, tf.float64) + 1 - cfg.momentum_start) / (cfg.momentum_saturate - cfg.momentum_start)
    alpha = tf.clip_by_value(alpha, 0.0, 1.0)
    return cfg.init_momentum * (1 - alpha) + cfg.final_momentum * alpha


def lr_at(cfg: Config, updates_done: tf.Tensor) -> tf.Tensor:
    """ExponentialDecay: the first learning rate divided by lr_decay once per update so far, never below min_lr."""
    decayed = cfg.learning_rate / tf.pow(tf.constant(cfg.lr_decay, tf.float64), tf.cast(updates_done, tf.float64))
    return tf.maximum(decayed, cfg.min_lr)


def sgd_update(sgd: Sgd, theta_D: list[tf.Variable], theta_G: list[tf.Variable], D_loss: tf.Tensor,
               G_loss: tf.Tensor, cfg: Config) -> tf.Operation:
    """One momentum-SGD update of both players, then the schedules move on.

    Both gradients are computed before any weight moves. For every weight w with velocity v:
    v <- momentum * v - lr * dLoss/dw; w <- w + v (pylearn2's Momentum rule).
    """
    grads = tf.gradients(D_loss, theta_D) + tf.gradients(G_loss, theta_G)
    moves = []
    with tf.control_dependencies([*grads, D_loss, G_loss]):
        for w, grad in zip(theta_D + theta_G, grads):
            v = sgd.velocity[w.op.name]
            new_v = v.assign(sgd.momentum * v - sgd.lr * grad)
            moves.append(w.assign_add(new_v))
    with tf.control_dependencies(moves):
        done = sgd.updates_done.assign_add(1)
        epoch = done // sgd.steps_per_epoch
        return tf.group(sgd.lr.assign(tf.cast(lr_at(cfg, done), tf.float32)),
                        sgd.momentum.assign(tf.cast(momentum_at(cfg, epoch), tf.float32)),
                        *average_update(sgd, theta_G, done))


def average_update(sgd: Sgd, theta_G: list[tf.Variable], done: tf.Tensor) -> list[tf.Operation]:
    """The running mean of G's weights after update number `done`: m <- m + (w - m) / n, n updates averaged.

    Before the averaging starts, n is 0 and m stays at 0; at n = 1, m becomes w exactly.
    """
    if sgd.average_after is None:
        return []
    n = tf.cast(done - sgd.average_after, tf.float32)
    rate = tf.where(n > 0, 1.0 / tf.maximum(n, 1.0), 0.0)
    return [sgd.averages[w.op.name].assign_add((w - sgd.averages[w.op.name]) * rate) for w in theta_G]


def averaged_generator(z: tf.Tensor, cfg: Config, sgd: Sgd) -> tf.Tensor:
    """G(z) with the running mean of its weights once the averaging has begun, with its own weights before."""
    averaging = sgd.updates_done > sgd.average_after

    def mean_weight(getter: Callable, name: str, *args: object, **kwargs: object) -> tf.Tensor:
        return tf.where(averaging, sgd.averages[name], getter(name, *args, **kwargs))

    with tf1.variable_scope(tf1.get_variable_scope(), custom_getter=mean_weight):
        return generator(z, cfg, reuse=True)


def sgd_variables(theta: list[tf.Variable], cfg: Config, steps_per_epoch: int) -> Sgd:
    """The optimizer's state: update count, learning rate, momentum, and one velocity per weight, starting at 0."""
    with tf1.variable_scope("sgd"):
        updates_done = tf1.get_variable("updates_done", [], tf.int64, tf1.zeros_initializer(), trainable=False)
        lr = tf1.get_variable("learning_rate", [], initializer=tf1.constant_initializer(cfg.learning_rate),
                              trainable=False)
        momentum = tf1.get_variable("momentum", [], initializer=tf1.constant_initializer(cfg.init_momentum),
                                    trainable=False)
        velocity = {w.op.name: tf1.get_variable(f"velocity/{w.op.name}", w.shape, initializer=tf1.zeros_initializer(),
                                                trainable=False) for w in theta}
    averages, after = {}, None
    if cfg.average_g_from is not None:
        after = cfg.average_g_from * steps_per_epoch
        with tf1.variable_scope("average"):
            averages = {w.op.name: tf1.get_variable(w.op.name, w.shape, initializer=tf1.zeros_initializer(),
                                                    trainable=False) for w in theta if w.op.name.startswith("generator/")}
    return Sgd(updates_done, lr, momentum, velocity, steps_per_epoch, averages, after)


def build(cfg: Config, train_images: np.ndarray | None = None) -> PaperGan:
    """The paper's graph in the current default graph: lesson 09's cells in one call.

    `train_images`, (N, 784) in [0, 1]: the digits it trains on, for G's output bias and the
    epoch length of the momentum schedule. Without them (a graph to restore a checkpoint
    into) the bias starts at 0 and an epoch is 50,000 digits.
    """
    X = tf1.placeholder(tf.float32, [None, 784], name="X")
    Z = tf1.placeholder(tf.float32, [None, cfg.z_dim], name="Z")
    G_sample = generator(Z, cfg, None if train_images is None else output_bias(train_images))
    D_real, D_logit_real = discriminator(X, cfg)  # without dropout: what the logs show
    theta_G = tf1.trainable_variables("generator")
    theta_D = tf1.trainable_variables("discriminator")
    per_epoch = cfg.steps_per_epoch(PAPER_TRAIN_SIZE if train_images is None else len(train_images))
    sgd = sgd_variables(theta_D + theta_G, cfg, per_epoch)
    if sgd.average_after is not None:
        G_sample = averaged_generator(Z, cfg, sgd)  # the samples we show and measure; training uses G's own
    D_fake, D_logit_fake = discriminator(G_sample, cfg, reuse=True)
    D_loss, G_loss = play(cfg, X, Z, sgd.updates_done)
    step = sgd_update(sgd, theta_D, theta_G, D_loss, G_loss, cfg)
    return PaperGan(
        X=X, Z=Z, G_sample=G_sample, D_real=D_real, D_fake=D_fake, D_logit_real=D_logit_real,
        D_logit_fake=D_logit_fake, D_loss=D_loss, G_loss=G_loss, D_solver=step, G_solver=step,
        theta_D=theta_D, theta_G=theta_G, optimizers=(), step=step, sgd=sgd,
        generator=lambda z: generator(z, cfg, reuse=True),
        discriminator=lambda x: discriminator(x, cfg, reuse=True),
        losses=lambda real, fake: losses(real, fake, cfg))


def play(cfg: Config, X: tf.Tensor, Z: tf.Tensor, updates_done: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
    """(D_loss, G_loss) with this update's dropout masks: D sees X and G(Z), G is judged on the same fakes."""
    _, real_logit = discriminator(X, cfg, mask_seeds(updates_done, 0), reuse=True)
    _, fake_logit = discriminator(generator(Z, cfg, reuse=True), cfg, mask_seeds(updates_done, 1), reuse=True)
    return losses(real_logit, fake_logit, cfg)


def train_step(sess: tf1.Session, gan: PaperGan, X_mb: np.ndarray,
               sample_Z: Callable[[int], np.ndarray]) -> dict[str, float]:
    """One SGD update of both players on a real batch and as many noise vectors, and the losses it followed."""
    _, D_loss, G_loss = sess.run([gan.step, gan.D_loss, gan.G_loss],
                                 feed_dict={gan.X: X_mb, gan.Z: sample_Z(len(X_mb))})
    return {"D_loss": float(D_loss), "G_loss": float(G_loss)}


def iteration(cfg: Config, gan: PaperGan, X: tf.Tensor, noise: Noise) -> dict[str, tf.Tensor]:
    """train_step as graph ops, for the fast loop: the same update, on a batch gathered in the graph."""
    D_loss, G_loss = play(cfg, X, noise(), gan.sgd.updates_done)
    with tf.control_dependencies([sgd_update(gan.sgd, gan.theta_D, gan.theta_G, D_loss, G_loss, cfg)]):
        return {"D_loss": tf.identity(D_loss), "G_loss": tf.identity(G_loss)}


def log_line(it: int, metrics: dict[str, float], epoch: int = 0) -> str:
    return f"epoch {epoch} update {it}: D loss {metrics['D_loss']:.4f}, G loss {metrics['G_loss']:.4f}"
