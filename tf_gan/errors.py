"""Errors a user can act on.

The CLI prints these as one line (no traceback) and exits with the code given
here, so a student sees what to fix instead of a page of TensorFlow internals.
"""

from __future__ import annotations


class TfGanError(Exception):
    """Bad input or a missing file: the message names the thing and the fix."""

    exit_code = 2


class DataError(TfGanError):
    """The MNIST source is missing, corrupt or of the wrong shape."""


class TrainingDiverged(TfGanError):
    """A loss or a variable became NaN or infinite; nothing from that iteration was saved."""

    exit_code = 3

    def __init__(self, iteration: int, what: list[str], last_good: str | None = None, hint: str = ""):
        self.iteration = iteration
        self.what = what
        named = ", ".join(what[:4]) + (f" and {len(what) - 4} more" if len(what) > 4 else "")
        kept = f"the last good checkpoint, {last_good}, is kept" if last_good else "no checkpoint was saved before it"
        super().__init__(f"training diverged at iteration {iteration}: non-finite {named}; nothing from this "
                         f"iteration was saved, {kept}{'; ' + hint if hint else ''}")


class Interrupted(Exception):
    """Ctrl-C or SIGTERM stopped a run after it saved a checkpoint: not a mistake, so no "error:"."""

    def __init__(self, step: int, steps: int, signum: int, resume: str):
        self.step = step
        self.exit_code = 128 + signum  # what a shell reports for a process stopped by that signal
        super().__init__(f"stopped after step {step} of {steps}; the checkpoint is saved. Continue with:\n"
                         f"  {resume}")
