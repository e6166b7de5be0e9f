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
import os
import shlex
import sys
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
    """Each keyword becomes ``--name value`` (typed like its default)."""
    in_kernel = "ipykernel" in sys.modules
    # In a kernel, name the variable in usage and error lines: the kernel's own name would mislead.
    parser = argparse.ArgumentParser(prog=KERNEL_ARGS if in_kernel else None, description=description)
    for name, value in defaults.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=yes_no if isinstance(value, bool) else type(value),
                            default=value, help=f"default: {value}")
    args = shlex.split(os.environ.get(KERNEL_ARGS, "")) if in_kernel else None
    return SimpleNamespace(**vars(parser.parse_args(args)))
