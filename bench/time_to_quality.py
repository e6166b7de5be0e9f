"""Time to quality: the wiseodd lesson's classifier score against wall-clock seconds, for each loop.

    python bench/time_to_quality.py [--seeds 0,1,2] [--steps 20000] [--eval-every 2000] [--out out/bench]

For each seed (the bundled MNIST), trains wiseodd once with ``--loop classic`` and once with
the default fast loop, one run at a time, each judging its samples every ``--eval-every``
steps (the classifier score on 2,000 samples, as ``train --eval-every``). The seconds are
the wall-clock times TensorBoard recorded for each judgement, counted from the judgement
before the first step, so both loops include the same judgements. XLA rounds differently
from the classic loop, so the two runs of a seed part ways: the seeds show whether the
fast loop trains as well, not just as fast. Writes time-to-quality.png and .json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tensorboard.backend.event_processing.event_accumulator import EventAccumulator  # noqa: E402

from tf_gan.viz.images import plt, save_figure  # noqa: E402

LOOPS = {"classic": "tab:grey", "fast": "tab:blue"}


def train(loop: str, seed: int, steps: int, eval_every: int, out: Path) -> Path:
    run = out / f"ttq-{loop}-seed{seed}"
    subprocess.run([sys.executable, "-m", "tf_gan", "train", "wiseodd", "--steps", str(steps), "--seed", str(seed),
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
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated (default 0,1,2)")
    parser.add_argument("--steps", type=int, default=20_000)
    parser.add_argument("--eval-every", type=int, default=2_000)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench")
    args = parser.parse_args()
    seeds = [int(seed) for seed in args.seeds.split(",")]
    curves = {loop: {} for loop in LOOPS}
    for seed in seeds:  # the loops take turns, so a machine that slows down slows both
        for loop in LOOPS:
            curves[loop][seed] = score_over_time(train(loop, seed, args.steps, args.eval_every, args.out))

    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    summary = {}
    for loop, runs in curves.items():
        seconds = statistics.median(points[-1][0] for points in runs.values())
        final = statistics.mean(points[-1][2] for points in runs.values())
        summary[loop] = {"median_seconds": seconds, "mean_final_score": final}
        for i, points in enumerate(runs.values()):
            ax.plot([p[0] for p in points], [p[2] for p in points], marker=".", color=LOOPS[loop], alpha=0.8,
                    label=None if i else f"{loop} loop: {args.steps:,} steps in {seconds:.0f} s, final score {final:.2f}")
    ax.set(xlabel="wall-clock seconds (the judgements included)", ylabel="classifier score (1 to 10)",
           title=f"wiseodd, seeds {args.seeds}: the score reached against the time it took")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize="small")
    save_figure(fig, args.out / "time-to-quality.png")
    (args.out / "time-to-quality.json").write_text(json.dumps(
        {"summary": summary, "runs": {loop: {seed: [{"seconds": t, "step": step, "classifier_score": v}
                                                    for t, step, v in points] for seed, points in runs.items()}
                                      for loop, runs in curves.items()}}, indent=2) + "\n")
    for loop, runs in curves.items():
        finals = ", ".join(f"seed {seed} {points[-1][2]:.2f}" for seed, points in runs.items())
        print(f"{loop:8s} median {summary[loop]['median_seconds']:6.1f} s for {args.steps} steps; "
              f"final classifier score {finals}; mean {summary[loop]['mean_final_score']:.2f}")


if __name__ == "__main__":
    main()
