"""Does the paper's net get going? Its first epochs on several seeds, side by side.

    python scripts/paper_seeds.py [--seeds 0-9] [--epochs 10] [--out out/paper-seeds] [--set KEY=VALUE ...]

Trains `tf_gan train paper` for `--epochs` on each seed (the bundled data, the fast loop
on `--threads` threads, judged every 2,500 updates; a seed already trained to that length
is read, not trained again, so two calls on disjoint seeds can share the cores and a
third call on all of them prints the table) and prints a Markdown table for the README:
per seed, the classifier score, Fréchet distance and classes after the last epoch, and
D's mean verdict on the fakes over the last logged updates. A run whose D calls every
fake fake with near certainty (D(G(z)) < 0.001) has lost the game: G's sigmoid outputs
have saturated, its gradients vanish, and in the one such run we trained to the end
(`results.sh paper-normal-100ep-seed1`, tf_gan's first version of the recipe) it never came back. With seed 0 the same net trains
well, so one run says little about the recipe: this table says how often it starts. A
run whose samples fall in at most two digit classes has collapsed, whatever D says.
`--set` changes a recipe setting as `train --set` does (give each setting its own `--out`),
e.g. which seeds play Algorithm 1 (`--set update=alternating`) at a smaller learning rate.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOST = 1e-3  # D(G(z)) below this: D rejects every fake with certainty
COLLAPSED = 2  # digit classes (of 10) at most, after the last epoch: G draws one or two things, whatever D says
LAST_ROWS = 4  # losses.csv rows averaged for the last verdict
UPDATES_PER_EPOCH = 500  # 50,000 digits in batches of 100


def seed_list(text: str) -> list[int]:
    """'0-9' or '0,3,5' -> the seeds; anything else is a one-line usage error."""
    try:
        if "-" in text:
            first, last = (int(part) for part in text.split("-"))
            seeds = list(range(first, last + 1))
        else:
            seeds = [int(part) for part in text.split(",")]
    except ValueError:
        seeds = []
    if not seeds or min(seeds) < 0:
        raise argparse.ArgumentTypeError(f"seeds must look like 0-9 or 0,3,5, got {text!r}")
    return seeds


def finished(run: Path, epochs: int) -> bool:
    """Did an earlier call train this seed to this length? Then it is read, not trained again."""
    try:
        return int(last_rows(run / "quality.csv", 1)[0]["step"]) == epochs * UPDATES_PER_EPOCH
    except (OSError, IndexError, KeyError, ValueError):
        return False


def train(seed: int, epochs: int, out: Path, threads: int, changes: list[str]) -> None:
    if finished(out, epochs):
        return
    command = [sys.executable, "-m", "tf_gan", "train", "paper", *[f"--set={c}" for c in changes],
               "--epochs", str(epochs), "--eval-every", "2500",
               "--data", "bundled", "--seed", str(seed), "--threads", str(threads), "--loop", "fast",
               "--out", str(out), "--overwrite"]
    log_path = out.parent / f"{out.name}.train.log"
    with log_path.open("w") as log:
        if subprocess.run(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT).returncode != 0:
            sys.exit(f"paper_seeds: training seed {seed} failed; its log is {log_path}")


def last_rows(path: Path, count: int) -> list[dict[str, str]]:
    with path.open() as f:
        return list(csv.DictReader(f))[-count:]


def row(seed: int, run: Path) -> str:
    quality = last_rows(run / "quality.csv", 1)[0]
    verdicts = [float(r["D_fake"]) for r in last_rows(run / "losses.csv", LAST_ROWS)]
    d_fake = sum(verdicts) / len(verdicts)
    classes = int(quality["classes_hit"])
    state = ("lost: D rejects every fake" if d_fake < LOST else
             f"collapsed: {classes} class{'es' if classes > 1 else ''}" if classes <= COLLAPSED else "playing")
    return (f"| {seed} | {float(quality['classifier_score']):.2f} | {float(quality['frechet_distance']):.1f} | "
            f"{quality['classes_hit']} | {d_fake:.2g} | {state} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=seed_list, default="0-9", help="'0-9' or '0,3,5' (default 0-9)")
    parser.add_argument("--epochs", type=int, default=10, help="epochs per run (default 10)")
    parser.add_argument("--threads", type=int, default=2, help="TensorFlow threads per run (default 2; the "
                        "figures depend on it, in their last bits and so in which seeds play)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "paper-seeds")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="changes",
                        help="a recipe setting for every run, as `train --set` (repeatable)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    lines = []
    for seed in args.seeds:
        run = args.out / f"seed{seed}"
        train(seed, args.epochs, run, args.threads, args.changes)
        lines.append(row(seed, run))
        print(lines[-1], file=sys.stderr, flush=True)
    print(f"| seed | classifier score | Fréchet distance | classes >= 1% | D(G(z)) | after {args.epochs} epochs |")
    print("|---|---|---|---|---|---|")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
