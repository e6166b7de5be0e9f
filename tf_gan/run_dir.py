"""A run directory: the config a run used, its pictures, its loss log and its checkpoints.

    RUN_DIR/config.json        recipe, seed, data source and every hyper-parameter
    RUN_DIR/grids/NNN.png      the 4x4 grid of the fixed noise batch, every sample_every steps
    RUN_DIR/samples/NNN.png    the post's own layout (5x5, 1x10, ...), where it has one
    RUN_DIR/progress.gif       the grids as an animation, written at the end of the run
    RUN_DIR/losses.csv         step, the recipe's losses (and accuracy), mean D(x), mean D(G(z))
    RUN_DIR/losses.png         those curves, written at the end of the run
    RUN_DIR/quality.csv        with --eval-every: step, classifier score, Frechet distance, classes hit
    RUN_DIR/quality.png        score and distance against the step, written at the end of the run
    RUN_DIR/tensorboard/       event files: the graph, the same numbers, the grids
    RUN_DIR/checkpoints/       tf.compat.v1.train.Saver files (weights, optimizer and loop state)
    RUN_DIR/eval.json          sample-quality figures, written by `tf_gan evaluate RUN_DIR`
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

from tf_gan import recipes
from tf_gan.errors import TfGanError
from tf_gan.files import write_json

CONFIG = "config.json"


RUN_FILES = {CONFIG, "grids", "samples", "progress.gif", "losses.csv", "losses.png", "quality.csv", "quality.png",
             "tensorboard", "checkpoints", "eval.json"}


def check(path: Path | str, overwrite: bool = False) -> Path:
    """Raise unless `path` can become a run directory; call before slow work like loading data."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise TfGanError(f"{path}: exists and is not a directory; choose another --out")
    if path.is_dir() and any(path.iterdir()):
        foreign = sorted(p.name for p in path.iterdir() if not _belongs(p.name))
        if foreign or not _is_run(path):
            shown = ", ".join(foreign[:3]) or CONFIG
            raise TfGanError(f"{path}: holds files that are not a tf_gan run ({shown}); choose another --out")
        if not overwrite:
            raise TfGanError(f"{path}: already holds a run; pass --overwrite to replace it or choose another --out")
    parent = next(p for p in [path, *path.parents] if p.exists())
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise TfGanError(f"{path}: cannot be created ({parent} is not a writable directory); choose another --out")
    return path


def create(path: Path | str, overwrite: bool = False) -> Path:
    """Make an empty run directory; only a run's own files are ever deleted (with overwrite)."""
    path = check(path, overwrite)
    for target in path.iterdir() if path.is_dir() else []:  # check() made sure: all of them are ours
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    try:
        (path / "grids").mkdir(parents=True, exist_ok=True)
        (path / "checkpoints").mkdir(exist_ok=True)
    except OSError as e:
        raise TfGanError(f"{path}: cannot create the run directory ({e.strerror}); choose another --out") from None
    return path


def _belongs(name: str) -> bool:
    """A run's own file, or a temporary one a killed process left behind while writing it."""
    return name in RUN_FILES or any(name.startswith(f".{own}.") for own in RUN_FILES)


def _is_run(path: Path) -> bool:
    try:
        return json.loads((path / CONFIG).read_text()).get("recipe") in recipes.RECIPES
    except (OSError, ValueError, AttributeError):
        return False


def checkpoint_prefix(run: Path) -> Path:
    return run / "checkpoints" / "model"


def write_config(run: Path, recipe: str, cfg: Any, **settings: Any) -> None:
    write_json(run / CONFIG, {"recipe": recipe, "config": dataclasses.asdict(cfg), **settings})


def read_config(run: Path | str) -> tuple[ModuleType, Any, dict[str, Any]]:
    """(recipe module, its Config as the run used it, the other settings) of a run."""
    path = Path(run) / CONFIG
    hint = "give the directory of a run made by `tf_gan train`"
    try:
        saved = json.loads(path.read_text())
        recipe = recipes.get(saved.pop("recipe"))
        return recipe, recipe.Config(**saved.pop("config")), saved
    except FileNotFoundError:
        raise TfGanError(f"{path}: not found; {hint}") from None
    except OSError as e:
        raise TfGanError(f"{path}: cannot be read ({e.strerror}); {hint}") from None
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise TfGanError(f"{path}: not a valid run config ({type(e).__name__}: {e}); {hint}") from None
