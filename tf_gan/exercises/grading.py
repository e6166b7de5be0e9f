"""The teacher's view: run students' notebooks headless, read back their verdicts, table and CSV.

``python -m tf_gan check`` (tf_gan/commands.py) finds the notebooks, grades each in a
fresh kernel, and prints `report`'s table or writes `write_csv`'s rows.
"""

from __future__ import annotations

import csv
import logging
import os
import re
import shlex
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

import tf_gan
from tf_gan.errors import TfGanError
from tf_gan.exercises.marks import check_ids
from tf_gan.exercises.verdicts import ERROR, PASS, Verdict, read_verdicts
from tf_gan.lesson import KERNEL_ARGS


@dataclass
class Grade:
    """One notebook's checks, as a teacher reads them."""

    notebook: str  # the name the table shows
    # exercise -> verdict, in the notebook's order
    results: dict[str, Verdict] = field(default_factory=dict)
    # "cell 12: NameError: ..." for each other cell that raised
    crashed: list[str] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(v.status == PASS for v in self.results.values())


# ------------------------------------------------------------ which notebooks, which flags

def read_notebook(path: Path) -> nbformat.NotebookNode:
    """A notebook, or a one-line TfGanError that says why the file is not one."""
    try:
        return nbformat.read(path, as_version=4)
    # JSON, schema and encoding errors all mean "not a notebook"
    except Exception as e:  # noqa: BLE001
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise TfGanError(f"{path}: not a notebook ({reason[:120]})") from None


def find_notebooks(paths: Sequence[Path]) -> list[tuple[str, Path]]:
    """(name to show, path) for each notebook given, or found under a folder given.

    Each one is read, so that a file that is not a notebook stops the grading before any runs.
    """
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
            raise TfGanError(f"{path}: not a notebook (expected a .ipynb file, or a folder of "
                             "them)")
        else:
            found.append((str(path), path))
    for _, path in found:
        read_notebook(path)
    return found


# nbclient's "Executing notebook with kernel" lines
QUIET = logging.getLogger("tf_gan.exercises.kernel")
QUIET.setLevel(logging.WARNING)
LESSON_ARGS = re.compile(r"^(?P<prefix>\w[\w.-]*):(?P<flags>.*)$")


def _split_spec(spec: str) -> tuple[str | None, str]:
    """``05:--steps 8`` -> ("05", "--steps 8"); flags alone -> (None, flags).

    Flags start with "-", a prefix cannot.
    """
    m = LESSON_ARGS.match(spec)
    return (m["prefix"], m["flags"].strip()) if m else (None, spec.strip())


def lesson_args_for(name: str, specs: Sequence[str]) -> str | None:
    """The lesson flags for the notebook `name`.

    Those of the last spec whose prefix starts its file name, or that has no prefix (it
    fits every notebook). None: the kernel keeps the environment's TF_GAN_LESSON_ARGS.
    """
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


# ------------------------------------------------------------ running one notebook

def grade(path: Path, name: str | None = None, lesson_args: str | None = None,
          all_cells: bool = False, timeout: int = 600) -> Grade:
    """Run a notebook headless in a fresh kernel and read back its checks' verdicts.

    The kernel starts in an empty temporary folder (the pictures a lesson writes go
    there, not beside the students' files) and imports this tf_gan. Old outputs are
    cleared first, so only what runs now counts. Unless `all_cells`, the cells after the
    last check are not run: the lessons train there, and no check depends on it.
    A cell that raises does not stop the rest.
    """
    from nbclient import NotebookClient

    nb = read_notebook(path)
    checks = {i: check_ids(c.source) for i, c in enumerate(nb.cells)
              if c.cell_type == "code" and check_ids(c.source)}
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
        client = NotebookClient(nb, timeout=timeout, startup_timeout=120, kernel_name="python3",
                                allow_errors=True, shutdown_kernel="immediate",
                                resources={"metadata": {"path": folder}}, log=QUIET)
        # the kernel's own stderr (TensorFlow's and Jupyter's start-up notes) would bury the table
        try:
            client.execute(env=_kernel_env(lesson_args), stderr=subprocess.DEVNULL)
        # a timeout or a dead kernel: the checks not run say so
        except Exception as e:  # noqa: BLE001
            last = str(e).strip().splitlines()[-1] if str(e).strip() else ""
            stopped = f"{type(e).__name__}: {last}"[:200]
    return _read_results(nb, checks, result, stopped)


def _kernel_env(lesson_args: str | None) -> dict[str, str]:
    """The grader's environment: this tf_gan first on the kernel's path, and any lesson flags."""
    here = str(Path(tf_gan.__file__).resolve().parents[1])
    path = os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    if lesson_args is not None:
        env[KERNEL_ARGS] = lesson_args
    return env


def _error_of(cell: nbformat.NotebookNode) -> str | None:
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            return f"{output.ename}: {output.evalue}".strip()[:200]
    return None


def _read_results(nb: nbformat.NotebookNode, checks: dict[int, list[str]], result: Grade,
                  stopped: str) -> Grade:
    """Each check's verdict from its cell's output.

    A check that printed none is an error, and says why.
    """
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


# ------------------------------------------------------------ the table, the CSV

def _exercise_order(exercise: str) -> tuple[int, ...]:
    return tuple(int(part) for part in exercise.split("."))


def _table(exercises: tuple[str, ...], members: Sequence[Grade]) -> list[str]:
    """One lesson's table: a row per notebook, a column per exercise, columns aligned."""
    header = ["notebook", *exercises, "passed", "cells that raised"]
    rows = [[g.notebook, *(g.results[e].status for e in exercises), f"{g.passed}/{len(exercises)}",
             str(len(g.crashed))] for g in members]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
            for row in [header, *rows]]


def report(grades: Sequence[Grade], details: bool = False) -> str:
    """A table per lesson: rows are notebooks, columns exercises.

    With `details`, then why each did not pass.
    """
    lines: list[str] = []
    groups: dict[tuple[str, ...], list[Grade]] = {}
    for g in grades:
        groups.setdefault(tuple(sorted(g.results, key=_exercise_order)), []).append(g)
    for exercises, members in groups.items():
        if not exercises:
            lines += ["no exercise checks in: " + ", ".join(g.notebook for g in members), ""]
            continue
        lines += _table(exercises, members)
        lines.append("")
    lines.append("pass: the check passed; not yet: answered, not right yet; not done: still the "
                 "blank; error: the check could not run"
                 + ("" if details else " (--details says why)"))
    if details:
        for g in grades:
            notes = [str(v) for v in g.results.values() if v.status != PASS] + g.crashed
            if notes:
                lines += ["", f"{g.notebook}:"] + [f"  {note}" for note in notes]
    return "\n".join(lines)


def write_csv(grades: Sequence[Grade], path: Path) -> None:
    """One row per notebook and exercise, and per cell that raised: for a spreadsheet."""
    try:
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["notebook", "exercise", "status", "message"])
            for g in grades:
                writer.writerows([g.notebook, v.exercise, v.status, v.message]
                                 for v in g.results.values())
                writer.writerows([g.notebook, crash.split(":")[0], ERROR, crash]
                                 for crash in g.crashed)
    except OSError as e:
        raise TfGanError(f"{path}: cannot write ({e.strerror}); choose another --csv") from None
