"""The wiseodd graph is the post's: names, shapes, variable lists, and an update that moves only its own player."""

from __future__ import annotations

import numpy as np

from tf_gan.graph import seeded_graph, session, tf1
from tf_gan.recipes import wiseodd

SHAPES = {
    "D_W1": [784, 128], "D_b1": [128], "D_W2": [128, 1], "D_b2": [1],
    "G_W1": [100, 128], "G_b1": [128], "G_W2": [128, 784], "G_b2": [784],
}


def build(**overrides):
    graph = seeded_graph(0)
    with graph.as_default():
        gan = wiseodd.build(wiseodd.Config(**overrides))
    return graph, gan


def test_variable_names_and_shapes() -> None:
    graph, gan = build()
    with graph.as_default():
        trainable = {v.op.name: v.shape.as_list() for v in tf1.trainable_variables()}
    assert trainable == SHAPES
    assert gan.X.shape.as_list() == [None, 784] and gan.Z.shape.as_list() == [None, 100]


def test_variable_lists_are_disjoint_and_cover_everything() -> None:
    graph, gan = build()
    d_names = [v.op.name for v in gan.theta_D]
    g_names = [v.op.name for v in gan.theta_G]
    assert d_names == ["D_W1", "D_W2", "D_b1", "D_b2"]  # the post's order
    assert g_names == ["G_W1", "G_W2", "G_b1", "G_b2"]
    with graph.as_default():
        assert set(d_names) | set(g_names) == {v.op.name for v in tf1.trainable_variables()}
    assert not set(d_names) & set(g_names)


def test_xavier_init_and_zero_biases() -> None:
    graph, gan = build()
    with tf1.Session(graph=graph) as sess:
        sess.run(tf1.global_variables_initializer())
        W1, _, b1, _ = sess.run(gan.theta_D)
    limit = np.sqrt(6 / (784 + 128))  # Glorot-uniform bound
    assert np.abs(W1).max() <= limit and np.abs(W1).max() > 0.9 * limit
    assert np.all(b1 == 0)


def test_each_solver_moves_only_its_own_player() -> None:
    graph, gan = build()
    rng = np.random.default_rng(0)
    feed = {gan.X: rng.random((8, 784), dtype=np.float32), gan.Z: rng.uniform(-1, 1, (8, 100)).astype(np.float32)}
    with tf1.Session(graph=graph) as sess:
        sess.run(tf1.global_variables_initializer())
        before = sess.run(gan.theta_D + gan.theta_G)
        sess.run(gan.D_solver, feed)
        after_d = sess.run(gan.theta_D + gan.theta_G)
        sess.run(gan.G_solver, feed)
        after_g = sess.run(gan.theta_D + gan.theta_G)
    moved = lambda a, b: [not np.array_equal(x, y) for x, y in zip(a, b)]  # noqa: E731
    assert moved(before, after_d) == [True] * 4 + [False] * 4
    assert moved(after_d, after_g) == [False] * 4 + [True] * 4


def test_generator_output_is_in_pixel_range() -> None:
    graph, gan = build()
    with tf1.Session(graph=graph) as sess:
        sess.run(tf1.global_variables_initializer())
        x = sess.run(gan.G_sample, {gan.Z: np.random.default_rng(0).uniform(-1, 1, (16, 100))})
    assert x.shape == (16, 784) and 0.0 <= x.min() and x.max() <= 1.0


def test_the_authors_own_weights_are_he_scaled_normals() -> None:
    """init="post": Kristiadi's xavier_init, stddev 1 / sqrt(fan_in / 2); the default: Glorot-uniform."""
    for init, spread in [("post", lambda fan_in, fan_out: (2 / fan_in) ** 0.5),
                         ("xavier", lambda fan_in, fan_out: (2 / (fan_in + fan_out)) ** 0.5)]:
        graph = seeded_graph(0)
        with graph.as_default():
            gan = wiseodd.build(wiseodd.Config(init=init))
            init_op = tf1.global_variables_initializer()
        with session(graph) as sess:
            sess.run(init_op)
            for w in (gan.theta_D[0], gan.theta_G[0], gan.theta_G[1]):  # D_W1, G_W1, G_W2
                fan_in, fan_out = w.shape.as_list()
                assert abs(sess.run(w).std() / spread(fan_in, fan_out) - 1) < 0.03, (init, w.op.name)
