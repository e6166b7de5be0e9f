"""Paired comparison of two loops over seeds: the mean difference and its 95% interval.

Each seed trains once with each loop; the two runs of a seed share their initial weights,
batches and noise, so their difference is compared seed by seed (a paired t interval),
which removes most of the seed-to-seed spread from the question. Student's t quantile is
computed here (numpy only: the project has no SciPy) by integrating its density.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np


def t_cdf(t: float, df: int) -> float:
    """P(T <= t) for Student's t with `df` degrees of freedom (Simpson's rule on the density)."""
    if t < 0:
        return 1.0 - t_cdf(-t, df)
    log_norm = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    x = np.linspace(0.0, t, 2001)  # an even number of intervals
    density = np.exp(log_norm - (df + 1) / 2 * np.log1p(x * x / df))
    weights = np.ones_like(x)
    weights[1:-1:2], weights[2:-1:2] = 4, 2
    return 0.5 + float(np.sum(weights * density) * (x[1] - x[0]) / 3)


def t_quantile(p: float, df: int) -> float:
    """The t with P(T <= t) = p (bisection on t_cdf), for 0.5 <= p < 1."""
    low, high = 0.0, 1000.0
    for _ in range(100):
        middle = (low + high) / 2
        low, high = (middle, high) if t_cdf(middle, df) < p else (low, middle)
    return (low + high) / 2


@dataclass
class Paired:
    """Differences b - a over the seeds both loops trained."""

    seeds: list[int]
    differences: list[float]
    mean: float
    sd: float  # seed-to-seed standard deviation of the difference
    se: float  # standard error of the mean difference
    low: float  # the 95% interval of the mean difference
    high: float
    b_ahead: int  # seeds on which b scored higher

    def as_dict(self) -> dict:
        return asdict(self)

    def line(self, a: str, b: str) -> str:
        return (f"{b} - {a}: mean {self.mean:+.3f} (95% interval {self.low:+.3f} to {self.high:+.3f}; "
                f"sd {self.sd:.3f}, se {self.se:.3f}) over {len(self.seeds)} seeds; "
                f"{b} ahead on {self.b_ahead} of {len(self.seeds)}")


def paired(a: dict[int, float], b: dict[int, float], level: float = 0.95) -> Paired:
    """The paired t interval of mean(b - a) over the seeds that both `a` and `b` have (at least two)."""
    seeds = sorted(set(a) & set(b))
    if len(seeds) < 2:
        raise ValueError(f"a paired interval needs at least two seeds in both, got {len(seeds)}")
    d = np.array([b[s] - a[s] for s in seeds], dtype=np.float64)
    sd = float(d.std(ddof=1))
    se = sd / math.sqrt(len(d))
    half = t_quantile(0.5 + level / 2, len(d) - 1) * se
    mean = float(d.mean())
    return Paired(seeds, d.tolist(), mean, sd, se, mean - half, mean + half, int(np.sum(d > 0)))
