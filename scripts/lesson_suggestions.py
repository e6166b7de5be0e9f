"""Every "try this" of the lessons, run as a student runs it, on several seeds: does the run show what the text says?

    python scripts/lesson_suggestions.py [--seeds 0-2] [--out out/suggestions] [--jobs 2]

Each suggestion is the lesson script with the flags its text names (and, where the text
compares, the lesson at its defaults beside it), run on each seed with the bundled data;
what the run printed (or the picture it saved) is boiled down to the one thing the text
promises. Prints a Markdown table for docs/lessons.md: lesson, what its text says, the command,
and what each seed's run showed. A run already made (its output saved) is read again,
not run again; delete `--out` to measure afresh. The paper's suggestions (lesson 09) are
100-epoch trainings: docs/paper.md's table measures them, and this script does not.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from paper_seeds import seed_list
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
TOY_LESSONS = ("06", "07")


@dataclass(frozen=True)
class Run:
    """What one lesson run left: its printed lines, its seconds, its output folder."""

    text: str
    seconds: float
    out: Path


@dataclass(frozen=True)
class Suggestion:
    name: str
    lesson: str  # the script in tutorials/
    says: str  # what the lesson's text promises, in short
    flags: list[str]  # what the text tells the student to pass
    shows: Callable[[Run], str]  # what the run showed, in a few words
    seeds: bool = True  # False: one run (seed 0) is the point, as a timing is


def died(run: Run) -> str:
    match = re.search(r"Iter: (\d+)\s+a loss is no longer a number", run.text)
    return f"died at {int(match.group(1)):,}" if match else "no death"


def d_accuracy(run: Run) -> str:
    accuracies = [float(a) for a in re.findall(r"acc\.: ([\d.]+)%", run.text)]
    tail = accuracies[-len(accuracies) // 5:] or accuracies
    return f"D acc. {np.mean(tail):.0f}% (last fifth)"


def graph_growth(run: Run) -> str:
    match = re.search(r"ops in the graph now: (\d+) \((.*?)\)", run.text)
    return f"{match.group(1)} ops ({match.group(2)}), {run.seconds:.0f} s" if match else "no op count printed"


def grey_strip(run: Run) -> str:
    """The share of the last strip's pixels that are grey (0.25 to 0.75): high for an untrained G."""
    strips = sorted(p for p in run.out.glob("*.png") if re.fullmatch(r"\d{3}\.png", p.name))
    pixels = np.asarray(Image.open(strips[-1]).convert("L"), np.float32) / 255.0
    return f"{np.mean((pixels > 0.25) & (pixels < 0.75)):.0%} grey"


def width_swings(run: Run) -> str:
    stds = [float(s) for s in re.findall(r"G\(z\): mean\s+[-\d.]+ std\s+([\d.]+)", run.text)]
    late = stds[len(stds) // 2:]
    return f"std {min(late):.2f}-{max(late):.2f} in the 2nd half, ends {stds[-1]:.2f}"


def modes(run: Run) -> str:
    hits = re.findall(r"ring, ([\w-]+), lr D [\d.e-]+ G ([\d.e-]+)\s+after \d+ steps: (\d+)/8 modes hit", run.text)
    main = re.search(r"after \d+ steps: (\d+)/8 modes hit", run.text)
    named = [f"{objective[:3]} G {lr}: {count}" for objective, lr, count in hits]
    return "; ".join(([f"main: {main.group(1)}"] if main else []) + named) + " of 8"


SUGGESTIONS = [
    Suggestion("01-raw-log", "01_wiseodd.py", "raw log: most likely nothing at 5,000 steps", ["--loss", "raw_log"], died),
    Suggestion("01-raw-log-12k", "01_wiseodd.py", "raw log at 12,000 steps: deaths on some seeds",
               ["--loss", "raw_log", "--steps", "12000"], died),
    Suggestion("02-default", "02_keras_gan.py", "(defaults, to compare with the next)", [], d_accuracy),
    Suggestion("02-fake-bn-training", "02_keras_gan.py", "D sees fakes made G's way: compare D's accuracy",
               ["--fake-batch-bn", "training"], d_accuracy),
    Suggestion("03-built-once", "03_gfg.py", "(the graph built once, to compare with the next)",
               ["--epochs", "200", "--batches-per-epoch", "5"], graph_growth, seeds=False),
    Suggestion("03-grow-graph", "03_gfg.py", "the post's line: 15 ops more each epoch, and slower",
               ["--grow-graph", "true", "--epochs", "200", "--batches-per-epoch", "5"], graph_growth, seeds=False),
    Suggestion("04-default", "04_golbin.py", "(defaults: digits in the last strip)", [], grey_strip),
    Suggestion("04-bug", "04_golbin.py", "the indentation bug: 30 updates, the last strip still grey",
               ["--one-update-per-epoch", "true"], grey_strip),
    Suggestion("06-default", "06_gan_1d.py", "G's width keeps swinging while D sits near 1/2", [], width_swings),
    Suggestion("06-lr", "06_gan_1d.py", "--lr 1e-3: the same game, other swings", ["--lr", "1e-3"], width_swings),
    Suggestion("07-default", "07_gan_2d.py", "same lr: all 8 modes; G 10x slower: two modes (seed 0)", [], modes),
]


def run_lesson(suggestion: Suggestion, seed: int, out: Path) -> Run:
    folder = out / f"{suggestion.name}-seed{seed}"
    saved = out / f"{folder.name}.txt"
    if saved.exists():
        seconds, text = saved.read_text().split("\n", 1)
        return Run(text, float(seconds), folder)
    data = ["--data", "bundled"] if suggestion.lesson[:2] not in TOY_LESSONS else []  # the toy games make theirs
    command = [sys.executable, str(ROOT / "tutorials" / suggestion.lesson), *suggestion.flags, "--seed", str(seed),
               *data, "--out", str(folder)]
    began = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1"})
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"lesson_suggestions: {folder.name} failed:\n{done.stderr[-2000:]}")
    saved.write_text(f"{seconds:.1f}\n{done.stdout}")
    return Run(done.stdout, seconds, folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=seed_list, default="0-2", help="'0-2' or '0,3,5' (default 0-2)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "suggestions")
    parser.add_argument("--jobs", type=int, default=2, help="lessons run at a time, one thread each (default 2)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    jobs = [(s, seed) for s in SUGGESTIONS for seed in (args.seeds if s.seeds else args.seeds[:1])]
    with ThreadPoolExecutor(args.jobs) as pool:
        runs = list(pool.map(lambda job: run_lesson(*job, args.out), jobs))
    print("| lesson | what its text says | flags | what each seed's run showed |")
    print("|---|---|---|---|")
    for suggestion in SUGGESTIONS:
        shown = [f"seed {seed}: {suggestion.shows(run)}" for (s, seed), run in zip(jobs, runs) if s is suggestion]
        flags = " ".join(suggestion.flags) or "(defaults)"
        print(f"| {suggestion.lesson[:2]} | {suggestion.says} | `{flags}` | {'<br>'.join(shown)} |")


if __name__ == "__main__":
    main()
