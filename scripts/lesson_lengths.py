"""How good are the lessons' pictures at their default lengths? Measured on a few seeds.

    .venv/bin/python scripts/lesson_lengths.py            # every row (about 30 minutes on 2 cores)
    .venv/bin/python scripts/lesson_lengths.py gfg-30ep   # only these rows

Each lesson trains the same graph as its recipe (tests/test_lesson_graphs.py), so each row
trains the recipe for the lesson's length with `tf_gan train` (the fast loop) and judges
its samples as it goes (`--eval-every`, 10,000 samples, tf_gan's classifier): the score
and classes hit at the end, and the fewest classes hit along the way. A lesson's own run
draws its noise from another generator than the trainer's: the same kind of outcome,
not the same digits. Writes out/lesson-lengths/table.md and prints it.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "out" / "lesson-lengths"
SEEDS = (0, 1, 2)
# name -> (recipe, length flags, judge every K steps): the lessons' defaults, and longer where it helps
ROWS = {
    "wiseodd-5k": ("wiseodd", ["--steps", "5000"], 1000),
    "wiseodd-20k": ("wiseodd", ["--steps", "20000"], 5000),  # make demo's length until it changed
    "wiseodd-30k": ("wiseodd", ["--steps", "30000"], 5000),  # near the best score of a 100,000-step run
    "keras_gan-4k": ("keras_gan", ["--steps", "4000"], 1000),
    "gfg-30ep": ("gfg", ["--epochs", "30"], 2750),
    "gfg-60ep": ("gfg", ["--epochs", "60"], 5500),
    "golbin-30ep": ("golbin", ["--epochs", "30"], 2750),
}


def train(name: str, seed: int) -> tuple[Path, float]:
    """Train one row at one seed (kept if it already finished); its directory and training time."""
    recipe, length, every = ROWS[name]
    run = OUT / f"{name}-s{seed}"
    if (run / "quality.png").is_file():
        return run, float((run / "seconds.txt").read_text())
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tf_gan", "train", recipe, *length, "--seed", str(seed), "--data", "bundled",
                    "--eval-every", str(every), "--eval-n", "10000", "--out", str(run), "--overwrite"],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - began
    (run / "seconds.txt").write_text(f"{seconds:.0f}")
    return run, seconds


def row(name: str, seed: int) -> str:
    run, seconds = train(name, seed)
    quality = list(csv.DictReader((run / "quality.csv").open()))
    last = quality[-1]
    fewest = min(int(r["classes_hit"]) for r in quality[1:])  # after training began
    return (f"| {name} | {seed} | {float(last['classifier_score']):.2f} | {int(last['classes_hit'])} | {fewest} | "
            f"{float(last['frechet_distance']):.1f} | {seconds:.0f} s |")


def main(names: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    lines = ["| run | seed | classifier score | classes hit | fewest classes along the way | Frechet distance "
             "| time |", "|---|---|---|---|---|---|---|"]
    for name in names or list(ROWS):
        for seed in SEEDS:
            lines.append(row(name, seed))
            print(lines[-1], flush=True)
    (OUT / "table.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
