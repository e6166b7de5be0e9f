"""The loss curves of a run as one PNG: what a teacher shows next to the grids."""

from __future__ import annotations

from pathlib import Path

from tf_gan.images import plt, save_figure

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
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return save_figure(fig, path)
