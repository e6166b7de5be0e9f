"""Variables and layers the way the posts declare them, on ``tf.compat.v1.get_variable``.

On TensorFlow >= 2.16, ``tf.compat.v1.layers.dense`` and ``batch_normalization`` raise
"not available with Keras 3". tf_gan provides small equivalents here instead of
depending on ``tf_keras`` (which only works if ``TF_USE_LEGACY_KERAS=1`` is set before
TensorFlow is first imported: a notebook that imported TensorFlow earlier silently gets
the wrong Keras). These are a few lines each and cover what the posts use: (batch,
features) inputs, the same arguments where they exist, the same defaults and the same
variable names (``dense/kernel``, ``batch_normalization/moving_mean``, ...), with the
moving-average updates in ``UPDATE_OPS`` as TF1 did. Not covered: inputs of other ranks,
``axis``, ``center`` / ``scale``, regularizers and constraints, and a ``training`` flag
that is a tensor (here it is a Python bool: build the graph once per mode).
"""

from __future__ import annotations

from collections.abc import Callable

from tf_gan.graph import tf, tf1


INITS = ("xavier", "post")  # wiseodd's weights: as the post's retelling shows them, or as the author's own code


def weight_var(shape: list[int], name: str, init: str = "xavier") -> tf.Variable:
    """A weight matrix: Xavier (Glorot-uniform) as the retelling of wiseodd's post shows, or the author's own.

    Xavier keeps the variance of activations roughly equal from layer to layer
    (Glorot & Bengio, 2010); ``tf.contrib.layers.xavier_initializer`` is gone, this is it.
    ``init="post"``: Kristiadi's own code (his generative-models repository) draws a normal
    with standard deviation ``1 / sqrt(fan_in / 2)``, He et al.'s (2015) scale under Xavier's name.
    """
    return tf1.get_variable(name=name, shape=shape,
                            initializer=post_init if init == "post" else tf1.glorot_uniform_initializer())


def post_init(shape: list[int], dtype: tf.DType = tf.float32, partition_info: object = None) -> tf.Tensor:
    """Kristiadi's ``xavier_init``, as a get_variable initializer: normal, stddev 1 / sqrt(fan_in / 2)."""
    return tf1.random_normal(shape, stddev=1. / (shape[0] / 2.) ** 0.5, dtype=dtype)


def bias_var(shape: list[int], name: str) -> tf.Variable:
    """A bias vector starting at zero."""
    return tf1.get_variable(name=name, shape=shape, initializer=tf1.constant_initializer(0.0))


def dense(
    inputs: tf.Tensor,
    units: int,
    activation: Callable[[tf.Tensor], tf.Tensor] | None = None,
    use_bias: bool = True,
    kernel_initializer: object | None = None,
    bias_initializer: object | None = None,
    name: str | None = None,
    reuse: bool | None = None,
) -> tf.Tensor:
    """``tf.layers.dense``: activation(inputs @ kernel + bias), Glorot-uniform kernel, zero bias.

    Unnamed layers are called dense, dense_1, ... inside the current variable scope;
    re-entering that scope with ``reuse=True`` finds the same variables again.
    """
    _check_rank_2(inputs, "dense")
    with tf1.variable_scope(name, default_name="dense", reuse=reuse):
        kernel = tf1.get_variable("kernel", [int(inputs.shape[-1]), units],
                                  initializer=kernel_initializer or tf1.glorot_uniform_initializer())
        outputs = tf.matmul(inputs, kernel)
        if use_bias:
            bias = tf1.get_variable("bias", [units], initializer=bias_initializer or tf1.zeros_initializer())
            outputs = outputs + bias
        return activation(outputs) if activation is not None else outputs


def batch_norm(
    inputs: tf.Tensor,
    *,
    training: bool = False,
    momentum: float = 0.99,
    epsilon: float = 1e-3,
    name: str | None = None,
    reuse: bool | None = None,
    unbiased_moving_variance: bool = False,
) -> tf.Tensor:
    """``tf.layers.batch_normalization`` over the last axis of a (batch, features) tensor.

    Training mode normalises with the batch's own mean and variance and adds ops that
    move ``moving_mean`` / ``moving_variance`` towards them to ``UPDATE_OPS`` (run them
    with the optimizer, as TF1 code does with ``control_dependencies``). Inference mode
    normalises with the moving statistics and updates nothing. New = momentum * old +
    (1 - momentum) * batch, so Keras' momentum 0.8 forgets fast. `unbiased_moving_variance`:
    the moving variance moves toward the batch variance times n / (n - 1 - epsilon), as Keras 2's
    ``BatchNormalization`` did (its "unbiased estimator"); the batch itself is still
    normalised with the plain batch variance.
    """
    _check_rank_2(inputs, "batch_norm")
    if not isinstance(training, bool):
        raise TypeError("batch_norm: training must be True or False; build the graph once for each mode")
    features = [int(inputs.shape[-1])]
    with tf1.variable_scope(name, default_name="batch_normalization", reuse=reuse):
        gamma = tf1.get_variable("gamma", features, initializer=tf1.ones_initializer())
        beta = tf1.get_variable("beta", features, initializer=tf1.zeros_initializer())
        stats = dict(trainable=False, collections=[tf1.GraphKeys.GLOBAL_VARIABLES,
                                                   tf1.GraphKeys.MOVING_AVERAGE_VARIABLES])
        moving_mean = tf1.get_variable("moving_mean", features, initializer=tf1.zeros_initializer(), **stats)
        moving_variance = tf1.get_variable("moving_variance", features, initializer=tf1.ones_initializer(), **stats)
        if training:
            mean, variance = tf.nn.moments(inputs, axes=[0])
            moved = variance
            if unbiased_moving_variance:
                n = tf.cast(tf.shape(inputs)[0], inputs.dtype)
                moved = variance * (n / (n - (1.0 + epsilon)))
            for var, value in ((moving_mean, mean), (moving_variance, moved)):
                tf1.add_to_collection(tf1.GraphKeys.UPDATE_OPS,
                                      tf1.assign(var, var * momentum + value * (1.0 - momentum)))
        else:
            mean, variance = moving_mean, moving_variance
        return tf.nn.batch_normalization(inputs, mean, variance, beta, gamma, epsilon)


def _check_rank_2(inputs: tf.Tensor, layer: str) -> None:
    if inputs.shape.rank != 2:
        raise ValueError(f"{layer}: expects (batch, features) inputs, got shape {inputs.shape}; flatten first")
