"""What happened in a run, in words: read its logs and name the game's state, with steps and evidence.

A student's run ends with grids and a CSV of numbers; a teacher then explains them by
hand: D won from step 3,000, the raw log overflowed in D's loss, G draws three digits.
This module reads what a run wrote (``losses.csv``: D's and G's losses, D(x), D(G(z));
``quality.csv``: the classes the samples hit; ``diverged.json``: what the NaN guard
found) and says it. Each verdict is a record: ``verdict`` (one of VERDICTS), ``from_step``
and ``evidence``, the numbers it rests on. No TensorFlow here: a lesson's last cell can
call :func:`diagnose_rows` on the losses it kept, and ``tf_gan diagnose RUN`` reads a run.

The thresholds are rules of thumb, stated once below; each verdict says which numbers
crossed them, so a reader can judge the call.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from tf_gan.data import NUM_CLASSES
from tf_gan.errors import TfGanError
from tf_gan.files import read_csv

VERDICTS = ("healthy", "d_wins", "non_finite", "mode_collapse", "oscillating")
D_WINS_BELOW = 0.01  # D(G(z)) under this: D rejects 99 fakes in 100
WINNING_SHARE = 0.9  # ... on this share of the logged steps of a stretch
D_WINS_SHARE = 0.1  # ... that lasts to the end and is a tenth of the run at least
COLLAPSED_AT_MOST = 6  # classes hit (of 10) at or under which the samples have lost digits
WINDOW = 5  # logged steps averaged before looking for swings (one row is one noisy batch)
SWING = 0.15  # a rise or fall of D(G(z)) this large between two windows' means is a swing
SWINGS = 4  # ... and this many turns in the last half of the run is an oscillation
DIVERGED = "diverged.json"  # written by the trainer when the NaN guard stops a run


@dataclass(frozen=True)
class Verdict:
    verdict: str  # one of VERDICTS
    from_step: int  # the first step at which it holds
    evidence: str  # the numbers it rests on, in words

    def line(self) -> str:
        return f"{self.verdict} (from step {self.from_step:,}): {self.evidence}"


Row = dict[str, float]


def diagnose_rows(losses: Sequence[Row], quality: Sequence[Row] = (), diverged: dict | None = None,
                  objective: str = "non_saturating") -> list[Verdict]:
    """The verdicts for a run's logged rows (each with step, D_real, D_fake and the losses), best first.

    `quality`: judgements with step and classes_hit (optional); `diverged`: the guard's record;
    `objective`: G's loss, which decides what D's winning does to G's gradient.
    """
    if not losses and diverged is None:
        raise TfGanError("nothing to diagnose: the run logged no steps yet")
    found = [v for v in (non_finite(losses, diverged), d_wins(losses, objective), oscillating(losses),
                         mode_collapse(quality)) if v is not None]
    return found or [healthy(losses, quality)]


def non_finite(losses: Sequence[Row], diverged: dict | None) -> Verdict | None:
    """The first step at which a logged number, or (the guard's record) any weight, stopped being a number."""
    if diverged is not None:
        what = ", ".join(diverged.get("what", [])) or "a loss or a weight"
        return Verdict("non_finite", int(diverged["step"]), f"the NaN guard stopped the run at step "
                       f"{int(diverged['step']):,}: non-finite {what}; nothing from that step was saved")
    for row in losses:
        bad = [name for name, value in row.items() if name != "step" and not math.isfinite(value)]
        if bad:
            return Verdict("non_finite", int(row["step"]), f"at step {int(row['step']):,} "
                           f"{', '.join(f'{n} = {row[n]}' for n in bad)}: the numbers stopped meaning anything")
    return None


def d_wins(losses: Sequence[Row], objective: str) -> Verdict | None:
    """D rejects nearly every fake from some step to the end: the longest such stretch, a tenth of the run at least.

    A stretch counts when D(G(z)) is under D_WINS_BELOW on WINNING_SHARE of its logged steps
    (one batch can spike) and on its first.
    """
    rows = [r for r in losses if math.isfinite(r.get("D_fake", math.nan))]
    below, start = 0, None
    for i in range(len(rows) - 1, -1, -1):
        below += rows[i]["D_fake"] < D_WINS_BELOW
        if rows[i]["D_fake"] < D_WINS_BELOW and below >= WINNING_SHARE * (len(rows) - i):
            start = i
    if start is None or len(rows) - start < max(3, D_WINS_SHARE * len(rows)):
        return None
    stretch = rows[start:]
    fake = sorted(r["D_fake"] for r in stretch)[len(stretch) // 2]
    real = mean(r.get("D_real", math.nan) for r in stretch)
    share = sum(r["D_fake"] < D_WINS_BELOW for r in stretch) / len(stretch)
    why = ("with the minimax loss G's gradient shrinks with D(G(z)) itself: G has all but stopped learning"
           if objective == "minimax" else
           "the non-saturating loss still gives G a gradient, but G is not catching up")
    return Verdict("d_wins", int(stretch[0]["step"]),
                   f"D(G(z)) was under {D_WINS_BELOW} on {100 * share:.0f}% of the {len(stretch)} logged steps "
                   f"from {int(stretch[0]['step']):,} to the end (median {fake:.2g}; D(x) {real:.2f}); {why}")


def oscillating(losses: Sequence[Row]) -> Verdict | None:
    """D(G(z)) swinging up and down by SWING or more, SWINGS times or more, over the last half of the run."""
    rows = [r for r in losses if math.isfinite(r.get("D_fake", math.nan))]
    half = rows[len(rows) // 2:]
    means = [mean(r["D_fake"] for r in half[i:i + WINDOW]) for i in range(0, len(half) - WINDOW + 1, WINDOW)]
    turned_at: list[int] = []  # the windows where D(G(z)) turned, having moved SWING or more since the last turn
    direction, low, high = 0, means[0] if means else 0.0, means[0] if means else 0.0
    for i, value in enumerate(means):
        low, high = min(low, value), max(high, value)
        if direction <= 0 and value - low >= SWING:  # rose by a swing from its lowest point
            turned_at += [i] if direction < 0 else []
            direction, high = 1, value
        elif direction >= 0 and high - value >= SWING:  # fell by a swing from its highest point
            turned_at += [i] if direction > 0 else []
            direction, low = -1, value
    turns = len(turned_at)
    if turns < SWINGS:
        return None
    step = int(half[turned_at[0] * WINDOW]["step"])
    return Verdict("oscillating", step, f"D(G(z)) rose and fell by {SWING} or more {turns} times over the last "
                   f"half of the run (averages of {WINDOW} logged steps, between {min(means):.2f} and "
                   f"{max(means):.2f}): the players take turns winning instead of settling")


def mode_collapse(quality: Sequence[Row]) -> Verdict | None:
    """The samples hit COLLAPSED_AT_MOST classes or fewer at the last judgement (and since when)."""
    judged = [q for q in quality if math.isfinite(q.get("classes_hit", math.nan)) and q["step"] > 0]
    if not judged or judged[-1]["classes_hit"] > COLLAPSED_AT_MOST:
        return None
    start = len(judged) - 1
    while start > 0 and judged[start - 1]["classes_hit"] <= COLLAPSED_AT_MOST:
        start -= 1
    last = judged[-1]
    return Verdict("mode_collapse", int(judged[start]["step"]),
                   f"the samples hit {int(last['classes_hit'])} of {NUM_CLASSES} digit classes at step "
                   f"{int(last['step']):,} (at most {COLLAPSED_AT_MOST} on every judgement from step "
                   f"{int(judged[start]['step']):,}): G draws a few digits well and leaves the others out")


def healthy(losses: Sequence[Row], quality: Sequence[Row]) -> Verdict:
    """No warning sign: say where D(x) and D(G(z)) stand over the last tenth, and what quality says."""
    rows = [r for r in losses if math.isfinite(r.get("D_fake", math.nan))]
    last = rows[-max(1, len(rows) // 10):]
    fake, real = mean(r["D_fake"] for r in last), mean(r.get("D_real", math.nan) for r in last)
    judged = [q for q in quality if math.isfinite(q.get("classes_hit", math.nan))]
    classes = (f"; the samples hit {int(judged[-1]['classes_hit'])} of {NUM_CLASSES} classes at step "
               f"{int(judged[-1]['step']):,}" if judged else
               "; how many digits G draws was not measured (of a trainer's run, tf_gan diagnose RUN --measure "
               "judges it)")
    lead = ("D is well ahead, catching most fakes, but has not shut G out" if fake < 0.1 else
            "D is ahead, as it usually is, but neither player has won")
    return Verdict("healthy", int(rows[0]["step"]) if rows else 0,
                   f"over the last {len(last)} logged steps D(x) averaged {real:.2f} and D(G(z)) {fake:.2f}: "
                   f"{lead}{classes}")


def mean(values) -> float:
    values = list(values)
    return math.fsum(values) / len(values) if values else math.nan


def read_rows(path: Path) -> list[Row]:
    """A run's CSV (losses.csv, quality.csv) as rows of floats; [] when the run has not written it."""
    if not path.exists():
        return []
    try:
        return read_csv(path)
    except ValueError as e:
        raise TfGanError(f"{path}: not a CSV of numbers ({e})") from None


def diagnose(run: Path | str, classes_hit: tuple[int, int] | None = None) -> list[Verdict]:
    """The verdicts for the run directory `run`, from the files it wrote.

    `classes_hit`: (step, classes) measured just now (tf_gan diagnose --measure), added to
    the run's own judgements.
    """
    run = Path(run)
    if not (run / "config.json").exists():
        raise TfGanError(f"{run}: not a run directory (no config.json); give one that `tf_gan train` wrote")
    objective = json.loads((run / "config.json").read_text()).get("config", {}).get("g_objective", "non_saturating")
    quality = read_rows(run / "quality.csv")
    if classes_hit is not None:
        quality = [*quality, {"step": float(classes_hit[0]), "classes_hit": float(classes_hit[1])}]
    diverged = json.loads((run / DIVERGED).read_text()) if (run / DIVERGED).exists() else None
    return diagnose_rows(read_rows(run / "losses.csv"), quality, diverged, objective)


def explain(verdicts: Sequence[Verdict]) -> str:
    """The verdicts as lines a student reads."""
    return "\n".join(verdict.line() for verdict in verdicts)


def as_json(verdicts: Sequence[Verdict]) -> list[dict]:
    return [asdict(verdict) for verdict in verdicts]
