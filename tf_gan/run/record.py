"""The run record: everything a run's config.json holds, written, read and compared here only.

The command line builds one from its flags (or reads a run's, for ``--resume``) and hands
it to the trainer; `sample`, `evaluate` and the locks read it back. The loop's state (the
step, the data order, the noise, the loss log) is never in it: that lives in the
checkpoints (tf_gan/run/checkpoints.py).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from tf_gan import recipes
from tf_gan.errors import TfGanError
from tf_gan.files import write_json
from tf_gan.recipes.base import Recipe, RecipeConfig
from tf_gan.recipes.settings import Allowed, check, setting
from tf_gan.run.loops import DEFAULT_LOOP, Loop, choose

CONFIG = "config.json"
EVAL_N = 2_000  # samples per judgement during training: a fifth of evaluate's 10,000, to stay cheap
OWN_GRAPH = "own"  # config.json's "graph" for a run whose graph came from a caller's build function


@dataclass
class RunRecord:
    recipe: str  # a name in tf_gan.recipes.RECIPES
    config: RecipeConfig  # the recipe's Config as the run uses it: sizes, losses, length, ...
    # The run's own settings, one `train` flag each (tf_gan/cli.py makes them from these fields).
    seed: int = setting(0, "seeds the initial weights, the data order and every noise draw", metavar="S")
    checkpoint_every: int = setting(10_000, "steps between checkpoints")
    eval_every: int | None = setting(
        None, "judge the samples every K steps: classifier score, Frechet distance and classes hit into "
        "quality.csv, quality.png and TensorBoard (default: never; --resume keeps the run's)", metavar="K")
    eval_n: int = setting(EVAL_N, "samples per judgement (default {default}; `evaluate` uses 10000, and fewer "
                                  "samples give a larger Frechet distance)")
    parzen_every: int | None = setting(
        None, "also the Parzen-window log-likelihood of 10000 samples every K steps, as `evaluate` computes it "
        "(about 30 s each; needs --eval-every; default: never)", metavar="K")
    loop: Loop = setting(DEFAULT_LOOP, "fast: the same iterations, a block per session.run, compiled by XLA; "
                                       "classic: the posts' loop, one feed_dict at a time")
    xla: bool | None = setting(None, "the fast loop without XLA: slower, and then the same numbers as the classic "
                                     "loop to the bit (default: XLA for the fast loop)", flag="--no-xla")
    data: str | None = setting(None, "where the digits come from: auto | bundled | tfds | idx:PATH (default auto)",
                                metavar="SOURCE")
    threads: int | None = setting(None, "CPU threads for TensorFlow (default: one per core); fixes the last bits "
                                        "of the results")
    graph: str = "recipe"  # "recipe": the recipe's build(); OWN_GRAPH: a caller's, which config.json cannot rebuild

    # What each may hold beyond its type (tf_gan/recipes/settings.py; a whole number not named is a count),
    # and what --resume may change: how often to checkpoint and to judge. It refuses a change to any other.
    ALLOWED: ClassVar[dict[str, Allowed]] = {"seed": Allowed(minimum=0), "eval_n": Allowed(minimum=2)}
    RESUMABLE: ClassVar[tuple[str, ...]] = ("checkpoint_every", "eval_every", "eval_n", "parzen_every")

    def __post_init__(self) -> None:
        self.loop, self.xla = choose(self.loop, self.xla, {})
        check(self)

    @property
    def module(self) -> Recipe:
        return recipes.get(self.recipe)

    def to_json(self) -> dict[str, Any]:
        """config.json's content: every field. Older runs' files had the same keys, some of them missing;
        a setting added later is written only where a run uses it, so the others' files stay as they were."""
        settings = {name: getattr(self, name) for name in RUN_SETTINGS}
        unused = {name for name, default in WRITTEN_WHEN_USED.items() if settings[name] == default}
        return {"recipe": self.recipe, "config": dataclasses.asdict(self.config),
                **{name: value for name, value in settings.items() if name not in unused}}

    def write(self, run: Path) -> None:
        write_json(run / CONFIG, self.to_json())


RUN_SETTINGS = tuple(f.name for f in dataclasses.fields(RunRecord))[2:]  # seed, checkpoint_every, ...
WRITTEN_WHEN_USED = {"parzen_every": None, "graph": "recipe"}  # settings added after runs were made, unused value
RESUME_KEEPS = tuple(name for name in RUN_SETTINGS if name not in RunRecord.RESUMABLE and name != "graph")


def check_names(given: dict[str, Any]) -> None:
    """A TypeError, as for an unknown keyword, for any name that is not a run setting."""
    unknown = set(given) - set(RUN_SETTINGS)
    if unknown:
        raise TypeError(f"not run settings: {', '.join(sorted(unknown))}")


def record_of(recipe: str, config: RecipeConfig, **given: Any) -> RunRecord:
    """A run record from what was given; a setting given as None (a flag not passed, a key missing from an
    older config.json) takes the record's own default, which is written once, above."""
    check_names(given)
    return RunRecord(recipe, config, **{key: value for key, value in given.items() if value is not None})


def read(run: Path | str, own_graph: bool = False) -> RunRecord:
    """The record of the run in `run`, with one-line errors for a missing or damaged config.json.

    A run whose graph came from a caller's build function is refused unless `own_graph`:
    the command line would rebuild the recipe's graph, not the one that was trained.
    """
    path = Path(run) / CONFIG
    hint = "give the directory of a run made by `tf_gan train`"
    try:
        saved = json.loads(path.read_text())
        recipe = recipes.get(saved["recipe"])
        config = recipe.Config(**saved["config"])  # every value checked (tf_gan/recipes/settings.py)
    except FileNotFoundError:
        raise TfGanError(f"{path}: not found; {hint}") from None
    except OSError as e:
        raise TfGanError(f"{path}: cannot be read ({e.strerror}); {hint}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise TfGanError(f"{path}: not a valid run config ({type(e).__name__}: {e}); {hint}") from None
    except TfGanError as e:  # a value its setting does not allow, or an unknown recipe
        raise TfGanError(f"{path}: {e}; correct it there, or start a new run") from None
    if saved.get("graph", "recipe") != "recipe" and not own_graph:
        raise TfGanError(f"{path}: this run trained a graph of its own (train(..., build=...)), which the command "
                         "line cannot rebuild; resume or sample it from Python with the same build")
    loop, xla = choose(None, None, saved, str(path))  # runs from before the fast loop were classic
    try:
        return record_of(saved["recipe"], config, **{**{key: saved.get(key) for key in RUN_SETTINGS},
                                                      "loop": loop, "xla": xla})
    except TfGanError as e:
        raise TfGanError(f"{path}: {e}; correct it there, or start a new run") from None


def recipe_name(run: Path) -> str | None:
    """The recipe a directory's config.json names, if it names a known one: is this a tf_gan run?"""
    try:
        name = json.loads((run / CONFIG).read_text()).get("recipe")
    except (OSError, ValueError, AttributeError):
        return None
    return name if name in recipes.RECIPES else None


def resumed(record: RunRecord, run: Path, asked: dict[str, Any], changes: dict[str, Any]) -> RunRecord:
    """`record` as ``--resume`` continues it: refuse, in one line, any flag that would change the run.

    `asked`: the run-level flags given (None: not given), such as seed, data or loop;
    `changes`: the recipe settings the flags ask for. Only the length (steps, epochs), a
    recipe's other RESUMABLE settings, how often to checkpoint and how to judge may differ.
    """
    if asked.get("recipe") not in (None, record.recipe):
        raise TfGanError(f"{run} is a {record.recipe} run, not {asked['recipe']}; resume it as {record.recipe} "
                         "or start a new run")
    cfg = record.config
    for key, value in changes.items():
        if key not in cfg.RESUMABLE and value != getattr(cfg, key):
            allowed = ", ".join(cfg.RESUMABLE)
            raise TfGanError(f"{run} was trained with {key}={getattr(cfg, key)!r}, not {value!r}; --resume continues "
                             f"a run unchanged (only {allowed} may change), so start a new run instead")
    for key in RESUME_KEEPS:
        given, was = asked.get(key), getattr(record, key)
        if given is not None and given != was:
            shown = was if was is not None else "(the default)"
            raise TfGanError(f"{run} was trained with {key}={shown}, not {given}; --resume continues "
                             "a run unchanged, so start a new run instead")
    if changes.get("steps") is not None or changes.get("epochs") is not None:
        steps = changes.get("steps")
        cfg = dataclasses.replace(cfg, steps=steps, epochs=changes.get("epochs") if steps is None else cfg.epochs)
    others = {key: value for key, value in changes.items() if key in cfg.RESUMABLE and key not in ("steps", "epochs")}
    cfg = dataclasses.replace(cfg, **others)
    kept = {key: asked[key] for key in RunRecord.RESUMABLE if asked.get(key) is not None}
    return dataclasses.replace(record, config=cfg, **kept)
