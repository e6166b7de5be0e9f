"""Did it work? A run's samples (or any samples) measured against real MNIST.

Every figure of metrics.py for one set of samples, with what real digits get beside it:

* the samples: from a run's newest whole checkpoint, from a ``.npy`` of (N, 784) images in
  [0, 1], or a reference - ``real`` (training digits outside the validation split: a
  perfect generator, since they are fresh draws from the distribution the GAN learns)
  or ``noise`` (uniform pixels: a generator that learned nothing);
* the Fréchet distance is to the classifier features of the 10,000 test digits;
* the Parzen window is fitted to the samples, its sigma chosen on validation digits the
  run never trained on (its held-out split: the first 5,000 training images for the TF1
  recipes, the last 10,000 for ``paper``; the first 5,000 for samples of unknown origin)
  and evaluated on the test digits, as in Goodfellow et al. (2014);
* the classifier score of the real test digits is given as the ceiling to compare with;
* samples of a conditional generator, with the digit each was asked for (a cgan run, or a
  ``.npy`` with its ``.labels.npy`` beside it, as ``sample`` writes them): per digit asked,
  the share the classifier reads as that digit.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from tf_gan.eval import metrics
from tf_gan.eval.classifier import Classifier, Predictions, load_or_train
from tf_gan.data import VALIDATION_SIZE, RawMnist, Split, load_raw, resolve_source, unit_images, validation_digits
from tf_gan.errors import TfGanError
from tf_gan.files import write_json

Reference = Literal["real", "noise"]
DEFAULT_N = 10_000
RUN_EVAL = "eval.json"
CONDITIONAL_PARZEN = "; Mirza and Osindero 2014, conditional: 132 +- 1.8"  # their Table 1


@dataclass(frozen=True)
class Quality:
    """The figures cheap enough to follow during training: all but the Parzen window, most of evaluate's time."""

    classifier_score: float
    frechet_distance: float
    histogram: list[int]
    classes_hit: int


@dataclass(frozen=True)
class Figures(Quality):
    """Every figure for one set of samples; `test_digits_score` is what real test digits get."""

    n: int
    test_digits_score: float
    parzen: metrics.ParzenResult
    asked: metrics.AskedDigits | None = None  # samples asked for digits: how often they got them


@dataclass(frozen=True)
class Drawn:
    """Samples from a run, what eval.json records of where they came from, and the digits asked."""

    images: np.ndarray  # (N, 784) in [0, 1]
    about: dict[str, Any]
    asked: np.ndarray | None = None  # a conditional generator's digits asked for, one per image
    held_out: Split = (VALIDATION_SIZE, "first")  # the training digits the run never saw: the Parzen width's


@dataclass(frozen=True)
class Judge:
    """The classifier and its predictions for the real digits that samples are compared with.

    Predicting the 10,000 test digits takes longer than judging 2,000 samples, so a
    training run that judges its generator again and again (``train --eval-every``) does it once.
    """

    classifier: Classifier
    real: Predictions

    @classmethod
    def against(cls, classifier: Classifier, real_images: np.ndarray) -> Judge:
        """A judge comparing with `real_images`, (N, 784) in [0, 1]."""
        return cls(classifier, classifier.predict(real_images))

    @property
    def real_score(self) -> float:
        """The real digits' classifier score: the ceiling a generator's is compared with."""
        return metrics.classifier_score(self.real.probs)

    def quality(self, samples: np.ndarray) -> Quality:
        """Classifier score, Fréchet distance to the real digits and class histogram of `samples`."""
        return self.quality_of(self.classifier.predict(samples))

    def quality_of(self, judged: Predictions) -> Quality:
        """`quality` of samples judged already: a caller who needs the probabilities predicts once."""
        histogram = metrics.class_histogram(judged.probs)
        return Quality(
            classifier_score=metrics.classifier_score(judged.probs),
            frechet_distance=metrics.frechet_distance(judged.features, self.real.features),
            histogram=histogram.counts,
            classes_hit=histogram.classes_hit,
        )


def measure(samples: np.ndarray, raw: RawMnist, classifier: Classifier,
            asked: np.ndarray | None = None, held_out: Split = (VALIDATION_SIZE, "first")) -> Figures:
    """All figures of `samples` against `raw`'s test digits, judged by `classifier`.

    `asked`: the digit each sample was asked for, if a conditional generator drew them.
    `held_out`: the validation digits the Parzen width is chosen on.
    """
    samples = metrics.check_images(samples, "samples")
    test = unit_images(raw.test_images)
    judge = Judge.against(classifier, test)
    judged = classifier.predict(samples)
    return Figures(
        **dataclasses.asdict(judge.quality_of(judged)),
        n=len(samples),
        test_digits_score=judge.real_score,
        parzen=metrics.parzen(samples, validation_digits(raw, held_out), test),
        asked=None if asked is None else metrics.asked_digit_shares(judged.probs, asked),
    )


def reference_samples(kind: Reference, raw: RawMnist, n: int, seed: int) -> np.ndarray:
    """`n` real training digits (none from the validation split), or `n` images of uniform noise."""
    rng = np.random.default_rng(seed)
    if kind == "noise":
        return rng.random((n, metrics.PIXELS), dtype=np.float32)
    pool = raw.train_images[VALIDATION_SIZE:]
    if n > len(pool):
        raise TfGanError(f"--n {n}: only {len(pool)} training digits lie outside the validation split; "
                         f"use --n {len(pool)} or less")
    return unit_images(pool[np.sort(rng.choice(len(pool), n, replace=False))])


def load_npy(path: Path, n: int | None) -> np.ndarray:
    """The images of a samples file: all of them, or the first `n`."""
    try:
        images = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise TfGanError(f"{path}: not found; give a run directory or a .npy made by `tf_gan sample`") from None
    except (OSError, ValueError, EOFError) as e:
        raise TfGanError(f"{path}: not a readable .npy array ({str(e).splitlines()[0][:120]})") from None
    if n is not None:
        if len(images) < n:
            raise TfGanError(f"{path}: holds {len(images)} images, fewer than --n {n}")
        images = images[:n]
    return metrics.check_images(images, str(path))


def labels_path(samples: Path) -> Path:
    """Where `sample` writes the digits a conditional run was asked for: SAMPLES.labels.npy."""
    return samples.with_suffix(".labels.npy")


def load_asked(path: Path, n: int) -> np.ndarray | None:
    """The first `n` digits asked for, from the labels file beside the samples `path` if any."""
    beside = labels_path(path)
    if not beside.exists():
        return None
    try:
        asked = np.load(beside, allow_pickle=False)
    except (OSError, ValueError, EOFError) as e:
        why = str(e).splitlines()[0][:120]
        raise TfGanError(f"{beside}: not a readable .npy array ({why})") from None
    if asked.ndim != 1 or len(asked) < n or not np.issubdtype(asked.dtype, np.integer):
        raise TfGanError(f"{beside}: expected at least {n} whole-number digits, one per sample; "
                         "move it away to evaluate the samples without them")
    return asked[:n]


def eval_path(target: Path) -> Path:
    """Where a target's figures go: RUN_DIR/eval.json, or SAMPLES.eval.json beside SAMPLES.npy."""
    return target / RUN_EVAL if target.is_dir() else target.with_suffix(".eval.json")


def to_json(figures: Figures, classifier: Classifier, **settings: Any) -> dict[str, Any]:
    """The figures as eval.json holds them, with the settings and the classifier that produced them."""
    parzen = figures.parzen
    return {
        **settings,
        **{k: v for k, v in dataclasses.asdict(figures).items() if k not in ("parzen", "asked")},
        **({"asked_digits": dataclasses.asdict(figures.asked)} if figures.asked else {}),
        "parzen": {"sigma": parzen.sigma, "mean_nats": parzen.mean, "stderr_nats": parzen.stderr,
                   "validation_nats_by_sigma": {f"{s:.4f}": v for s, v in parzen.validation.items()}},
        "classifier": {k: classifier.info.get(k) for k in ("version", "test_accuracy", "weights_sha256")},
    }


def report(what: str, figures: Figures, classifier: Classifier) -> str:
    """A few lines a person reads: each figure with its scale and what real digits get."""
    p, a = figures.parzen, figures.asked
    return "\n".join([
        f"{what}: {figures.n} samples",
        f"  classifier score       {figures.classifier_score:8.3f}   (1 to 10; real test digits "
        f"{figures.test_digits_score:.3f})",
        f"  Frechet distance       {figures.frechet_distance:8.3f}   (to the test digits' features; 0 is best)",
        f"  classes with >= 1%     {figures.classes_hit:8d}   of 10",
        f"  histogram 0..9         {', '.join(str(c) for c in figures.histogram)}",
        f"  Parzen log-likelihood  {p.mean:8.1f} +- {p.stderr:.1f} nats of the test digits (sigma {p.sigma:.3f}; "
        f"Goodfellow et al. 2014: 225 +- 2{CONDITIONAL_PARZEN if a else ''})",
        *(asked_lines(a) if a else []),
        f"  judged by tf_gan's MNIST classifier v{classifier.info.get('version')}, "
        f"{100 * classifier.test_accuracy:.2f}% test accuracy",
    ])


def asked_lines(asked: metrics.AskedDigits) -> list[str]:
    """The per-digit shares as two lines a person reads: which digit, and how often it came out."""
    shares = "  ".join(f"{d}: {100 * s:.1f}%" for d, s in enumerate(asked.shares) if s is not None)
    return [f"  read as the digit asked {100 * asked.mean:6.1f}%    mean over the digits asked; "
            f"lowest {100 * asked.lowest:.1f}%",
            f"    by digit asked       {shares}"]


@dataclass(frozen=True)
class Evaluation:
    text: str  # the report
    record: dict[str, Any]  # what was written as JSON
    path: Path  # where


RunSampler = Callable[[Path, int, int], Drawn]  # (run, n, seed) -> the samples, what they are


def evaluate(target: Path | None, reference: Reference | None = None, n: int | None = None, seed: int = 0,
             source: str = "auto", out: Path | None = None, classifier: Classifier | None = None,
             sampler: RunSampler | None = None) -> Evaluation:
    """Measure a run directory, a samples .npy or a reference; write the JSON atomically and return the report.

    `classifier` defaults to the cached one (trained first if there is none); tests pass a small one.
    A run directory's samples come from `sampler` (tf_gan.run.sample.for_evaluation): reading a
    checkpoint is the run machinery's job, which itself calls on this module while it trains.
    """
    if (target is None) == (reference is None):
        raise TfGanError("give a run directory or a samples .npy, or --reference real|noise (one of them)")
    if target is not None and not target.is_dir() and target.suffix != ".npy":
        what = "is neither a run directory nor a .npy file" if target.exists() else "no such run directory"
        raise TfGanError(f"{target}: {what}; give a run directory or a samples .npy")
    out = out or (eval_path(target) if target is not None else Path("out") / f"reference-{reference}.eval.json")
    if out.suffix != ".json":
        raise TfGanError(f"{out}: --out must end in .json")
    settings: dict[str, Any] = {"seed": seed}
    asked, held_out = None, Drawn.held_out
    if target is not None and target.is_dir():
        if sampler is None:
            raise TfGanError(f"{target}: evaluating a run directory needs its sampler (tf_gan.run.sample.for_evaluation)")
        drawn = sampler(target, n or DEFAULT_N, seed)
        samples, asked, held_out, what = drawn.images, drawn.asked, drawn.held_out, str(target)
        settings.update(drawn.about)
    elif target is not None:
        samples, what = load_npy(target, n), str(target)
        asked = load_asked(target, len(samples))
        settings["samples"] = str(target)
    settings["data"] = source = resolve_source(source)
    raw = load_raw(source)
    if reference is not None:
        samples, what = reference_samples(reference, raw, n or DEFAULT_N, seed), f"reference {reference}"
        settings["reference"] = reference
    classifier = classifier or load_or_train(raw)
    start = time.perf_counter()
    figures = measure(samples, raw, classifier, asked, held_out)
    settings["parzen_width_chosen_on"] = {"held_out": held_out[0], "of_the_training_digits": held_out[1]}
    record = to_json(figures, classifier, **settings, seconds=round(time.perf_counter() - start, 1))
    try:
        write_json(out, record)
    except OSError as e:
        raise TfGanError(f"{out}: cannot write ({e.strerror}); choose another --out") from None
    return Evaluation(report(what, figures, classifier), record, out)
