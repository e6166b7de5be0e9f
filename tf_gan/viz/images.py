"""Pictures of samples: the posts' grids, and an animation of them, written atomically."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files, not windows: works on a headless classroom server too

import matplotlib.gridspec as gridspec  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402  (Pillow comes with matplotlib)

from tf_gan.files import atomic_path  # noqa: E402


def to_unit_range(samples: np.ndarray, pixel_range: str) -> np.ndarray:
    """Map generator output to [0, 1]: identity for sigmoid outputs, 0.5x + 0.5 for tanh."""
    samples = np.asarray(samples, dtype=np.float32)
    return samples * 0.5 + 0.5 if pixel_range == "pm1" else samples


def save_grid(samples: np.ndarray, path: Path | str, rows: int = 4, cols: int = 4) -> Path:
    """Save `rows * cols` images (pixels in [0, 1]) as one grid PNG, like wiseodd's ``plot``.

    The layout is the post's: a gridspec with 0.05 spacing, ``Greys_r`` (white digits
    on black, as MNIST stores them), no axes. Unlike the post we pin the colour scale
    to [0, 1], so an untrained generator's grey mush looks grey, not contrasty.
    """
    samples = np.asarray(samples)
    if len(samples) < rows * cols:
        raise ValueError(f"a {rows}x{cols} grid needs {rows * cols} samples, got {len(samples)}")
    side = int(round(np.sqrt(samples[0].size)))
    fig = plt.figure(figsize=(cols, rows))
    gs = gridspec.GridSpec(rows, cols)
    gs.update(wspace=0.05, hspace=0.05)
    for i, sample in enumerate(samples[: rows * cols]):
        ax = plt.subplot(gs[i])
        plt.axis("off")
        ax.set_aspect("equal")
        plt.imshow(sample.reshape(side, side), cmap="Greys_r", vmin=0.0, vmax=1.0)
    path = Path(path)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", bbox_inches="tight")
    plt.close(fig)
    return path


def save_figure(fig: plt.Figure, path: Path | str, dpi: int = 100) -> Path:
    """Write a finished matplotlib figure as a PNG, atomically, and free it (figures pile up otherwise)."""
    path = Path(path)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi)
    plt.close(fig)
    return path


def side_by_side(pictures: Sequence[Path], mode: str,
                 background: int | tuple[int, ...]) -> Image.Image:
    """PNGs pasted left to right, tops aligned, 8 pixels apart: a GIF frame showing several grids."""
    opened = []
    for picture in pictures:
        with Image.open(picture) as image:
            opened.append(image.convert(mode))
    gap = 8
    width = sum(i.width for i in opened) + gap * (len(opened) - 1)
    canvas = Image.new(mode, (width, max(i.height for i in opened)), color=background)
    left = 0
    for image in opened:
        canvas.paste(image, (left, 0))
        left += image.width + gap
    return canvas


def save_gif(frames: Sequence[Path | Sequence[Path]], captions: list[str], path: Path | str,
             seconds_per_frame: float = 0.4, color: bool = False) -> Path:
    """Animate grid PNGs into one GIF, each frame captioned (e.g. "after 3000 steps"); the last one lingers.

    A frame may be several PNGs, shown side by side (a conditional run's 4x4 grid and its
    digits). Grids are grey; `color` keeps a figure's colours, each frame reduced to 64 of
    them without dithering (flat areas stay flat, and the file stays small).
    """
    if not frames or len(frames) != len(captions):
        raise ValueError(f"need one caption per frame, got {len(frames)} frames and {len(captions)} captions")
    font = ImageFont.load_default(size=14)
    images: list[Image.Image] = []
    mode, white, black = ("RGB", (255, 255, 255), (0, 0, 0)) if color else ("L", 255, 0)
    for frame, caption in zip(frames, captions):
        grid = side_by_side([frame] if isinstance(frame, (str, Path)) else frame, mode, white)
        size = images[0].size if images else (grid.width, grid.height + 20)  # every frame as big as the first
        canvas = Image.new(mode, size, color=white)
        canvas.paste(grid, (0, 20))
        ImageDraw.Draw(canvas).text((4, 2), caption, fill=black, font=font)
        images.append(canvas.quantize(colors=64, dither=Image.Dither.NONE) if color else canvas)
    durations = [round(1000 * seconds_per_frame)] * len(images)
    durations[-1] *= 5
    path = Path(path)
    with atomic_path(path) as tmp:
        images[0].save(tmp, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0)
    return path
