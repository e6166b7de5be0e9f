"""A run's curves as PNGs: its losses, and its sample quality, to show next to the grids."""

from __future__ import annotations

from pathlib import Path

from matplotlib import ticker

from tf_gan.viz.images import plt, save_figure

D_OUTPUTS = ("D_real", "D_fake")  # mean D(x) and D(G(z)) on the logged batch
LABELS = {"D_real": "D(x)", "D_fake": "D(G(z))"}


def plot_losses(rows: list[dict[str, float]], path: Path | str, title: str = "") -> Path:
    """Losses (left) and mean discriminator outputs (right) against the step.

    D at 0.5 on both real and fake images is the game's equilibrium; D(x) near 1 with
    D(G(z)) near 0 means the discriminator is winning.
    """
    if not rows:
        raise ValueError("no rows to plot: the run logged nothing yet")
    steps = [row["step"] for row in rows]
    losses = [key for key in rows[0] if key.endswith("_loss")]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    for key in losses:
        left.plot(steps, [row[key] for row in rows], label=key.replace("_", " "), linewidth=1)
    left.set(xlabel="step", ylabel="loss", title="losses")
    for key in D_OUTPUTS:
        right.plot(steps, [row[key] for row in rows], label=LABELS[key], linewidth=1)
    right.axhline(0.5, color="grey", linestyle=":", linewidth=1)
    right.set(xlabel="step", ylabel="mean output", ylim=(-0.02, 1.02), title="discriminator outputs")
    for ax in (left, right):
        ax.legend(loc="best", fontsize="small")
        ax.grid(alpha=0.3)
    return save(fig, path, title)


PAPER_PARZEN = 225.0  # Goodfellow et al. (2014), Table 1: adversarial nets on MNIST, 225 +- 2 nats


def plot_quality(rows: list[dict[str, float]], path: Path | str, real_score: float, title: str = "") -> Path:
    """Classifier score (left, with the real test digits' as a dashed line) and Fréchet distance (right).

    A score that climbs towards the real digits' and a distance that falls is a run that
    learns; the step where they turn is where it peaked, and a score that drops while the
    distance rises is collapse. The distance spans orders of magnitude, so its axis is logarithmic.
    More figures follow where the rows have them: how often a conditional run drew the digit
    asked, and the Parzen window's nats (``--parzen-every``) beside the paper's 225.
    """
    if not rows:
        raise ValueError("no rows to plot: the run evaluated nothing yet")
    steps = [row["step"] for row in rows]
    asked = "asked_digit_share" in rows[0]
    parzen = [(row["step"], row["parzen_nats"]) for row in rows if row.get("parzen_nats") is not None]
    panels = 2 + asked + bool(parzen)
    fig, axes = plt.subplots(1, panels, figsize=(5 * panels, 3.6))
    left, right = axes[:2]
    if asked:
        axes[2].plot(steps, [100 * row["asked_digit_share"] for row in rows], marker=".", linewidth=1,
                     color="C2")
        axes[2].set(xlabel="step", ylabel="% of samples", ylim=(0, 101),
                    title="read as the digit asked (higher is better)")
    if parzen:
        plot_parzen(axes[-1], parzen)
    left.plot(steps, [row["classifier_score"] for row in rows], marker=".", linewidth=1, label="samples")
    left.axhline(real_score, color="grey", linestyle="--", linewidth=1, label=f"real test digits ({real_score:.2f})")
    left.set(xlabel="step", ylabel="score (1 to 10)", ylim=(0.8, 10.2), title="classifier score (higher is better)")
    right.plot(steps, [row["frechet_distance"] for row in rows], marker=".", linewidth=1, color="C1")
    right.set(xlabel="step", ylabel="distance", yscale="log",
              title="Fréchet distance to the test digits (lower is better)")
    right.yaxis.set_major_formatter(ticker.LogFormatter(labelOnlyBase=False))  # 300, not 3 x 10^2
    right.yaxis.set_minor_formatter(ticker.LogFormatter(labelOnlyBase=False, minor_thresholds=(2, 0.5)))
    left.legend(loc="best", fontsize="small")
    for ax in axes:
        ax.grid(alpha=0.3)
    return save(fig, path, title)


def plot_parzen(ax: plt.Axes, points: list[tuple[int, float]]) -> None:
    """The Parzen window's nats against the paper's 225. The untrained generator's figure (the first,
    far below) is written in a corner rather than plotted, so the axis shows where the run is going."""
    shown = points[1:] if len(points) > 2 and points[0][0] == 0 else points
    ax.plot(*zip(*shown), marker="o", linewidth=1, color="C3", label="samples")
    ax.axhline(PAPER_PARZEN, color="grey", linestyle="--", linewidth=1, label="Goodfellow et al. 2014 (225)")
    if shown is not points:
        ax.annotate(f"before training: {points[0][1]:.1f}", (0.98, 0.03), xycoords="axes fraction",
                    fontsize="small", horizontalalignment="right")
    ax.set(xlabel="step", ylabel="nats", title="Parzen window (higher is better)", xlim=(0, 1.05 * points[-1][0]))
    ax.legend(loc="best", fontsize="small")


def save(fig: plt.Figure, path: Path | str, title: str) -> Path:
    """Title, lay out and write `fig` as a PNG atomically, then free it (pyplot keeps every open figure)."""
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return save_figure(fig, path)
