"""golbin: the "3-minute deep learning" GAN, plain ``tf.Variable``s and sigmoid outputs.

Weights are ``tf.Variable(tf.random_normal(shape, stddev=0.01))``; D returns only the
sigmoid, and the losses are the paper's objective typed literally and maximised with
``minimize(-cost)``. The post's training loop lost its indentation: the two ``sess.run``
lines sit after the batch loop, so it updates once per epoch. The original code trains
every batch, as here; ``one_update_per_epoch=True`` brings the bug back to look at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from tf_gan.graph import tf, tf1
from tf_gan.losses import LossForm, as_posted
from tf_gan.recipes.base import Gan, Noise, RecipeConfig, alternating_iteration, alternating_step
from tf_gan.recipes.settings import POSITIVE, Allowed


CONDITIONAL = False  # G draws any digit it likes: no labels
STARTS_FROM_DATA = False  # build() needs no training images


@dataclass
class Config(RecipeConfig):
    batch_size: int = 100
    z_dim: int = 128  # n_noise
    h_dim: int = 256  # n_hidden
    steps: int | None = None
    epochs: int | None = 100  # training_epoches
    sample_every_epochs: int = 10  # a 1x10 strip at epoch 0 and every 10th
    loss: LossForm = "raw_log"  # log(D) of sigmoid outputs, as the post; "sigmoid_ce" is the stable form
    prior: str = "normal"  # np.random.normal
    pixel_range: str = "01"
    layout: tuple[int, int] | None = (1, 10)
    learning_rate: float = 2e-4
    one_update_per_epoch: bool = False  # True: the post's indentation bug

    ALLOWED: ClassVar[dict[str, Allowed]] = {"learning_rate": POSITIVE}

    def steps_per_epoch(self, n_train: int) -> int:
        # With the bug, an epoch draws every batch but trains on none except the last; we skip
        # the batches it threw away, so one step is one epoch and one update.
        return 1 if self.one_update_per_epoch else n_train // self.batch_size


def variable(shape: list[int], name: str) -> tf.Variable:
    """The post's initialisation: small normal weights (stddev 0.01)."""
    return tf1.Variable(tf1.random_normal(shape, stddev=0.01), name=name)


def generator(noise_z: tf.Tensor, G_var_list: list[tf.Variable]) -> tf.Tensor:
    G_W1, G_b1, G_W2, G_b2 = G_var_list
    hidden = tf.nn.relu(tf.matmul(noise_z, G_W1) + G_b1)
    return tf.nn.sigmoid(tf.matmul(hidden, G_W2) + G_b2)


def discriminator(inputs: tf.Tensor, D_var_list: list[tf.Variable]) -> tuple[tf.Tensor, tf.Tensor]:
    """The post returns only the sigmoid; the logit beside it makes the stable loss possible."""
    D_W1, D_b1, D_W2, D_b2 = D_var_list
    hidden = tf.nn.relu(tf.matmul(inputs, D_W1) + D_b1)
    logit = tf.matmul(hidden, D_W2) + D_b2
    return tf.nn.sigmoid(logit), logit


def losses(D_real_logit: tf.Tensor, D_gene_logit: tf.Tensor, cfg: Config) -> tuple[tf.Tensor, tf.Tensor]:
    """(-cost_D, -cost_G): what the post minimises to maximise its two costs.

    With the post's "raw_log", -cost_D is its own line; -cost_G = -mean(log D(G(z))) is
    the non-saturating g_loss. Other forms come from tf_gan.losses.
    """
    return as_posted(D_real_logit, D_gene_logit, cfg.loss, cfg.g_objective)


def build(cfg: Config, train_images: np.ndarray | None = None) -> Gan:
    """The post's graph in the current default graph: lesson 04's cells, in one call."""
    X = tf1.placeholder(tf.float32, [None, 784], name="X")
    Z = tf1.placeholder(tf.float32, [None, cfg.z_dim], name="Z")

    G_W1, G_b1 = variable([cfg.z_dim, cfg.h_dim], "G_W1"), tf1.Variable(tf.zeros([cfg.h_dim]), name="G_b1")
    G_W2, G_b2 = variable([cfg.h_dim, 784], "G_W2"), tf1.Variable(tf.zeros([784]), name="G_b2")
    D_W1, D_b1 = variable([784, cfg.h_dim], "D_W1"), tf1.Variable(tf.zeros([cfg.h_dim]), name="D_b1")
    D_W2, D_b2 = variable([cfg.h_dim, 1], "D_W2"), tf1.Variable(tf.zeros([1]), name="D_b2")
    D_var_list = [D_W1, D_b1, D_W2, D_b2]
    G_var_list = [G_W1, G_b1, G_W2, G_b2]

    G = generator(Z, G_var_list)
    D_gene, D_gene_logit = discriminator(G, D_var_list)
    D_real, D_real_logit = discriminator(X, D_var_list)
    neg_cost_D, neg_cost_G = losses(D_real_logit, D_gene_logit, cfg)

    D_adam, G_adam = tf1.train.AdamOptimizer(cfg.learning_rate), tf1.train.AdamOptimizer(cfg.learning_rate)
    train_D = D_adam.minimize(neg_cost_D, var_list=D_var_list)
    train_G = G_adam.minimize(neg_cost_G, var_list=G_var_list)
    return Gan(X=X, Z=Z, G_sample=G, D_real=D_real, D_fake=D_gene, D_logit_real=D_real_logit,
               D_logit_fake=D_gene_logit, D_loss=neg_cost_D, G_loss=neg_cost_G, D_solver=train_D, G_solver=train_G,
               theta_D=D_var_list, theta_G=G_var_list, generator=lambda z: generator(z, G_var_list),
               discriminator=lambda x: discriminator(x, D_var_list), losses=lambda real, fake: losses(real, fake, cfg),
               optimizers=(D_adam, G_adam))


def train_step(
    sess: tf1.Session, gan: Gan, batch_xs: np.ndarray, sample_Z: Callable[[int], np.ndarray]
) -> dict[str, float]:
    """D then G, with the same noise."""
    return alternating_step(sess, gan, batch_xs, sample_Z, same_noise=True)


def iteration(cfg: Config, gan: Gan, X: tf.Tensor, noise: Noise) -> dict[str, tf.Tensor]:
    """train_step as graph ops, for the fast loop (tf_gan/run/loops.py)."""
    return alternating_iteration(gan, X, noise, same_noise=True)


def log_line(it: int, metrics: dict[str, float], epoch: int = 0) -> str:
    """The post prints the maximised costs, which are minus our losses."""
    return f"Epoch:{epoch:3d} ___ Cost_D: {-metrics['D_loss']:.9f} ___ Cost_G: {-metrics['G_loss']:.9f}"
