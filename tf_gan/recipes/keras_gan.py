"""keras_gan: the Keras MLP GAN, rebuilt in graph mode.

The Keras-GAN example (Erik Linder-Norén) as two tutorial posts present it: a
256-512-1024 generator with LeakyReLU and batch normalisation, a 512-256
discriminator, binary cross-entropy, Adam(2e-4, beta1 0.5). Keras hides the game in
``trainable = False`` and two compiled models; here it is explicit: two variable
scopes, two variable lists, and one ``minimize`` per update.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from tf_gan.graph import tf, tf1
from tf_gan.layers import batch_norm, dense
from tf_gan.losses import bce, g_loss
from tf_gan.recipes.base import Gan, Noise, RecipeConfig, update
from tf_gan.recipes.settings import POSITIVE, PROBABILITY, Allowed, choices


CONDITIONAL = False  # G draws any digit it likes: no labels
STARTS_FROM_DATA = False  # build() needs no training images


@dataclass
class Config(RecipeConfig):
    batch_size: int = 128  # train()'s default (seed 000 runs 256)
    z_dim: int = 100  # latent_dim
    steps: int | None = 30_000  # the posts' "epochs=30000" are iterations
    sample_every: int | None = 200  # sample_interval
    prior: str = "normal"  # np.random.normal(0, 1, ...)
    pixel_range: str = "pm1"  # X_train / 127.5 - 1, and a tanh generator
    validation_size: int = 0  # mnist.load_data(): all 60,000 training images
    sampling: str = "replacement"  # np.random.randint(0, 60000, batch_size)
    layout: tuple[int, int] | None = (5, 5)  # sample_images: a 5x5 grid
    learning_rate: float = 2e-4
    beta1: float = 0.5
    epsilon: float = 1e-7  # Keras' Adam default (TF1's AdamOptimizer uses 1e-8)
    alpha: float = 0.2  # LeakyReLU slope
    bn_momentum: float = 0.8
    fake_batch_bn: str = "inference"  # Keras' generator.predict; "training" uses batch statistics
    # Three ways Keras 2 (as the posts ran) differs from the TF1 graph the lesson builds; off, as the lesson:
    keras2_shared_adam: bool = False  # one Adam object compiled into D and the combined model: one step count
    keras2_bce_clip: bool = False  # binary_crossentropy clips D's probability to [1e-7, 1 - 1e-7] first
    keras2_bn_unbiased: bool = False  # BatchNormalization's moving variance from the batch's unbiased variance

    ALLOWED: ClassVar[dict[str, Allowed]] = {
        "learning_rate": POSITIVE, "beta1": Allowed(minimum=0, maximum=1, below=True), "epsilon": POSITIVE,
        "alpha": Allowed(minimum=0), "bn_momentum": PROBABILITY, "fake_batch_bn": choices("inference", "training")}


@dataclass(kw_only=True)
class KerasGan(Gan):
    """The wiseodd handles, plus what the Keras loop runs. D_solver / D_loss are the real-batch update."""

    G_train: tf.Tensor  # G(Z) with batch statistics, as the combined model runs it
    G_fake_batch: tf.Tensor  # what D's fake batch is made from (G_sample, or G_train if fake_batch_bn="training")
    D_fake_solver: tf.Operation  # D's update on a fed batch of fakes (labels 0)
    D_loss_fake: tf.Tensor
    D_acc_real: tf.Tensor
    D_acc_fake: tf.Tensor


def generator(z: tf.Tensor, cfg: Config, training: bool, reuse: bool | None = None) -> tf.Tensor:
    """Dense -> LeakyReLU -> BatchNorm, three times (256, 512, 1024), then Dense 784 tanh."""
    with tf1.variable_scope("generator", reuse=reuse):
        h = z
        for units in (256, 512, 1024):
            h = dense(h, units, activation=lambda t: tf.nn.leaky_relu(t, alpha=cfg.alpha))
            h = batch_norm(h, training=training, momentum=cfg.bn_momentum,
                           unbiased_moving_variance=cfg.keras2_bn_unbiased)
        return dense(h, 784, activation=tf.tanh)


def discriminator(x: tf.Tensor, cfg: Config, reuse: bool | None = None) -> tuple[tf.Tensor, tf.Tensor]:
    """Dense 512 -> LeakyReLU -> Dense 256 -> LeakyReLU -> Dense 1; returns (sigmoid, logit)."""
    with tf1.variable_scope("discriminator", reuse=reuse):
        h = dense(x, 512, activation=lambda t: tf.nn.leaky_relu(t, alpha=cfg.alpha))
        h = dense(h, 256, activation=lambda t: tf.nn.leaky_relu(t, alpha=cfg.alpha))
        logit = dense(h, 1)
        return tf.sigmoid(logit), logit


def accuracy(D: tf.Tensor, label: float) -> tf.Tensor:
    """Keras' binary accuracy: the share of verdicts on the right side of 0.5."""
    return tf.reduce_mean(tf.cast(tf.equal(tf.cast(D > 0.5, tf.float32), label), tf.float32))


def adam(cfg: Config) -> tf1.train.Optimizer:
    return tf1.train.AdamOptimizer(cfg.learning_rate, beta1=cfg.beta1, epsilon=cfg.epsilon)


KERAS_EPSILON = 1e-7  # Keras 2's K.epsilon()


def as_keras2_judged(logit: tf.Tensor, cfg: Config) -> tf.Tensor:
    """The logit Keras 2's ``binary_crossentropy`` works from: with keras2_bce_clip, D's probability clipped
    to [1e-7, 1 - 1e-7] and turned back into a logit (beyond the clip the loss is flat: no gradient)."""
    if not cfg.keras2_bce_clip:
        return logit
    p = tf.clip_by_value(tf.sigmoid(logit), KERAS_EPSILON, 1 - KERAS_EPSILON)
    return tf.math.log(p / (1 - p))


def real_loss(logit: tf.Tensor, cfg: Config) -> tf.Tensor:
    """D's binary cross-entropy on a batch it should call real (``train_on_batch(imgs, valid)``)."""
    return bce(as_keras2_judged(logit, cfg), 1.0, cfg.loss)


def fake_loss(logit: tf.Tensor, cfg: Config) -> tf.Tensor:
    """D's binary cross-entropy on a batch it should call fake (``train_on_batch(gen_imgs, fake)``)."""
    return bce(as_keras2_judged(logit, cfg), 0.0, cfg.loss)


def generator_loss(logit: tf.Tensor, cfg: Config) -> tf.Tensor:
    """G's loss through the frozen D (``combined.train_on_batch(noise, valid)``)."""
    return g_loss(as_keras2_judged(logit, cfg), cfg.loss, cfg.g_objective)


def losses(real_logit: tf.Tensor, fake_logit: tf.Tensor, cfg: Config) -> tuple[tf.Tensor, tf.Tensor]:
    """(D's mean loss on a real and a fake batch, G's loss): the game as one pair, for Gan.losses."""
    return 0.5 * (real_loss(real_logit, cfg) + fake_loss(fake_logit, cfg)), generator_loss(fake_logit, cfg)


def build(cfg: Config, train_images: np.ndarray | None = None) -> KerasGan:
    """The Keras posts' models as one graph, in the current default graph: lesson 02's cells, in one call."""
    X = tf1.placeholder(tf.float32, [None, 784], name="X")  # real images, or G's fakes for D's second update
    Z = tf1.placeholder(tf.float32, [None, cfg.z_dim], name="Z")

    G_train = generator(Z, cfg, training=True)  # the combined model: batch statistics, updates the moving ones
    G_sample = generator(Z, cfg, training=False, reuse=True)  # generator.predict: moving statistics
    D_X, D_logit_X = discriminator(X, cfg)
    D_fake, D_logit_fake = discriminator(G_sample, cfg, reuse=True)  # for the logs: D on the samples we show
    _, D_logit_G = discriminator(G_train, cfg, reuse=True)  # G's update goes through D without moving it

    theta_D = tf1.trainable_variables("discriminator")
    theta_G = tf1.trainable_variables("generator")

    D_loss_real = real_loss(D_logit_X, cfg)
    D_loss_fake = fake_loss(D_logit_X, cfg)  # the same D, fed a batch of fakes
    G_loss = generator_loss(D_logit_G, cfg)  # combined.train_on_batch(noise, valid)

    d_adam = adam(cfg)  # D: one optimizer, two updates per iteration, as Keras does
    g_adam = d_adam if cfg.keras2_shared_adam else adam(cfg)  # Keras 2: the same object, so one step count
    D_solver = d_adam.minimize(D_loss_real, var_list=theta_D)
    D_fake_solver = d_adam.minimize(D_loss_fake, var_list=theta_D)
    with tf.control_dependencies(tf1.get_collection(tf1.GraphKeys.UPDATE_OPS)):  # move the BN statistics too
        G_solver = g_adam.minimize(G_loss, var_list=theta_G)

    return KerasGan(
        X=X, Z=Z, G_sample=G_sample, D_real=D_X, D_fake=D_fake, D_logit_real=D_logit_X, D_logit_fake=D_logit_fake,
        D_loss=D_loss_real, G_loss=G_loss, D_solver=D_solver, G_solver=G_solver, theta_D=theta_D, theta_G=theta_G,
        G_train=G_train, G_fake_batch=G_sample if cfg.fake_batch_bn == "inference" else G_train,
        D_fake_solver=D_fake_solver, D_loss_fake=D_loss_fake, D_acc_real=accuracy(D_X, 1.0),
        D_acc_fake=accuracy(D_X, 0.0), generator=lambda z: generator(z, cfg, training=False, reuse=True),
        discriminator=lambda x: discriminator(x, cfg, reuse=True), losses=lambda real, fake: losses(real, fake, cfg),
        optimizers=(d_adam, g_adam))


def train_step(
    sess: tf1.Session, gan: KerasGan, X_mb: np.ndarray, sample_Z: Callable[[int], np.ndarray]
) -> dict[str, float]:
    """D on a real batch, D on a batch of fakes, then G through the frozen D on fresh noise."""
    gen_imgs = sess.run(gan.G_fake_batch, feed_dict={gan.Z: sample_Z(len(X_mb))})
    _, d_real, acc_real = sess.run([gan.D_solver, gan.D_loss, gan.D_acc_real], feed_dict={gan.X: X_mb})
    _, d_fake, acc_fake = sess.run([gan.D_fake_solver, gan.D_loss_fake, gan.D_acc_fake], feed_dict={gan.X: gen_imgs})
    _, g = sess.run([gan.G_solver, gan.G_loss], feed_dict={gan.Z: sample_Z(len(X_mb))})
    return {"D_loss": 0.5 * float(d_real + d_fake), "D_acc": 0.5 * float(acc_real + acc_fake), "G_loss": float(g)}


def iteration(cfg: Config, gan: KerasGan, X: tf.Tensor, noise: Noise) -> dict[str, tf.Tensor]:
    """train_step as graph ops, for the fast loop (tf_gan/run/loops.py): the same three updates, in order."""
    d_adam, g_adam = gan.optimizers
    gen_imgs = generator(noise(), cfg, training=cfg.fake_batch_bn == "training", reuse=True)
    real_logit = discriminator(X, cfg, reuse=True)[1]
    d_real = real_loss(real_logit, cfg)
    with tf.control_dependencies([update(d_adam, d_real, gan.theta_D)]):
        fake_logit = discriminator(gen_imgs, cfg, reuse=True)[1]  # with D's weights after the real batch
        d_fake = fake_loss(fake_logit, cfg)
        D_step = update(d_adam, d_fake, gan.theta_D)
    with tf.control_dependencies([D_step]):
        moved_before = set(tf1.get_collection(tf1.GraphKeys.UPDATE_OPS))
        G_logit = discriminator(generator(noise(), cfg, training=True, reuse=True), cfg, reuse=True)[1]
        g = generator_loss(G_logit, cfg)
        statistics = [op for op in tf1.get_collection(tf1.GraphKeys.UPDATE_OPS) if op not in moved_before]
        with tf.control_dependencies(statistics):
            G_step = update(g_adam, g, gan.theta_G)
    with tf.control_dependencies([G_step]):
        return {"D_loss": 0.5 * (d_real + d_fake),
                "D_acc": 0.5 * (accuracy(tf.sigmoid(real_logit), 1.0) + accuracy(tf.sigmoid(fake_logit), 0.0)),
                "G_loss": tf.identity(g)}


def log_line(it: int, metrics: dict[str, float], epoch: int = 0) -> str:
    return f"{it} [D loss: {metrics['D_loss']:f}, acc.: {100 * metrics['D_acc']:.2f}%] [G loss: {metrics['G_loss']:f}]"
