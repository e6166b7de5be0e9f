"""Time to quality: the wiseodd lesson's classifier score against wall-clock seconds, for each loop.

    python bench/time_to_quality.py [--steps 20000] [--eval-every 2000] [--out out/bench]

Trains the same run (seed 0, the bundled MNIST) once with ``--loop classic`` and once with
``--loop fast``, one after the other, each judging its samples every ``--eval-every`` steps
(tf_gan.evaluate's classifier score on 2,000 samples). The seconds are the wall-clock times
TensorBoard recorded for each judgement, counted from the judgement before the first step,
so both include the same number of judgements. Writes time-to-quality.png and .json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator  # noqa: E402

from tf_gan.images import plt, save_figure  # noqa: E402

LOOPS = {"classic": "tab:grey", "fast": "tab:blue"}


def train(loop: str, steps: int, eval_every: int, out: Path) -> Path:
    run = out / f"ttq-{loop}"
    subprocess.run([sys.executable, "-m", "tf_gan", "train", "wiseodd", "--steps", str(steps), "--seed", "0",
                    "--data", "bundled", "--eval-every", str(eval_every), "--loop", loop, "--out", str(run),
                    "--overwrite"], cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return run


def score_over_time(run: Path) -> list[tuple[float, int, float]]:
    """(seconds since the first judgement, step, classifier score) for every judgement of the run."""
    events = EventAccumulator(str(run / "tensorboard"))
    events.Reload()
    scores = events.Scalars("quality/classifier score")
    return [(e.wall_time - scores[0].wall_time, e.step, e.value) for e in scores]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20_000)
    parser.add_argument("--eval-every", type=int, default=2_000)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench")
    args = parser.parse_args()
    curves = {loop: score_over_time(train(loop, args.steps, args.eval_every, args.out)) for loop in LOOPS}

    fig, ax = plt.subplots(figsize=(7, 4))
    for loop, points in curves.items():
        seconds, _, scores = zip(*points)
        ax.plot(seconds, scores, marker=".", color=LOOPS[loop],
                label=f"{loop} loop: {args.steps:,} steps in {seconds[-1]:.0f} s")
    ax.set(xlabel="wall-clock seconds (2,000-sample judgements included)", ylabel="classifier score (1 to 10)",
           title=f"wiseodd, seed 0: the same scores at the same steps, sooner")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    save_figure(fig, args.out / "time-to-quality.png")
    (args.out / "time-to-quality.json").write_text(json.dumps(
        {loop: [{"seconds": s, "step": step, "classifier_score": v} for s, step, v in points]
         for loop, points in curves.items()}, indent=2) + "\n")
    for loop, points in curves.items():
        print(f"{loop:8s} {points[-1][0]:6.1f} s to step {points[-1][1]}, score {points[-1][2]:.2f}")
    same = [a[1:] for a in curves["classic"]] == [b[1:] for b in curves["fast"]]
    print("scores at equal steps:", "identical" if same else "DIFFERENT")


if __name__ == "__main__":
    main()
