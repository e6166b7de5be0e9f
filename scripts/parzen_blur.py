"""How much of the Parzen-window figure is smoothness: a run's samples, and real digits, blurred a little.

    python scripts/parzen_blur.py RUN [--blur 0.5 1.0] [--data bundled]

Draws the 10,000 samples `tf_gan evaluate RUN` draws (seed 0), then measures the Parzen
window exactly as `evaluate` does (the width chosen on the run's held-out digits, the
log-likelihood of the 10,000 test digits) on those samples as drawn and blurred by a
Gaussian of each given width in pixels; then the same for 10,000 real training digits
(the first 10,000 the run trained on: fresh draws from the distribution, none held out,
none from the test set). Prints a Markdown table for the README. A blur changes no
digit's shape, yet moves the figure by tens of nats: Theis, van den Oord and Bethge
(2016) made this point about the measure.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import tf_gan  # noqa: F401  (TensorFlow's environment first)
from tf_gan.data import load_raw, resolve_source, split_at, unit_images
from tf_gan.data import held_out_of, validation_digits
from tf_gan.eval.metrics import parzen
from tf_gan.run import record
from tf_gan.run.sample import checkpoint_of, sample


def blurred(images: np.ndarray, width: float) -> np.ndarray:
    """(N, 784) images convolved with a Gaussian of `width` pixels (a separable 7x7 kernel), clipped to [0, 1]."""
    if width == 0:
        return images
    offsets = np.arange(-3, 4)
    kernel = np.exp(-offsets**2 / (2 * width**2))
    kernel /= kernel.sum()
    square = images.reshape(-1, 28, 28).astype(np.float64)
    padded = np.pad(square, ((0, 0), (3, 3), (3, 3)))
    rows = sum(k * padded[:, 3 + d:31 + d, :] for d, k in zip(offsets, kernel))
    both = sum(k * rows[:, :, 3 + d:31 + d] for d, k in zip(offsets, kernel))
    return np.clip(both, 0, 1).reshape(-1, 784).astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("--blur", type=float, nargs="+", default=[0.5, 1.0], help="widths in pixels")
    parser.add_argument("--data", default="bundled")
    args = parser.parse_args()
    cfg = record.read(args.run).config
    raw = load_raw(resolve_source(args.data))
    validation = validation_digits(raw, held_out_of(cfg.validation_size, cfg.held_out))
    test = unit_images(raw.test_images)
    drawn = sample(args.run, 10_000, 0, checkpoint_of(args.run))
    trained_on = split_at(len(raw.train_images), cfg.validation_size, cfg.held_out)[0]
    real = unit_images(raw.train_images[trained_on][:10_000])
    print("| images | blur (pixels) | Parzen (nats) | sigma |")
    print("|---|---|---|---|")
    for what, images in ((f"`{args.run.name}` samples", drawn), ("real training digits", real)):
        for width in [0.0, *args.blur]:
            fit = parzen(blurred(images, width), validation, test)
            print(f"| {what} | {width:g} | {fit.mean:.1f} ± {fit.stderr:.1f} | {fit.sigma:.3f} |", flush=True)


if __name__ == "__main__":
    main()
