"""The fast loop trains on the same numbers as the posts' loop, and keeps every promise of a run."""

from __future__ import annotations

import json
import math
import os
import signal
from pathlib import Path

import numpy as np
import pytest
from conftest import assert_same_run, every_tensor, run_cli, small_datasets

from tf_gan.run import loops
from tf_gan.errors import Interrupted, TfGanError, TrainingDiverged
from tf_gan.graph import seeded_graph, session, tf1
from tf_gan.noise import PRIORS, sample_z
from tf_gan.recipes import RECIPES, wiseodd
from tf_gan.recipes.base import alternating_step
from tf_gan.run.trainer import train

SHORT = wiseodd.Config(steps=60, sample_every=20, batch_size=32)


def metrics_and_weights(recipe, loop: str, steps: int = 9, block: int = 4, xla: bool = False):
    """`steps` iterations of `recipe` from seed 0, in blocks; each step's metrics and the final trainable weights."""
    base = recipe.Config()
    cfg = recipe.Config(steps=steps, batch_size=16).resolved(500)
    mnist = small_datasets(base.pixel_range)
    graph = seeded_graph(0)
    with graph.as_default():
        gan = recipe.build(cfg)
        runner = loops.make(loop, recipe, cfg, gan, mnist.train, np.random.default_rng(7), xla)
        init, weights = tf1.global_variables_initializer(), tf1.trainable_variables()
    graph.finalize()
    with session(graph) as sess:
        sess.run(init)
        runner.start(sess)
        rows = []
        for first in range(0, steps, block):
            rows += runner.run(sess, first, min(block, steps - first), lambda it, m: None, lambda: False).metrics
        return rows, sess.run(weights)


@pytest.mark.parametrize("name", list(RECIPES))
def test_fast_loop_computes_exactly_what_the_posts_loop_does(name: str) -> None:
    """Same batches, same noise, same updates in the same order: equal to the last bit, not just close."""
    classic_rows, classic_weights = metrics_and_weights(RECIPES[name], "classic")
    fast_rows, fast_weights = metrics_and_weights(RECIPES[name], "fast")
    assert fast_rows == classic_rows and len(fast_rows) == 9
    assert all(np.array_equal(a, b) for a, b in zip(classic_weights, fast_weights))
    assert not np.array_equal(classic_weights[0], metrics_and_weights(RECIPES[name], "fast", steps=1)[1][0])


def adam_step_bound(update: int, beta1: float, beta2: float = 0.999) -> float:
    """The largest |m_hat / sqrt(v_hat)| Adam's `update`-th step can have, whatever the gradients were.

    m_hat and v_hat are weighted sums of the past gradients and of their squares, with
    weights a_i and b_i; by Cauchy-Schwarz the ratio is at most sqrt(sum a_i^2 / b_i). It is
    exactly 1 for the first update and grows slowly (2.4 at the 18th with beta1 = 0.5).
    """
    i = np.arange(update)
    a = (1 - beta1) * beta1**i / (1 - beta1**update)
    b = (1 - beta2) * beta2**i / (1 - beta2**update)
    return float(np.sqrt(np.sum(a * a / b)))


UPDATES = {"wiseodd": 1, "keras_gan": 2}  # Adam updates per iteration of the busiest player (keras_gan's D: two)


@pytest.mark.parametrize("name", ["wiseodd", "keras_gan"])
def test_xla_changes_only_the_rounding(name: str) -> None:
    """XLA's compiled loop rounds differently, and how depends on the CPU; a GAN amplifies the difference.

    So the bounds come from float32 and Adam, not from one machine's numbers:

    * the first iteration starts from the same weights, data and noise: its losses differ
      by the order of float32 sums (at most n * 2^-24 of the terms' size for n terms,
      n <= 1024 here), plus what a few flipped signs in the first update do: 1e-4. An
      accuracy may flip one verdict that sits at 0.5: 1/32 of a batch of 16 real + 16 fake;
    * Adam moves a weight by lr * m_hat / sqrt(v_hat) per update, at most lr *
      adam_step_bound in size. Rounding can at worst flip the sign of a step (a gradient
      near zero): 2 * lr * adam_step_bound per update, added up over the updates;
    * rounding flips few steps, so the bulk of the weights stays far closer: half within a
      quarter of a step (lr / 4), 99% within one. A real difference, a step missed or a
      batch changed, moves a typical weight by about lr (one missing step: a median of
      0.34 lr for wiseodd, 0.48 lr for keras_gan).

    Measured on an AMD EPYC (Zen 4, AVX-512), keras_gan: largest difference 2.6 lr (the
    bound: 63 lr), median 0.04 lr, 99th percentile 0.31 lr; wiseodd: largest 0.0014 lr.
    """
    recipe = RECIPES[name]
    lr = getattr(recipe.Config(), "learning_rate", 1e-3)  # wiseodd: AdamOptimizer()'s default
    beta1 = getattr(recipe.Config(), "beta1", 0.9)
    classic_rows, classic_weights = metrics_and_weights(recipe, "classic")
    xla_rows, xla_weights = metrics_and_weights(recipe, "fast", xla=True)
    assert [row.keys() for row in xla_rows] == [row.keys() for row in classic_rows]
    assert all(math.isfinite(value) for row in xla_rows for value in row.values())
    for key, value in classic_rows[0].items():
        tolerance = 1 / 32 if key.endswith("acc") else 1e-4 * max(1.0, abs(value))
        assert abs(xla_rows[0][key] - value) <= tolerance, (key, value, xla_rows[0][key])
    gap = np.concatenate([np.abs(a - b).ravel() for a, b in zip(classic_weights, xla_weights)])
    updates = UPDATES[name] * len(classic_rows)
    assert gap.max() <= 2 * lr * sum(adam_step_bound(t, beta1) for t in range(1, updates + 1))
    assert np.median(gap) <= lr / 4 and np.quantile(gap, 0.99) <= lr
    assert np.isclose(adam_step_bound(1, beta1), 1.0)  # Adam's first step: exactly lr, whatever the gradient


def test_xla_makes_the_same_update_from_every_state_with_no_direction() -> None:
    """Why the default loop's samples differ from the classic loop's: rounding, amplified, never a bias.

    From states along a classic run, one iteration is made twice on the same batch and
    noise: by the classic loop and by the XLA-compiled block. If XLA computed something
    else (a stale read of D's weights in G's step, Adam's bias correction, a lost update),
    the two updates would differ by a good part of themselves. They differ by float32
    rounding: summed over every weight, by under a thousandth of the update (measured on an
    AMD EPYC Zen 5: 2e-8 to 4e-8), and with no direction (their mean differs from zero by
    under 1e-4 of the update's mean size; measured: about 1e-9). What a GAN does with those last bits, step
    after step, is to send the two runs of a seed apart, like two seeds; whether that
    makes the default loop's samples worse was measured on 32 seeds (README, Speed).
    """
    cfg = wiseodd.Config(steps=100, batch_size=16).resolved(600)
    mnist = small_datasets()
    graph = seeded_graph(0)
    with graph.as_default():
        gan = wiseodd.build(cfg)
        fast = loops.make("fast", wiseodd, cfg, gan, mnist.train, np.random.default_rng(7), xla=True)
        init, everything, weights = tf1.global_variables_initializer(), tf1.global_variables(), gan.theta_D + gan.theta_G
    graph.finalize()
    rng = np.random.default_rng(3)
    with session(graph) as sess:
        sess.run(init)
        fast.start(sess)
        for state in range(4):
            for _ in range(15):  # move on along a classic run
                z = iter(rng.uniform(-1, 1, (2, 16, cfg.z_dim)).astype(np.float32))
                alternating_step(sess, gan, mnist.train.images[rng.integers(0, 600, 16)], lambda m: next(z), False)
            saved, before = sess.run(everything), sess.run(weights)
            indices = rng.integers(0, 600, (1, 16))
            noise = rng.uniform(-1, 1, (1, 2, 16, cfg.z_dim)).astype(np.float32)
            z = iter(noise[0])
            alternating_step(sess, gan, mnist.train.images[indices[0]], lambda m: next(z), False)
            classic = sess.run(weights)
            for variable, value in zip(everything, saved):
                variable.load(value, sess)
            sess.run(fast.per_step, {fast.indices: loops.pad(indices, fast.capacity),
                                     fast.noise_in: loops.pad(noise, fast.capacity), fast.steps: 1})
            compiled = sess.run(weights)
            update = np.concatenate([(c - b).ravel() for c, b in zip(classic, before)])
            apart = np.concatenate([(x - c).ravel() for x, c in zip(compiled, classic)])
            assert np.sum(np.abs(apart)) <= 1e-3 * np.sum(np.abs(update)), state
            assert abs(np.mean(apart)) <= 1e-4 * np.mean(np.abs(update)), state
            assert np.mean(np.abs(update)) > 1e-5  # every state still learns: the updates are not empty


@pytest.mark.parametrize("prior", PRIORS)
def test_one_draw_for_a_block_is_the_draws_one_at_a_time(prior: str) -> None:
    """Why the fast loop may draw a block's noise at once: the generator hands out the same numbers."""
    one_at_a_time = np.random.default_rng(3)
    at_once = sample_z(6 * 16, 10, np.random.default_rng(3), prior).reshape(6, 16, 10)
    assert np.array_equal(at_once, np.stack([sample_z(16, 10, one_at_a_time, prior) for _ in range(6)]))


@pytest.mark.slow
def test_a_fast_run_stops_at_the_end_of_its_block_and_resumes_exactly(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    whole = train(wiseodd, SHORT, small_datasets(), tmp_path / "whole", seed=0)
    assert json.loads((whole / "config.json").read_text())["loop"] == "fast"  # the default
    real_run = loops.Fast.run
    calls = iter(range(10**9))

    def run(self, sess, first, *args):
        if next(calls) == 3:  # Ctrl-C while the block runs
            os.kill(os.getpid(), signal.SIGINT)
        return real_run(self, sess, first, *args)

    monkeypatch.setattr(loops.Fast, "run", run)
    with pytest.raises(Interrupted) as stopped:
        train(wiseodd, SHORT, small_datasets(), tmp_path / "run", seed=0)
    assert stopped.value.step == 7  # blocks [0], [1-2], [3-4], [5-6] (a log row every 2 steps), then the stop
    monkeypatch.undo()
    train(wiseodd, SHORT, small_datasets(), tmp_path / "run", seed=0, resume=True)
    assert_same_run(whole, tmp_path / "run")


def test_the_guard_names_the_first_non_finite_step_of_a_block(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """NaN noise at iteration 27 poisons that step's losses; the step-20 checkpoint is the last one kept."""
    real_draw = loops.Fast.draw_noise
    drawn = 0  # noise is drawn in step order, a block (or the next block, early) at a time

    def draw_noise(self, count: int) -> np.ndarray:
        nonlocal drawn
        z = real_draw(self, count)
        if drawn <= 27 < drawn + count:
            z[27 - drawn, 0, 0, 0] = np.nan  # in D's noise of iteration 27
        drawn += count
        return z

    monkeypatch.setattr(loops.Fast, "draw_noise", draw_noise)
    with pytest.raises(TrainingDiverged) as err:
        train(wiseodd, SHORT, small_datasets(), tmp_path / "nan", seed=0, checkpoint_every=20)
    assert err.value.iteration == 27 and "D_loss (nan)" in str(err.value)
    assert "model-20" in str(err.value)
    assert np.isfinite(every_tensor(tmp_path / "nan")["D_W1"]).all()


def test_which_loop_a_run_takes() -> None:
    assert loops.choose(None, None, {}) == ("fast", True)  # a new run
    assert loops.choose(None, None, {"loop": "fast", "xla": False}) == ("fast", False)  # resumed: its own
    assert loops.choose(None, None, {"seed": 0}) == ("classic", False)  # resumed from before the fast loop
    assert loops.choose("classic", None, {}) == ("classic", False)
    with pytest.raises(TfGanError, match="XLA compiles the fast loop"):
        loops.choose("classic", True, {})


@pytest.mark.slow
def test_resume_keeps_the_loop_it_was_trained_with(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = tmp_path / "r"
    assert run_cli(capsys, "train", "gfg", "--data", "bundled", "--steps", "3", "--no-xla", "--out", str(run))[0] == 0
    code, err = run_cli(capsys, "train", "--resume", str(run), "--loop", "classic")
    assert code == 2 and "was trained with loop=fast, not classic" in err
    assert json.loads((run / "config.json").read_text())["xla"] is False
