"""The README's results table, as Markdown, from what scripts/results.sh wrote.

    python scripts/results_table.py [OUT]      # OUT defaults to out/results

One row per evaluated run (its `eval.json`), in the order of scripts/results.sh, with
the two reference rows (`evaluate --reference real|noise`) on top and, for each run,
the command that repeats it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FLAGS = "--threads 1 --loop classic"  # results.sh's, for every row that names none


def rows_of_script() -> dict[str, str]:
    """NAME -> train arguments, read from scripts/results.sh itself, so the two cannot disagree."""
    text = (ROOT / "scripts" / "results.sh").read_text()
    rows = text.split("declare -A ROWS=(")[1].split(")")[0]
    return dict(re.findall(r'^\s*\[([\w-]+)\]="([^"]+)"', rows, re.M))


def per_row(table: str) -> dict[str, str]:
    """NAME -> value, for the rows that name their own in one of results.sh's other tables (RUN_FLAGS, SEEDS)."""
    text = (ROOT / "scripts" / "results.sh").read_text()
    entries = text.split(f"declare -A {table}=(")[1].split(")")[0]
    return dict(re.findall(r'^\s*\[([\w-]+)\]="?([^"\n]+?)"?$', entries, re.M))


def cells(figures: dict) -> list[str]:
    parzen = figures["parzen"]
    return [f"{figures['classifier_score']:.2f}", f"{figures['frechet_distance']:.1f}", str(figures["classes_hit"]),
            f"{parzen['mean_nats']:.1f} ± {parzen['stderr_nats']:.1f}",
            ", ".join(str(count) for count in figures["histogram"])]


def main(out: Path) -> None:
    print("| samples | classifier score | Fréchet distance | classes >= 1% | Parzen (nats) | histogram 0..9 | command |")
    print("|---|---|---|---|---|---|---|")
    for kind, what in (("real", "real training digits"), ("noise", "uniform noise")):
        reference = ROOT / "out" / f"reference-{kind}.eval.json"
        if not reference.exists():  # results.sh NAME makes no reference rows
            continue
        figures = json.loads(reference.read_text())
        print(f"| {what} | " + " | ".join(cells(figures)) + f" | `evaluate --reference {kind}` |")
    flags, seeds = per_row("RUN_FLAGS"), per_row("SEEDS")
    for name, args in rows_of_script().items():
        path = out / name / "eval.json"
        if path.exists():
            command = f"`train {args} --data bundled --seed {seeds.get(name, 0)} {flags.get(name, DEFAULT_FLAGS)}`, then `evaluate`"
            print(f"| {name} | " + " | ".join(cells(json.loads(path.read_text()))) + f" | {command} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "out" / "results")
