"""Toy games in one and two dimensions: the data, a small training loop, and mode coverage.

On MNIST a GAN's progress can only be judged from grids of digits. In one or two
dimensions everything can be drawn: the data density, the generator's density, the
discriminator's verdict at every point, and where each fake sample is pushed. These are
the pictures of Goodfellow et al. (2014, Figure 1) and of GAN Lab (Kahng et al., 2018).
Lessons 6 and 7 build the graphs; this module is their plumbing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tf_gan.graph import tf1
from tf_gan.noise import Prior, sample_z
from tf_gan.recipes.base import Gan, alternating_step
from tf_gan.toy.graph import ToyGan


# The data: mixtures of round Gaussians ------------------------------------------------


@dataclass(frozen=True)
class Mixture:
    """Equal-weight Gaussians with one standard deviation, in 1 or 2 dimensions.

    A single Gaussian is a mixture with one mode; the ring and the grid have 8 and 25.
    Knowing where the modes are is what lets us *count* which of them a generator found.
    """

    centers: np.ndarray  # (modes, dim)
    std: float

    @property
    def dim(self) -> int:
        return int(self.centers.shape[1])

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """`n` points, float32 (n, dim): a mode chosen uniformly, then Gaussian noise around it."""
        modes = rng.integers(0, len(self.centers), size=n)
        noise = rng.standard_normal(size=(n, self.dim)) * self.std
        return (self.centers[modes] + noise).astype(np.float32)

    def density(self, x: np.ndarray) -> np.ndarray:
        """The true density p_data at points x (n, dim): the curve or heat map to compare G with."""
        x = np.asarray(x, dtype=np.float64).reshape(len(x), self.dim)
        sq = ((x[:, None, :] - self.centers[None, :, :]) ** 2).sum(-1) / self.std**2
        norm = (2 * np.pi * self.std**2) ** (self.dim / 2)
        return np.exp(-0.5 * sq).mean(axis=1) / norm


def gaussian_1d(mean: float = 2.0, std: float = 0.5) -> Mixture:
    """One Gaussian on a line: the data of the paper's Figure 1."""
    return Mixture(np.array([[mean]], dtype=np.float64), std)


def ring(modes: int = 8, radius: float = 2.0, std: float = 0.02) -> Mixture:
    """`modes` Gaussians evenly spaced on a circle, the usual test for mode collapse (Metz et al., 2017)."""
    angles = 2 * np.pi * np.arange(modes) / modes
    return Mixture(np.stack([radius * np.cos(angles), radius * np.sin(angles)], axis=1), std)


def grid(side: int = 5, spacing: float = 2.0, std: float = 0.05) -> Mixture:
    """side x side Gaussians on a square lattice centred on 0 (Srivastava et al., 2017, use 5 x 5)."""
    ticks = (np.arange(side) - (side - 1) / 2) * spacing
    xs, ys = np.meshgrid(ticks, ticks)
    return Mixture(np.stack([xs.ravel(), ys.ravel()], axis=1), std)


# Counting modes ------------------------------------------------------------------------

HIT_STDS = 3.0  # a sample "lands on" a mode when it lies within this many standard deviations of its centre
HIT_SHARE = 0.01  # a mode is "hit" when at least this share of all samples lands on it


@dataclass
class Coverage:
    """Which modes a batch of samples reached, by the rule of :func:`coverage`."""

    landed: np.ndarray  # (modes,) how many samples landed on each mode
    hit: np.ndarray  # (modes,) bool: did the mode get its share
    n: int  # samples counted

    @property
    def modes_hit(self) -> int:
        return int(self.hit.sum())

    @property
    def high_quality(self) -> float:
        """Share of samples that landed on some mode: 1.0 means no sample is off the data."""
        return float(self.landed.sum() / self.n) if self.n else 0.0

    def line(self) -> str:
        return f"{self.modes_hit}/{len(self.hit)} modes hit, {self.high_quality:.1%} of samples on a mode"


def coverage(samples: np.ndarray, data: Mixture, stds: float = HIT_STDS, share: float = HIT_SHARE) -> Coverage:
    """Count modes hit: the rule of Srivastava et al. (VEEGAN, 2017), with the threshold written down.

    A sample *lands on* mode m when its distance to m's centre is at most `stds` standard
    deviations (3 by default: a real sample of a 2-D mode lies that close 98.9% of the time,
    of a 1-D mode 99.7%). Modes are far apart, so a sample lands on at most one. Mode m is
    *hit* when at least `share` of all samples (1% by default) landed on it: a lone lucky
    sample does not make a mode covered.
    """
    samples = np.asarray(samples, dtype=np.float64).reshape(-1, data.dim)
    dist = np.sqrt(((samples[:, None, :] - data.centers[None, :, :]) ** 2).sum(-1))
    nearest = dist.argmin(axis=1)
    close = dist[np.arange(len(samples)), nearest] <= stds * data.std
    landed = np.bincount(nearest[close], minlength=len(data.centers))
    return Coverage(landed, landed >= share * len(samples), len(samples))


def lattice(lo: float, hi: float, n: int, dim: int) -> np.ndarray:
    """n evenly spaced points on [lo, hi] (dim 1), or n x n on the square (dim 2, x varying fastest).

    Where D is asked "real or fake?" for the pictures: its curve, or its heat map.
    """
    ticks = np.linspace(lo, hi, n, dtype=np.float32)
    if dim == 1:
        return ticks[:, None]
    xs, ys = np.meshgrid(ticks, ticks)
    return np.stack([xs.ravel(), ys.ravel()], axis=1)


# Training, with a look every few steps ------------------------------------------------------


@dataclass
class Snapshot:
    """What the pictures need at one moment of training: G's samples, their gradients, and D everywhere."""

    step: int
    z: np.ndarray  # the fixed noise
    fake: np.ndarray  # G(z), (n, dim)
    push: np.ndarray  # -d G_loss / d G(z): where G's next update moves each fake, (n, dim)
    points: np.ndarray  # where D was evaluated, (m, dim)
    d: np.ndarray  # D(x) at those points, (m,)
    losses: dict[str, float]  # the last step's, before this look (empty at step 0)

    def loss_text(self) -> str:
        """The losses for a printed line: "D_loss 1.2446  G_loss 0.6773"."""
        return "  ".join(f"{name} {value:.4f}" for name, value in self.losses.items())


def take_snapshot(sess: tf1.Session, gan: ToyGan, z: np.ndarray, points: np.ndarray, step: int,
                  losses: dict[str, float] | None = None, feed: dict | None = None) -> Snapshot:
    """Run the graph once for the pictures: G(z), the gradient of G's loss at those fakes, and D on `points`.

    ``gan.G_grad`` is ``tf.gradients(G_loss, G_sample)[0]``. G_loss is a mean over the
    batch, so we scale by the batch size: each row is then one sample's own gradient.
    """
    fake, grad = sess.run([gan.G_sample, gan.G_grad], {gan.Z: z, **(feed or {})})  # feed: a playable game's knobs
    d = sess.run(gan.D_real, {gan.X: points})
    return Snapshot(step, z, fake, -grad * len(z), points, d.reshape(-1), dict(losses or {}))


def train(sess: tf1.Session, gan: Gan, data: Mixture, steps: int, batch_size: int, rng: np.random.Generator,
          look_every: int, look: Callable[[int, dict[str, float]], None], prior: Prior = "uniform"
          ) -> list[dict[str, float]]:
    """`steps` of the posts' alternating update (one D step, then one G step on fresh noise).

    `look(step, losses)` is called before step 0, every `look_every` steps, and after the
    last step (with `steps`), so a lesson can take a snapshot. The data, the noise and
    the initial weights all come from seeds, so the same seed gives the same numbers.
    Stops early, after a look, if a loss stops being a finite number. Returns every step's losses.
    """
    z_dim = int(gan.Z.shape[1])

    def sample_Z(m: int) -> np.ndarray:
        return sample_z(m, z_dim, rng, prior)

    history: list[dict[str, float]] = []
    for step in range(steps):
        if step % look_every == 0:
            look(step, history[-1] if history else {})
        history.append(alternating_step(sess, gan, data.sample(batch_size, rng), sample_Z, same_noise=False))
        if not np.all(np.isfinite(list(history[-1].values()))):
            look(step + 1, history[-1])
            return history
    look(steps, history[-1] if history else {})
    return history
