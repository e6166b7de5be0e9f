"""Pictures of the toy games: Figure-1 panels on a line, heat maps with arrows in the plane, coverage.

On a line we draw what Goodfellow et al. (2014) draw in their Figure 1: the data's
density, the generator's density, the discriminator's D(x), and below them how G maps
each noise value z to a point x. In the plane we draw what GAN Lab (Kahng et al., 2018)
shows: D(x) as a heat map, real and fake points on it, and an arrow on each fake point
for where G's next update pushes it. Our own drawings, sized for a projector.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from tf_gan.viz.images import plt, save_figure, save_gif
from tf_gan.toy.game import Coverage, Mixture, Snapshot

DATA, FAKE, DISC = "black", "tab:green", "tab:blue"  # the colours of the paper's Figure 1
HEAT = "PRGn"  # purple: D says fake, green: D says real
REAL_DOT, FAKE_DOT, ARROW = "black", "tab:orange", "navy"
MAPPED_LINES = 24  # how many z -> x lines the mapping panel draws


def caption(step: int) -> str:
    return f"after {step} steps"


# One dimension: the paper's Figure 1 -----------------------------------------------------------


def draw_line_game(top: plt.Axes, bottom: plt.Axes, snap: Snapshot, data: Mixture, lo: float, hi: float,
                   legend: bool = True) -> None:
    """Top: p_data (dotted), p_g (solid) and D(x) (dashed). Bottom: z (lower line) mapped to x = G(z).

    p_g is a histogram of G over noise spread evenly on [-1, 1], so it is G's density,
    not a noisy estimate of it. z is drawn on the same scale as x.
    """
    xs = snap.points[:, 0]
    bins = np.linspace(lo, hi, 121)
    p_g, edges = np.histogram(snap.fake[:, 0], bins=bins, density=False)
    p_g = p_g / (len(snap.fake) * np.diff(edges))  # density of all samples, those off the picture too
    top.plot(xs, data.density(xs[:, None]), color=DATA, linestyle=":", linewidth=2.5, label="data density")
    top.stairs(p_g, edges, color=FAKE, linewidth=2, label="generator density")
    top.plot(xs, snap.d, color=DISC, linestyle="--", linewidth=2, label="D(x)")
    top.axhline(0.5, color="grey", linewidth=0.8, alpha=0.6)
    top.set(xlim=(lo, hi), ylim=(0, 1.6))
    top.tick_params(labelbottom=False)
    if p_g.max() > 1.6:
        top.text(0.02, 0.96, f"generator peak {p_g.max():.1f}, off the scale", transform=top.transAxes,
                 va="top", fontsize="small", color=FAKE)
    if legend:
        top.legend(loc="upper right", fontsize="small")

    every = max(1, len(snap.z) // MAPPED_LINES)
    for z, x in zip(snap.z[::every, 0], snap.fake[::every, 0]):
        bottom.annotate("", xy=(np.clip(x, lo, hi), 1), xytext=(z, 0),
                        arrowprops=dict(arrowstyle="->", color=FAKE, linewidth=0.8))
    bottom.axhline(0, color="black", linewidth=1.5)
    bottom.axhline(1, color="black", linewidth=1.5)
    bottom.set(xlim=(lo, hi), ylim=(-0.25, 1.25), yticks=[0, 1], yticklabels=["z", "x"], xlabel="x (and z)")


def line_game_figure(snap: Snapshot, data: Mixture, lo: float, hi: float, title: str = "") -> plt.Figure:
    """One moment of the 1-D game, for a GIF frame (`title` goes before "after N steps")."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(6, 4.2), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    draw_line_game(top, bottom, snap, data, lo, hi)
    top.set_title(f"{title}{caption(snap.step)}")
    fig.tight_layout()
    return fig


def figure_1(snaps: Sequence[Snapshot], data: Mixture, lo: float, hi: float, path: Path | str) -> Path:
    """A row of panels (a), (b), ... at the given moments of training, like the paper's Figure 1."""
    fig, axes = plt.subplots(2, len(snaps), figsize=(4.2 * len(snaps), 4.6), sharex=True, squeeze=False,
                             gridspec_kw={"height_ratios": [3, 1]})
    for i, snap in enumerate(snaps):
        draw_line_game(axes[0, i], axes[1, i], snap, data, lo, hi, legend=i == 0)
        axes[0, i].set_title(f"({chr(ord('a') + i)}) {caption(snap.step)}")
    fig.tight_layout()
    return save_figure(fig, path)


# Two dimensions: GAN Lab's view ---------------------------------------------------------------


def draw_plane_game(ax: plt.Axes, snap: Snapshot, real: np.ndarray, lo: float, hi: float,
                    arrows: int = 150, cover: tuple[Mixture, Coverage] | None = None,
                    dots: int | None = None) -> plt.cm.ScalarMappable:
    """D(x) as a heat map, real (black) and fake (orange) points, and G's push on `arrows` fakes.

    Arrow lengths are relative within one picture: the longest is a tenth of the square's
    side. With `cover`, each mode gets a circle of the hit radius: solid if hit, dashed if
    missed. `dots` draws only the first that many real and fake points (a lighter GIF).
    """
    n = int(round(np.sqrt(len(snap.points))))
    xs, ys = snap.points[:n, 0], snap.points[::n, 1]
    heat = ax.contourf(xs, ys, snap.d.reshape(n, n), levels=np.linspace(0, 1, 11), cmap=HEAT, alpha=0.85)
    real, fake = real[:dots], snap.fake[:dots]
    ax.scatter(real[:, 0], real[:, 1], s=4, color=REAL_DOT, alpha=0.5, label="real", linewidths=0)
    ax.scatter(fake[:, 0], fake[:, 1], s=7, color=FAKE_DOT, alpha=0.8, label="fake (G)", linewidths=0)
    if arrows:
        pick = slice(None, arrows)
        push = snap.push[pick]
        longest = float(np.sqrt((push**2).sum(1)).max()) or 1.0
        ax.quiver(snap.fake[pick, 0], snap.fake[pick, 1], push[:, 0], push[:, 1], color=ARROW, angles="xy",
                  scale_units="xy", scale=longest / (0.1 * (hi - lo)), width=0.004)
    if cover is not None:
        data, result = cover
        for center, hit in zip(data.centers, result.hit):
            ax.add_patch(plt.Circle(center, max(data.std * 3, 0.02 * (hi - lo)), fill=False, linewidth=2,
                                    color="black" if hit else "red", linestyle="-" if hit else "--"))
    ax.set(xlim=(lo, hi), ylim=(lo, hi), aspect="equal")
    return heat


def plane_game_figure(snap: Snapshot, real: np.ndarray, lo: float, hi: float, title: str = "",
                      dots: int = 600) -> plt.Figure:
    """One moment of the 2-D game, for a PNG frame and the GIF: `dots` real and fake points, arrows on 150."""
    fig, ax = plt.subplots(figsize=(5.4, 4.6))
    heat = draw_plane_game(ax, snap, real, lo, hi, dots=dots)
    fig.colorbar(heat, ax=ax, label="D(x): 0 fake ... 1 real")
    ax.legend(loc="upper right", fontsize="small", markerscale=2.5)
    ax.set_title(f"{title}{caption(snap.step)}")
    fig.tight_layout()
    return fig


def plane_panels(panels: Sequence[tuple[str, Snapshot, Coverage | None]], real: np.ndarray, data: Mixture,
                 lo: float, hi: float, path: Path | str, arrows: int = 150) -> Path:
    """Several moments or runs side by side, each titled; with a coverage, its modes circled and counted."""
    fig, axes = plt.subplots(1, len(panels), figsize=(3.9 * len(panels) + 1, 4.4), squeeze=False, layout="constrained")
    for ax, (title, snap, result) in zip(axes[0], panels):
        heat = draw_plane_game(ax, snap, real, lo, hi, arrows, None if result is None else (data, result))
        ax.set_title(title if result is None else f"{title}\n{result.modes_hit}/{len(result.hit)} modes hit, "
                     f"{result.high_quality:.0%} on a mode", fontsize="medium")
    axes[0, 0].legend(loc="upper right", fontsize="small", markerscale=2.5)
    fig.colorbar(heat, ax=list(axes[0]), label="D(x): 0 fake ... 1 real", shrink=0.9)
    return save_figure(fig, path)


# Frames and animation -----------------------------------------------------------------------


def animate(snaps: Sequence[Snapshot], draw: Callable[[Snapshot], plt.Figure], frames_dir: Path | str,
            gif: Path | str, dpi: int = 70) -> Path:
    """Save one PNG per snapshot (NNN.png, numbered in order) and a GIF of them all, each captioned by its step.

    Frames numbered beyond this run's, left by a longer earlier run, are removed: the folder shows one run.
    """
    frames_dir = Path(frames_dir)
    frames = [save_figure(draw(snap), frames_dir / f"{i:03d}.png", dpi=dpi) for i, snap in enumerate(snaps)]
    for stale in frames_dir.glob("[0-9][0-9][0-9].png"):
        if int(stale.stem) >= len(frames):
            stale.unlink()
    return save_gif(frames, [caption(snap.step) for snap in snaps], gif, color=True)
