"""The README's conditional-GAN table: does `train cgan` draw the digit it is asked for?

    .venv/bin/python scripts/cgan_results.py                # every row: about 25 minutes on 2 cores
    .venv/bin/python scripts/cgan_results.py cgan-60k-s1    # only these rows

Each row trains cgan with `tf_gan train` (the fast loop, 2 TensorFlow threads, the bundled
data) and measures it with `tf_gan evaluate`: 10,000 samples, 1,000 asked for each digit,
judged by tf_gan's classifier (classifier score, Fréchet distance, Parzen window, and per
digit asked the share read as that digit). The first row is the ceiling: 10,000 real
training digits (outside the validation split) "asked for" their own labels. The lesson's
length is 60,000 steps, on three seeds; the post's 1,000,000 iterations take half an hour
here, so the long row is the longest that trains in about 10 minutes, 300,000 steps, with
120,000 between.
Writes out/cgan-results/table.md (and each run's eval.json) and prints the table, with
this machine's CPU model and each run's training time.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "out" / "cgan-results"
TRAIN = ["--data", "bundled", "--threads", "2", "--overwrite"]
# name -> (steps, seed, judge every K steps)
ROWS = {"cgan-60k-s0": (60_000, 0, 5000), "cgan-60k-s1": (60_000, 1, 5000),
        "cgan-60k-s2": (60_000, 2, 5000), "cgan-120k-s0": (120_000, 0, 10_000),
        "cgan-300k-s0": (300_000, 0, 25_000)}
PAPER = "Mirza and Osindero (2014), Table 1: their conditional net | | | | | 132 ± 1.8 | | |"


def tf_gan(*args: str, log: Path) -> None:
    """``python -m tf_gan ARGS`` with its output in `log`; stop the script if it fails."""
    with open(log, "w") as f:
        subprocess.run([sys.executable, "-m", "tf_gan", *args], cwd=ROOT, stdout=f,
                       stderr=subprocess.STDOUT, check=True)


def real_digits() -> Path:
    """10,000 real training digits outside the validation split, with their labels beside them."""
    from tf_gan.data import VALIDATION_SIZE, load_raw, unit_images
    from tf_gan.files import write_npy

    raw = load_raw("bundled")
    pool = len(raw.train_images) - VALIDATION_SIZE
    picked = np.sort(np.random.default_rng(0).choice(pool, 10_000, replace=False))
    path = OUT / "real.npy"
    write_npy(path, unit_images(raw.train_images[VALIDATION_SIZE:][picked]))
    write_npy(OUT / "real.labels.npy", raw.train_labels[VALIDATION_SIZE:][picked].astype(np.int64))
    return path


def train_and_evaluate(name: str) -> float:
    """Train and evaluate one row; the training's wall-clock seconds."""
    steps, seed, every = ROWS[name]
    began = time.perf_counter()
    tf_gan("train", "cgan", "--steps", str(steps), "--seed", str(seed), "--eval-every", str(every),
           *TRAIN, "--out", str(OUT / name), log=OUT / f"{name}.train.log")
    seconds = time.perf_counter() - began
    tf_gan("evaluate", str(OUT / name), "--data", "bundled", log=OUT / f"{name}.eval.txt")
    (OUT / f"{name}.seconds").write_text(f"{seconds:.0f}\n")
    return seconds


def row(what: str, figures: dict, command: str) -> str:
    asked, parzen = figures["asked_digits"], figures["parzen"]
    shares = ", ".join(f"{100 * s:.1f}" for s in asked["shares"])
    return (f"| {what} | {100 * asked['mean']:.1f}% | {100 * asked['lowest']:.1f}% | "
            f"{figures['classifier_score']:.2f} | {figures['frechet_distance']:.1f} | "
            f"{parzen['mean_nats']:.1f} ± {parzen['stderr_nats']:.1f} | {shares} | {command} |")


def table() -> str:
    lines = ["| samples | read as the digit asked (mean) | lowest digit | classifier score | "
             "Fréchet distance | Parzen (nats) | % read as asked, digits 0..9 | command |",
             "|---|---|---|---|---|---|---|---|"]
    real = OUT / "real.eval.json"
    if real.exists():
        lines.append(row("real training digits, by their labels", json.loads(real.read_text()),
                         "`evaluate real.npy` (its labels beside it)"))
    for name, (steps, seed, every) in ROWS.items():
        path = OUT / name / "eval.json"
        if path.exists():
            minutes = float((OUT / f"{name}.seconds").read_text()) / 60
            flags = " ".join(TRAIN[:4])
            command = (f"`train cgan --steps {steps} --seed {seed} --eval-every {every} {flags}`, "
                       f"then `evaluate` ({minutes:.1f} min)")
            lines.append(row(name, json.loads(path.read_text()), command))
    lines.append(f"| {PAPER} |")
    return "\n".join(lines)


def cpu() -> str:
    """The CPU's model name, family and model numbers, as lscpu gives them."""
    try:
        text = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return platform.processor() or "unknown CPU"
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    get = lambda key: fields.get(key, "?").strip()  # noqa: E731
    return (f"{get('Model name')}, family {get('CPU family')} model {get('Model')}, "
            f"{get('CPU(s)')} CPUs")


def main(names: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    if not names:
        tf_gan("evaluate", str(real_digits()), "--data", "bundled", log=OUT / "real.eval.txt")
    for name in names or list(ROWS):
        print(f"{name}: trained in {train_and_evaluate(name) / 60:.1f} min", flush=True)
    text = f"{table()}\n\nMeasured on {cpu()}.\n"
    (OUT / "table.md").write_text(text)
    print(text)


if __name__ == "__main__":
    unknown = [name for name in sys.argv[1:] if name not in ROWS]
    if unknown:
        sys.exit(f"unknown rows {unknown}: choose from {', '.join(ROWS)}")
    main(sys.argv[1:])
