"""cgan: ask for a digit. wiseodd's conditional GAN, after Mirza and Osindero (2014).

Agustinus Kristiadi's ``GAN/conditional_gan/cgan_tensorflow.py`` (in his generative-models
repository) is lesson 01's GAN with one more input: the digit's one-hot label ``y``, joined
to the noise before G's first layer and to the image before D's (``tf.concat``). G learns
to draw the digit it is given, and D to judge whether an image is a real example *of that
digit*. Read top to bottom, this module is the post's graph, once, for ``tf_gan train``:
the lesson ``tutorials/08_cgan.py`` types the same lines cell by cell, in the same order (the
order fixes which random numbers each weight gets), and tests/test_lesson_graphs.py proves
the two build the same graph.

Kept from the post: its own ``xavier_init``, a normal with stddev ``1 / sqrt(fan_in / 2)``
(He et al.'s initialisation, really: Glorot's normal has variance 2 / (fan_in + fan_out));
plain ``tf.Variable``s, named here so checkpoints and error messages say ``D_W1``; batches
of 64; the same noise for D's and G's update; G's update conditioned on the real batch's labels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from tf_gan.graph import tf, tf1
from tf_gan.losses import GeneratorObjective, LossForm, d_loss, g_loss
from tf_gan.recipes.base import Gan, Noise, RecipeConfig, alternating_iteration, alternating_step
from tf_gan.recipes.settings import Allowed, choices

STARTS_FROM_DATA = False  # build() needs no training images
CONDITIONAL = True  # G and D take labels: the loops feed each batch's digits; `sample --digit` asks


@dataclass
class Config(RecipeConfig):
    batch_size: int = 64  # the post's mb_size
    z_dim: int = 100  # Z_dim
    x_dim: int = 784  # X_dim
    y_dim: int = 10  # one-hot digits
    h_dim: int = 128  # hidden units in G and in D
    loss: LossForm = "sigmoid_ce"  # the post's only form
    g_objective: GeneratorObjective = "non_saturating"
    steps: int | None = 1_000_000  # the post's length
    sample_every: int | None = 1000  # a 4x4 grid and a log line this often
    prior: str = "uniform"  # z ~ U[-1, 1]
    pixel_range: str = "01"
    digit: int = 7  # the post's pictures: 16 samples, all asked to be 7s

    ALLOWED: ClassVar[dict[str, Allowed]] = {"x_dim": choices(784), "y_dim": choices(10),  # one per MNIST digit
                                             "digit": Allowed(minimum=0, maximum=9)}


def xavier_init(size: list[int]) -> tf.Tensor:
    """The post's initial weights: normal, stddev 1 / sqrt(fan_in / 2), built as the post does."""
    fan_in = size[0]
    stddev = 1. / tf.sqrt(fan_in / 2.)
    return tf1.random_normal(shape=size, stddev=stddev)


def generator(z: tf.Tensor, y: tf.Tensor, theta_G: list[tf.Variable]) -> tf.Tensor:
    """G(z, y): noise and label side by side -> ReLU hidden layer -> sigmoid pixels in [0, 1]."""
    G_W1, G_W2, G_b1, G_b2 = theta_G
    inputs = tf.concat(axis=1, values=[z, y])
    G_h1 = tf.nn.relu(tf.matmul(inputs, G_W1) + G_b1)
    G_log_prob = tf.matmul(G_h1, G_W2) + G_b2
    return tf.nn.sigmoid(G_log_prob)


def discriminator(x: tf.Tensor, y: tf.Tensor,
                  theta_D: list[tf.Variable]) -> tuple[tf.Tensor, tf.Tensor]:
    """D(x, y): image and label side by side -> ReLU hidden layer -> one logit; (D, logit)."""
    D_W1, D_W2, D_b1, D_b2 = theta_D
    inputs = tf.concat(axis=1, values=[x, y])
    D_h1 = tf.nn.relu(tf.matmul(inputs, D_W1) + D_b1)
    D_logit = tf.matmul(D_h1, D_W2) + D_b2
    return tf.nn.sigmoid(D_logit), D_logit


def losses(D_logit_real: tf.Tensor, D_logit_fake: tf.Tensor,
           cfg: Config) -> tuple[tf.Tensor, tf.Tensor]:
    """(D_loss, G_loss): the post's sigmoid cross-entropy lines (other forms: tf_gan.losses)."""
    D_loss = d_loss(D_logit_real, D_logit_fake, form=cfg.loss)
    return D_loss, g_loss(D_logit_fake, cfg.loss, cfg.g_objective)


def build(cfg: Config, train_images: np.ndarray | None = None) -> Gan:
    """The whole graph in the default graph, in the post's order: lesson 08's cells, in one call."""
    X = tf1.placeholder(tf.float32, shape=[None, cfg.x_dim], name="X")
    y = tf1.placeholder(tf.float32, shape=[None, cfg.y_dim], name="y")
    D_W1 = tf1.Variable(xavier_init([cfg.x_dim + cfg.y_dim, cfg.h_dim]), name="D_W1")
    D_b1 = tf1.Variable(tf.zeros(shape=[cfg.h_dim]), name="D_b1")
    D_W2 = tf1.Variable(xavier_init([cfg.h_dim, 1]), name="D_W2")
    D_b2 = tf1.Variable(tf.zeros(shape=[1]), name="D_b2")
    theta_D = [D_W1, D_W2, D_b1, D_b2]

    Z = tf1.placeholder(tf.float32, shape=[None, cfg.z_dim], name="Z")
    G_W1 = tf1.Variable(xavier_init([cfg.z_dim + cfg.y_dim, cfg.h_dim]), name="G_W1")
    G_b1 = tf1.Variable(tf.zeros(shape=[cfg.h_dim]), name="G_b1")
    G_W2 = tf1.Variable(xavier_init([cfg.h_dim, cfg.x_dim]), name="G_W2")
    G_b2 = tf1.Variable(tf.zeros(shape=[cfg.x_dim]), name="G_b2")
    theta_G = [G_W1, G_W2, G_b1, G_b2]

    G_sample = generator(Z, y, theta_G)
    D_real, D_logit_real = discriminator(X, y, theta_D)
    D_fake, D_logit_fake = discriminator(G_sample, y, theta_D)  # fakes of the digit asked for
    D_loss, G_loss = losses(D_logit_real, D_logit_fake, cfg)
    D_adam, G_adam = tf1.train.AdamOptimizer(), tf1.train.AdamOptimizer()
    D_solver = D_adam.minimize(D_loss, var_list=theta_D)
    G_solver = G_adam.minimize(G_loss, var_list=theta_G)
    return Gan(X=X, Z=Z, y=y, G_sample=G_sample, D_real=D_real, D_fake=D_fake,
               D_logit_real=D_logit_real, D_logit_fake=D_logit_fake, D_loss=D_loss, G_loss=G_loss,
               D_solver=D_solver, G_solver=G_solver, theta_D=theta_D, theta_G=theta_G,
               generator=lambda z, labels: generator(z, labels, theta_G),
               discriminator=lambda x, labels: discriminator(x, labels, theta_D),
               losses=lambda real, fake: losses(real, fake, cfg), optimizers=(D_adam, G_adam))


def train_step(sess: tf1.Session, gan: Gan, X_mb: np.ndarray, sample_Z: Callable[[int], np.ndarray],
               y_mb: np.ndarray) -> dict[str, float]:
    """D on a real batch and its labels, then G asked for the same labels, with the same noise."""
    return alternating_step(sess, gan, X_mb, sample_Z, same_noise=True, y_mb=y_mb)


def iteration(cfg: Config, gan: Gan, X: tf.Tensor, noise: Noise,
              y: tf.Tensor) -> dict[str, tf.Tensor]:
    """train_step as graph ops, for the fast loop (tf_gan/run/loops.py)."""
    return alternating_iteration(gan, X, noise, same_noise=True, y=y)


def log_line(it: int, metrics: dict[str, float], epoch: int = 0) -> str:
    """The post's three printed lines, on one."""
    return f"Iter: {it}  D loss: {metrics['D_loss']:.4}  G_loss: {metrics['G_loss']:.4}"
