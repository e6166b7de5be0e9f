"""Shared test fixtures: small data sets written on the spot, so most tests need no download."""

from __future__ import annotations

import contextlib
import gzip
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import tf_gan  # noqa: F401  (sets TensorFlow's environment before anything imports it)
from tf_gan.cli import main
from tf_gan.graph import tf1
from tf_gan.run import checkpoints
from tf_gan.run.sample import sample
from tf_gan.data import IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, IDX_NAMES, RawMnist, to_datasets


def write_idx(path: Path, array: np.ndarray, magic: int, gz: bool = False) -> Path:
    """Write `array` (uint8) as an IDX file: magic, one big-endian int32 per dimension, data."""
    header = magic.to_bytes(4, "big") + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    blob = header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()
    path.write_bytes(gzip.compress(blob) if gz else blob)
    return path


def tiny_raw(n_train: int = 60, n_test: int = 20, seed: int = 0) -> RawMnist:
    """Random 'digits' of the right shapes, with every label present."""
    rng = np.random.default_rng(seed)
    return RawMnist(
        rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        np.arange(n_train) % 10,
        rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        np.arange(n_test) % 10,
    )


def write_idx_dir(directory: Path, raw: RawMnist, gz: bool = False) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for key, stem in IDX_NAMES.items():
        magic = IDX_IMAGES_MAGIC if key.endswith("images") else IDX_LABELS_MAGIC
        write_idx(directory / (stem + (".gz" if gz else "")), getattr(raw, key), magic, gz)
    return directory


@pytest.fixture
def idx_dir(tmp_path: Path) -> Path:
    return write_idx_dir(tmp_path / "mnist", tiny_raw())


def small_datasets(pixel_range: str = "01"):
    """A 600-image synthetic MNIST: enough for a few hundred training steps."""
    return to_datasets(tiny_raw(n_train=700, n_test=50), one_hot=False, validation_size=100, seed=0,
                       pixel_range=pixel_range)


@pytest.fixture
def small_mnist():
    return small_datasets()


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """main() in this process; SystemExit (from argparse) counts as a return code."""
    try:
        code = main(list(argv))
    except SystemExit as e:
        code = e.code
    return code, capsys.readouterr().err


@contextlib.contextmanager
def weak_classifier_cache(directory: Path, schedule=None) -> Iterator[Path]:
    """TF_GAN_CACHE pointed at `directory`, holding a quickly trained classifier for small_datasets()' data.

    Runs that judge their samples find it there instead of training tf_gan's real one for minutes.
    """
    from tf_gan.eval import classifier as clf

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(clf.CACHE_ENV, str(directory))
        weak = clf.train_classifier(small_datasets().raw, schedule or clf.Schedule(epochs=0.05))
        clf.save(weak, clf.cache_dir())
        yield clf.cache_dir()


# Helpers of the resume tests, which several test files use ---------------------------------


def every_tensor(run: Path) -> dict[str, np.ndarray]:
    """Everything in the latest checkpoint: weights, Adam's moments and step counts, the loop state."""
    reader = tf1.train.NewCheckpointReader(checkpoints.latest(run / "checkpoints"))
    return {name: reader.get_tensor(name) for name in reader.get_variable_to_shape_map()}


def assert_same_run(a: Path, b: Path) -> None:
    """Byte for byte: every variable, the loss log, every grid, and what `sample --seed 0` draws."""
    ta, tb = every_tensor(a), every_tensor(b)
    assert ta.keys() == tb.keys()
    for name in ta:
        np.testing.assert_array_equal(ta[name], tb[name], err_msg=name)
    assert (a / "losses.csv").read_bytes() == (b / "losses.csv").read_bytes()
    grids = sorted(p.name for p in (a / "grids").iterdir())
    assert grids == sorted(p.name for p in (b / "grids").iterdir())
    assert all((a / "grids" / g).read_bytes() == (b / "grids" / g).read_bytes() for g in grids)
    assert sample(a, 100, seed=0).tobytes() == sample(b, 100, seed=0).tobytes()


def stop_at(monkeypatch: pytest.MonkeyPatch, recipe, call: int, signum: int = signal.SIGINT) -> None:
    """Send ourselves `signum` in the middle of the recipe's `call`-th step, as Ctrl-C would."""
    real_step = recipe.train_step
    calls = iter(range(10**9))

    def step(*args):
        if next(calls) == call:
            os.kill(os.getpid(), signum)
        return real_step(*args)

    monkeypatch.setattr(recipe, "train_step", step)
