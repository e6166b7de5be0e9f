"""Exercises in the lessons: the blanks a student fills in, the checks that test them, a grader.

A lesson marks the lines a student should write; the students' notebooks are the
teacher's with those lines blanked (marks.py, ``make notebooks``). After each exercise a
check cell calls one ``exercises.check_*`` function (checks/), which tests what the code
does on small fixed inputs, prints one verdict line, ``[1.2] pass`` (verdicts.py), and
hands back a working answer when the student's is not one yet. The teacher's grader runs
notebooks headless and reads those lines back into a table or a CSV (grading.py,
``python -m tf_gan check``).

Imports run one way: marks and verdicts stand alone; checks/ build on verdicts;
grading reads marks and verdicts. This module only gathers the names lessons, notebooks,
tests and tf_gan/commands.py use.
"""

from tf_gan.exercises.checks.base import noise
from tf_gan.exercises.checks.losses import (CHECK_FAKE, CHECK_REAL, check_cost_d, check_d_loss,
                                            check_g_loss, check_stable_form)
from tf_gan.exercises.checks.predict import (best_logit, check_prediction, graph_growth, value_after,
                                             value_before_training, what_happens)
from tf_gan.exercises.checks.steps import check_batch_norm_update, check_solvers
from tf_gan.exercises.checks.variables import check_reuse, check_var_lists
from tf_gan.exercises.grading import (Grade, check_lesson_args, find_notebooks, grade,
                                      lesson_args_for, report, write_csv)
from tf_gan.exercises.marks import (END, START, blank_solutions, check_ids, exercise_kinds,
                                    solution_ids, student_notebook, write_student_notebooks)
from tf_gan.exercises.verdicts import PASS, Verdict, read_verdicts

# Not for lessons: tests/test_exercises.py reaches these to build its fixtures.
from tf_gan.exercises.checks.base import _HANDED_BACK, _shaped  # noqa: F401  isort: skip
from tf_gan.exercises.checks.losses import _softplus  # noqa: F401  isort: skip

__all__ = [
    # the lessons' check cells (checks/)
    "check_batch_norm_update", "check_cost_d", "check_d_loss", "check_g_loss", "check_prediction",
    "check_reuse", "check_solvers", "check_stable_form", "check_var_lists",
    # the lessons' measurements for "predict, then run"
    "best_logit", "graph_growth", "noise", "value_after", "value_before_training", "what_happens",
    # the marks and the students' notebooks (marks.py)
    "END", "START", "blank_solutions", "check_ids", "exercise_kinds", "solution_ids",
    "student_notebook", "write_student_notebooks",
    # verdicts (verdicts.py)
    "PASS", "Verdict", "read_verdicts",
    # the grader (grading.py, for `python -m tf_gan check`)
    "Grade", "check_lesson_args", "find_notebooks", "grade", "lesson_args_for", "report",
    "write_csv",
    # the checks' fixed inputs, which tests compare with
    "CHECK_FAKE", "CHECK_REAL",
]
