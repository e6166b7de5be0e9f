"""``python -m tf_gan.exercises NOTEBOOKS OUT``: the students' notebooks (``make notebooks``)."""

from __future__ import annotations

import sys
from pathlib import Path

from tf_gan.exercises.marks import write_student_notebooks


def main(argv: list[str]) -> int:
    """Write the students' copies of the teacher's notebooks in NOTEBOOKS to OUT; say each one."""
    if len(argv) != 2:
        print("usage: python -m tf_gan.exercises TEACHERS_NOTEBOOKS_FOLDER STUDENTS_FOLDER",
              file=sys.stderr)
        return 2
    for path in write_student_notebooks(Path(argv[0]), Path(argv[1])):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
