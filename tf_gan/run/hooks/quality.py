"""Sample quality as training goes (``--eval-every K``): quality.csv, TensorBoard and quality.png.

G's images of one fixed batch of noise are judged by tf_gan's MNIST classifier before the
first step, every K steps and after the last: classifier score, Fréchet distance to the
test digits and classes hit. The Parzen window takes most of ``tf_gan evaluate``'s half
minute, so it is computed only every ``--parzen-every`` steps (and after the last), on
10,000 samples of a fixed noise batch, as ``evaluate`` computes it, with the paper's own
training monitor beside it (sigma 0.2, 100 samples per 100 held-out digits). The noise has a stream
of its own, so judging changes nothing about the training; a student sees when a run peaks
and when it collapses.
A conditional run's samples ask for each digit equally often, and quality.csv gets one more
column: the share the classifier reads as the digit asked (the mean over the ten digits).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from tf_gan.data import Datasets, as_one_hot
from tf_gan.errors import TfGanError
from tf_gan.eval.classifier import load_or_train
from tf_gan.eval.evaluate import Judge
from tf_gan.eval.metrics import asked_digit_shares, parzen, parzen_monitor
from tf_gan.noise import balanced_digits
from tf_gan.run.hooks.base import Context, Hook, next_multiple
from tf_gan.files import write_csv
from tf_gan.run.loops import Block
from tf_gan.run.sample import generate
from tf_gan.viz.curves import plot_quality
from tf_gan.viz.images import to_unit_range

log = logging.getLogger("tf_gan.run.trainer")
PARZEN_N = 10_000  # samples the Parzen window is fitted to: the paper's and evaluate's number


@dataclass(frozen=True)
class ParzenCheck:
    """What the Parzen window needs during training: how often, its fixed noise and the real digits."""

    every: int
    noise: np.ndarray  # (PARZEN_N, z_dim), drawn once
    validation: np.ndarray  # the held-out digits its width is chosen on, (N, 784) in [0, 1]
    test: np.ndarray  # the test digits whose log-likelihood it reports


def judge_for(mnist: Datasets, pixel_range: str) -> Judge:
    """tf_gan's classifier for this data (trained first, for minutes, if none is cached) and its test-digit verdicts."""
    if mnist.raw is None:
        raise TfGanError("eval_every needs Datasets from load_mnist or to_datasets: the classifier is cached for "
                         "the raw MNIST they keep")
    return Judge.against(load_or_train(mnist.raw), to_unit_range(mnist.test.images, pixel_range))


class Quality(Hook):
    """Judges the samples every `every` steps and after the last; its rows go into every checkpoint."""

    def __init__(self, judge: Judge, every: int, noise: np.ndarray,
                 conditional: bool = False, parzen_check: ParzenCheck | None = None) -> None:
        self.judge, self.every, self.noise, self.parzen = judge, every, noise, parzen_check
        self.asked = balanced_digits(len(noise)) if conditional else None  # the digit asked per z
        self.rows: list[dict[str, float]] = []

    def begin(self, ctx: Context) -> None:
        if ctx.start == 0:
            self.judge_now(ctx, 0)

    def next_stop(self, step: int) -> int:
        return min(next_multiple(step, every) for every in self.intervals())

    def intervals(self) -> list[int]:
        return [self.every] + ([self.parzen.every] if self.parzen else [])

    def after_block(self, ctx: Context, block: Block) -> None:
        if any(ctx.step % every == 0 for every in self.intervals()) or ctx.finished:
            self.judge_now(ctx, ctx.step)

    def judge_now(self, ctx: Context, step: int) -> None:
        """Judge G's images of the evaluation noise after `step` steps: a row of quality.csv and TensorBoard."""
        began = time.perf_counter()
        labels = None if self.asked is None else as_one_hot(self.asked)
        images = generate(ctx.sess, ctx.gan, self.noise, ctx.cfg.pixel_range, labels)
        judged = self.judge.classifier.predict(images)
        q = self.judge.quality_of(judged)
        row = {"step": step, "classifier_score": q.classifier_score,
               "frechet_distance": q.frechet_distance, "classes_hit": q.classes_hit}
        scalars = {"quality/classifier score": q.classifier_score,
                   "quality/Frechet distance": q.frechet_distance,
                   "quality/classes hit": q.classes_hit}
        if self.asked is not None:
            row["asked_digit_share"] = asked_digit_shares(judged.probs, self.asked).mean
            scalars["quality/read as the digit asked"] = row["asked_digit_share"]
        if self.parzen is not None:
            row.update(self.parzen_now(ctx, step))
            if row["parzen_nats"] is not None:
                scalars["quality/Parzen nats"] = row["parzen_nats"]
        self.rows.append(row)
        write_csv(ctx.run / "quality.csv", self.rows)
        ctx.events.scalars(step, scalars)
        log.info("quality after %d steps: classifier score %.2f (real digits %.2f), Frechet distance %.2f, "
                 "%d classes (judged in %.1f s)", step, q.classifier_score, self.judge.real_score, q.frechet_distance,
                 q.classes_hit, time.perf_counter() - began)

    def parzen_now(self, ctx: Context, step: int) -> dict[str, float | None]:
        """The Parzen columns of a row: filled every parzen.every steps and after the last, else empty."""
        check = self.parzen
        if not (step % check.every == 0 or step == ctx.cfg.steps):
            return {"parzen_nats": None, "parzen_sigma": None, "parzen_monitor_nats": None}
        began = time.perf_counter()
        labels = None if self.asked is None else as_one_hot(balanced_digits(len(check.noise)))  # each digit alike
        samples = generate(ctx.sess, ctx.gan, check.noise, ctx.cfg.pixel_range, labels)
        fit = parzen(samples, check.validation, check.test)
        monitor = parzen_monitor(samples, check.validation)
        log.info("Parzen window after %d steps: %.1f nats (sigma %.3f; the paper's monitor %.1f; in %.0f s)", step,
                 fit.mean, fit.sigma, monitor, time.perf_counter() - began)
        return {"parzen_nats": fit.mean, "parzen_sigma": fit.sigma, "parzen_monitor_nats": monitor}

    def state(self) -> dict[str, Any]:
        return {"quality": self.rows}

    def restore(self, ctx: Context, state: dict[str, Any]) -> None:
        self.rows = state.get("quality", [])  # checkpoints from before quality.csv have none
        if self.rows and self.rows[-1]["step"] == ctx.start and ctx.start % self.every:
            self.rows.pop()  # the old, shorter run's judgement after its last step

    def end(self, ctx: Context, last: int) -> None:
        if self.rows:
            write_csv(ctx.run / "quality.csv", self.rows)
            plot_quality(self.rows, ctx.run / "quality.png", self.judge.real_score,
                         title=f"{ctx.name}, seed {ctx.seed}, {len(self.noise)} samples")
