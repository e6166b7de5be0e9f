"""A progress bar with steps per second and the time left, from tqdm.

The bar draws itself only on a terminal; in a log file or CI it stays silent and the
training loop's log lines (which carry the same rate and time left) tell the story.
"""

from __future__ import annotations

import time

from tqdm import tqdm

SHOW = True  # a pool of runs (compare-losses) turns the bars off: several at once would garble the terminal


def bar(total: int, initial: int = 0, desc: str = "") -> tqdm:
    """A bar over `total` steps that starts at `initial` (a resumed run is already part of the way)."""
    return tqdm(total=total, initial=initial, desc=desc, unit="step", dynamic_ncols=True, disable=None if SHOW else True,
                smoothing=0.05)


def duration(seconds: float) -> str:
    """Seconds as h:mm:ss or m:ss, the way the bar shows them."""
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def speed(done: int, left: int, began: float) -> str:
    """"  (150 it/s, 1:05 left)" for a log line; nothing after the first step, whose time is mostly set-up."""
    if done < 2:
        return ""
    rate = done / (time.perf_counter() - began)
    return f"  ({rate:.0f} it/s, {duration(left / rate)} left)"
