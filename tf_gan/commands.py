"""What each ``python -m tf_gan`` subcommand does, once tf_gan/cli.py has parsed its flags.

Each takes the parsed arguments and returns the exit code; a TfGanError becomes one
line and exit 2 in cli.main.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import time
from pathlib import Path

from tf_gan import recipes
from tf_gan.errors import TfGanError
from tf_gan.run import run_dir

COMPARE_STEPS = 8_000  # digits are clear by 8,000; the raw_log deaths we measured came between 5,500 and 7,000
COMPARE_SEEDS = "1,4,6"  # raw_log died on two of them and survived one on each CPU we tried (which: docs/loss-lesson.md)


def cmd_train(args: argparse.Namespace) -> int:
    """``train RECIPE``: a run record from the flags, then the trainer; ``train --resume RUN``: the run's own."""
    from tf_gan.data import resolve_source
    from tf_gan.run.record import record_of
    from tf_gan.run.trainer import launch

    if args.resume is not None:
        return resume(args)
    if args.recipe is None:
        raise TfGanError(f"give a recipe (one of {', '.join(recipes.RECIPES)}) or --resume RUN_DIR")
    recipe = recipes.get(args.recipe)
    judging = judging_settings(args, every=None)
    config = dataclasses.replace(recipe.Config(), **config_changes(recipe.Config, args))  # every value checked
    out = run_dir.check(args.out or Path("out/runs") / f"{args.recipe}-{time.strftime('%Y%m%d-%H%M%S')}",
                        overwrite=args.overwrite)  # before the data: fail fast
    rec = record_of(args.recipe, config, **{**run_flags(args), **judging, "data": resolve_source(args.data or "auto")})
    launch(rec, out, overwrite=args.overwrite)
    return 0


def judging_settings(args: argparse.Namespace, every: int | None, n: int | None = None,
                     parzen: int | None = None) -> dict[str, int | None]:
    """The record's eval_every, eval_n and parzen_every: the flags, else the run's own (on resume)."""
    every = args.eval_every or every
    if args.eval_n is not None and every is None:
        raise TfGanError(f"--eval-n {args.eval_n} sets the samples of each judgement; give --eval-every K too")
    if args.parzen_every is not None and every is None:
        raise TfGanError(f"--parzen-every {args.parzen_every} adds to the judgements; give --eval-every K too")
    n = args.eval_n or n
    return {"eval_every": every, **({"eval_n": n} if n else {}), "parzen_every": args.parzen_every or parzen}


def run_flags(args: argparse.Namespace) -> dict[str, object]:
    """The run settings as the flags give them (None: not given), by the record's names (tf_gan/run/record.py)."""
    from tf_gan.recipes.settings import flagged
    from tf_gan.run.record import RunRecord

    return {f.name: getattr(args, f.name) for f in flagged(RunRecord)}


def config_changes(config_class: type, args: argparse.Namespace) -> dict[str, object]:
    """The recipe settings the flags and --set ask for."""
    from tf_gan.recipes.base import RecipeConfig
    from tf_gan.recipes.settings import flagged

    changes = {f.name: v for f in flagged(RecipeConfig) if (v := getattr(args, f.name)) is not None}
    if args.epochs is not None:
        changes["steps"] = None  # count epochs instead
    return {**changes, **parse_assignments(config_class, args.assignments)}


def resume(args: argparse.Namespace) -> int:
    """``train --resume RUN_DIR``: the run's own record; any flag that would change the run is refused."""
    from tf_gan.data import resolve_source
    from tf_gan.run import record
    from tf_gan.run.trainer import launch

    run = args.resume
    if args.out is not None or args.overwrite:
        raise TfGanError(f"--resume continues {run} in place; drop --out and --overwrite")
    saved = record.read(run)
    run_dir.ensure_free(run)  # before loading the data: a process training in it is said at once
    asked = {"recipe": args.recipe, **run_flags(args), "data": args.data and resolve_source(args.data),
             **judging_settings(args, saved.eval_every, saved.eval_n, saved.parzen_every)}
    launch(record.resumed(saved, run, asked, config_changes(saved.module.Config, args)), run, resume=True)
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from tf_gan.recipes.summary import summary_text

    recipe = recipes.get(args.recipe)
    print(summary_text(recipe, recipe.Config()))
    if args.config:
        print("Settings (change any with train --set KEY=VALUE; * --resume may change it too):")
        print(settings_table(recipe.Config))
    return 0


def settings_table(config_class: type) -> str:
    """Every setting of a recipe: its default, and what it may hold (type and range), one line each."""
    from tf_gan.recipes.settings import describe

    defaults = dataclasses.asdict(config_class())
    width = max(len(f"{key} = {json.dumps(value)}") for key, value in defaults.items())
    return "\n".join(f"  {f'{key} = {json.dumps(value)}':<{width}}  {'*' if key in config_class.RESUMABLE else ' '} "
                     f"{describe(config_class, key)}" for key, value in defaults.items())


def parse_assignments(config_class: type, assignments: list[str]) -> dict[str, object]:
    """``--set key=value`` pairs, each value parsed by its setting's declared type (tf_gan/recipes/settings.py)."""
    from tf_gan.recipes.settings import parse_text

    fields = {f.name for f in dataclasses.fields(config_class)}
    parsed: dict[str, object] = {}
    for item in assignments:
        key, sep, text = item.partition("=")
        if not sep or key not in fields:
            raise TfGanError(f"--set {item}: expected KEY=VALUE with KEY one of {', '.join(sorted(fields))}")
        parsed[key] = parse_text(config_class, key, text)
    return parsed


def cmd_sample(args: argparse.Namespace) -> int:
    """``sample RUN``: images as a .npy (a conditional run's digits asked beside, FILE.labels.npy), or a .png grid."""
    import numpy as np

    from tf_gan.eval.evaluate import labels_path
    from tf_gan.files import write_npy
    from tf_gan.noise import balanced_digits
    from tf_gan.run import record
    from tf_gan.run.sample import check_asks_for_digits, sample

    if args.out.suffix not in (".npy", ".png"):
        raise TfGanError(f"{args.out}: --out must end in .npy (the images as numbers) or .png (a picture of them)")
    if args.out.suffix == ".png" and args.n % min(args.n, GRID_COLUMNS):
        raise TfGanError(f"--n {args.n}: a .png grid has rows of {GRID_COLUMNS}; ask for a multiple of {GRID_COLUMNS}")
    if not args.out.parent.is_dir():
        raise TfGanError(f"{args.out}: no directory {args.out.parent}; create it or choose another --out")
    rec = record.read(args.run)
    check_asks_for_digits(args.run, rec, args.digit is not None or args.balanced)
    digits = None
    if recipes.is_conditional(rec.module):
        digits = np.full(args.n, args.digit) if args.digit is not None else balanced_digits(args.n)
    images = sample(args.run, args.n, args.seed, digits=digits)
    if args.out.suffix == ".png":
        return sample_picture(images, args.out)
    try:
        write_npy(args.out, images)
        if digits is not None:
            write_npy(labels_path(args.out), digits.astype(np.int64))
    except OSError as e:
        raise TfGanError(f"{args.out}: cannot write ({e.strerror}); choose another --out") from None
    asked = ""
    if digits is not None:
        which = args.digit if args.digit is not None else "0 to 9 in turn"
        asked = f", asked for {which}; the digits in {labels_path(args.out)}"
    logging.getLogger(__name__).info("wrote %s: %d samples, float32 (N, 784) in [0, 1]%s", args.out,
                                     len(images), asked)
    return 0


GRID_COLUMNS = 10  # a .png of samples: rows of ten, so 100 samples make a square


def sample_picture(images, out: Path) -> int:
    """The samples as one grid PNG, rows of GRID_COLUMNS: a picture to look at, not numbers to measure."""
    from tf_gan.viz.images import save_grid

    cols = min(len(images), GRID_COLUMNS)
    try:
        save_grid(images, out, rows=len(images) // cols, cols=cols)
    except OSError as e:
        raise TfGanError(f"{out}: cannot write ({e.strerror}); choose another --out") from None
    logging.getLogger(__name__).info("wrote %s: %d samples, %d to a row", out, len(images), cols)
    return 0


def cmd_interpolate(args: argparse.Namespace) -> int:
    """``interpolate RUN``: the walk through the run's noise space, into RUN/latent (or --out)."""
    from tf_gan.data import resolve_source
    from tf_gan.run.interpolate import interpolate
    from tf_gan.run.sample import checkpoint_of

    checkpoint_of(args.run)  # not a run, or no checkpoint yet: say so before loading anything
    out, lines = interpolate(args.run, args.out, args.pairs, args.steps, args.n, args.seed,
                             resolve_source(args.data) if args.data else None)
    print("\n".join(lines))
    logging.getLogger(__name__).info("wrote the pictures and latent.json in %s", out)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from tf_gan.eval.evaluate import evaluate
    from tf_gan.run.sample import for_evaluation

    result = evaluate(args.target, args.reference, args.n, args.seed, args.data, args.out, sampler=for_evaluation)
    print(result.text)
    logging.getLogger(__name__).info("wrote %s", result.path)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from tf_gan.experiments.compare import compare, parse_seeds, summary

    variants = None if args.variants is None else [name.strip() for name in args.variants.split(",") if name.strip()]
    outcomes = compare(args.recipe, parse_seeds(args.seeds), args.steps, args.out, args.data, args.jobs,
                       args.overwrite, variants)
    print(summary(outcomes))
    return 0


def cmd_diagnose(args: argparse.Namespace) -> int:
    """``diagnose RUN``: the run's verdicts in words (or JSON), judging its samples first with --measure."""
    from tf_gan.eval.diagnose import as_json, diagnose, explain

    measured = classes_now(args.run, args.measure) if args.measure else None
    verdicts = diagnose(args.run, measured)
    print(json.dumps(as_json(verdicts), indent=2) if args.json else explain(verdicts))
    return 0


def classes_now(run: Path, n: int) -> tuple[int, int]:
    """(step, classes hit) of `n` samples from the run's newest checkpoint, judged by tf_gan's classifier."""
    from tf_gan.data import load_raw
    from tf_gan.eval.classifier import load_or_train
    from tf_gan.eval.metrics import class_histogram
    from tf_gan.run.checkpoints import step_of
    from tf_gan.run.record import read
    from tf_gan.run.sample import checkpoint_of, for_evaluation

    source = read(run).data or "auto"  # refuses, in one line, what is not a run directory
    step = step_of(checkpoint_of(run))
    classifier = load_or_train(load_raw(source))
    return step, class_histogram(classifier.predict(for_evaluation(run, n, seed=0).images).probs).classes_hit


def cmd_check(args: argparse.Namespace) -> int:
    from tf_gan.exercises import check_lesson_args, find_notebooks, grade, lesson_args_for, report, write_csv

    check_lesson_args(args.lesson_args)
    notebooks = find_notebooks(args.paths)
    grades = []
    for number, (name, path) in enumerate(notebooks, 1):
        logging.getLogger(__name__).info("checking %s (%d of %d) ...", name, number, len(notebooks))
        grades.append(grade(path, name, lesson_args_for(name, args.lesson_args), args.all_cells, args.timeout))
    print(report(grades, args.details))
    if args.csv is not None:
        write_csv(grades, args.csv)
    return 0
