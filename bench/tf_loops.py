"""Worker: time tf_gan's own loops (classic, fast, fast without XLA) on one recipe's settings.

    python bench/tf_loops.py --setting wiseodd --loop fast --iters 2000 --warmup 200

Prints one JSON line, like the peers in bench/peers/. The loops run as ``train`` runs them,
in blocks that end at every log row (wiseodd: 100 iterations, keras_gan: 20), without the
guard's weight check: the posts' loops have none, so the comparison is loop against loop.
``--count`` prints the work of one iteration instead: the multiply-adds of its matrix
products, counted from the fast loop's graph. ``--gemm`` prints what this machine's cores do at
best: float32 multiply-adds per second in one large matrix product.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time

import numpy as np

import tf_gan  # noqa: F401  (quiets TensorFlow's start-up messages)
from tf_gan.run import loops
from tf_gan.data import load_mnist
from tf_gan.graph import seeded_graph, session, set_threads, tf, tf1
from tf_gan.recipes import get
from peers.worker import report  # the peers' JSON line


def build(name: str, loop: str, xla: bool, data: str):
    recipe = get(name)
    base = recipe.Config()
    mnist = load_mnist(data, seed=0, validation_size=base.validation_size, pixel_range=base.pixel_range)
    cfg = base.resolved(mnist.train.num_examples)
    graph = seeded_graph(0)
    with graph.as_default():
        gan = recipe.build(cfg)
        runner = loops.make(loop, recipe, cfg, gan, mnist.train, np.random.default_rng(0), xla)
        init = tf1.global_variables_initializer()
    graph.finalize()
    return recipe, cfg, gan, runner, graph, init


def iterate(sess, runner, cfg, first: int, count: int) -> dict[str, float]:
    """`count` iterations in the blocks a training run would use; the last iteration's metrics."""
    end = first + count
    lengths = [min(cfg.log_every, end - start) for start in range(first, end, cfg.log_every)]
    for length, then in zip(lengths, [*lengths[1:], 0]):
        block = runner.run(sess, first, length, lambda it, m: None, lambda: False, then)
        first += length
    return block.metrics[-1]


def matmul_macs(op: tf.Operation, batch: int) -> int:
    """Multiply-adds of one MatMul; the batch is its one unknown dimension."""
    a, b = ([d if d is not None else batch for d in t.shape.as_list()] for t in op.inputs[:2])
    m, k = a[::-1] if op.get_attr("transpose_a") else a
    n = b[0] if op.get_attr("transpose_b") else b[1]
    return m * k * n


def macs_per_iteration(name: str) -> int:
    """The matrix products of one fast-loop iteration: recipe.iteration built once, outside any loop.

    Everything its outputs need is counted, and nothing else: the same work the compiled loop does.
    """
    recipe = get(name)
    cfg = recipe.Config().resolved(60_000)
    with seeded_graph(0).as_default():
        gan = recipe.build(cfg)
        X = tf1.placeholder(tf.float32, [None, 784])
        outputs = recipe.iteration(cfg, gan, X, lambda: tf1.placeholder(tf.float32, [None, cfg.z_dim]))
    seen, todo = set(), [t.op for t in outputs.values()]
    while todo:
        op = todo.pop()
        if op not in seen:
            seen.add(op)
            todo += [t.op for t in op.inputs] + list(op.control_inputs)
    return sum(matmul_macs(op, cfg.batch_size) for op in seen if op.type == "MatMul")


def gemm_macs_per_second(n: int = 2048, repeats: int = 10) -> float:
    """The best of `repeats` (n x n) @ (n x n) float32 products: n**3 multiply-adds each."""
    a, b = (tf.random.uniform([n, n]) for _ in range(2))
    tf.linalg.matmul(a, b).numpy()  # warm-up
    best = math.inf
    for _ in range(repeats):
        began = time.perf_counter()
        tf.linalg.matmul(a, b).numpy()
        best = min(best, time.perf_counter() - began)
    return n**3 / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setting", choices=["wiseodd", "keras_gan"], default="wiseodd")
    parser.add_argument("--loop", choices=["classic", "fast", "fast_no_xla"], default="fast")
    parser.add_argument("--iters", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--data", default="bundled")
    parser.add_argument("--count", action="store_true", help="print the multiply-adds of one iteration")
    parser.add_argument("--gemm", action="store_true", help="print the machine's float32 multiply-adds per second")
    args = parser.parse_args()
    set_threads(args.threads)
    if args.count:
        print(json.dumps({"setting": args.setting, "macs": macs_per_iteration(args.setting)}))
        return
    if args.gemm:
        print(json.dumps({"macs_per_second": gemm_macs_per_second()}))
        return
    loop, xla = ("classic", False) if args.loop == "classic" else ("fast", args.loop == "fast")
    recipe, cfg, gan, runner, graph, init = build(args.setting, loop, xla, args.data)
    with session(graph) as sess:
        sess.run(init)
        runner.start(sess)
        iterate(sess, runner, cfg, 0, args.warmup)
        began = time.perf_counter()
        last = iterate(sess, runner, cfg, args.warmup, args.iters)
        seconds = time.perf_counter() - began
    report(args.loop, args.setting, args.iters, seconds, last["D_loss"], last["G_loss"], tf.__version__)


if __name__ == "__main__":
    main()
