"""The training loop, on one screen: build the graph, initialise or restore it, then run blocks of steps.

The iterations are the recipe's own: its ``train_step`` (the post's ``session.run`` lines)
with the classic loop, or the same updates a block at a time in one ``session.run`` with
the fast loop, the default (tf_gan/run/loops.py); both draw the same batches and noise.
Everything around the iterations is a hook with one job (tf_gan/run/hooks/): the NaN
guard, the loss log, the console, sample quality, the pictures, checkpoints and Ctrl-C.
A block ends at the earliest step any hook asks for. The seed fixes the initial weights,
the data order and every noise draw, and TensorFlow's op determinism is on: on one
machine the same command gives the same weights, grids and losses.

A run directory is locked while a process trains in it, and its config.json (the run
record, tf_gan/run/record.py) is written the moment it starts: a run killed at any point,
kill -9 included, resumes from its newest whole checkpoint (from step 0 if it had none)
and ends as if it had never stopped.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tf_gan.data import DataSet, Datasets, held_out_of, load_mnist, unit_images, validation_digits
from tf_gan.eval.diagnose import DIVERGED
from tf_gan.eval.evaluate import Judge
from tf_gan.errors import Interrupted, TfGanError, TrainingDiverged
from tf_gan.files import write_json
from tf_gan.graph import seeded_graph, session, set_threads, tf1
from tf_gan.recipes.base import Gan, Recipe, RecipeConfig
from tf_gan.run import checkpoints, loops, progress, record, run_dir
from tf_gan.run.events import EventLog
from tf_gan.run.hooks import Context, Guard, Hook
from tf_gan.run.hooks.quality import PARZEN_N, ParzenCheck, judge_for
from tf_gan.run.hooks.standard import Judging, standard_hooks
from tf_gan.run.record import OWN_GRAPH, RunRecord, record_of
from tf_gan.noise import sample_z

log = logging.getLogger(__name__)


def noise_streams(seed: int) -> tuple[np.random.Generator, np.random.Generator, np.random.Generator]:
    """Independent generators from one seed: the training noise, the fixed picture noise, the fixed judging noise.

    Spawned children do not depend on how many are spawned, so adding the third left the
    first two, and every run made before, as they were.
    """
    training, pictures, judging = np.random.SeedSequence(seed).spawn(3)
    return np.random.default_rng(training), np.random.default_rng(pictures), np.random.default_rng(judging)


def fit(rec: RunRecord, mnist: Datasets, out: Path | str, *, resume: bool = False, overwrite: bool = False,
        hooks: Sequence[Hook] = (), build: Callable[[RecipeConfig], Gan] | None = None) -> Path:
    """Train the run `rec` describes on `mnist` into the run directory `out`, which it returns.

    With `resume`, `out` is an existing run, continued from its newest whole checkpoint up
    to ``rec.config.steps``. `hooks`: your own, after the standard ones. `build`: a graph of
    your own in place of the recipe's (a lesson's edited one).
    """
    cfg, per_epoch = checked(rec, mnist)
    judge = judge_for(mnist, cfg.pixel_range) if rec.eval_every else None  # may take minutes: before the lock
    run = Path(out) if resume else run_dir.check(out, overwrite)  # refuse now, not after building the graph
    noise, picture_noise, judging_noise = noise_streams(rec.seed)
    graph = seeded_graph(rec.seed)
    with graph.as_default():
        gan = build(cfg) if build else recipe_graph(rec.module, cfg, mnist.train)
        loop = loops.make(rec.loop, rec.module, cfg, gan, mnist.train, noise, rec.xla)
        ctx = Context(run, rec.recipe, cfg, rec.seed, gan, per_epoch)
        saver = checkpoints.checkpointer()
        guard, every_hook = standard_hooks(
            cfg, rec.module.log_line, picture_noise, gan.conditional, judging_for(rec, cfg, mnist, judge, judging_noise),
            saver, rec.checkpoint_every, lambda others: loop_state(ctx, mnist.train, loop, others), own=hooks)
        for hook in every_hook:
            hook.build(ctx)
        every_variable, init = tf1.global_variables(), tf1.global_variables_initializer()
    graph.finalize()  # from here on the loop may not add a single op

    with run_dir.lock(run) if resume else run_dir.create(run, overwrite), session(graph) as sess, ctx.closing:
        ctx.sess = sess
        if not start(ctx, rec, saver, every_variable, init, mnist, noise, every_hook, resume):
            return run
        dataclasses.replace(rec, config=cfg).write(run)  # the settings, as resolved; never the loop's state
        loop.start(ctx.sess)
        ctx.events = EventLog(run / "tensorboard", graph, ctx.start)
        ctx.closing.callback(ctx.events.close)
        began = time.perf_counter()
        try:
            run_blocks(ctx, loop, every_hook, guard)
        except TrainingDiverged as diverged:
            finish(every_hook, ctx, diverged.iteration)
            write_json(run / DIVERGED, {"step": diverged.iteration, "what": diverged.what})  # for `tf_gan diagnose`
            raise
        finish(every_hook, ctx, ctx.step)
        (run / DIVERGED).unlink(missing_ok=True)  # a resumed run that got past it
        if not ctx.finished:
            raise Interrupted(ctx.step, cfg.steps, ctx.stop_signal, f"python -m tf_gan train --resume {run}")
    log.info("done: %d steps in %s; pictures, losses.csv, TensorBoard events and checkpoints are in %s",
             cfg.steps - ctx.start, progress.duration(time.perf_counter() - began), run)
    return run


def run_blocks(ctx: Context, loop: loops.Classic | loops.Fast, hooks: Sequence[Hook], guard: Guard) -> None:
    """The loop itself: blocks of steps up to the next pause any hook asks for, until the end or a stop."""
    for hook in hooks:
        hook.begin(ctx)
    while ctx.step < ctx.cfg.steps and ctx.stop_signal is None:
        end = block_end(hooks, ctx.step, ctx.cfg.steps)
        then = block_end(hooks, end, ctx.cfg.steps) - end if end < ctx.cfg.steps else 0
        block = loop.run(ctx.sess, ctx.step, end - ctx.step, guard.check, ctx.stop_requested, then)
        ctx.step += len(block.metrics)
        ctx.last = ctx.step - 1
        ctx.end_block()
        for hook in hooks:
            hook.after_block(ctx, block)


def judging_for(rec: RunRecord, cfg: RecipeConfig, mnist: Datasets, judge: Judge | None,
                judging_noise: np.random.Generator) -> Judging | None:
    """The quality hook's noise and Parzen check when the run is judged as it goes (drawn in this order)."""
    if judge is None:
        return None
    noise = sample_z(rec.eval_n, cfg.z_dim, judging_noise, cfg.prior)
    parzen = parzen_check(rec, cfg, mnist, judging_noise) if rec.parzen_every else None
    return Judging(judge, rec.eval_every, noise, parzen)


def parzen_check(rec: RunRecord, cfg: RecipeConfig, mnist: Datasets, judging_noise: np.random.Generator) -> ParzenCheck:
    """The Parzen window's fixed noise (drawn after the judging noise) and the digits `evaluate` would use."""
    if mnist.raw is None:
        raise TfGanError("parzen_every needs Datasets from load_mnist or to_datasets, which keep the raw MNIST")
    noise = sample_z(PARZEN_N, cfg.z_dim, judging_noise, cfg.prior)
    held_out = held_out_of(cfg.validation_size, cfg.held_out)
    test = unit_images(mnist.raw.test_images)
    return ParzenCheck(rec.parzen_every, noise, validation_digits(mnist.raw, held_out), test)


def recipe_graph(recipe: Recipe, cfg: RecipeConfig, train: DataSet) -> Gan:
    """The recipe's graph; a recipe that starts from its data (paper: G's output bias) gets the training images."""
    return recipe.build(cfg, train.images if recipe.STARTS_FROM_DATA else None)


def loop_state(ctx: Context, data: DataSet, loop: loops.Classic | loops.Fast, hooks: Sequence[Hook]) -> dict:
    """What a checkpoint holds beside the weights: the step, the data order, the noise stream, each hook's state."""
    return {"step": ctx.step, "data": data.state(), "noise": loop.noise_state(),
            "hooks": {hook.name: hook.state() for hook in hooks}}


def hook_state(state: dict[str, Any], hook: Hook) -> dict[str, Any]:
    """A hook's own part of a checkpoint's loop state; checkpoints from before hooks had names kept one flat dict."""
    return state["hooks"].get(hook.name, {}) if "hooks" in state else state


def checked(rec: RunRecord, mnist: Datasets) -> tuple[RecipeConfig, int]:
    """The recipe's settings with the run's length filled in for this data, and the steps per epoch; refuse bad ones."""
    n_train = mnist.train.num_examples
    cfg = rec.config.resolved(n_train)
    if not 0 < cfg.batch_size <= n_train:
        raise TfGanError(f"--batch-size must be between 1 and {n_train}, got {cfg.batch_size}")
    if rec.parzen_every is not None and rec.eval_every is None:  # each value's range: the record checks it
        raise TfGanError(f"parzen_every={rec.parzen_every} adds to the judgements; give eval_every too")
    return cfg, max(1, cfg.steps_per_epoch(n_train))


def start(ctx: Context, rec: RunRecord, saver: checkpoints.Checkpointer, every_variable: list, init: tf1.Operation,
          mnist: Datasets, noise: np.random.Generator, hooks: Sequence[Hook], resume: bool) -> bool:
    """Initialise the weights, or restore them and the whole loop state; False if a resumed run has nothing to do."""
    run = ctx.run
    ckpt = checkpoints.latest_usable(run_dir.checkpoint_prefix(run).parent) if resume else None
    if ckpt is None:
        if resume:  # killed before its first checkpoint: nothing to continue from, so begin again
            log.info("%s has no checkpoint yet: starting it from step 0", run)
            run_dir.empty(run, keep=(record.CONFIG,))
        ctx.sess.run(init)
        return True
    checkpoints.check_matches(ckpt, every_variable, f"{run}/{record.CONFIG}", exact=True)
    state = saver.restore(ctx.sess, ckpt, f"{run}/{record.CONFIG}")  # the loop's state: step, data order, logs
    ctx.start = ctx.step = state["step"]
    ctx.last, ctx.last_checkpoint = ctx.start - 1, ckpt
    if ctx.start >= ctx.cfg.steps:
        log.info("%s is already at step %d of %d: nothing to do (pass a larger --steps to train on)",
                 run, ctx.start, ctx.cfg.steps)
        return False
    mnist.train.restore(state["data"])
    noise.bit_generator.state = state["noise"]
    for hook in hooks:
        hook.restore(ctx, hook_state(state, hook))
    log.info("resuming %s at step %d of %d", run, ctx.start, ctx.cfg.steps)
    return True


def block_end(hooks: Sequence[Hook], step: int, last_step: int) -> int:
    """Where a block from `step` ends: the earliest step any hook asks for, and never past the run's end."""
    return min([last_step, *(stop for hook in hooks if (stop := hook.next_stop(step)) is not None)])


def finish(hooks: Sequence[Hook], ctx: Context, last: int) -> None:
    """Every hook's end, in order (the final checkpoint last): also after a stop or a divergence."""
    for hook in hooks:
        hook.end(ctx, last)


def train(recipe: Recipe, cfg: RecipeConfig, mnist: Datasets, out: Path | str, *, overwrite: bool = False,
          resume: bool = False, hooks: Sequence[Hook] = (), build: Callable[[RecipeConfig], Gan] | None = None,
          **settings: Any) -> Path:
    """Train `recipe` with `cfg` on `mnist` into `out`, from Python: the run record built from keywords.

    `settings`: any of the run record's settings by name (tf_gan/run/record.py: seed, checkpoint_every,
    eval_every, eval_n, parzen_every, loop, xla, data, threads); one left out or None takes the record's
    default, or on resume the run's own. A resume refuses what `train --resume` refuses: a setting or a
    `cfg` that would change the run. `build`: your own graph, e.g.
    ``lambda cfg: gfg.build(cfg, my_generator, my_discriminator)``.
    """
    name = recipe.__name__.rsplit(".", 1)[-1]
    if resume:
        record.check_names(settings)
        saved = record.read(out, own_graph=build is not None)
        was = dataclasses.asdict(saved.config)  # as the run resolved it: None (derive it) is no change
        changes = {key: value for key, value in dataclasses.asdict(cfg).items() if value not in (None, was[key])}
        rec = record.resumed(saved, Path(out), {**settings, "recipe": name}, changes)
    else:
        rec = record_of(name, cfg, **settings, graph=OWN_GRAPH if build is not None else None)
    return fit(rec, mnist, out, resume=resume, overwrite=overwrite, hooks=hooks, build=build)


def launch(rec: RunRecord, out: Path, *, resume: bool = False, overwrite: bool = False) -> Path:
    """What ``tf_gan train`` runs: the thread count (before TensorFlow runs anything), the data, then `fit`."""
    if rec.threads is not None:
        set_threads(rec.threads)
    cfg = rec.config
    mnist = load_mnist(rec.data or "auto", seed=rec.seed, validation_size=cfg.validation_size,
                       pixel_range=cfg.pixel_range, held_out=cfg.held_out)
    return fit(rec, mnist, out, resume=resume, overwrite=overwrite)
