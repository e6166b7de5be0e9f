"""Pictures of the latent space: what the classifier reads along a path, and samples beside
their nearest training images."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tf_gan.viz.images import plt, save_figure

SIDE = 28


@dataclass(frozen=True)
class Verdicts:
    """The classifier's reading of each image along one path: its likeliest digit and how sure."""

    name: str  # e.g. "pair 1, straight"
    digits: np.ndarray  # (steps,) int
    confidence: np.ndarray  # (steps,) float in [0, 1]

    @classmethod
    def of(cls, name: str, probs: np.ndarray) -> Verdicts:
        return cls(name, probs.argmax(1), probs.max(1))


def plot_path_verdicts(panels: Sequence[tuple[str, Sequence[Verdicts]]], path: Path | str,
                       xlabel: str = "along the path, from z0 (0) to z1 (1)",
                       x: np.ndarray | None = None) -> Path:
    """A panel per pair of noise vectors: the classifier's confidence along each path, digits on it.

    Where the digit written on a line changes, the path crossed from one digit's region of
    the noise space into another's; a dip in confidence is an image between digits. `x`: the
    points' positions (default: evenly from 0 to 1).
    """
    cols = min(2, len(panels))
    rows = -(-len(panels) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.5 * cols, 3.0 * rows), squeeze=False)
    for ax in axes.flat[len(panels):]:
        ax.axis("off")
    for ax, (title, lines) in zip(axes.flat, panels):
        for k, verdicts in enumerate(lines):
            xs = np.linspace(0.0, 1.0, len(verdicts.digits)) if x is None else x
            ax.plot(xs, verdicts.confidence, marker="o", markersize=9, linewidth=1, color=f"C{k}",
                    label=verdicts.name, alpha=0.8)
            for xi, yi, digit in zip(xs, verdicts.confidence, verdicts.digits):
                ax.text(xi, yi, str(digit), ha="center", va="center", fontsize=7, color="white")
        ax.set(title=title, ylim=(0, 1.08), xlabel=xlabel)
        ax.grid(alpha=0.3)
        ax.legend(fontsize="x-small", loc="lower left")
    for row in axes:
        row[0].set_ylabel("classifier's confidence")
    fig.suptitle("the digit the classifier reads (written on each point) and its probability")
    fig.tight_layout()
    return save_figure(fig, path)


def plot_nearest(rows: Sequence[tuple[str, np.ndarray, np.ndarray, np.ndarray]],
                 path: Path | str) -> Path:
    """Pairs of rows: images (samples, test digits) over their nearest training images, distances.

    `rows`: (label, images (k, 784), their nearest training images (k, 784), distances (k,)).
    """
    cols = max(len(images) for _, images, _, _ in rows)
    fig, axes = plt.subplots(2 * len(rows), cols, figsize=(1.1 * cols, 2.5 * len(rows)),
                             squeeze=False)
    for r, (label, images, found, distances) in enumerate(rows):
        for c in range(cols):
            top, bottom = axes[2 * r][c], axes[2 * r + 1][c]
            for ax in (top, bottom):
                ax.axis("off")
            if c < len(images):
                top.imshow(images[c].reshape(SIDE, SIDE), cmap="Greys_r", vmin=0, vmax=1)
                bottom.imshow(found[c].reshape(SIDE, SIDE), cmap="Greys_r", vmin=0, vmax=1)
                bottom.set_title(f"{distances[c]:.2f}", fontsize=8)
        axes[2 * r][0].text(-4, SIDE / 2, label, ha="right", va="center", fontsize=9)
        axes[2 * r + 1][0].text(-4, SIDE / 2, "nearest\ntraining image", ha="right", va="center",
                                fontsize=8)
    fig.suptitle("each image over its nearest training image (the number: their distance)",
                 fontsize=10)
    fig.subplots_adjust(left=0.16, wspace=0.05, hspace=0.35)
    return save_figure(fig, path)


def plot_distances(samples: np.ndarray, test: np.ndarray, path: Path | str) -> Path:
    """Histograms of the distance to the nearest training image: samples' and real test digits'."""
    fig, ax = plt.subplots(figsize=(6, 3.2))
    bins = np.linspace(0, max(samples.max(), test.max()) * 1.05, 40)
    for values, label, color in ((test, "real test digits", "grey"), (samples, "samples", "C0")):
        ax.hist(values, bins=bins, alpha=0.6, color=color,
                label=f"{label} (median {np.median(values):.2f})")
    ax.set(xlabel="distance to the nearest training image", ylabel="images",
           title="is it copying? a copier's samples would pile up near 0")
    ax.legend(fontsize="small")
    fig.tight_layout()
    return save_figure(fig, path)
