# %% [markdown]
# # Lesson 8: ask for a digit, the conditional GAN
#
# After lesson 1 the first question is "can I make it draw a 7?". Lesson 1's generator
# cannot be asked: it turns noise into *some* digit, and which one is the noise's business.
# Mirza and Osindero (2014, *Conditional Generative Adversarial Nets*) give both players
# one more input, the label: G gets the digit to draw beside its noise, and D judges an
# image *together with* the digit it claims to be. A fake 7 that looks like a 3 is now easy
# for D to catch, so G has to learn to draw what it is asked for.
#
# This lesson follows Agustinus Kristiadi's `cgan_tensorflow.py` (his generative-models
# repository, `GAN/conditional_gan/`), the conditional version of lesson 1's network, line
# by line on today's TensorFlow. Two things are new: a third placeholder `y` with the one-hot
# label, and `tf.concat`, which puts the label beside the noise (for G) and beside the
# image (for D). The end of the lesson walks through the noise space: what does z mean,
# once the digit is fixed?
#
# Run it as a script (`python tutorials/08_cgan.py --steps 2000`) or cell by cell.
#
# **Exercises.** A paragraph headed **Exercise 8.N** asks you to predict what a cell will
# show, or to find a bug; write your letter in `prediction`, and the cell after it
# measures the answer and says *pass*, *not yet* (and why) or *not done*. In the
# students' copy (`tutorials/exercises/`) each answer is a blank marked `# exercise 8.N`.

# %% Imports (tf_gan first: it quiets TensorFlow's start-up messages before TensorFlow loads)
import tf_gan  # noqa: F401
from pathlib import Path

import numpy as np
import tensorflow as tf

from tf_gan import exercises, lesson
from tf_gan import graph_mode, load_mnist, save_grid  # the library: what is not the lesson
from tf_gan.eval.nearest import nearest
from tf_gan.noise import spherical_path, straight_path

tf1 = tf.compat.v1  # the TensorFlow 1 API, as the post used it

# %% Settings: the knobs of this lesson
opt = lesson.settings(
    "Lesson 8: ask for a digit, the conditional GAN",
    steps=60000,  # the post trains for 1,000,000 iterations; the digits obey well before that
    sample_every=5000,  # save the pictures this often (the post: every 1,000)
    digit=7,  # the post's pictures are all 7s
    seed=0,  # same seed, same pictures (on the same machine)
    data="auto",  # auto | bundled | tfds | idx:PATH
    out="out/lessons/08_cgan",
)
graph_mode(opt.seed)  # TF1 style: build the graph first, run it later

# %% [markdown]
# ## The data, with its labels
# `one_hot=True` gives every label as ten numbers, all 0 but a 1 at the digit: 7 is
# `[0, 0, 0, 0, 0, 0, 0, 1, 0, 0]`. That is how the label enters the networks: as ten
# more inputs that a weight matrix multiplies, like pixels. The post trains on batches of
# 64, half lesson 1's.

# %%
mnist = load_mnist(opt.data, one_hot=True, seed=opt.seed)
mb_size = 64  # images per step
Z_dim = 100  # numbers of noise per fake
X_dim = mnist.train.images.shape[1]  # 784 = 28 x 28 pixels
y_dim = mnist.train.labels.shape[1]  # 10 digits
h_dim = 128  # hidden units in G and in D
print("training images:", mnist.train.images.shape, " labels:", mnist.train.labels.shape)
print("the first label:", mnist.train.labels[0], "= digit", mnist.train.labels[0].argmax())

# %% [markdown]
# ## The post's initial weights
# The post writes its own `xavier_init`: a normal distribution with standard deviation
# `1 / sqrt(fan_in / 2)`, that is sqrt(2 / fan_in). Despite the name, that is He et al.'s
# (2015) initialisation for ReLU layers; Glorot and Bengio's "Xavier" normal has variance
# 2 / (fan_in + fan_out). We keep the post's, as it is: the weights are plain
# `tf.Variable`s, given names so that TensorBoard and checkpoints say `D_W1`.

# %%
def xavier_init(size):
    fan_in = size[0]
    stddev = 1. / tf.sqrt(fan_in / 2.)
    return tf1.random_normal(shape=size, stddev=stddev)


# %% [markdown]
# ## The discriminator: an image and its label
# `X` holds real images, `y` their labels. D's first layer reads the pixels *and* the
# label's numbers: `tf.concat(axis=1, ...)` joins the two batches side by side, row by
# row, into one wider batch, and `D_W1` multiplies that.
#
# **Exercise 8.1** (predict, then run): what shape must `D_W1` have? (a) (784, 128);
# (b) (794, 128); (c) (784, 138). Write your letter and why, then run the two cells.

# %%
# [solution 8.1] students get: prediction = ...
prediction = "b"
# [end of solution 8.1]

# %%
X = tf1.placeholder(tf.float32, shape=[None, X_dim], name="X")
y = tf1.placeholder(tf.float32, shape=[None, y_dim], name="y")

D_W1 = tf1.Variable(xavier_init([X_dim + y_dim, h_dim]), name="D_W1")
D_b1 = tf1.Variable(tf.zeros(shape=[h_dim]), name="D_b1")
D_W2 = tf1.Variable(xavier_init([h_dim, 1]), name="D_W2")
D_b2 = tf1.Variable(tf.zeros(shape=[1]), name="D_b2")
theta_D = [D_W1, D_W2, D_b1, D_b2]


def discriminator(x, y):
    inputs = tf.concat(axis=1, values=[x, y])
    D_h1 = tf.nn.relu(tf.matmul(inputs, D_W1) + D_b1)
    D_logit = tf.matmul(D_h1, D_W2) + D_b2
    D_prob = tf.nn.sigmoid(D_logit)
    return D_prob, D_logit


exercises.check_prediction("8.1", prediction, D_W1.shape.as_list(),
                           {"a": [784, 128], "b": [794, 128], "c": [784, 138]}, what="D_W1's shape")

# %% [markdown]
# Each row of the joined batch is 784 pixels followed by 10 label numbers, 794 inputs,
# and `D_W1` needs one row of weights per input: (794, 128). A batch of (64, 784) and
# (64, 10) becomes (64, 794).
#
# **Exercise 8.2** (find the bug): a student joins the two with
# `tf.concat(axis=0, values=[x, y])`. What happens? (a) TensorFlow refuses: the shapes
# do not fit; (b) it runs, and D sees the labels as extra images; (c) it runs, and
# nothing changes.

# %%
# [solution 8.2] students get: prediction = ...
prediction = "a"
# [end of solution 8.2]

# %%
exercises.check_prediction(
    "8.2", prediction,
    exercises.what_happens(lambda: tf.concat(axis=0, values=[tf1.placeholder(tf.float32, [None, X_dim]),
                                                             tf1.placeholder(tf.float32, [None, y_dim])])),
    {"a": "error", "b": "runs", "c": "never"}, what="what tf.concat(axis=0, ...) does with (None, 784) and (None, 10)")

# %% [markdown]
# Axis 0 stacks batches *on top of each other*: rows, not columns. That needs the
# same number of columns, and 784 is not 10. (Two inputs of equal width would have
# stacked without a word: that bug would run, and train on nonsense.)

# %% [markdown]
# ## The generator: noise and a label
# The same join on G's side: 100 numbers of noise and 10 of label, 110 inputs.

# %%
Z = tf1.placeholder(tf.float32, shape=[None, Z_dim], name="Z")

G_W1 = tf1.Variable(xavier_init([Z_dim + y_dim, h_dim]), name="G_W1")
G_b1 = tf1.Variable(tf.zeros(shape=[h_dim]), name="G_b1")
G_W2 = tf1.Variable(xavier_init([h_dim, X_dim]), name="G_W2")
G_b2 = tf1.Variable(tf.zeros(shape=[X_dim]), name="G_b2")
theta_G = [G_W1, G_W2, G_b1, G_b2]


def generator(z, y):
    inputs = tf.concat(axis=1, values=[z, y])
    G_h1 = tf.nn.relu(tf.matmul(inputs, G_W1) + G_b1)
    G_log_prob = tf.matmul(G_h1, G_W2) + G_b2
    G_prob = tf.nn.sigmoid(G_log_prob)
    return G_prob


for v in theta_D + theta_G:
    print(f"{v.op.name:5s} {v.shape}")

# %% [markdown]
# ## One `y` for everything
# The same placeholder `y` goes into G and into both calls of D. In training we feed it the
# real batch's labels: D sees real 3s labelled 3, and G is asked for the same digits, so
# D judges "a fake 3" against "a real 3". Then the losses and optimizers are lesson 1's,
# word for word.

# %%
G_sample = generator(Z, y)
D_real, D_logit_real = discriminator(X, y)
D_fake, D_logit_fake = discriminator(G_sample, y)

D_loss_real = tf.reduce_mean(
    tf.nn.sigmoid_cross_entropy_with_logits(logits=D_logit_real, labels=tf.ones_like(D_logit_real)))
D_loss_fake = tf.reduce_mean(
    tf.nn.sigmoid_cross_entropy_with_logits(logits=D_logit_fake, labels=tf.zeros_like(D_logit_fake)))
D_loss = D_loss_real + D_loss_fake
G_loss = tf.reduce_mean(
    tf.nn.sigmoid_cross_entropy_with_logits(logits=D_logit_fake, labels=tf.ones_like(D_logit_fake)))

D_solver = tf1.train.AdamOptimizer().minimize(D_loss, var_list=theta_D)
G_solver = tf1.train.AdamOptimizer().minimize(G_loss, var_list=theta_G)
print("G(z, y):", G_sample.shape, " D(x, y):", D_real.shape)

# %% [markdown]
# **Exercise 8.3** (predict, then run): before any training, give G the *same* noise
# twice, once asking for a 3 and once for a 7. Its two pictures are: (a) identical, since
# an untrained G has not learnt what the label means; (b) different.

# %%
# [solution 8.3] students get: prediction = ...
prediction = "b"
# [end of solution 8.3]

# %%
z_twice = np.repeat(exercises.noise(1, Z_dim), 2, axis=0)
three_and_seven = np.eye(y_dim, dtype=np.float32)[[3, 7]]
pair = exercises.value_before_training(G_sample, {Z: z_twice, y: three_and_seven})
exercises.check_prediction("8.3", prediction, "different" if np.abs(pair[0] - pair[1]).max() > 1e-6 else "same",
                           {"a": "same", "b": "different"}, what="G(z, 3) against G(z, 7) before training")

# %% [markdown]
# The label's ten numbers are inputs like any other: a 3 switches on one row of `G_W1`,
# a 7 another, and random rows add different numbers to the hidden layer. Meaning is
# what training adds: at first the label only changes the noise G turns into a picture.

# %% [markdown]
# ## Training
# Each step draws a batch *with its labels*, `X_mb, y_mb = mnist.train.next_batch(mb_size)`,
# and feeds `y_mb` to both updates, with the same noise for both, as the post does. Every
# `sample_every` steps we save the post's picture, 16 samples all asked to be a 7 (here of
# one fixed batch of noise, so the pictures show the same 7s taking shape), and a ten-column
# one: each row is one noise vector, asked for 0, 1, ..., 9 from left to right.

# %%
rng = np.random.default_rng(opt.seed)


def sample_Z(m, n):
    return rng.uniform(-1., 1., size=[m, n]).astype(np.float32)


sess = tf1.Session()
sess.run(tf1.global_variables_initializer())
out = Path(opt.out)

z_fixed = sample_Z(16, Z_dim)
y_fixed = np.zeros(shape=[16, y_dim], dtype=np.float32)
y_fixed[:, opt.digit] = 1  # every sample asked to be opt.digit

rows = 5
z_rows = np.repeat(sample_Z(rows, Z_dim), 10, axis=0)  # each noise vector ten times ...
y_rows = np.tile(np.eye(10, dtype=np.float32), (rows, 1))  # ... asked for 0, 1, ..., 9


def save_pictures(name):
    save_grid(sess.run(G_sample, feed_dict={Z: z_fixed, y: y_fixed}), out / f"{name}.png")
    digits = sess.run(G_sample, feed_dict={Z: z_rows, y: y_rows})
    return save_grid(digits, out / f"digits_{name}.png", rows, 10)


for it in range(opt.steps):
    if it % opt.sample_every == 0:
        save_pictures(f"{it // opt.sample_every:03d}")

    X_mb, y_mb = mnist.train.next_batch(mb_size)
    Z_sample = sample_Z(mb_size, Z_dim)
    _, D_loss_curr = sess.run([D_solver, D_loss], feed_dict={X: X_mb, Z: Z_sample, y: y_mb})
    _, G_loss_curr = sess.run([G_solver, G_loss], feed_dict={Z: Z_sample, y: y_mb})

    if it % opt.sample_every == 0:
        print(f"Iter: {it}  D loss: {D_loss_curr:.4}  G_loss: {G_loss_curr:.4}")

last = save_pictures("final")
print(f"pictures in {out}/, the last ten-column one is {last}")

# %% [markdown]
# ## Ask for a digit
# Asking is feeding: put a 1 in the digit's column of `y`, and any noise in `Z`.

# %%
def ask(digit, n):
    labels = np.zeros(shape=[n, y_dim], dtype=np.float32)
    labels[:, digit] = 1
    return sess.run(G_sample, feed_dict={Z: sample_Z(n, Z_dim), y: labels})


print("sixteen 3s:", save_grid(ask(3, 16), out / "asked_for_3.png"))

# %% [markdown]
# ## What is z, once the digit is fixed?
# In the ten-column picture each row kept its noise vector while the label changed, and
# the digits in a row share a look: the slant, the stroke width, how round they are. The
# label says *which* digit; z says *how* it is written. One z across all ten digits:

# %%
z_one = np.repeat(sample_Z(1, Z_dim), 10, axis=0)
ten = sess.run(G_sample, feed_dict={Z: z_one, y: np.eye(10, dtype=np.float32)})
print("one z, ten digits:", save_grid(ten, out / "one_z_ten_digits.png", 1, 10))

# %% [markdown]
# Now the other way round: keep the digit and move z. From one noise vector `z0` to another
# `z1` there are two natural paths. The straight line `(1 - t) z0 + t z1` is the obvious
# one; but in 100 dimensions two random vectors are nearly at right angles, so halfway
# along the line the vector is only about 0.71 times as long as its ends: shorter than
# almost any z G saw in training. The spherical path (slerp) turns from one direction to
# the other at constant length instead. The norms tell the difference:

# %%
z0, z1 = sample_Z(2, Z_dim)
steps = 10
paths = {"straight": straight_path(z0, z1, steps), "spherical": spherical_path(z0, z1, steps)}
for name, path in paths.items():
    print(f"{name:9s} |z| along the path:", np.round(np.linalg.norm(path, axis=1), 2))
trained_on = np.linalg.norm(sample_Z(1000, Z_dim), axis=1)
print(f"|z| of the noise G trained on: {trained_on.mean():.2f} on average")

asked = np.zeros(shape=[steps, y_dim], dtype=np.float32)
asked[:, opt.digit] = 1
strips = [sess.run(G_sample, feed_dict={Z: path, y: asked}) for path in paths.values()]
print(f"both paths, asked for {opt.digit}:",
      save_grid(np.concatenate(strips), out / "paths.png", 2, steps))

# %% [markdown]
# ## Is it just copying?
# A generator that memorised its training set would draw images lying almost on top of
# training images. Measure it: for some samples, the distance to the nearest of the 55,000
# training images; and, to know what "near" means, the same for real test digits, which the
# GAN never saw. If the samples are no nearer to the training set than new real digits are,
# G is drawing digits of its own.

# %%
n = 200
samples = np.concatenate([ask(d, n // 10) for d in range(10)])
found = nearest(samples, mnist.train.images)
real = nearest(mnist.test.images[:n], mnist.train.images)
print(f"median distance to the nearest training image: samples {np.median(found.distances):.2f}, "
      f"real test digits {np.median(real.distances):.2f}")
pairs = np.stack([samples[::n // 8][:8], mnist.train.images[found.indices[::n // 8][:8]]])
print("samples over their nearest training images:",
      save_grid(pairs.reshape(16, X_dim), out / "nearest.png", 2, 8))

# %% [markdown]
# ## What next
# * `python -m tf_gan train cgan --steps 60000` trains this same graph (the recipe
#   `tf_gan/recipes/cgan.py` builds it, and a test proves it equal to this lesson's, bit for
#   bit), with a ten-column picture in `digits/` and in `progress.gif`.
# * `python -m tf_gan sample RUN --digit 7 --n 100 --out sevens.npy` asks a trained run for
#   a digit; `python -m tf_gan evaluate RUN` measures how often each digit comes out as asked.
# * `python -m tf_gan interpolate RUN` walks the noise space of any run, with the digit
#   tf_gan's classifier reads at every step and the nearest training images of a thousand samples.
# * Change a line: feed `y_fixed` a label of all zeros (no digit asked), or two halves
#   (`0.5` at 3 and at 8), and look at what G draws.
