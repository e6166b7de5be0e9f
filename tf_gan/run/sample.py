"""Draw samples from a finished (or interrupted) run's newest whole checkpoint."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tf_gan import recipes
from tf_gan.data import as_one_hot
from tf_gan.errors import TfGanError
from tf_gan.data import held_out_of
from tf_gan.eval.evaluate import Drawn
from tf_gan.graph import seeded_graph, session, tf1
from tf_gan.noise import balanced_digits, sample_z
from tf_gan.recipes.base import Gan, RecipeConfig, generator_feed
from tf_gan.run import checkpoints, record, run_dir
from tf_gan.run.record import RunRecord
from tf_gan.viz.images import to_unit_range

BATCH = 1000  # generate in chunks so 60,000 samples never need one giant matmul


def checkpoint_of(run: Path | str, own_graph: bool = False) -> str:
    """The newest whole checkpoint of `run` (a damaged one is skipped with a warning): what `sample` draws from."""
    record.read(run, own_graph)  # a directory that is not a run says so first
    ckpt = checkpoints.latest_usable(run_dir.checkpoint_prefix(Path(run)).parent)
    if ckpt is None:
        raise TfGanError(f"{run}: no checkpoint yet; train it first (or let it reach a checkpoint)")
    return ckpt


def check_asks_for_digits(run: Path | str, rec: RunRecord, asking: bool) -> None:
    """Refuse, in one line, to ask a run for digits its generator cannot take."""
    if asking and not recipes.is_conditional(rec.module):
        raise TfGanError(f"{run} is a {rec.recipe} run: its generator takes no digit, so there is "
                         "none to ask for (--digit and --balanced need a conditional run: train cgan)")


@dataclass
class Restored:
    """A run's generator restored from a checkpoint into a session: G's images of any noise."""

    record: RunRecord
    sess: tf1.Session
    gan: Gan
    checkpoint: str

    @property
    def conditional(self) -> bool:
        return self.gan.conditional

    def noise(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """`n` noise vectors from the run's prior."""
        return sample_z(n, self.record.config.z_dim, rng, self.record.config.prior)

    def generate(self, z: np.ndarray, digits: np.ndarray | None = None) -> np.ndarray:
        """G's images of `z`, (n, 784) in [0, 1]; a conditional run's asked for `digits`, one per z."""
        labels = None if digits is None else as_one_hot(digits)
        return generate(self.sess, self.gan, z, self.record.config.pixel_range, labels)


@contextlib.contextmanager
def restored(run: Path | str, ckpt: str | None = None,
             build: Callable[[RecipeConfig], Gan] | None = None) -> Iterator[Restored]:
    """The run's graph in a session holding `ckpt` (default: its newest whole checkpoint).

    `build`: the graph of a run trained with a build of its own (the trainer's `build`).
    """
    rec = record.read(run, own_graph=build is not None)
    ckpt = ckpt or checkpoint_of(run, own_graph=build is not None)
    graph = seeded_graph(rec.seed)
    with graph.as_default():
        gan = (build or rec.module.build)(rec.config)
        saver = tf1.train.Saver()
    graph.finalize()
    with graph.as_default():
        checkpoints.check_matches(ckpt, tf1.global_variables(), f"{run}/config.json")
    with session(graph) as sess:
        checkpoints.restore(saver, sess, ckpt, f"{run}/config.json")
        yield Restored(rec, sess, gan, ckpt)


def sample(run: Path | str, n: int, seed: int = 0, ckpt: str | None = None,
           build: Callable[[RecipeConfig], Gan] | None = None,
           digits: np.ndarray | None = None) -> np.ndarray:
    """`n` generated images from `run` as float32 (n, 784) in [0, 1], whatever the recipe's range.

    `ckpt`: the checkpoint to draw from (default: checkpoint_of(run)). `build`: the graph
    of a run trained with a build of its own. `digits`: for a conditional run (cgan), the
    digit to ask for with each noise vector (e.g. ``balanced_digits(n)``).
    """
    if n < 1:
        raise TfGanError(f"--n must be at least 1, got {n}")
    check_asks_for_digits(run, record.read(run, own_graph=build is not None), digits is not None)
    if digits is not None and len(digits) != n:
        raise TfGanError(f"{len(digits)} digits asked for {n} samples: give one per sample")
    with restored(run, ckpt, build) as generator:
        if generator.conditional and digits is None:
            raise TfGanError(f"{run} is a conditional run: ask it for digits (--digit D, --balanced)")
        return generator.generate(generator.noise(n, np.random.default_rng(seed)), digits)


def for_evaluation(run: Path, n: int, seed: int) -> Drawn:
    """`n` samples of `run`'s newest whole checkpoint, and what eval.json records of them.

    A conditional run is asked for each digit equally often (0, 1, ..., 9, 0, ...).
    """
    ckpt = checkpoint_of(run)
    rec = record.read(run)
    asked = balanced_digits(n) if recipes.is_conditional(rec.module) else None
    about = {"run": str(run), "checkpoint": Path(ckpt).name}
    held_out = held_out_of(rec.config.validation_size, rec.config.held_out)
    return Drawn(sample(run, n, seed, ckpt, digits=asked), about, asked, held_out)


def generate(sess: tf1.Session, gan: Gan, z: np.ndarray, pixel_range: str,
             labels: np.ndarray | None = None) -> np.ndarray:
    """G's images of the noise `z` as float32 (len(z), 784) in [0, 1], in chunks of BATCH.

    `labels`: a conditional GAN's one-hot digits asked for, one row per z.
    """
    chunks = []
    for i in range(0, len(z), BATCH):
        asked = None if labels is None else labels[i:i + BATCH]
        chunks.append(sess.run(gan.G_sample, feed_dict=generator_feed(gan, z[i:i + BATCH], asked)))
    images = to_unit_range(np.concatenate(chunks), pixel_range).reshape(len(z), -1)
    return np.clip(images, 0.0, 1.0).astype(np.float32)
