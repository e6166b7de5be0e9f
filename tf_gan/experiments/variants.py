"""What a loss comparison is made of: its variants, its jobs (one run each) and their outcomes.

The records runner.py, report.py and compare.py share, so none of them imports another
for them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from tf_gan.errors import TfGanError
from tf_gan.files import read_csv
from tf_gan.losses import GeneratorObjective, LossForm


@dataclass(frozen=True)
class Variant:
    name: str
    loss: LossForm
    g_objective: GeneratorObjective
    about: str  # one line for the table


VARIANTS: tuple[Variant, ...] = (
    Variant("sigmoid_ce", "sigmoid_ce", "non_saturating", "sigmoid_cross_entropy_with_logits, G: -log D(G(z))"),
    Variant("raw_log", "raw_log", "non_saturating", "log(D) and log(1 - D) typed literally, G: -log D(G(z))"),
    Variant("raw_log_eps", "raw_log_eps", "non_saturating", "log(D + 1e-8), log(1 - D + 1e-8): the common patch"),
    Variant("minimax", "sigmoid_ce", "minimax", "stable form, but G minimises log(1 - D(G(z)))"),
)
GRID_COLUMNS = 4  # grids at 0, 1/4, 1/2, 3/4 of the run, and after its last step
THREADS = 1  # TensorFlow threads per run (see above)
LOOP = "classic"  # one step per check: the table names what turned non-finite at the very step it did


@dataclass(frozen=True)
class Job:
    """One run of the comparison: everything that decides its numbers."""

    recipe: str
    variant: Variant
    seed: int
    steps: int
    data: str

    @property
    def name(self) -> str:
        return f"{self.variant.name}-seed{self.seed}"

    def command(self) -> str:
        v = self.variant
        return (f"python -m tf_gan train {self.recipe} --loss {v.loss} --g-loss {v.g_objective} "
                f"--seed {self.seed} --steps {self.steps} --data {self.data} --threads {THREADS} --loop {LOOP}")


@dataclass
class Outcome:
    """How one run ended: the numbers of its table row."""

    variant: str
    seed: int
    non_finite_step: int | None  # the iteration whose result was not finite; None: the run finished
    non_finite: str  # what was not finite at that step
    last_step: int  # the last step with finite numbers in losses.csv
    D_loss: float
    G_loss: float
    D_real: float  # mean D(x) on the last logged minibatch
    D_fake: float  # mean D(G(z)) on the fixed noise batch
    max_form_gap: float | None  # largest |this form - sigmoid_ce| on the same logits, while finite
    command: str


def parse_seeds(text: str) -> list[int]:
    """``0,3,5`` -> [0, 3, 5] and ``0-3`` -> [0, 1, 2, 3]: distinct, non-negative."""
    seeds: list[int] = []
    try:
        for part in filter(None, (p.strip() for p in text.split(","))):
            first, _, last = part.partition("-")
            seeds += range(int(first), int(last or first) + 1)
    except ValueError:
        raise TfGanError(f"--seeds {text!r}: expected whole numbers or ranges separated by commas, e.g. 0,3,5 "
                         "or 0-7") from None
    if not seeds or len(set(seeds)) != len(seeds):
        raise TfGanError(f"--seeds {text!r}: give one or more distinct non-negative seeds, e.g. 0,3,5 or 0-7")
    return seeds


def pick_variants(names: list[str] | None) -> list[Variant]:
    """The variants called `names`, in the table's order; all of them for None."""
    known = {v.name: v for v in VARIANTS}
    unknown = [name for name in names or [] if name not in known]
    if unknown or names == []:
        raise TfGanError(f"--variants: unknown {', '.join(unknown) or '(none given)'}; choose from {', '.join(known)}")
    return [v for v in VARIANTS if names is None or v.name in names]


def job_key(job: Job) -> dict:
    return {**dataclasses.asdict(job), "variant": job.variant.name, "threads": THREADS}


def read_rows(run: Path) -> list[dict[str, float]]:
    """The run's losses.csv, as numbers."""
    return read_csv(run / "losses.csv")


def describe(o: Outcome) -> str:
    if o.non_finite_step is None:
        return f"finished: D(x) {o.D_real:.2f}, D(G(z)) {o.D_fake:.2f}"
    return f"non-finite at step {o.non_finite_step}: {shorten(o.non_finite)}"


def shorten(what: str) -> str:
    """The first two non-finite things and a count: the outcome's JSON lists them all."""
    parts = what.split(", ") if what else []
    return ", ".join(parts[:2]) + (f" and {len(parts) - 2} more" if len(parts) > 2 else "")


