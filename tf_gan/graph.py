"""Graph mode on today's TensorFlow: a fresh seeded graph and a session for it.

TensorFlow 2 runs eagerly by default; the posts' code (placeholders, ``Session``,
``feed_dict``) needs a graph. The library builds each model in its own ``tf.Graph``
so nothing leaks between runs or tests; a lesson may instead switch the whole
process to graph mode with :func:`graph_mode`, as a TF1 script would be.
"""

from __future__ import annotations

import tensorflow as tf

tf1 = tf.compat.v1


def graph_mode(seed: int) -> None:
    """Work as TensorFlow 1 did: a fresh, seeded default graph, built first and run in a Session later.

    Resetting the default graph lets a notebook run the lesson again from the top
    without "Variable D_W1 already exists" from get_variable.
    """
    tf1.disable_eager_execution()
    tf1.reset_default_graph()
    tf.config.experimental.enable_op_determinism()
    tf1.set_random_seed(seed)


def seeded_graph(seed: int) -> tf.Graph:
    """A new graph whose random initialisers are fixed by `seed`, deterministic on CPU."""
    tf.config.experimental.enable_op_determinism()
    graph = tf.Graph()
    with graph.as_default():
        tf1.set_random_seed(seed)
    return graph


def set_threads(threads: int) -> None:
    """Use `threads` CPU threads in this process, instead of TensorFlow's choice of one per core.

    The count decides how TensorFlow splits a large sum, so it changes the last bits of
    the results: a fixed count takes the number of cores out of them (another CPU still
    rounds differently: docs/command-line.md, Repeatable). And two 1-thread runs side by side on two
    cores get more done than two runs that each try to use both. TensorFlow fixes its
    thread pools when it first runs anything, so call this first.
    """
    from tf_gan.errors import TfGanError

    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:
        raise TfGanError("--threads must be set before TensorFlow runs anything: "
                         "use it from the command line, in a fresh process") from None


def session(graph: tf.Graph | None = None) -> tf1.Session:
    """A Session on `graph` (default: the current default graph)."""
    return tf1.Session(graph=graph)
