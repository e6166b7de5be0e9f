"""Runs a comparison's jobs, each an ordinary ``train`` run in a fresh Python, ``--jobs`` at a time.

``python -m tf_gan.experiments.runner JOB_JSON OUT`` is one such run. The runs get a
session of their own, so Ctrl-C (or SIGTERM) reaches only the comparison, which sends each
running run exactly one SIGINT: it saves a checkpoint and stops, and a rerun resumes it.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from tf_gan import recipes
from tf_gan.errors import Interrupted, TfGanError, TrainingDiverged
from tf_gan.experiments.variants import (GRID_COLUMNS, LOOP, THREADS, VARIANTS, Job, Outcome, describe, job_key,
                                         read_rows)
from tf_gan.files import write_json
from tf_gan.graph import set_threads
from tf_gan.run import progress, run_dir

log = logging.getLogger(__name__)


def load_outcome(out: Path, job: Job) -> Outcome | None:
    """The outcome an earlier run of the same job left, if any."""
    try:
        saved = json.loads((out / "outcomes" / f"{job.name}.json").read_text())
        return Outcome(**saved) if saved.pop("job") == job_key(job) else None
    except (OSError, ValueError, TypeError, KeyError):
        return None


class ComparisonStopped(Interrupted):
    """Ctrl-C during a comparison: the running runs saved checkpoints, the finished ones their outcomes."""

    def __init__(self, finished: int, total: int):
        Exception.__init__(self, f"stopped with {finished} of {total} runs finished; run the same command again "
                                 "to continue (finished runs are kept, stopped ones resume from their checkpoints)")
        self.exit_code = 130


PROGRESS_EVERY = 10.0  # seconds between the lines that say how far each running run has got


def run_all(todo: list[Job], out: Path, jobs: int) -> dict[str, Outcome]:
    """Run `todo`, `jobs` at a time. Ctrl-C, SIGTERM or a failed run stops the others (each saves a checkpoint).

    Each run's start and end is a log line, and every PROGRESS_EVERY seconds so is each
    running run's latest logged step: a comparison is never silent for long.
    """
    done: dict[str, Outcome] = {}
    runner = Runner()
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if main else None
    reporting = threading.Event()
    reporter = threading.Thread(target=report_progress, args=(runner, out, reporting), daemon=True)
    reporter.start()
    try:
        with ThreadPoolExecutor(jobs) as pool:  # each thread waits on one run's process
            futures = {pool.submit(runner.run, job, out): job for job in todo}
            try:
                for future in as_completed(futures):
                    if (outcome := future.result()) is not None:
                        done[futures[future].name] = outcome
                        log.info("  %-22s %s (%d of %d runs done)", futures[future].name, describe(outcome),
                                 len(done), len(todo))
            except BaseException as e:
                if isinstance(e, KeyboardInterrupt):
                    log.warning("stopping: each running run saves a checkpoint first")
                runner.stop()
                pool.shutdown(wait=True, cancel_futures=True)
                if not isinstance(e, KeyboardInterrupt):
                    raise
    finally:
        reporting.set()
        if main:
            signal.signal(signal.SIGTERM, previous)
    return done


def report_progress(runner: Runner, out: Path, done: threading.Event) -> None:
    """Every PROGRESS_EVERY seconds until `done`: each running run's newest row of losses.csv, as one line."""
    while not done.wait(PROGRESS_EVERY):
        for job in runner.jobs():
            log.info("  %-22s %s", job.name, how_far(out / "runs" / job.name, job.steps))


def how_far(run: Path, steps: int) -> str:
    """"step 3,200 of 8,000: D(x) 0.93, D(G(z)) 0.12", from the run's losses.csv (written every few seconds)."""
    try:
        last = read_rows(run)[-1]
    except (OSError, IndexError, ValueError, KeyError):
        return "starting (no step logged yet)"
    return f"step {int(last['step']):,} of {steps:,}: D(x) {last['D_real']:.2f}, D(G(z)) {last['D_fake']:.2g}"


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops a comparison the way Ctrl-C does."""
    raise KeyboardInterrupt


class Runner:
    """Runs each job in a fresh Python (``python -m tf_gan.experiments.runner``) and stops them all on request.

    The runs get a session of their own, so a Ctrl-C reaches only the comparison, which
    then sends each running run exactly one SIGINT: it saves a checkpoint and stops.
    """

    def __init__(self) -> None:
        self.running: dict[subprocess.Popen, Job] = {}
        self.stopping = False
        self.lock = threading.Lock()

    def run(self, job: Job, out: Path) -> Outcome | None:
        """The job's outcome, or None if it was stopped."""
        with self.lock:
            if self.stopping:
                return None
            proc = subprocess.Popen([sys.executable, "-m", "tf_gan.experiments.runner", json.dumps(job_key(job)),
                                     str(out.resolve())], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    text=True, start_new_session=True)
            self.running[proc] = job
        log.info("  %-22s started", job.name)
        _, errors = proc.communicate()
        with self.lock:
            self.running.pop(proc, None)
        if proc.returncode == 0:
            return load_outcome(out, job)
        if proc.returncode in (130, -signal.SIGINT, 143, -signal.SIGTERM):
            return None
        last = errors.strip().splitlines()[-1:] or [f"exit code {proc.returncode}"]
        raise TfGanError(f"run {job.name} failed: {last[0]}")

    def jobs(self) -> list[Job]:
        """The jobs running now."""
        with self.lock:
            return list(self.running.values())

    def stop(self) -> None:
        with self.lock:
            self.stopping = True
            for proc in self.running:
                proc.send_signal(signal.SIGINT)


def worker(argv: list[str]) -> int:
    """``python -m tf_gan.experiments.runner JOB_JSON OUT``: one run of a comparison, quietly (the parent reports it)."""
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
    from tf_gan.run.checkpoints import latest
    from tf_gan.data import load_mnist
    from tf_gan.run.trainer import train

    recipe = recipes.get(job.recipe)
    cfg = dataclasses.replace(recipe.Config(), loss=job.variant.loss, g_objective=job.variant.g_objective,
                              steps=job.steps, epochs=None, sample_every=max(1, job.steps // GRID_COLUMNS),
                              log_every=max(1, job.steps // 200))
    run = out / "runs" / job.name
    resume = latest(run_dir.checkpoint_prefix(run).parent) is not None
    mnist = load_mnist(job.data, seed=job.seed, validation_size=cfg.validation_size, pixel_range=cfg.pixel_range,
                       held_out=cfg.held_out)
    non_finite_step, non_finite = None, ""
    try:
        train(recipe, cfg, mnist, run, seed=job.seed, checkpoint_every=cfg.sample_every, overwrite=True, resume=resume,
              data=job.data, threads=THREADS, loop=LOOP)
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


if __name__ == "__main__":
    sys.exit(worker(sys.argv[1:]))
