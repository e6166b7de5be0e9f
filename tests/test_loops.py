"""The fast loop trains on the same numbers as the posts' loop, and keeps every promise of a run."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import numpy as np
import pytest
from conftest import run_cli, small_datasets
from test_resume import assert_same_run, every_tensor

from tf_gan import loops
from tf_gan.errors import Interrupted, TfGanError, TrainingDiverged
from tf_gan.graph import seeded_graph, session, tf1
from tf_gan.noise import sample_z
from tf_gan.recipes import RECIPES, wiseodd
from tf_gan.train import train

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


@pytest.mark.parametrize("name", ["wiseodd", "keras_gan"])
def test_xla_changes_only_the_rounding(name: str) -> None:
    classic_rows, classic_weights = metrics_and_weights(RECIPES[name], "classic")
    xla_rows, xla_weights = metrics_and_weights(RECIPES[name], "fast", xla=True)
    for a, b in zip(classic_rows, xla_rows):
        assert a.keys() == b.keys() and all(abs(a[k] - b[k]) < 1e-3 * max(1.0, abs(a[k])) for k in a)
    assert all(np.allclose(a, b, rtol=1e-3, atol=1e-4) for a, b in zip(classic_weights, xla_weights))


@pytest.mark.parametrize("prior", ["uniform", "normal"])
def test_one_draw_for_a_block_is_the_draws_one_at_a_time(prior: str) -> None:
    """Why the fast loop may draw a block's noise at once: the generator hands out the same numbers."""
    one_at_a_time = np.random.default_rng(3)
    at_once = sample_z(6 * 16, 10, np.random.default_rng(3), prior).reshape(6, 16, 10)
    assert np.array_equal(at_once, np.stack([sample_z(16, 10, one_at_a_time, prior) for _ in range(6)]))


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


def test_resume_keeps_the_loop_it_was_trained_with(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = tmp_path / "r"
    assert run_cli(capsys, "train", "gfg", "--data", "bundled", "--steps", "3", "--no-xla", "--out", str(run))[0] == 0
    code, err = run_cli(capsys, "train", "--resume", str(run), "--loop", "classic")
    assert code == 2 and "was trained with --loop fast, not classic" in err
    assert json.loads((run / "config.json").read_text())["xla"] is False
