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
import dataclasses
import logging
import sys
import typing
from pathlib import Path

from tf_gan import recipes
from tf_gan.commands import (COMPARE_SEEDS, COMPARE_STEPS, cmd_check, cmd_compare, cmd_evaluate,
                             cmd_diagnose, cmd_interpolate, cmd_sample, cmd_summary, cmd_train)
from tf_gan.errors import Interrupted, TfGanError
from tf_gan.recipes.base import RecipeConfig
from tf_gan.recipes.settings import field_types, flagged, read_value, rule_of, unwrap_optional
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
    """An argparse type: an int of at least `minimum` (for the flags of commands other than `train`)."""

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
    length_first = sorted(flagged(RecipeConfig), key=lambda f: f.name not in ("steps", "epochs"))
    for f in length_first:  # the settings every recipe has a flag for; the rest through --set
        add_setting(length if f.name in ("steps", "epochs") else t, RecipeConfig, f, show_default=False)
    t.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="assignments",
                   help="change any recipe setting, e.g. --set h_dim=256 (`summary RECIPE --config` lists them)")
    for f in flagged(RunRecord):  # the run's own settings
        add_setting(t, RunRecord, f, show_default=True)
    t.add_argument("--out", type=Path, help="run directory (default out/runs/RECIPE-TIME)")
    t.add_argument("--overwrite", action="store_true", help="replace an earlier run in --out")
    t.add_argument("--resume", type=Path, metavar="RUN_DIR",
                   help="continue a stopped or killed run from its newest whole checkpoint (from step 0 if it has "
                        "none yet); --steps/--epochs may lengthen it")
    t.set_defaults(func=cmd_train)


def add_setting(parser: argparse._ActionsContainer, config_class: type, f: dataclasses.Field,
                show_default: bool) -> None:
    """The flag of a setting declared with `setting(...)`: its name, type, range and help all from the field.

    A value it refuses is one line naming the flag and what it takes. Not given, it is None: the record's
    default (or, on --resume, the run's own) is written in one place, the field.
    """
    flag = f.metadata["flag"] or "--" + f.name.replace("_", "-")
    help_text = f.metadata["help"].replace("{default}", str(f.default))
    if show_default and f.default is not None and str(f.default) not in help_text:
        help_text += f" (default {f.default})"
    inner, _ = unwrap_optional(field_types(config_class)[f.name])
    if inner is bool:  # a switch: --no-X turns a setting off
        parser.add_argument(flag, action="store_false" if flag.startswith("--no-") else "store_true",
                            dest=f.name, default=None, help=help_text)
        return
    rule = rule_of(config_class, f.name)
    listed = typing.get_args(inner) if typing.get_origin(inner) is typing.Literal else rule and rule.choices
    parser.add_argument(flag, dest=f.name, type=flag_type(config_class, f.name), choices=listed or None,
                        metavar=None if listed else f.metadata["metavar"] or ("N" if inner is int else "TEXT"),
                        help=help_text)


def flag_type(config_class: type, key: str):
    """An argparse type: text read as setting `key` (tf_gan/recipes/settings.py), refused in its words."""

    def parse(text: str) -> object:
        try:
            return read_value(config_class, key, text, none=False)
        except ValueError as e:
            raise argparse.ArgumentTypeError(str(e)) from None

    parse.__name__ = key  # argparse names the type in some messages
    return parse


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
