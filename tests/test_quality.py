"""`train --eval-every K`: sample quality judged as training goes, without changing the training.

The real classifier takes minutes to train, so a weak one trained in seconds on the tests'
small data is planted in TF_GAN_CACHE, as in test_evaluate.py: runs find it there.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from conftest import every_tensor, run_cli, small_datasets, stop_at, weak_classifier_cache, write_idx_dir

from tf_gan.eval import classifier as clf
from tf_gan.data import Datasets
from tf_gan.errors import Interrupted, TfGanError
from tf_gan.graph import tf1
from tf_gan.recipes import wiseodd
from tf_gan.run.trainer import train

QUICK = clf.Schedule(epochs=0.05)
CFG = wiseodd.Config(steps=25, sample_every=10, batch_size=32)
EVERY, N = 10, 64
STEPS = [0, 10, 20, 25]  # before the first step, every EVERY steps, after the last


@pytest.fixture(scope="module", autouse=True)
def cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A weak classifier in TF_GAN_CACHE, for this module's runs to judge with."""
    with weak_classifier_cache(tmp_path_factory.mktemp("cache"), QUICK) as directory:
        yield directory


def judged(run: Path, cfg: wiseodd.Config = CFG, **kwargs) -> Path:
    return train(wiseodd, cfg, small_datasets(), run, seed=0, eval_every=EVERY, eval_n=N, **kwargs)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return judged(tmp_path_factory.mktemp("judged") / "run", xla=False)  # the classic loop's numbers, sooner


def quality_rows(run: Path) -> list[dict[str, str]]:
    return list(csv.DictReader((run / "quality.csv").open()))


def test_quality_rows_at_every_k_steps_and_after_the_last(run: Path) -> None:
    rows = quality_rows(run)
    assert [int(r["step"]) for r in rows] == STEPS
    assert list(rows[0]) == ["step", "classifier_score", "frechet_distance", "classes_hit"]
    assert all(1 <= float(r["classifier_score"]) <= 10 and float(r["frechet_distance"]) >= 0
               and 0 <= int(r["classes_hit"]) <= 10 for r in rows)
    assert (run / "quality.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    config = json.loads((run / "config.json").read_text())
    assert config["eval_every"] == EVERY and config["eval_n"] == N
    events = [e for f in (run / "tensorboard").iterdir() for e in tf1.train.summary_iterator(str(f))]
    for tag in ("quality/classifier score", "quality/Frechet distance", "quality/classes hit"):
        assert [e.step for e in events for v in e.summary.value if v.tag == tag] == STEPS, tag


def test_judging_changes_nothing_in_the_training(run: Path, tmp_path: Path) -> None:
    """Byte for byte: every variable, the data order and noise of the loop state, the losses and the grids."""
    plain = train(wiseodd, CFG, small_datasets(), tmp_path / "plain", seed=0, xla=False)
    a, b = every_tensor(run), every_tensor(plain)
    assert a.keys() == b.keys()
    for name in a.keys() - {"train_loop/state"}:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)
    state_a, state_b = (json.loads(t) for t in (a["train_loop/state"], b["train_loop/state"]))
    assert state_a["hooks"].pop("Quality")["quality"] and "Quality" not in state_b["hooks"]  # no judging: none
    assert state_a == state_b
    assert (run / "losses.csv").read_bytes() == (plain / "losses.csv").read_bytes()
    assert all(g.read_bytes() == (plain / "grids" / g.name).read_bytes() for g in (run / "grids").iterdir())
    assert not (plain / "quality.csv").exists() and not (plain / "quality.png").exists()


@pytest.mark.slow
def test_a_stopped_and_resumed_run_keeps_its_quality_rows(run: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    stopped = tmp_path / "run"
    stop_at(monkeypatch, wiseodd, call=13)
    with pytest.raises(Interrupted):
        judged(stopped, loop="classic")
    assert [int(r["step"]) for r in quality_rows(stopped)] == [0, 10]
    assert (stopped / "quality.png").is_file()  # the curves so far, as after every stop
    monkeypatch.undo()
    judged(stopped, resume=True)
    assert (stopped / "quality.csv").read_bytes() == (run / "quality.csv").read_bytes()


@pytest.mark.slow
def test_a_lengthened_run_is_judged_as_if_trained_that_long(run: Path, tmp_path: Path) -> None:
    """The short run's row after its last step (15) is not one a longer run has."""
    short = judged(tmp_path / "run", wiseodd.Config(steps=15, sample_every=10, batch_size=32), xla=False)
    assert [int(r["step"]) for r in quality_rows(short)] == [0, 10, 15]
    judged(short, resume=True)
    assert (short / "quality.csv").read_bytes() == (run / "quality.csv").read_bytes()


@pytest.mark.slow
def test_the_command_line_judges_and_resume_keeps_judging(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO")
    data = f"idx:{write_idx_dir(tmp_path / 'mnist', small_datasets().raw)}"  # the data the cached classifier knows
    run = tmp_path / "run"
    code, err = run_cli(capsys, "train", "wiseodd", "--steps", "10", "--batch-size", "32", "--sample-every", "5",
                        "--set", "validation_size=100", "--eval-every", "5", "--eval-n", "50", "--data", data,
                        "--out", str(run))
    assert code == 0, err
    assert [int(r["step"]) for r in quality_rows(run)] == [0, 5, 10]
    code, err = run_cli(capsys, "train", "--resume", str(run), "--steps", "20")
    assert code == 0, err
    assert [int(r["step"]) for r in quality_rows(run)] == [0, 5, 10, 15, 20]
    assert json.loads((run / "config.json").read_text())["eval_n"] == 50
    assert "quality after 20 steps: classifier score" in caplog.text
    assert "training tf_gan's MNIST classifier" not in caplog.text  # the cached one was used


@pytest.mark.slow
def test_parzen_every_adds_the_parzen_window_even_to_a_resumed_run(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A run judged without it, resumed with --parzen-every: the earlier rows keep empty Parzen cells."""
    data = f"idx:{write_idx_dir(tmp_path / 'mnist', small_datasets().raw)}"
    run = tmp_path / "run"
    code, err = run_cli(capsys, "train", "wiseodd", "--steps", "10", "--batch-size", "32", "--sample-every", "5",
                        "--set", "validation_size=100", "--eval-every", "5", "--eval-n", "50", "--data", data,
                        "--out", str(run))
    assert code == 0, err
    code, err = run_cli(capsys, "train", "--resume", str(run), "--steps", "25", "--parzen-every", "10")
    assert code == 0, err
    rows = quality_rows(run)
    assert [int(r["step"]) for r in rows] == [0, 5, 10, 15, 20, 25]
    assert list(rows[0])[-3:] == ["parzen_nats", "parzen_sigma", "parzen_monitor_nats"]
    filled = [int(r["step"]) for r in rows if r["parzen_nats"]]
    assert filled == [20, 25]  # every 10 steps from the resume on, and after the last
    assert all(np.isfinite(float(r["parzen_nats"])) and 0.1 <= float(r["parzen_sigma"]) <= 1 for r in rows
               if r["parzen_nats"])
    assert [bool(r["parzen_monitor_nats"]) for r in rows] == [bool(r["parzen_nats"]) for r in rows]
    assert json.loads((run / "config.json").read_text())["parzen_every"] == 10


@pytest.mark.parametrize("argv, message", [
    (["--parzen-every", "5"], "--parzen-every 5 adds to the judgements; give --eval-every K too"),
    (["--eval-every", "0"], "argument --eval-every: must be at least 1; got 0"),
    (["--eval-every", "5", "--eval-n", "1"], "argument --eval-n: must be at least 2; got 1"),
    (["--eval-n", "100"], "--eval-n 100 sets the samples of each judgement; give --eval-every K too"),
])
def test_usage_errors_are_one_line_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, err = run_cli(capsys, "train", "wiseodd", *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err


def test_train_refuses_what_it_cannot_judge(tmp_path: Path) -> None:
    mnist = small_datasets()
    with pytest.raises(TfGanError, match="eval_every must be at least 1; got 0"):
        train(wiseodd, CFG, mnist, tmp_path / "zero", eval_every=0)
    with pytest.raises(TfGanError, match="eval_every needs Datasets from load_mnist or to_datasets"):
        train(wiseodd, CFG, Datasets(mnist.train, mnist.validation, mnist.test), tmp_path / "raw", eval_every=5)
    assert not (tmp_path / "zero").exists() and not (tmp_path / "raw").exists()
