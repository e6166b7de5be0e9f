"""The paper's optimizer: pylearn2's momentum SGD and its two schedules, as graph variables.

Split from tf_gan/recipes/paper.py, which builds the players and the game: this module
holds what moves the weights. The learning rate, the momentum and the update count are
variables, saved in every checkpoint, so a resumed run continues both schedules exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tf_gan.graph import tf, tf1

if TYPE_CHECKING:
    from tf_gan.recipes.paper import Config


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


def schedule_clock(cfg: Config, updates_done: tf.Tensor, steps_per_epoch: int) -> tf.Tensor:
    """The update count the schedules read: the real one, or one running `schedule_speed` times faster later.

    From epoch `schedule_speed_from` on, each update moves the schedules as `schedule_speed`
    updates would: a compressed version of the file's long anneal (the learning rate keeps
    falling, the momentum keeps rising) without training for the thousands of epochs it spans.
    """
    done = tf.cast(updates_done, tf.float64)
    if cfg.schedule_speed_from is None:
        return done
    extra = tf.maximum(done - cfg.schedule_speed_from * steps_per_epoch, 0.0) * (cfg.schedule_speed - 1)
    return done + extra


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


def momentum_moves(sgd: Sgd, weights: list[tf.Variable], grads: list[tf.Tensor],
                   after: list[tf.Tensor]) -> list[tf.Operation]:
    """pylearn2's Momentum rule for each weight w with velocity v, once `after` is computed:

    v <- momentum * v - lr * dLoss/dw; w <- w + v.
    """
    moves = []
    with tf.control_dependencies([*grads, *after]):
        for w, grad in zip(weights, grads):
            v = sgd.velocity[w.op.name]
            new_v = v.assign(sgd.momentum * v - sgd.lr * grad)
            moves.append(w.assign_add(new_v))
    return moves


def schedules_after(sgd: Sgd, cfg: Config, moves: list[tf.Operation], theta_G: list[tf.Variable]) -> tf.Operation:
    """Once every weight has moved: count the update, set the next learning rate and momentum, average G."""
    with tf.control_dependencies(moves):
        done = sgd.updates_done.assign_add(1)
        clock = schedule_clock(cfg, done, sgd.steps_per_epoch)
        epoch = tf.floor(clock / sgd.steps_per_epoch)
        return tf.group(sgd.lr.assign(tf.cast(lr_at(cfg, clock), tf.float32)),
                        sgd.momentum.assign(tf.cast(momentum_at(cfg, epoch), tf.float32)),
                        *average_update(sgd, theta_G, done))


def sgd_update(sgd: Sgd, theta_D: list[tf.Variable], theta_G: list[tf.Variable], D_loss: tf.Tensor,
               G_loss: tf.Tensor, cfg: Config) -> tf.Operation:
    """One momentum-SGD update of both players at once, then the schedules move on.

    Both gradients are computed before any weight moves (pylearn2's SGD on one cost).
    """
    grads = tf.gradients(D_loss, theta_D) + tf.gradients(G_loss, theta_G)
    moves = momentum_moves(sgd, theta_D + theta_G, grads, [D_loss, G_loss])
    return schedules_after(sgd, cfg, moves, theta_G)


def average_update(sgd: Sgd, theta_G: list[tf.Variable], done: tf.Tensor) -> list[tf.Operation]:
    """The running mean of G's weights after update number `done`: m <- m + (w - m) / n, n updates averaged.

    Before the averaging starts, n is 0 and m stays at 0; at n = 1, m becomes w exactly.
    """
    if sgd.average_after is None:
        return []
    n = tf.cast(done - sgd.average_after, tf.float32)
    rate = tf.where(n > 0, 1.0 / tf.maximum(n, 1.0), 0.0)
    return [sgd.averages[w.op.name].assign_add((w - sgd.averages[w.op.name]) * rate) for w in theta_G]


def averaged(build_g: Callable[[], tf.Tensor], sgd: Sgd) -> tf.Tensor:
    """What `build_g` builds, with the running mean of G's weights once the averaging has begun, its own before."""
    averaging = sgd.updates_done > sgd.average_after

    def mean_weight(getter: Callable, name: str, *args: object, **kwargs: object) -> tf.Tensor:
        return tf.where(averaging, sgd.averages[name], getter(name, *args, **kwargs))

    with tf1.variable_scope(tf1.get_variable_scope(), custom_getter=mean_weight):
        return build_g()


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
