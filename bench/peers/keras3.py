"""Keras 3 peer for `make bench`: the GAN iteration as the Keras posts write it, with train_on_batch.

Backend TensorFlow. Models are ``keras.Sequential``; D ends in a sigmoid and is compiled with
``binary_crossentropy`` as in the posts (Keras takes the logits behind the sigmoid, so the loss is
the exact sigmoid cross-entropy on logits). The combined model z -> D(G(z)) is compiled after
``D.trainable = False``, with G's own Adam.

Keras 3 surprise: ``trainable`` is read when a model's train function is first traced, not at
``compile()`` as in Keras 2. Written exactly like the posts, D's first train_on_batch runs while
``D.trainable`` is False, so D has no trainable weights and never learns (Keras only warns). The
loop therefore sets ``D.trainable = True`` before D's updates and ``False`` before the combined
model's, the usual Keras 3 fix (after the first trace the flag no longer changes anything).

keras_gan: two D updates per iteration (real batch, label 1; then G's fakes from
``predict_on_batch``, or ``predict`` with --predict, label 0), then ``combined.train_on_batch``.
wiseodd: its one D update is one train_on_batch on the concatenated real+fake batch with labels
[1..., 0...]. That loss is the mean over 256 rows, half of wiseodd's sum of two means; Adam is
blind to that factor (up to epsilon), and the reported D loss is doubled to match wiseodd's.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import tensorflow as tf
from worker import parser, report  # bench/peers/worker.py


def parse_args() -> argparse.Namespace:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--predict", action="store_true",
                   help="fakes from generator.predict (as the posts) instead of predict_on_batch")
    return p.parse_args()


def build(setting: str) -> tuple["keras.Model", "keras.Model", "keras.Model", int]:
    """(generator, discriminator, combined, z_dim), compiled in the posts' order."""
    import keras
    from keras import layers

    if setting == "wiseodd":
        G = keras.Sequential([keras.Input((100,)), layers.Dense(128, activation="relu"),
                              layers.Dense(784, activation="sigmoid")], name="generator")
        D = keras.Sequential([keras.Input((784,)), layers.Dense(128, activation="relu"),
                              layers.Dense(1, activation="sigmoid")], name="discriminator")
        adam = lambda: keras.optimizers.Adam(learning_rate=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-8)  # TF1 defaults
        metrics = []
    else:
        G = keras.Sequential([keras.Input((100,))], name="generator")
        for units in (256, 512, 1024):
            G.add(layers.Dense(units))
            G.add(layers.LeakyReLU(negative_slope=0.2))
            G.add(layers.BatchNormalization(momentum=0.8))  # epsilon 1e-3 is Keras' default
        G.add(layers.Dense(784, activation="tanh"))
        D = keras.Sequential([keras.Input((784,)), layers.Dense(512), layers.LeakyReLU(negative_slope=0.2),
                              layers.Dense(256), layers.LeakyReLU(negative_slope=0.2),
                              layers.Dense(1, activation="sigmoid")], name="discriminator")
        adam = lambda: keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)  # epsilon 1e-7: Keras' default
        metrics = ["accuracy"]  # the posts log D's accuracy
    D.compile(loss="binary_crossentropy", optimizer=adam(), metrics=metrics)
    D.trainable = False
    z = keras.Input((100,))
    combined = keras.Model(z, D(G(z)))
    combined.compile(loss="binary_crossentropy", optimizer=adam())
    return G, D, combined, 100


def main() -> None:
    args = parse_args()
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    import keras

    keras.utils.set_random_seed(0)  # the same initial weights every run
    images = np.load(args.images)
    G, D, combined, z_dim = build(args.setting)
    rng = np.random.default_rng(0)
    bs = 128
    ones, zeros = np.ones((bs, 1), np.float32), np.zeros((bs, 1), np.float32)
    both = np.concatenate([ones, zeros])

    def noise() -> np.ndarray:
        if args.setting == "wiseodd":
            return rng.uniform(-1.0, 1.0, (bs, z_dim)).astype(np.float32)
        return rng.normal(0.0, 1.0, (bs, z_dim)).astype(np.float32)

    def fakes(z: np.ndarray) -> np.ndarray:
        return G.predict(z, verbose=0) if args.predict else G.predict_on_batch(z)  # inference mode: moving BN stats

    def iteration() -> tuple[float, float]:
        real = images[rng.integers(0, len(images), bs)]
        D.trainable = True
        if args.setting == "wiseodd":
            d = 2.0 * float(D.train_on_batch(np.concatenate([real, fakes(noise())]), both))
        else:
            d_real = D.train_on_batch(real, ones)[0]
            d_fake = D.train_on_batch(fakes(noise()), zeros)[0]
            d = 0.5 * float(d_real + d_fake)  # the posts' printed D loss
        D.trainable = False
        g = combined.train_on_batch(noise(), ones)
        return d, float(g)

    for _ in range(args.warmup):
        iteration()
    start = time.perf_counter()
    for _ in range(args.iters):
        d_loss, g_loss = iteration()  # train_on_batch returns numbers: every call has finished
    seconds = time.perf_counter() - start
    report("keras3", args.setting, args.iters, seconds, d_loss, g_loss, keras.__version__,
           tensorflow=tf.__version__, predict=args.predict, threads=args.threads)


if __name__ == "__main__":
    main()
