"""keras_gan's three Keras 2 settings each do what Keras 2 did, and nothing while off."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import small_datasets

from tf_gan.graph import seeded_graph, session, tf, tf1
from tf_gan.layers import batch_norm
from tf_gan.recipes import keras_gan

SMALL = keras_gan.Config(steps=3, batch_size=16, validation_size=0)


def one_iteration(cfg: keras_gan.Config) -> tuple[keras_gan.KerasGan, dict[str, float]]:
    """Build the recipe and run train_step once; returns the graph's handles and Adam's beta powers by name."""
    data = small_datasets("pm1")
    graph = seeded_graph(0)
    with graph.as_default():
        gan = keras_gan.build(cfg)
        init = tf1.global_variables_initializer()
        powers = [v for v in tf1.global_variables() if "beta1_power" in v.op.name]
    rng = np.random.default_rng(0)
    with session(graph) as sess:
        sess.run(init)
        keras_gan.train_step(sess, gan, data.train.next_batch(16)[0],
                             lambda m: rng.standard_normal((m, cfg.z_dim)).astype(np.float32))
        return gan, {v.op.name: float(sess.run(v)) for v in powers}


def test_one_shared_adam_counts_every_update_as_keras_2_did() -> None:
    """Keras 2 compiled one Adam into D and the combined model: D's two updates and G's one each count a step."""
    _, own = one_iteration(SMALL)
    assert sorted(own.values()) == pytest.approx([0.5 ** 3, 0.5 ** 2])  # D: two updates, G: one, counted apart
    _, shared = one_iteration(dataclasses.replace(SMALL, keras2_shared_adam=True))
    assert list(shared.values()) == pytest.approx([0.5 ** 4])  # beta1 ** (1 + three updates), one counter


@pytest.mark.parametrize("logit, clipped", [(0.0, False), (5.0, False), (20.0, True), (-20.0, True)])
def test_the_keras_2_loss_is_flat_beyond_its_clip(logit: float, clipped: bool) -> None:
    """Clipping D's probability to [1e-7, 1 - 1e-7] caps the loss near 16.1 and takes the gradient away."""
    graph = seeded_graph(0)
    cfg = dataclasses.replace(SMALL, keras2_bce_clip=True)
    with graph.as_default():
        x = tf.constant([logit])
        loss = keras_gan.real_loss(x, cfg)
        grad = tf.gradients(loss, x)[0]
        plain = keras_gan.real_loss(x, SMALL)
    with session(graph) as sess:
        got, slope, exact = sess.run([loss, grad, plain])
    if clipped:
        assert slope[0] == 0.0 and (got <= 16.2 if logit < 0 else got < 1e-6)
        assert logit > 0 or exact == pytest.approx(20.0, abs=1e-3)  # the exact loss goes on growing
    else:
        assert got == pytest.approx(exact, abs=1e-4) and slope[0] != 0.0


def test_keras_2s_batch_norm_moves_toward_the_unbiased_variance() -> None:
    """One training step from moving variance 1: 0.8 * 1 + 0.2 * var * n / (n - 1 - eps)."""
    x = np.random.default_rng(0).standard_normal((8, 3)).astype(np.float32)
    n, eps = 8, 1e-3
    for unbiased, scale in ((False, 1.0), (True, n / (n - (1 + eps)))):
        graph = seeded_graph(0)
        with graph.as_default():
            batch_norm(tf.constant(x), training=True, momentum=0.8, unbiased_moving_variance=unbiased)
            update = tf1.get_collection(tf1.GraphKeys.UPDATE_OPS)
            moving = [v for v in tf1.global_variables() if "moving_variance" in v.op.name][0]
            init = tf1.global_variables_initializer()
        with session(graph) as sess:
            sess.run(init)
            sess.run(update)
            np.testing.assert_allclose(sess.run(moving), 0.8 + 0.2 * x.var(axis=0) * scale, rtol=1e-5)
