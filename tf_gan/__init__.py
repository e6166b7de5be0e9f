"""tf_gan: the classic vanilla-GAN-on-MNIST tutorials, runnable in TF1 graph style on TensorFlow 2.

A lesson's short imports: ``from tf_gan import load_mnist, graph_mode, dense, save_grid``
and the like reach into the package's folders (listed in SHORT below). They load on first
use, so ``import tf_gan`` stays quick and sets TensorFlow's environment before anything
imports TensorFlow.
"""

import importlib
import os

# Set before anything imports TensorFlow (every tf_gan module comes through here first):
# no C++ start-up chatter in a lesson's output, and TensorFlow's own Eigen kernels rather
# than oneDNN's, which choose among more code paths by the CPU's instruction set at run
# time (their banner warns that results differ slightly). Neither makes two different
# CPUs agree to the last bit (docs/command-line.md, "Repeatable"); oneDNN is somewhat faster, most for
# keras_gan's larger matrices: export TF_ENABLE_ONEDNN_OPTS=1 to have it.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

__version__ = "0.1.0"

SHORT = {  # name -> the module that defines it
    "load_mnist": "tf_gan.data", "read_data_sets": "tf_gan.data", "graph_mode": "tf_gan.graph",
    "dense": "tf_gan.layers", "batch_norm": "tf_gan.layers", "sample_z": "tf_gan.noise",
    "d_loss": "tf_gan.losses", "g_loss": "tf_gan.losses", "save_grid": "tf_gan.viz.images",
    "save_gif": "tf_gan.viz.images", "to_unit_range": "tf_gan.viz.images", "train": "tf_gan.run.trainer",
    "diagnose_rows": "tf_gan.eval.diagnose", "explain": "tf_gan.eval.diagnose",
}


def __getattr__(name: str) -> object:
    if name in SHORT:
        return getattr(importlib.import_module(SHORT[name]), name)
    raise AttributeError(f"module 'tf_gan' has no attribute {name!r}")
