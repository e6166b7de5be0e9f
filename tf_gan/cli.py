"""``python -m tf_gan``: train a recipe, sample from a run, measure its samples, walk its noise
space, compare the loss forms, or check students' exercise notebooks.

Every mistake a user can make (unknown recipe, bad flag, missing data, a run
directory that cannot be written or that another process is training in, resuming a
run with other settings) ends in one line on stderr and exit code 2; a run that
diverges exits with 3. Ctrl-C or SIGTERM saves a checkpoint and exits with 130 or 143,
as a shell expects. No tracebacks.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from tf_gan import recipes
from tf_gan.commands import (COMPARE_SEEDS, COMPARE_STEPS, cmd_check, cmd_compare, cmd_evaluate,
                             cmd_diagnose, cmd_interpolate, cmd_sample, cmd_summary, cmd_train)
from tf_gan.errors import Interrupted, TfGanError
from tf_gan.losses import LOSS_FORMS, OBJECTIVES
from tf_gan.run.loops import LOOPS
from tf_gan.run.record import RunRecord


ERROR_LENGTH = 300  # characters, at most, of an error line


def one_line(message: str, limit: int = ERROR_LENGTH) -> str:
    """`message` as one line of at most `limit` characters, whatever went into it.

    The last line of defence: every message is meant to be short already, but one that
    quotes a value from a damaged file could otherwise fill the terminal. The middle goes,
    not the end: a message names the file or flag first and the fix last.
    """
    text = " ".join(message.split())
    if len(text) <= limit:
        return text
    half = (limit - 5) // 2
    return f"{text[:half]} ... {text[-half:]}"


class _Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line too."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, one_line(f"{self.prog}: error: {message} (see --help)") + "\n")


def whole_number(minimum: int):
    """An argparse type: an int of at least `minimum`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


positive_int = whole_number(1)
seed_int = whole_number(0)  # numpy's seeds are non-negative


def digit(text: str) -> int:
    """An argparse type: one of the ten digits a conditional run can be asked for."""
    if text.strip() not in [str(d) for d in range(10)]:
        raise argparse.ArgumentTypeError(f"must be a digit from 0 to 9, got {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tf_gan", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    add_train(sub)
    add_summary(sub)
    add_sample(sub)
    add_compare_losses(sub)
    add_evaluate(sub)
    add_interpolate(sub)
    add_check(sub)
    add_diagnose(sub)
    return parser


def add_train(sub: argparse._SubParsersAction) -> None:
    t = sub.add_parser("train", help="train a recipe and write a run directory")
    t.add_argument("recipe", nargs="?", help=f"one of: {', '.join(recipes.RECIPES)} (optional with --resume)")
    length = t.add_mutually_exclusive_group()
    length.add_argument("--steps", type=positive_int, help="iterations (default: the post's length)")
    length.add_argument("--epochs", type=positive_int, help="passes over the training set, instead of --steps")
    t.add_argument("--seed", type=seed_int, help=f"seeds weights, data order and noise (default {RunRecord.seed})")
    t.add_argument("--loss", choices=LOSS_FORMS, help="loss form (default: the recipe's)")
    t.add_argument("--g-loss", choices=OBJECTIVES, dest="g_objective", help="generator objective")
    t.add_argument("--batch-size", type=positive_int)
    t.add_argument("--sample-every", type=positive_int, help="steps between grids and log lines")
    t.add_argument("--log-every", type=positive_int, help="steps between rows of losses.csv and TensorBoard")
    t.add_argument("--checkpoint-every", type=positive_int, help=f"steps between checkpoints (default {RunRecord.checkpoint_every})")
    t.add_argument("--eval-every", type=positive_int, metavar="K",
                   help="judge the samples every K steps: classifier score, Frechet distance and classes hit "
                        "into quality.csv, quality.png and TensorBoard (default: never; --resume keeps the run's)")
    t.add_argument("--eval-n", type=whole_number(2), metavar="N",
                   help="samples per judgement (default 2000; `evaluate` uses 10000: fewer samples give a larger "
                        "Frechet distance)")
    t.add_argument("--parzen-every", type=positive_int, metavar="K",
                   help="also the Parzen-window log-likelihood of 10000 samples every K steps, as `evaluate` "
                        "computes it (about 30 s each; needs --eval-every)")
    t.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="assignments",
                   help="change any recipe setting, e.g. --set h_dim=256 (see `summary --config`)")
    t.add_argument("--data", help="auto | bundled | tfds | idx:PATH (default auto)")
    t.add_argument("--threads", type=positive_int,
                   help="CPU threads for TensorFlow (default: one per core); fixes the last bits of the results")
    t.add_argument("--loop", choices=LOOPS,
                   help="fast (default): the same iterations, a block per session.run, compiled by XLA; "
                        "classic: the posts' loop, one feed_dict at a time")
    t.add_argument("--no-xla", action="store_false", dest="xla", default=None,
                   help="the fast loop without XLA: slower, and then the same numbers as the classic loop to the bit")
    t.add_argument("--out", type=Path, help="run directory (default out/runs/RECIPE-TIME)")
    t.add_argument("--overwrite", action="store_true", help="replace an earlier run in --out")
    t.add_argument("--resume", type=Path, metavar="RUN_DIR",
                   help="continue a stopped or killed run from its newest whole checkpoint (from step 0 if it has "
                        "none yet); --steps/--epochs may lengthen it")
    t.set_defaults(func=cmd_train)


def add_summary(sub: argparse._SubParsersAction) -> None:
    m = sub.add_parser("summary", help="print every variable of a recipe's graph, like a Keras summary")
    m.add_argument("recipe", help=f"one of: {', '.join(recipes.RECIPES)}")
    m.add_argument("--config", action="store_true", help="also print the recipe's settings (for --set)")
    m.set_defaults(func=cmd_summary)


def add_sample(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("sample", help="generate images from a run's latest checkpoint")
    s.add_argument("run", type=Path, help="a run directory made by `train`")
    s.add_argument("--n", type=positive_int, default=10_000, help="how many (default 10000)")
    s.add_argument("--out", type=Path, required=True,
                   help="FILE.npy: the float32 (N, 784) images; FILE.png: a picture of them, ten to a row")
    s.add_argument("--seed", type=seed_int, default=0, help="seeds the noise (default 0)")
    asked = s.add_mutually_exclusive_group()
    asked.add_argument("--digit", type=digit, metavar="D",
                       help="a conditional run (cgan): ask for digit D (0 to 9) every time; the "
                            "digits asked go beside --out as FILE.labels.npy")
    asked.add_argument("--balanced", action="store_true",
                       help="a conditional run: ask for 0, 1, ..., 9 in turn (its default), the "
                            "digits asked beside --out as FILE.labels.npy")
    s.set_defaults(func=cmd_sample)


def add_compare_losses(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("compare-losses", help="train each loss variant from the same start and compare them")
    c.add_argument("--recipe", default="wiseodd", help=f"one of: {', '.join(recipes.RECIPES)} (default wiseodd)")
    c.add_argument("--seeds", default=COMPARE_SEEDS, help=f"comma-separated seeds (default {COMPARE_SEEDS})")
    c.add_argument("--steps", type=positive_int, default=COMPARE_STEPS,
                   help=f"iterations per run (default {COMPARE_STEPS:,})")
    c.add_argument("--data", default="auto", help="auto | bundled | tfds | idx:PATH (default auto)")
    c.add_argument("--variants", help="comma-separated, e.g. sigmoid_ce,raw_log (default: all four)")
    c.add_argument("--jobs", type=positive_int, help="runs at once (default: one per CPU core)")
    c.add_argument("--out", type=Path, default=Path("out/compare-losses"), help="(default out/compare-losses)")
    c.add_argument("--overwrite", action="store_true", help="replace a comparison with other settings in --out")
    c.set_defaults(func=cmd_compare)


def add_evaluate(sub: argparse._SubParsersAction) -> None:
    e = sub.add_parser("evaluate", help="measure sample quality: classifier score, Frechet distance, classes, Parzen")
    e.add_argument("target", nargs="?", type=Path, help="a run directory, or a (N, 784) samples .npy in [0, 1]")
    e.add_argument("--reference", choices=("real", "noise"),
                   help="instead of a target: real training digits (a perfect generator) or uniform noise")
    e.add_argument("--n", type=positive_int, help="samples to draw (default 10000; a .npy: all of it)")
    e.add_argument("--seed", type=seed_int, default=0, help="seeds the samples drawn (default 0)")
    e.add_argument("--data", default="auto", help="auto | bundled | tfds | idx:PATH: the real digits to compare with")
    e.add_argument("--out", type=Path, help="the JSON to write (default RUN_DIR/eval.json, SAMPLES.eval.json "
                                            "or out/reference-KIND.eval.json)")
    e.set_defaults(func=cmd_evaluate)


def add_interpolate(sub: argparse._SubParsersAction) -> None:
    i = sub.add_parser("interpolate",
                       help="walk a run's noise space: paths between noise vectors, what the "
                            "classifier reads along them, samples beside their nearest training images")
    i.add_argument("run", type=Path, help="a run directory made by `train`")
    i.add_argument("--out", type=Path,
                   help="folder for the pictures and latent.json (default RUN/latent)")
    i.add_argument("--pairs", type=positive_int, default=4,
                   help="pairs of noise vectors to walk between (default 4)")
    i.add_argument("--steps", type=whole_number(2), default=10,
                   help="images along each path (default 10)")
    i.add_argument("--n", type=whole_number(2), default=1000,
                   help="samples and test digits whose nearest training images are compared "
                        "(default 1000)")
    i.add_argument("--seed", type=seed_int, default=0, help="seeds the noise vectors (default 0)")
    i.add_argument("--data", help="auto | bundled | tfds | idx:PATH (default: the run's)")
    i.set_defaults(func=cmd_interpolate)


def add_check(sub: argparse._SubParsersAction) -> None:
    k = sub.add_parser("check", help="run students' exercise notebooks headless and print which exercises pass")
    k.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="a notebook, or a folder of them (searched "
                                                                       "through its subfolders)")
    k.add_argument("--lesson-args", action="append", default=[], metavar="[PREFIX:]FLAGS",
                   help="lesson settings for the kernels, e.g. '05:--steps 200 --seeds 1' for the notebooks whose "
                        "file name starts with 05, or '--data bundled' for all (repeatable)")
    k.add_argument("--all-cells", action="store_true",
                   help="run every cell; by default a notebook stops after its last check, before it trains")
    k.add_argument("--timeout", type=positive_int, default=600, help="seconds a cell may run (default 600)")
    k.add_argument("--details", action="store_true", help="below the table, say why each exercise did not pass")
    k.add_argument("--csv", type=Path, help="also write one row per notebook and exercise to this CSV file")
    k.set_defaults(func=cmd_check)


def add_diagnose(sub: argparse._SubParsersAction) -> None:
    d = sub.add_parser("diagnose", help="say in words what happened in a run: a healthy game, D winning, "
                                        "a loss that overflowed, mode collapse, oscillation")
    d.add_argument("run", type=Path, help="a run directory made by `train`")
    d.add_argument("--json", action="store_true", help="the verdicts as JSON records (verdict, from_step, evidence)")
    d.add_argument("--measure", nargs="?", type=whole_number(100), const=2000, metavar="N",
                   help="also judge N samples of the newest checkpoint (default 2000) for the classes G draws")
    d.set_defaults(func=cmd_diagnose)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("tensorflow").setLevel(logging.WARNING)  # not "Restoring parameters from ..." twice
    try:
        return args.func(args)
    except TfGanError as e:
        print(one_line(f"tf_gan {args.command}: error: {e}"), file=sys.stderr)
        return e.exit_code
    except Interrupted as e:
        print(f"tf_gan {args.command}: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:  # before training began, or a second Ctrl-C: nothing half-written, nothing to save
        print(f"tf_gan {args.command}: interrupted", file=sys.stderr)
        return 130
