"""What each of Keras 2's ways changes in lesson 02's GAN: the lesson's length, each setting alone, several seeds.

    python scripts/keras2_settings.py [--seeds 0-2] [--steps 4000] [--out out/keras2]

Trains `tf_gan train keras_gan` at the lesson's length (4,000 updates) with TF1's graph as
the lesson builds it, then with each Keras 2 behaviour turned on alone (keras2_shared_adam,
keras2_bce_clip, keras2_bn_unbiased) and with all three, on each seed (the bundled data, the
fast loop, one thread each, two runs at a time); judges 10,000 samples at the end
(`--eval-every`); and prints a Markdown table: per setting, the mean classifier score,
Fréchet distance and classes hit over the seeds, and each seed's score. A run already
trained is read, not trained again.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from paper_seeds import seed_list

from tf_gan.files import read_csv

ROOT = Path(__file__).resolve().parents[1]
ARMS = {"tf1 (the lesson)": [], "keras2_shared_adam": ["keras2_shared_adam=true"],
        "keras2_bce_clip": ["keras2_bce_clip=true"], "keras2_bn_unbiased": ["keras2_bn_unbiased=true"],
        "all three": ["keras2_shared_adam=true", "keras2_bce_clip=true", "keras2_bn_unbiased=true"]}


def last_row(run: Path, steps: int) -> dict[str, str] | None:
    try:
        row = read_csv(run / "quality.csv")[-1]
    except (OSError, IndexError, ValueError):
        return None
    return row if int(float(row["step"])) == steps else None


def train(arm: str, seed: int, steps: int, out: Path) -> dict[str, str]:
    run = out / f"{arm.split(' ')[0]}-seed{seed}"
    if (row := last_row(run, steps)) is not None:
        return row
    sets = [part for item in ARMS[arm] for part in ("--set", item)]
    command = [sys.executable, "-m", "tf_gan", "train", "keras_gan", "--steps", str(steps), "--eval-every", str(steps),
               "--eval-n", "10000", "--data", "bundled", "--seed", str(seed), "--threads", "1", *sets,
               "--out", str(run), "--overwrite"]
    with (out / f"{run.name}.log").open("w") as log:
        if subprocess.run(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT).returncode != 0:
            sys.exit(f"keras2_settings: {run.name} failed; its log is {out / f'{run.name}.log'}")
    return last_row(run, steps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=seed_list, default="0-2", help="'0-2' or '0,3,5' (default 0-2)")
    parser.add_argument("--steps", type=int, default=4000, help="updates per run (default 4000, the lesson's)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "keras2")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    jobs = [(arm, seed) for arm in ARMS for seed in args.seeds]
    with ThreadPoolExecutor(2) as pool:
        rows = dict(zip(jobs, pool.map(lambda job: train(*job, args.steps, args.out), jobs)))
    print("| setting | classifier score | Fréchet distance | classes hit | per seed |")
    print("|---|---|---|---|---|")
    for arm in ARMS:
        mine = [rows[(arm, seed)] for seed in args.seeds]
        mean = {key: sum(float(r[key]) for r in mine) / len(mine)
                for key in ("classifier_score", "frechet_distance", "classes_hit")}
        each = ", ".join(f"{float(r['classifier_score']):.2f}" for r in mine)
        print(f"| {arm} | {mean['classifier_score']:.2f} | {mean['frechet_distance']:.1f} | "
              f"{mean['classes_hit']:.1f} | {each} |")


if __name__ == "__main__":
    main()
