"""The four posts' graphs: sizes, names, variable lists, and the behaviour each post is about."""

from __future__ import annotations

from pathlib import Path

import matplotlib.image
import numpy as np
import pytest
from conftest import small_datasets

from tf_gan import recipes
from tf_gan.data import as_one_hot
from tf_gan.graph import seeded_graph, tf, tf1
from tf_gan.layers import dense
from tf_gan.noise import balanced_digits
from tf_gan.recipes import gfg, golbin, keras_gan
from tf_gan.recipes.base import generator_feed
from tf_gan.recipes.summary import network_variables
from tf_gan.run.trainer import train


def built(recipe, **changes):
    graph = seeded_graph(0)
    with graph.as_default():
        gan = recipe.build(recipe.Config(**changes))
    return graph, gan


@pytest.mark.parametrize("name", recipes.RECIPES)
def test_a_recipe_says_what_its_graph_is(name: str) -> None:
    """One signature for build, and the module's CONDITIONAL is what its graph's labels say."""
    recipe = recipes.get(name)
    graph = seeded_graph(0)
    images = np.full((100, 784), 0.5, np.float32) if recipe.STARTS_FROM_DATA else None
    with graph.as_default():
        gan = recipe.build(recipe.Config(), images)
    assert gan.conditional == recipe.CONDITIONAL == recipes.is_conditional(recipe)
    assert isinstance(recipe.STARTS_FROM_DATA, bool)


def totals(rows) -> tuple[int, int]:
    sizes = [(int(np.prod(shape)), trainable) for _, shape, trainable in rows]
    return sum(n for n, _ in sizes), sum(n for n, t in sizes if t)


def test_keras_gan_has_the_posts_parameter_counts() -> None:
    networks = network_variables(keras_gan, keras_gan.Config())
    assert totals(networks["Generator"]) == (1_493_520, 1_489_936)
    assert totals(networks["Discriminator"]) == (533_505, 533_505)


@pytest.mark.parametrize("recipe, d_names", [
    (gfg, ["dis/dense/kernel", "dis/dense/bias", "dis/dense_1/kernel", "dis/dense_1/bias",
           "dis/dense_2/kernel", "dis/dense_2/bias"]),
    (golbin, ["D_W1", "D_b1", "D_W2", "D_b2"]),  # the post's D_var_list order
    (keras_gan, ["discriminator/dense/kernel", "discriminator/dense/bias", "discriminator/dense_1/kernel",
                 "discriminator/dense_1/bias", "discriminator/dense_2/kernel", "discriminator/dense_2/bias"]),
])
def test_discriminator_variable_names(recipe, d_names: list[str]) -> None:
    _, gan = built(recipe)
    assert [v.op.name for v in gan.theta_D] == d_names


@pytest.mark.parametrize("name", recipes.RECIPES)
def test_variable_lists_are_disjoint_and_cover_everything(name: str) -> None:
    graph, gan = built(recipes.get(name))
    with graph.as_default():
        trainable = {v.op.name for v in tf1.trainable_variables()}
    d, g = {v.op.name for v in gan.theta_D}, {v.op.name for v in gan.theta_G}
    assert d and g and not d & g and d | g == trainable


def test_gfg_shapes_and_scopes() -> None:
    graph, gan = built(gfg)
    shapes = {v.op.name: v.shape.as_list() for v in gan.theta_G}
    assert shapes == {"gen/dense/kernel": [100, 128], "gen/dense/bias": [128], "gen/dense_1/kernel": [128, 128],
                      "gen/dense_1/bias": [128], "gen/dense_2/kernel": [128, 784], "gen/dense_2/bias": [784]}


def test_gfg_label_smoothing_in_the_loss() -> None:
    graph, gan = built(gfg)
    rng = np.random.default_rng(0)
    feed = {gan.X: rng.uniform(-1, 1, (16, 784)).astype(np.float32), gan.Z: rng.uniform(-1, 1, (16, 100))}
    with tf1.Session(graph=graph) as sess:
        sess.run(tf1.global_variables_initializer())
        loss, D_real, D_fake = sess.run([gan.D_loss, gan.D_real, gan.D_fake], feed)
    ce = lambda p, y: -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))  # noqa: E731
    np.testing.assert_allclose(loss, ce(D_real, 0.9) + ce(D_fake, 0.0), rtol=1e-4)
    assert not np.isclose(loss, ce(D_real, 1.0) + ce(D_fake, 0.0), rtol=1e-4)  # smoothing really is in there


def test_gfg_graph_does_not_grow_during_training() -> None:
    graph, gan = built(gfg)
    with graph.as_default():
        init = tf1.global_variables_initializer()
    graph.finalize()  # adding any op now raises, as the post's per-epoch generator() call would
    ops = len(graph.get_operations())
    rng = np.random.default_rng(0)
    sample_Z = lambda m: rng.uniform(-1, 1, (m, 100)).astype(np.float32)  # noqa: E731
    with tf1.Session(graph=graph) as sess:
        sess.run(init)
        for _ in range(3):
            gfg.train_step(sess, gan, rng.uniform(-1, 1, (8, 784)).astype(np.float32), sample_Z)
            sess.run(gan.G_sample, {gan.Z: sample_Z(1)})
    assert len(graph.get_operations()) == ops
    with graph.as_default(), pytest.raises(RuntimeError, match="finalized"):
        gfg.generator(gan.Z, gfg.Config(), reuse=True)  # what the post did once per epoch


def moving_stats(sess) -> list[np.ndarray]:
    return sess.run(tf1.moving_average_variables())


def test_batch_norm_statistics_move_in_training_only() -> None:
    graph, gan = built(keras_gan)
    rng = np.random.default_rng(0)
    z = rng.standard_normal((32, 100)).astype(np.float32)
    with graph.as_default(), tf1.Session(graph=graph) as sess:
        sess.run(tf1.global_variables_initializer())
        start = moving_stats(sess)
        sess.run(gan.G_sample, {gan.Z: z})  # inference mode, Keras' predict
        sess.run(gan.D_fake_solver, {gan.X: sess.run(gan.G_sample, {gan.Z: z})})  # D's update
        assert all(np.array_equal(a, b) for a, b in zip(start, moving_stats(sess)))
        sess.run(gan.G_solver, {gan.Z: z})  # G's update, batch statistics
        assert all(not np.array_equal(a, b) for a, b in zip(start, moving_stats(sess)))


def test_batch_norm_inference_uses_the_moving_statistics() -> None:
    """Untrained, moving mean 0 and variance 1: inference-mode BN is the identity (up to epsilon)."""
    from tf_gan.layers import batch_norm

    x = np.random.default_rng(0).normal(3.0, 2.0, (64, 5)).astype(np.float32)
    with tf.Graph().as_default(), tf1.Session() as sess:
        inference = batch_norm(tf.constant(x), training=False)
        training = batch_norm(tf.constant(x), training=True, reuse=None)
        sess.run(tf1.global_variables_initializer())
        y_inf, y_train = sess.run([inference, training])
    np.testing.assert_allclose(y_inf, x / np.sqrt(1 + 1e-3), rtol=1e-5)
    np.testing.assert_allclose(y_train.mean(axis=0), 0.0, atol=1e-4)
    np.testing.assert_allclose(y_train.std(axis=0), 1.0, rtol=1e-2)


def test_keras_fake_batch_flag() -> None:
    _, inference = built(keras_gan)
    _, training = built(keras_gan, fake_batch_bn="training")
    assert inference.G_fake_batch is inference.G_sample
    assert training.G_fake_batch is training.G_train


def test_dense_reuses_by_scope_and_counts_names() -> None:
    with seeded_graph(0).as_default():
        x = tf.zeros([2, 3])
        for reuse in (None, True):
            with tf1.variable_scope("dis", reuse=reuse):
                dense(dense(x, 4), 1)
        names = [v.op.name for v in tf1.global_variables()]
    assert names == ["dis/dense/kernel", "dis/dense/bias", "dis/dense_1/kernel", "dis/dense_1/bias"]


def test_golbin_bug_flag_means_one_update_per_epoch() -> None:
    assert golbin.Config(epochs=3).resolved(55_000).steps == 3 * 550
    buggy = golbin.Config(epochs=3, one_update_per_epoch=True).resolved(55_000)
    assert buggy.steps == 3 and buggy.sample_every == 10


@pytest.mark.slow
@pytest.mark.parametrize("name", recipes.RECIPES)
def test_same_seed_same_run_and_the_posts_layout(tmp_path: Path, name: str) -> None:
    """Two runs of the fast loop from one seed are the same run; each writes the post's own picture too.

    XLA's compilation costs seconds a run: the default loop (fast, compiled) is repeated for
    wiseodd, the others run uncompiled (tests/test_loops.py compares XLA with the classic loop).
    """
    recipe = recipes.get(name)
    cfg = recipe.Config(steps=12, sample_every=6, batch_size=16)
    data = lambda: small_datasets(recipe.Config().pixel_range)  # noqa: E731  (a fresh data order each time)
    runs = [train(recipe, cfg, data(), tmp_path / f"run{i}", seed=3, xla=name == "wiseodd") for i in range(2)]
    readers = [tf1.train.NewCheckpointReader(tf1.train.latest_checkpoint(str(r / "checkpoints"))) for r in runs]
    names = readers[0].get_variable_to_shape_map()
    assert names and all(np.array_equal(readers[0].get_tensor(n), readers[1].get_tensor(n)) for n in names)
    assert (runs[0] / "losses.csv").read_text() == (runs[1] / "losses.csv").read_text()
    assert (runs[0] / "grids" / "002.png").read_bytes() == (runs[1] / "grids" / "002.png").read_bytes()
    assert sorted(p.name for p in (runs[0] / "grids").iterdir()) == ["000.png", "001.png", "002.png"]
    layout = recipe.Config().layout
    if layout is not None:  # keras_gan's 5x5, gfg's single sample, golbin's 1x10 strip
        assert sorted(p.name for p in (runs[0] / "samples").iterdir()) == ["000.png", "001.png", "002.png"]
        height, width = matplotlib.image.imread(runs[0] / "samples" / "002.png").shape[:2]
        assert abs(width / height - layout[1] / layout[0]) < 0.25 * layout[1] / layout[0]


@pytest.mark.parametrize("name", recipes.RECIPES)
def test_generator_objective_is_honoured(name: str) -> None:
    """minimax (log(1 - D)) is negative where non-saturating (-log D) is positive."""
    recipe = recipes.get(name)
    values = []
    for objective in ("non_saturating", "minimax"):
        graph, gan = built(recipe, g_objective=objective)
        z = np.random.default_rng(0).standard_normal((16, recipe.Config().z_dim)).astype(np.float32)
        labels = as_one_hot(balanced_digits(16)) if gan.y is not None else None  # cgan: digits asked
        with tf1.Session(graph=graph) as sess:
            sess.run(tf1.global_variables_initializer())
            values.append(sess.run(gan.G_loss, generator_feed(gan, z, labels)))
    assert values[0] > 0 > values[1]


def test_keras_gan_generator_names() -> None:
    with seeded_graph(0).as_default():
        keras_gan.build(keras_gan.Config())
        moving = [v.op.name for v in tf1.moving_average_variables()]
    assert moving == [f"generator/batch_normalization{s}/moving_{k}" for s in ("", "_1", "_2")
                      for k in ("mean", "variance")]


def test_layers_refuse_what_they_do_not_cover() -> None:
    with seeded_graph(0).as_default():
        with pytest.raises(ValueError, match="expects \\(batch, features\\)"):
            dense(tf.zeros([2, 3, 4]), 5)
        with pytest.raises(TypeError, match="training must be True or False"):
            from tf_gan.layers import batch_norm

            batch_norm(tf.zeros([2, 3]), training=tf1.placeholder(tf.bool))
