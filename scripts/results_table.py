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


def script() -> str:
    return (ROOT / "scripts" / "results.sh").read_text()


def table(name: str) -> str:
    """The body of results.sh's `declare -A NAME=( ... )`, which ends at a line holding only ")"."""
    return re.search(rf"declare -A {name}=\((.*?)\n\)", script(), re.S).group(1)


def expanded(text: str) -> str:
    """The row's arguments with results.sh's own variables ($EARLIER) written out."""
    variables = dict(re.findall(r'^(\w+)="([^"]*)"$', script(), re.M))
    return re.sub(r"\$(\w+)", lambda m: variables.get(m.group(1), m.group(0)), text)


def rows_of_script() -> dict[str, str]:
    """NAME -> train arguments, read from scripts/results.sh itself, so the two cannot disagree."""
    return {name: expanded(args) for name, args in re.findall(r'^\s*\[([\w-]+)\]="([^"]+)"', table("ROWS"), re.M)}


def per_row(name: str) -> dict[str, str]:
    """NAME -> value, for the rows that name their own in one of results.sh's other tables (RUN_FLAGS, SEEDS,
    CONTINUED)."""
    return dict(re.findall(r'^\s*\[([\w-]+)\]="?([^"\n]+?)"?$', table(name), re.M))


def command_of(name: str) -> str:
    """How results.sh makes a row: trained from the start, or continued from another row's checkpoint."""
    continued = per_row("CONTINUED")
    if name in continued:
        source, step, changes = continued[name].split(" ", 2)
        return (f"`scripts/continue_from.py {source} {name} --step {step}`, then `train --resume {name} {changes}`, "
                "then `evaluate`")
    args, seed = rows_of_script()[name], per_row("SEEDS").get(name, 0)
    return f"`train {args} --data bundled --seed {seed} {per_row('RUN_FLAGS').get(name, DEFAULT_FLAGS)}`, then `evaluate`"


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
    for name in [*rows_of_script(), *per_row("CONTINUED")]:
        path = out / name / "eval.json"
        if path.exists():
            print(f"| {name} | " + " | ".join(cells(json.loads(path.read_text()))) + f" | {command_of(name)} |")

if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "out" / "results")
