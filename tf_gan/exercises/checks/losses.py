"""Checks of a loss: its value on fixed logits (or probabilities), against the exact one.

Each check also knows the values of the usual mistakes (a sum for a mean, swapped
labels, probabilities given as logits, ...), so that "not yet" can say which it is.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tf_gan.exercises.checks.base import (ATOL, RTOL, Blank, Wrong, _checked, _fmt_array, _is_blank,
                                          _run, _same_graph, _shaped, _sigmoid)
from tf_gan.graph import tf


def _softplus(x: np.ndarray) -> np.ndarray:
    """log(1 + e^x) in float64: the exact sigmoid cross-entropy that a float32 answer rounds to."""
    return np.logaddexp(0.0, np.asarray(x, np.float64))


def _shape_hint(name: str, value: np.ndarray, expected: np.ndarray) -> str:
    """Why a loss of the wrong shape is wrong: it should (or should not) average over the batch."""
    per = "one number" if value.shape == () else f"shape {value.shape}"
    scalar = np.shape(expected) == ()
    return (f"{name} has {per}, expected {'one number' if scalar else np.shape(expected)}"
            + (": average over the batch with tf.reduce_mean" if scalar else
               ": keep one loss per logit (no tf.reduce_mean)"))


def _loss_test(name: str, answer: object, feed: dict[tf.Tensor, np.ndarray], fed: str,
               expected: np.ndarray, mistakes: list[tuple[np.ndarray, str]]) -> Callable[[], None]:
    """A test of `answer` on fixed values fed to the tensors it is built from.

    A known mistake's value names it.
    """

    def test() -> None:
        if _is_blank(answer):
            raise Blank
        graph = next(iter(feed)).graph
        _same_graph(name, answer, graph)
        shaped = {t: _shaped(t, v) for t, v in feed.items()}
        value = np.asarray(_run(graph, answer, shaped, name), np.float64)
        if value.shape != np.shape(expected):
            raise Wrong(_shape_hint(name, value, expected))
        if np.allclose(value, expected, RTOL, ATOL):
            return
        hint = next((h for v, h in mistakes if np.allclose(value, v, RTOL, ATOL)), "")
        raise Wrong(f"{name} is {_fmt_array(value)} on the check's {fed}, "
                    f"expected {_fmt_array(expected)}" + (f": {hint}" if hint else ""))

    return test


def _bce(logit: tf.Tensor, label: float) -> tf.Tensor:
    labels = tf.ones_like(logit) if label == 1.0 else tf.zeros_like(logit)
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=logit, labels=labels))


CHECK_REAL = np.array([2.0, 0.5, -1.0, 3.0])  # D's logits on four real images, and on four fakes
CHECK_FAKE = np.array([-2.0, 0.0, 1.5, -0.5])


def check_d_loss(exercise: str, D_loss: object, logit_real: tf.Tensor,
                 logit_fake: tf.Tensor) -> tf.Tensor:
    """D's loss on fixed logits.

    Sigmoid cross-entropy, label 1 on real images and 0 on fakes, each averaged, added.
    """
    r, f = CHECK_REAL, CHECK_FAKE
    expected = _softplus(-r).mean() + _softplus(f).mean()
    mistakes = [
        (_softplus(-r).sum() + _softplus(f).sum(),
         "did you sum over the batch? Average it with tf.reduce_mean"),
        (_softplus(-r).mean(), "that is the real images' half alone: add D's loss on the fakes"),
        (_softplus(f).mean(), "that is the fakes' half alone: add D's loss on the real images"),
        (_softplus(r).mean() + _softplus(-f).mean(),
         "the labels are swapped: real images get 1, fakes 0"),
        (expected / 2, "did you average the two halves? The post adds them"),
        (_softplus(-_sigmoid(r)).mean() + _softplus(_sigmoid(f)).mean(),
         "logits= got D's probabilities: give it the logits"),
    ]
    feed = {logit_real: r, logit_fake: f}
    test = _loss_test("D_loss", D_loss, feed, "logits", expected, mistakes)

    def reference() -> tf.Tensor:
        return _bce(logit_real, 1.0) + _bce(logit_fake, 0.0)

    return _checked(exercise, "D_loss", D_loss, test, logit_real.graph, reference)


def check_g_loss(exercise: str, G_loss: object, logit_fake: tf.Tensor) -> tf.Tensor:
    """G's non-saturating loss on fixed logits.

    Cross-entropy of D's logit on fakes against label 1, averaged.
    """
    f = CHECK_FAKE
    expected = _softplus(-f).mean()
    mistakes = [
        (_softplus(f).mean(),
         "that is D's loss on the fakes (label 0): G wants D to call its fakes real"),
        (_softplus(-f).sum(), "did you sum over the batch? Average it with tf.reduce_mean"),
        (-_softplus(f).mean(),
         "that is the minimax loss log(1 - D(G(z))): the posts' G minimises -log D(G(z))"),
        (_softplus(-_sigmoid(f)).mean(), "logits= got D's probabilities: give it the logit"),
    ]
    test = _loss_test("G_loss", G_loss, {logit_fake: f}, "logits", expected, mistakes)
    return _checked(exercise, "G_loss", G_loss, test, logit_fake.graph,
                    lambda: _bce(logit_fake, 1.0))


CHECK_LOGITS = np.array([-120.0, -20.0, -1.0, 0.0, 1.0, 4.0, 30.0])


def check_stable_form(exercise: str, stable: object, logit: tf.Tensor) -> tf.Tensor:
    """-log sigmoid(l) for each logit, computed stably.

    Finite and right even at -120, where sigmoid rounds to 0.
    """
    l = CHECK_LOGITS
    expected = _softplus(-l)
    with np.errstate(all="ignore"):
        d = (1.0 / (1.0 + np.exp(-l.astype(np.float32)))).astype(np.float32)
        raw, patched = -np.log(d), -np.log(d + np.float32(1e-8))
    mistakes = [
        (_softplus(l), "that is -log(1 - D): for -log D the label is 1"),
        (raw, "inf at logit -120: that is log(D) typed literally; compute it from the logit "
              "instead"),
        (patched, "that is the + 1e-8 patch: 18.42 at logit -120, where the loss is 120"),
    ]
    test = _loss_test("stable", stable, {logit: l}, "logits", expected, mistakes)

    def reference() -> tf.Tensor:
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(logit), logits=logit)

    return _checked(exercise, "stable", stable, test, logit.graph, reference)


# D's probabilities on four real images, and on four fakes
CHECK_P_REAL = np.array([0.9, 0.6, 0.3, 0.8])
CHECK_P_FAKE = np.array([0.2, 0.5, 0.7, 0.1])


def check_cost_d(exercise: str, cost_D: object, D_real: tf.Tensor, D_gene: tf.Tensor) -> tf.Tensor:
    """The cost D maximises, on fixed probabilities.

    The batch mean of log D(x) + log(1 - D(G(z))).
    """
    r, f = CHECK_P_REAL, CHECK_P_FAKE
    expected = np.mean(np.log(r) + np.log(1 - f))
    mistakes = [
        (-expected,
         "cost_D is what D maximises, so no minus sign: the next cell minimises -cost_D"),
        (np.mean(np.log(f) + np.log(1 - r)),
         "D_real and D_gene are swapped: log D(x) takes D_real"),
        (np.mean(np.log(r) + np.log(f)), "the fakes' term is log(1 - D(G(z))), not log D(G(z))"),
        (np.sum(np.log(r) + np.log(1 - f)),
         "did you sum over the batch? Average it with tf.reduce_mean"),
        (np.mean(np.log(r)), "that is the real images' term alone: add log(1 - D(G(z)))"),
    ]
    test = _loss_test("cost_D", cost_D, {D_real: r, D_gene: f}, "probabilities", expected, mistakes)

    def reference() -> tf.Tensor:
        return tf.reduce_mean(tf.math.log(D_real) + tf.math.log(1 - D_gene))

    return _checked(exercise, "cost_D", cost_D, test, D_real.graph, reference)
