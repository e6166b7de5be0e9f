"""A new run that starts where another stopped: its settings and one of its checkpoints, copied.

    python scripts/continue_from.py SOURCE NEW [--step N]
    python -m tf_gan train --resume NEW [--epochs E] [--set KEY=VALUE] [--parzen-every K]

Used for the paper's table (scripts/results.sh): the same trained net, continued two ways
without training it again. From the checkpoint at update N (the last one by default), NEW
holds config.json and that checkpoint only; `train --resume NEW` then goes on exactly as
SOURCE went on from N, unless the resume changes what it may (the length, the judging, a
recipe's RESUMABLE settings such as the paper's schedule speed). SOURCE is left untouched.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from tf_gan.run import checkpoints, record, run_dir


def checkpoint_at(source: Path, step: int | None) -> str:
    """The path (without suffix) of SOURCE's checkpoint at `step`, or of its newest."""
    found = sorted((str(p.with_suffix("")) for p in (source / "checkpoints").glob("*.index")), key=checkpoints.step_of)
    if not found:
        sys.exit(f"continue_from: {source} has no checkpoints")
    if step is None:
        return found[-1]
    chosen = [c for c in found if checkpoints.step_of(c) == step]
    if not chosen:
        steps = ", ".join(str(checkpoints.step_of(c)) for c in found)
        sys.exit(f"continue_from: {source} has no checkpoint at step {step}; it keeps {steps}")
    return chosen[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a run made by `tf_gan train`")
    parser.add_argument("new", type=Path, help="the new run's directory (must not exist)")
    parser.add_argument("--step", type=int, help="the checkpoint to start from (default: the newest)")
    args = parser.parse_args()
    record.read(args.source)  # a one-line error for a directory that is not a run
    if args.new.exists():
        sys.exit(f"continue_from: {args.new} exists; remove it or choose another name")
    ckpt = checkpoint_at(args.source, args.step)
    target = run_dir.checkpoint_prefix(args.new).parent
    target.mkdir(parents=True)
    shutil.copy2(args.source / record.CONFIG, args.new / record.CONFIG)
    for part in Path(ckpt).parent.glob(Path(ckpt).name + ".*"):
        shutil.copy2(part, target / part.name)
    name = Path(ckpt).name  # the Saver's own index file, with the path relative as tf_gan's runs write it
    (target / "checkpoint").write_text(f'model_checkpoint_path: "{name}"\nall_model_checkpoint_paths: "{name}"\n')
    print(f"{args.new}: {args.source}'s settings and its checkpoint at step {checkpoints.step_of(ckpt)}; "
          f"continue it with: python -m tf_gan train --resume {args.new}")


if __name__ == "__main__":
    main()
