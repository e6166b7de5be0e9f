"""Sample-quality figures for generated digits, in numpy: what "it worked" means, measured.

A GAN's losses say little about its samples, so these look at the samples themselves,
through tf_gan's MNIST classifier where a figure needs one:

* classifier score, the Inception score on MNIST (Salimans et al., 2016): high when each
  sample is clearly one digit and the digits are varied; 1 at worst, 10 at best;
* Fréchet distance between the classifier's features of samples and of real digits
  (Heusel et al., 2017): 0 when their means and covariances agree;
* the predicted-class histogram: which digits the generator makes, and how many it
  makes at all (mode collapse shows as classes with almost no samples);
* for a conditional generator, per digit asked for, the share of samples read as that digit;
* Parzen-window log-likelihood of the test digits (Goodfellow et al., 2014), the figure
  the GAN paper reports (225 +- 2 nats for its MNIST GAN).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from tf_gan.errors import TfGanError

PIXELS = 784
MIN_SHARE = 0.01  # a class "is hit" when it holds at least 1% of the samples
PARZEN_SIGMAS = tuple(np.logspace(-1, 0, 10))  # the grid sigma is chosen from on validation images
PARZEN_BATCH = 500  # evaluated images per block: a (500, 10000) float64 block is 40 MB


class MetricsError(TfGanError):
    """Images, probabilities or features that a figure cannot be computed from."""


def check_images(images: np.ndarray, name: str = "images") -> np.ndarray:
    """`images` as float (N, 784) with every value a number in [0, 1], or a one-line MetricsError."""
    images = np.asarray(images)
    if images.ndim != 2 or images.shape[1] != PIXELS or len(images) == 0:
        raise MetricsError(f"{name}: shape {images.shape}, expected (N, {PIXELS}) flattened 28x28 images, N >= 1")
    if not np.issubdtype(images.dtype, np.number) or np.issubdtype(images.dtype, np.complexfloating):
        raise MetricsError(f"{name}: dtype {images.dtype}, expected real numbers in [0, 1]")
    images = images.astype(np.float32) if images.dtype != np.float64 else images
    if not np.isfinite(images).all():
        raise MetricsError(f"{name}: {int(np.sum(~np.isfinite(images)))} values are NaN or infinite")
    low, high = float(images.min()), float(images.max())
    if low < 0 or high > 1:
        hint = "; divide 0..255 pixels by 255" if high > 1 and high <= 255 and low >= 0 else ""
        raise MetricsError(f"{name}: values from {low:g} to {high:g}, expected [0, 1]{hint}")
    return images


def check_probs(probs: np.ndarray) -> np.ndarray:
    """(N, classes) rows of probabilities (non-negative, summing to 1) as float64."""
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim != 2 or probs.size == 0:
        raise MetricsError(f"probabilities: shape {probs.shape}, expected (N, classes) with N >= 1")
    if not np.isfinite(probs).all() or probs.min() < 0 or not np.allclose(probs.sum(1), 1.0, atol=1e-4):
        raise MetricsError("probabilities: every row must be finite, non-negative and sum to 1")
    return probs


def classifier_score(probs: np.ndarray) -> float:
    """exp(E_x KL(p(y|x) || p(y))), between 1 and the number of classes.

    Confident predictions (low entropy of p(y|x)) over a balanced mix of classes (high
    entropy of p(y)) score high: it rewards samples that look like some digit, and
    all the digits.
    """
    probs = check_probs(probs)
    marginal = probs.mean(0)
    positive = probs > 0  # 0 log 0 = 0; where p(y|x) > 0, p(y) > 0 too
    log_ratio = np.log(probs, out=np.zeros_like(probs), where=positive) - np.log(marginal, out=np.zeros_like(marginal),
                                                                                   where=marginal > 0)
    return float(np.exp(np.where(positive, probs * log_ratio, 0.0).sum(1).mean()))


@dataclass(frozen=True)
class ClassHistogram:
    counts: list[int]  # samples predicted as each class
    classes_hit: int  # classes with at least MIN_SHARE of the samples


def class_histogram(probs: np.ndarray) -> ClassHistogram:
    """How many samples the classifier calls each digit, and how many digits get at least 1% of them.

    A generator that collapsed onto a few modes makes few digits, however good they look.
    """
    probs = check_probs(probs)
    counts = np.bincount(probs.argmax(1), minlength=probs.shape[1])
    return ClassHistogram(counts.tolist(), int(np.sum(counts >= MIN_SHARE * len(probs))))


@dataclass(frozen=True)
class AskedDigits:
    """How often a conditional generator drew the digit asked for, as the classifier reads it."""

    shares: list[float | None]  # per digit asked, 0 to 9: the share read as it (None: not asked)
    counts: list[int]  # samples asked for each digit
    mean: float  # the mean share over the digits asked for
    lowest: float  # the smallest of those shares


def asked_digit_shares(probs: np.ndarray, asked: np.ndarray) -> AskedDigits:
    """Per digit asked for, the share of its samples whose most probable class is that digit.

    Real digits of one class score about the classifier's accuracy on that class (99% and
    more); a generator that ignores its label scores about the share of that digit among
    whatever it draws (10% for a balanced mix).
    """
    probs = check_probs(probs)
    asked = np.asarray(asked)
    classes = probs.shape[1]
    if asked.shape != (len(probs),) or not np.issubdtype(asked.dtype, np.integer):
        raise MetricsError(f"asked digits: shape {asked.shape} and dtype {asked.dtype}, expected "
                           f"{len(probs)} whole numbers, one per sample")
    if asked.min() < 0 or asked.max() >= classes:
        raise MetricsError(f"asked digits: from {asked.min()} to {asked.max()}, "
                           f"expected 0 to {classes - 1}")
    counts = np.bincount(asked, minlength=classes)
    hits = np.bincount(asked, weights=probs.argmax(1) == asked, minlength=classes)
    shares = [float(h / c) if c else None for h, c in zip(hits, counts)]
    present = [share for share in shares if share is not None]
    return AskedDigits(shares, counts.tolist(), float(np.mean(present)), float(min(present)))


def _check_features(features: np.ndarray, name: str) -> np.ndarray:
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2 or len(features) < 2:
        raise MetricsError(f"{name}: shape {features.shape}, expected (N, features) with N >= 2")
    if not np.isfinite(features).all():
        raise MetricsError(f"{name}: features hold NaN or infinite values")
    return features


def _psd_sqrt(matrix: np.ndarray) -> np.ndarray:
    """Square root of a symmetric positive semi-definite matrix; rounding's tiny negative eigenvalues count as 0."""
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T


def frechet_distance(features1: np.ndarray, features2: np.ndarray) -> float:
    """Fréchet distance of Gaussians fitted to two feature sets (the FID formula).

    ||m1 - m2||^2 + tr(S1) + tr(S2) - 2 tr((S1^1/2 S2 S1^1/2)^1/2). The last trace is that
    of (S1 S2)^1/2, computed through symmetric eigendecompositions, which stay real and
    stable where a general matrix square root of S1 S2 would not.
    """
    f1, f2 = _check_features(features1, "features1"), _check_features(features2, "features2")
    if f1.shape[1] != f2.shape[1]:
        raise MetricsError(f"features of different widths: {f1.shape[1]} and {f2.shape[1]}")
    s1, s2 = np.cov(f1, rowvar=False), np.cov(f2, rowvar=False)
    root1 = _psd_sqrt(s1)
    middle = root1 @ s2 @ root1
    cross = np.sqrt(np.clip(np.linalg.eigvalsh((middle + middle.T) / 2), 0, None)).sum()
    distance = np.sum((f1.mean(0) - f2.mean(0)) ** 2) + np.trace(s1) + np.trace(s2) - 2 * cross
    return float(max(distance, 0.0))


# --------------------------------------------------------------------------- Parzen window


@dataclass(frozen=True)
class ParzenResult:
    sigma: float  # the window width chosen on the validation images
    mean: float  # mean log-likelihood of the test images, in nats
    stderr: float  # its standard error: std / sqrt(number of test images)
    validation: dict[float, float]  # mean validation log-likelihood for every sigma tried


def squared_distances(x: np.ndarray, samples: np.ndarray,
                      sample_norms: np.ndarray) -> Iterator[np.ndarray]:
    """Blocks of ||x - s||^2 = |x|^2 + |s|^2 - 2 x.s, in float64 so the cancellation loses nothing that matters."""
    for i in range(0, len(x), PARZEN_BATCH):
        block = x[i:i + PARZEN_BATCH]
        d = (block * block).sum(1)[:, None] + sample_norms[None, :] - 2.0 * (block @ samples.T)
        yield np.maximum(d, 0.0)


def _log_mean_exp(a: np.ndarray) -> np.ndarray:
    top = a.max(1)
    return top + np.log(np.exp(a - top[:, None]).mean(1))


def parzen_log_likelihoods(x: np.ndarray, samples: np.ndarray, sigmas: tuple[float, ...]) -> np.ndarray:
    """(len(sigmas), len(x)) log p(x) under a Gaussian window of each sigma over `samples`.

    log p(x) = log mean_i exp(-||x - s_i||^2 / (2 sigma^2)) - d/2 log(2 pi sigma^2):
    the density of an equal mixture of isotropic Gaussians, one on every sample.
    Distances are computed once per block and reused for every sigma.
    """
    x = check_images(x, "evaluated images").astype(np.float64)
    samples = check_images(samples, "samples").astype(np.float64)
    norms = (samples * samples).sum(1)
    out = np.empty((len(sigmas), len(x)))
    start = 0
    for d in squared_distances(x, samples, norms):
        for k, sigma in enumerate(sigmas):
            normaliser = PIXELS / 2 * np.log(2 * np.pi * sigma**2)
            out[k, start:start + len(d)] = _log_mean_exp(-d / (2 * sigma**2)) - normaliser
        start += len(d)
    return out


def parzen(samples: np.ndarray, validation: np.ndarray, test: np.ndarray,
           sigmas: tuple[float, ...] = PARZEN_SIGMAS) -> ParzenResult:
    """Goodfellow et al.'s Parzen-window estimate: sigma chosen on `validation`, then the test log-likelihood.

    A Gaussian window over the samples gives the generator a density, which no GAN has
    otherwise; the paper fits it to 10,000 samples. It is a weak measure in 784
    dimensions (the paper says so too) but the one the original results are given in.
    """
    on_validation = parzen_log_likelihoods(validation, samples, sigmas).mean(1)
    best = int(np.argmax(on_validation))
    ll = parzen_log_likelihoods(test, samples, (sigmas[best],))[0]
    stderr = float(ll.std(ddof=1) / np.sqrt(len(ll))) if len(ll) > 1 else float("nan")
    return ParzenResult(float(sigmas[best]), float(ll.mean()), stderr,
                        {float(s): float(v) for s, v in zip(sigmas, on_validation)})


MONITOR_SIGMA = 0.2  # the paper's code watches its run with this fixed width (Generator's ll_sigma) ...
MONITOR_SAMPLES = 100  # ... and this many fresh samples per monitoring batch (ll_n_samples)


def parzen_monitor(samples: np.ndarray, validation: np.ndarray, sigma: float = MONITOR_SIGMA,
                   per_batch: int = MONITOR_SAMPLES) -> float:
    """The paper's own training monitor (``monitor_ll``, channel ``valid_gen_ll``): a cheap, rough Parzen figure.

    pylearn2 walks the held-out digits in batches; for each batch the paper's Generator draws
    `per_batch` new samples and scores the batch under a window of fixed width `sigma` over
    them; the channel is the mean. Here batch k of `per_batch` digits gets samples
    k*per_batch ... (k+1)*per_batch - 1, so 10,000 digits use 10,000 samples, each once.
    """
    batches = len(validation) // per_batch
    if batches < 1 or len(samples) < batches * per_batch:
        raise MetricsError(f"the monitor needs {per_batch} samples per {per_batch} held-out digits; got "
                         f"{len(samples)} samples for {len(validation)} digits")
    scores = [parzen_log_likelihoods(validation[k * per_batch:(k + 1) * per_batch],
                                     samples[k * per_batch:(k + 1) * per_batch], (sigma,))[0]
              for k in range(batches)]
    return float(np.concatenate(scores).mean())
