"""make bench: one GAN training iteration, timed in every implementation side by side.

    python bench/run.py [--reps 3] [--settings wiseodd,keras_gan] [--impls classic,fast,...] [--out out/bench]

Each measurement is a fresh worker process (bench/tf_loops.py for tf_gan's loops,
bench/peers/*.py for Keras 3, PyTorch and JAX), so no framework sees another's threads
or memory. Repetitions are interleaved (every implementation once, then again) so that
a machine that slows down hurts all of them alike; the table gives the median
iterations per second, its ratio to tf_gan's fast loop, and the worker's peak resident
memory. The ceiling is the iteration's multiply-adds (counted from the graph) over the
multiply-adds per second of one large float32 matrix product on this machine: what the
iteration would reach if it were nothing but perfectly efficient matrix products.
Writes out/bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tf_gan.data import load_mnist  # noqa: E402  (numpy only: no TensorFlow in this process)

SETTINGS = {  # iterations timed, after the warm-up (compilation, first allocations)
    "wiseodd": {"iters": 2000, "warmup": 200, "pixel_range": "01", "validation_size": 5000},
    "keras_gan": {"iters": 300, "warmup": 40, "pixel_range": "pm1", "validation_size": 0},
}
TF_LOOPS = ("classic", "fast", "fast_no_xla")  # tf_gan's loops: the posts', the default, the default uncompiled
PEERS = {"keras3": "keras3.py", "torch": "torch_gan.py", "jax": "jax_gan.py"}
PEER_MODULES = {"keras3": "keras", "torch": "torch", "jax": "jax"}


def installed(module: str) -> bool:
    """Whether `module` imports in the venv, asked in a child so this process stays light."""
    return subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode == 0


def run_worker(argv: list[str]) -> tuple[dict, float]:
    """Run one worker; its JSON line and its peak resident memory in MiB (wait4 reports the child's own)."""
    with tempfile.TemporaryFile("w+") as err:  # a file, not a pipe: a chatty worker cannot fill it and stall
        proc = subprocess.Popen([sys.executable, *argv], cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        if code:
            err.seek(0)
            raise RuntimeError(f"{' '.join(argv)} failed (exit {code}):\n{err.read()[-2000:]}")
    return json.loads(out.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def command(impl: str, setting: str, images: Path) -> list[str]:
    s = SETTINGS[setting]
    common = ["--setting", setting, "--iters", str(s["iters"]), "--warmup", str(s["warmup"])]
    if impl in TF_LOOPS:
        return ["bench/tf_loops.py", "--loop", impl, *common]
    return [f"bench/peers/{PEERS[impl]}", "--images", str(images), *common]


def save_images(setting: str, path: str) -> None:
    """The setting's training images, scaled as it trains on them, for the peers to load."""
    s = SETTINGS[setting]
    mnist = load_mnist("bundled", seed=0, validation_size=s["validation_size"], pixel_range=s["pixel_range"])
    np.save(path, mnist.train.images.astype(np.float32))


def gemm_macs_per_second(n: int = 2048, repeats: int = 10) -> float:
    """The best float32 matrix product here: numpy's BLAS and TensorFlow's, the faster of the two."""
    a, b = (np.random.default_rng(i).random((n, n), dtype=np.float32) for i in range(2))
    a @ b
    best = min(timed(lambda: a @ b) for _ in range(repeats))
    del a, b
    tf_rate = run_worker(["bench/tf_loops.py", "--gemm"])[0]["macs_per_second"]
    return max(n**3 / best, tf_rate)


def timed(fn) -> float:
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="interleaved repetitions (default 3)")
    parser.add_argument("--settings", default=",".join(SETTINGS))
    parser.add_argument("--impls", default=",".join([*TF_LOOPS, *PEERS]))
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench")
    parser.add_argument("--save-images", nargs=2, metavar=("SETTING", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.save_images:
        return save_images(*args.save_images)
    settings = args.settings.split(",")
    impls = [i for i in args.impls.split(",") if i in TF_LOOPS or installed(PEER_MODULES[i])]
    for missing in sorted(set(args.impls.split(",")) - set(impls)):
        print(f"{missing}: not installed, skipped (pip install -r bench/requirements.txt)")
    args.out.mkdir(parents=True, exist_ok=True)

    images = {s: args.out / f"images-{s}.npy" for s in settings}
    for setting, path in images.items():  # in a child: a worker's peak memory would include ours
        subprocess.run([sys.executable, __file__, "--save-images", setting, str(path)], check=True)

    macs_per_second = gemm_macs_per_second()
    macs = {s: run_worker(["bench/tf_loops.py", "--setting", s, "--count"])[0]["macs"] for s in settings}
    its: dict[str, dict[str, list[float]]] = {s: {i: [] for i in impls} for s in settings}
    memory: dict[str, dict[str, float]] = {s: {i: 0.0 for i in impls} for s in settings}
    for rep in range(args.reps):
        for setting in settings:
            for impl in impls:
                line, mib = run_worker(command(impl, setting, images[setting]))
                its[setting][impl].append(line["its"])
                memory[setting][impl] = max(memory[setting][impl], mib)
                print(f"rep {rep + 1}/{args.reps}  {setting:9s} {impl:8s} {line['its']:8.1f} it/s  "
                      f"{mib:6.0f} MiB  (final D loss {line['final_d_loss']:.3f})", flush=True)

    results = {s: {**{i: statistics.median(v) for i, v in its[s].items()}, "ceiling": macs_per_second / macs[s]}
               for s in settings}
    details = {"runs": its, "peak_mib": memory, "macs_per_iteration": macs, "cpus": os.cpu_count(),
               "gemm_gflops": 2 * macs_per_second / 1e9, "reps": args.reps}
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "details.json").write_text(json.dumps(details, indent=2) + "\n")
    print(table(results, details, settings, impls))
    print(f"\nwritten: {args.out / 'results.json'} and details.json (every run, memory, multiply-adds)")


def table(results: dict, details: dict, settings: list[str], impls: list[str]) -> str:
    """Markdown: it/s (median), ratio to the fast loop, peak memory, and the ceiling."""
    lines = ["| setting | implementation | it/s (median) | vs fast | peak memory |", "|---|---|---:|---:|---:|"]
    for s in settings:
        r = results[s]
        for impl in impls:
            lines.append(f"| {s} | {impl} | {r[impl]:.0f} | {r[impl] / r['fast']:.2f}x | "
                         f"{details['peak_mib'][s][impl]:.0f} MiB |")
        lines.append(f"| {s} | ceiling: {details['macs_per_iteration'][s] / 1e6:.0f}M multiply-adds per iteration | "
                     f"{r['ceiling']:.0f} | {r['ceiling'] / r['fast']:.2f}x | |")
    return "\n".join(lines) + f"\n\nfloat32 GEMM here: {details['gemm_gflops']:.0f} GFLOP/s on {details['cpus']} cores"


if __name__ == "__main__":
    main()
