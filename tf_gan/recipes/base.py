"""What every recipe shares: the settings the training loop reads, and the handles of its graph."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Protocol

import numpy as np

from tf_gan.data import HELD_OUT
from tf_gan.errors import TfGanError
from tf_gan.graph import tf, tf1
from tf_gan.losses import LOSS_FORMS, OBJECTIVES
from tf_gan.noise import PRIORS
from tf_gan.recipes.settings import Allowed, check, choices, setting


@dataclass
class RecipeConfig:
    """Settings every recipe has; a recipe's Config subclass sets its post's values."""

    batch_size: int = setting(128, "images per minibatch (default: the recipe's)")
    z_dim: int = 100  # length of the noise vector z
    # iterations; None means epochs x steps_per_epoch
    steps: int | None = setting(None, "iterations (default: the post's length)")
    epochs: int | None = setting(None, "passes over the training set, instead of --steps", metavar="E")  # for posts counting them
    # None: every sample_every_epochs
    sample_every: int | None = setting(None, "steps between grids and log lines (default: the recipe's)")
    sample_every_epochs: int = 1
    # None: sample_every // 10
    log_every: int | None = setting(None, "steps between rows of losses.csv and TensorBoard (default: a tenth of "
                                          "--sample-every)")
    loss: str = setting("sigmoid_ce", "the loss form (default: the recipe's)")  # tf_gan/losses.py
    g_objective: str = setting("non_saturating", "the generator's objective (default: the recipe's)", flag="--g-loss")
    prior: str = "uniform"  # noise: "uniform" on [-1, 1], "normal", or "uniform_sqrt3" (variance 1)
    pixel_range: str = "01"  # "01": images in [0, 1] (sigmoid G); "pm1": [-1, 1] (tanh G)
    validation_size: int = 5000  # TF1's split; the Keras posts train on all 60,000 (0)
    held_out: str = "first"  # which training digits are the validation split: TF1's "first", or the "last"
    sampling: str = "epochs"  # "epochs": next_batch; "replacement": random indices, as Keras' randint
    layout: tuple[int, int] | None = None  # the post's own sample picture (rows, cols), beside the 4x4 grid

    RESUMABLE: ClassVar[tuple[str, ...]] = ("steps", "epochs")  # the settings --resume may change: the length
    # What each setting may hold beyond its type (tf_gan/recipes/settings.py); a whole number not named is a
    # count, at least 1. A recipe's Config adds its own; its values come with it through every class above.
    ALLOWED: ClassVar[dict[str, Allowed]] = {
        "validation_size": Allowed(minimum=0), "loss": choices(*LOSS_FORMS), "g_objective": choices(*OBJECTIVES),
        "prior": choices(*PRIORS), "pixel_range": choices("01", "pm1"), "sampling": choices("epochs", "replacement"),
        "held_out": choices(*HELD_OUT)}

    def __post_init__(self) -> None:
        """Refuse impossible settings here, whether they come from a flag, --set or a config.json."""
        check(self)
        if self.layout is not None:
            self.layout = tuple(self.layout)

    def steps_per_epoch(self, n_train: int) -> int:
        return n_train // self.batch_size

    def resolved(self, n_train: int) -> RecipeConfig:
        """A copy with steps, sample_every and log_every filled in for a training set of n_train images."""
        per_epoch = max(1, self.steps_per_epoch(n_train))
        steps = self.steps if self.steps is not None else (self.epochs or 1) * per_epoch
        sample_every = self.sample_every or per_epoch * self.sample_every_epochs
        return dataclasses.replace(self, steps=steps, sample_every=sample_every,
                                   log_every=self.log_every or max(1, sample_every // 10))


@dataclass(kw_only=True)
class Handles:
    """Handles into one GAN graph, named as in the posts: what the posts' session loop runs.

    Built by keyword (``Gan(X=X, Z=Z, ...)``), so a reader sees which tensor is which.
    """

    X: tf.Tensor  # placeholder: a minibatch of real images, (None, 784)
    Z: tf.Tensor  # placeholder: a minibatch of noise vectors, (None, z_dim)
    G_sample: tf.Tensor  # G(Z) as the post samples it: generated images
    D_real: tf.Tensor  # D(X): probability that each real image is real
    D_fake: tf.Tensor  # D(G(Z)): probability that each fake is real
    D_logit_real: tf.Tensor  # the logits behind D_real and D_fake: D = sigmoid(logit)
    D_logit_fake: tf.Tensor
    D_loss: tf.Tensor
    G_loss: tf.Tensor
    D_solver: tf.Operation  # one optimizer step on theta_D
    G_solver: tf.Operation  # one optimizer step on theta_G
    theta_D: list[tf.Variable]
    theta_G: list[tf.Variable]
    # A conditional GAN's third placeholder: one-hot digits, fed with X and Z (None: no labels).
    y: tf.Tensor | None = None

    @property
    def conditional(self) -> bool:
        """Does this graph's G take the digit to draw? Its recipe's CONDITIONAL says the same (a test checks)."""
        return self.y is not None


@dataclass(kw_only=True)
class Gan(Handles):
    """A recipe's graph: the handles, and the recipe's game as functions to play it again."""

    # The recipe's own functions, bound to these weights: the fast loop (tf_gan/run/loops.py) plays
    # the same game with them on other inputs, inside a tf.while_loop, so no recipe writes it twice.
    # A conditional GAN's two take its labels too: (z, y) -> G(z, y), (x, y) -> (D(x, y), logit).
    generator: Callable[..., tf.Tensor]  # z -> G(z)
    discriminator: Callable[..., tuple[tf.Tensor, tf.Tensor]]  # x -> (D(x), logit)
    losses: Callable[[tf.Tensor, tf.Tensor], tuple[tf.Tensor, tf.Tensor]]  # (logit real, logit fake) -> (D, G loss)
    # D's and G's optimizers: updating through them again reuses their moment estimates.
    # (paper has none: its SGD is written out as graph ops, and its step moves both players.)
    optimizers: tuple[tf1.train.Optimizer, ...]


def play(gan: Gan, X: tf.Tensor, Z: tf.Tensor,
         y: tf.Tensor | None = None) -> tuple[tf.Tensor, tf.Tensor]:
    """(D_loss, G_loss) of the recipe's game on real images `X` and noise `Z`, with its weights.

    `y`: a conditional GAN's labels, which G and D both take (the real images' digits).
    """
    labels = () if y is None else (y,)
    _, logit_real = gan.discriminator(X, *labels)
    _, logit_fake = gan.discriminator(gan.generator(Z, *labels), *labels)
    return gan.losses(logit_real, logit_fake)


def labels_feed(gan: Handles, labels: np.ndarray | None) -> dict[tf.Tensor, np.ndarray]:
    """``{y: labels}`` for a conditional GAN, ``{}`` for one without: what every feed_dict adds."""
    if not gan.conditional:
        if labels is not None:
            raise TfGanError("this GAN takes no labels: its generator draws any digit it likes")
        return {}
    if labels is None:
        raise TfGanError("a conditional GAN needs the digits asked for, one-hot, for its y")
    return {gan.y: labels}


def generator_feed(gan: Handles, z: np.ndarray,
                   labels: np.ndarray | None = None) -> dict[tf.Tensor, np.ndarray]:
    """The feed_dict of G_sample: the noise, and a conditional GAN's one-hot labels (one per z)."""
    return {gan.Z: z, **labels_feed(gan, labels)}


def alternating_step(
    sess: tf1.Session, gan: Handles, X_mb: np.ndarray, sample_Z: Callable[[int], np.ndarray],
    same_noise: bool, y_mb: np.ndarray | None = None,
) -> dict[str, float]:
    """The posts' iteration: one D update on a real batch and noise, then one G update.

    wiseodd draws fresh noise for G's update; gfg, golbin and cgan reuse D's (``same_noise``).
    `y_mb`: a conditional GAN's one-hot labels of the batch, which both updates feed.
    """
    z = sample_Z(len(X_mb))
    y = labels_feed(gan, y_mb)
    _, D_loss_curr = sess.run([gan.D_solver, gan.D_loss], feed_dict={gan.X: X_mb, gan.Z: z, **y})
    G_feed = {gan.Z: z if same_noise else sample_Z(len(X_mb)), **y}
    _, G_loss_curr = sess.run([gan.G_solver, gan.G_loss], feed_dict=G_feed)
    return {"D_loss": float(D_loss_curr), "G_loss": float(G_loss_curr)}


Noise = Callable[[], tf.Tensor]  # in the fast loop: the next noise batch of this iteration, in train_step's order


def update(optimizer: tf1.train.Optimizer, loss: tf.Tensor, var_list: list[tf.Variable]) -> tf.Operation:
    """``optimizer.minimize(loss, var_list)``, minus the work no variable needs.

    By default TF1 gates each op's gradients (GATE_OP): it computes the gradient for every
    input of an op before passing any on, so D's update also pays for the gradient of
    D's loss with respect to the images, which nothing uses (about a quarter of
    wiseodd's multiply-adds). Without the gate that work is pruned; every gradient a
    variable gets is computed by the same ops, so the update is the same to the bit.
    """
    return optimizer.minimize(loss, var_list=var_list, gate_gradients=tf1.train.Optimizer.GATE_NONE)


def alternating_iteration(gan: Gan, X: tf.Tensor, noise: Noise, same_noise: bool,
                          y: tf.Tensor | None = None) -> dict[str, tf.Tensor]:
    """``alternating_step`` as graph ops: D's update, then G's update, which sees D's new weights.

    The fast loop builds it inside a tf.while_loop. The losses returned wait for both updates.
    `y`: a conditional GAN's one-hot labels of the batch `X`.
    """
    D_adam, G_adam = gan.optimizers
    Z = noise()
    D_loss, _ = play(gan, X, Z, y)
    with tf.control_dependencies([update(D_adam, D_loss, gan.theta_D)]):
        _, G_loss = play(gan, X, Z if same_noise else noise(), y)
        G_step = update(G_adam, G_loss, gan.theta_G)
    with tf.control_dependencies([G_step]):
        return {"D_loss": tf.identity(D_loss), "G_loss": tf.identity(G_loss)}


class Recipe(Protocol):
    """What a recipe module provides, and all the loops and the trainer call (tf_gan/recipes/wiseodd.py is one).

    A recipe is a module, one per post; the type checker reads a module as this Protocol.
    """

    Config: type[RecipeConfig]  # the post's settings (a RecipeConfig subclass)
    CONDITIONAL: bool  # G and D take the digit (cgan): the loops feed each batch's labels, `sample --digit` asks
    STARTS_FROM_DATA: bool  # build() uses the training images (paper: G's output bias from their pixel means)

    def build(self, cfg: RecipeConfig, train_images: np.ndarray | None = None) -> Gan:
        """The post's graph, in the current default graph; `train_images` (N, 784) if it STARTS_FROM_DATA."""

    def train_step(self, sess: tf1.Session, gan: Gan, X_mb: np.ndarray,
                   sample_Z: Callable[[int], np.ndarray]) -> dict[str, float]:
        """One iteration the post's way: its session.run lines with a feed_dict (the classic loop).

        A conditional recipe (cgan) takes the batch's one-hot labels as one more argument.
        """

    def iteration(self, cfg: RecipeConfig, gan: Gan, X: tf.Tensor, noise: Noise) -> dict[str, tf.Tensor]:
        """The same iteration as graph ops (the fast loop's tf.while_loop body); labels too if conditional."""

    def log_line(self, it: int, metrics: dict[str, float], epoch: int = 0) -> str:
        """The post's progress print, on one line."""
