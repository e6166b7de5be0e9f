"""A check's verdict: the one line it prints, ``[1.2] pass``, and the grader's reading of it back.

The checks (checks/) print verdicts; the grader (grading.py) reads them from a
notebook's output. This line is all the two share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PASS, NOT_YET, NOT_DONE, ERROR = "pass", "not yet", "not done", "error"
VERDICT = re.compile(
    r"^\[(?P<id>\d+\.\d+)\] (?P<status>pass|not yet|not done)(?:: (?P<message>.*))?$", re.M)


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
    return {m["id"]: Verdict(m["id"], m["status"], m["message"] or "")
            for m in VERDICT.finditer(text)}
