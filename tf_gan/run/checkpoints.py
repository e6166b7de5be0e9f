"""Checkpoints that hold everything a run needs to continue exactly where it stopped.

A ``tf.compat.v1.train.Saver`` checkpoint stores every variable: the weights, Adam's
moment estimates and step counters, batch-norm statistics. To continue a run *exactly*
it also needs what lives in Python: the step, the data order, the noise generator and
the loss log. We keep those as JSON in one more variable, ``train_loop/state``, so the
Saver writes them in the same checkpoint: there is never a weight file without its
matching loop state.

The Saver writes each checkpoint under a temporary name and renames it, and updates
its ``checkpoint`` index file last, so a crash mid-save leaves the previous checkpoint
as the latest one. A checkpoint damaged afterwards (a disk that filled up, a file cut
short by a copy) is caught by :func:`latest_usable`, which reads every tensor back (each
one carries a checksum) and falls back to the newest checkpoint that is whole.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tf_gan.errors import TfGanError
from tf_gan.graph import tf, tf1

log = logging.getLogger(__name__)

MAX_TO_KEEP = 3


@dataclass
class Checkpointer:
    """The Saver plus the loop-state variable, built into a graph before it is finalized."""

    saver: tf1.train.Saver
    state: tf.Variable
    state_in: tf.Tensor
    write_state: tf.Operation

    def save(self, sess: tf1.Session, prefix: Path, step: int, loop_state: dict[str, Any]) -> str:
        sess.run(self.write_state, feed_dict={self.state_in: json.dumps(loop_state)})
        with quiet_tensorflow():  # deleting the oldest checkpoint prints TF's own deprecation note, 4 lines
            return self.saver.save(sess, str(prefix), global_step=step)

    def restore(self, sess: tf1.Session, ckpt: str, what: str) -> dict[str, Any]:
        """Load the variables of `ckpt` into `sess`; returns the loop state saved with them.

        The Saver also learns which checkpoints the stopped run kept, up to `ckpt`, so it goes
        on deleting the oldest as if the run had never stopped (and keeps MAX_TO_KEEP in all).
        """
        restore(self.saver, sess, ckpt, what)
        kept = _listed(Path(ckpt).parent)
        with quiet_tensorflow():  # it reads the files' times through a deprecated TF call, which says so
            self.saver.recover_last_checkpoints(kept[:kept.index(ckpt) + 1] if ckpt in kept else [ckpt])
        return json.loads(sess.run(self.state))


@contextlib.contextmanager
def quiet_tensorflow() -> Iterator[None]:
    """TensorFlow's warnings off for a moment: notes about its own deprecated internals tell a student nothing."""
    logger = logging.getLogger("tensorflow")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def checkpointer() -> Checkpointer:
    """Add the loop-state variable and a Saver of every variable to the default graph."""
    with tf1.variable_scope("train_loop"):
        state = tf1.Variable("{}", trainable=False, name="state", dtype=tf.string)
        state_in = tf1.placeholder(tf.string, [], name="state_in")
        write_state = state.assign(state_in).op
    saver = tf1.train.Saver(max_to_keep=MAX_TO_KEEP, save_relative_paths=True)  # so the run may be moved
    return Checkpointer(saver, state, state_in, write_state)


def latest(directory: Path) -> str | None:
    """The newest checkpoint the Saver recorded, unchecked (see latest_usable)."""
    return tf1.train.latest_checkpoint(str(directory))


def latest_usable(directory: Path) -> str | None:
    """The newest checkpoint in `directory` whose every tensor reads back intact; None if there is none at all.

    A damaged one (a ``.data`` file cut short, an ``.index`` missing, a checksum that
    fails) costs a one-line warning and the next older one is tried: a run loses the steps
    since that one, not the run. When every checkpoint is damaged, a TfGanError says so.
    """
    damaged = []
    for ckpt in _candidates(Path(directory)):
        problem = damage(ckpt)
        if problem is None:
            if damaged:
                log.warning("%s: %s damaged (%s); using %s, the newest whole checkpoint", directory,
                            ", ".join(Path(c).name for c, _ in damaged), damaged[0][1], Path(ckpt).name)
            return ckpt
        damaged.append((ckpt, problem))
    if damaged:
        names = ", ".join(Path(c).name for c, _ in damaged)
        raise TfGanError(f"{directory}: every checkpoint is damaged ({names}; the newest: {damaged[0][1]}); "
                         "start the run again with --overwrite")
    return None


def damage(ckpt: str) -> str | None:
    """What is wrong with checkpoint `ckpt`, in a few words, or None when every tensor reads back intact.

    TensorFlow stores a checksum with each tensor and checks it on reading, so reading all
    of them (a few megabytes) finds a truncated or corrupted file before a restore would.
    """
    try:
        reader = tf1.train.NewCheckpointReader(ckpt)
        for name in reader.get_variable_to_shape_map():
            reader.get_tensor(name)
    except (tf.errors.OpError, IndexError, ValueError) as e:  # a file cut short raises IndexError
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        return first.replace(f"{Path(ckpt).parent}/", "")[:120]  # the directory is named once, by the caller
    return None


def _listed(directory: Path) -> list[str]:
    """The checkpoints the Saver's ``checkpoint`` file lists, oldest first (none if it is missing or unreadable)."""
    try:
        state = tf1.train.get_checkpoint_state(str(directory))
    except ValueError:  # a ``checkpoint`` file without a latest checkpoint in it
        return []
    if state is None:
        return []
    paths = [p for p in state.all_model_checkpoint_paths if p != state.model_checkpoint_path]
    return [*paths, state.model_checkpoint_path]


def _candidates(directory: Path) -> list[str]:
    """Every checkpoint in `directory`, newest first: those the ``checkpoint`` file lists, then any other
    ``.index`` file (the list lost or cut short), by step."""
    listed = _listed(directory)[::-1]
    others = [str(p.with_suffix("")) for p in directory.glob("*.index") if str(p.with_suffix("")) not in listed]
    return listed + sorted(others, key=step_of, reverse=True)


def step_of(ckpt: str) -> int:
    """The step in a checkpoint's name, ``model-1200``; -1 for a name without one."""
    tail = ckpt.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else -1


def restore(saver: tf1.train.Saver, sess: tf1.Session, ckpt: str, what: str) -> None:
    """``saver.restore``, with a one-line error for a damaged or foreign checkpoint."""
    try:
        saver.restore(sess, ckpt)
    except (tf.errors.InvalidArgumentError, tf.errors.NotFoundError, tf.errors.DataLossError) as e:
        first = str(e).strip().splitlines()[0][:160]
        raise TfGanError(f"{ckpt}: does not match {what} or is damaged ({first})") from None


def check_matches(ckpt: str, variables: list[tf.Variable], what: str, exact: bool = False) -> None:
    """Refuse a checkpoint whose variables differ from the graph's, with a one-line reason.

    A restore would otherwise put a [100, 128] tensor into a [50, 128] variable without a
    word. `exact` (for resuming) also refuses variables the graph no longer has.
    """
    try:
        saved = tf1.train.NewCheckpointReader(ckpt).get_variable_to_shape_map()
    except (tf.errors.NotFoundError, tf.errors.DataLossError) as e:
        raise TfGanError(f"{ckpt}: does not match {what} or is damaged ({e.message[:160]})") from None
    here = {v.op.name: v.shape.as_list() for v in variables}
    problems = [f"{name} is {saved[name]} there, {shape} here" for name, shape in here.items()
                if name in saved and saved[name] != shape]
    problems += [f"no {name} in it" for name in here if name not in saved]
    if exact:
        problems += [f"{name} is not in this graph" for name in saved if name not in here]
    if problems:
        more = f" and {len(problems) - 3} more" if len(problems) > 3 else ""
        raise TfGanError(f"{ckpt}: does not match {what} ({'; '.join(problems[:3])}{more})")
