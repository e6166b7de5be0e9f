"""Same start, different loss: ``python -m tf_gan compare-losses``.

Each variant below trains the same recipe from the same seed, so every run begins
with the same weights and sees the same minibatches and the same noise: the loss
is the only difference. Each run is an ordinary ``train`` run (its table row names
the ``python -m tf_gan train`` command that repeats it), stopped by the library's
guard at the first non-finite loss, weight or optimizer moment.

    OUT/table.csv, OUT/table.md   variant x seed: first non-finite step, final numbers
    OUT/curves.png                losses and D outputs of every variant, one column per seed
    OUT/grids-seedS.png           the fixed-noise 4x4 grids of the variants at the same steps
    OUT/theory.png                saturation and float32 overflow, as curves (tf_gan.theory)
    OUT/runs/VARIANT-seedS/       the run directories themselves
    OUT/outcomes/VARIANT-seedS.json  what each run ended with; a rerun of the same command keeps these

Each run is a fresh process (``python -m tf_gan.compare``), ``--jobs`` at a time
(default: one per core), and each uses one TensorFlow thread (``train --threads 1``):
on two cores two such runs side by side get more done than two that each try to use
both cores. A fixed thread count also fixes how every sum is split, so on one machine
the table is the same on every rerun and for any ``--jobs``, and each row's ``train``
command repeats its run exactly. Another CPU rounds in other last bits, and which seeds
of the raw log loss overflow can differ there (README: Repeatable).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import logging
import math
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from tf_gan import progress, recipes, run_dir
from tf_gan.errors import Interrupted, TfGanError, TrainingDiverged
from tf_gan.files import atomic_path, write_json
from tf_gan.graph import set_threads
from tf_gan.images import plt, save_figure
from tf_gan.losses import GeneratorObjective, LossForm

log = logging.getLogger(__name__)


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
COLORS = {"sigmoid_ce": "tab:blue", "raw_log": "tab:red", "raw_log_eps": "tab:orange", "minimax": "tab:green"}
GRID_COLUMNS = 4  # grids at 0, 1/4, 1/2, 3/4 of the run, and after its last step
THREADS = 1  # TensorFlow threads per run (see above)
LOOP = "classic"  # one step per check: the table names what turned non-finite at the very step it did
SETTINGS = "compare.json"
OUTPUTS = ("table.csv", "table.md", "curves.png", "theory.png")  # and grids-seedS.png


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
    from tf_gan.theory import plot_theory

    plot_theory(out / "theory.png")
    log.info("wrote %s: table.md, table.csv, curves.png, grids-seed*.png, theory.png", out)
    return ordered


def pick_variants(names: list[str] | None) -> list[Variant]:
    """The variants called `names`, in the table's order; all of them for None."""
    known = {v.name: v for v in VARIANTS}
    unknown = [name for name in names or [] if name not in known]
    if unknown or names == []:
        raise TfGanError(f"--variants: unknown {', '.join(unknown) or '(none given)'}; choose from {', '.join(known)}")
    return [v for v in VARIANTS if names is None or v.name in names]


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


def load_outcome(out: Path, job: Job) -> Outcome | None:
    """The outcome an earlier run of the same job left, if any."""
    try:
        saved = json.loads((out / "outcomes" / f"{job.name}.json").read_text())
        return Outcome(**saved) if saved.pop("job") == job_key(job) else None
    except (OSError, ValueError, TypeError, KeyError):
        return None


def job_key(job: Job) -> dict:
    return {**dataclasses.asdict(job), "variant": job.variant.name, "threads": THREADS}


class ComparisonStopped(Interrupted):
    """Ctrl-C during a comparison: the running runs saved checkpoints, the finished ones their outcomes."""

    def __init__(self, finished: int, total: int):
        Exception.__init__(self, f"stopped with {finished} of {total} runs finished; run the same command again "
                                 "to continue (finished runs are kept, stopped ones resume from their checkpoints)")
        self.exit_code = 130


def run_all(todo: list[Job], out: Path, jobs: int) -> dict[str, Outcome]:
    """Run `todo`, `jobs` at a time. Ctrl-C, SIGTERM or a failed run stops the others (each saves a checkpoint)."""
    done: dict[str, Outcome] = {}
    runner = Runner()
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if main else None
    try:
        with ThreadPoolExecutor(jobs) as pool:  # each thread waits on one run's process
            futures = {pool.submit(runner.run, job, out): job for job in todo}
            try:
                for future in as_completed(futures):
                    if (outcome := future.result()) is not None:
                        done[futures[future].name] = outcome
                        log.info("  %-22s %s", futures[future].name, describe(outcome))
            except BaseException as e:
                if isinstance(e, KeyboardInterrupt):
                    log.warning("stopping: each running run saves a checkpoint first")
                runner.stop()
                pool.shutdown(wait=True, cancel_futures=True)
                if not isinstance(e, KeyboardInterrupt):
                    raise
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
    return done


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops a comparison the way Ctrl-C does."""
    raise KeyboardInterrupt


class Runner:
    """Runs each job in a fresh Python (``python -m tf_gan.compare``) and stops them all on request.

    The runs get a session of their own, so a Ctrl-C reaches only the comparison, which
    then sends each running run exactly one SIGINT: it saves a checkpoint and stops.
    """

    def __init__(self) -> None:
        self.running: set[subprocess.Popen] = set()
        self.stopping = False
        self.lock = threading.Lock()

    def run(self, job: Job, out: Path) -> Outcome | None:
        """The job's outcome, or None if it was stopped."""
        with self.lock:
            if self.stopping:
                return None
            proc = subprocess.Popen([sys.executable, "-m", "tf_gan.compare", json.dumps(job_key(job)),
                                     str(out.resolve())], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    text=True, start_new_session=True)
            self.running.add(proc)
        _, errors = proc.communicate()
        with self.lock:
            self.running.discard(proc)
        if proc.returncode == 0:
            return load_outcome(out, job)
        if proc.returncode in (130, -signal.SIGINT, 143, -signal.SIGTERM):
            return None
        last = errors.strip().splitlines()[-1:] or [f"exit code {proc.returncode}"]
        raise TfGanError(f"run {job.name} failed: {last[0]}")

    def stop(self) -> None:
        with self.lock:
            self.stopping = True
            for proc in self.running:
                proc.send_signal(signal.SIGINT)


def worker(argv: list[str]) -> int:
    """``python -m tf_gan.compare JOB_JSON OUT``: one run of a comparison, quietly (the parent reports it)."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    logging.getLogger("tensorflow").setLevel(logging.ERROR)  # not Saver's deprecation notes, once per run
    progress.SHOW = False
    set_threads(THREADS)
    key = json.loads(argv[0])
    job = Job(key["recipe"], next(v for v in VARIANTS if v.name == key["variant"]), key["seed"], key["steps"],
              key["data"])
    try:
        return 0 if run_job(job, Path(argv[1])) is not None else 130
    except TfGanError as e:
        print(e, file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:  # before training began: nothing to save
        return 130


def run_job(job: Job, out: Path) -> Outcome | None:
    """Train one variant, or resume it if a stopped comparison left a checkpoint; how it ended (None: stopped)."""
    from tf_gan.checkpoints import latest
    from tf_gan.data import load_mnist
    from tf_gan.train import train

    recipe = recipes.get(job.recipe)
    cfg = dataclasses.replace(recipe.Config(), loss=job.variant.loss, g_objective=job.variant.g_objective,
                              steps=job.steps, epochs=None, sample_every=max(1, job.steps // GRID_COLUMNS),
                              log_every=max(1, job.steps // 200))
    run = out / "runs" / job.name
    resume = latest(run_dir.checkpoint_prefix(run).parent) is not None
    mnist = load_mnist(job.data, seed=job.seed, validation_size=cfg.validation_size, pixel_range=cfg.pixel_range)
    non_finite_step, non_finite = None, ""
    try:
        train(recipe, cfg, mnist, run, seed=job.seed, checkpoint_every=cfg.sample_every, overwrite=True, resume=resume,
              settings={"data": job.data, "threads": THREADS}, loop=LOOP)
    except TrainingDiverged as e:
        non_finite_step, non_finite = e.iteration, ", ".join(e.what)
    except Interrupted:
        return None  # Ctrl-C: the checkpoint is saved, the parent says how to go on
    rows = read_rows(run)
    last = rows[-1]
    gaps = [row["form_gap"] for row in rows if math.isfinite(row.get("form_gap", math.nan))]
    outcome = Outcome(job.variant.name, job.seed, non_finite_step, non_finite, int(last["step"]),
                      last["D_loss"], last["G_loss"], last["D_real"], last["D_fake"],
                      max(gaps) if gaps else None, job.command())
    write_json(out / "outcomes" / f"{job.name}.json", {"job": job_key(job), **dataclasses.asdict(outcome)})
    return outcome


def read_rows(run: Path) -> list[dict[str, float]]:
    with open(run / "losses.csv", newline="") as f:
        return [{key: float(value) for key, value in row.items()} for row in csv.DictReader(f)]


def describe(o: Outcome) -> str:
    if o.non_finite_step is None:
        return f"finished: D(x) {o.D_real:.2f}, D(G(z)) {o.D_fake:.2f}"
    return f"non-finite at step {o.non_finite_step}: {shorten(o.non_finite)}"


def shorten(what: str) -> str:
    """The first two non-finite things and a count: the outcome's JSON lists them all."""
    parts = what.split(", ") if what else []
    return ", ".join(parts[:2]) + (f" and {len(parts) - 2} more" if len(parts) > 2 else "")


COLUMNS = ("variant", "seed", "first non-finite step", "non-finite", "last finite step", "D loss", "G loss",
           "D(x)", "D(G(z))", "max form gap")


def table_rows(outcomes: Iterable[Outcome]) -> list[list[str]]:
    """The table as text, the same in CSV and Markdown: numbers to 4 significant digits."""
    def num(x: float | None) -> str:
        return "" if x is None else f"{x:.4g}"

    return [[o.variant, str(o.seed), "none" if o.non_finite_step is None else str(o.non_finite_step),
             shorten(o.non_finite), str(o.last_step), num(o.D_loss), num(o.G_loss), num(o.D_real), num(o.D_fake),
             num(o.max_form_gap)] for o in outcomes]


def write_table(outcomes: list[Outcome], out: Path) -> None:
    rows = table_rows(outcomes)
    with atomic_path(out / "table.csv") as tmp, open(tmp, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell.replace("|", "/") or "-" for cell in row) + " |" for row in rows]
    shown = {o.variant for o in outcomes}
    lines += ["", "Variants:"] + [f"- `{v.name}`: {v.about}" for v in VARIANTS if v.name in shown]
    lines += ["", "Each row is repeated by its own command:"] + [f"- `{o.command}`" for o in outcomes]
    with atomic_path(out / "table.md") as tmp:
        tmp.write_text("\n".join(lines) + "\n")


def plot_curves(out: Path, seeds: list[int], variants: list[Variant]) -> Path:
    """Rows: D loss, G loss, D(x), D(G(z)); one column per seed; a cross where a run stopped being finite."""
    panels = (("D_loss", "D loss"), ("G_loss", "G loss"), ("D_real", "D(x)"), ("D_fake", "D(G(z))"))
    fig, axes = plt.subplots(len(panels), len(seeds), figsize=(4 * len(seeds), 9), sharex=True, sharey="row",
                             squeeze=False)
    for col, seed in enumerate(seeds):
        axes[0, col].set_title(f"seed {seed}")
        for v in variants:
            rows = read_rows(out / "runs" / f"{v.name}-seed{seed}")
            outcome = json.loads((out / "outcomes" / f"{v.name}-seed{seed}.json").read_text())
            steps = [row["step"] for row in rows]
            for r, (key, label) in enumerate(panels):
                ax = axes[r, col]
                ax.plot(steps, [row[key] for row in rows], color=COLORS[v.name], label=v.name if (r, col) == (0, 0)
                        else None, **({"linewidth": 3, "alpha": 0.35} if v.name == "sigmoid_ce" else {"linewidth": 0.8}))
                if outcome["non_finite_step"] is not None:
                    ax.plot(steps[-1], rows[-1][key], marker="x", markersize=9, color=COLORS[v.name])
                if col == 0:
                    ax.set_ylabel(label)
    for ax in axes[-1]:
        ax.set_xlabel("step")
    for ax in axes.flat:
        ax.grid(alpha=0.3)
    fig.legend(loc="upper center", ncol=len(variants), fontsize="small")
    fig.suptitle("same seed, start, data and noise: only the loss differs. Curves that agree lie on top of each "
                 "other\n(sigmoid_ce is the wide pale line); x marks a run's last finite step",
                 y=0.955, fontsize="medium")
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    return save_figure(fig, out / "curves.png")


def plot_grids(out: Path, seed: int, steps: int, variants: list[Variant]) -> Path:
    """The variants' fixed-noise grids side by side (rows) at the same steps (columns)."""
    every = max(1, steps // GRID_COLUMNS)
    shown = list(range(0, -(-steps // every) + 1))  # grid k is the picture after k * every steps
    fig, axes = plt.subplots(len(variants), len(shown), figsize=(1.9 * len(shown), 2.0 * len(variants) + 0.4),
                             squeeze=False)
    for r, v in enumerate(variants):
        stopped = json.loads((out / "outcomes" / f"{v.name}-seed{seed}.json").read_text())["non_finite_step"]
        for c, k in enumerate(shown):
            ax = axes[r, c]
            ax.set_xticks([])
            ax.set_yticks([])
            path = out / "runs" / f"{v.name}-seed{seed}" / "grids" / f"{k:03d}.png"
            if path.exists():
                ax.imshow(plt.imread(path), cmap="Greys_r")
            else:
                ax.text(0.5, 0.5, f"non-finite\nat step {stopped}" if stopped is not None else "missing",
                        ha="center", va="center", color="tab:red", transform=ax.transAxes)
            if r == 0:
                ax.set_title(f"step {min(k * every, steps)}", fontsize="small")
            if c == 0:
                ax.set_ylabel(v.name, fontsize="small")
    fig.suptitle(f"the same fixed noise through each variant's generator, seed {seed}", fontsize="medium")
    fig.tight_layout()
    return save_figure(fig, out / f"grids-seed{seed}.png")


def summary(outcomes: list[Outcome]) -> str:
    """One line per variant: on how many seeds it stopped being finite, and when."""
    lines = []
    for v in VARIANTS:
        mine = [o for o in outcomes if o.variant == v.name]
        if not mine:
            continue
        dead = sorted(o.non_finite_step for o in mine if o.non_finite_step is not None)
        when = f" (at step {', '.join(map(str, dead))})" if dead else ""
        lines.append(f"{v.name:12s} non-finite on {len(dead)} of {len(mine)} seeds{when}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(worker(sys.argv[1:]))
