"""Checkpoints that hold everything a run needs to continue exactly where it stopped.

A ``tf.compat.v1.train.Saver`` checkpoint stores every variable: the weights, Adam's
moment estimates and step counters, batch-norm statistics. To continue a run *exactly*
it also needs what lives in Python: the step, the data order, the noise generator and
the loss log. We keep those as JSON in one more variable, ``train_loop/state``, so the
Saver writes them in the same checkpoint: there is never a weight file without its
matching loop state.

The Saver writes each checkpoint under a temporary name and renames it, and updates
its ``checkpoint`` index file last, so a crash mid-save leaves the previous checkpoint
as the latest one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tf_gan.errors import TfGanError
from tf_gan.graph import tf, tf1

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
        return self.saver.save(sess, str(prefix), global_step=step)

    def restore(self, sess: tf1.Session, ckpt: str, what: str) -> dict[str, Any]:
        """Load the variables of `ckpt` into `sess`; returns the loop state saved with them."""
        restore(self.saver, sess, ckpt, what)
        return json.loads(sess.run(self.state))


def checkpointer() -> Checkpointer:
    """Add the loop-state variable and a Saver of every variable to the default graph."""
    with tf1.variable_scope("train_loop"):
        state = tf1.Variable("{}", trainable=False, name="state", dtype=tf.string)
        state_in = tf1.placeholder(tf.string, [], name="state_in")
        write_state = state.assign(state_in).op
    saver = tf1.train.Saver(max_to_keep=MAX_TO_KEEP, save_relative_paths=True)  # so the run may be moved
    return Checkpointer(saver, state, state_in, write_state)


def latest(directory: Path) -> str | None:
    return tf1.train.latest_checkpoint(str(directory))


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
