"""The posts' session loop, with what a real run needs around it.

The iterations are the recipe's own: its ``train_step`` (``session.run`` calls with a
``feed_dict``, as in its post) with ``loop="classic"``, or the same updates a block at a
time in one ``session.run`` with ``loop="fast"``, the default (tf_gan/loops.py). Both
draw the same batches and noise and give the same numbers. A block ends wherever a log
row, a grid, a checkpoint or a judgement is due. Around the iterations:

* a seeded data order and noise stream, and op determinism: the same command gives
  the same weights, grids and losses;
* a 4x4 grid of one fixed noise batch every ``sample_every`` steps (and the post's own
  layout beside it), a row of losses.csv and TensorBoard every ``log_every`` steps;
* checkpoints every ``checkpoint_every`` steps and at the end that hold the loop's
  state too, so ``--resume`` continues exactly as if the run had never stopped;
* a lock on the run directory while the run trains (tf_gan/run_dir.py), and its
  config.json from the first moment: a run killed at any point, kill -9 included,
  resumes from its last complete checkpoint (from step 0 if it had none yet) and ends
  as if it had never stopped. The final checkpoint is written last of all, so a run
  whose final checkpoint exists has all its pictures;
* Ctrl-C or SIGTERM: the current step (fast: block) finishes, a checkpoint is saved,
  the run stops;
* a guard that stops the run the moment a loss, a weight or one of Adam's moment
  estimates stops being a finite number (a non-finite gradient lands in those
  first); the fast loop checks after each block and names the first bad step.
  Nothing from that step is saved;
* with ``eval_every``, the generator's sample quality measured as training goes (see
  ``train``), so a student sees when a run peaks and when it collapses;
* at the end (also after a stop or a divergence): the loss curves (and quality curves)
  as PNGs and the grids as an animated GIF.
"""

from __future__ import annotations

import csv
import logging
import math
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from tqdm.contrib.logging import logging_redirect_tqdm

from tf_gan import checkpoints, loops, progress, run_dir
from tf_gan.classifier import load_or_train
from tf_gan.curves import LABELS, plot_losses, plot_quality
from tf_gan.data import Datasets
from tf_gan.errors import Interrupted, TfGanError, TrainingDiverged
from tf_gan.evaluate import Judge
from tf_gan.events import EventLog
from tf_gan.files import atomic_path
from tf_gan.graph import seeded_graph, session, tf, tf1
from tf_gan.images import save_gif, save_grid, to_unit_range
from tf_gan.loops import Loop
from tf_gan.losses import form_gap
from tf_gan.noise import sample_z
from tf_gan.sample import generate
from tf_gan.stop import stop_request

log = logging.getLogger(__name__)

GRID = (4, 4)  # the classic post's grid, for every recipe
EVAL_N = 2_000  # samples per evaluation during training: a fifth of evaluate's 10,000, to stay cheap


def noise_streams(seed: int) -> tuple[np.random.Generator, np.random.Generator, np.random.Generator]:
    """Independent generators from one seed: the training noise, the fixed grid noise, the fixed evaluation noise.

    Spawned children do not depend on how many are spawned, so adding the third left the
    first two, and every run made before, as they were.
    """
    train, fixed, evaluation = np.random.SeedSequence(seed).spawn(3)
    return np.random.default_rng(train), np.random.default_rng(fixed), np.random.default_rng(evaluation)


def judge_for(mnist: Datasets, pixel_range: str) -> Judge:
    """tf_gan's classifier for this data (trained first, for minutes, if none is cached) and its test-digit verdicts."""
    if mnist.raw is None:
        raise TfGanError("eval_every needs Datasets from load_mnist or to_datasets: the classifier is cached for "
                         "the raw MNIST they keep")
    return Judge.against(load_or_train(mnist.raw), to_unit_range(mnist.test.images, pixel_range))


def finite_flags(variables: list[tf.Variable]) -> tf.Tensor:
    """One bool per variable: are all of its entries finite?

    A sum is NaN or infinite when any entry is, and one pass over the entries costs half of
    ``reduce_all(is_finite(v))``. (It could also overflow if the entries were near 1e38: a run
    would be lost long before that.)
    """
    return tf.stack([tf.math.is_finite(tf.reduce_sum(v)) for v in variables])


def check_finite(
    it: int,
    metrics: dict[str, float],
    flags: np.ndarray,
    variables: list[tf.Variable],
    last_good: str | None = None,
    hint: str = "",
) -> None:
    """Raise TrainingDiverged naming every non-finite loss and variable after iteration `it`."""
    bad = [f"{name} ({value})" for name, value in metrics.items() if not math.isfinite(value)]
    bad += [v.op.name for v, ok in zip(variables, flags) if not ok]
    if bad:
        raise TrainingDiverged(it, bad, last_good, hint)


def train(
    recipe: ModuleType,
    cfg: Any,
    mnist: Datasets,
    out: Path | str,
    *,
    seed: int = 0,
    checkpoint_every: int = 10_000,
    overwrite: bool = False,
    resume: bool = False,
    settings: dict[str, Any] | None = None,
    eval_every: int | None = None,
    eval_n: int = EVAL_N,
    loop: Loop | None = None,
    xla: bool | None = None,
) -> Path:
    """Train `recipe` with `cfg` on `mnist` into the run directory `out`, which it returns.

    With `resume`, `out` is an existing run: its newest whole checkpoint is restored
    (weights, optimizer state, data order, noise stream, loss and quality logs) and
    training goes on to ``cfg.steps``, which may be longer than the run's original
    length. A run that was killed before its first checkpoint starts again from step 0.

    With `eval_every`, G's images of one fixed batch of `eval_n` noise vectors are judged
    before the first step, every `eval_every` steps and after the last: classifier score,
    Fréchet distance to the test digits and classes hit, as rows of quality.csv and in
    TensorBoard, and as quality.png at the end. The Parzen window is left to ``tf_gan
    evaluate``: it takes most of that command's half minute. The noise has a stream of its
    own, so judging changes nothing about the training.

    `loop` is "fast" (the default) or "classic" (tf_gan/loops.py); `xla` compiles the fast
    loop's blocks (default: yes), which changes the last bits of the numbers. On resume,
    both default to the run's own.
    """
    cfg = cfg.resolved(mnist.train.num_examples)
    per_epoch = max(1, cfg.steps_per_epoch(mnist.train.num_examples))
    if not 0 < cfg.batch_size <= mnist.train.num_examples:
        raise TfGanError(f"--batch-size must be between 1 and {mnist.train.num_examples}, got {cfg.batch_size}")
    if eval_every is not None and (eval_every < 1 or eval_n < 2):
        raise TfGanError(f"eval_every must be at least 1 and eval_n at least 2, got {eval_every} and {eval_n}")
    name = recipe.__name__.rsplit(".", 1)[-1]
    loop, xla = loops.choose(loop, xla, run_dir.read_config(out)[2] if resume else {}, f"{out}/{run_dir.CONFIG}")
    judge = judge_for(mnist, cfg.pixel_range) if eval_every else None  # before the run directory: may take minutes
    run = Path(out) if resume else run_dir.check(out, overwrite)  # refuse now, not after building the graph

    noise, fixed, evaluation = noise_streams(seed)
    graph = seeded_graph(seed)
    with graph.as_default():
        gan = recipe.build(cfg)
        iterations = loops.make(loop, recipe, cfg, gan, mnist.train, noise, xla)
        with tf1.name_scope("guard"):  # every float variable: weights, Adam's moments, batch-norm statistics
            watched = [v for v in tf1.global_variables() if v.dtype.base_dtype.is_floating]
            flags = finite_flags(watched)
        with tf1.name_scope("monitor"):
            monitored = {"D_real": tf.reduce_mean(gan.D_real), "D_fake": tf.reduce_mean(gan.D_fake)}
            if cfg.loss != "sigmoid_ce":  # how far this loss form is from the stable one, on the same batch
                monitored["form_gap"] = form_gap(gan.D_logit_real, gan.D_logit_fake, cfg.loss, cfg.g_objective,
                                                 getattr(cfg, "real_label", 1.0))
        saver = checkpoints.checkpointer()
        every_variable = tf1.global_variables()
        init = tf1.global_variables_initializer()
    graph.finalize()  # from here on the loop may not add a single op

    z_grid = sample_z(GRID[0] * GRID[1], cfg.z_dim, fixed, cfg.prior)
    pictures = [("grids", GRID, z_grid)]  # (folder, (rows, cols), the fixed noise it shows)
    if cfg.layout:
        pictures.append(("samples", cfg.layout, sample_z(cfg.layout[0] * cfg.layout[1], cfg.z_dim, fixed, cfg.prior)))
    hint = "the raw log loss does this; --loss sigmoid_ce computes the same loss stably" if cfg.loss == "raw_log" else ""
    resume_command = f"python -m tf_gan train --resume {run}"
    z_eval = sample_z(eval_n, cfg.z_dim, evaluation, cfg.prior) if judge else None

    def check(it: int, metrics: dict[str, float]) -> None:
        check_finite(it, metrics, sess.run(flags), watched, last_good, hint)

    def block_length(first: int) -> int:
        """Iterations from `first` up to the next thing to do between them: a log row, a grid, a checkpoint, a judgement."""
        end = first + 1
        while not (logged(end - 1) or end % cfg.sample_every == 0 or end % checkpoint_every == 0 or evaluated(end)
                   or end == cfg.steps):
            end += 1
        return end - first

    def save_pictures(sess: tf1.Session, index: int, step: int) -> None:
        for folder, (rows_, cols), z in pictures:
            samples = to_unit_range(sess.run(gan.G_sample, feed_dict={gan.Z: z}), cfg.pixel_range)
            path = save_grid(samples, run / folder / f"{index:03d}.png", rows_, cols)
            if folder == "grids":
                events.png("samples/4x4 grid of fixed noise", step, path)

    def logged(it: int) -> bool:
        """Steps that get a row in losses.csv and TensorBoard (every log line has one too)."""
        return it % cfg.log_every == 0 or it % cfg.sample_every == 0 or it + 1 == cfg.steps

    def evaluated(step: int) -> bool:
        """Steps after which the samples are judged: every eval_every steps, and after the last."""
        return judge is not None and (step % eval_every == 0 or step == cfg.steps)

    def evaluate_quality(sess: tf1.Session, step: int) -> None:
        """Judge G's images of the evaluation noise after `step` steps: a row of quality.csv and TensorBoard."""
        began_eval = time.perf_counter()
        q = judge.quality(generate(sess, gan, z_eval, cfg.pixel_range))
        quality.append({"step": step, "classifier_score": q.classifier_score, "frechet_distance": q.frechet_distance,
                        "classes_hit": q.classes_hit})
        write_csv(run / "quality.csv", quality)
        events.scalars(step, {"quality/classifier score": q.classifier_score,
                              "quality/Frechet distance": q.frechet_distance, "quality/classes hit": q.classes_hit})
        log.info("quality after %d steps: classifier score %.2f (real digits %.2f), Frechet distance %.2f, "
                 "%d classes (judged in %.1f s)", step, q.classifier_score, judge.real_score, q.frechet_distance,
                 q.classes_hit, time.perf_counter() - began_eval)

    def save_checkpoint(sess: tf1.Session, done: int) -> str:
        state = {"step": done, "data": mnist.train.state(), "noise": iterations.noise_state(), "rows": rows,
                 "quality": quality}
        path = saver.save(sess, run_dir.checkpoint_prefix(run), done, state)
        write_csv(run / "losses.csv", rows)
        events.flush()
        return path

    def finish(last: int) -> None:
        """The pictures of the whole run: loss curves and the grids as a GIF."""
        events.close()
        if rows:
            write_csv(run / "losses.csv", rows)
            plot_losses(rows, run / "losses.png", title=f"{name}, seed {seed}")
        frames = sorted((run / "grids").glob("[0-9][0-9][0-9].png"))
        captions = [f"after {min(int(f.stem) * cfg.sample_every, last)} steps" for f in frames]
        if frames:
            save_gif(frames, captions, run / "progress.gif")
        if judge is not None and quality:
            write_csv(run / "quality.csv", quality)
            plot_quality(quality, run / "quality.png", judge.real_score, title=f"{name}, seed {seed}, {eval_n} samples")

    held = run_dir.lock(run) if resume else run_dir.create(run, overwrite=overwrite)  # until the run ends
    with held, session(graph) as sess:
        ckpt = checkpoints.latest_usable(run_dir.checkpoint_prefix(run).parent) if resume else None
        if ckpt is not None:
            checkpoints.check_matches(ckpt, every_variable, f"{run}/config.json", exact=True)
            state = saver.restore(sess, ckpt, f"{run}/config.json")  # the loop's state: step, data order, logs
            start, rows, last_good = state["step"], state["rows"], ckpt
            quality = state.get("quality", [])  # checkpoints from before quality.csv have none
            if start >= cfg.steps:
                log.info("%s is already at step %d of %d: nothing to do (pass a larger --steps to train on)",
                         run, start, cfg.steps)
                return run
            mnist.train.restore(state["data"])
            noise.bit_generator.state = state["noise"]
            if rows and not logged(rows[-1]["step"]):  # the old, shorter run's row for its last step
                rows.pop()
            if eval_every and quality and quality[-1]["step"] == start and start % eval_every:
                quality.pop()  # the same for quality.csv
            drop_pictures_after(run, start, cfg.sample_every)
            log.info("resuming %s at step %d of %d", run, start, cfg.steps)
        else:
            if resume:  # killed before its first checkpoint: nothing to continue from, so begin again
                log.info("%s has no checkpoint yet: starting it from step 0", run)
                run_dir.empty(run, keep=(run_dir.CONFIG,))
            sess.run(init)
            start, rows, quality, last_good = 0, [], [], None
        run_dir.write_config(run, name, cfg, seed=seed, checkpoint_every=checkpoint_every, eval_every=eval_every,
                             eval_n=eval_n, loop=loop, xla=xla, **(settings or {}))  # settings only, never state
        iterations.start(sess)
        events = EventLog(run / "tensorboard", graph, start)
        began = time.perf_counter()
        it = start
        with stop_request() as stop, progress.bar(cfg.steps, start, desc=name) as bar, logging_redirect_tqdm():
            try:
                if start == 0 and evaluated(0):
                    evaluate_quality(sess, 0)
                done = start
                while done < cfg.steps:
                    if done % cfg.sample_every == 0:
                        save_pictures(sess, done // cfg.sample_every, done)
                    count = block_length(done)
                    then = block_length(done + count) if done + count < cfg.steps else 0
                    block = iterations.run(sess, done, count, check, lambda: stop.signal is not None, then)
                    it, done = done + len(block.metrics) - 1, done + len(block.metrics)  # the block's last step
                    last = done == cfg.steps
                    if logged(it):
                        metrics = block.metrics[-1]
                        seen = {k: float(v) for k, v in
                                sess.run(monitored, {gan.X: block.last_batch, gan.Z: z_grid}).items()}
                        rows.append({"step": it, **metrics, **seen})
                        events.scalars(it, {**metrics, **{LABELS.get(k, k): v for k, v in seen.items()}})
                    if it % cfg.sample_every == 0 or last:
                        write_csv(run / "losses.csv", rows)
                        log.info("%s  D(x): %.2f  D(G(z)): %.2f%s",
                                 recipe.log_line(it, rows[-1], epoch=it // per_epoch), rows[-1]["D_real"],
                                 rows[-1]["D_fake"], progress.speed(done - start, cfg.steps - done, began))
                    bar.update(len(block.metrics))
                    if evaluated(done):
                        evaluate_quality(sess, done)
                    if not last and (stop.signal is not None or done % checkpoint_every == 0):
                        last_good = save_checkpoint(sess, done)
                        if stop.signal is not None:
                            raise Interrupted(done, cfg.steps, stop.signal, resume_command)
                save_pictures(sess, -(-cfg.steps // cfg.sample_every), cfg.steps)  # numbered next: after the last step
            except TrainingDiverged as diverged:
                finish(diverged.iteration)
                raise
            except Interrupted:
                finish(done)
                raise
            finish(cfg.steps)  # a signal now waits: these take a moment
            save_checkpoint(sess, cfg.steps)  # last: killed before it, the run resumes and writes all of the above again
    log.info("done: %d steps in %s; pictures, losses.csv, TensorBoard events and checkpoints are in %s",
             cfg.steps - start, progress.duration(time.perf_counter() - began), run)
    return run


def drop_pictures_after(run: Path, step: int, sample_every: int) -> None:
    """Delete the grids a killed run drew after its checkpoint at `step`: the resumed run draws its own.

    They would be the same pictures where the resumed run gets that far; past its end
    (resumed with a smaller --steps) they would show steps it never trained.
    """
    for folder in ("grids", "samples"):
        for picture in (run / folder).glob("*.png"):
            if picture.stem.isdigit() and int(picture.stem) * sample_every > step:
                picture.unlink()


def write_csv(path: Path, rows: list[dict[str, float]]) -> None:
    """Rewrite the whole CSV atomically: a crash never leaves a half-written line."""
    with atomic_path(path) as tmp, open(tmp, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
