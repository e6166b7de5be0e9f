"""The generator's input: random vectors z, and for a conditional GAN the digits asked for."""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np

Prior = Literal["uniform", "normal", "uniform_sqrt3"]
PRIORS: tuple[str, ...] = get_args(Prior)  # the same names, for checks and messages


def sample_z(m: int, n: int, rng: np.random.Generator, prior: Prior = "uniform") -> np.ndarray:
    """`m` noise vectors of length `n`: uniform on [-1, 1] (wiseodd, gfg) or N(0, 1) (golbin, Keras).

    "uniform_sqrt3" is uniform on [-sqrt(3), sqrt(3)]: variance 1, as N(0, 1) has. It is the
    GAN paper's own noise: its ``mnist.yaml`` asks for ``noise: 'uniform'`` (goodfeli/adversarial).

    A seeded `rng` replaces the posts' global ``np.random`` so a run can be repeated.
    """
    if prior == "uniform":
        return rng.uniform(-1.0, 1.0, size=(m, n)).astype(np.float32)
    if prior == "normal":
        return rng.standard_normal(size=(m, n)).astype(np.float32)
    if prior == "uniform_sqrt3":
        return rng.uniform(-np.sqrt(3.0), np.sqrt(3.0), size=(m, n)).astype(np.float32)
    raise ValueError(f"unknown prior {prior!r}: use one of {', '.join(PRIORS)}")


def balanced_digits(n: int) -> np.ndarray:
    """0, 1, ..., 9, 0, 1, ...: `n` digits to ask a conditional GAN for, each as often as any."""
    return np.arange(n) % 10


def straight_path(z0: np.ndarray, z1: np.ndarray, steps: int) -> np.ndarray:
    """`steps` noise vectors evenly spaced on the line from `z0` to `z1`, both ends exactly.

    Halfway along, the vector is shorter than either end: in 100 dimensions two random
    vectors are nearly at right angles, so the midpoint's length is about 0.71 of theirs,
    a length G hardly ever saw in training.
    """
    t = np.linspace(0.0, 1.0, steps)[:, None]
    return ((1.0 - t) * z0 + t * z1).astype(np.float32)


def spherical_path(z0: np.ndarray, z1: np.ndarray, steps: int) -> np.ndarray:
    """`steps` noise vectors on the great circle from `z0` to `z1` (slerp), both ends exactly.

    It turns at constant speed from one direction to the other (White, 2016, "Sampling
    generative networks"), so between two vectors of equal length every vector on the way
    has that length too: typical of the noise G was trained on, all along the path.
    """
    z0, z1 = np.asarray(z0, np.float64), np.asarray(z1, np.float64)
    cos = np.dot(z0, z1) / (np.linalg.norm(z0) * np.linalg.norm(z1))
    omega = np.arccos(np.clip(cos, -1.0, 1.0))
    t = np.linspace(0.0, 1.0, steps)[:, None]
    if np.sin(omega) < 1e-6:  # (anti)parallel: no single great circle, the straight line will do
        return straight_path(z0, z1, steps)
    path = (np.sin((1.0 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)
    return path.astype(np.float32)
