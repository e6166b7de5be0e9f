"""A loss comparison's table and figures, from the outcomes and the runs' losses.csv and grids."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

from tf_gan.experiments.variants import GRID_COLUMNS, VARIANTS, Outcome, Variant, read_rows, shorten
from tf_gan.files import atomic_path
from tf_gan.viz.images import plt, save_figure

COLORS = {"sigmoid_ce": "tab:blue", "raw_log": "tab:red", "raw_log_eps": "tab:orange", "minimax": "tab:green"}

COLUMNS = ("variant", "seed", "first non-finite step", "non-finite", "last finite step", "D loss", "G loss",
           "D(x)", "D(G(z))", "max form gap")


def table_rows(outcomes: Iterable[Outcome]) -> list[list[str]]:
    """The table as text, the same in CSV and Markdown: numbers to 4 significant digits."""
    def num(x: float | None) -> str:
        return "" if x is None else f"{x:.4g}"

    return [[o.variant, str(o.seed), "none" if o.non_finite_step is None else str(o.non_finite_step),
             shorten(o.non_finite), str(o.last_step), num(o.D_loss), num(o.G_loss), num(o.D_real), num(o.D_fake),
             num(o.max_form_gap)] for o in outcomes]


def write_table(outcomes: list[Outcome], out: Path) -> None:
    rows = table_rows(outcomes)
    with atomic_path(out / "table.csv") as tmp, open(tmp, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell.replace("|", "/") or "-" for cell in row) + " |" for row in rows]
    shown = {o.variant for o in outcomes}
    lines += ["", "Variants:"] + [f"- `{v.name}`: {v.about}" for v in VARIANTS if v.name in shown]
    lines += ["", "Each row is repeated by its own command:"] + [f"- `{o.command}`" for o in outcomes]
    with atomic_path(out / "table.md") as tmp:
        tmp.write_text("\n".join(lines) + "\n")


def plot_curves(out: Path, seeds: list[int], variants: list[Variant]) -> Path:
    """Rows: D loss, G loss, D(x), D(G(z)); one column per seed; a cross where a run stopped being finite."""
    panels = (("D_loss", "D loss"), ("G_loss", "G loss"), ("D_real", "D(x)"), ("D_fake", "D(G(z))"))
    fig, axes = plt.subplots(len(panels), len(seeds), figsize=(4 * len(seeds), 9), sharex=True, sharey="row",
                             squeeze=False)
    for col, seed in enumerate(seeds):
        axes[0, col].set_title(f"seed {seed}")
        for v in variants:
            rows = read_rows(out / "runs" / f"{v.name}-seed{seed}")
            outcome = json.loads((out / "outcomes" / f"{v.name}-seed{seed}.json").read_text())
            steps = [row["step"] for row in rows]
            for r, (key, label) in enumerate(panels):
                ax = axes[r, col]
                ax.plot(steps, [row[key] for row in rows], color=COLORS[v.name], label=v.name if (r, col) == (0, 0)
                        else None, **({"linewidth": 3, "alpha": 0.35} if v.name == "sigmoid_ce" else {"linewidth": 0.8}))
                if outcome["non_finite_step"] is not None:
                    ax.plot(steps[-1], rows[-1][key], marker="x", markersize=9, color=COLORS[v.name])
                if col == 0:
                    ax.set_ylabel(label)
    for ax in axes[-1]:
        ax.set_xlabel("step")
    for ax in axes.flat:
        ax.grid(alpha=0.3)
    fig.legend(loc="upper center", ncol=len(variants), fontsize="small")
    fig.suptitle("same seed, start, data and noise: only the loss differs. Curves that agree lie on top of each "
                 "other\n(sigmoid_ce is the wide pale line); x marks a run's last finite step",
                 y=0.955, fontsize="medium")
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    return save_figure(fig, out / "curves.png")


def plot_grids(out: Path, seed: int, steps: int, variants: list[Variant]) -> Path:
    """The variants' fixed-noise grids side by side (rows) at the same steps (columns)."""
    every = max(1, steps // GRID_COLUMNS)
    shown = list(range(0, -(-steps // every) + 1))  # grid k is the picture after k * every steps
    fig, axes = plt.subplots(len(variants), len(shown), figsize=(1.9 * len(shown), 2.0 * len(variants) + 0.4),
                             squeeze=False)
    for r, v in enumerate(variants):
        stopped = json.loads((out / "outcomes" / f"{v.name}-seed{seed}.json").read_text())["non_finite_step"]
        for c, k in enumerate(shown):
            ax = axes[r, c]
            ax.set_xticks([])
            ax.set_yticks([])
            path = out / "runs" / f"{v.name}-seed{seed}" / "grids" / f"{k:03d}.png"
            if path.exists():
                ax.imshow(plt.imread(path), cmap="Greys_r")
            else:
                ax.text(0.5, 0.5, f"non-finite\nat step {stopped}" if stopped is not None else "missing",
                        ha="center", va="center", color="tab:red", transform=ax.transAxes)
            if r == 0:
                ax.set_title(f"step {min(k * every, steps)}", fontsize="small")
            if c == 0:
                ax.set_ylabel(v.name, fontsize="small")
    fig.suptitle(f"the same fixed noise through each variant's generator, seed {seed}", fontsize="medium")
    fig.tight_layout()
    return save_figure(fig, out / f"grids-seed{seed}.png")


def summary(outcomes: list[Outcome]) -> str:
    """One line per variant: on how many seeds it stopped being finite, and when."""
    lines = []
    for v in VARIANTS:
        mine = [o for o in outcomes if o.variant == v.name]
        if not mine:
            continue
        dead = sorted(o.non_finite_step for o in mine if o.non_finite_step is not None)
        when = f" (at step {', '.join(map(str, dead))})" if dead else ""
        lines.append(f"{v.name:12s} non-finite on {len(dead)} of {len(mine)} seeds{when}")
    return "\n".join(lines)
