"""Checks of which variables a network uses: D's and G's lists, and D's weights in two calls.

Which variables a network computes with is read off the graph, walking back from its
output, so the checks hold whatever names a lesson gives its variables.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tf_gan.exercises.checks.base import (ATOL, CHECK_SEED, ROWS, RTOL, Blank, Wrong, _checked,
                                          _hand_back, _is_blank, _names, _run, _same_graph,
                                          _sigmoid, _verdict, noise)
from tf_gan.graph import tf, tf1

# ------------------------------------------------------------ the graph behind a tensor

def _ops_behind(tensor: tf.Tensor) -> set[str]:
    """The names of every op `tensor` is computed from: a walk back along the graph's inputs."""
    seen: set[str] = set()
    todo = [tensor.op]
    while todo:
        op = todo.pop()
        if op.name not in seen:
            seen.add(op.name)
            todo += [t.op for t in op.inputs]
    return seen


def _trainable_behind(tensor: tf.Tensor) -> list:
    """The trainable variables `tensor` computes with, in the order the graph made them."""
    behind = _ops_behind(tensor)
    return [v for v in tensor.graph.get_collection(tf1.GraphKeys.TRAINABLE_VARIABLES)
            if v.op.name in behind]


def _placeholders_behind(tensor: tf.Tensor) -> list[tf.Tensor]:
    behind = _ops_behind(tensor)
    return [op.outputs[0] for op in tensor.graph.get_operations()
            if op.type == "Placeholder" and op.name in behind]


# ------------------------------------------------------------ checks of variable lists

def _list_test(player: str, answer: object, expected: list, other: list,
               graph: tf.Graph) -> Callable[[], None]:
    """`answer` must hold exactly the `expected` variables.

    They are compared by name, as a graph names each once.
    """

    def test() -> None:
        if _is_blank(answer):
            raise Blank
        if not isinstance(answer, (list, tuple)):
            raise Wrong(f"{player}'s list is a {type(answer).__name__}: make it a list of "
                        "variables")
        not_variables = [a for a in answer if not isinstance(a, tf.Variable)]
        if not_variables:
            raise Wrong(f"{player}'s list holds {not_variables[0]!r}, which is not a variable: "
                        "list the variables")
        if any(v.graph is not graph for v in answer):
            raise Wrong(f"{player}'s list holds variables of an older graph: run the notebook "
                        "again from the top")
        names = [v.op.name for v in answer]
        twice = sorted({n for n in names if names.count(n) > 1})
        theirs = [v for v in answer if v.op.name in {o.op.name for o in other}]
        trainable = graph.get_collection(tf1.GraphKeys.TRAINABLE_VARIABLES)
        untrained = [v for v in answer if not any(v.op.name == t.op.name for t in trainable)]
        unused = [v for v in answer if v.op.name not in {e.op.name for e in expected + other}]
        missing = [v for v in expected if v.op.name not in names]
        if theirs:
            raise Wrong(f"{player}'s list also holds {_names(theirs)}, of the other network")
        if untrained:
            raise Wrong(f"{player}'s list holds {_names(untrained)}, which no optimizer trains "
                        "(not trainable)")
        if unused:
            raise Wrong(f"{player}'s list holds {_names(unused)}, which {player} does not "
                        "compute with")
        if missing:
            raise Wrong(f"{player}'s list is missing {_names(missing)}")
        if twice:
            raise Wrong(f"{player}'s list holds {', '.join(twice)} more than once")

    return test


def check_var_lists(exercise: str, list_D: object, list_G: object, D_output: tf.Tensor,
                    G_output: tf.Tensor) -> tuple[list, list]:
    """Each list holds exactly the trainable variables its network computes with.

    Which those are is read off the graph, walking back from D's output on real images
    and from G's output, so the check holds whatever names a lesson gives its variables.
    """
    graph = D_output.graph
    want_D, want_G = _trainable_behind(D_output), _trainable_behind(G_output)
    tests = [_list_test("D", list_D, want_D, want_G, graph),
             _list_test("G", list_G, want_G, want_D, graph)]

    def test() -> None:
        if _is_blank(list_D) and _is_blank(list_G):
            raise Blank
        for one in tests:
            one()

    passed = _verdict(exercise, "D's and G's lists", test)
    return (list_D, list_G) if passed else (_hand_back(want_D), _hand_back(want_G))


# ------------------------------------------------------------ a check of shared weights

def check_reuse(exercise: str, fake_pair: object, real_logits: tf.Tensor, fakes: tf.Tensor,
                discriminator: Callable) -> tuple[tf.Tensor, tf.Tensor]:
    """D's (output, logits) on `fakes` is the D of the real images: same images, same verdict.

    The check feeds one fixed batch as G's output and as the real images, in a fresh
    session: equal logits mean shared weights, and feeding a second batch as the real
    images only proves the fake side reads G's images, not the real ones.
    """
    graph = real_logits.graph
    real_inputs = _placeholders_behind(real_logits)

    def test() -> None:
        if _is_blank(fake_pair):
            raise Blank
        if not (isinstance(fake_pair, tuple) and len(fake_pair) == 2):
            raise Wrong("expected the pair discriminator returns: (output, logits)")
        output, logits = fake_pair
        _same_graph("D_logits_fake", logits, graph)
        _same_graph("D_output_fake", output, graph)
        cols = int(fakes.shape[-1])
        batch, other = noise(ROWS, cols), noise(ROWS, cols, CHECK_SEED + 1)
        feed = {fakes: batch, **{p: other for p in real_inputs}}
        got_logits, got_output = _run(graph, [logits, output], feed, "D_logits_fake")
        same = _run(graph, real_logits, {p: batch for p in real_inputs}, "D_logits_real")
        if np.allclose(got_output, same) and not np.allclose(got_logits, same):
            raise Wrong("D_output_fake and D_logits_fake are swapped: discriminator returns "
                        "(output, logits)")
        if np.allclose(got_logits, _run(graph, real_logits, feed, "D_logits_real")):
            raise Wrong("D_logits_fake judges the real images: give discriminator G's output")
        if not np.allclose(got_logits, same, RTOL, ATOL):
            raise Wrong("on the same images D_logits_fake and D_logits_real differ: the second "
                        "call made new weights instead of reusing D's (reuse=True)")
        if not np.allclose(got_output, _sigmoid(got_logits), RTOL, ATOL):
            raise Wrong("D_output_fake is not the sigmoid of D_logits_fake")

    def reference() -> tuple[tf.Tensor, tf.Tensor]:
        return discriminator(fakes, reuse=True)

    return _checked(exercise, "D_output_fake, D_logits_fake", fake_pair, test, graph, reference)
