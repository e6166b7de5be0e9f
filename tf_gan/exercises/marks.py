"""The marks in a lesson's source, and the students' notebooks made from the teacher's.

A lesson marks the lines a student should write, inside one code cell:

    # [solution 1.2] students get: D_loss = ...
    D_loss_real = tf.reduce_mean(...)
    ...
    # [end of solution 1.2]

The teacher's notebooks (tutorials/notebooks/) run those lines; `write_student_notebooks`
makes the students' copies (tutorials/exercises/), where the lines between the marks are
replaced by the blank after "students get:". The prose announces each exercise as
``**Exercise 1.2** (type it)`` or ``(predict, then run)``, and a check cell after it
calls ``exercises.check_*("1.2", ...)``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Collection
from pathlib import Path

import nbformat

from tf_gan.errors import TfGanError

START = re.compile(
    r"^(?P<indent>[ \t]*)# \[solution (?P<id>\d+\.\d+)\] students get: (?P<blank>.+?)[ \t]*$")
END = re.compile(r"^[ \t]*# \[end of solution (?P<id>\d+\.\d+)\][ \t]*$")
CHECK_CALL = re.compile(r"\bexercises\.check_\w+\(\s*[\"'](?P<id>\d+\.\d+)[\"']")
EXERCISE = re.compile(
    r"\*\*Exercise (?P<id>\d+\.\d+)\*\* \((?P<kind>type it|predict, then run|find the bug)\)")


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
                raise TfGanError(f"{where}, line {number}: solution {start['id']} starts inside "
                                 f"solution {open_id}")
            open_id, keep_it = start["id"], start["id"] in keep
            if not keep_it:
                out += [f"{start['indent']}{statement.strip()}  "
                        f"# exercise {open_id}: your answer here\n"
                        for statement in start["blank"].split(";")]
        elif end := END.match(line):
            if end["id"] != open_id:
                raise TfGanError(f"{where}, line {number}: the end of solution {end['id']} closes "
                                 f"{'solution ' + open_id if open_id else 'no solution'}")
            open_id = None
        elif open_id is None or keep_it:
            out.append(line)
    if open_id is not None:
        raise TfGanError(f"{where}: solution {open_id} has no '# [end of solution {open_id}]' line "
                         "in its cell")
    text = "".join(out)
    return text if source.endswith("\n") else text.removesuffix("\n")


def solution_ids(source: str) -> list[str]:
    """The exercises whose solutions `source` holds, in order, each once."""
    return list(dict.fromkeys(m["id"] for line in source.splitlines() if (m := START.match(line))))


def check_ids(source: str) -> list[str]:
    """The exercises that `source` (a check cell, or a whole lesson) checks, in order, each once."""
    return list(dict.fromkeys(m["id"] for m in CHECK_CALL.finditer(source)))


def exercise_kinds(source: str) -> dict[str, str]:
    """Exercise -> "type it", "predict, then run" or "find the bug", as the lesson's prose announces each."""
    return {m["id"]: m["kind"] for m in EXERCISE.finditer(source)}


def student_notebook(teacher: nbformat.NotebookNode, keep: Collection[str] = (),
                     where: str = "the notebook") -> nbformat.NotebookNode:
    """The teacher's notebook with its solutions blanked and no outputs.

    Cell ids are kept, so diffs stay small.
    """
    student = copy.deepcopy(teacher)
    for number, cell in enumerate(student.cells, 1):
        if cell.cell_type == "code":
            cell.source = blank_solutions(cell.source, keep, f"{where}, cell {number}")
            cell.outputs, cell.execution_count = [], None
    return student


def write_student_notebooks(notebooks: Path, out: Path) -> list[Path]:
    """Write out/NAME.ipynb for every teacher's notebook in `notebooks` that holds exercises.

    This is ``make notebooks``'s second step (``python -m tf_gan.exercises``).
    """
    written = []
    for path in sorted(Path(notebooks).glob("*.ipynb")):
        teacher = nbformat.read(path, as_version=4)
        if any(solution_ids(cell.source) for cell in teacher.cells if cell.cell_type == "code"):
            Path(out).mkdir(parents=True, exist_ok=True)
            nbformat.write(student_notebook(teacher, where=str(path)), Path(out) / path.name)
            written.append(Path(out) / path.name)
    return written
