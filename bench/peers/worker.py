"""What every benchmark worker shares: its command line and the one JSON line it prints.

bench/run.py starts each worker as ``python WORKER --setting S --images PATH --iters N
--warmup W`` and reads the last line of its output.
"""

from __future__ import annotations

import argparse
import json
import os


def parser(description: str) -> argparse.ArgumentParser:
    """The flags every peer takes; a peer adds its own."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--setting", choices=("wiseodd", "keras_gan"), required=True)
    p.add_argument("--images", required=True, help="float32 .npy of shape (N, 784), already in the setting's range")
    p.add_argument("--iters", type=int, default=200)
    p.add_argument("--warmup", type=int, default=50)
    p.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    return p


def report(impl: str, setting: str, iters: int, seconds: float, d_loss: float, g_loss: float, version: str,
           **extra: object) -> None:
    """The worker's result, one JSON line: iterations per second, and the last losses to show it trained."""
    print(json.dumps({"impl": impl, "setting": setting, "its": iters / seconds, "iters": iters, "seconds": seconds,
                      "version": version, "final_d_loss": float(d_loss), "final_g_loss": float(g_loss), **extra}))
