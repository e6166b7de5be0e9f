"""The paper's recipe: maxout, dropout's scaling, output bias, one simultaneous update, the schedules, exact resume."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from conftest import assert_same_run, small_datasets, stop_at

from tf_gan.errors import Interrupted, TfGanError
from tf_gan.graph import seeded_graph, session, tf, tf1
from tf_gan.recipes import paper, paper_sgd
from tf_gan.run.checkpoints import latest
from tf_gan.run.trainer import train

# Small enough for a test, the same graph in every other respect.
SMALL = paper.Config(steps=12, epochs=None, sample_every=4, batch_size=50, validation_size=100, held_out="first",
                     g_hidden=32, maxout_units=8)


def run(fetches, feed=None, seed: int = 0):
    """Build `fetches()` in a fresh seeded graph and run it once."""
    graph = seeded_graph(seed)
    with graph.as_default():
        built = fetches()
        init = tf1.global_variables_initializer()
    with session(graph) as sess:
        sess.run(init)
        return sess.run(built, feed)


def test_maxout_is_the_largest_of_each_units_consecutive_pieces() -> None:
    x = np.random.default_rng(0).standard_normal((4, 6)).astype(np.float32)

    def graph():
        with tf1.variable_scope("m"):
            out = paper.maxout(tf.constant(x), units=3, pieces=5, irange=0.5, name="h0")
        return out, tf1.global_variables("m/h0/kernel")[0], tf1.global_variables("m/h0/bias")[0]

    out, kernel, bias = run(graph)
    linear = x @ kernel + bias  # (4, 15): unit j owns columns 5j .. 5j+4
    assert out.shape == (4, 3)
    np.testing.assert_allclose(out, linear.reshape(4, 3, 5).max(axis=2), rtol=1e-6)
    assert np.abs(kernel).max() <= 0.5 and kernel.std() > 0.1  # uniform in [-irange, irange]


@pytest.mark.parametrize("keep, scale", [(0.8, 1.25), (0.5, 2.0)])
def test_dropout_keeps_a_share_keep_and_scales_what_it_keeps(keep: float, scale: float) -> None:
    x = np.random.default_rng(1).uniform(0.5, 1.5, (200, 500)).astype(np.float32)

    def graph():
        seed = tf.constant([7, 3], tf.int64)
        return [paper.dropout(tf.constant(x), keep, scale, seed), paper.dropout(tf.constant(x), keep, scale, seed),
                paper.dropout(tf.constant(x), keep, scale, tf.constant([7, 4], tf.int64))]

    once, again, other = run(graph)
    kept = once != 0
    share = kept.mean()  # 100,000 draws: 5 standard deviations is under 0.008
    assert abs(share - keep) < 5 * np.sqrt(keep * (1 - keep) / x.size)
    np.testing.assert_array_equal(once[kept], x[kept] * np.float32(scale))  # kept values, times the scale
    assert abs(once.mean() / x.mean() - 1) < 0.02  # so the expected input is unchanged
    np.testing.assert_array_equal(once, again)  # the same seed, the same mask
    assert (other != 0).tolist() != kept.tolist()  # the next update's seed, another mask


def test_the_generator_starts_from_the_training_pixels_means() -> None:
    rng = np.random.default_rng(0)  # digits whose left half is mostly ink, the right half mostly paper
    images = (rng.random((500, 784)) < np.where(np.arange(784) % 28 < 14, 0.9, 0.05)).astype(np.float32)

    def graph():
        return paper.generator(tf.zeros([3, SMALL.z_dim]), SMALL, paper.output_bias(images))

    first = run(graph)
    wanted = np.clip(images.mean(axis=0), 1e-7, 1 - 1e-7)
    assert np.abs(first - wanted).max() < 0.05  # small random weights on top of the bias
    assert np.abs(first - 0.5).mean() > 0.3  # not the grey of a zero bias


def test_the_output_bias_clips_the_means_as_pylearn2_does() -> None:
    """init_sigmoid_bias_from_marginals clips to [1e-7, 1 - 1e-7]: a never-inked pixel starts near -16.1."""
    images = np.zeros((10, 784), np.float32)
    images[:, 0] = 1.0  # always inked
    images[:5, 1] = 1.0  # half the time
    bias = paper.output_bias(images, paper.Config().bias_clip)
    assert bias[2] == pytest.approx(np.log(1e-7 / (1 - 1e-7)), abs=1e-4) and bias[2] < -16
    top = np.float32(1) - np.float32(1e-7)  # the float32 nearest 1 - 1e-7, as pylearn2's float32 means clip
    assert bias[0] == pytest.approx(np.log(top / (1 - top)), rel=1e-5) and bias[1] == 0.0
    assert paper.output_bias(images, 1e-3)[2] == pytest.approx(np.log(1e-3 / (1 - 1e-3)), abs=1e-4)  # tf_gan's first


def test_the_file_draws_uniform_noise_in_plus_minus_sqrt3() -> None:
    assert paper.Config().prior == "uniform_sqrt3"


def masks_of(seed: int, follow: bool) -> np.ndarray:
    cfg = dataclasses.replace(SMALL, masks_follow_seed=follow)
    return run(lambda: paper.dropout(tf.ones([50, 784]), 0.5, 2.0, paper.mask_seeds(cfg, tf.constant(3, tf.int64), 1)[0]),
               seed=seed)


def test_the_dropout_masks_follow_the_runs_seed() -> None:
    """Seed 0 keeps tf_gan's first masks; another seed draws others; masks_follow_seed=False: every seed alike."""
    first = run(lambda: paper.dropout(tf.ones([50, 784]), 0.5, 2.0, tf.constant([3, 3], tf.int64)))  # call 1, layer 0
    np.testing.assert_array_equal(masks_of(0, True), first)
    assert not np.array_equal(masks_of(1, True), first)
    np.testing.assert_array_equal(masks_of(1, False), first)


def lr_and_momentum(cfg: paper.Config, updates: list[int], per_epoch: int) -> list[tuple[float, float]]:
    def graph():
        done = tf1.placeholder(tf.int64, [])
        return done, paper_sgd.lr_at(cfg, done), paper_sgd.momentum_at(cfg, done // per_epoch)

    graph_, session_ = seeded_graph(0), None
    with graph_.as_default():
        done, lr, momentum = graph()
    with session(graph_) as session_:
        return [tuple(session_.run([lr, momentum], {done: n})) for n in updates]


def test_the_schedules_at_given_updates() -> None:
    """lr = 0.1 / 1.000004^n, floor 1e-6; momentum 0.5 in epoch 0, + 0.2/249 per epoch, 0.7 from epoch 249."""
    cfg = paper.Config()
    n_floor = int(np.ceil(np.log(0.1 / 1e-6) / np.log(1.000004)))  # about 2.88 million updates
    got = lr_and_momentum(cfg, [0, 1, 499, 500, 1000, 124_500, 125_000, n_floor - 10, n_floor + 10], 500)
    lrs, momenta = zip(*got)
    np.testing.assert_allclose(lrs[:3], [0.1, 0.1 / 1.000004, 0.1 / 1.000004**499], rtol=1e-12)
    assert lrs[-2] > 1e-6 and lrs[-1] == 1e-6
    assert momenta[:4] == (0.5, 0.5, 0.5, pytest.approx(0.5 + 0.2 / 249, abs=1e-12))
    assert momenta[4] == pytest.approx(0.5 + 0.4 / 249, abs=1e-12)
    assert momenta[5] == pytest.approx(0.7, abs=1e-12) and momenta[5] > momenta[4]  # epoch 249
    assert momenta[6:] == (pytest.approx(0.7, abs=1e-12),) * 3


def small_graph(cfg: paper.Config = SMALL):
    data = small_datasets()
    graph = seeded_graph(0)
    with graph.as_default():
        gan = paper.build(cfg, data.train.images)
        grads = tf.gradients(gan.D_loss, gan.theta_D) + tf.gradients(gan.G_loss, gan.theta_G)
        init = tf1.global_variables_initializer()
    return data, graph, gan, grads, init


def test_one_update_moves_both_players_from_the_same_weights() -> None:
    """The first update, from zero velocity, is w - 0.1 * dLoss/dw for D and G alike, both taken before it."""
    data, graph, gan, grads, init = small_graph()
    feed = {gan.X: data.train.images[:50], gan.Z: np.random.default_rng(0).standard_normal((50, SMALL.z_dim),
                                                                                             np.float32)}
    weights = gan.theta_D + gan.theta_G
    with session(graph) as sess:
        sess.run(init)
        before, gradients = sess.run(weights), sess.run(grads, feed)
        sess.run(gan.step, feed)
        after, lr, momentum, done = sess.run([weights, gan.sgd.lr, gan.sgd.momentum, gan.sgd.updates_done])
    for w0, g, w1 in zip(before, gradients, after):
        np.testing.assert_array_equal(w1, w0 + -(np.float32(0.1) * g))
    assert done == 1 and lr == np.float32(0.1 / 1.000004) and momentum == 0.5


def test_alternating_moves_d_first_and_g_against_ds_new_weights() -> None:
    """update=alternating: D's first update is w - 0.1 dD_loss/dw; G's gradient is taken after D has moved."""
    cfg = dataclasses.replace(SMALL, update="alternating")
    data, graph, gan, _, init = small_graph(cfg)
    rng = np.random.default_rng(0)
    z, z_g = (rng.standard_normal((50, cfg.z_dim), np.float32) for _ in range(2))
    feed = {gan.X: data.train.images[:50], gan.Z: z, gan.Z_G: z_g}
    with session(graph) as sess:
        sess.run(init)
        before_D, before_G = sess.run(gan.theta_D), sess.run(gan.theta_G)
        d_grads = sess.run(tf.gradients(gan.D_loss, gan.theta_D), feed)
        sess.run(gan.step, feed)
        after_D, after_G = sess.run(gan.theta_D), sess.run(gan.theta_G)
        for w0, g, w1 in zip(before_D, d_grads, after_D):
            np.testing.assert_array_equal(w1, w0 + -(np.float32(0.1) * g))
        # G's update equals one taken from the start with D already at its new weights
        for w, value in zip(gan.theta_D + gan.theta_G, after_D + before_G):
            w.load(value, sess)
        sess.run(gan.sgd.updates_done.assign(0))
        g_grads = sess.run(tf.gradients(gan.G_loss, gan.theta_G), feed)
    assert all(not np.array_equal(a, b) for a, b in zip(after_G, before_G))
    for w0, g, w1 in zip(before_G, g_grads, after_G):
        np.testing.assert_allclose(w1, w0 - 0.1 * g, rtol=1e-5, atol=1e-8)


def test_the_schedule_clock_runs_faster_from_its_epoch() -> None:
    """schedule_speed=10 from epoch 2 (12 updates an epoch here): update 30 sets the schedules of update 84."""
    cfg = dataclasses.replace(SMALL, schedule_speed_from=2, schedule_speed=10.0)

    def clock():
        done = tf1.placeholder(tf.int64, [])
        return done, paper_sgd.schedule_clock(cfg, done, 12)

    graph_ = seeded_graph(0)
    with graph_.as_default():
        done, value = clock()
    with session(graph_) as sess:
        assert [sess.run(value, {done: n}) for n in (0, 24, 25, 30)] == [0.0, 24.0, 34.0, 84.0]


def test_the_schedules_move_with_the_updates_as_graph_variables() -> None:
    """Each update sets the next update's lr and momentum: 600 training images of 50 make an epoch 12 updates."""
    cfg = dataclasses.replace(SMALL, momentum_saturate=3)  # 0.5, 0.6, then 0.7 from the third epoch
    data, graph, gan, _, init = small_graph(cfg)
    rng = np.random.default_rng(0)
    seen = []
    with session(graph) as sess:
        sess.run(init)
        for _ in range(30):
            paper.train_step(sess, gan, data.train.next_batch(50)[0],
                             lambda m: rng.standard_normal((m, cfg.z_dim)).astype(np.float32))
            seen.append(sess.run([gan.sgd.updates_done, gan.sgd.lr, gan.sgd.momentum]))
    assert [s[0] for s in seen] == list(range(1, 31))
    # float32 learning rates from a float64 power: another libm may round the last bit differently
    np.testing.assert_allclose([s[1] for s in seen], [0.1 / 1.000004**n for n in range(1, 31)], rtol=1e-7)
    epochs = [np.float32(m) for m in (0.5, 0.6, 0.7)]
    assert [s[2] for s in seen] == [epochs[min(n // 12, 2)] for n in range(1, 31)]


@pytest.mark.slow
def test_paper_resumes_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped mid-run (classic loop) and resumed: the same weights, velocities, schedules, logs and grids
    as a run never stopped (fast loop without XLA), byte for byte."""
    whole = train(paper, SMALL, small_datasets(), tmp_path / "whole", seed=2, xla=False)
    stop_at(monkeypatch, paper, call=6)
    with pytest.raises(Interrupted):
        train(paper, SMALL, small_datasets(), tmp_path / "run", seed=2, loop="classic")
    monkeypatch.undo()
    assert latest(tmp_path / "run" / "checkpoints").endswith("-7")  # stopped mid-run, with its state saved
    train(paper, SMALL, small_datasets(), tmp_path / "run", seed=2, resume=True)
    assert_same_run(whole, tmp_path / "run")


@pytest.mark.parametrize("change, message", [({"input_keep": 0.0}, "input_keep must be above 0 and at most 1; got 0.0"),
                                             ({"momentum_saturate": 1}, "momentum_saturate must come after"),
                                             ({"held_out": "middle"}, "held_out must be one of first, last"),
                                             ({"update": "both"}, "update must be one of simultaneous, alternating"),
                                             ({"bias_clip": 0.5}, "bias_clip must be above 0 and below 0.5; got 0.5"),
                                             ({"schedule_speed": 0.5}, "schedule_speed must be at least 1")])
def test_impossible_settings_are_refused_in_one_line(change: dict, message: str) -> None:
    with pytest.raises(TfGanError, match=message.replace("(", r"\(").replace(")", r"\)")):
        paper.Config(**change)


def test_the_averaged_generator_is_the_running_mean_and_leaves_training_alone() -> None:
    """average_g_from=1 (12 updates an epoch here): G_sample uses G's own weights for 12 updates, then the
    mean of G's weights after each later update; D and G train to the same bits as without averaging."""
    trained = {}
    for average in (None, 1):
        cfg = dataclasses.replace(SMALL, average_g_from=average)
        data, graph, gan, _, init = small_graph(cfg)
        rng = np.random.default_rng(0)
        z = rng.standard_normal((4, cfg.z_dim)).astype(np.float32)
        own, shown = [], []
        with session(graph) as sess:
            sess.run(init)
            for _ in range(20):
                paper.train_step(sess, gan, data.train.next_batch(50)[0],
                                 lambda m: rng.standard_normal((m, cfg.z_dim)).astype(np.float32))
                own.append(sess.run(gan.theta_G))
                shown.append(sess.run(gan.G_sample, {gan.Z: z}))
            trained[average] = sess.run(gan.theta_D + gan.theta_G)
            if average is not None:
                means = sess.run([gan.sgd.averages[w.op.name] for w in gan.theta_G])
                for k, w in enumerate(gan.theta_G):
                    np.testing.assert_allclose(means[k], np.mean([o[k] for o in own[12:]], axis=0), rtol=1e-5,
                                               atol=1e-7)
                with graph.as_default():
                    own_G = paper.generator(gan.Z, cfg, reuse=True)  # G on its own weights, now the means
                for w, mean in zip(gan.theta_G, means):
                    w.load(mean, sess)
                np.testing.assert_allclose(shown[-1], sess.run(own_G, {gan.Z: z}), rtol=1e-5, atol=1e-6)
            else:
                plain = shown
    np.testing.assert_array_equal(shown[11], plain[11])  # before the averaging: G's own weights
    assert not np.array_equal(shown[-1], plain[-1])
    for a, b in zip(trained[None], trained[1]):
        np.testing.assert_array_equal(a, b)
