"""Exercises in the lessons: the blanks a student fills in, the checks that test them, and a teacher's grader.

A lesson marks the lines a student should write, inside one code cell:

    # [solution 1.2] students get: D_loss = ...
    D_loss_real = tf.reduce_mean(...)
    ...
    # [end of solution 1.2]

The teacher's notebooks (tutorials/notebooks/) run those lines; `write_student_notebooks`
makes the students' copies (tutorials/exercises/), where the lines between the marks are
replaced by the blank after "students get:". After each exercise a check cell calls one
``check_*`` function below. A check tests what the code *does* on small fixed inputs
(a loss's value on fixed logits, which variables one optimizer step moves, whether the
same images get the same verdict), never the text typed. It prints one line,
``[1.2] pass``, ``[1.2] not yet: why`` or ``[1.2] not done: ...``, and hands back the
student's object when it passes, else a working one, so that a blank or a mistake
never stops the rest of the lesson. A check adds no op to the lesson's graph and runs
in a session of its own, so the teacher's notebook trains exactly what it did without
its checks. `grade` runs a notebook headless and reads those lines back
(``python -m tf_gan check``).
"""

from __future__ import annotations

import copy
import csv
import logging
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import numpy as np

import tf_gan
from tf_gan.errors import TfGanError
from tf_gan.graph import tf, tf1
from tf_gan.lesson import KERNEL_ARGS

# --------------------------------------------------------------------------- the marks in a lesson

START = re.compile(r"^(?P<indent>[ \t]*)# \[solution (?P<id>\d+\.\d+)\] students get: (?P<blank>.+?)[ \t]*$")
END = re.compile(r"^[ \t]*# \[end of solution (?P<id>\d+\.\d+)\][ \t]*$")
CHECK_CALL = re.compile(r"\bexercises\.check_\w+\(\s*[\"'](?P<id>\d+\.\d+)[\"']")
EXERCISE = re.compile(r"\*\*Exercise (?P<id>\d+\.\d+)\*\* \((?P<kind>type it|predict, then run)\)")


def blank_solutions(source: str, keep: Collection[str] = (), where: str = "the lesson") -> str:
    """`source` with each solution region replaced by its blank, except the exercises in `keep`.

    The marks go either way: a student's copy shows a blank marked with its exercise, or
    (for the exercises in `keep`) the solution lines alone. A region must open and close
    inside one cell, so each cell of the notebook is the lesson's cell with its blanks.
    """
    out: list[str] = []
    open_id, keep_it = None, False
    for number, line in enumerate(source.splitlines(keepends=True), 1):
        if start := START.match(line):
            if open_id is not None:
                raise TfGanError(f"{where}, line {number}: solution {start['id']} starts inside solution {open_id}")
            open_id, keep_it = start["id"], start["id"] in keep
            if not keep_it:
                out += [f"{start['indent']}{statement.strip()}  # exercise {open_id}: your answer here\n"
                        for statement in start["blank"].split(";")]
        elif end := END.match(line):
            if end["id"] != open_id:
                raise TfGanError(f"{where}, line {number}: the end of solution {end['id']} closes "
                                 f"{'solution ' + open_id if open_id else 'no solution'}")
            open_id = None
        elif open_id is None or keep_it:
            out.append(line)
    if open_id is not None:
        raise TfGanError(f"{where}: solution {open_id} has no '# [end of solution {open_id}]' line in its cell")
    text = "".join(out)
    return text if source.endswith("\n") else text.removesuffix("\n")


def solution_ids(source: str) -> list[str]:
    """The exercises whose solutions `source` holds, in order, each once."""
    return list(dict.fromkeys(m["id"] for line in source.splitlines() if (m := START.match(line))))


def check_ids(source: str) -> list[str]:
    """The exercises that `source` (a check cell, or a whole lesson) checks, in order, each once."""
    return list(dict.fromkeys(m["id"] for m in CHECK_CALL.finditer(source)))


def exercise_kinds(source: str) -> dict[str, str]:
    """Exercise -> "type it" or "predict, then run", as the lesson's prose announces each."""
    return {m["id"]: m["kind"] for m in EXERCISE.finditer(source)}


def student_notebook(teacher: nbformat.NotebookNode, keep: Collection[str] = (),
                     where: str = "the notebook") -> nbformat.NotebookNode:
    """The teacher's notebook with its solutions blanked and no outputs; cell ids are kept, so diffs stay small."""
    student = copy.deepcopy(teacher)
    for number, cell in enumerate(student.cells, 1):
        if cell.cell_type == "code":
            cell.source = blank_solutions(cell.source, keep, f"{where}, cell {number}")
            cell.outputs, cell.execution_count = [], None
    return student


def write_student_notebooks(notebooks: Path, out: Path) -> list[Path]:
    """Write out/NAME.ipynb for every teacher's notebook in `notebooks` that holds exercises (``make notebooks``)."""
    written = []
    for path in sorted(Path(notebooks).glob("*.ipynb")):
        teacher = nbformat.read(path, as_version=4)
        if any(solution_ids(cell.source) for cell in teacher.cells if cell.cell_type == "code"):
            Path(out).mkdir(parents=True, exist_ok=True)
            nbformat.write(student_notebook(teacher, where=str(path)), Path(out) / path.name)
            written.append(Path(out) / path.name)
    return written


# --------------------------------------------------------------------------- verdicts

PASS, NOT_YET, NOT_DONE, ERROR = "pass", "not yet", "not done", "error"
VERDICT = re.compile(r"^\[(?P<id>\d+\.\d+)\] (?P<status>pass|not yet|not done)(?:: (?P<message>.*))?$", re.M)


@dataclass(frozen=True)
class Verdict:
    """One check's answer: what the student sees, and what the grader reads back from the output."""

    exercise: str
    status: str  # pass | not yet | not done | error (error: the check itself could not run)
    message: str = ""

    def __str__(self) -> str:
        return f"[{self.exercise}] {self.status}" + (f": {self.message}" if self.message else "")


def say(exercise: str, status: str, message: str = "") -> Verdict:
    verdict = Verdict(exercise, status, message)
    print(verdict)
    return verdict


def read_verdicts(text: str) -> dict[str, Verdict]:
    """The verdict lines in printed `text`; a later line for the same exercise wins."""
    return {m["id"]: Verdict(m["id"], m["status"], m["message"] or "") for m in VERDICT.finditer(text)}


class Blank(Exception):
    """The answer is still the blank the student was given."""


class Wrong(Exception):
    """The answer does something else; the message says what and hints why."""


_HANDED_BACK: dict[int, object] = {}  # id -> what a check handed back; held, so that no other object takes its id


def _hand_back(answer: object) -> object:
    """Remember a working answer a check hands back, and its parts when it is a pair of tensors."""
    for part in [answer, *(answer if isinstance(answer, tuple) else ())]:
        _HANDED_BACK[id(part)] = part
    return answer


def _is_blank(answer: object) -> bool:
    """`...`, an empty list, a tuple of blanks, or what a check handed back: no answer of the student's.

    The last one matters when a student runs a check twice: the first run handed back
    a working answer, which must not pass the second.
    """
    if answer is Ellipsis or id(answer) in _HANDED_BACK:
        return True
    return isinstance(answer, (list, tuple)) and all(_is_blank(a) for a in answer)


def _verdict(exercise: str, what: str, test: Callable[[], None]) -> bool:
    """Run `test` and print its verdict; True when it passed (the caller then hands back the answer, else one
    that works)."""
    try:
        test()
    except Blank:
        say(exercise, NOT_DONE, f"{what}: no answer of yours yet (the blank, or what a check handed back); the "
                                "check hands back a working one, so the lesson runs on")
        return False
    except Wrong as e:
        say(exercise, NOT_YET, f"{e} (the check hands back a working one, so the lesson runs on)")
        return False
    say(exercise, PASS)
    return True


# --------------------------------------------------------------------------- fixed inputs, fresh sessions

CHECK_SEED = 20140610  # the checks' own random numbers: never the lesson's rng, so its run stays the same
ROWS = 8  # images in a check batch


def noise(rows: int, cols: int, seed: int = CHECK_SEED) -> np.ndarray:
    """A fixed batch, uniform in [-1, 1]: inputs for a check or a measurement that leave the lesson's rng alone."""
    return np.random.default_rng(seed).uniform(-1.0, 1.0, (rows, cols)).astype(np.float32)


def _feed_for(placeholders: Sequence[tf.Tensor], seed: int = CHECK_SEED) -> dict[tf.Tensor, np.ndarray]:
    return {p: noise(ROWS, int(p.shape[-1]), seed + i) for i, p in enumerate(placeholders)}


def _shaped(tensor: tf.Tensor, values: np.ndarray) -> np.ndarray:
    """`values` shaped as `tensor` takes them: (n,) for a [None] tensor, (n, 1) for [None, 1]."""
    return np.asarray(values, np.float32).reshape([-1, *tensor.shape.as_list()[1:]])


@contextmanager
def _graph_unchanged(graph: tf.Graph) -> Iterator[None]:
    """A check measures without adding ops: the lesson's graph after its checks is the graph it had."""
    before = len(graph.get_operations())
    yield
    added = len(graph.get_operations()) - before
    assert added == 0, f"a check added {added} ops to the lesson's graph"


@contextmanager
def _fresh_session(graph: tf.Graph) -> Iterator[tf1.Session]:
    """A session of `graph` with every variable at its initial value; the lesson's own session never sees it.

    Each session starts the random initialisers afresh, so the lesson's session later
    draws the same initial weights as it would without the check.
    """
    with _graph_unchanged(graph), tf1.Session(graph=graph) as sess:
        sess.run([v.initializer for v in graph.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES)])
        yield sess


def _run(graph: tf.Graph, fetches: object, feed: dict, what: str) -> object:
    """`fetches` in a fresh session; a feed the answer needs but the check did not give is a Wrong, not a crash."""
    try:
        with _fresh_session(graph) as sess:
            return sess.run(fetches, feed)
    except tf.errors.OpError as e:
        raise Wrong(f"{what} needs more than the check feeds it ({e.message.splitlines()[0]})") from None


def _same_graph(name: str, answer: object, graph: tf.Graph) -> None:
    if not isinstance(answer, (tf.Tensor, tf.Operation)):
        raise Wrong(f"{name} is a {type(answer).__name__}, not a tensor of the lesson's graph")
    if answer.graph is not graph:
        raise Wrong(f"{name} belongs to an older graph: run the notebook again from the top")


def value_before_training(fetches: object, feed: dict) -> object:
    """What `fetches` are with every variable at its initial value, on `feed`.

    For "predict, then run": the measurement runs in a session of its own, so the
    lesson's session, its random numbers and its graph are untouched.
    """
    tensors = fetches if isinstance(fetches, (list, tuple)) else [fetches]
    with _fresh_session(tensors[0].graph) as sess:
        return sess.run(fetches, feed)


def _fmt(x: object) -> str:
    if isinstance(x, (float, np.floating, int)) and not isinstance(x, bool):
        return f"{x:.4g}"
    return str(x)


# --------------------------------------------------------------------------- checks of a loss

RTOL, ATOL = 1e-4, 1e-5  # float32 rounding of a few ops is ~1e-7 relative; every mistake below is off by far more


def _softplus(x: np.ndarray) -> np.ndarray:
    """log(1 + e^x) in float64: the exact value of sigmoid cross-entropy that a float32 answer should round to."""
    return np.logaddexp(0.0, np.asarray(x, np.float64))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, np.float64)))


def _loss_test(name: str, answer: object, feed: dict[tf.Tensor, np.ndarray], fed: str, expected: np.ndarray,
               mistakes: list[tuple[np.ndarray, str]]) -> Callable[[], None]:
    """A test of `answer` on fixed values fed to the tensors it is built from; a known mistake's value names it."""

    def test() -> None:
        if _is_blank(answer):
            raise Blank
        graph = next(iter(feed)).graph
        _same_graph(name, answer, graph)
        value = np.asarray(_run(graph, answer, {t: _shaped(t, v) for t, v in feed.items()}, name), np.float64)
        if value.shape != np.shape(expected):
            per = "one number" if value.shape == () else f"shape {value.shape}"
            raise Wrong(f"{name} has {per}, expected {'one number' if np.shape(expected) == () else np.shape(expected)}"
                        + (": average over the batch with tf.reduce_mean" if np.shape(expected) == () else
                           ": keep one loss per logit (no tf.reduce_mean)"))
        if np.allclose(value, expected, RTOL, ATOL):
            return
        hint = next((h for v, h in mistakes if np.allclose(value, v, RTOL, ATOL)), "")
        raise Wrong(f"{name} is {_fmt_array(value)} on the check's {fed}, expected {_fmt_array(expected)}"
                    + (f": {hint}" if hint else ""))

    return test


def _fmt_array(x: np.ndarray) -> str:
    x = np.asarray(x)
    return f"{float(x):.4g}" if x.shape == () else "[" + ", ".join(f"{v:.4g}" for v in x.ravel()) + "]"


def _checked(exercise: str, name: str, answer: object, test: Callable[[], None], graph: tf.Graph,
             reference: Callable[[], object]) -> object:
    """The answer if it passes, else `reference()` built in the lesson's graph."""
    if _verdict(exercise, name, test):
        return answer
    with graph.as_default():
        return _hand_back(reference())


CHECK_REAL = np.array([2.0, 0.5, -1.0, 3.0])  # D's logits on four real images, and on four fakes
CHECK_FAKE = np.array([-2.0, 0.0, 1.5, -0.5])


def check_d_loss(exercise: str, D_loss: object, logit_real: tf.Tensor, logit_fake: tf.Tensor) -> tf.Tensor:
    """D's loss on fixed logits: sigmoid cross-entropy, label 1 on real images and 0 on fakes, each averaged, added."""
    r, f = CHECK_REAL, CHECK_FAKE
    expected = _softplus(-r).mean() + _softplus(f).mean()
    mistakes = [
        (_softplus(-r).sum() + _softplus(f).sum(), "did you sum over the batch? Average it with tf.reduce_mean"),
        (_softplus(-r).mean(), "that is the real images' half alone: add D's loss on the fakes"),
        (_softplus(f).mean(), "that is the fakes' half alone: add D's loss on the real images"),
        (_softplus(r).mean() + _softplus(-f).mean(), "the labels are swapped: real images get 1, fakes 0"),
        (expected / 2, "did you average the two halves? The post adds them"),
        (_softplus(-_sigmoid(r)).mean() + _softplus(_sigmoid(f)).mean(),
         "logits= got D's probabilities: give it the logits"),
    ]
    test = _loss_test("D_loss", D_loss, {logit_real: r, logit_fake: f}, "logits", expected, mistakes)

    def reference() -> tf.Tensor:
        return _bce(logit_real, 1.0) + _bce(logit_fake, 0.0)

    return _checked(exercise, "D_loss", D_loss, test, logit_real.graph, reference)


def _bce(logit: tf.Tensor, label: float) -> tf.Tensor:
    labels = tf.ones_like(logit) if label == 1.0 else tf.zeros_like(logit)
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=logit, labels=labels))


def check_g_loss(exercise: str, G_loss: object, logit_fake: tf.Tensor) -> tf.Tensor:
    """G's non-saturating loss on fixed logits: cross-entropy of D's logit on fakes against label 1, averaged."""
    f = CHECK_FAKE
    expected = _softplus(-f).mean()
    mistakes = [
        (_softplus(f).mean(), "that is D's loss on the fakes (label 0): G wants D to call its fakes real"),
        (_softplus(-f).sum(), "did you sum over the batch? Average it with tf.reduce_mean"),
        (-_softplus(f).mean(), "that is the minimax loss log(1 - D(G(z))): the posts' G minimises -log D(G(z))"),
        (_softplus(-_sigmoid(f)).mean(), "logits= got D's probabilities: give it the logit"),
    ]
    test = _loss_test("G_loss", G_loss, {logit_fake: f}, "logits", expected, mistakes)
    return _checked(exercise, "G_loss", G_loss, test, logit_fake.graph, lambda: _bce(logit_fake, 1.0))


CHECK_LOGITS = np.array([-120.0, -20.0, -1.0, 0.0, 1.0, 4.0, 30.0])


def check_stable_form(exercise: str, stable: object, logit: tf.Tensor) -> tf.Tensor:
    """-log sigmoid(l) for each logit, computed stably: finite and right even at -120, where sigmoid rounds to 0."""
    l = CHECK_LOGITS
    expected = _softplus(-l)
    with np.errstate(all="ignore"):
        d = (1.0 / (1.0 + np.exp(-l.astype(np.float32)))).astype(np.float32)
        raw, patched = -np.log(d), -np.log(d + np.float32(1e-8))
    mistakes = [
        (_softplus(l), "that is -log(1 - D): for -log D the label is 1"),
        (raw, "inf at logit -120: that is log(D) typed literally; compute it from the logit instead"),
        (patched, "that is the + 1e-8 patch: 18.42 at logit -120, where the loss is 120"),
    ]
    test = _loss_test("stable", stable, {logit: l}, "logits", expected, mistakes)

    def reference() -> tf.Tensor:
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(logit), logits=logit)

    return _checked(exercise, "stable", stable, test, logit.graph, reference)


CHECK_P_REAL = np.array([0.9, 0.6, 0.3, 0.8])  # D's probabilities on four real images, and on four fakes
CHECK_P_FAKE = np.array([0.2, 0.5, 0.7, 0.1])


def check_cost_d(exercise: str, cost_D: object, D_real: tf.Tensor, D_gene: tf.Tensor) -> tf.Tensor:
    """The cost D maximises, on fixed probabilities: the batch mean of log D(x) + log(1 - D(G(z)))."""
    r, f = CHECK_P_REAL, CHECK_P_FAKE
    expected = np.mean(np.log(r) + np.log(1 - f))
    mistakes = [
        (-expected, "cost_D is what D maximises, so no minus sign: the next cell minimises -cost_D"),
        (np.mean(np.log(f) + np.log(1 - r)), "D_real and D_gene are swapped: log D(x) takes D_real"),
        (np.mean(np.log(r) + np.log(f)), "the fakes' term is log(1 - D(G(z))), not log D(G(z))"),
        (np.sum(np.log(r) + np.log(1 - f)), "did you sum over the batch? Average it with tf.reduce_mean"),
        (np.mean(np.log(r)), "that is the real images' term alone: add log(1 - D(G(z)))"),
    ]
    test = _loss_test("cost_D", cost_D, {D_real: r, D_gene: f}, "probabilities", expected, mistakes)

    def reference() -> tf.Tensor:
        return tf.reduce_mean(tf.math.log(D_real) + tf.math.log(1 - D_gene))

    return _checked(exercise, "cost_D", cost_D, test, D_real.graph, reference)


# --------------------------------------------------------------------------- checks of variable lists

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
    return [v for v in tensor.graph.get_collection(tf1.GraphKeys.TRAINABLE_VARIABLES) if v.op.name in behind]


def _placeholders_behind(tensor: tf.Tensor) -> list[tf.Tensor]:
    behind = _ops_behind(tensor)
    return [op.outputs[0] for op in tensor.graph.get_operations() if op.type == "Placeholder" and op.name in behind]


def _names(variables: Sequence) -> str:
    return ", ".join(v.op.name for v in variables)


def _list_test(player: str, answer: object, expected: list, other: list, graph: tf.Graph) -> Callable[[], None]:
    """`answer` must hold exactly the `expected` variables: compared by name, as a graph names each once."""

    def test() -> None:
        if _is_blank(answer):
            raise Blank
        if not isinstance(answer, (list, tuple)):
            raise Wrong(f"{player}'s list is a {type(answer).__name__}: make it a list of variables")
        not_variables = [a for a in answer if not isinstance(a, tf.Variable)]
        if not_variables:
            raise Wrong(f"{player}'s list holds {not_variables[0]!r}, which is not a variable: list the variables")
        if any(v.graph is not graph for v in answer):
            raise Wrong(f"{player}'s list holds variables of an older graph: run the notebook again from the top")
        names = [v.op.name for v in answer]
        twice = sorted({n for n in names if names.count(n) > 1})
        theirs = [v for v in answer if v.op.name in {o.op.name for o in other}]
        untrained = [v for v in answer if not any(v.op.name == t.op.name for t in
                                                  graph.get_collection(tf1.GraphKeys.TRAINABLE_VARIABLES))]
        unused = [v for v in answer if v.op.name not in {e.op.name for e in expected + other}]
        missing = [v for v in expected if v.op.name not in names]
        if theirs:
            raise Wrong(f"{player}'s list also holds {_names(theirs)}, of the other network")
        if untrained:
            raise Wrong(f"{player}'s list holds {_names(untrained)}, which no optimizer trains (not trainable)")
        if unused:
            raise Wrong(f"{player}'s list holds {_names(unused)}, which {player} does not compute with")
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
    tests = [_list_test("D", list_D, want_D, want_G, graph), _list_test("G", list_G, want_G, want_D, graph)]

    def test() -> None:
        if _is_blank(list_D) and _is_blank(list_G):
            raise Blank
        for one in tests:
            one()

    passed = _verdict(exercise, "D's and G's lists", test)
    return (list_D, list_G) if passed else (_hand_back(want_D), _hand_back(want_G))


# --------------------------------------------------------------------------- checks of optimizer steps

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


def _step_test(player: str, step: object, objective: tf.Tensor, var_list: list, inputs: Sequence[tf.Tensor],
               maximize: bool) -> Callable[[], None]:
    """One step must move every variable of its list, no other trainable one, and its objective the right way."""

    def test() -> None:
        if _is_blank(step):
            raise Blank
        if isinstance(step, tf1.train.Optimizer):
            raise Wrong(f"{player}'s step is an optimizer, not a step: call its minimize(...)")
        taken = _take_step(step, objective, inputs, f"{player}'s step")
        trainable = {v.op.name for v in objective.graph.get_collection(tf1.GraphKeys.TRAINABLE_VARIABLES)}
        mine = {v.op.name for v in var_list}
        strays = [v for v in taken.moved if v.op.name in trainable - mine]
        idle = [v for v in var_list if v.op.name not in {m.op.name for m in taken.moved}]
        if strays:
            raise Wrong(f"{player}'s step also moved {_names(strays)}: give minimize var_list= so that it moves "
                        f"only {player}'s variables")
        if idle:
            raise Wrong(f"{player}'s step left {_names(idle)} unchanged: it should train all of {player}'s list")
        went = f"{taken.before:.6g} -> {taken.after:.6g} on the check batch"
        if maximize and not taken.after > taken.before:
            raise Wrong(f"{player}'s step made its cost smaller ({went}): to maximise a cost, minimise minus it")
        if not maximize and not taken.after < taken.before:
            raise Wrong(f"{player}'s step made its loss larger ({went}): is it minimising {player}'s own loss?")

    return test


def check_solvers(exercise: str, D: tuple, G: tuple, inputs: Sequence[tf.Tensor], *, maximize: bool = False,
                  learning_rate: float = 0.001) -> tuple[object, object]:
    """D = (step, loss, var_list) and G the same: one step of each on fixed `inputs`, in a session of the check's own.

    With `maximize`, the second element of each is a cost the step must make larger.
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
    """G's step trains G's list and, with it, moves every batch-norm moving average (the UPDATE_OPS)."""
    graph = loss.graph
    averages = graph.get_collection(tf1.GraphKeys.MOVING_AVERAGE_VARIABLES)
    trains = _step_test("G", step, loss, var_list, inputs, maximize=False)

    def test() -> None:
        trains()
        moved = {v.op.name for v in _take_step(step, loss, inputs, "G's step").moved}
        still = [v for v in averages if v.op.name not in moved]
        if still:
            raise Wrong(f"G's step left batch norm's {_names(still[:2])}{' and more' if len(still) > 2 else ''} "
                        "where they were: run the graph's UPDATE_OPS with it (tf.control_dependencies)")

    def reference() -> object:
        with tf.control_dependencies(graph.get_collection(tf1.GraphKeys.UPDATE_OPS)):
            return optimizer.minimize(loss, var_list=var_list)

    return _checked(exercise, "G_solver", step, test, graph, reference)


# --------------------------------------------------------------------------- a check of shared weights

def check_reuse(exercise: str, fake_pair: object, real_logits: tf.Tensor, fakes: tf.Tensor,
                discriminator: Callable) -> tuple[tf.Tensor, tf.Tensor]:
    """D's (output, logits) on `fakes` is the same D as on real images: the same images get the same verdict.

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
        batch, other = noise(ROWS, int(fakes.shape[-1])), noise(ROWS, int(fakes.shape[-1]), CHECK_SEED + 1)
        feed = {fakes: batch, **{p: other for p in real_inputs}}
        got_logits, got_output = _run(graph, [logits, output], feed, "D_logits_fake")
        same = _run(graph, real_logits, {p: batch for p in real_inputs}, "D_logits_real")
        if np.allclose(got_output, same) and not np.allclose(got_logits, same):
            raise Wrong("D_output_fake and D_logits_fake are swapped: discriminator returns (output, logits)")
        if np.allclose(got_logits, _run(graph, real_logits, feed, "D_logits_real")):
            raise Wrong("D_logits_fake judges the real images: give discriminator G's output")
        if not np.allclose(got_logits, same, RTOL, ATOL):
            raise Wrong("on the same images D_logits_fake and D_logits_real differ: the second call made new "
                        "weights instead of reusing D's (reuse=True)")
        if not np.allclose(got_output, _sigmoid(got_logits), RTOL, ATOL):
            raise Wrong("D_output_fake is not the sigmoid of D_logits_fake")

    def reference() -> tuple[tf.Tensor, tf.Tensor]:
        return discriminator(fakes, reuse=True)

    return _checked(exercise, "D_output_fake, D_logits_fake", fake_pair, test, graph, reference)


# --------------------------------------------------------------------------- predict, then run

def check_prediction(exercise: str, prediction: object, measured: object, options: dict[str, object],
                     what: str) -> None:
    """The student's letter against the option the measurement falls in.

    An option is a (low, high) range, ends included, or a value the measurement must
    equal. The measured answer is shown only once a prediction is written down. Returns
    nothing, so that a notebook shows the verdict line and no Out[] below it.
    """
    letters = ", ".join(options)
    if _is_blank(prediction):
        say(exercise, NOT_DONE, f"write your prediction ({letters}) in `prediction` first; then this cell shows "
                                "the measured answer")
        return
    guess = str(prediction).strip().lower().strip("()")
    answer = next((letter for letter, option in options.items() if _fits(measured, option)), None)
    shown = f"measured {what}: {_fmt(measured)}"
    if guess not in options:
        say(exercise, NOT_YET, f"answer one of {letters}, not {prediction!r}")
    elif answer is None:
        say(exercise, NOT_YET, f"{shown}, which fits none of {letters}: show this to your teacher")
    else:
        say(exercise, PASS if guess == answer else NOT_YET, f"you predicted {guess}; {shown}, which is {answer}")


def _fits(measured: object, option: object) -> bool:
    if isinstance(option, tuple):
        low, high = option
        return isinstance(measured, (int, float, np.number)) and bool(low <= measured <= high)
    return measured == option


def best_logit(loss_fn: Callable, label: float, logits: np.ndarray = np.arange(-5.0, 20.25, 0.25)) -> float:
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
    """What `build()` does to the default graph: "grows", "unchanged", or "error" (TensorFlow refused)."""
    graph = tf1.get_default_graph()
    before = len(graph.get_operations())
    try:
        build()
    except Exception:  # noqa: BLE001  (a finalized graph raises RuntimeError; any refusal is the answer)
        return "error"
    return "grows" if len(graph.get_operations()) > before else "unchanged"


# --------------------------------------------------------------------------- the teacher's view: grading

@dataclass
class Grade:
    """One notebook's checks, as a teacher reads them."""

    notebook: str  # the name the table shows
    results: dict[str, Verdict] = field(default_factory=dict)  # exercise -> verdict, in the notebook's order
    crashed: list[str] = field(default_factory=list)  # "cell 12: NameError: ..." for each other cell that raised

    @property
    def passed(self) -> int:
        return sum(v.status == PASS for v in self.results.values())


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """A notebook, or a one-line TfGanError that says why the file is not one."""
    try:
        return nbformat.read(path, as_version=4)
    except Exception as e:  # noqa: BLE001  (JSON, schema and encoding errors all mean "not a notebook")
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise TfGanError(f"{path}: not a notebook ({reason[:120]})") from None


def find_notebooks(paths: Sequence[Path]) -> list[tuple[str, Path]]:
    """(name to show, path) for each notebook given, or found under a folder given; each one readable."""
    found: list[tuple[str, Path]] = []
    for path in map(Path, paths):
        if not path.exists():
            raise TfGanError(f"{path}: no such file or folder")
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
            if not inside:
                raise TfGanError(f"{path}: no notebooks (.ipynb) in this folder")
            found += [(str(p.relative_to(path)), p) for p in inside]
        elif path.suffix != ".ipynb":
            raise TfGanError(f"{path}: not a notebook (expected a .ipynb file, or a folder of them)")
        else:
            found.append((str(path), path))
    for _, path in found:
        read_notebook(path)
    return found


QUIET = logging.getLogger("tf_gan.exercises.kernel")  # nbclient's "Executing notebook with kernel" lines
QUIET.setLevel(logging.WARNING)
LESSON_ARGS = re.compile(r"^(?P<prefix>\w[\w.-]*):(?P<flags>.*)$")


def _split_spec(spec: str) -> tuple[str | None, str]:
    """``05:--steps 8`` -> ("05", "--steps 8"); flags alone -> (None, flags). Flags start with "-", a prefix cannot."""
    m = LESSON_ARGS.match(spec)
    return (m["prefix"], m["flags"].strip()) if m else (None, spec.strip())


def lesson_args_for(name: str, specs: Sequence[str]) -> str | None:
    """The lesson flags for the notebook `name`: those of the last spec whose prefix starts its file name, or
    that has no prefix (it fits every notebook). None: the kernel keeps the environment's TF_GAN_LESSON_ARGS."""
    chosen = None
    for prefix, flags in map(_split_spec, specs):
        if prefix is None or Path(name).name.startswith(prefix):
            chosen = flags
    return chosen


def check_lesson_args(specs: Sequence[str]) -> None:
    """A flag with an unclosed quote would fail in every kernel; say so once, before any runs."""
    for spec in specs:
        try:
            shlex.split(_split_spec(spec)[1])
        except ValueError as e:
            raise TfGanError(f"--lesson-args {spec!r}: {e}") from None


def grade(path: Path, name: str | None = None, lesson_args: str | None = None, all_cells: bool = False,
          timeout: int = 600) -> Grade:
    """Run a notebook headless in a fresh kernel and read back its checks' verdicts.

    The kernel starts in an empty temporary folder (the pictures a lesson writes go
    there, not beside the students' files) and imports this tf_gan. Old outputs are
    cleared first, so only what runs now counts. Unless `all_cells`, the cells after the
    last check are not run: the lessons train there, and no check depends on it.
    A cell that raises does not stop the rest.
    """
    from nbclient import NotebookClient

    nb = read_notebook(path)
    checks = {i: check_ids(c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code" and check_ids(c.source)}
    result = Grade(name or str(path))
    if not checks:
        return result
    if not all_cells:
        nb.cells = nb.cells[: max(checks) + 1]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    stopped = ""
    with tempfile.TemporaryDirectory(prefix="tf_gan-check-") as folder:
        client = NotebookClient(nb, timeout=timeout, startup_timeout=120, kernel_name="python3", allow_errors=True,
                                shutdown_kernel="immediate", resources={"metadata": {"path": folder}}, log=QUIET)
        try:  # the kernel's own stderr (TensorFlow's and Jupyter's start-up notes) would bury the table
            client.execute(env=_kernel_env(lesson_args), stderr=subprocess.DEVNULL)
        except Exception as e:  # noqa: BLE001  (a timeout or a dead kernel: the checks not run say so)
            stopped = f"{type(e).__name__}: {str(e).strip().splitlines()[-1] if str(e).strip() else ''}"[:200]
    return _read_results(nb, checks, result, stopped)


def _kernel_env(lesson_args: str | None) -> dict[str, str]:
    """The grader's environment, with this tf_gan first on the kernel's path and the lesson flags, if any."""
    here = str(Path(tf_gan.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))}
    if lesson_args is not None:
        env[KERNEL_ARGS] = lesson_args
    return env


def _error_of(cell: nbformat.NotebookNode) -> str | None:
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            return f"{output.ename}: {output.evalue}".strip()[:200]
    return None


def _read_results(nb: nbformat.NotebookNode, checks: dict[int, list[str]], result: Grade, stopped: str) -> Grade:
    """Each check's verdict from its cell's output; a check that printed none is an error, and says why."""
    raised_above = None  # the last error of a cell since the previous check
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        error = _error_of(cell)
        if index not in checks:
            if error:
                result.crashed.append(f"cell {index + 1}: {error}")
                raised_above = error
            continue
        printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        said = read_verdicts(printed)
        for exercise in checks[index]:
            if exercise in said:
                result.results[exercise] = said[exercise]
                continue
            if cell.execution_count is None:
                why = f"not run: {stopped or 'the kernel stopped before this check'}"
            elif error:
                why = error + (f" (a cell above raised {raised_above})" if raised_above else "")
            else:
                why = "the check printed no verdict"
            result.results[exercise] = Verdict(exercise, ERROR, why)
        raised_above = None
    return result


def _exercise_order(exercise: str) -> tuple[int, ...]:
    return tuple(int(part) for part in exercise.split("."))


def report(grades: Sequence[Grade], details: bool = False) -> str:
    """A table per lesson: rows are notebooks, columns exercises; then, with `details`, why each did not pass."""
    lines: list[str] = []
    groups: dict[tuple[str, ...], list[Grade]] = {}
    for g in grades:
        groups.setdefault(tuple(sorted(g.results, key=_exercise_order)), []).append(g)
    for exercises, members in groups.items():
        if not exercises:
            lines += ["no exercise checks in: " + ", ".join(g.notebook for g in members), ""]
            continue
        header = ["notebook", *exercises, "passed", "cells that raised"]
        rows = [[g.notebook, *(g.results[e].status for e in exercises), f"{g.passed}/{len(exercises)}",
                 str(len(g.crashed))] for g in members]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *rows]]
        lines.append("")
    lines.append("pass: the check passed; not yet: answered, not right yet; not done: still the blank; "
                 "error: the check could not run" + ("" if details else " (--details says why)"))
    if details:
        for g in grades:
            notes = [str(v) for v in g.results.values() if v.status != PASS] + g.crashed
            if notes:
                lines += ["", f"{g.notebook}:"] + [f"  {note}" for note in notes]
    return "\n".join(lines)


def write_csv(grades: Sequence[Grade], path: Path) -> None:
    """One row per notebook and exercise (and per cell that raised), for a spreadsheet or a gradebook."""
    try:
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["notebook", "exercise", "status", "message"])
            for g in grades:
                writer.writerows([g.notebook, v.exercise, v.status, v.message] for v in g.results.values())
                writer.writerows([g.notebook, crash.split(":")[0], ERROR, crash] for crash in g.crashed)
    except OSError as e:
        raise TfGanError(f"{path}: cannot write ({e.strerror}); choose another --csv") from None


def main(argv: list[str]) -> int:
    """``python -m tf_gan.exercises NOTEBOOKS OUT``: the students' notebooks, as ``make notebooks`` writes them."""
    if len(argv) != 2:
        print("usage: python -m tf_gan.exercises TEACHERS_NOTEBOOKS_FOLDER STUDENTS_FOLDER", file=sys.stderr)
        return 2
    for path in write_student_notebooks(Path(argv[0]), Path(argv[1])):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
