"""Ctrl-C and SIGTERM: finish the current step, save a checkpoint, then stop.

Without this, Ctrl-C raises KeyboardInterrupt wherever Python happens to be, and a
laptop lid (SIGTERM from the session manager) kills the run outright: everything
since the last checkpoint is lost. Here the first signal only sets a flag that the
training loop reads between iterations. A second one is handled the usual way (Ctrl-C
raises KeyboardInterrupt at once), so a stuck run can always be stopped; every file
is written atomically, so even then nothing on disk is half-written.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

from tf_gan.run.hooks.base import Context, Hook

log = logging.getLogger(__name__)

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopRequest:
    """Passes the first SIGINT or SIGTERM to `on_signal`; the next one is handled the usual way."""

    def __init__(self, on_signal: Callable[[int], None]) -> None:
        self.on_signal = on_signal
        self._previous: dict[int, object] = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.on_signal(signum)
        self._restore()  # the next signal acts as if we were not here
        log.warning("%s: stopping after this step and saving a checkpoint (press Ctrl-C again to stop at once)",
                    signal.Signals(signum).name)

    def _restore(self) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()


@contextlib.contextmanager
def stop_request(on_signal: Callable[[int], None]) -> Iterator[StopRequest]:
    """Catch SIGINT/SIGTERM for the duration of the block (only the main thread may; elsewhere, a no-op)."""
    request = StopRequest(on_signal)
    if threading.current_thread() is threading.main_thread():
        for signum in SIGNALS:
            request._previous[signum] = signal.signal(signum, request._handle)
    try:
        yield request
    finally:
        request._restore()


class StopOnSignal(Hook):
    """Ctrl-C or SIGTERM asks the loop to stop after its current step (fast loop: block).

    The checkpoint hook then saves a checkpoint, and the trainer raises Interrupted with
    the command that continues the run.
    """

    def begin(self, ctx: Context) -> None:
        ctx.closing.enter_context(stop_request(ctx.request_stop))  # our handlers go when the run ends, however
