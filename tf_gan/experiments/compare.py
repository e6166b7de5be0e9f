"""Same start, different loss: ``python -m tf_gan compare-losses``.

Each variant below trains the same recipe from the same seed, so every run begins
with the same weights and sees the same minibatches and the same noise: the loss
is the only difference. Each run is an ordinary ``train`` run (its table row names
the ``python -m tf_gan train`` command that repeats it), stopped by the library's
guard at the first non-finite loss, weight or optimizer moment.

    OUT/table.csv, OUT/table.md   variant x seed: first non-finite step, final numbers
    OUT/curves.png                losses and D outputs of every variant, one column per seed
    OUT/grids-seedS.png           the fixed-noise 4x4 grids of the variants at the same steps
    OUT/theory.png                saturation and float32 overflow, as curves (tf_gan.viz.theory)
    OUT/runs/VARIANT-seedS/       the run directories themselves
    OUT/outcomes/VARIANT-seedS.json  what each run ended with; a rerun of the same command keeps these

Each run is a fresh process (``python -m tf_gan.experiments.runner``), ``--jobs`` at a time
(default: one per core), and each uses one TensorFlow thread (``train --threads 1``):
on two cores two such runs side by side get more done than two that each try to use
both cores. A fixed thread count also fixes how every sum is split, so on one machine
the table is the same on every rerun and for any ``--jobs``, and each row's ``train``
command repeats its run exactly. Another CPU rounds in other last bits, and which seeds
of the raw log loss overflow can differ there (docs/command-line.md: Repeatable).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

from tf_gan import recipes
from tf_gan.errors import TfGanError
from tf_gan.experiments.report import plot_curves, plot_grids, summary, write_table
from tf_gan.experiments.runner import ComparisonStopped, load_outcome, run_all
from tf_gan.experiments.variants import Job, Outcome, parse_seeds, pick_variants
from tf_gan.files import write_json
from tf_gan.viz.theory import plot_theory

log = logging.getLogger(__name__)

SETTINGS = "compare.json"
OUTPUTS = ("table.csv", "table.md", "curves.png", "theory.png")  # and grids-seedS.png
__all__ = ["compare", "parse_seeds", "prepare", "summary"]  # what lesson 05 and the command line use


def compare(
    recipe: str,
    seeds: list[int],
    steps: int,
    out: Path | str,
    data: str = "bundled",
    jobs: int | None = None,
    overwrite: bool = False,
    variants: list[str] | None = None,
) -> list[Outcome]:
    """Train each variant (default: all) on every seed into `out`, then write the table and figures there."""
    from tf_gan.data import resolve_source

    recipes.get(recipe)
    chosen = pick_variants(variants)
    settings = {"recipe": recipe, "seeds": seeds, "steps": steps, "data": data, "variants": [v.name for v in chosen]}
    out = prepare(Path(out), settings, overwrite)
    todo = [Job(recipe, v, seed, steps, resolve_source(data)) for seed in seeds for v in chosen]
    outcomes = {job.name: outcome for job in todo if (outcome := load_outcome(out, job)) is not None}
    if outcomes:
        log.info("%d of %d runs already finished in %s: kept", len(outcomes), len(todo), out)
    pending = [job for job in todo if job.name not in outcomes]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(pending) or 1))
    if pending:
        log.info("%d runs of %d steps on %d processes ...", len(pending), steps, jobs)
        outcomes.update(run_all(pending, out, jobs))
    if len(outcomes) < len(todo):
        raise ComparisonStopped(len(outcomes), len(todo))
    ordered = [outcomes[job.name] for job in todo]
    write_table(ordered, out)
    plot_curves(out, seeds, chosen)
    for seed in seeds:
        plot_grids(out, seed, steps, chosen)
    plot_theory(out / "theory.png")
    log.info("wrote %s: table.md, table.csv, curves.png, grids-seed*.png, theory.png", out)
    return ordered


def prepare(out: Path, settings: dict, overwrite: bool) -> Path:
    """Make `out` a comparison directory for `settings`, keeping finished runs of the same settings."""
    saved = out / SETTINGS
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not saved.exists())):
        raise TfGanError(f"{out}: exists and is not a loss comparison; choose another --out")
    if saved.exists():
        try:
            same = json.loads(saved.read_text()) == settings
        except (OSError, ValueError):
            same = False
        if not same and not overwrite:
            raise TfGanError(f"{out}: holds a comparison with other settings; pass --overwrite to replace it "
                             "or choose another --out")
        if not same or overwrite:  # only a comparison's own files: no stale figure of other seeds stays behind
            for child in ("runs", "outcomes"):
                shutil.rmtree(out / child, ignore_errors=True)
            for figure in [*out.glob("grids-seed*.png"), *(out / name for name in OUTPUTS)]:
                figure.unlink(missing_ok=True)
    try:
        (out / "outcomes").mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise TfGanError(f"{out}: cannot be created ({e.strerror}); choose another --out") from None
    write_json(saved, settings)
    return out


