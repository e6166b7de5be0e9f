"""JAX peer for `make bench`: the GAN iteration jitted, many iterations per call with lax.scan.

The idiomatic fast way in JAX: pure functions of parameter pytrees, one ``jax.jit`` of a
``lax.scan`` over a chunk of iterations (default 100), the training images as one device
array, batch indices and noise drawn with ``jax.random`` inside the scan. Python is out of the
loop, so the number is what XLA's CPU code does, with no per-op dispatch.

Written by hand (no optax, no flax), a few lines each: Glorot-uniform init with zero biases;
Adam with TF1/Keras semantics (bias correction folded into the step size, epsilon outside the
square root; its step counter advances on every update, so D's counts two per keras_gan
iteration as Keras' does); sigmoid cross-entropy on logits in TF's stable form; and for
keras_gan BatchNorm (batch statistics with the biased variance in training mode and moving
averages updated with momentum 0.8; moving statistics in inference mode).
"""

from __future__ import annotations

import argparse
import math
import os
import time
from functools import partial

from worker import parser, report  # bench/peers/worker.py


def parse_args() -> argparse.Namespace:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--chunk", type=int, default=100, help="iterations per jitted call (lax.scan length)")
    return p.parse_args()  # --iters is rounded to whole chunks; the warm-up is at least one (the compile)


ARGS = parse_args() if __name__ == "__main__" else None
if ARGS is not None and ARGS.threads < (os.cpu_count() or 1):  # XLA sizes its CPU thread pool at start: set it first
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false"
                               f" intra_op_parallelism_threads={ARGS.threads}").strip()

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

Params = list[dict[str, jax.Array]]
BS, Z_DIM = 128, 100
LEAK = 0.2


def init_mlp(key: jax.Array, sizes: list[int]) -> Params:
    """One {"w", "b"} per Dense layer: Glorot-uniform kernel, zero bias."""
    layers = []
    for k, n_in, n_out in zip(jax.random.split(key, len(sizes) - 1), sizes[:-1], sizes[1:]):
        limit = math.sqrt(6.0 / (n_in + n_out))
        layers.append({"w": jax.random.uniform(k, (n_in, n_out), minval=-limit, maxval=limit), "b": jnp.zeros(n_out)})
    return layers


def bce(logits: jax.Array, label: float) -> jax.Array:
    """tf.nn.sigmoid_cross_entropy_with_logits, averaged: max(l, 0) - l*y + log(1 + exp(-|l|))."""
    return jnp.mean(jnp.maximum(logits, 0) - logits * label + jnp.log1p(jnp.exp(-jnp.abs(logits))))


def adam_init(params: Params) -> dict:
    zeros = lambda: jax.tree.map(jnp.zeros_like, params)  # two sets of buffers: the state is donated
    return {"m": zeros(), "v": zeros(), "t": jnp.zeros((), jnp.int32)}


def adam_update(params: Params, grads: Params, state: dict, lr: float, b1: float, b2: float, eps: float):
    """TF1 AdamOptimizer / Keras Adam: lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t); p -= lr_t * m / (sqrt(v) + eps)."""
    t = state["t"] + 1
    m = jax.tree.map(lambda m, g: b1 * m + (1 - b1) * g, state["m"], grads)
    v = jax.tree.map(lambda v, g: b2 * v + (1 - b2) * g * g, state["v"], grads)
    lr_t = lr * jnp.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    params = jax.tree.map(lambda p, m, v: p - lr_t * m / (jnp.sqrt(v) + eps), params, m, v)
    return params, {"m": m, "v": v, "t": t}


# wiseodd -----------------------------------------------------------------------------------------

def wiseodd_G(gp: Params, z: jax.Array) -> jax.Array:
    return jax.nn.sigmoid(jax.nn.relu(z @ gp[0]["w"] + gp[0]["b"]) @ gp[1]["w"] + gp[1]["b"])


def wiseodd_D(dp: Params, x: jax.Array) -> jax.Array:
    return jax.nn.relu(x @ dp[0]["w"] + dp[0]["b"]) @ dp[1]["w"] + dp[1]["b"]


def wiseodd_step(state: dict, real: jax.Array, z1: jax.Array, z2: jax.Array) -> tuple[dict, tuple]:
    """One D update on (real, G(z1)) with the summed loss, then one G update on fresh noise."""
    adam = partial(adam_update, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8)
    d_loss = lambda dp: bce(wiseodd_D(dp, real), 1.0) + bce(wiseodd_D(dp, wiseodd_G(state["G"], z1)), 0.0)
    d, grads = jax.value_and_grad(d_loss)(state["D"])
    D, d_opt = adam(state["D"], grads, state["d_opt"])
    g, grads = jax.value_and_grad(lambda gp: bce(wiseodd_D(D, wiseodd_G(gp, z2)), 1.0))(state["G"])
    G, g_opt = adam(state["G"], grads, state["g_opt"])
    return {**state, "D": D, "G": G, "d_opt": d_opt, "g_opt": g_opt}, (d, g)


# keras_gan ---------------------------------------------------------------------------------------

def keras_G(gp: Params, bn: list[dict], z: jax.Array, training: bool) -> tuple[jax.Array, list[dict]]:
    """(Dense -> LeakyReLU -> BatchNorm) x 3, Dense 784 tanh; returns the new moving statistics too."""
    h, new_bn = z, []
    for layer, stats in zip(gp[:3], bn):
        h = jax.nn.leaky_relu(h @ layer["w"] + layer["b"], LEAK)
        if training:
            mean, var = jnp.mean(h, axis=0), jnp.var(h, axis=0)
            stats = {"mean": 0.8 * stats["mean"] + 0.2 * mean, "var": 0.8 * stats["var"] + 0.2 * var}
        else:
            mean, var = stats["mean"], stats["var"]
        h = (h - mean) * jax.lax.rsqrt(var + 1e-3) * layer["gamma"] + layer["beta"]
        new_bn.append(stats)
    return jnp.tanh(h @ gp[3]["w"] + gp[3]["b"]), new_bn


def keras_D(dp: Params, x: jax.Array) -> jax.Array:
    h = jax.nn.leaky_relu(x @ dp[0]["w"] + dp[0]["b"], LEAK)
    h = jax.nn.leaky_relu(h @ dp[1]["w"] + dp[1]["b"], LEAK)
    return h @ dp[2]["w"] + dp[2]["b"]


def keras_step(state: dict, real: jax.Array, z1: jax.Array, z2: jax.Array) -> tuple[dict, tuple]:
    """Fakes in inference mode; D on real (1), D on fakes (0), one Adam; G in training mode through D."""
    adam = partial(adam_update, lr=2e-4, b1=0.5, b2=0.999, eps=1e-7)
    fake, _ = keras_G(state["G"], state["bn"], z1, training=False)
    d_real, grads = jax.value_and_grad(lambda dp: bce(keras_D(dp, real), 1.0))(state["D"])
    D, d_opt = adam(state["D"], grads, state["d_opt"])
    d_fake, grads = jax.value_and_grad(lambda dp: bce(keras_D(dp, fake), 0.0))(D)
    D, d_opt = adam(D, grads, d_opt)

    def g_loss(gp: Params) -> tuple[jax.Array, list[dict]]:
        x, bn = keras_G(gp, state["bn"], z2, training=True)
        return bce(keras_D(D, x), 1.0), bn

    (g, bn), grads = jax.value_and_grad(g_loss, has_aux=True)(state["G"])
    G, g_opt = adam(state["G"], grads, state["g_opt"])
    return {**state, "D": D, "G": G, "bn": bn, "d_opt": d_opt, "g_opt": g_opt}, (0.5 * (d_real + d_fake), g)


def init_state(setting: str, key: jax.Array) -> dict:
    kg, kd, key = jax.random.split(key, 3)
    if setting == "wiseodd":
        G, D, bn = init_mlp(kg, [100, 128, 784]), init_mlp(kd, [784, 128, 1]), []
    else:
        G, D = init_mlp(kg, [100, 256, 512, 1024, 784]), init_mlp(kd, [784, 512, 256, 1])
        for layer in G[:3]:
            layer["gamma"], layer["beta"] = jnp.ones_like(layer["b"]), jnp.zeros_like(layer["b"])
        bn = [{"mean": jnp.zeros_like(layer["b"]), "var": jnp.ones_like(layer["b"])} for layer in G[:3]]
    return {"G": G, "D": D, "bn": bn, "d_opt": adam_init(D), "g_opt": adam_init(G), "key": key}


@partial(jax.jit, static_argnames=("setting", "length"), donate_argnums=0)
def train_chunk(state: dict, images: jax.Array, setting: str, length: int) -> tuple[dict, tuple]:
    """`length` iterations in one compiled call; returns the new state and every iteration's losses."""
    step = wiseodd_step if setting == "wiseodd" else keras_step

    def body(state: dict, _: None) -> tuple[dict, tuple]:
        key, k_idx, k1, k2 = jax.random.split(state["key"], 4)
        real = images[jax.random.randint(k_idx, (BS,), 0, images.shape[0])]
        if setting == "wiseodd":
            z1, z2 = (jax.random.uniform(k, (BS, Z_DIM), minval=-1.0, maxval=1.0) for k in (k1, k2))
        else:
            z1, z2 = jax.random.normal(k1, (BS, Z_DIM)), jax.random.normal(k2, (BS, Z_DIM))
        return step({**state, "key": key}, real, z1, z2)

    return jax.lax.scan(body, state, None, length=length)


def main() -> None:
    args = ARGS
    images = jnp.asarray(np.load(args.images))
    state = init_state(args.setting, jax.random.key(0))
    chunk = min(args.chunk, args.iters)
    n_chunks = max(1, round(args.iters / chunk))
    for _ in range(max(1, math.ceil(args.warmup / chunk))):  # the first call compiles
        state, losses = train_chunk(state, images, args.setting, chunk)
    jax.block_until_ready(losses)
    start = time.perf_counter()
    for _ in range(n_chunks):
        state, losses = train_chunk(state, images, args.setting, chunk)
    jax.block_until_ready((state, losses))
    seconds = time.perf_counter() - start
    d_losses, g_losses = losses
    report("jax", args.setting, n_chunks * chunk, seconds, d_losses[-1], g_losses[-1], jax.__version__,
           chunk=chunk, threads=args.threads)


if __name__ == "__main__":
    main()
