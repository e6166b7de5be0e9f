"""gfg: the GeeksforGeeks-style GAN with ``tf.layers.dense`` and variable scopes.

The post builds G in ``variable_scope('gen')`` and D in ``variable_scope('dis', reuse=...)``
from three dense layers each, smooths the real labels to 0.9, and picks each player's
variables out of ``trainable_variables()`` by name. Two bugs are fixed here: the post
rebuilt its sample op inside the epoch loop (the graph grew every epoch; here it is built
once and the graph is finalized before training), and its session lines had lost their
``sess.run`` (restored).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from tf_gan.graph import tf, tf1
from tf_gan.layers import dense
from tf_gan.losses import LossForm, d_loss, g_loss
from tf_gan.recipes.base import Gan, Noise, RecipeConfig, alternating_iteration, alternating_step
from tf_gan.recipes.settings import POSITIVE, PROBABILITY, Allowed


CONDITIONAL = False  # G draws any digit it likes: no labels
STARTS_FROM_DATA = False  # build() needs no training images


@dataclass
class Config(RecipeConfig):
    batch_size: int = 100
    z_dim: int = 100
    h_dim: int = 128  # units in each hidden layer
    steps: int | None = None  # counted in epochs instead:
    epochs: int | None = 500  # each of num_examples // batch_size batches
    loss: LossForm = "sigmoid_ce"
    prior: str = "uniform"  # np.random.uniform(-1, 1, ...)
    pixel_range: str = "pm1"  # batch * 2 - 1, and a tanh generator
    layout: tuple[int, int] | None = (1, 1)  # the post keeps one sample per epoch
    learning_rate: float = 1e-3
    real_label: float = 0.9  # one-sided label smoothing: only the real labels move off 1

    ALLOWED: ClassVar[dict[str, Allowed]] = {"learning_rate": POSITIVE, "real_label": PROBABILITY}


def generator(z: tf.Tensor, cfg: Config, reuse: bool | None = None) -> tf.Tensor:
    with tf1.variable_scope("gen", reuse=reuse):
        hidden1 = dense(inputs=z, units=cfg.h_dim, activation=tf.nn.leaky_relu)
        hidden2 = dense(inputs=hidden1, units=cfg.h_dim, activation=tf.nn.leaky_relu)
        return dense(inputs=hidden2, units=784, activation=tf.nn.tanh)


def discriminator(X: tf.Tensor, cfg: Config, reuse: bool | None = None) -> tuple[tf.Tensor, tf.Tensor]:
    with tf1.variable_scope("dis", reuse=reuse):
        hidden1 = dense(inputs=X, units=cfg.h_dim, activation=tf.nn.leaky_relu)
        hidden2 = dense(inputs=hidden1, units=cfg.h_dim, activation=tf.nn.leaky_relu)
        logits = dense(hidden2, units=1)
        return tf.sigmoid(logits), logits


def losses(D_logits_real: tf.Tensor, D_logits_fake: tf.Tensor, cfg: Config) -> tuple[tf.Tensor, tf.Tensor]:
    """Sigmoid cross-entropy, real labels smoothed to cfg.real_label, fakes 0; G asks for 1."""
    D_loss = d_loss(D_logits_real, D_logits_fake, form=cfg.loss, real_label=cfg.real_label)
    G_loss = g_loss(D_logits_fake, form=cfg.loss, objective=cfg.g_objective)
    return D_loss, G_loss


def build(cfg: Config, train_images: np.ndarray | None = None, generator_fn: Callable | None = None,
          discriminator_fn: Callable | None = None) -> Gan:
    """The post's graph in the current default graph: lesson 03's cells, in one call.

    `generator_fn(z, reuse=None)` and `discriminator_fn(X, reuse=None)`, with the post's
    signatures, replace this module's G and D: a lesson's own, edited versions, which then
    train with ``tf_gan.run.trainer.train(gfg, cfg, mnist, out, build=...)``.
    """
    if generator_fn is None:
        def generator_fn(z: tf.Tensor, reuse: bool | None = None) -> tf.Tensor:
            return generator(z, cfg, reuse)
    if discriminator_fn is None:
        def discriminator_fn(X: tf.Tensor, reuse: bool | None = None) -> tuple[tf.Tensor, tf.Tensor]:
            return discriminator(X, cfg, reuse)

    real_images = tf1.placeholder(tf.float32, shape=[None, 784], name="real_images")
    z = tf1.placeholder(tf.float32, shape=[None, cfg.z_dim], name="z")

    G = generator_fn(z)
    D_output_real, D_logits_real = discriminator_fn(real_images)
    D_output_fake, D_logits_fake = discriminator_fn(G, reuse=True)
    D_loss, G_loss = losses(D_logits_real, D_logits_fake, cfg)

    tvars = tf1.trainable_variables()
    d_vars = [var for var in tvars if "dis" in var.name]
    g_vars = [var for var in tvars if "gen" in var.name]

    D_adam, G_adam = tf1.train.AdamOptimizer(cfg.learning_rate), tf1.train.AdamOptimizer(cfg.learning_rate)
    D_trainer = D_adam.minimize(D_loss, var_list=d_vars)
    G_trainer = G_adam.minimize(G_loss, var_list=g_vars)

    G_sample = generator_fn(z, reuse=True)  # built once, here; the post added one per epoch
    return Gan(X=real_images, Z=z, G_sample=G_sample, D_real=D_output_real, D_fake=D_output_fake,
               D_logit_real=D_logits_real, D_logit_fake=D_logits_fake, D_loss=D_loss, G_loss=G_loss,
               D_solver=D_trainer, G_solver=G_trainer, theta_D=d_vars, theta_G=g_vars,
               generator=lambda z_: generator_fn(z_, reuse=True),
               discriminator=lambda x: discriminator_fn(x, reuse=True),
               losses=lambda real, fake: losses(real, fake, cfg), optimizers=(D_adam, G_adam))


def train_step(
    sess: tf1.Session, gan: Gan, batch_images: np.ndarray, sample_Z: Callable[[int], np.ndarray]
) -> dict[str, float]:
    """D then G, on the same batch_z."""
    return alternating_step(sess, gan, batch_images, sample_Z, same_noise=True)


def iteration(cfg: Config, gan: Gan, X: tf.Tensor, noise: Noise) -> dict[str, tf.Tensor]:
    """train_step as graph ops, for the fast loop (tf_gan/run/loops.py)."""
    return alternating_iteration(gan, X, noise, same_noise=True)


def log_line(it: int, metrics: dict[str, float], epoch: int = 0) -> str:
    return f"on epoch {epoch}  D_loss: {metrics['D_loss']:.4f}  G_loss: {metrics['G_loss']:.4f}"
