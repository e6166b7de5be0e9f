"""The graph of a toy GAN: two small MLPs on points in 1 or 2 dimensions, in TF1 style.

The same game as the MNIST posts (placeholders, ``variable_scope`` + ``dense``, the
losses of tf_gan.losses, one Adam per player), only small enough that every point of
the plane can be asked "real or fake?" for a picture. One thing is new: the gradient
of G's loss with respect to each fake sample, ``tf.gradients(G_loss, G_sample)``. Its
negative is where G's next update pushes that sample: GAN Lab's arrows (Kahng et al., 2018).
Lesson 6 walks through these functions one cell at a time; lesson 7 calls :func:`build`.
"""

from __future__ import annotations

from dataclasses import dataclass

from tf_gan.graph import tf, tf1
from tf_gan.layers import dense
from tf_gan.losses import GeneratorObjective, LossForm, d_loss, g_loss
from tf_gan.recipes.base import Handles

ACTIVATIONS = {"relu": tf.nn.relu, "leaky_relu": tf.nn.leaky_relu, "tanh": tf.nn.tanh}


@dataclass
class Config:
    """Everything the graph depends on; a lesson changes these to run another game."""

    x_dim: int = 2  # 1 for the line, 2 for the plane
    z_dim: int = 2  # noise as small as the data: one can draw where every z goes
    h_dim: int = 128  # units per hidden layer, in G and in D
    layers: int = 2  # hidden layers, in G and in D
    activation: str = "relu"  # relu | leaky_relu | tanh
    loss: LossForm = "sigmoid_ce"
    g_objective: GeneratorObjective = "non_saturating"  # or "minimax": G minimises log(1 - D(G(z)))
    lr_d: float = 1e-3  # D's Adam learning rate
    lr_g: float = 1e-3  # G's; how the two compare decides much of the game
    beta1: float = 0.5  # Adam's momentum, the usual GAN choice (Radford et al., 2016)
    batch_size: int = 256


@dataclass(kw_only=True)
class ToyGan(Handles):
    """The usual handles, plus the gradient of G's loss at each fake sample."""

    G_grad: tf.Tensor  # d G_loss / d G_sample, (None, x_dim)


def placeholders(cfg: Config) -> tuple[tf.Tensor, tf.Tensor]:
    """X: real points, Z: noise; both fed with feed_dict."""
    X = tf1.placeholder(tf.float32, shape=[None, cfg.x_dim], name="X")
    Z = tf1.placeholder(tf.float32, shape=[None, cfg.z_dim], name="Z")
    return X, Z


def mlp(inputs: tf.Tensor, cfg: Config, outputs: int, scope: str) -> tf.Tensor:
    """`cfg.layers` hidden layers of `cfg.h_dim`, then a linear layer; called twice, the same weights."""
    with tf1.variable_scope(scope, reuse=tf1.AUTO_REUSE):
        h = inputs
        for _ in range(cfg.layers):
            h = dense(h, cfg.h_dim, activation=ACTIVATIONS[cfg.activation])
        return dense(h, outputs)


def generator(Z: tf.Tensor, cfg: Config) -> tf.Tensor:
    """G(z): a point on the line or in the plane; linear output, so it can reach anywhere."""
    return mlp(Z, cfg, cfg.x_dim, "G")


def discriminator(X: tf.Tensor, cfg: Config) -> tuple[tf.Tensor, tf.Tensor]:
    """D(x) = sigmoid(logit): the probability that x is real; returns (probability, logit)."""
    logit = mlp(X, cfg, 1, "D")
    return tf.sigmoid(logit), logit


def player_vars(scope: str) -> list[tf.Variable]:
    """One player's weights, picked by scope name, as the gfg post does."""
    return tf1.get_collection(tf1.GraphKeys.TRAINABLE_VARIABLES, scope=scope)


def optimizers(D_loss: tf.Tensor, G_loss: tf.Tensor, cfg: Config, lr_d: float | tf.Tensor | None = None,
               lr_g: float | tf.Tensor | None = None) -> tuple[tf.Operation, tf.Operation]:
    """One Adam per player, each allowed to move only its own weights (var_list).

    The learning rates are cfg's, or graph inputs `lr_d` / `lr_g` a playable game feeds.
    """
    D_adam = tf1.train.AdamOptimizer(cfg.lr_d if lr_d is None else lr_d, beta1=cfg.beta1)
    G_adam = tf1.train.AdamOptimizer(cfg.lr_g if lr_g is None else lr_g, beta1=cfg.beta1)
    return D_adam.minimize(D_loss, var_list=player_vars("D")), G_adam.minimize(G_loss, var_list=player_vars("G"))


@dataclass(frozen=True)
class Knobs:
    """A playable game's graph inputs: both learning rates and G's objective, each with cfg's value as default."""

    lr_d: tf.Tensor  # D's learning rate, fed at each of D's steps
    lr_g: tf.Tensor  # G's
    minimax: tf.Tensor  # True: G minimises log(1 - D(G(z))); False: -log D(G(z))


def knobs(cfg: Config) -> Knobs:
    return Knobs(tf1.placeholder_with_default(tf.constant(cfg.lr_d, tf.float32), [], name="lr_d"),
                 tf1.placeholder_with_default(tf.constant(cfg.lr_g, tf.float32), [], name="lr_g"),
                 tf1.placeholder_with_default(cfg.g_objective == "minimax", [], name="minimax"))


@dataclass(kw_only=True)
class PlayableGan(ToyGan):
    """A toy game whose knobs are graph inputs, so a teacher turns them between steps without a rebuild."""

    knobs: Knobs


def build(cfg: Config, playable: bool = False) -> ToyGan | PlayableGan:
    """The whole graph in the current default graph: the cells of lesson 6 in one call.

    `playable`: the learning rates and G's objective become graph inputs (tf_gan/toy/controller.py
    turns them between steps). G's loss is then both objectives, one picked by ``minimax``:
    ``tf.where`` passes the gradient of the picked one only.
    """
    X, Z = placeholders(cfg)
    inputs = knobs(cfg) if playable else None
    G_sample = generator(Z, cfg)
    D_real, D_logit_real = discriminator(X, cfg)
    D_fake, D_logit_fake = discriminator(G_sample, cfg)
    D_loss = d_loss(D_logit_real, D_logit_fake, form=cfg.loss)
    if inputs is None:
        G_loss = g_loss(D_logit_fake, form=cfg.loss, objective=cfg.g_objective)
    else:
        G_loss = tf.where(inputs.minimax, g_loss(D_logit_fake, form=cfg.loss, objective="minimax"),
                          g_loss(D_logit_fake, form=cfg.loss, objective="non_saturating"))
    G_grad = tf.gradients(G_loss, G_sample)[0]
    D_solver, G_solver = optimizers(D_loss, G_loss, cfg, *((inputs.lr_d, inputs.lr_g) if inputs else ()))
    handles = dict(X=X, Z=Z, G_sample=G_sample, D_real=D_real, D_fake=D_fake, D_logit_real=D_logit_real,
                   D_logit_fake=D_logit_fake, D_loss=D_loss, G_loss=G_loss, D_solver=D_solver, G_solver=G_solver,
                   theta_D=player_vars("D"), theta_G=player_vars("G"), G_grad=G_grad)
    return ToyGan(**handles) if inputs is None else PlayableGan(**handles, knobs=inputs)
