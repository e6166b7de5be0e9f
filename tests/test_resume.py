"""Runs you can trust: stop and resume exactly, Ctrl-C/SIGTERM, the pictures and events of every run."""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import assert_same_run, every_tensor, run_cli, small_datasets, stop_at, tiny_raw, write_idx_dir
from PIL import Image

from tf_gan.run import checkpoints, progress, run_dir
from tf_gan.cli import main
from tf_gan.errors import Interrupted, TfGanError, TrainingDiverged
from tf_gan.graph import tf1
from tf_gan.recipes import keras_gan, wiseodd
from tf_gan.run.sample import sample
from tf_gan.run.trainer import train

pytestmark = pytest.mark.slow  # every test here trains, runs a lesson or a subprocess

SHORT = wiseodd.Config(steps=60, sample_every=20, batch_size=32)


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference: 60 steps, never interrupted (the fast loop without XLA: the classic loop's numbers)."""
    return train(wiseodd, SHORT, small_datasets(), tmp_path_factory.mktemp("whole") / "run", seed=0, xla=False)


def test_interrupted_and_resumed_equals_uninterrupted(whole: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    run = tmp_path / "run"
    handler = signal.getsignal(signal.SIGINT)
    stop_at(monkeypatch, wiseodd, call=37)
    with pytest.raises(Interrupted) as stopped:
        train(wiseodd, SHORT, small_datasets(), run, seed=0, checkpoint_every=25, loop="classic")
    assert stopped.value.step == 38 and stopped.value.exit_code == 130
    assert f"--resume {run}" in str(stopped.value)
    assert checkpoints.latest(run / "checkpoints").endswith("model-38")
    assert signal.getsignal(signal.SIGINT) is handler  # ours is gone again
    monkeypatch.undo()
    train(wiseodd, SHORT, small_datasets(), run, seed=0, resume=True)
    assert_same_run(whole, run)


def test_sigterm_stops_the_same_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stop_at(monkeypatch, wiseodd, call=5, signum=signal.SIGTERM)
    with pytest.raises(Interrupted) as stopped:
        train(wiseodd, SHORT, small_datasets(), tmp_path / "run", seed=0, loop="classic")
    assert stopped.value.exit_code == 143 and stopped.value.step == 6


def test_keras_gan_resumes_exactly_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batch-norm statistics, two optimizers, draws with replacement, normal noise.

    The whole run takes the fast loop without XLA, the stopped one the classic loop: the
    two leave the same files, byte for byte.
    """
    cfg = keras_gan.Config(steps=12, sample_every=4, batch_size=16, validation_size=100)
    mnist = lambda: small_datasets("pm1")  # noqa: E731
    whole = train(keras_gan, cfg, mnist(), tmp_path / "whole", seed=3, xla=False)
    stop_at(monkeypatch, keras_gan, call=6)
    with pytest.raises(Interrupted):
        train(keras_gan, cfg, mnist(), tmp_path / "run", seed=3, loop="classic")
    monkeypatch.undo()
    train(keras_gan, cfg, mnist(), tmp_path / "run", seed=3, resume=True)
    assert_same_run(whole, tmp_path / "run")


def test_a_finished_run_can_be_lengthened(whole: Path, tmp_path: Path) -> None:
    run = train(wiseodd, wiseodd.Config(steps=30, sample_every=20, batch_size=32), small_datasets(),
                tmp_path / "run", seed=0, xla=False)
    train(wiseodd, SHORT, small_datasets(), run, seed=0, resume=True)
    assert json.loads((run / "config.json").read_text())["config"]["steps"] == 60
    assert_same_run(whole, run)


def test_resuming_a_finished_run_changes_nothing(whole: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO")
    files = lambda: {p: p.stat().st_mtime_ns for p in whole.rglob("*") if p.name != run_dir.LOCK}  # noqa: E731
    before = files()  # (the lock file takes the PID of each process that trains, or looks, here)
    train(wiseodd, SHORT, small_datasets(), whole, seed=0, resume=True)
    assert "already at step 60 of 60: nothing to do" in caplog.text
    assert before == files()


def test_every_run_ends_with_curves_gif_and_events(whole: Path) -> None:
    assert (whole / "losses.png").read_bytes()[:4] == b"\x89PNG"
    with Image.open(whole / "progress.gif") as gif:
        assert gif.n_frames == len(list((whole / "grids").iterdir())) == 4
    events = [e for f in (whole / "tensorboard").iterdir() for e in tf1.train.summary_iterator(str(f))]
    assert any(e.graph_def for e in events)  # the Graphs tab
    tags: dict[str, list[int]] = {}
    for e in events:
        for v in e.summary.value:
            tags.setdefault(v.tag, []).append(e.step)
    assert {"D_loss", "G_loss", "D(x)", "D(G(z))"} <= tags.keys()
    assert tags["samples/4x4 grid of fixed noise"] == [0, 20, 40, 60]
    rows = list(csv.DictReader((whole / "losses.csv").open()))
    assert tags["G_loss"] == [int(r["step"]) for r in rows]


def test_same_seed_same_pictures(whole: Path, tmp_path: Path) -> None:
    again = train(wiseodd, SHORT, small_datasets(), tmp_path / "again", seed=0, xla=False)
    assert_same_run(whole, again)
    for name in ("losses.png", "progress.gif"):
        assert (whole / name).read_bytes() == (again / name).read_bytes(), name


def test_a_diverged_run_keeps_its_last_good_checkpoint_and_pictures(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Plant NaN in one of Adam's moment estimates (where a non-finite gradient lands): weights still finite."""
    real_step = wiseodd.train_step
    calls = iter(range(10**9))

    def step(sess, gan, X_mb, sample_Z):
        losses = real_step(sess, gan, X_mb, sample_Z)
        if next(calls) == 13:
            slot = next(v for v in tf1.global_variables() if v.op.name == "D_W1/Adam")
            slot.load(np.full(slot.shape.as_list(), np.nan, np.float32), sess)
        return losses

    monkeypatch.setattr(wiseodd, "train_step", step)
    run = tmp_path / "run"
    with pytest.raises(TrainingDiverged) as err:
        train(wiseodd, SHORT, small_datasets(), run, seed=0, checkpoint_every=10, loop="classic")
    assert err.value.iteration == 13 and err.value.what == ["D_W1/Adam"]
    assert f"the last good checkpoint, {run}/checkpoints/model-10, is kept" in str(err.value)
    assert checkpoints.latest(run / "checkpoints").endswith("model-10")
    assert (run / "losses.png").is_file() and (run / "progress.gif").is_file()
    assert np.isfinite(every_tensor(run)["D_W1/Adam"]).all()


def test_progress_times_read_like_a_clock() -> None:
    assert [progress.duration(s) for s in (0, 59.6, 61, 3600 + 62)] == ["0:00", "1:00", "1:01", "1:01:02"]
    assert progress.speed(1, 99, time.perf_counter()) == ""  # the first step is mostly set-up
    assert progress.speed(50, 50, time.perf_counter() - 1.0).endswith("it/s, 0:01 left)")


# ---------------------------------------------------------------- the command line


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"idx:{write_idx_dir(tmp_path_factory.mktemp('mnist'), tiny_raw(n_train=400, n_test=20))}"


SMALL = ["--batch-size", "32", "--set", "validation_size=100", "--sample-every", "5"]


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory, data_dir: str) -> Path:
    run = tmp_path_factory.mktemp("cli") / "run"
    assert main(["train", "wiseodd", "--steps", "10", "--data", data_dir, "--out", str(run), *SMALL]) == 0
    return run


@pytest.mark.parametrize("argv, message", [
    (["gfg"], "is a wiseodd run, not gfg; resume it as wiseodd"),
    (["--loss", "raw_log"], "was trained with loss='sigmoid_ce', not 'raw_log'"),
    (["--set", "h_dim=256"], "was trained with h_dim=128, not 256"),
    (["--batch-size", "64"], "was trained with batch_size=32, not 64"),
    (["--seed", "1"], "was trained with seed=0, not 1"),
    (["--threads", "1"], "was trained with threads=(the default), not 1"),
    (["--data", "bundled"], "not bundled; --resume continues a run unchanged"),
    (["--out", "elsewhere"], "drop --out and --overwrite"),
    (["--overwrite"], "drop --out and --overwrite"),
])
def test_resume_refuses_changes(cli_run: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                message: str) -> None:
    before = {p: p.read_bytes() for p in cli_run.rglob("*") if p.is_file()}
    recipe = [argv.pop(0)] if argv[0] == "gfg" else []
    code, err = run_cli(capsys, "train", *recipe, "--resume", str(cli_run), "--steps", "20", *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err
    assert before == {p: p.read_bytes() for p in cli_run.rglob("*") if p.is_file()}  # nothing touched


def test_resume_refuses_a_changed_graph(cli_run: Path, tmp_path: Path, data_dir: str,
                                        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The student edited the recipe's code since: the checkpoint no longer fits the graph."""
    real_build = wiseodd.build

    def build(cfg, train_images=None):  # the recipe interface's one signature
        gan = real_build(cfg, train_images)
        tf1.get_variable("D_W3", [128, 1])  # one more layer's weights
        return gan

    monkeypatch.setattr(wiseodd, "build", build)
    code, err = run_cli(capsys, "train", "--resume", str(cli_run), "--steps", "20")
    assert code == 2 and "does not match" in err and "no D_W3 in it" in err, err


def test_resume_without_a_run_or_a_checkpoint(tmp_path: Path, cli_run: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """No config.json: not a run. A config.json and no checkpoint (killed during start-up): train from step 0."""
    code, err = run_cli(capsys, "train", "--resume", str(tmp_path / "nothing"))
    assert code == 2 and "config.json: not found" in err
    (tmp_path / "config.json").write_text((cli_run / "config.json").read_text())
    (tmp_path / "grids").mkdir()
    (tmp_path / "grids" / "007.png").write_bytes(b"half a pic")  # what the killed start-up left
    code, err = run_cli(capsys, "train", "--resume", str(tmp_path))
    assert code == 0, err
    assert_same_run(cli_run, tmp_path)
    code, err = run_cli(capsys, "train")
    assert code == 2 and "give a recipe" in err


def test_ctrl_c_in_a_real_process(tmp_path: Path, data_dir: str) -> None:
    """SIGINT to `python -m tf_gan train`: checkpoint, the resume command, exit 130; then resume to the end."""
    run = tmp_path / "run"
    command = [sys.executable, "-m", "tf_gan", "train", "wiseodd", "--data", data_dir, "--out", str(run), *SMALL,
               "--steps", "100000"]
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (run / "grids" / "002.png").exists() and time.monotonic() < deadline:  # training is under way
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    err = proc.communicate(timeout=120)[1]
    assert proc.returncode == 130, err
    assert "Traceback" not in err and f"python -m tf_gan train --resume {run}" in err
    step = int(checkpoints.latest(run / "checkpoints").rsplit("-", 1)[1])
    assert step >= 10 and f"stopped after step {step} of 100000" in err
    assert (run / "losses.png").is_file() and (run / "progress.gif").is_file()
    resumed = subprocess.run([sys.executable, "-m", "tf_gan", "train", "--resume", str(run), "--steps",
                              str(step + 7)], capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert f"resuming {run} at step {step} of {step + 7}" in resumed.stderr
    assert checkpoints.latest(run / "checkpoints").endswith(f"model-{step + 7}")


def test_bad_batch_size_leaves_an_existing_run_alone(cli_run: Path, data_dir: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.read_bytes() for p in cli_run.rglob("*") if p.is_file()}
    code, err = run_cli(capsys, "train", "wiseodd", "--data", data_dir, "--out", str(cli_run), "--overwrite",
                        "--set", "validation_size=100", "--batch-size", "5000")
    assert code == 2 and "--batch-size must be between 1 and 300, got 5000" in err
    assert before == {p: p.read_bytes() for p in cli_run.rglob("*") if p.is_file()}


def test_exact_match_refuses_variables_the_graph_lacks(cli_run: Path) -> None:
    with pytest.raises(TfGanError, match="does not match"):
        checkpoints.check_matches(checkpoints.latest(cli_run / "checkpoints"), [], "nothing", exact=True)


def test_a_write_that_fails_leaves_the_old_file(tmp_path: Path) -> None:
    from tf_gan.files import atomic_path

    target = tmp_path / "losses.csv"
    target.write_text("step,D_loss\n0,1.0\n")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("step,D_lo")  # half a file, then the process dies
        raise RuntimeError("crash")
    assert target.read_text() == "step,D_loss\n0,1.0\n" and list(tmp_path.iterdir()) == [target]


def test_a_temporary_file_left_by_a_kill_does_not_block_overwrite(cli_run: Path, tmp_path: Path) -> None:
    import shutil

    from tf_gan.run import run_dir

    run = shutil.copytree(cli_run, tmp_path / "run")
    (run / ".losses.csv.k2j4x.csv").write_text("step,D_lo")  # what kill -9 mid-write leaves
    run_dir.create(run, overwrite=True).release()
    assert not (run / ".losses.csv.k2j4x.csv").exists()


def test_after_a_crash_tensorboard_shows_each_step_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash after the step-20 checkpoint logged steps 20-24; the resumed run logs them again."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    real_step = wiseodd.train_step
    calls = iter(range(10**9))

    def step(*args):
        if next(calls) == 25:
            raise MemoryError("the laptop ran out of memory")  # nothing is saved, as with kill -9
        return real_step(*args)

    monkeypatch.setattr(wiseodd, "train_step", step)
    run = tmp_path / "run"
    with pytest.raises(MemoryError):
        train(wiseodd, SHORT, small_datasets(), run, seed=0, checkpoint_every=20, loop="classic")
    monkeypatch.undo()
    train(wiseodd, SHORT, small_datasets(), run, seed=0, resume=True)
    events = EventAccumulator(str(run / "tensorboard"))
    events.Reload()
    steps = [e.step for e in events.Scalars("G_loss")]
    assert steps == sorted(set(steps)) and steps[-1] == 59


# ---------------------------------------------------------------- runs that survive anything


def test_resumed_three_times_equals_one_run(tmp_path: Path, data_dir: str, capsys: pytest.CaptureFixture[str]) -> None:
    """20 steps, then --resume to 35, 50 and 60: the same run as 60 at once, and config.json keeps settings only.

    (A resume once wrote the whole loop state, data order and every loss row, into config.json
    as "loop", and the next resume died on it.)
    """
    flags = ["--data", data_dir, *SMALL, "--sample-every", "10", "--no-xla"]
    straight, run = tmp_path / "straight", tmp_path / "run"
    assert run_cli(capsys, "train", "wiseodd", "--out", str(straight), "--steps", "60", *flags)[0] == 0
    assert run_cli(capsys, "train", "wiseodd", "--out", str(run), "--steps", "20", *flags)[0] == 0
    for steps in (35, 50, 60):
        code, err = run_cli(capsys, "train", "--resume", str(run), "--steps", str(steps))
        assert code == 0, err
        saved = json.loads((run / "config.json").read_text())
        assert saved["loop"] == "fast" and saved["xla"] is False and saved["config"]["steps"] == steps
        assert (run / "config.json").stat().st_size < 2_000  # settings, not state
    assert saved == json.loads((straight / "config.json").read_text())
    assert_same_run(straight, run)


def hold_lock(run: Path) -> subprocess.Popen:
    """Another process that holds `run`'s lock, as a second `train` would, until it is killed."""
    code = ("import fcntl, os, sys, time; f = open(sys.argv[1], 'a+'); fcntl.flock(f, fcntl.LOCK_EX); "
            "f.truncate(0); f.write(str(os.getpid())); f.flush(); print('held', flush=True); time.sleep(120)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(run / run_dir.LOCK)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_run_another_process_trains_in_is_left_alone(cli_run: Path, tmp_path: Path, data_dir: str,
                                                       capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Train into it (--overwrite too) or resume it: exit 2, one line naming the PID; nothing deleted or changed."""
    import shutil

    run = shutil.copytree(cli_run, tmp_path / "run")
    holder = hold_lock(run)
    try:
        before = {p: p.read_bytes() for p in run.rglob("*") if p.is_file()}
        for argv in (["wiseodd", "--out", str(run), "--overwrite", "--data", data_dir, *SMALL],
                     ["wiseodd", "--out", str(run), "--data", data_dir, *SMALL],
                     ["--resume", str(run), "--steps", "20"]):
            code, err = run_cli(capsys, "train", *argv)
            assert code == 2 and len(err.strip().splitlines()) == 1, err
            assert f"process {holder.pid} is training in it" in err and f"kill {holder.pid}" in err
        monkeypatch.setattr(run_dir, "ensure_free", lambda run: None)  # as if it began just after the quick check
        with pytest.raises(TfGanError, match=f"process {holder.pid} is training in it"):
            run_dir.create(run, overwrite=True)  # the lock itself refuses, before anything is deleted
        monkeypatch.undo()
        assert before == {p: p.read_bytes() for p in run.rglob("*") if p.is_file()}
    finally:
        holder.kill()
        holder.wait()
    code, err = run_cli(capsys, "train", "--resume", str(run), "--steps", "15")  # kill -9 leaves no stale lock
    assert code == 0, err
    assert checkpoints.latest(run / "checkpoints").endswith("model-15")


def test_a_directory_holding_only_what_a_killed_start_up_leaves_is_empty(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (run / run_dir.LOCK).write_text("12345\n")  # a dead process's PID: the OS holds no lock for it
    (run / ".config.json.x1y2.json").write_text('{"reci')  # killed while writing config.json
    (run / "grids").mkdir()
    assert run_dir.check(run) == run  # no --overwrite needed: there is nothing to lose
    with run_dir.create(run):
        assert sorted(p.name for p in run.iterdir()) == [run_dir.LOCK, "checkpoints", "grids"]
        assert (run / run_dir.LOCK).read_text() == f"{os.getpid()}\n"
    (run / "grids" / "000.png").write_bytes(b"")  # a picture is something: not empty, and no config.json
    with pytest.raises(TfGanError, match="not a tf_gan run"):
        run_dir.check(run)


KILL_FLAGS = ["--batch-size", "32", "--set", "validation_size=100", "--sample-every", "10", "--checkpoint-every",
              "10", "--steps", "60", "--loop", "classic"]


def kill_when(proc: subprocess.Popen, ready, timeout: float = 60) -> None:
    """SIGKILL `proc` the moment `ready()` holds (polled every few milliseconds), or after it ends by itself."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and not ready() and time.monotonic() < deadline:
        time.sleep(0.002)
    proc.kill()
    proc.wait()


def test_kill_9_at_any_moment_never_costs_the_run(tmp_path: Path, data_dir: str) -> None:
    """kill -9 five times: during the imports, at start-up, mid-run, mid-checkpoint, after the final pictures.

    Each time the same command (no config.json yet) or --resume carries on; the run ends
    byte for byte as one never killed. Wherever a kill lands, that must hold.
    """
    straight, run = tmp_path / "straight", tmp_path / "run"
    command = [sys.executable, "-m", "tf_gan", "train", "wiseodd", "--data", data_dir, *KILL_FLAGS]
    done = subprocess.run([*command, "--out", str(straight)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]

    def written(name: str, since: int):
        return lambda: (run / name).exists() and (run / name).stat().st_mtime_ns >= since

    def saving(since: int):  # a checkpoint being written (the Saver's temporary folder), or just written
        return lambda: any((run / "checkpoints").glob("*_temp*")) or written("checkpoints/checkpoint", since)()

    moments = [lambda since: lambda: time.time_ns() - since > 0.5e9,  # Python is still importing TensorFlow
               lambda since: written("config.json", since),  # the run has begun, nothing is trained
               lambda since: written("grids/003.png", since),  # mid-run, past a checkpoint
               saving,
               lambda since: written("losses.png", since)]  # the final pictures are out, the last checkpoint not
    for moment in moments:
        again = [*command, "--out", str(run)] if not (run / "config.json").exists() else \
            [sys.executable, "-m", "tf_gan", "train", "--resume", str(run)]
        since = time.time_ns()
        kill_when(subprocess.Popen(again, stderr=subprocess.DEVNULL), moment(since))
    resumed = subprocess.run([sys.executable, "-m", "tf_gan", "train", "--resume", str(run)], capture_output=True,
                             text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert_same_run(straight, run)
    for name in ("losses.png", "progress.gif"):
        assert (straight / name).read_bytes() == (run / name).read_bytes(), name


@pytest.fixture(scope="module")
def checkpointed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 steps with checkpoints after 10, 20 and 30."""
    return train(wiseodd, wiseodd.Config(steps=30, sample_every=10, batch_size=32), small_datasets(),
                 tmp_path_factory.mktemp("checkpointed") / "run", seed=0, checkpoint_every=10, loop="classic")


@pytest.mark.parametrize("damage", ["truncated", "no index"])
def test_a_damaged_checkpoint_falls_back_to_the_one_before(checkpointed: Path, tmp_path: Path, damage: str,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    import shutil

    run = shutil.copytree(checkpointed, tmp_path / "run")
    if damage == "truncated":
        data = run / "checkpoints" / "model-30.data-00000-of-00001"
        data.write_bytes(data.read_bytes()[:5_000])  # the disk filled up
    else:
        (run / "checkpoints" / "model-30.index").unlink()
    assert checkpoints.latest_usable(run / "checkpoints").endswith("model-20")
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "model-30 damaged" in warnings[0] and "using model-20" in warnings[0]
    assert "\n" not in warnings[0]
    assert sample(run, 4).shape == (4, 784)  # sample and evaluate read the whole one too
    caplog.set_level("INFO")
    train(wiseodd, wiseodd.Config(steps=30, sample_every=10, batch_size=32), small_datasets(), run, seed=0,
          resume=True)
    assert "resuming" in caplog.text and "at step 20 of 30" in caplog.text
    assert_same_run(checkpointed, run)


def test_no_whole_checkpoint_is_one_line(checkpointed: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    run = shutil.copytree(checkpointed, tmp_path / "run")
    for data in (run / "checkpoints").glob("*.data-*"):
        data.write_bytes(data.read_bytes()[:100])
    for argv in (["train", "--resume", str(run), "--steps", "40"], ["sample", str(run), "--out", "x.npy"]):
        code, err = run_cli(capsys, *argv)
        assert code == 2 and len(err.strip().splitlines()) == 1, err
        assert "every checkpoint is damaged (model-30, model-20, model-10" in err and "--overwrite" in err


def test_a_resume_from_python_keeps_the_runs_settings_and_refuses_changes(tmp_path: Path) -> None:
    """train(..., resume=True) as `train --resume`: a setting left out is the run's own, a changed one refused."""
    run = train(wiseodd, dataclasses.replace(SHORT, steps=20), small_datasets(),
                tmp_path / "run", seed=4, xla=False)
    with pytest.raises(TfGanError, match="was trained with seed=4, not 5"):
        train(wiseodd, SHORT, small_datasets(), run, seed=5, resume=True)
    with pytest.raises(TfGanError, match="was trained with h_dim=128, not 64"):
        train(wiseodd, dataclasses.replace(SHORT, h_dim=64), small_datasets(), run, resume=True)
    with pytest.raises(TypeError, match="not run settings: sed"):
        train(wiseodd, SHORT, small_datasets(), run, sed=4, resume=True)
    train(wiseodd, SHORT, small_datasets(), run, resume=True)  # no seed given: the run's
    saved = json.loads((run / "config.json").read_text())
    assert saved["seed"] == 4 and saved["config"]["steps"] == 60 and saved["xla"] is False
