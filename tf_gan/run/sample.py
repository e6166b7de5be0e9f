"""Draw samples from a finished (or interrupted) run's newest whole checkpoint."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from tf_gan.errors import TfGanError
from tf_gan.graph import seeded_graph, session, tf1
from tf_gan.noise import sample_z
from tf_gan.recipes.base import Gan, RecipeConfig
from tf_gan.run import checkpoints, record, run_dir
from tf_gan.viz.images import to_unit_range

BATCH = 1000  # generate in chunks so 60,000 samples never need one giant matmul


def checkpoint_of(run: Path | str, own_graph: bool = False) -> str:
    """The newest whole checkpoint of `run` (a damaged one is skipped with a warning): what `sample` draws from."""
    record.read(run, own_graph)  # a directory that is not a run says so first
    ckpt = checkpoints.latest_usable(run_dir.checkpoint_prefix(Path(run)).parent)
    if ckpt is None:
        raise TfGanError(f"{run}: no checkpoint yet; train it first (or let it reach a checkpoint)")
    return ckpt


def sample(run: Path | str, n: int, seed: int = 0, ckpt: str | None = None,
           build: Callable[[RecipeConfig], Gan] | None = None) -> np.ndarray:
    """`n` generated images from `run` as float32 (n, 784) in [0, 1], whatever the recipe's range.

    `ckpt`: the checkpoint to draw from (default: checkpoint_of(run)). `build`: the graph
    of a run trained with a build of its own (tf_gan.run.trainer.train's `build`).
    """
    if n < 1:
        raise TfGanError(f"--n must be at least 1, got {n}")
    rec = record.read(run, own_graph=build is not None)
    cfg = rec.config
    ckpt = ckpt or checkpoint_of(run, own_graph=build is not None)
    graph = seeded_graph(rec.seed)
    with graph.as_default():
        gan = (build or rec.module.build)(cfg)
        saver = tf1.train.Saver()
    graph.finalize()
    rng = np.random.default_rng(seed)
    with graph.as_default():
        checkpoints.check_matches(ckpt, tf1.global_variables(), f"{run}/config.json")
    with session(graph) as sess:
        checkpoints.restore(saver, sess, ckpt, f"{run}/config.json")
        return generate(sess, gan, sample_z(n, cfg.z_dim, rng, cfg.prior), cfg.pixel_range)


def for_evaluation(run: Path, n: int, seed: int) -> tuple[np.ndarray, dict[str, str]]:
    """`n` samples of `run`'s newest whole checkpoint, and what eval.json records of them (tf_gan.eval.evaluate)."""
    ckpt = checkpoint_of(run)
    return sample(run, n, seed, ckpt), {"run": str(run), "checkpoint": Path(ckpt).name}


def generate(sess: tf1.Session, gan: Gan, z: np.ndarray, pixel_range: str) -> np.ndarray:
    """G's images of the noise `z` as float32 (len(z), 784) in [0, 1], in chunks of BATCH."""
    chunks = [sess.run(gan.G_sample, feed_dict={gan.Z: z[i:i + BATCH]}) for i in range(0, len(z), BATCH)]
    images = to_unit_range(np.concatenate(chunks), pixel_range).reshape(len(z), -1)
    return np.clip(images, 0.0, 1.0).astype(np.float32)
