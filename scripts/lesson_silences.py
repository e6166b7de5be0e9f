"""How long does each lesson leave the screen unchanged? Run it as a student would, and time the quiet.

    python scripts/lesson_silences.py [LESSON ...]    # a file, or a number: 02 [--flags "--steps 200"] [--out out/lesson_silences.json]

Runs each lesson (default: every tutorials/NN_*.py) as a script at its default settings,
its output and errors read as they come (Python unbuffered, a progress bar's redraws
included: a moving bar is not a frozen screen). Reports each lesson's wall time and its
longest silence, with the last line it had shown before it. A lesson that fails is
reported with its exit code. Writes the table as JSON too (docs/lessons.md: "Never a frozen screen").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import select
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def silences(lesson: Path, flags: list[str]) -> dict:
    """Run `lesson`; its seconds, exit code, longest gap between two pieces of output, and what preceded it."""
    start = last = time.perf_counter()
    gap, before, shown = 0.0, "(nothing yet)", ""
    process = subprocess.Popen([sys.executable, str(lesson), *flags], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    while True:
        ready, _, _ = select.select([process.stdout], [], [], 1.0)
        if not ready:
            continue
        chunk = os.read(process.stdout.fileno(), 65536)
        now = time.perf_counter()
        if not chunk:
            break
        if now - last > gap:
            gap, before = now - last, last_line(shown)
        shown = (shown + chunk.decode(errors="replace"))[-2000:]
        last = now
    code = process.wait()
    end = time.perf_counter()
    if end - last > gap:
        gap, before = end - last, last_line(shown)
    return {"lesson": lesson.name, "flags": shlex.join(flags), "seconds": round(end - start, 1),
            "longest_silence": round(gap, 1), "after": before, "exit_code": code}


def last_line(text: str) -> str:
    """The last non-empty line on the screen (a progress bar's latest redraw), shortened."""
    lines = [line.strip() for line in text.replace("\r", "\n").splitlines() if line.strip()]
    return (lines[-1] if lines else "(nothing yet)")[:100]


def lesson_path(text: str) -> Path:
    """A lesson's script from its path or its number ("02" is tutorials/02_*.py); a one-line error if none."""
    if Path(text).is_file():
        return Path(text)
    found = sorted((ROOT / "tutorials").glob(f"{text}_*.py")) if text.isdigit() else []
    if len(found) != 1:
        raise argparse.ArgumentTypeError(f"no lesson {text!r}: give a file, or a number such as 02")
    return found[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", type=lesson_path,
                        help="a lesson's file or its number, e.g. 02 (default: every tutorials/NN_*.py)")
    parser.add_argument("--flags", default="", help="flags for every lesson (default: none, its own defaults)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "lesson_silences.json")
    args = parser.parse_args()
    lessons = args.lessons or sorted((ROOT / "tutorials").glob("[0-9][0-9]_*.py"))
    rows = []
    for lesson in lessons:
        print(f"running {lesson.name} {args.flags}".rstrip() + " ...", flush=True)
        rows.append(silences(lesson.resolve(), shlex.split(args.flags)))
        row = rows[-1]
        print(f"  {row['seconds']:7.1f} s, longest silence {row['longest_silence']:5.1f} s after: {row['after']}"
              + (f"  (exit code {row['exit_code']})" if row["exit_code"] else ""), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"cpu": platform.processor() or platform.machine(), "rows": rows}, indent=2) + "\n")
    print("| lesson | seconds | longest silence (s) | after |\n|---|---|---|---|")
    for row in rows:
        print(f"| {row['lesson']} | {row['seconds']} | {row['longest_silence']} | `{row['after']}` |")


if __name__ == "__main__":
    main()
