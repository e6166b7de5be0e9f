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
from tf_gan.errors import Interrupted, TrainingDiverged
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


def test_xla_changes_only_the_rounding() -> None:
    classic_rows, classic_weights = metrics_and_weights(wiseodd, "classic")
    xla_rows, xla_weights = metrics_and_weights(wiseodd, "fast", xla=True)
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

    def run(self, sess, first, count, check, stop):
        if next(calls) == 3:  # Ctrl-C while the block runs
            os.kill(os.getpid(), signal.SIGINT)
        return real_run(self, sess, first, count, check, stop)

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
    def poisoned(m: int, n: int, rng: np.random.Generator, prior: str = "uniform") -> np.ndarray:
        z = sample_z(m, n, rng, prior)
        if poisoned.first_step <= 27 < poisoned.first_step + m // (2 * SHORT.batch_size):
            z[(27 - poisoned.first_step) * 2 * SHORT.batch_size] = np.nan  # the D noise of iteration 27
        return z

    real_run = loops.Fast.run

    def run(self, sess, first, count, check, stop):
        poisoned.first_step = first
        return real_run(self, sess, first, count, check, stop)

    monkeypatch.setattr(loops, "sample_z", poisoned)
    monkeypatch.setattr(loops.Fast, "run", run)
    with pytest.raises(TrainingDiverged) as err:
        train(wiseodd, SHORT, small_datasets(), tmp_path / "nan", seed=0, checkpoint_every=20)
    assert err.value.iteration == 27 and "D_loss (nan)" in str(err.value)
    assert "model-20" in str(err.value)
    assert np.isfinite(every_tensor(tmp_path / "nan")["D_W1"]).all()


def test_xla_belongs_to_the_fast_loop(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_cli(capsys, "train", "wiseodd", "--loop", "classic", "--xla", "--out", str(tmp_path / "r"))
    assert code == 2 and "--xla compiles the fast loop" in err and not (tmp_path / "r").exists()
