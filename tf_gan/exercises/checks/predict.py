"""Predict, then run: the student's letter against a measurement, and the measurements lessons make.

The measurements run in a session or a graph of their own, so the lesson's session,
its random numbers and its graph are untouched.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tf_gan.exercises.checks.base import _fmt, _fresh_session, _is_blank
from tf_gan.exercises.verdicts import NOT_DONE, NOT_YET, PASS, say
from tf_gan.graph import tf, tf1


def check_prediction(exercise: str, prediction: object, measured: object,
                     options: dict[str, object], what: str) -> None:
    """The student's letter against the option the measurement falls in.

    An option is a (low, high) range, ends included, or a value the measurement must
    equal. The measured answer is shown only once a prediction is written down. Returns
    nothing, so that a notebook shows the verdict line and no Out[] below it.
    """
    letters = ", ".join(options)
    if _is_blank(prediction):
        say(exercise, NOT_DONE, f"write your prediction ({letters}) in `prediction` first; then "
                                "this cell shows the measured answer")
        return
    guess = str(prediction).strip().lower().strip("()")
    answer = next((letter for letter, option in options.items() if _fits(measured, option)), None)
    shown = f"measured {what}: {_fmt(measured)}"
    if guess not in options:
        say(exercise, NOT_YET, f"answer one of {letters}, not {prediction!r}")
    elif answer is None:
        say(exercise, NOT_YET, f"{shown}, which fits none of {letters}: show this to your teacher")
    else:
        say(exercise, PASS if guess == answer else NOT_YET,
            f"you predicted {guess}; {shown}, which is {answer}")


def _fits(measured: object, option: object) -> bool:
    if isinstance(option, tuple):
        low, high = option
        return isinstance(measured, (int, float, np.number)) and bool(low <= measured <= high)
    return measured == option


def value_before_training(fetches: object, feed: dict) -> object:
    """What `fetches` are with every variable at its initial value, on `feed`.

    For "predict, then run": the measurement runs in a session of its own, so the
    lesson's session, its random numbers and its graph are untouched.
    """
    tensors = fetches if isinstance(fetches, (list, tuple)) else [fetches]
    with _fresh_session(tensors[0].graph) as sess:
        return sess.run(fetches, feed)


def best_logit(loss_fn: Callable, label: float,
               logits: np.ndarray = np.arange(-5.0, 20.25, 0.25)) -> float:
    """The logit where `loss_fn(logit, labels)` is smallest for one real image of this `label`.

    `loss_fn` is the lesson's own loss function, run on a graph of its own.
    """
    graph = tf.Graph()
    with graph.as_default():
        l = tf1.placeholder(tf.float32, [None, 1])
        loss = loss_fn(l, tf.ones_like(l) * label)
    with tf1.Session(graph=graph) as sess:
        values = [sess.run(loss, {l: [[x]]}) for x in logits]
    return float(logits[int(np.argmin(values))])


def graph_growth(build: Callable[[], object]) -> str:
    """What `build()` does to the default graph: "grows", "unchanged", or "error".

    "error": TensorFlow refused.
    """
    graph = tf1.get_default_graph()
    before = len(graph.get_operations())
    try:
        build()
    # a finalized graph raises RuntimeError; any refusal is the answer
    except Exception:  # noqa: BLE001
        return "error"
    return "grows" if len(graph.get_operations()) > before else "unchanged"


def what_happens(build: Callable[[], object]) -> str:
    """"error" if `build()` raises when run in a graph of its own, else "runs".

    For "find the bug" exercises: the suspect line is tried away from the lesson's graph,
    so the lesson's ops, and the seeds of its random ops, are untouched.
    """
    with tf.Graph().as_default():
        try:
            build()
        except Exception:  # noqa: BLE001  (any refusal is the answer)
            return "error"
    return "runs"


def value_after(step: object, feed: dict, fetch: object, start: dict | None = None) -> object:
    """`fetch` after one run of `step` from the initial weights, with the variables in `start` set first.

    For "predict, then run" about an update: e.g. a schedule's value after update N, by
    setting the update counter to N - 1. Runs in a session of its own.
    """
    tensors = fetch if isinstance(fetch, (list, tuple)) else [fetch]
    with _fresh_session(tensors[0].graph) as sess:
        for variable, value in (start or {}).items():  # its initializer, fed another value: no new op
            sess.run(variable.initializer, {variable.initial_value: value})
        sess.run(step, feed)
        return sess.run(fetch)
