"""``python -m tf_gan interpolate RUN``: what z means to a trained generator, and whether it copies.

From the run's newest whole checkpoint, with fixed noise (``--seed``):

* pairs of noise vectors, and the straight and the spherical path between them
  (tf_gan/noise.py): ``paths.png`` (a strip per path), ``paths.gif`` (every path moving
  together) and ``paths_read.png``, the digit tf_gan's classifier reads at every step and
  its confidence. A conditional run asks every step of a pair for the same digit;
* a conditional run only: each pair's first z asked for 0 to 9, ``digits.png`` and
  ``digits.gif``: the style stays, the digit changes;
* ``nearest.png`` and ``nearest_distances.png``: samples over their nearest training images,
  real test digits over theirs, and the distances of many of each (tf_gan/eval/nearest.py);
* ``latent.json``: every number behind the pictures.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from tf_gan.data import NUM_CLASSES, load_raw, split_at, unit_images
from tf_gan.eval.classifier import Classifier, load_or_train
from tf_gan.eval.nearest import copying
from tf_gan.files import write_json
from tf_gan.noise import balanced_digits, spherical_path, straight_path
from tf_gan.run.sample import Restored, restored
from tf_gan.viz.images import save_gif, save_grid
from tf_gan.viz.latent import Verdicts, plot_distances, plot_nearest, plot_path_verdicts

log = logging.getLogger(__name__)

PATHS = {"straight": straight_path, "spherical": spherical_path}
SHOWN = 8  # samples and test digits shown beside their nearest training images


def interpolate(run: Path, out: Path | None = None, pairs: int = 4, steps: int = 10, n: int = 1000,
                seed: int = 0, source: str | None = None) -> tuple[Path, list[str]]:
    """Every picture and figure of the walk into `out` (default RUN/latent).

    Returns the folder and a few lines that sum it up.
    """
    out = out or run / "latent"
    rng = np.random.default_rng(seed)
    with restored(run) as generator:
        raw = load_raw(source or generator.record.data or "auto")
        classifier = load_or_train(raw)
        ends = generator.noise(2 * pairs, rng).reshape(pairs, 2, -1)
        record: dict[str, Any] = {"run": str(run), "seed": seed,
                                  "checkpoint": Path(generator.checkpoint).name}
        record["paths"], lines = walk_paths(generator, classifier, ends, steps, out)
        if generator.conditional:
            record["digits"], line = walk_digits(generator, classifier, ends[:, 0], out)
            lines.append(line)
        cfg = generator.record.config
        trained_on = raw.train_images[split_at(len(raw.train_images), cfg.validation_size, cfg.held_out)[0]]
        test = unit_images(raw.test_images[:n])
        train = unit_images(trained_on)
        record["copying"], line = check_copying(generator, train, test, rng, n, out)
        lines.append(line)
    write_json(out / "latent.json", record)
    return out, lines


def walk_paths(generator: Restored, classifier: Classifier, ends: np.ndarray, steps: int,
               out: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Both paths between each pair of noise vectors: strips, a GIF, the classifier's reading."""
    asked = balanced_digits(len(ends)).tolist() if generator.conditional else [None] * len(ends)
    strips, panels, record, lines = [], [], [], []
    for k, ((z0, z1), digit) in enumerate(zip(ends, asked)):
        digits = None if digit is None else np.full(steps, digit)
        title = f"pair {k + 1}" + ("" if digit is None else f", asked for {digit}")
        read = []
        for name, path in PATHS.items():
            images = generator.generate(path(z0, z1, steps), digits)
            strips.append(images)
            read.append(Verdicts.of(name, classifier.predict(images).probs))
            record.append({"pair": k + 1, "path": name, "asked": digit,
                           "read": read[-1].digits.tolist(),
                           "confidence": read[-1].confidence.round(4).tolist()})
            lines.append(f"{title}, {name:9s} path: reads {' '.join(map(str, read[-1].digits))}")
        panels.append((title, read))
    save_grid(np.concatenate(strips), out / "paths.png", len(strips), steps)
    frames = [save_grid(np.stack([strip[j] for strip in strips]),  # a row per pair: both paths
                        out / "frames" / f"path_{j:02d}.png", len(ends), len(PATHS))
              for j in range(steps)]
    there = [f"{j / (steps - 1):.2f} of the way" for j in range(steps)]
    save_gif(frames + frames[-2:0:-1], there + there[-2:0:-1], out / "paths.gif")
    plot_path_verdicts(panels, out / "paths_read.png")
    return record, lines


def walk_digits(generator: Restored, classifier: Classifier, zs: np.ndarray,
                out: Path) -> tuple[list[dict[str, Any]], str]:
    """Each z of `zs` asked for every digit: the style kept, the digit changed, and read back."""
    asked = np.arange(NUM_CLASSES)
    rows = [generator.generate(np.repeat(z[None], NUM_CLASSES, axis=0), asked) for z in zs]
    save_grid(np.concatenate(rows), out / "digits.png", len(zs), NUM_CLASSES)
    frames = [save_grid(np.stack([row[d] for row in rows]), out / "frames" / f"digit_{d}.png",
                        1, len(zs)) for d in asked]
    save_gif(frames, [f"asked for {d}" for d in asked], out / "digits.gif", seconds_per_frame=0.8)
    read = [Verdicts.of(f"z {k + 1}", classifier.predict(row).probs) for k, row in enumerate(rows)]
    plot_path_verdicts([("one z per line, asked for 0 to 9", read)], out / "digits_read.png",
                       xlabel="digit asked", x=asked)
    right = sum(int(np.sum(v.digits == asked)) for v in read)
    record = [{"z": k + 1, "read": v.digits.tolist(), "confidence": v.confidence.round(4).tolist()}
              for k, v in enumerate(read)]
    return record, (f"one z across ten digits: {right} of {len(zs) * NUM_CLASSES} "
                    "read as the digit asked")


def check_copying(generator: Restored, train: np.ndarray, test: np.ndarray,
                  rng: np.random.Generator, n: int, out: Path) -> tuple[dict[str, float], str]:
    """`n` samples' nearest training images against `test` digits': the pictures and the figures."""
    asked = balanced_digits(n) if generator.conditional else None
    samples = generator.generate(generator.noise(n, rng), asked)
    found = copying(samples, train, test)
    shown = [("samples", samples, found.samples), ("real test\ndigits", test, found.test)]
    plot_nearest([(label, images[:SHOWN], train[near.indices[:SHOWN]], near.distances)
                  for label, images, near in shown], out / "nearest.png")
    plot_distances(found.samples.distances, found.test.distances, out / "nearest_distances.png")
    figures = {"samples": n, "test_digits": len(test), "median_sample": found.median_sample,
               "median_test": found.median_test, "rare_distance": found.rare_distance,
               "share_closer": found.share_closer}
    return figures, found.summary()
