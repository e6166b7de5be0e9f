"""tf_gan's own MNIST classifier: the judge behind the sample-quality figures of evaluate.py.

The classifier score needs its class probabilities and the Fréchet distance its 256
penultimate features, so tf_gan trains one itself rather than downloading a model: a
small convnet in the posts' graph style, on MNIST's 60,000 training images only (the
test images stay unseen, so its test accuracy is an honest one), seeded and
deterministic. It is trained once per machine and cached as ``weights.npz`` plus
``classifier.json`` (version, test accuracy, SHA-256 of the weights and of the training
data); a damaged cache, one from another version or from other data is retrained.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tf_gan.data import IMAGE_SIDE, NUM_CLASSES, RawMnist, unit_images
from tf_gan.files import atomic_path, write_json
from tf_gan.graph import seeded_graph, session, tf, tf1
from tf_gan.layers import dense
from tf_gan.eval.metrics import check_images

log = logging.getLogger(__name__)

VERSION = "1"  # change with the network or the training schedule: caches of another version are retrained
FILTERS = (32, 64)  # of the two convolutions
FEATURES = 256  # width of the penultimate layer, the features of the Fréchet distance
PREDICT_BATCH = 1000
WEIGHTS = "weights.npz"
INFO = "classifier.json"
DEFAULT_CACHE_ROOT = Path("out")
CACHE_ENV = "TF_GAN_CACHE"


@dataclass(frozen=True)
class Schedule:
    """How the classifier is trained; the defaults are VERSION's (99.30% test accuracy in 2-3 minutes)."""

    epochs: float = 3.0
    batch_size: int = 50
    learning_rate: float = 1e-3
    decay: float = 0.5  # learning rate multiplied by this after every epoch
    dropout: float = 0.25  # on the features, in training only
    seed: int = 0


@dataclass(frozen=True)
class Predictions:
    probs: np.ndarray  # (N, 10) float64 p(y|x)
    features: np.ndarray  # (N, 256) float64, the penultimate layer after ReLU


@dataclass
class Classifier:
    """Trained weights by variable name, and what is known about them (``info``, the cache's JSON)."""

    weights: dict[str, np.ndarray]
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def test_accuracy(self) -> float:
        return float(self.info["test_accuracy"])

    def predict(self, images: np.ndarray, batch_size: int = PREDICT_BATCH) -> Predictions:
        """Class probabilities and features of (N, 784) images in [0, 1], in batches of `batch_size`."""
        images = check_images(images, "images")
        graph = seeded_graph(0)  # the initialisers are never run, but determinism wants every random op seeded
        with graph.as_default():
            x = tf1.placeholder(tf.float32, [None, IMAGE_SIDE * IMAGE_SIDE], name="X")
            logits, features = network(x, training=False)
            outputs = (tf.nn.softmax(logits), features)
            load = _loader(tf1.global_variables())
        graph.finalize()
        with session(graph) as sess:
            load(sess, self.weights)
            batches = [sess.run(outputs, {x: images[i:i + batch_size]}) for i in range(0, len(images), batch_size)]
        probs, feats = (np.concatenate(parts).astype(np.float64) for parts in zip(*batches))
        return Predictions(probs, feats)


# --------------------------------------------------------------------------- the network


def conv(inputs: tf.Tensor, size: int, filters: int, name: str) -> tf.Tensor:
    """ReLU(conv2d) with 'valid' padding and a Glorot-uniform kernel, then 2x2 max pooling."""
    with tf1.variable_scope(name):
        kernel = tf1.get_variable("kernel", [size, size, int(inputs.shape[-1]), filters],
                                  initializer=tf1.glorot_uniform_initializer())
        bias = tf1.get_variable("bias", [filters], initializer=tf1.zeros_initializer())
        h = tf.nn.relu(tf.nn.conv2d(inputs, kernel, strides=1, padding="VALID") + bias)
        return tf.nn.max_pool2d(h, ksize=2, strides=2, padding="VALID")


def network(x: tf.Tensor, training: bool, dropout: float = 0.0) -> tuple[tf.Tensor, tf.Tensor]:
    """(logits, features) of (batch, 784) images: conv 5x5x32 -> pool -> conv 5x5x64 -> pool -> 256 -> 10.

    'Valid' padding keeps the maps small (24 -> 12 -> 8 -> 4), which is what makes
    training fit in minutes on two CPU cores.
    """
    with tf1.variable_scope("classifier"):
        h = tf.reshape(x, [-1, IMAGE_SIDE, IMAGE_SIDE, 1])
        h = conv(conv(h, 5, FILTERS[0], "conv1"), 5, FILTERS[1], "conv2")
        features = dense(tf.reshape(h, [-1, int(np.prod(h.shape[1:]))]), FEATURES, tf.nn.relu, name="features")
        kept = tf.nn.dropout(features, rate=dropout) if training and dropout > 0 else features
        return dense(kept, NUM_CLASSES, name="logits"), features


def _loader(variables: list[tf.Variable]):
    """An op that sets `variables` from numpy arrays by name; returns load(sess, weights)."""
    feeds = {v.op.name: tf1.placeholder(v.dtype.base_dtype, v.shape) for v in variables}
    op = tf.group(*[v.assign(feeds[v.op.name]) for v in variables])

    def load(sess: tf1.Session, weights: dict[str, np.ndarray]) -> None:
        sess.run(op, {feeds[name]: weights[name] for name in feeds})

    return load


# --------------------------------------------------------------------------- training


def train_classifier(raw: RawMnist, schedule: Schedule = Schedule(), steps: int | None = None) -> Classifier:
    """Train on `raw`'s training images (never the test images), then measure test accuracy.

    `steps` overrides the schedule's length: tests train a weak classifier in seconds.
    """
    x = unit_images(raw.train_images)
    y = raw.train_labels.astype(np.int64)
    per_epoch = max(1, len(x) // schedule.batch_size)
    steps = steps if steps is not None else int(round(schedule.epochs * per_epoch))
    graph = seeded_graph(schedule.seed)
    with graph.as_default():
        X = tf1.placeholder(tf.float32, [None, IMAGE_SIDE * IMAGE_SIDE], name="X")
        Y = tf1.placeholder(tf.int64, [None], name="Y")
        lr = tf1.placeholder(tf.float32, [], name="learning_rate")
        logits, _ = network(X, training=True, dropout=schedule.dropout)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=Y, logits=logits))
        variables = tf1.trainable_variables()
        step = tf1.train.AdamOptimizer(lr).minimize(loss, var_list=variables)
        init = tf1.global_variables_initializer()
    graph.finalize()
    rng = np.random.default_rng(schedule.seed)
    start = time.perf_counter()
    with session(graph) as sess:
        sess.run(init)
        order = np.empty(0, dtype=np.int64)
        for i in range(steps):
            if i % per_epoch == 0:
                order = rng.permutation(len(x))
            if i and i % max(1, steps // 12) == 0:  # minutes in all: say how far it has got, a dozen times
                log.info("  classifier: %d%% trained", round(100 * i / steps))
            picked = order[(i % per_epoch) * schedule.batch_size:][:schedule.batch_size]
            rate = schedule.learning_rate * schedule.decay ** (i // per_epoch)
            sess.run(step, {X: x[picked], Y: y[picked], lr: rate})
        weights = dict(zip([v.op.name for v in variables], sess.run(variables)))
    seconds = time.perf_counter() - start
    classifier = Classifier(weights)
    test = classifier.predict(unit_images(raw.test_images))
    accuracy = float(np.mean(test.probs.argmax(1) == raw.test_labels))
    classifier.info = {"version": VERSION, "test_accuracy": accuracy, "train_seconds": round(seconds, 1),
                       "steps": steps, "schedule": schedule.__dict__, "weights_sha256": weights_digest(weights),
                       "data_sha256": data_digest(raw)}
    log.info("classifier trained in %.0f s (%d steps): test accuracy %.2f%%", seconds, steps, 100 * accuracy)
    return classifier


# --------------------------------------------------------------------------- the cache


def cache_dir(directory: Path | str | None = None) -> Path:
    """`directory`, else $TF_GAN_CACHE/classifier, else out/classifier."""
    if directory is not None:
        return Path(directory)
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE_ROOT) / "classifier"


def weights_digest(weights: dict[str, np.ndarray]) -> str:
    """SHA-256 of the arrays themselves (names, dtypes, shapes, bytes), independent of the .npz's zip metadata."""
    digest = hashlib.sha256()
    for name in sorted(weights):
        array = np.ascontiguousarray(weights[name])
        digest.update(f"{name}:{array.dtype.str}:{array.shape};".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def data_digest(raw: RawMnist) -> str:
    """SHA-256 of the training images and labels: a classifier is reused only for the data it was trained on."""
    digest = hashlib.sha256()
    for array in (raw.train_images, raw.train_labels.astype(np.int64)):
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def save(classifier: Classifier, directory: Path | str) -> None:
    """Weights first, JSON last: the JSON's checksum is what makes a cache valid."""
    directory = Path(directory)
    with atomic_path(directory / WEIGHTS) as tmp, open(tmp, "wb") as f:
        np.savez(f, **{name.replace("/", "."): w for name, w in classifier.weights.items()})
    write_json(directory / INFO, classifier.info)


def load(directory: Path | str, raw: RawMnist) -> Classifier | None:
    """The cached classifier, or None (with the reason logged) if missing, damaged, stale or for other data."""
    directory = Path(directory)
    if not (directory / INFO).exists():
        return None
    try:
        info = json.loads((directory / INFO).read_text())
        info = info if isinstance(info, dict) else {}
        with np.load(directory / WEIGHTS, allow_pickle=False) as npz:
            weights = {name.replace(".", "/"): npz[name] for name in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as e:
        log.warning("%s: unreadable classifier cache (%s); training it again", directory, e)
        return None
    problem = (f"version {info.get('version')!r}, not {VERSION!r}" if info.get("version") != VERSION
               else "weights do not match their checksum" if info.get("weights_sha256") != weights_digest(weights)
               else "trained on other data" if info.get("data_sha256") != data_digest(raw)
               else None)
    if problem:
        log.warning("%s: cached classifier %s; training it again", directory, problem)
        return None
    return Classifier(weights, info)


def load_or_train(raw: RawMnist, directory: Path | str | None = None, schedule: Schedule = Schedule()) -> Classifier:
    """The cached classifier for `raw`, training and caching it first if there is none (a few minutes, once)."""
    directory = cache_dir(directory)
    cached = load(directory, raw)
    if cached is not None:
        return cached
    log.info("training tf_gan's MNIST classifier: 2-3 minutes, once (cached in %s)", directory)
    classifier = train_classifier(raw, schedule)
    save(classifier, directory)
    return classifier
