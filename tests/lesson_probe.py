"""Run lessons in this process and save what their graphs hold: for tests/test_lesson_graphs.py.

    python tests/lesson_probe.py JOBS.json

JOBS.json is a list of [lesson.py, out.pkl, [flag, ...]]. For each lesson: its global
variables (names, shapes, dtypes, in creation order), their initial values (the
initializers run again in a fresh session of the lesson's graph), their values after
the lesson's own run, and every numpy number the lesson left in its globals (the
losses its loop fetched last). A lesson switches the process to graph mode, so this
runs apart from the test process.
"""

from __future__ import annotations

import json
import pickle
import runpy
import sys

import numpy as np

import tf_gan  # noqa: F401  (TensorFlow's environment first)
from tf_gan.graph import tf1


def probe(lesson: str, out: str, flags: list[str]) -> None:
    sys.argv = [lesson, *flags]
    scope = runpy.run_path(lesson, run_name="__main__")
    sess = scope["sess"]
    with sess.graph.as_default():
        variables = tf1.global_variables()
    trained = sess.run(variables)
    with tf1.Session(graph=sess.graph) as fresh:
        fresh.run([v.initializer for v in variables])
        initial = fresh.run(variables)
    numbers = {name: float(value) for name, value in scope.items() if isinstance(value, np.floating)}
    with open(out, "wb") as f:
        pickle.dump({"names": [v.op.name for v in variables], "shapes": [v.shape.as_list() for v in variables],
                     "dtypes": [v.dtype.base_dtype.name for v in variables], "initial": initial,
                     "trained": trained, "numbers": numbers}, f)


if __name__ == "__main__":
    for lesson, out, flags in json.loads(open(sys.argv[1]).read()):
        probe(lesson, out, flags)
