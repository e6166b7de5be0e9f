"""wiseodd: the classic "Generative Adversarial Nets in TensorFlow".

Agustinus Kristiadi's post (wiseodd.github.io, 2016-09-17): a two-layer MLP generator
and discriminator on MNIST, written with placeholders, explicit matmuls and
``get_variable``. Read top to bottom, this module is the post's graph, once, for
``tf_gan train``: the lesson ``tutorials/01_wiseodd.py`` types the same lines cell by cell,
and tests/test_lesson_graphs.py proves the two build the same graph.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from tf_gan.graph import tf, tf1
from tf_gan.layers import INITS, bias_var, weight_var
from tf_gan.losses import GeneratorObjective, LossForm, as_posted
from tf_gan.recipes.base import Gan, Noise, RecipeConfig, alternating_iteration, alternating_step
from tf_gan.recipes.settings import Allowed, choices


CONDITIONAL = False  # G draws any digit it likes: no labels
STARTS_FROM_DATA = False  # build() needs no training images


@dataclass
class Config(RecipeConfig):
    batch_size: int = 128  # the post's mb_size
    z_dim: int = 100  # the post's Z_dim
    x_dim: int = 784  # 28 x 28 pixels, flattened
    h_dim: int = 128  # hidden units in G and in D
    init: str = "xavier"  # the weights as the post's retelling shows them; "post": the author's own code
    loss: LossForm = "sigmoid_ce"  # or "raw_log": the post shows both ("raw_log_eps": the common patch)
    g_objective: GeneratorObjective = "non_saturating"  # the post's choice; "minimax" saturates
    steps: int | None = 1_000_000  # the post's length
    sample_every: int | None = 1000  # print the losses and save a 4x4 grid this often
    prior: str = "uniform"  # z ~ U[-1, 1]
    pixel_range: str = "01"  # real images and G's sigmoid output live in [0, 1]

    ALLOWED: ClassVar[dict[str, Allowed]] = {"x_dim": choices(784), "init": choices(*INITS)}


# 4.2 Declaring variables ------------------------------------------------------------


def placeholders(cfg: Config) -> tuple[tf.Tensor, tf.Tensor]:
    """X holds real images, Z holds noise: both fed through feed_dict every step."""
    X = tf1.placeholder(tf.float32, shape=[None, cfg.x_dim], name="X")
    Z = tf1.placeholder(tf.float32, shape=[None, cfg.z_dim], name="Z")
    return X, Z


def discriminator_vars(cfg: Config) -> list[tf.Variable]:
    """theta_D = [D_W1, D_W2, D_b1, D_b2]: 784 -> 128 -> 1."""
    D_W1 = weight_var([cfg.x_dim, cfg.h_dim], "D_W1", cfg.init)
    D_b1 = bias_var([cfg.h_dim], "D_b1")
    D_W2 = weight_var([cfg.h_dim, 1], "D_W2", cfg.init)
    D_b2 = bias_var([1], "D_b2")
    return [D_W1, D_W2, D_b1, D_b2]


def generator_vars(cfg: Config) -> list[tf.Variable]:
    """theta_G = [G_W1, G_W2, G_b1, G_b2]: 100 -> 128 -> 784."""
    G_W1 = weight_var([cfg.z_dim, cfg.h_dim], "G_W1", cfg.init)
    G_b1 = bias_var([cfg.h_dim], "G_b1")
    G_W2 = weight_var([cfg.h_dim, cfg.x_dim], "G_W2", cfg.init)
    G_b2 = bias_var([cfg.x_dim], "G_b2")
    return [G_W1, G_W2, G_b1, G_b2]


# 4.3 Defining the model -------------------------------------------------------------


def generator(z: tf.Tensor, theta_G: list[tf.Variable]) -> tf.Tensor:
    """G(z): noise -> ReLU hidden layer -> sigmoid pixels in [0, 1]."""
    G_W1, G_W2, G_b1, G_b2 = theta_G
    G_h1 = tf.nn.relu(tf.matmul(z, G_W1) + G_b1)
    G_log_prob = tf.matmul(G_h1, G_W2) + G_b2
    return tf.nn.sigmoid(G_log_prob)


def discriminator(x: tf.Tensor, theta_D: list[tf.Variable]) -> tuple[tf.Tensor, tf.Tensor]:
    """D(x): image -> ReLU hidden layer -> one logit; returns (probability, logit)."""
    D_W1, D_W2, D_b1, D_b2 = theta_D
    D_h1 = tf.nn.relu(tf.matmul(x, D_W1) + D_b1)
    D_logit = tf.matmul(D_h1, D_W2) + D_b2
    return tf.nn.sigmoid(D_logit), D_logit


# 4.4 Losses -------------------------------------------------------------------------


def losses(D_logit_real: tf.Tensor, D_logit_fake: tf.Tensor, cfg: Config) -> tuple[tf.Tensor, tf.Tensor]:
    """(D_loss, G_loss) in the form cfg.loss names; with "raw_log", D's loss is the post's own line."""
    return as_posted(D_logit_real, D_logit_fake, cfg.loss, cfg.g_objective)


# 4.5 Optimizers ---------------------------------------------------------------------


def build(cfg: Config, train_images: np.ndarray | None = None) -> Gan:
    """The whole graph, sections 4.2 to 4.5, in the current default graph: lesson 01's cells, in one call.

    Two Adams with default settings; each may only move its own player's weights (var_list).
    """
    X, Z = placeholders(cfg)
    theta_D = discriminator_vars(cfg)
    theta_G = generator_vars(cfg)
    G_sample = generator(Z, theta_G)
    D_real, D_logit_real = discriminator(X, theta_D)
    D_fake, D_logit_fake = discriminator(G_sample, theta_D)  # the same weights judge the fakes
    D_loss, G_loss = losses(D_logit_real, D_logit_fake, cfg)
    D_adam, G_adam = tf1.train.AdamOptimizer(), tf1.train.AdamOptimizer()
    D_solver = D_adam.minimize(D_loss, var_list=theta_D)
    G_solver = G_adam.minimize(G_loss, var_list=theta_G)
    return Gan(X=X, Z=Z, G_sample=G_sample, D_real=D_real, D_fake=D_fake, D_logit_real=D_logit_real,
               D_logit_fake=D_logit_fake, D_loss=D_loss, G_loss=G_loss, D_solver=D_solver, G_solver=G_solver,
               theta_D=theta_D, theta_G=theta_G, generator=lambda z: generator(z, theta_G),
               discriminator=lambda x: discriminator(x, theta_D), losses=lambda real, fake: losses(real, fake, cfg),
               optimizers=(D_adam, G_adam))


# 4.6 Training: one iteration ----------------------------------------------------------


def train_step(
    sess: tf1.Session, gan: Gan, X_mb: np.ndarray, sample_Z: Callable[[int], np.ndarray]
) -> dict[str, float]:
    """One D update on a real batch and fresh noise, then one G update on *fresh* noise."""
    return alternating_step(sess, gan, X_mb, sample_Z, same_noise=False)


def iteration(cfg: Config, gan: Gan, X: tf.Tensor, noise: Noise) -> dict[str, tf.Tensor]:
    """train_step as graph ops, for the fast loop (tf_gan/run/loops.py): D, then G on fresh noise."""
    return alternating_iteration(gan, X, noise, same_noise=False)


def log_line(it: int, metrics: dict[str, float], epoch: int = 0) -> str:
    """The post's progress print, on one line."""
    return f"Iter: {it}  D loss: {metrics['D_loss']:.4}  G_loss: {metrics['G_loss']:.4}"
