"""Is it just copying? Each sample's nearest training image, against the same for real test digits.

A generator that memorised its training set would draw images almost on top of training
images: much nearer to their nearest training image than new real digits (the test set,
never trained on) are to theirs. One that learned the distribution draws new digits: their
distances look like the test digits'. Distances are Euclidean, between (N, 784) images in
[0, 1] (a pixel-perfect copy is at 0; two different handwritten 7s are at about 5 to 8).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tf_gan.eval.metrics import check_images, squared_distances

RARE = 0.01  # "closer than almost any test digit": nearer than the closest 1% of them


@dataclass(frozen=True)
class Nearest:
    """For each query image: where its nearest image in the pool is, and how far."""

    indices: np.ndarray  # (n,) int
    distances: np.ndarray  # (n,) float


def nearest(queries: np.ndarray, pool: np.ndarray) -> Nearest:
    """The nearest image of `pool` to each of `queries`, by Euclidean distance (ties: the first).

    The search runs in float32, half the memory and time of float64 over 55,000 training
    images; its |x|^2 + |s|^2 - 2 x.s loses the last digits of tiny distances, so each
    winner's distance is computed again directly, in float64.
    """
    queries = check_images(queries, "queries").astype(np.float32)
    pool = check_images(pool, "pool").astype(np.float32)
    norms = (pool * pool).sum(1)
    indices = np.concatenate([block.argmin(1) for block in squared_distances(queries, pool, norms)])
    gaps = queries.astype(np.float64) - pool[indices].astype(np.float64)
    return Nearest(indices, np.sqrt((gaps * gaps).sum(1)))


@dataclass(frozen=True)
class Copying:
    """How near samples lie to the training set, beside how near real test digits do."""

    samples: Nearest
    test: Nearest
    median_sample: float  # median distance of a sample to its nearest training image
    median_test: float  # the same for the real test digits
    rare_distance: float  # the distance only RARE of the test digits come closer than
    share_closer: float  # the share of samples closer than that: about RARE, unless G copies

    def summary(self) -> str:
        """One line a person reads."""
        return (f"nearest training image: median distance {self.median_sample:.2f} for samples, "
                f"{self.median_test:.2f} for real test digits; {100 * self.share_closer:.1f}% of "
                f"samples are nearer than all but {100 * RARE:.0f}% of test digits "
                "(a copier: far more)")


def copying(samples: np.ndarray, train: np.ndarray, test: np.ndarray) -> Copying:
    """Nearest training images of `samples` and of real `test` digits; figures comparing them."""
    found, real = nearest(samples, train), nearest(test, train)
    rare = float(np.quantile(real.distances, RARE))
    return Copying(found, real, median_sample=float(np.median(found.distances)),
                   median_test=float(np.median(real.distances)), rare_distance=rare,
                   share_closer=float(np.mean(found.distances < rare)))
