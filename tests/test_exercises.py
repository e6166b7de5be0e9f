"""Exercises: the lessons' marks, the students' notebooks made from them, each check, and `tf_gan check`.

The teacher's notebooks pass every check: tests/test_lessons.py runs them and reads the
verdicts. Here, without a kernel: every lesson 01-05 carries its exercises, and the
committed students' notebooks are the lessons with their solutions blanked. In this
process, on graphs of a few variables: each check passes the right answer without
growing the graph, names the usual mistakes, and hands back an answer that works. And
once, in real kernels: `tf_gan check` on a class folder, the five students' notebooks as
handed out plus one with one exercise solved, one answered wrongly and one that raises.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import numpy as np
import pytest
from conftest import run_cli

from tf_gan import exercises as ex
from tf_gan.errors import TfGanError
from tf_gan.graph import seeded_graph, tf, tf1
from tf_gan.layers import batch_norm, dense

pytestmark = pytest.mark.slow  # every test here trains, runs a lesson or a subprocess

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = ROOT / "tutorials"
NOTEBOOKS = TUTORIALS / "notebooks"
STUDENTS = TUTORIALS / "exercises"
LESSONS = ["01_wiseodd", "02_keras_gan", "03_gfg", "04_golbin", "05_compare_losses", "06_gan_1d", "07_gan_2d",
           "08_cgan", "09_paper"]


def lesson_text(name: str) -> str:
    return (TUTORIALS / f"{name}.py").read_text()


def as_script(notebook: nbformat.NotebookNode) -> str:
    return jupytext.writes(notebook, fmt={"extension": ".py", "format_name": "percent",
                                          "notebook_metadata_filter": "-all"})


# --------------------------------------------------------------------------- the lessons and the students' notebooks

def test_the_lessons_carry_30_exercises_most_of_them_to_think_through() -> None:
    """Each lesson's exercises are announced, blanked and checked; at least 30, over half predict or debug."""
    kinds = {}
    for name in LESSONS:
        text = lesson_text(name)
        announced = ex.exercise_kinds(text)
        number = name[1]
        assert len(announced) >= 2, name
        assert all(e.startswith(f"{number}.") for e in announced), name
        assert list(announced) == ex.solution_ids(text) == ex.check_ids(text), name  # announced, blanked, checked
        kinds.update(announced)
    assert len(kinds) >= 30
    assert {"type it", "predict, then run", "find the bug"} == set(kinds.values())
    assert sum(kind != "type it" for kind in kinds.values()) >= len(kinds) / 2


def test_the_students_notebooks_are_the_lessons_with_exercises() -> None:
    with_exercises = [p.stem for p in sorted(TUTORIALS.glob("*.py")) if ex.solution_ids(p.read_text())]
    assert with_exercises == LESSONS
    assert sorted(p.stem for p in STUDENTS.glob("*.ipynb")) == LESSONS


@pytest.mark.parametrize("name", LESSONS)
def test_the_students_notebook_is_up_to_date(name: str) -> None:
    """The committed students' notebook, as a script, is the lesson with its blanks: `make test` fails when stale."""
    path = STUDENTS / f"{name}.ipynb"
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run `make notebooks`"
    assert as_script(nbformat.read(path, as_version=4)) == ex.blank_solutions(lesson_text(name)), (
        f"{path.relative_to(ROOT)} is out of date with tutorials/{name}.py: run `make notebooks`")


def test_make_notebooks_writes_exactly_the_committed_students_notebooks(tmp_path: Path) -> None:
    written = ex.write_student_notebooks(NOTEBOOKS, tmp_path)
    assert [p.name for p in written] == [f"{name}.ipynb" for name in LESSONS]
    for path in written:
        assert path.read_bytes() == (STUDENTS / path.name).read_bytes(), f"{path.name}: run `make notebooks`"


def inside_solutions(text: str) -> list[str]:
    """The lines between a lesson's solution marks."""
    inside, lines = False, []
    for line in text.splitlines():
        inside = (inside or bool(ex.START.match(line))) and not ex.END.match(line)
        if inside and not ex.START.match(line):
            lines.append(line.strip())
    return lines


@pytest.mark.parametrize("name", LESSONS)
def test_a_student_sees_marked_blanks_and_no_solution(name: str) -> None:
    text = lesson_text(name)
    student = as_script(nbformat.read(STUDENTS / f"{name}.ipynb", as_version=4))
    assert inside_solutions(text) and not [line for line in inside_solutions(text) if line in student]
    for exercise in ex.solution_ids(text):
        assert f"# exercise {exercise}: your answer here" in student
    assert "[solution" not in student and "[end of solution" not in student


# --------------------------------------------------------------------------- the marks

MARKED = """x = 1
    # [solution 9.1] students get: a = ...; b = []
    a = compute()
    b = [a]
    # [end of solution 9.1]
y = 2
# [solution 9.2] students get: prediction = ...
prediction = "c"
# [end of solution 9.2]
"""


def test_a_solution_becomes_its_marked_blanks_and_keep_leaves_it() -> None:
    assert ex.blank_solutions(MARKED) == (
        "x = 1\n    a = ...  # exercise 9.1: your answer here\n    b = []  # exercise 9.1: your answer here\n"
        "y = 2\nprediction = ...  # exercise 9.2: your answer here\n")
    assert ex.blank_solutions(MARKED, keep={"9.1"}) == (
        "x = 1\n    a = compute()\n    b = [a]\ny = 2\nprediction = ...  # exercise 9.2: your answer here\n")
    assert ex.blank_solutions(MARKED.rstrip("\n")).endswith("your answer here")  # a cell's last line has no newline
    assert ex.solution_ids(MARKED) == ["9.1", "9.2"]


@pytest.mark.parametrize("source, message", [
    ("# [solution 9.1] students get: a = ...\na = 1\n", "solution 9.1 has no '# [end of solution 9.1]'"),
    ("# [solution 9.1] students get: a = ...\n# [solution 9.2] students get: b = ...\n", "starts inside solution 9.1"),
    ("# [solution 9.1] students get: a = ...\n# [end of solution 9.2]\n",
     "the end of solution 9.2 closes solution 9.1"),
    ("a = 1\n# [end of solution 9.2]\n", "the end of solution 9.2 closes no solution"),
])
def test_a_broken_mark_is_named(source: str, message: str) -> None:
    with pytest.raises(TfGanError, match=message.replace("[", r"\[").replace("]", r"\]")):
        ex.blank_solutions(source, where="lesson.py")


# --------------------------------------------------------------------------- each check, on a small graph

class Tiny:
    """A GAN of four variables: X (6 numbers) and Z (3), D = one dense layer, G = one dense layer with tanh."""

    def __init__(self) -> None:
        self.graph = seeded_graph(0)
        with self.graph.as_default():
            self.X = tf1.placeholder(tf.float32, [None, 6], name="X")
            self.Z = tf1.placeholder(tf.float32, [None, 3], name="Z")
            self.D_W = tf1.get_variable("D_W", [6, 1])
            self.D_b = tf1.get_variable("D_b", [1], initializer=tf1.zeros_initializer())
            self.G_W = tf1.get_variable("G_W", [3, 6])
            self.G_b = tf1.get_variable("G_b", [6], initializer=tf1.zeros_initializer())
            self.G = tf.tanh(tf.matmul(self.Z, self.G_W) + self.G_b)
            self.real, self.fake = self.D(self.X), self.D(self.G)
            self.D_loss = self.bce(self.real, 1.0) + self.bce(self.fake, 0.0)
            self.G_loss = self.bce(self.fake, 1.0)

    def D(self, x: tf.Tensor) -> tf.Tensor:
        return tf.matmul(x, self.D_W) + self.D_b

    @staticmethod
    def bce(logit: tf.Tensor, label: float, reduce=tf.reduce_mean) -> tf.Tensor:
        return reduce(tf.nn.sigmoid_cross_entropy_with_logits(logits=logit, labels=tf.ones_like(logit) * label))

    def build(self, make):
        with self.graph.as_default():
            return make(self)

    def ops(self) -> int:
        return len(self.graph.get_operations())

    def value(self, tensor: tf.Tensor, feed: dict) -> np.ndarray:
        with tf1.Session(graph=self.graph) as sess:
            return sess.run(tensor, {t: ex._shaped(t, v) for t, v in feed.items()})


@pytest.fixture
def tiny() -> Tiny:
    return Tiny()


def typed(answer):
    """A handed-back answer as if a student had typed it: the checks no longer know it (to test that it works)."""
    for part in [answer, *(answer if isinstance(answer, tuple) else ())]:
        ex._HANDED_BACK.pop(id(part), None)
    return answer


def said(capsys: pytest.CaptureFixture[str]) -> ex.Verdict:
    """The one verdict a check printed."""
    verdicts = list(ex.read_verdicts(capsys.readouterr().out).values())
    assert len(verdicts) == 1
    return verdicts[0]


def test_a_right_loss_passes_and_is_handed_back_as_it_is(tiny: Tiny, capsys: pytest.CaptureFixture[str]) -> None:
    before = tiny.ops()
    assert ex.check_d_loss("9.1", tiny.D_loss, tiny.real, tiny.fake) is tiny.D_loss
    assert said(capsys) == ex.Verdict("9.1", "pass") and tiny.ops() == before  # the check did not grow the graph
    assert ex.check_g_loss("9.2", tiny.G_loss, tiny.fake) is tiny.G_loss and said(capsys).status == "pass"


@pytest.mark.parametrize("make, hint", [
    (lambda t: t.bce(t.real, 1.0, tf.reduce_sum) + t.bce(t.fake, 0.0, tf.reduce_sum),
     "did you sum over the batch? Average it with tf.reduce_mean"),
    (lambda t: t.bce(t.real, 0.0) + t.bce(t.fake, 1.0), "the labels are swapped"),
    (lambda t: t.bce(t.real, 1.0), "the real images' half alone"),
    (lambda t: t.bce(tf.sigmoid(t.real), 1.0) + t.bce(tf.sigmoid(t.fake), 0.0), "logits= got D's probabilities"),
    (lambda t: tf.nn.sigmoid_cross_entropy_with_logits(logits=t.real, labels=tf.ones_like(t.real)),
     "D_loss has shape (4, 1), expected one number: average over the batch"),
    (lambda t: t.bce(t.D(t.X), 1.0) + t.bce(t.fake, 0.0), "D_loss needs more than the check feeds it"),
])
def test_a_wrong_d_loss_is_not_yet_with_a_hint_and_a_working_one_comes_back(
        tiny: Tiny, capsys: pytest.CaptureFixture[str], make, hint: str) -> None:
    handed = ex.check_d_loss("9.1", tiny.build(make), tiny.real, tiny.fake)
    verdict = said(capsys)
    assert verdict.status == "not yet" and hint in verdict.message, verdict
    assert "the check hands back a working one" in verdict.message
    expected = ex._softplus(-ex.CHECK_REAL).mean() + ex._softplus(ex.CHECK_FAKE).mean()
    assert np.isclose(tiny.value(handed, {tiny.real: ex.CHECK_REAL, tiny.fake: ex.CHECK_FAKE}), expected, 1e-5)


def test_a_blank_is_not_done_and_the_lesson_gets_a_working_answer(tiny: Tiny,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    handed = ex.check_g_loss("9.2", ..., tiny.fake)
    assert said(capsys).status == "not done"
    assert np.isclose(tiny.value(handed, {tiny.fake: [0.0, 0.0]}), np.log(2), 1e-6)  # D unsure: G's loss is log 2
    again = ex.check_g_loss("9.2", handed, tiny.fake)  # the check cell run twice: still not the student's answer
    assert said(capsys).status == "not done" and again is not handed
    lists = ex.check_var_lists("9.5", [], [], tiny.real, tiny.G)
    assert said(capsys).status == "not done"
    ex.check_var_lists("9.5", *lists, tiny.real, tiny.G)
    assert said(capsys).status == "not done"
    ex.check_var_lists("9.5", list(lists[0]), list(lists[1]), tiny.real, tiny.G)  # the same variables, typed
    assert said(capsys).status == "pass"


@pytest.mark.parametrize("make, hint", [
    (lambda t: t.bce(t.fake, 0.0), "G wants D to call its fakes real"),
    (lambda t: -tf.reduce_mean(tf.nn.softplus(t.fake)), "that is the minimax loss"),
])
def test_a_wrong_g_loss_names_the_mistake(tiny: Tiny, capsys: pytest.CaptureFixture[str], make, hint: str) -> None:
    ex.check_g_loss("9.2", tiny.build(make), tiny.fake)
    assert hint in said(capsys).message


def test_the_stable_form_is_checked_where_float32_breaks(capsys: pytest.CaptureFixture[str]) -> None:
    graph = tf.Graph()
    with graph.as_default():
        logit = tf1.placeholder(tf.float32, [None])
        right = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(logit), logits=logit)
        raw, mean = -tf.math.log(tf.sigmoid(logit)), tf.reduce_mean(right)
    assert ex.check_stable_form("9.3", right, logit) is right and said(capsys).status == "pass"
    ex.check_stable_form("9.3", raw, logit)
    assert "inf at logit -120: that is log(D) typed literally" in said(capsys).message
    ex.check_stable_form("9.3", mean, logit)
    assert "keep one loss per logit" in said(capsys).message


def test_cost_d_is_the_cost_d_maximises(capsys: pytest.CaptureFixture[str]) -> None:
    graph = tf.Graph()
    with graph.as_default():
        D_real, D_gene = tf1.placeholder(tf.float32, [None, 1]), tf1.placeholder(tf.float32, [None, 1])
        cost = tf.reduce_mean(tf.math.log(D_real) + tf.math.log(1 - D_gene))
    assert ex.check_cost_d("9.4", cost, D_real, D_gene) is cost and said(capsys).status == "pass"
    with graph.as_default():
        handed = ex.check_cost_d("9.4", -cost, D_real, D_gene)
    assert "no minus sign" in said(capsys).message
    with tf1.Session(graph=graph) as sess:  # D unsure of everything: 2 log 0.5
        assert np.isclose(sess.run(handed, {D_real: [[0.5]], D_gene: [[0.5]]}), 2 * np.log(0.5))


def test_variable_lists_are_checked_against_what_each_network_computes_with(
        tiny: Tiny, capsys: pytest.CaptureFixture[str]) -> None:
    t = tiny
    mine, theirs = [t.D_b, t.D_W], [t.G_W, t.G_b]
    handed = ex.check_var_lists("9.5", mine, theirs, t.real, t.G)
    assert handed[0] is mine and handed[1] is theirs and said(capsys).status == "pass"
    cases = [([t.D_W, t.D_b, t.G_W], [t.G_W, t.G_b], "D's list also holds G_W, of the other network"),
             ([t.D_W], [t.G_W, t.G_b], "D's list is missing D_b"),
             ([t.D_W, t.D_b], [t.G_W, t.G], "is not a variable"),
             ([t.D_W, t.D_b, t.D_W], [t.G_W, t.G_b], "holds D_W more than once")]
    for list_D, list_G, hint in cases:
        handed = ex.check_var_lists("9.5", list_D, list_G, t.real, t.G)
        assert hint in said(capsys).message
        assert [[v.op.name for v in one] for one in handed] == [["D_W", "D_b"], ["G_W", "G_b"]]
    ex.check_var_lists("9.5", [], [], t.real, t.G)
    assert said(capsys).status == "not done"


def test_a_step_must_move_its_own_variables_its_loss_downhill(tiny: Tiny, capsys: pytest.CaptureFixture[str]) -> None:
    t = tiny
    D_step, G_step, everything, uphill = t.build(lambda t: (
        tf1.train.AdamOptimizer().minimize(t.D_loss, var_list=[t.D_W, t.D_b]),
        tf1.train.AdamOptimizer().minimize(t.G_loss, var_list=[t.G_W, t.G_b]),
        tf1.train.AdamOptimizer().minimize(t.D_loss),
        tf1.train.AdamOptimizer().minimize(-t.G_loss, var_list=[t.G_W, t.G_b])))
    D, G = (D_step, t.D_loss, [t.D_W, t.D_b]), (G_step, t.G_loss, [t.G_W, t.G_b])
    before = t.ops()
    handed = ex.check_solvers("9.6", D, G, [t.X, t.Z])
    assert handed[0] is D_step and handed[1] is G_step
    assert said(capsys).status == "pass" and t.ops() == before
    for D_spec, G_spec, hint in [((everything, *D[1:]), G, "D's step also moved G_W, G_b: give minimize var_list="),
                                 (D, (uphill, *G[1:]), "G's step made its loss larger"),
                                 (D, (tf1.train.AdamOptimizer(), *G[1:]), "an optimizer, not a step")]:
        handed = ex.check_solvers("9.6", D_spec, G_spec, [t.X, t.Z])
        assert hint in said(capsys).message
        ex.check_solvers("9.6", (typed(handed[0]), *D[1:]), (typed(handed[1]), *G[1:]), [t.X, t.Z])  # it trains
        assert said(capsys).status == "pass"


def test_maximising_a_cost_means_minimising_minus_it(tiny: Tiny, capsys: pytest.CaptureFixture[str]) -> None:
    t = tiny
    cost_D, cost_G = t.build(lambda t: (-t.D_loss, -t.G_loss))
    D_up, D_down, G_up = t.build(lambda t: (
        tf1.train.AdamOptimizer(2e-4).minimize(-cost_D, var_list=[t.D_W, t.D_b]),
        tf1.train.AdamOptimizer(2e-4).minimize(cost_D, var_list=[t.D_W, t.D_b]),
        tf1.train.AdamOptimizer(2e-4).minimize(-cost_G, var_list=[t.G_W, t.G_b])))
    G = (G_up, cost_G, [t.G_W, t.G_b])
    ex.check_solvers("9.7", (D_up, cost_D, [t.D_W, t.D_b]), G, [t.X, t.Z], maximize=True)
    assert said(capsys).status == "pass"
    ex.check_solvers("9.7", (D_down, cost_D, [t.D_W, t.D_b]), G, [t.X, t.Z], maximize=True)
    assert "D's step made its cost smaller" in said(capsys).message


def test_g_step_must_move_batch_norm_averages(capsys: pytest.CaptureFixture[str]) -> None:
    graph = seeded_graph(0)
    with graph.as_default():
        Z = tf1.placeholder(tf.float32, [None, 3])
        with tf1.variable_scope("generator"):
            G = dense(batch_norm(dense(Z, 4), training=True, momentum=0.8), 2)
        theta_G = tf1.trainable_variables("generator")
        loss = tf.reduce_mean(tf.square(G - 1.0))
        adam = tf1.train.AdamOptimizer(0.01)
        plain = adam.minimize(loss, var_list=theta_G)
        with tf.control_dependencies(tf1.get_collection(tf1.GraphKeys.UPDATE_OPS)):
            with_updates = adam.minimize(loss, var_list=theta_G)
    assert ex.check_batch_norm_update("9.8", with_updates, loss, theta_G, [Z], adam) is with_updates
    assert said(capsys).status == "pass"
    handed = ex.check_batch_norm_update("9.8", plain, loss, theta_G, [Z], adam)
    assert "left batch norm's generator/batch_normalization/moving_mean" in said(capsys).message
    ex.check_batch_norm_update("9.8", typed(handed), loss, theta_G, [Z], adam)
    assert said(capsys).status == "pass"


def test_a_second_call_of_d_must_share_its_weights(capsys: pytest.CaptureFixture[str]) -> None:
    graph = seeded_graph(0)
    with graph.as_default():
        X, Z = tf1.placeholder(tf.float32, [None, 5]), tf1.placeholder(tf.float32, [None, 2])

        def discriminator(x, reuse=None, scope="dis"):
            with tf1.variable_scope(scope, reuse=reuse):
                logits = dense(x, 1)
                return tf.sigmoid(logits), logits

        G = tf.tanh(dense(Z, 5))
        _, real_logits = discriminator(X)
        shared, new = discriminator(G, reuse=True), discriminator(G, scope="dis2")
        reads_X = discriminator(X, reuse=True)
    assert ex.check_reuse("9.9", shared, real_logits, G, discriminator) is shared and said(capsys).status == "pass"
    for pair, hint in [(new, "the second call made new weights"), (reads_X, "judges the real images"),
                       (shared[::-1], "swapped")]:
        handed = ex.check_reuse("9.9", pair, real_logits, G, discriminator)
        assert hint in said(capsys).message
        ex.check_reuse("9.9", typed(handed), real_logits, G, discriminator)
        assert said(capsys).status == "pass"


def test_a_prediction_is_graded_by_what_was_measured(capsys: pytest.CaptureFixture[str]) -> None:
    options = {"a": (0.5, 2.0), "b": (0.0, 0.05), "c": "error"}

    def verdict(prediction: object, measured: object) -> ex.Verdict:
        assert ex.check_prediction("9.10", prediction, measured, options, "ratio") is None  # no Out[] in a notebook
        return said(capsys)

    assert verdict("b", 0.0101) == ex.Verdict("9.10", "pass", "you predicted b; measured ratio: 0.0101, which is b")
    assert verdict(" (A) ", 0.0101) == ex.Verdict("9.10", "not yet",
                                                  "you predicted a; measured ratio: 0.0101, which is b")
    assert verdict("c", "error").status == "pass"
    blank = verdict(..., 0.0101)
    assert blank.status == "not done" and "0.0101" not in blank.message  # the answer waits for a prediction
    assert "answer one of a, b, c, not 'd'" in verdict("d", 0.0101).message
    assert "measured ratio: 7, which fits none of a, b, c" in verdict("a", 7.0).message


def test_measurements_leave_the_lessons_graph_and_numbers_alone(tiny: Tiny) -> None:
    before = tiny.ops()
    first = ex.value_before_training(tiny.D_loss, {tiny.X: ex.noise(4, 6), tiny.Z: ex.noise(4, 3)})
    again = ex.value_before_training(tiny.D_loss, {tiny.X: ex.noise(4, 6), tiny.Z: ex.noise(4, 3)})
    assert first == again and tiny.ops() == before  # the same initial weights in every fresh session
    assert ex.best_logit(tiny.bce, 1.0) == 20.0  # without smoothing the loss falls as far as we look
    assert abs(ex.best_logit(tiny.bce, 0.9) - np.log(9)) <= 0.125  # D(x) = 0.9, on a grid of quarters
    with tiny.graph.as_default():
        assert ex.graph_growth(lambda: tf.identity(tiny.G)) == "grows"
        assert ex.graph_growth(lambda: None) == "unchanged"
        tiny.graph.finalize()
        assert ex.graph_growth(lambda: tf.identity(tiny.G)) == "error"


# --------------------------------------------------------------------------- the grader, without a kernel

def test_the_table_has_a_row_per_notebook_and_a_column_per_exercise() -> None:
    grades = [ex.Grade("ann/01.ipynb", {"1.1": ex.Verdict("1.1", "pass"), "1.2": ex.Verdict("1.2", "not yet", "why")}),
              ex.Grade("bo/01.ipynb", {"1.1": ex.Verdict("1.1", "error", "NameError"),
                                       "1.2": ex.Verdict("1.2", "not done")}, ["cell 3: NameError: x"]),
              ex.Grade("cy/notes.ipynb")]
    lines = ex.report(grades, details=True).splitlines()
    assert lines[0].split() == ["notebook", "1.1", "1.2", "passed", "cells", "that", "raised"]
    assert lines[1].split() == ["ann/01.ipynb", "pass", "not", "yet", "1/2", "0"]
    assert lines[2].split() == ["bo/01.ipynb", "error", "not", "done", "0/2", "1"]
    assert "no exercise checks in: cy/notes.ipynb" in lines
    assert "  [1.2] not yet: why" in lines and "  cell 3: NameError: x" in lines


def test_lesson_args_go_to_the_notebooks_whose_names_they_start() -> None:
    specs = ["--data bundled", "05:--steps 8 --seeds 0", "05_compare:--steps 9"]
    assert ex.lesson_args_for("ann/01_wiseodd.ipynb", specs) == "--data bundled"
    assert ex.lesson_args_for("ann/05_compare_losses.ipynb", specs) == "--steps 9"
    assert ex.lesson_args_for("05_other.ipynb", specs) == "--steps 8 --seeds 0"
    assert ex.lesson_args_for("x.ipynb", []) is None
    assert ex.lesson_args_for("x.ipynb", ["--data idx:/mnist"]) == "--data idx:/mnist"


@pytest.mark.parametrize("make, argv, message", [
    (None, ["check", "no/such/folder"], "no/such/folder: no such file or folder"),
    (lambda d: (d / "notes.txt").write_text("hi"), ["check", "{d}/notes.txt"], "notes.txt: not a notebook"),
    (lambda d: (d / "broken.ipynb").write_text("{"), ["check", "{d}"], "broken.ipynb: not a notebook ("),
    (lambda d: None, ["check", "{d}"], ": no notebooks (.ipynb) in this folder"),
    (None, ["check", ".", "--lesson-args", "05:--out 'x"], "--lesson-args \"05:--out 'x\": No closing quotation"),
])
def test_check_refuses_what_it_cannot_grade_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], make,
                                                        argv: list[str], message: str) -> None:
    if make:
        make(tmp_path)
    code, err = run_cli(capsys, *[a.format(d=tmp_path) for a in argv])
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err


# --------------------------------------------------------------------------- the grader on a class folder

MNIST = "--data bundled"  # the lessons that read MNIST; 06 and 07 play on a line and in the plane
TINY = {"01": f"--steps 3 --sample-every 1 {MNIST}", "02": f"--steps 3 --sample-every 1 {MNIST}",
        "03": f"--steps 3 {MNIST}", "04": f"--steps 3 {MNIST}", "05": f"--steps 8 --seeds 0 {MNIST}",
        "06": "--steps 4 --look-every 2 --panels 0,4", "07": "--steps 4 --look-every 2",
        "08": f"--steps 3 --sample-every 1 {MNIST}", "09": f"--steps 3 --sample-every 1 {MNIST}"}


def with_answers(lesson: str, solved: set[str], typed: dict[str, str]) -> nbformat.NotebookNode:
    """A student's copy with the exercises in `solved` solved and a blank line replaced by what a student `typed`."""
    notebook = ex.student_notebook(nbformat.read(NOTEBOOKS / f"{lesson}.ipynb", as_version=4), keep=solved)
    for cell in notebook.cells:
        for exercise, line in typed.items():
            blank = [x for x in cell.source.splitlines() if x.endswith(f"# exercise {exercise}: your answer here")]
            if blank:
                cell.source = cell.source.replace(blank[0], line)
    return notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, dict[str, tuple[str, str]]]]:
    """`tf_gan check` on a class: every students' notebook as handed out, and ben's lesson 4 (one solved,
    one wrong, one that raises), run once, every cell, at a few steps. Its table and its CSV."""
    folder = tmp_path_factory.mktemp("class")
    shutil.copytree(STUDENTS, folder / "ann")
    (folder / "ben").mkdir()
    typed = {"4.1": "cost_D = -tf.reduce_mean(tf.math.log(D_real) + tf.math.log(1 - D_gene))",
             "4.3": "prediction = my_guess"}
    nbformat.write(with_answers("04_golbin", {"4.2"}, typed), folder / "ben" / "04_golbin.ipynb")
    flags = [arg for prefix, flags in TINY.items() for arg in ("--lesson-args", f"{prefix}:{flags}")]
    done = subprocess.run([sys.executable, "-m", "tf_gan", "check", str(folder), "--all-cells", *flags,
                           "--csv", str(folder / "grades.csv")], capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    rows: dict[str, dict[str, tuple[str, str]]] = {}
    with open(folder / "grades.csv", newline="") as f:
        for row in csv.DictReader(f):
            rows.setdefault(row["notebook"], {})[row["exercise"]] = (row["status"], row["message"])
    return done.stdout, rows


@pytest.mark.parametrize("name", LESSONS)
def test_a_students_notebook_as_handed_out_runs_through_with_every_exercise_not_done(
        graded: tuple[str, dict], name: str) -> None:
    rows = graded[1][f"ann/{name}.ipynb"]
    assert list(rows) == ex.check_ids(lesson_text(name))  # every exercise, and no cell that raised
    for exercise, (status, message) in rows.items():
        assert status == "not done" and message, exercise


def test_one_solved_exercise_passes_alone_a_wrong_one_says_why_and_a_crash_is_an_error(
        graded: tuple[str, dict]) -> None:
    rows = dict(graded[1]["ben/04_golbin.ipynb"])
    crashed = {key: rows.pop(key) for key in list(rows) if key.startswith("cell ")}
    assert {exercise: status for exercise, (status, _) in rows.items()} == {"4.1": "not yet", "4.2": "pass",
                                                                           "4.3": "error"}
    assert rows["4.1"][1].startswith("cost_D is 1.067 on the check's probabilities, expected -1.067: cost_D is "
                                     "what D maximises, so no minus sign")
    assert rows["4.3"][1] == ("NameError: name 'prediction' is not defined "
                              "(a cell above raised NameError: name 'my_guess' is not defined)")
    assert [message for _, message in crashed.values()] == [f"{key}: NameError: name 'my_guess' is not defined"
                                                            for key in crashed]


def test_the_teachers_table(graded: tuple[str, dict]) -> None:
    rows = {line.split()[0]: line.split()[1:] for line in graded[0].splitlines() if line.strip()}
    assert rows["ben/04_golbin.ipynb"] == ["not", "yet", "pass", "error", "1/3", "1"]
    assert rows["ann/04_golbin.ipynb"] == ["not", "done"] * 3 + ["0/3", "0"]
    assert rows["ann/05_compare_losses.ipynb"] == ["not", "done"] * 4 + ["0/4", "0"]
    headers = [line.split()[1:-4] for line in graded[0].splitlines() if line.startswith("notebook ")]
    assert headers == [["1.1", "1.2", "1.3", "1.4"], ["2.1", "2.2", "2.3", "2.4"],
                                                 ["3.1", "3.2", "3.3", "3.4"], ["4.1", "4.2", "4.3"],
                                                 ["5.1", "5.2", "5.3", "5.4"], ["6.1", "6.2"], ["7.1", "7.2"],
                                                 ["8.1", "8.2", "8.3"], ["9.1", "9.2", "9.3", "9.4"]]
