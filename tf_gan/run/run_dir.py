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
    RUN_DIR/.lock              held (an OS file lock) while a process trains here; holds its PID

config.json is written the moment a run starts, so a run killed at any point after that
can be resumed; one killed before it left at most the lock, temporary files and empty
folders, and counts as an empty directory.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tf_gan.errors import TfGanError

try:
    import fcntl
except ImportError:  # Windows has no flock: there a run directory is not locked
    fcntl = None
from tf_gan.eval.diagnose import DIVERGED
from tf_gan.run.record import CONFIG, recipe_name

LOCK = ".lock"


# A run's own files, which --overwrite may delete: what the trainer writes, evaluate's eval.json, and
# samples.png, the picture `make demo` draws beside its run (`tf_gan sample RUN --out RUN/samples.png`).
RUN_FILES = {CONFIG, "grids", "samples", "progress.gif", "losses.csv", "losses.png", "quality.csv", "quality.png",
             "tensorboard", "checkpoints", "eval.json", DIVERGED, "samples.png", LOCK}


@dataclass
class Lock:
    """A run directory's lock, held while this process trains in it.

    It is an OS file lock (flock) on RUN_DIR/.lock, not the file's existence: the OS lets
    go of it when the process ends, however it ends (kill -9 and a crash too), so it is
    never stale and never needs deleting. The file stays, with the PID of its last holder.
    """

    run: Path
    file: IO[str]

    def release(self) -> None:
        self.file.close()  # closing the file lets go of the lock

    def __enter__(self) -> Lock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def lock(run: Path) -> Lock:
    """Hold `run`'s lock for as long as this process trains in it, or raise naming the process that holds it."""
    try:
        file = open(run / LOCK, "a+")  # "a+": creates the file, and leaves the holder's PID in it until we hold it
    except OSError as e:
        raise TfGanError(f"{run}: cannot write in it ({e.strerror}); choose another --out") from None
    try:
        _flock(file)
    except OSError:
        file.close()
        raise _busy(run) from None
    file.truncate(0)
    file.write(f"{os.getpid()}\n")
    file.flush()
    return Lock(run, file)


def ensure_free(run: Path) -> None:
    """Raise if a live process trains in `run`; changes nothing. For a quick refusal before slow work."""
    try:
        file = open(run / LOCK)
    except OSError:  # no lock file: no process has ever trained here
        return
    with file:
        try:
            _flock(file)  # let go again when the file closes
        except OSError:
            raise _busy(run) from None


def _flock(file: IO[str]) -> None:
    """Take the OS lock on `file` without waiting; OSError if another process holds it."""
    if fcntl is not None:
        fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _busy(run: Path) -> TfGanError:
    try:
        pid = (run / LOCK).read_text().strip()
    except OSError:
        pid = ""
    who = f"process {pid}" if pid.isdigit() else "another process"
    stop = f" (Ctrl-C there, or kill {pid})" if pid.isdigit() else ""
    return TfGanError(f"{run}: {who} is training in it right now; let it finish or stop it first{stop}, "
                      "or choose another --out")


def check(path: Path | str, overwrite: bool = False, held: Lock | None = None) -> Path:
    """Raise unless `path` can become a run directory; call before slow work like loading data.

    A directory that holds only what a run killed during its start-up leaves (the lock,
    temporary files, empty folders) counts as empty. `held`: this process holds the lock.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise TfGanError(f"{path}: exists and is not a directory; choose another --out")
    if path.is_dir():
        if held is None:
            ensure_free(path)
        if not all(_leftover(p) for p in path.iterdir()):
            foreign = sorted(p.name for p in path.iterdir() if not _belongs(p.name))
            if foreign or not _is_run(path):
                shown = ", ".join(foreign[:3]) or CONFIG
                raise TfGanError(f"{path}: holds files that are not a tf_gan run ({shown}); choose another --out")
            if not overwrite:
                raise TfGanError(f"{path}: already holds a run; continue it with --resume {path}, pass --overwrite "
                                 "to replace it, or choose another --out")
    parent = next(p for p in [path, *path.parents] if p.exists())
    if not parent.is_dir() or not os.access(parent, os.W_OK):
        raise TfGanError(f"{path}: cannot be created ({parent} is not a writable directory); choose another --out")
    return path


def create(path: Path | str, overwrite: bool = False) -> Lock:
    """Make an empty run directory and hold its lock; only a run's own files are ever deleted (with overwrite).

    The lock comes before any deletion, so --overwrite never deletes a run another process
    is training; the caller releases it when the run ends.
    """
    path = check(path, overwrite)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise TfGanError(f"{path}: cannot create the run directory ({e.strerror}); choose another --out") from None
    held = lock(path)
    try:
        check(path, overwrite, held)  # again, holding the lock: another process may have begun in between
        empty(path)
    except OSError as e:
        held.release()
        raise TfGanError(f"{path}: cannot create the run directory ({e.strerror}); choose another --out") from None
    except BaseException:
        held.release()
        raise
    return held


def empty(run: Path, keep: tuple[str, ...] = ()) -> None:
    """Delete a run's files but its lock and `keep`, and make the folders a run starts with.

    config.json goes last, so a process killed while deleting leaves a directory that is
    still a run (which --overwrite may replace), not a stranger's.
    """
    targets = [p for p in run.iterdir() if p.name not in (LOCK, CONFIG, *keep)]  # check() made sure: all ours
    if CONFIG not in keep:
        targets.append(run / CONFIG)
    for target in targets:
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)
    (run / "grids").mkdir(exist_ok=True)
    (run / "checkpoints").mkdir(exist_ok=True)


def _belongs(name: str) -> bool:
    """A run's own file, or a temporary one a killed process left behind while writing it."""
    return name in RUN_FILES or _temporary(name)


def _temporary(name: str) -> bool:
    """A file tf_gan.files.atomic_path was writing when its process died."""
    return any(name.startswith(f".{own}.") for own in RUN_FILES)


def _leftover(entry: Path) -> bool:
    """Nothing of a run: the lock, a temporary file, or one of a run's folders with nothing in it."""
    if entry.name == LOCK or _temporary(entry.name):
        return True
    return entry.name in RUN_FILES and entry.is_dir() and not any(entry.iterdir())


def _is_run(path: Path) -> bool:
    return recipe_name(path) is not None


def checkpoint_prefix(run: Path) -> Path:
    return run / "checkpoints" / "model"
