"""Checks of optimizer steps: one step of each, on fixed inputs, in a session of the check's own.

A step must move every variable of its list, no other trainable one, and its objective
the right way; G's step with batch norm must also move the moving averages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from tf_gan.exercises.checks.base import (Blank, Wrong, _checked, _feed_for, _fresh_session,
                                          _hand_back, _is_blank, _names, _same_graph, _verdict)
from tf_gan.graph import tf, tf1


@dataclass
class _Step:
    """What one run of an optimizer step did, in a fresh session on fixed inputs."""

    moved: list  # the variables whose values changed (trainable or not)
    before: float  # the objective, before and after the step
    after: float


def _take_step(step: object, objective: tf.Tensor, inputs: Sequence[tf.Tensor], what: str) -> _Step:
    graph = objective.graph
    _same_graph(what, step, graph)
    feed = _feed_for(inputs)
    variables = graph.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES)
    try:
        with _fresh_session(graph) as sess:
            start, before = sess.run([variables, objective], feed)
            sess.run(step, feed)
            end, after = sess.run([variables, objective], feed)
    except tf.errors.OpError as e:
        raise Wrong(f"running {what} failed: {e.message.splitlines()[0]}") from None
    moved = [v for v, a, b in zip(variables, start, end) if not np.array_equal(a, b)]
    return _Step(moved, float(before), float(after))


def _step_test(player: str, step: object, objective: tf.Tensor, var_list: list,
               inputs: Sequence[tf.Tensor], maximize: bool) -> Callable[[], None]:
    """A test of `player`'s step.

    One step must move every variable of its list, no other trainable one, and its
    objective the right way.
    """

    def test() -> None:
        if _is_blank(step):
            raise Blank
        if isinstance(step, tf1.train.Optimizer):
            raise Wrong(f"{player}'s step is an optimizer, not a step: call its minimize(...)")
        taken = _take_step(step, objective, inputs, f"{player}'s step")
        trainable = {v.op.name for v in
                     objective.graph.get_collection(tf1.GraphKeys.TRAINABLE_VARIABLES)}
        mine = {v.op.name for v in var_list}
        strays = [v for v in taken.moved if v.op.name in trainable - mine]
        idle = [v for v in var_list if v.op.name not in {m.op.name for m in taken.moved}]
        if strays:
            raise Wrong(f"{player}'s step also moved {_names(strays)}: give minimize var_list= so "
                        f"that it moves only {player}'s variables")
        if idle:
            raise Wrong(f"{player}'s step left {_names(idle)} unchanged: it should train all of "
                        f"{player}'s list")
        went = f"{taken.before:.6g} -> {taken.after:.6g} on the check batch"
        if maximize and not taken.after > taken.before:
            raise Wrong(f"{player}'s step made its cost smaller ({went}): to maximise a cost, "
                        "minimise minus it")
        if not maximize and not taken.after < taken.before:
            raise Wrong(f"{player}'s step made its loss larger ({went}): is it minimising "
                        f"{player}'s own loss?")

    return test


def check_solvers(exercise: str, D: tuple, G: tuple, inputs: Sequence[tf.Tensor], *,
                  maximize: bool = False, learning_rate: float = 0.001) -> tuple[object, object]:
    """D = (step, loss, var_list) and G the same: one step of each on fixed `inputs`.

    Each runs in a session of the check's own. With `maximize`, the second element of
    each is a cost the step must make larger.
    """
    tests = [_step_test(player, *spec, inputs, maximize) for player, spec in (("D", D), ("G", G))]

    def test() -> None:
        if _is_blank(D[0]) and _is_blank(G[0]):
            raise Blank
        for one in tests:
            one()

    if _verdict(exercise, "D's and G's steps", test):
        return D[0], G[0]
    answers = []
    for one, (step, objective, var_list) in zip(tests, (D, G)):
        try:
            one()
            answers.append(step)
        except (Blank, Wrong):
            with objective.graph.as_default():
                answers.append(_hand_back(tf1.train.AdamOptimizer(learning_rate).minimize(
                    -objective if maximize else objective, var_list=var_list)))
    return answers[0], answers[1]


def check_batch_norm_update(exercise: str, step: object, loss: tf.Tensor, var_list: list,
                            inputs: Sequence[tf.Tensor], optimizer: tf1.train.Optimizer) -> object:
    """G's step trains G's list and, with it, moves every batch-norm moving average.

    That is, it runs the graph's UPDATE_OPS too.
    """
    graph = loss.graph
    averages = graph.get_collection(tf1.GraphKeys.MOVING_AVERAGE_VARIABLES)
    trains = _step_test("G", step, loss, var_list, inputs, maximize=False)

    def test() -> None:
        trains()
        moved = {v.op.name for v in _take_step(step, loss, inputs, "G's step").moved}
        still = [v for v in averages if v.op.name not in moved]
        if still:
            raise Wrong(f"G's step left batch norm's {_names(still[:2])}"
                        f"{' and more' if len(still) > 2 else ''} where they were: run the graph's "
                        "UPDATE_OPS with it (tf.control_dependencies)")

    def reference() -> object:
        with tf.control_dependencies(graph.get_collection(tf1.GraphKeys.UPDATE_OPS)):
            return optimizer.minimize(loss, var_list=var_list)

    return _checked(exercise, "G_solver", step, test, graph, reference)
