"""Short training runs: what a run directory holds, sampling from it, the NaN guard, repeatability."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import small_datasets

from tf_gan.run import run_dir
from tf_gan.errors import TfGanError, TrainingDiverged
from tf_gan.graph import seeded_graph, tf1
from tf_gan.recipes import wiseodd
from tf_gan.run.sample import sample
from tf_gan.run.trainer import train

SHORT = wiseodd.Config(steps=60, sample_every=20, batch_size=32)


def checkpoint_weights(run: Path) -> dict[str, np.ndarray]:
    reader = tf1.train.NewCheckpointReader(tf1.train.latest_checkpoint(str(run / "checkpoints")))
    return {name: reader.get_tensor(name) for name in reader.get_variable_to_shape_map()
            if "Adam" not in name and "power" not in name and not name.startswith("train_loop")}


@pytest.fixture(scope="module")
def short_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return train(wiseodd, SHORT, small_datasets(), tmp_path_factory.mktemp("runs") / "run", seed=0)


def test_run_directory_holds_config_grids_csv_checkpoint(short_run: Path) -> None:
    config = json.loads((short_run / "config.json").read_text())
    assert config["recipe"] == "wiseodd" and config["config"]["steps"] == 60 and config["seed"] == 0
    # grids before steps 0, 20, 40 and after the last step
    assert sorted(p.name for p in (short_run / "grids").iterdir()) == ["000.png", "001.png", "002.png", "003.png"]
    assert not (short_run / "samples").exists()  # wiseodd's own picture is the 4x4 grid
    assert (short_run / "grids" / "003.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = list(csv.DictReader((short_run / "losses.csv").open()))
    assert [int(r["step"]) for r in rows] == [*range(0, 60, 2), 59]  # every log_every = 20 // 10 steps, and the last
    assert all(0.0 <= float(r["D_real"]) <= 1.0 for r in rows)
    assert tf1.train.latest_checkpoint(str(short_run / "checkpoints")).endswith("model-60")


def test_training_changes_the_weights(short_run: Path) -> None:
    trained = checkpoint_weights(short_run)
    graph = seeded_graph(0)
    with graph.as_default():
        gan = wiseodd.build(SHORT)
        init = tf1.global_variables_initializer()
    with tf1.Session(graph=graph) as sess:
        sess.run(init)
        initial = dict(zip((v.op.name for v in gan.theta_D + gan.theta_G), sess.run(gan.theta_D + gan.theta_G)))
    assert set(initial) == set(trained)
    assert all(not np.array_equal(initial[k], trained[k]) for k in initial)


def test_sample_shape_range_and_seed(short_run: Path) -> None:
    x = sample(short_run, 2500, seed=1)  # more than one generation chunk
    assert x.shape == (2500, 784) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() <= 1.0
    np.testing.assert_array_equal(x[:10], sample(short_run, 10, seed=1))
    assert not np.array_equal(x[:10], sample(short_run, 10, seed=2))


def test_same_seed_same_weights(short_run: Path, small_mnist, tmp_path: Path) -> None:
    again = train(wiseodd, SHORT, small_mnist, tmp_path / "again", seed=0)
    a, b = checkpoint_weights(short_run), checkpoint_weights(again)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert (short_run / "losses.csv").read_text() == (again / "losses.csv").read_text()


def test_planted_nan_in_a_weight_stops_the_run(small_mnist, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The losses of the step still look finite; only the weight check can see it."""
    real_step = wiseodd.train_step

    def poisoned_step(sess, gan, X_mb, sample_Z):
        losses = real_step(sess, gan, X_mb, sample_Z)
        if poisoned_step.calls == 30:
            G_b2 = gan.theta_G[3]
            G_b2.load(np.full(G_b2.shape.as_list(), np.nan, np.float32), sess)
        poisoned_step.calls += 1
        return losses

    poisoned_step.calls = 0
    monkeypatch.setattr(wiseodd, "train_step", poisoned_step)
    cfg = wiseodd.Config(steps=100, sample_every=10, batch_size=32)
    with pytest.raises(TrainingDiverged) as err:
        train(wiseodd, cfg, small_mnist, tmp_path / "nan", seed=0, checkpoint_every=20, loop="classic")
    assert err.value.iteration == 30 and err.value.what == ["G_b2"]
    assert "iteration 30" in str(err.value)
    # the last good checkpoint (step 20) stays; nothing from the bad step was saved
    assert tf1.train.latest_checkpoint(str(tmp_path / "nan" / "checkpoints")).endswith("model-20")


def test_non_finite_loss_is_named(small_mnist, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wiseodd, "train_step", lambda *a: {"D_loss": 0.5, "G_loss": float("inf")})
    with pytest.raises(TrainingDiverged, match=r"iteration 0: non-finite G_loss \(inf\)"):
        train(wiseodd, SHORT, small_mnist, tmp_path / "inf", seed=0, loop="classic")


def test_batch_larger_than_the_data(small_mnist, tmp_path: Path) -> None:
    with pytest.raises(TfGanError, match="--batch-size must be between 1 and 600"):
        train(wiseodd, wiseodd.Config(batch_size=100_000), small_mnist, tmp_path / "bad", seed=0)
    assert not (tmp_path / "bad").exists()


@pytest.mark.parametrize("change, message", [
    ({"steps": 0}, "steps must be at least 1; got 0"),
    ({"loss": "log"}, "loss must be one of sigmoid_ce, raw_log"),
    ({"layout": [5]}, r"layout takes two whole numbers, as \[rows, cols\], or none; got \[5\]"),
    ({"batch_size": True}, "batch_size takes a whole number; got True"),
    ({"h_dim": "128"}, "h_dim takes a whole number; got '128'"),  # a config.json edited by hand
])
def test_impossible_settings_are_refused(change: dict, message: str) -> None:
    with pytest.raises(TfGanError, match=message):
        wiseodd.Config(**change)


def test_last_picture_is_after_the_last_step(small_mnist, tmp_path: Path) -> None:
    cfg = wiseodd.Config(steps=25, sample_every=10, batch_size=32)  # 25 is no multiple of 10
    run = train(wiseodd, cfg, small_mnist, tmp_path / "r", seed=0)
    assert sorted(p.name for p in (run / "grids").iterdir()) == ["000.png", "001.png", "002.png", "003.png"]


def test_sample_from_a_moved_run(short_run: Path, tmp_path: Path) -> None:
    moved = shutil.copytree(short_run, tmp_path / "moved")
    np.testing.assert_array_equal(sample(moved, 4), sample(short_run, 4))
    for f in (moved / "checkpoints").glob("model-*.data-*"):
        f.unlink()  # the moved copy must read its own files, not fall back to the original's
    with pytest.raises(TfGanError, match="every checkpoint is damaged"):
        sample(moved, 4)


@pytest.mark.parametrize("content, message", [
    ("null", "not a valid run config"),
    ('{"recipe": "wiseodd", "config": {"z_dim": "abc"}}', "z_dim takes a whole number; got 'abc'"),
    ('{"recipe": "dcgan", "config": {}}', "unknown recipe 'dcgan'"),
])
def test_sample_refuses_bad_configs(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "config.json").write_text(content)
    with pytest.raises(TfGanError, match=message):
        sample(tmp_path, 4)


def test_sample_before_any_checkpoint(short_run: Path, tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text((short_run / "config.json").read_text())
    with pytest.raises(TfGanError, match="no checkpoint yet"):
        sample(tmp_path, 4)


def test_checkpoint_that_does_not_match_the_config(short_run: Path, tmp_path: Path) -> None:
    run = shutil.copytree(short_run, tmp_path / "edited")
    saved = json.loads((run / "config.json").read_text())
    saved["config"]["z_dim"] = 50
    (run / "config.json").write_text(json.dumps(saved))
    with pytest.raises(TfGanError, match="does not match"):
        sample(run, 4)


@pytest.mark.slow
def test_overwrite_replaces_a_run(small_mnist, tmp_path: Path) -> None:
    first = train(wiseodd, wiseodd.Config(steps=30, sample_every=10, batch_size=32), small_mnist, tmp_path / "r")
    (first / "samples.png").write_bytes(b"")  # what make demo draws beside its run: a second make demo replaces it
    (first / "diverged.json").write_text("{}")  # a run the NaN guard stopped
    again = train(wiseodd, wiseodd.Config(steps=10, sample_every=10, batch_size=32), small_mnist, tmp_path / "r",
                  overwrite=True)
    assert first == again
    assert sorted(p.name for p in (again / "grids").iterdir()) == ["000.png", "001.png"]
    assert tf1.train.latest_checkpoint(str(again / "checkpoints")).endswith("model-10")
    assert not (again / "samples.png").exists() and not (again / "diverged.json").exists()


def test_run_directory_is_never_clobbered(short_run: Path, tmp_path: Path) -> None:
    with pytest.raises(TfGanError, match="already holds a run; continue it with --resume .*, pass --overwrite"):
        run_dir.create(short_run)
    stranger = tmp_path / "notes"
    stranger.mkdir()
    (stranger / "thesis.tex").write_text("precious")
    with pytest.raises(TfGanError, match=r"not a tf_gan run \(thesis.tex\)"):
        run_dir.create(stranger, overwrite=True)
    (stranger / "config.json").write_text('{"recipe": "wiseodd"}')  # looks like a run, but holds more
    with pytest.raises(TfGanError, match="not a tf_gan run"):
        run_dir.create(stranger, overwrite=True)
    assert (stranger / "thesis.tex").read_text() == "precious"
