"""The run record: everything a run's config.json holds, written, read and compared here only.

The command line builds one from its flags (or reads a run's, for ``--resume``) and hands
it to the trainer; `sample`, `evaluate` and the locks read it back. The loop's state (the
step, the data order, the noise, the loss log) is never in it: that lives in the
checkpoints (tf_gan/run/checkpoints.py).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tf_gan import recipes
from tf_gan.errors import TfGanError
from tf_gan.files import write_json
from tf_gan.recipes.base import Recipe, RecipeConfig
from tf_gan.run.loops import DEFAULT_LOOP, Loop, choose

CONFIG = "config.json"
RESUMABLE = {"resumable": True}  # a run setting --resume may change: how often to checkpoint and to judge
EVAL_N = 2_000  # samples per judgement during training: a fifth of evaluate's 10,000, to stay cheap
OWN_GRAPH = "own"  # config.json's "graph" for a run whose graph came from a caller's build function


@dataclass
class RunRecord:
    recipe: str  # a name in tf_gan.recipes.RECIPES
    config: RecipeConfig  # the recipe's Config as the run uses it: sizes, losses, length, ...
    # What --resume may change is marked; a setting not marked is refused if a resume asks to change it.
    seed: int = 0  # seeds the initial weights, the data order and every noise draw
    checkpoint_every: int = field(default=10_000, metadata=RESUMABLE)
    eval_every: int | None = field(default=None, metadata=RESUMABLE)  # judge the samples every K steps (None: never)
    eval_n: int = field(default=EVAL_N, metadata=RESUMABLE)  # samples per judgement
    # also the Parzen window of PARZEN_N samples every K steps (None: never)
    parzen_every: int | None = field(default=None, metadata=RESUMABLE)
    loop: Loop = DEFAULT_LOOP  # "fast": a block of steps per session.run; "classic": the posts' loop
    xla: bool | None = None  # compile the fast loop's blocks (None: yes for the fast loop); changes the last bits
    data: str | None = None  # the data source, resolved ("bundled", "idx:PATH", ...); None: given by a caller
    threads: int | None = None  # TensorFlow's CPU threads (None: one per core)
    graph: str = "recipe"  # "recipe": the recipe's build(); OWN_GRAPH: a caller's, which config.json cannot rebuild

    def __post_init__(self) -> None:
        self.loop, self.xla = choose(self.loop, self.xla, {})

    @property
    def module(self) -> Recipe:
        return recipes.get(self.recipe)

    def to_json(self) -> dict[str, Any]:
        """config.json's content; older runs' files had the same keys, some of them missing."""
        saved = {"recipe": self.recipe, "config": dataclasses.asdict(self.config), "seed": self.seed,
                 "checkpoint_every": self.checkpoint_every, "eval_every": self.eval_every, "eval_n": self.eval_n,
                 **({"parzen_every": self.parzen_every} if self.parzen_every else {}),
                 "loop": self.loop, "xla": self.xla, "data": self.data, "threads": self.threads}
        return {**saved, "graph": self.graph} if self.graph != "recipe" else saved

    def write(self, run: Path) -> None:
        write_json(run / CONFIG, self.to_json())


RUN_SETTINGS = tuple(f.name for f in dataclasses.fields(RunRecord))[2:]  # seed, checkpoint_every, ...
RESUME_MAY_CHANGE = tuple(f.name for f in dataclasses.fields(RunRecord) if f.metadata.get("resumable"))
RESUME_KEEPS = tuple(name for name in RUN_SETTINGS if name not in RESUME_MAY_CHANGE and name != "graph")


def record_of(recipe: str, config: RecipeConfig, **given: Any) -> RunRecord:
    """A run record from what was given; a setting given as None (a flag not passed, a key missing from an
    older config.json) takes the record's own default, which is written once, above."""
    unknown = set(given) - set(RUN_SETTINGS)
    if unknown:
        raise TypeError(f"not run settings: {', '.join(sorted(unknown))}")
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
        config = recipe.Config(**saved["config"])
    except FileNotFoundError:
        raise TfGanError(f"{path}: not found; {hint}") from None
    except OSError as e:
        raise TfGanError(f"{path}: cannot be read ({e.strerror}); {hint}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise TfGanError(f"{path}: not a valid run config ({type(e).__name__}: {e}); {hint}") from None
    if saved.get("graph", "recipe") != "recipe" and not own_graph:
        raise TfGanError(f"{path}: this run trained a graph of its own (train(..., build=...)), which the command "
                         "line cannot rebuild; resume or sample it from Python with the same build")
    loop, xla = choose(None, None, saved, str(path))  # runs from before the fast loop were classic
    return record_of(saved["recipe"], config, **{**{key: saved.get(key) for key in RUN_SETTINGS}, "loop": loop,
                                                  "xla": xla})


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
            raise TfGanError(f"{run} was trained with --{key} {shown}, not {given}; --resume continues "
                             "a run unchanged, so start a new run instead")
    if changes.get("steps") is not None or changes.get("epochs") is not None:
        steps = changes.get("steps")
        cfg = dataclasses.replace(cfg, steps=steps, epochs=changes.get("epochs") if steps is None else cfg.epochs)
    others = {key: value for key, value in changes.items() if key in cfg.RESUMABLE and key not in ("steps", "epochs")}
    cfg = dataclasses.replace(cfg, **others)
    kept = {key: asked[key] for key in RESUME_MAY_CHANGE if asked.get(key) is not None}
    return dataclasses.replace(record, config=cfg, **kept)
