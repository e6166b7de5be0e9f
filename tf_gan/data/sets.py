"""The posts' MNIST object: ``.train`` / ``.validation`` / ``.test``, each with ``.images``,
``.labels``, ``.num_examples`` and ``next_batch``, as TF1's ``input_data.read_data_sets`` gave it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from tf_gan.data.sources import IMAGE_SIDE, NUM_CLASSES, RawMnist, load_raw, read_idx_dir
from tf_gan.errors import DataError

PixelRange = Literal["01", "pm1"]  # [0, 1] as in wiseodd/golbin, [-1, 1] for tanh generators
VALIDATION_SIZE = 5000  # the TF1 split: the first 5,000 training images, 55,000 left to train
HeldOut = Literal["first", "last"]  # where the validation split lies in the training images
HELD_OUT: tuple[str, ...] = ("first", "last")  # TF1 holds out the first; Goodfellow et al.'s code the last


class DataSet:
    """One split, with the TF1 ``next_batch`` that reshuffles at every epoch."""

    def __init__(self, images: np.ndarray, labels: np.ndarray, rng: np.random.Generator):
        if len(images) != len(labels):
            raise DataError(f"{len(images)} images but {len(labels)} labels")
        self.images = images
        self.labels = labels
        self._rng = rng
        self._order = np.arange(len(images))
        self._index = 0  # position in the current epoch's order
        self.epochs_completed = 0

    @property
    def num_examples(self) -> int:
        return len(self.images)

    def next_batch(self, batch_size: int, shuffle: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """The next `batch_size` examples; an epoch ends when every example was seen once.

        As in TF1, a batch that crosses the end of an epoch takes the rest of the old
        order and the start of a freshly shuffled one.
        """
        picked = self.next_indices(batch_size, shuffle)
        return self.images[picked], self.labels[picked]

    def next_indices(self, batch_size: int, shuffle: bool = True) -> np.ndarray:
        """The positions of the examples ``next_batch`` would return, and the same step forward.

        The fast loop (tf_gan/run/loops.py) gathers the images in the graph from these.
        """
        if not 0 < batch_size <= self.num_examples:
            raise DataError(f"batch size {batch_size} must be between 1 and {self.num_examples}")
        if self._index == 0 and self.epochs_completed == 0 and shuffle:
            self._order = self._rng.permutation(self.num_examples)
        end = self._index + batch_size
        if end <= self.num_examples:
            picked = self._order[self._index:end]
            self._index = end
        else:
            rest = self._order[self._index:]
            self.epochs_completed += 1
            self._order = self._rng.permutation(self.num_examples) if shuffle else self._order
            self._index = batch_size - len(rest)
            picked = np.concatenate([rest, self._order[: self._index]])
        return picked

    def state(self) -> dict:
        """Where the batches are: the epoch's order, the position in it, and the shared generator.

        Saved with every checkpoint, so a resumed run draws exactly the batches an
        uninterrupted one would have drawn.
        """
        return {"order": self._order.tolist(), "index": self._index, "epochs_completed": self.epochs_completed,
                "rng": self._rng.bit_generator.state}

    def restore(self, state: dict) -> None:
        """Continue from a `state()`; the generator is shared with the other splits, as at creation."""
        if len(state["order"]) != self.num_examples:
            raise DataError(f"the saved data order covers {len(state['order'])} images, this split has "
                            f"{self.num_examples}: resume with the data the run was trained on")
        self._order = np.asarray(state["order"], dtype=np.int64)
        self._index = state["index"]
        self.epochs_completed = state["epochs_completed"]
        self._rng.bit_generator.state = state["rng"]

    def random_batch(self, batch_size: int) -> tuple[np.ndarray, np.ndarray]:
        """`batch_size` examples drawn with replacement, as the Keras posts' ``randint`` does."""
        picked = self.random_indices(batch_size)
        return self.images[picked], self.labels[picked]

    def random_indices(self, batch_size: int) -> np.ndarray:
        """The positions of the examples ``random_batch`` would return, drawn the same way."""
        return self._rng.integers(0, self.num_examples, batch_size)


@dataclass
class Datasets:
    train: DataSet
    validation: DataSet
    test: DataSet
    raw: RawMnist | None = field(default=None, repr=False)  # what they were made from: the classifier is cached for it


def read_data_sets(
    train_dir: str | Path,
    one_hot: bool = False,
    validation_size: int = VALIDATION_SIZE,
    seed: int = 0,
    pixel_range: PixelRange = "01",
    held_out: HeldOut = "first",
) -> Datasets:
    """The posts' ``input_data.read_data_sets(dir)``, over a directory of IDX files."""
    return to_datasets(read_idx_dir(train_dir), one_hot, validation_size, seed, pixel_range, held_out)


def load_mnist(
    source: str = "auto",
    one_hot: bool = False,
    validation_size: int = VALIDATION_SIZE,
    seed: int = 0,
    pixel_range: PixelRange = "01",
    held_out: HeldOut = "first",
) -> Datasets:
    """MNIST from `source` (``auto``, ``bundled``, ``tfds`` or ``idx:PATH``) as TF1 Datasets."""
    return to_datasets(load_raw(source), one_hot, validation_size, seed, pixel_range, held_out)


def as_one_hot(labels: np.ndarray) -> np.ndarray:
    """Digit labels as the posts' ``one_hot=True`` rows of 10 float32s (one-hot rows stay as such).

    A conditional GAN's y placeholder takes these: the digit is an input the network multiplies.
    """
    labels = np.asarray(labels)
    if labels.ndim == 2:
        return labels.astype(np.float32)
    return np.eye(NUM_CLASSES, dtype=np.float32)[labels]


def unit_images(images: np.ndarray) -> np.ndarray:
    """uint8 (n, 28, 28) digits as float32 (n, 784) in [0, 1]: the posts' input, and what every judge reads."""
    return images.reshape(len(images), IMAGE_SIDE * IMAGE_SIDE).astype(np.float32) / 255.0


def split_at(n_train: int, validation_size: int, held_out: HeldOut = "first") -> tuple[slice, slice]:
    """(training, validation) positions among `n_train` training images: the validation split first or last."""
    if not 0 <= validation_size < n_train:
        raise DataError(f"validation size {validation_size} must be below the {n_train} training images; "
                        "use the full MNIST files or a smaller validation_size")
    if held_out not in HELD_OUT:
        raise DataError(f"held_out must be one of {', '.join(HELD_OUT)}, got {held_out!r}")
    if held_out == "last":
        return slice(0, n_train - validation_size), slice(n_train - validation_size, n_train)
    return slice(validation_size, n_train), slice(0, validation_size)


Split = tuple[int, HeldOut]  # (how many training digits are held out, "first" or "last")


def held_out_of(validation_size: int, held_out: HeldOut) -> Split:
    """The split a run's Parzen width is chosen on: its own held-out digits, or TF1's first 5,000 if it kept none."""
    return (validation_size, held_out) if validation_size > 0 else (VALIDATION_SIZE, "first")


def validation_digits(raw: RawMnist, held_out: Split) -> np.ndarray:
    """The held-out training digits as (N, 784) in [0, 1], by split_at's rule (all of them, if a small data set
    has no more)."""
    size, where = held_out
    n = len(raw.train_images)
    return unit_images(raw.train_images if size >= n else raw.train_images[split_at(n, size, where)[1]])


def to_datasets(
    raw: RawMnist, one_hot: bool, validation_size: int, seed: int, pixel_range: PixelRange,
    held_out: HeldOut = "first",
) -> Datasets:
    """Split, flatten to 784 floats and scale, as TF1's reader did (float32, reshape=True)."""
    trained, held = split_at(len(raw.train_images), validation_size, held_out)
    rng = np.random.default_rng(seed)

    def split(images: np.ndarray, labels: np.ndarray) -> DataSet:
        x = unit_images(images)
        if pixel_range == "pm1":
            x = x * 2.0 - 1.0
        y = as_one_hot(labels) if one_hot else labels.astype(np.int64)
        return DataSet(x, y, rng)

    return Datasets(
        train=split(raw.train_images[trained], raw.train_labels[trained]),
        validation=split(raw.train_images[held], raw.train_labels[held]),
        test=split(raw.test_images, raw.test_labels),
        raw=raw,
    )
