# %% [markdown]
# # Lesson 2: the Keras MLP GAN, with the game made explicit
#
# The Keras-GAN example (Erik Linder-Norén), as two tutorial posts present it: a
# bigger generator with LeakyReLU and batch normalisation, a tanh output, normal
# noise, and Adam(0.0002, 0.5). Keras hides the game inside `trainable = False` and
# two compiled models. Here the same networks are built in TF1 graph mode, where
# the game is spelled out: two variable scopes, two variable lists, and one
# `minimize` per update.
#
# Run it as a script (`python tutorials/02_keras_gan.py --steps 200`) or cell by cell.
#
# **Exercises.** A paragraph headed **Exercise 2.N** asks you to type a line, or to
# predict what a run will show; the cell after your answer checks it and says *pass*,
# *not yet* (and why) or *not done*. In the students' copy (`tutorials/exercises/`) each
# answer is a blank marked `# exercise 2.N`; while it is blank or wrong, the check hands
# back a working answer, so the rest of the lesson runs.

# %% Imports (tf_gan first: it quiets TensorFlow's start-up messages before TensorFlow loads)
import tf_gan  # noqa: F401
from pathlib import Path

import numpy as np
import tensorflow as tf

from tf_gan import exercises, lesson
from tf_gan import graph_mode, load_mnist, save_grid, to_unit_range  # the library: what is not the lesson
from tf_gan import batch_norm, dense  # tf.layers' versions, which Keras 3 removed (tf_gan/layers.py)
from tf_gan.recipes import summary

tf1 = tf.compat.v1

# %% Settings: the knobs of this lesson
opt = lesson.settings(
    "Lesson 2: the Keras MLP GAN in graph mode",
    steps=4000,  # the posts run 30,000 iterations; digits appear after a few thousand
    sample_every=200,  # the posts' sample_interval
    fake_batch_bn="inference",  # as Keras' predict(); try "training" (see the last cell)
    keras2_shared_adam=False,  # True: one Adam for D and G, as the posts' Keras 2 code had (see the last cell)
    seed=0,
    data="auto",
    out="out/lessons/02_keras_gan",
)
graph_mode(opt.seed)

# %% [markdown]
# ## The data
# `mnist.load_data()` and `X_train / 127.5 - 1`: all 60,000 training digits, scaled to
# [-1, 1] to match the generator's tanh output.

# %%
mnist = load_mnist(opt.data, seed=opt.seed, validation_size=0, pixel_range="pm1")
latent_dim = 100
batch_size = 128
print("training images:", mnist.train.images.shape, "range:", mnist.train.images.min(), mnist.train.images.max())

# %% [markdown]
# ## The generator and the discriminator
# `build_generator()` is Dense -> LeakyReLU(0.2) -> BatchNormalization(momentum=0.8),
# three times (256, 512, 1024 units), then Dense(784, tanh). `build_discriminator()` is
# Dense 512 -> LeakyReLU -> Dense 256 -> LeakyReLU -> Dense(1, sigmoid). `dense` and
# `batch_norm` make the same variables under the same names as `tf.layers`. Batch
# norm uses each batch's own statistics when `training` is true, and its moving
# averages otherwise.

# %%
def generator(z, training, reuse=None):
    with tf1.variable_scope("generator", reuse=reuse):
        h = batch_norm(tf.nn.leaky_relu(dense(z, 256), alpha=0.2), training=training, momentum=0.8)
        h = batch_norm(tf.nn.leaky_relu(dense(h, 512), alpha=0.2), training=training, momentum=0.8)
        h = batch_norm(tf.nn.leaky_relu(dense(h, 1024), alpha=0.2), training=training, momentum=0.8)
        return dense(h, 784, activation=tf.tanh)


def discriminator(x, reuse=None):
    with tf1.variable_scope("discriminator", reuse=reuse):
        h = tf.nn.leaky_relu(dense(x, 512), alpha=0.2)
        h = tf.nn.leaky_relu(dense(h, 256), alpha=0.2)
        logit = dense(h, 1)
        return tf.sigmoid(logit), logit


# %% [markdown]
# ## The models, as one graph
# `X` takes real images, or G's fakes for D's second update. The generator is built
# twice with shared weights: with batch statistics (`G_train`, the combined model's G,
# whose update also moves the moving averages) and with the moving averages
# (`G_sample`, Keras' `generator.predict`). D judges images fed to `X`, the samples we
# show, and `G_train`'s fakes for G's update. Batch norm's moving mean and variance
# are *non-trainable* variables: counted, never handed to an optimizer. The totals
# are the ones the posts' `model.summary()` prints.
#
# **Exercise 2.1** (type it): Keras' `trainable = False`, as lists: fill `theta_D` with
# the discriminator's trainable variables and `theta_G` with the generator's
# (`tf1.trainable_variables(scope)` picks them by the name of their variable scope).

# %%
X = tf1.placeholder(tf.float32, [None, 784], name="X")
Z = tf1.placeholder(tf.float32, [None, latent_dim], name="Z")

G_train = generator(Z, training=True)
G_sample = generator(Z, training=False, reuse=True)
D_X, D_logit_X = discriminator(X)
D_fake, D_logit_fake = discriminator(G_sample, reuse=True)
_, D_logit_G = discriminator(G_train, reuse=True)

# [solution 2.1] students get: theta_D = ...; theta_G = ...
theta_D = tf1.trainable_variables("discriminator")
theta_G = tf1.trainable_variables("generator")
# [end of solution 2.1]

# %%
theta_D, theta_G = exercises.check_var_lists("2.1", theta_D, theta_G, D_logit_X, G_sample)

# %%
print(summary.table(summary.networks(theta_G, theta_D, tf1.moving_average_variables())))

# %% [markdown]
# **Exercise 2.2** (predict, then run): `G_train` and `G_sample` are one generator with
# one set of weights, its batch norm in training and in inference mode. Given the same
# noise before any training, do they draw (a) the same pixels, or (b) different pixels?

# %%
# [solution 2.2] students get: prediction = ...
prediction = "b"
# [end of solution 2.2]

# %%
pixels = exercises.value_before_training([G_train, G_sample], {Z: exercises.noise(256, latent_dim)})
exercises.check_prediction("2.2", prediction, float(np.abs(pixels[0] - pixels[1]).mean()),
                           {"a": (0.0, 0.0), "b": (1e-6, np.inf)}, what="mean |training - inference mode| per pixel")

# %% [markdown]
# ## Compiling: one loss, two optimizers, frozen D
# `binary_crossentropy` against the labels `valid` (ones) and `fake` (zeros). In Keras,
# D is compiled, then `discriminator.trainable = False` is set before the combined
# model (noise -> G -> D) is compiled, so the combined model only moves G. In graph
# mode that is simply `var_list`: D's optimizer gets `theta_D`, G's gets `theta_G`,
# and G's loss flows *through* D without changing it. (On Keras 3 the posts' code
# fails silently here: Keras 3 reads `trainable` at the first `train_on_batch`, not at
# `compile()`, so D ends up frozen everywhere. Explicit variable lists cannot make
# that mistake.) Keras' Adam has epsilon 1e-7, TF1's 1e-8.
#
# **Exercise 2.3** (type it): write `G_loss`, the combined model's
# `train_on_batch(noise, valid)`: `binary_crossentropy` of D's logit on `G_train`'s fakes,
# `D_logit_G`, against the label G wants D to give them.

# %%
def binary_crossentropy(logit, labels):
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=logit, labels=labels))


def accuracy(D, label):  # Keras' binary accuracy: the share of verdicts on the right side of 0.5
    return tf.reduce_mean(tf.cast(tf.equal(tf.cast(D > 0.5, tf.float32), label), tf.float32))


# [solution 2.3] students get: G_loss = ...
G_loss = binary_crossentropy(D_logit_G, tf.ones_like(D_logit_G))  # combined.train_on_batch(noise, valid)
# [end of solution 2.3]

# %%
G_loss = exercises.check_g_loss("2.3", G_loss, D_logit_G)

# %% [markdown]
# D's two losses, one per `train_on_batch`: the real batch against `valid` (ones), the
# fakes, fed to the same `X`, against `fake` (zeros).

# %%
D_loss_real = binary_crossentropy(D_logit_X, tf.ones_like(D_logit_X))  # train_on_batch(imgs, valid)
D_loss_fake = binary_crossentropy(D_logit_X, tf.zeros_like(D_logit_X))  # train_on_batch(gen_imgs, fake)

# %% [markdown]
# **Exercise 2.4** (type it): make `G_solver` a `g_adam` step that minimises `G_loss`,
# moves only `theta_G`, and runs batch norm's moving-average updates (the graph's
# `UPDATE_OPS` collection) with it, by creating it under `tf.control_dependencies`.

# %%
d_adam = tf1.train.AdamOptimizer(0.0002, beta1=0.5, epsilon=1e-7)  # one optimizer, two updates, as Keras
g_adam = d_adam if opt.keras2_shared_adam else tf1.train.AdamOptimizer(0.0002, beta1=0.5, epsilon=1e-7)
D_solver = d_adam.minimize(D_loss_real, var_list=theta_D)
D_fake_solver = d_adam.minimize(D_loss_fake, var_list=theta_D)
# [solution 2.4] students get: G_solver = ...
with tf.control_dependencies(tf1.get_collection(tf1.GraphKeys.UPDATE_OPS)):  # move the BN averages too
    G_solver = g_adam.minimize(G_loss, var_list=theta_G)
# [end of solution 2.4]
D_acc_real, D_acc_fake = accuracy(D_X, 1.0), accuracy(D_X, 0.0)

# %%
G_solver = exercises.check_batch_norm_update("2.4", G_solver, G_loss, theta_G, inputs=[Z], optimizer=g_adam)

# %% [markdown]
# ## Training
# Each iteration, exactly as the posts' loop:
# 1. a random real batch, drawn with replacement (`np.random.randint`);
# 2. a batch of fakes from normal noise, `generator.predict(noise)`;
# 3. D is trained on the real batch (label 1), then separately on the fakes (label 0);
#    `d_loss = 0.5 * (real + fake)`, and the accuracy is D's share of right verdicts;
# 4. G is trained through the frozen D on fresh noise, with label 1.
#
# Every `sample_every` iterations we print the posts' log line and save their 5x5
# grid, here from one fixed batch of noise so the same 25 digits grow. `rng` stands
# in for the posts' global `np.random`.

# %%
rng = np.random.default_rng(opt.seed)
sess = tf1.Session()
sess.run(tf1.global_variables_initializer())
out = Path(opt.out)
z_fixed = rng.standard_normal((25, latent_dim)).astype(np.float32)
fake_batch = G_sample if opt.fake_batch_bn == "inference" else G_train

for epoch in range(opt.steps):  # the posts call their iterations epochs
    imgs, _ = mnist.train.random_batch(batch_size)
    noise = rng.standard_normal((batch_size, latent_dim)).astype(np.float32)
    gen_imgs = sess.run(fake_batch, feed_dict={Z: noise})

    _, d_loss_real, acc_real = sess.run([D_solver, D_loss_real, D_acc_real], feed_dict={X: imgs})
    _, d_loss_fake, acc_fake = sess.run([D_fake_solver, D_loss_fake, D_acc_fake], feed_dict={X: gen_imgs})
    d_loss, acc = 0.5 * (d_loss_real + d_loss_fake), 0.5 * (acc_real + acc_fake)

    noise = rng.standard_normal((batch_size, latent_dim)).astype(np.float32)
    _, g_loss = sess.run([G_solver, G_loss], feed_dict={Z: noise})

    if epoch % opt.sample_every == 0 or epoch == opt.steps - 1:
        print(f"{epoch} [D loss: {d_loss:f}, acc.: {100 * acc:.2f}%] [G loss: {g_loss:f}]")
        gen = to_unit_range(sess.run(G_sample, feed_dict={Z: z_fixed}), "pm1")  # 0.5 * G(z) + 0.5
        last = save_grid(gen, out / f"{epoch}.png", rows=5, cols=5)
print(f"grids in {out}/, the last one is {last}")

# %% [markdown]
# ## The Keras quirk, and what it changes
# `generator.predict` runs batch normalisation in *inference* mode, with the moving
# averages; G's update runs it in *training* mode, with each batch's own statistics.
# So D is trained to reject fakes made slightly differently from the ones G is
# trained to improve. How different? Send the same noise through both modes and
# compare the pixels (running `G_train` alone does not move the averages: only G's
# update does). Then run the lesson again with `--fake-batch-bn training`, so that D
# sees fakes made G's way, and compare D's accuracy in the log lines and the grids.
# Measured on seeds 0-2 (`scripts/lesson_suggestions.py`): over the last fifth of the run
# D's accuracy is 69-70% with `predict`'s fakes and 66-68% with G's: a small change, the
# same on each seed; seed 0's last grids are of like quality, other digits in each place.

# %%
z = rng.standard_normal((256, latent_dim)).astype(np.float32)
predicted, training_mode = sess.run([G_sample, G_train], feed_dict={Z: z})
print(f"mean |predict - training mode| per pixel: {np.abs(predicted - training_mode).mean():.4f} "
      f"(pixels span {predicted.min():.2f} .. {predicted.max():.2f})")

# %% [markdown]
# ## What Keras 2 did that this graph does not
# The posts ran on Keras 2 (2017-2018), which differs from the TF1 graph above in three
# ways the posts never mention. The recipe offers each as a setting, "as Keras 2 did":
# * **One Adam, one step count.** The posts create one `Adam(0.0002, 0.5)` object and
#   compile it into D and into the combined model. Keras 2 keeps one update counter per
#   optimizer object, so D's two updates and G's one all advance the step that Adam's
#   bias correction divides by (3 steps per iteration, not 2 for D and 1 for G). Here:
#   `--keras2-shared-adam true` (the recipe: `--set keras2_shared_adam=true`) makes
#   `g_adam` the same object as `d_adam`; TF1's Adam shares its `beta1_power` the same way.
# * **A clipped cross-entropy.** Keras 2's `binary_crossentropy` clips D's probability to
#   [1e-7, 1 - 1e-7] before the log: beyond a logit of about 16 the loss is flat and the
#   gradient is zero (`--set keras2_bce_clip=true`).
# * **An unbiased moving variance.** Keras 2's `BatchNormalization` moves its moving
#   variance toward the batch variance times n / (n - 1 - epsilon) (`--set
#   keras2_bn_unbiased=true`); `generator.predict` normalises with it.
#
# Measured at this lesson's 4,000 steps on seeds 0-2 (`scripts/keras2_settings.py`, 10,000
# samples judged at the end): classifier score 6.79 as built here; 7.01 with the shared
# Adam (higher on all three seeds); 6.40 with the clip and 6.45 with the unbiased variance;
# 7.12 with all three. Three seeds at this length separate little: a run's score moves by
# about 0.3 from seed to seed and with the CPU's rounding, so only the shared Adam's
# change stands out, and even it needs more seeds to be sure. Keras 2 also updated its
# moving averages with TensorFlow's zero-debiasing in some versions; tf_gan does not model that.

