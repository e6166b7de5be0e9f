"""A lesson's settings: defaults in the lesson, overridable from the command line.

``python tutorials/01_wiseodd.py --steps 200`` parses its flags strictly (a typo is an
error, not a silently ignored flag). Inside a Jupyter or VS Code kernel, which passes
flags of its own, the lesson's defaults are used as they stand: edit them in the cell.
A kernel started with ``TF_GAN_LESSON_ARGS="--steps 60 --sample-every 20"`` in its
environment takes those flags instead, parsed as strictly: that is how the tests run
every notebook at a short setting without editing it.
This module imports no TensorFlow, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import logging
import os
import shlex
import sys
from collections.abc import Iterable, Iterator
from types import SimpleNamespace

KERNEL_ARGS = "TF_GAN_LESSON_ARGS"


def yes_no(text: str) -> bool:
    """Booleans from the command line: bool("false") would be True."""
    if text.lower() in {"true", "yes", "1"}:
        return True
    if text.lower() in {"false", "no", "0"}:
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def settings(description: str, **defaults: object) -> SimpleNamespace:
    """Each keyword becomes ``--name value`` (typed like its default).

    It also lets tf_gan's progress lines reach the screen, as the command line does: a cell
    that trains for minutes (lesson 5's comparison, the classifier's first training) says
    how far it has got instead of sitting silent.
    """
    show_progress()
    in_kernel = in_notebook()
    # In a kernel, name the variable in usage and error lines: the kernel's own name would mislead.
    parser = argparse.ArgumentParser(prog=KERNEL_ARGS if in_kernel else None, description=description)
    for name, value in defaults.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=yes_no if isinstance(value, bool) else type(value),
                            default=value, help=f"default: {value}")
    args = shlex.split(os.environ.get(KERNEL_ARGS, "")) if in_kernel else None
    return SimpleNamespace(**vars(parser.parse_args(args)))


def in_notebook() -> bool:
    """Is the lesson running in a Jupyter kernel (a notebook), not as a script? Then it may show widgets."""
    return "ipykernel" in sys.modules


def show_progress() -> None:
    """tf_gan's log lines (INFO and up) on stderr, one message a line; TensorFlow's own notes stay quiet."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("tensorflow").setLevel(logging.WARNING)


def progress(items: Iterable, what: str) -> Iterator:
    """`items`, with a progress bar on stderr: a loop that prints only now and then still shows it moves.

    Drawn in a terminal, a notebook's output and a log file alike (tqdm's text bar).
    """
    from tqdm import tqdm

    return iter(tqdm(items, desc=what, mininterval=1.0, disable=False, file=sys.stderr, dynamic_ncols=True))
