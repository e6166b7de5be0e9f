"""Each hook around the training loop on its own, a hook of one's own, and a graph of one's own."""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import every_tensor, run_cli, small_datasets

from tf_gan.errors import Interrupted, TfGanError, TrainingDiverged
from tf_gan.graph import tf, tf1
from tf_gan.recipes import gfg, wiseodd
from tf_gan.run import record
from tf_gan.run.hooks import Checkpoints, Console, Context, Hook, LossLog, Quality, StopOnSignal
from tf_gan.run.hooks.base import next_multiple
from tf_gan.run.hooks.guard import check_finite
from tf_gan.run.hooks.pictures import drop_pictures_after
from tf_gan.run.loops import Block
from tf_gan.run.sample import sample
from tf_gan.run.trainer import block_end, train

CFG = wiseodd.Config(steps=11, sample_every=5, log_every=3, batch_size=32)


def context(tmp_path: Path, cfg=CFG, step: int = 0) -> Context:
    ctx = Context(tmp_path, "wiseodd", cfg, 0, gan=None, per_epoch=100)
    ctx.step, ctx.last = step, step - 1
    ctx.events = SimpleNamespace(scalars=lambda *a: None, png=lambda *a: None, flush=lambda: None)
    return ctx


def test_a_block_ends_where_the_first_hook_asks() -> None:
    losses = LossLog(np.zeros((16, 100), np.float32))
    losses.cfg = CFG  # what build() keeps
    hooks = [losses, Checkpoints(saver=None, every=4, loop_state=dict)]
    ends, step = [], 0
    while step < CFG.steps:
        step = block_end(hooks, step, CFG.steps)
        ends.append(step)
    # rows after iterations 0, 3, 5 (a grid), 6, 9, 10 (the last) -> blocks end after 1, 4, 6, 7, 10, 11 steps;
    # checkpoints after 4 and 8
    assert ends == [1, 4, 6, 7, 8, 10, 11]
    assert next_multiple(7, 5) == 10 and next_multiple(10, 5) == 15 and next_multiple(3, None) is None


def test_the_loss_log_drops_a_shorter_runs_last_row_on_resume(tmp_path: Path) -> None:
    losses = LossLog(np.zeros((16, 100), np.float32))
    losses.cfg = CFG
    ctx = context(tmp_path)
    losses.restore(ctx, {"rows": [{"step": 0}, {"step": 3}, {"step": 4}]})  # 4 was the end of a 5-step run
    assert [r["step"] for r in losses.rows] == [0, 3] and losses.state() == {"rows": losses.rows}


def test_checkpoints_come_every_k_steps_at_a_stop_and_at_the_end(tmp_path: Path) -> None:
    saved = []
    saver = SimpleNamespace(save=lambda sess, prefix, step, state: saved.append((step, state)) or f"model-{step}")
    hook = Checkpoints(saver, every=4, loop_state=lambda: {"rows": []})
    for step, stop in [(3, None), (4, None), (6, signal.SIGINT), (11, None)]:
        ctx = context(tmp_path, step=step)
        if stop is not None:
            ctx.request_stop(stop)
        ctx.end_block()
        hook.after_block(ctx, block=None)
    assert [s for s, _ in saved] == [4, 6]  # not at 11: the end's checkpoint comes last of all
    hook.end(ctx, 11)
    assert [s for s, _ in saved] == [4, 6, 11] and ctx.last_checkpoint == "model-11"


def test_quality_judges_every_k_steps_and_forgets_a_shorter_runs_last_judgement(tmp_path: Path) -> None:
    hook = Quality(judge=None, every=10, noise=np.zeros((4, 100), np.float32))
    assert hook.next_stop(0) == 10 and hook.next_stop(10) == 20
    ctx = context(tmp_path, step=15)
    ctx.start = 15
    hook.restore(ctx, {"quality": [{"step": 0}, {"step": 10}, {"step": 15}]})  # 15 ended the shorter run
    assert [r["step"] for r in hook.rows] == [0, 10]


def test_the_guard_names_what_is_no_longer_a_number() -> None:
    with tf.Graph().as_default():
        variables = [tf1.Variable(1.0, name="D_W1"), tf1.Variable(1.0, name="G_W1")]
    with pytest.raises(TrainingDiverged) as err:
        check_finite(7, {"D_loss": 0.5, "G_loss": float("nan")}, np.array([True, False]), variables, "model-5")
    assert err.value.iteration == 7 and err.value.what == ["G_loss (nan)", "G_W1"]
    check_finite(7, {"D_loss": 0.5}, np.array([True, True]), variables)  # all finite: nothing happens


def test_a_resumed_run_draws_its_own_pictures_after_the_checkpoint(tmp_path: Path) -> None:
    for folder in ("grids", "samples"):
        (tmp_path / folder).mkdir()
        for index in range(5):
            (tmp_path / folder / f"{index:03d}.png").write_bytes(b"png")
    drop_pictures_after(tmp_path, step=20, sample_every=10)  # pictures 0, 1, 2 show steps 0, 10, 20
    assert sorted(p.name for p in (tmp_path / "grids").iterdir()) == ["000.png", "001.png", "002.png"]
    assert len(list((tmp_path / "samples").iterdir())) == 3


def test_the_console_prints_the_posts_line_every_sample_every_steps(tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    losses = SimpleNamespace(rows=[{"step": 5, "D_loss": 1.0, "G_loss": 2.0, "D_real": 0.5, "D_fake": 0.25}])
    hook = Console(wiseodd.log_line, losses)
    caplog.set_level(logging.INFO)
    ctx = context(tmp_path)
    hook.begin(ctx)
    for step in (4, 6):  # blocks ending after iterations 3 and 5
        ctx.step, ctx.last = step, step - 1
        hook.after_block(ctx, Block([{}] * 2, np.zeros(1)))
    ctx.closing.close()
    lines = [r.message for r in caplog.records if "Iter:" in r.message]
    assert len(lines) == 1 and lines[0].startswith("Iter: 5  D loss: 1.0  G_loss: 2.0  D(x): 0.50  D(G(z)): 0.25")


def test_ctrl_c_is_seen_after_the_block_and_the_handler_goes_with_the_run(tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGINT)
    hook, ctx = StopOnSignal(), context(tmp_path)
    hook.begin(ctx)
    assert not ctx.stop_requested()
    os.kill(os.getpid(), signal.SIGINT)
    assert ctx.stop_requested() and ctx.stop_signal is None  # asked; the loop sees it after its block
    ctx.end_block()
    assert ctx.stop_signal == signal.SIGINT
    ctx.closing.close()
    assert signal.getsignal(signal.SIGINT) is before


class Recorder(Hook):
    """A hook of one's own: asks for a pause every 7 steps, remembers what it saw, keeps a count in checkpoints."""

    def __init__(self) -> None:
        self.seen: list[int] = []
        self.count = 0

    def next_stop(self, step: int) -> int:
        return next_multiple(step, 7)

    def after_block(self, ctx: Context, block: Block) -> None:
        self.seen.append(ctx.step)
        self.count += len(block.metrics)

    def state(self) -> dict:
        return {"recorder": self.count}

    def end(self, ctx: Context, last: int) -> None:
        (ctx.run / "recorder.txt").write_text(f"{self.count} steps, the last {last}")


def test_a_hook_of_ones_own_shapes_the_blocks_and_rides_in_the_checkpoints(tmp_path: Path) -> None:
    hook = Recorder()
    run = train(wiseodd, wiseodd.Config(steps=30, sample_every=10, batch_size=32), small_datasets(), tmp_path / "r",
                seed=0, xla=False, hooks=[hook])
    assert {7, 14, 21, 28} <= set(hook.seen) and hook.seen[-1] == 30 and hook.count == 30
    assert (run / "recorder.txt").read_text() == "30 steps, the last 30"
    assert b'"Recorder": {"recorder": 30}' in every_tensor(run)["train_loop/state"]


class Rows(Hook):
    """A hook whose state uses the loss log's own key, and that stops the run at step 12 through the context."""

    def __init__(self) -> None:
        self.restored: dict | None = None

    def next_stop(self, step: int) -> int:
        return next_multiple(step, 4)

    def after_block(self, ctx: Context, block: Block) -> None:
        if ctx.step == 12:
            ctx.request_stop(0)

    def state(self) -> dict:
        return {"rows": "mine"}

    def restore(self, ctx: Context, state: dict) -> None:
        self.restored = state


def test_each_hook_keeps_its_own_state_and_any_hook_may_stop_the_run(tmp_path: Path) -> None:
    cfg = wiseodd.Config(steps=20, sample_every=4, batch_size=32)
    with pytest.raises(Interrupted):
        train(wiseodd, cfg, small_datasets(), tmp_path / "r", seed=0, xla=False, hooks=[Rows()])
    assert len((tmp_path / "r" / "losses.csv").read_text().splitlines()) > 2  # the loss log's rows, not "mine"
    again = Rows()
    again.after_block = lambda ctx, block: None  # this time, no stop
    train(wiseodd, cfg, small_datasets(), tmp_path / "r", seed=0, resume=True, hooks=[again])
    assert again.restored == {"rows": "mine"}
    with pytest.raises(TfGanError, match="two hooks named Rows"):
        train(wiseodd, cfg, small_datasets(), tmp_path / "s", seed=0, hooks=[Rows(), Rows()])


def my_generator(z, reuse=None):
    """gfg's generator with ReLU where the post has leaky ReLU: a student's edit."""
    from tf_gan.layers import dense

    with tf1.variable_scope("gen", reuse=reuse):
        hidden1 = dense(inputs=z, units=128, activation=tf.nn.relu)
        hidden2 = dense(inputs=hidden1, units=128, activation=tf.nn.relu)
        return dense(inputs=hidden2, units=784, activation=tf.nn.tanh)


@pytest.mark.slow
def test_the_trainer_trains_a_graph_of_ones_own(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A lesson's edited generator, handed to the trainer: checkpoints, samples, resume, and a CLI that says no."""
    cfg = gfg.Config(steps=6, sample_every=3, batch_size=20, validation_size=100)

    def build(c):
        return gfg.build(c, generator_fn=my_generator)

    mine = train(gfg, cfg, small_datasets("pm1"), tmp_path / "mine", seed=0, build=build, xla=False)
    theirs = train(gfg, cfg, small_datasets("pm1"), tmp_path / "theirs", seed=0, xla=False)
    assert record.read(mine, own_graph=True).graph == record.OWN_GRAPH
    assert not np.array_equal(sample(mine, 8, build=build), sample(theirs, 8))
    code, err = run_cli(capsys, "sample", str(mine), "--out", str(tmp_path / "s.npy"))
    assert code == 2 and "trained a graph of its own" in err and len(err.strip().splitlines()) == 1
    longer = dataclasses.replace(cfg, steps=9)
    train(gfg, longer, small_datasets("pm1"), mine, seed=0, resume=True, build=build)
    assert sample(mine, 2, build=build).shape == (2, 784)
