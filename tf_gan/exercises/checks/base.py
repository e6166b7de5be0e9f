"""What every check is built from: its verdict, what it hands back, fixed inputs, fresh sessions.

A check's test raises `Blank` (no answer yet) or `Wrong` (the message says what and hints
why), or returns: it passed. `_verdict` prints the line; `_checked` hands back the
student's answer when it passed, else a working one built in the lesson's graph, and
remembers it, so that running the check twice does not pass the handed-back answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np

from tf_gan.exercises.verdicts import NOT_DONE, NOT_YET, PASS, say
from tf_gan.graph import tf, tf1

# ------------------------------------------------------------ the answer, and the verdict

class Blank(Exception):
    """The answer is still the blank the student was given."""


class Wrong(Exception):
    """The answer does something else; the message says what and hints why."""


# id -> what a check handed back; held, so that no other object takes its id
_HANDED_BACK: dict[int, object] = {}


def _hand_back(answer: object) -> object:
    """Remember a working answer a check hands back, and its parts when it is a pair of tensors."""
    for part in [answer, *(answer if isinstance(answer, tuple) else ())]:
        _HANDED_BACK[id(part)] = part
    return answer


def _is_blank(answer: object) -> bool:
    """No answer of the student's: `...`, an empty list, a tuple of blanks, or what a check gave.

    The last one matters when a student runs a check twice: the first run handed back
    a working answer, which must not pass the second.
    """
    if answer is Ellipsis or id(answer) in _HANDED_BACK:
        return True
    return isinstance(answer, (list, tuple)) and all(_is_blank(a) for a in answer)


def _verdict(exercise: str, what: str, test: Callable[[], None]) -> bool:
    """Run `test` and print its verdict; True when it passed.

    The caller then hands back the answer, else one that works.
    """
    try:
        test()
    except Blank:
        say(exercise, NOT_DONE, f"{what}: no answer of yours yet (the blank, or what a check "
                                "handed back); the check hands back a working one, so the lesson "
                                "runs on")
        return False
    except Wrong as e:
        say(exercise, NOT_YET, f"{e} (the check hands back a working one, so the lesson runs on)")
        return False
    say(exercise, PASS)
    return True


def _checked(exercise: str, name: str, answer: object, test: Callable[[], None], graph: tf.Graph,
             reference: Callable[[], object]) -> object:
    """The answer if it passes, else `reference()` built in the lesson's graph."""
    if _verdict(exercise, name, test):
        return answer
    with graph.as_default():
        return _hand_back(reference())


# ------------------------------------------------------------ fixed inputs, fresh sessions

# the checks' own random numbers: never the lesson's rng, so its run stays the same
CHECK_SEED = 20140610
ROWS = 8  # images in a check batch


def noise(rows: int, cols: int, seed: int = CHECK_SEED) -> np.ndarray:
    """A fixed batch, uniform in [-1, 1].

    Inputs for a check or a measurement that leave the lesson's rng alone.
    """
    return np.random.default_rng(seed).uniform(-1.0, 1.0, (rows, cols)).astype(np.float32)


def _feed_for(placeholders: Sequence[tf.Tensor],
              seed: int = CHECK_SEED) -> dict[tf.Tensor, np.ndarray]:
    return {p: noise(ROWS, int(p.shape[-1]), seed + i) for i, p in enumerate(placeholders)}


def _shaped(tensor: tf.Tensor, values: np.ndarray) -> np.ndarray:
    """`values` shaped as `tensor` takes them: (n,) for a [None] tensor, (n, 1) for [None, 1]."""
    return np.asarray(values, np.float32).reshape([-1, *tensor.shape.as_list()[1:]])


@contextmanager
def _graph_unchanged(graph: tf.Graph) -> Iterator[None]:
    """A check measures without adding ops: after its checks, the lesson's graph is as it was."""
    before = len(graph.get_operations())
    yield
    added = len(graph.get_operations()) - before
    assert added == 0, f"a check added {added} ops to the lesson's graph"


@contextmanager
def _fresh_session(graph: tf.Graph) -> Iterator[tf1.Session]:
    """A session of `graph`, every variable at its initial value; the lesson's own never sees it.

    Each session starts the random initialisers afresh, so the lesson's session later
    draws the same initial weights as it would without the check.
    """
    with _graph_unchanged(graph), tf1.Session(graph=graph) as sess:
        sess.run([v.initializer for v in graph.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES)])
        yield sess


def _run(graph: tf.Graph, fetches: object, feed: dict, what: str) -> object:
    """`fetches` in a fresh session.

    A feed the answer needs but the check did not give is a Wrong, not a crash.
    """
    try:
        with _fresh_session(graph) as sess:
            return sess.run(fetches, feed)
    except tf.errors.OpError as e:
        first = e.message.splitlines()[0]
        raise Wrong(f"{what} needs more than the check feeds it ({first})") from None


def _same_graph(name: str, answer: object, graph: tf.Graph) -> None:
    if not isinstance(answer, (tf.Tensor, tf.Operation)):
        raise Wrong(f"{name} is a {type(answer).__name__}, not a tensor of the lesson's graph")
    if answer.graph is not graph:
        raise Wrong(f"{name} belongs to an older graph: run the notebook again from the top")


# ------------------------------------------------------------ numbers, and names in messages

# float32 rounding of a few ops is ~1e-7 relative; every mistake the checks name is off by far more
RTOL, ATOL = 1e-4, 1e-5


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, np.float64)))


def _names(variables: Sequence) -> str:
    return ", ".join(v.op.name for v in variables)


def _fmt(x: object) -> str:
    if isinstance(x, (float, np.floating, int)) and not isinstance(x, bool):
        return f"{x:.4g}"
    return str(x)


def _fmt_array(x: np.ndarray) -> str:
    x = np.asarray(x)
    if x.shape == ():
        return f"{float(x):.4g}"
    return "[" + ", ".join(f"{v:.4g}" for v in x.ravel()) + "]"
