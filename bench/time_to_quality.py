"""Time to quality: does the default (fast, XLA) loop train as well as the posts' loop, seed for seed?

    python bench/time_to_quality.py [--recipe wiseodd] [--seeds 0-7] [--steps N] [--eval-every K]
                                    [--samples 10000] [--jobs 1] [--arms classic,fast] [--out DIR]

For each seed (the bundled MNIST), trains the recipe once with ``--loop classic`` and once
with the default fast loop, judging the samples every ``--eval-every`` steps on
``--samples`` samples (tf_gan's classifier score, as ``train --eval-every``). The two runs
of a seed start from the same weights and see the same batches and noise; they differ
only in how XLA rounds, and a GAN amplifies that until the runs part ways. So one seed
proves nothing: the question is answered by the paired difference of the final scores
over many seeds, its mean and 95% interval (bench/paired.py).

The seconds are the wall-clock times TensorBoard recorded for each judgement, counted
from the judgement before the first step, so both loops include the same judgements.
With ``--jobs 2`` two runs train side by side (``--threads 1`` each): twice the seeds in
the same time, but then the seconds are those of a shared machine. A finished run is
reused when the script runs again (an interrupted bench goes on where it stopped); an
unfinished one is trained again from the start, so that its seconds are whole.
``--arms`` adds other ways to train each seed, each compared with the first: the fast loop
without XLA, or the classic loop at another thread count, which rounds otherwise through
the posts' own kernels (how far apart do two roundings of the same loop land?).
Writes time-to-quality.png and time-to-quality.json in --out.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from paired import Paired, paired  # noqa: E402
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator  # noqa: E402

from tf_gan.files import read_csv  # noqa: E402
from tf_gan.viz.images import plt, save_figure  # noqa: E402

ARMS = {  # name: the train flags that make it, and its colour; the first arm named is the one compared against
    "classic": (["--loop", "classic"], "tab:grey"),
    "fast": (["--loop", "fast"], "tab:blue"),  # the default loop
    "fast_no_xla": (["--loop", "fast", "--no-xla"], "tab:green"),  # the classic loop's numbers to the bit
    # the classic loop with another thread count: rounded otherwise, by the posts' own kernels (a control)
    "classic_2_threads": (["--loop", "classic", "--threads", "2"], "tab:orange"),
    # wiseodd only: Kristiadi's own weights (lesson 01's init="post") in place of the retelling's Xavier
    "fast_post_init": (["--loop", "fast", "--set", "init=post"], "tab:red"),
}
STEPS = {"wiseodd": 20_000, "keras_gan": 4_000}  # keras_gan's iteration costs ten of wiseodd's


def seed_list(text: str) -> list[int]:
    """'0-7' or '0,3,5' (or both, '0-3,8') as a list of seeds."""
    seeds: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        if not first.isdigit() or (last and not last.isdigit()) or (last and int(last) < int(first)):
            raise argparse.ArgumentTypeError(f"--seeds takes seeds like 0-7 or 0,3,5, not {text!r}")
        seeds += range(int(first), int(last or first) + 1)
    return seeds


def finished(run: Path, steps: int) -> bool:
    """Whether `run` holds a whole run: its judgement at the last step is written."""
    try:
        return any(row["step"] == steps for row in read_csv(run / "quality.csv"))
    except (OSError, KeyError, ValueError):
        return False


def train(recipe: str, arm: str, seed: int, args: argparse.Namespace) -> Path:
    run = args.out / f"{arm}-seed{seed}"
    if finished(run, args.steps):
        return run
    flags = ARMS[arm][0]
    threads = ["--threads", str(args.threads)] if args.threads and "--threads" not in flags else []
    command = [sys.executable, "-m", "tf_gan", "train", recipe, "--steps", str(args.steps), "--seed", str(seed),
               "--data", "bundled", "--eval-every", str(args.eval_every), "--eval-n", str(args.samples),
               *flags, *threads, "--out", str(run), "--overwrite"]
    log = args.out / f"{arm}-seed{seed}.log"
    print(f"training {recipe} seed {seed}, {arm} (log: {log})", flush=True)
    with open(log, "w") as out:
        done = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode:
        sys.exit(f"time_to_quality: {recipe} seed {seed}, {arm}, failed; see {log}")
    return run


def score_over_time(run: Path) -> list[tuple[float, int, float]]:
    """(seconds since the first judgement, step, classifier score) for every judgement of the run."""
    events = EventAccumulator(str(run / "tensorboard"))
    events.Reload()
    scores = events.Scalars("quality/classifier score")
    return [(e.wall_time - scores[0].wall_time, e.step, e.value) for e in scores]


def plot(curves: dict[str, dict[int, list]], comparisons: dict[str, Paired], args: argparse.Namespace) -> None:
    """Left: every run's score against its seconds. Right: each seed's difference, and the mean's interval."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 5), gridspec_kw={"width_ratios": [3, 2]})
    base = args.arms[0]
    for loop, runs in curves.items():
        seconds = statistics.median(points[-1][0] for points in runs.values())
        final = statistics.mean(points[-1][2] for points in runs.values())
        for i, points in enumerate(runs.values()):
            left.plot([p[0] for p in points], [p[2] for p in points], color=ARMS[loop][1], alpha=0.5, lw=1,
                      label=None if i else f"{loop}: {args.steps:,} steps in {seconds:.0f} s (median), "
                                           f"mean final score {final:.2f}")
    left.set(xlabel="wall-clock seconds (the judgements included)", ylabel="classifier score (1 to 10)",
             title=f"{args.recipe}: score against time, {len(args.seeds)} seeds")
    left.grid(alpha=0.3)
    left.legend(loc="lower right", fontsize="small")
    right.axhline(0, color="black", lw=0.8)
    for arm, c in comparisons.items():
        colour = ARMS[arm][1]
        right.scatter(c.seeds, c.differences, color=colour, s=14, label=f"{arm}: one seed")
        right.axhspan(c.low, c.high, color=colour, alpha=0.15,
                      label=f"{arm}: mean {c.mean:+.2f}, 95% interval {c.low:+.2f} to {c.high:+.2f}")
        right.axhline(c.mean, color=colour)
    arms = " or ".join(comparisons)
    right.set(xlabel="seed", ylabel=f"{arms} minus {base}, final score",
              title=f"paired by seed, after {args.steps:,} steps ({args.samples:,} samples)")
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize="small")  # below: no point hidden
    right.grid(alpha=0.3)
    fig.subplots_adjust(bottom=0.3, wspace=0.3)  # room for the legend under the right panel
    save_figure(fig, args.out / "time-to-quality.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipe", choices=list(STEPS), default="wiseodd")
    parser.add_argument("--seeds", type=seed_list, default=seed_list("0-7"), help="e.g. 0-7 or 0,3,5 (default 0-7)")
    parser.add_argument("--steps", type=int, help="iterations per run (default: wiseodd 20,000, keras_gan 4,000)")
    parser.add_argument("--eval-every", type=int, help="steps between judgements (default: a tenth of --steps)")
    parser.add_argument("--samples", type=int, default=10_000, help="samples per judgement (default 10,000)")
    parser.add_argument("--jobs", type=int, choices=(1, 2), default=1, help="runs side by side (default 1)")
    parser.add_argument("--threads", type=int, help="TensorFlow threads per run (default: all cores; 1 with --jobs 2)")
    parser.add_argument("--arms", type=arm_list, default=arm_list("classic,fast"),
                        help=f"what to train, each compared with the first (default classic,fast; "
                             f"any of {', '.join(ARMS)})")
    parser.add_argument("--out", type=Path, help="default out/bench/ttq-RECIPE")
    args = parser.parse_args()
    args.steps = args.steps or STEPS[args.recipe]
    args.eval_every = args.eval_every or max(1, args.steps // 10)
    args.threads = args.threads or (1 if args.jobs == 2 else None)
    args.out = args.out or ROOT / "out" / "bench" / f"ttq-{args.recipe}"
    args.out.mkdir(parents=True, exist_ok=True)

    jobs = [(seed, arm) for seed in args.seeds for arm in args.arms]  # the arms take turns
    with ThreadPoolExecutor(args.jobs) as pool:
        runs = list(pool.map(lambda job: train(args.recipe, job[1], job[0], args), jobs))
    curves: dict[str, dict[int, list]] = {arm: {} for arm in args.arms}
    for (seed, arm), run in zip(jobs, runs):
        curves[arm][seed] = score_over_time(run)
    final = {arm: {seed: points[-1][2] for seed, points in runs.items()} for arm, runs in curves.items()}
    base = args.arms[0]
    comparisons = {arm: paired(final[base], final[arm]) for arm in args.arms[1:]}
    plot(curves, comparisons, args)

    summary = {arm: {"median_seconds": statistics.median(p[-1][0] for p in runs.values()),
                     "mean_final_score": statistics.mean(final[arm].values())} for arm, runs in curves.items()}
    (args.out / "time-to-quality.json").write_text(json.dumps(
        {"recipe": args.recipe, "steps": args.steps, "samples": args.samples, "jobs": args.jobs,
         "summary": summary, **{f"{arm}_minus_{base}": c.as_dict() for arm, c in comparisons.items()},
         "runs": {arm: {seed: [{"seconds": t, "step": step, "classifier_score": v} for t, step, v in points]
                        for seed, points in runs.items()} for arm, runs in curves.items()}}, indent=2) + "\n")
    for arm in args.arms:
        print(f"{arm:18s} median {summary[arm]['median_seconds']:6.1f} s for {args.steps} steps; "
              f"mean final classifier score {summary[arm]['mean_final_score']:.3f}")
    for arm, c in comparisons.items():
        print(c.line(base, arm))


def arm_list(text: str) -> list[str]:
    """'classic,fast' as a list of at least two known arms."""
    arms = [a.strip() for a in text.split(",") if a.strip()]
    unknown = [a for a in arms if a not in ARMS]
    if unknown or len(arms) < 2 or len(set(arms)) < len(arms):
        raise argparse.ArgumentTypeError(f"--arms takes two or more of {', '.join(ARMS)}, not {text!r}")
    return arms


if __name__ == "__main__":
    main()
