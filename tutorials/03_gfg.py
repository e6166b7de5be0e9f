# %% [markdown]
# # Lesson 3: dense layers, variable scopes and label smoothing
#
# The GeeksforGeeks GAN ("Generative Adversarial Network (GAN)"): generator and
# discriminator made of `tf.layers.dense` layers inside `variable_scope('gen')` and
# `variable_scope('dis', reuse=...)`, each player's variables picked out of
# `trainable_variables()` by name, and one-sided label smoothing (real labels 0.9).
# Two bugs of the post are fixed, and the fix is part of the lesson: its `sess.run`
# calls had lost their `sess.run`, and its sample op was rebuilt every epoch, so the
# graph grew; here it is built once, before training (`--grow-graph true` puts the
# post's line back, to watch the graph grow).
#
# Run it as a script (`python tutorials/03_gfg.py --epochs 1`) or cell by cell.
#
# **Exercises.** A paragraph headed **Exercise 3.N** asks you to type a line, or to
# predict what a run will show; the cell after your answer checks it and says *pass*,
# *not yet* (and why) or *not done*. In the students' copy (`tutorials/exercises/`) each
# answer is a blank marked `# exercise 3.N`; while it is blank or wrong, the check hands
# back a working answer, so the rest of the lesson runs.

# %% Imports (tf_gan first: it quiets TensorFlow's start-up messages before TensorFlow loads)
import tf_gan  # noqa: F401
from pathlib import Path

import numpy as np
import tensorflow as tf

from tf_gan import exercises, lesson
from tf_gan import graph_mode, load_mnist, save_grid, to_unit_range  # the library: what is not the lesson
from tf_gan import dense  # tf.layers.dense, which Keras 3 removed (tf_gan/layers.py)

tf1 = tf.compat.v1

# %% Settings: the knobs of this lesson
opt = lesson.settings(
    "Lesson 3: the gfg GAN with variable scopes",
    epochs=30,  # the post trains 500; short runs of this GAN often collapse to a few digits (see the end)
    batches_per_epoch=0,  # 0: the whole training set (550 batches); a small number for a quick try
    steps=0,  # 0: every epoch; N: stop after N updates (a quick try, the same flag as the other lessons)
    grow_graph=False,  # True: the post's line, G's sample op built again every epoch (the graph grows)
    seed=0,
    data="auto",
    out="out/lessons/03_gfg",
)
graph_mode(opt.seed)

# %% [markdown]
# ## The data
# `input_data` MNIST: 55,000 training images of 784 floats in [0, 1]. The post rescales
# each batch with `x * 2 - 1` to [-1, 1], to match the tanh generator.

# %%
mnist = load_mnist(opt.data, seed=opt.seed)
print("training images:", mnist.train.images.shape)

# %% [markdown]
# ## Generator and discriminator in variable scopes
# `generator(z)` opens `variable_scope('gen')` and stacks dense 128 (leaky ReLU),
# dense 128 (leaky ReLU), dense 784 (tanh). `discriminator(X)` does the same in `'dis'`
# and ends in one logit. Unnamed layers are called dense, dense_1, dense_2 inside each
# scope. Calling a function a second time with `reuse=True` finds the *same* variables
# by name instead of making new ones: that is how TF1 shares weights.
#
# **Exercise 3.1** (type it): judge G's fakes with the *same* discriminator: call
# `discriminator` on `G` so that it reuses the variables of scope `'dis'`, and keep its
# `(output, logits)` in `D_output_fake, D_logits_fake`.

# %%
def generator(z, reuse=None):
    with tf1.variable_scope("gen", reuse=reuse):
        hidden1 = dense(inputs=z, units=128, activation=tf.nn.leaky_relu)
        hidden2 = dense(inputs=hidden1, units=128, activation=tf.nn.leaky_relu)
        output = dense(inputs=hidden2, units=784, activation=tf.nn.tanh)
        return output


def discriminator(X, reuse=None):
    with tf1.variable_scope("dis", reuse=reuse):
        hidden1 = dense(inputs=X, units=128, activation=tf.nn.leaky_relu)
        hidden2 = dense(inputs=hidden1, units=128, activation=tf.nn.leaky_relu)
        logits = dense(hidden2, units=1)
        output = tf.sigmoid(logits)
        return output, logits


real_images = tf1.placeholder(tf.float32, shape=[None, 784], name="real_images")
z = tf1.placeholder(tf.float32, shape=[None, 100], name="z")

G = generator(z)
D_output_real, D_logits_real = discriminator(real_images)
# [solution 3.1] students get: D_output_fake, D_logits_fake = ..., ...
D_output_fake, D_logits_fake = discriminator(G, reuse=True)
# [end of solution 3.1]
for v in tf1.trainable_variables():
    print(f"{v.op.name:20s} {v.shape}")

# %%
D_output_fake, D_logits_fake = exercises.check_reuse("3.1", (D_output_fake, D_logits_fake), D_logits_real, G,
                                                     discriminator)

# %% [markdown]
# ## Losses with label smoothing, and variable lists by name
# D's loss on real images uses labels `ones * 0.9` instead of ones, so D is never
# rewarded for being *certain*; fakes keep label 0 (that is the "one-sided" part).
# G's loss asks D to call its fakes real (label 1). The two optimizers get the
# variables whose names contain `'dis'` and `'gen'`: the scope names split the game.
#
# **Exercise 3.2** (type it): pick each player's variables out of `tvars` by name:
# `d_vars` those whose name contains `'dis'`, `g_vars` those with `'gen'`.

# %%
def loss_func(logits_in, labels_in):
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=logits_in, labels=labels_in))


D_real_loss = loss_func(D_logits_real, tf.ones_like(D_logits_real) * 0.9)  # try 1.0: no smoothing
D_fake_loss = loss_func(D_logits_fake, tf.zeros_like(D_logits_real))
D_loss = D_real_loss + D_fake_loss

G_loss = loss_func(D_logits_fake, tf.ones_like(D_logits_fake))

lr = 0.001
tvars = tf1.trainable_variables()
# [solution 3.2] students get: d_vars = ...; g_vars = ...
d_vars = [var for var in tvars if "dis" in var.name]
g_vars = [var for var in tvars if "gen" in var.name]
# [end of solution 3.2]

# %%
d_vars, g_vars = exercises.check_var_lists("3.2", d_vars, g_vars, D_logits_real, G)

# %%
D_trainer = tf1.train.AdamOptimizer(lr).minimize(D_loss, var_list=d_vars)
G_trainer = tf1.train.AdamOptimizer(lr).minimize(G_loss, var_list=g_vars)
print("d_vars:", [v.op.name for v in d_vars])
print("g_vars:", [v.op.name for v in g_vars])

# %% [markdown]
# **Exercise 3.3** (predict, then run): with label 0.9, D's loss on a real image is
# smallest where D(x) = 0.9, at a logit of log 9 = 2.2: D gains nothing from more
# certainty. Remove the smoothing (label 1.0): where is that loss smallest then? (a) still
# near 2.2; (b) nowhere: the larger the logit, the smaller the loss; (c) at 0.

# %%
# [solution 3.3] students get: prediction = ...
prediction = "b"
# [end of solution 3.3]

# %%
exercises.check_prediction("3.3", prediction, exercises.best_logit(loss_func, label=1.0),
                           {"a": (1.5, 3.0), "b": (15.0, np.inf), "c": (-0.5, 0.5)},
                           what="best logit for label 1.0 (tried -5 to 20)")
print("and with label 0.9:", exercises.best_logit(loss_func, label=0.9))

# %% [markdown]
# ## The fix: build the sample op once, then freeze the graph
# The post called `generator(z, reuse=True)` *inside* the epoch loop to draw a sample,
# which added a new copy of the generator's ops to the graph every epoch, so the
# graph grew. Here that op is made once, before training, and then the graph is
# *finalized*: exercise 3.4 asks what that changes.

# %%
G_sample = generator(z, reuse=True)
init = tf1.global_variables_initializer()  # the last op we add
if not opt.grow_graph:  # the post's line, below in the loop, would add ops to a finalized graph
    tf1.get_default_graph().finalize()
ops_before = len(tf1.get_default_graph().get_operations())
print("ops in the graph:", ops_before)

# %% [markdown]
# **Exercise 3.4** (predict, then run): the post called `generator(z, reuse=True)` again
# in every epoch. What happens if a cell does that now? (a) the graph grows by another
# copy of G's ops; (b) TensorFlow refuses, with an error; (c) nothing is added: `reuse`
# finds the ops built before.

# %%
# [solution 3.4] students get: prediction = ...
prediction = "b"
# [end of solution 3.4]

# %%
exercises.check_prediction("3.4", prediction, exercises.graph_growth(lambda: generator(z, reuse=True)),
                           {"a": "grows", "b": "error", "c": "unchanged"}, what="what calling generator again does")

# %% [markdown]
# A finalized graph is read-only: building an op in it raises an error instead of
# quietly adding a copy. A TF1 loop that builds ops while it trains is the classic way
# for a graph to grow without anyone noticing; finalizing turns that into a crash on the
# first epoch. With `--grow-graph true` the lesson leaves the graph open and runs the
# post's line in every epoch: the epoch line then prints the graph's size, 15 ops more
# each time (500 copies of G's sampling ops by the post's last epoch). Each new op also
# costs the session a little on its next run: time both ways, for example
# `--epochs 200 --batches-per-epoch 5`: 3,826 ops after the last epoch against 811, and,
# here on a busy machine (one thread, other jobs running), 272 s against 249 s.

# %% [markdown]
# ## Training: epochs of batches, one sample per epoch
# For each batch: the same `batch_z` feeds D's update and G's update. After each epoch:
# the post's one sample from fresh noise, here from fixed noise, with the 4x4 grid of
# the classic post beside it. `rng` stands in for the post's global `np.random`.

# %%
batch_size = 100
epochs = opt.epochs
rng = np.random.default_rng(opt.seed)
sess = tf1.Session()
sess.run(init)
out = Path(opt.out)
z_fixed = rng.uniform(-1, 1, size=(16, 100)).astype(np.float32)
step = 0  # updates so far
max_updates = opt.steps or None  # --steps N: stop after N updates (None: train every epoch)

for epoch in range(epochs):
    num_batches = opt.batches_per_epoch or mnist.train.num_examples // batch_size
    for i in range(num_batches):
        if step == max_updates:
            break
        step += 1
        batch = mnist.train.next_batch(batch_size)
        batch_images = batch[0].reshape((batch_size, 784))
        batch_images = batch_images * 2 - 1
        batch_z = rng.uniform(-1, 1, size=(batch_size, 100)).astype(np.float32)
        _, D_loss_curr = sess.run([D_trainer, D_loss], feed_dict={real_images: batch_images, z: batch_z})
        _, G_loss_curr = sess.run([G_trainer, G_loss], feed_dict={z: batch_z})

    print(f"on epoch {epoch}  D_loss: {D_loss_curr:.4f}  G_loss: {G_loss_curr:.4f}")
    if opt.grow_graph:  # the post's line: a new copy of G's ops, every epoch
        G_sample = generator(z, reuse=True)
        print(f"  ops in the graph: {len(tf1.get_default_graph().get_operations())}")
    samples = to_unit_range(sess.run(G_sample, feed_dict={z: z_fixed}), "pm1")  # back to [0, 1] to draw
    save_grid(samples[:1], out / f"sample_{epoch:03d}.png", rows=1, cols=1)
    last = save_grid(samples, out / f"grid_{epoch:03d}.png")
    if step == max_updates:
        break

ops_after = len(tf1.get_default_graph().get_operations())
print(f"ops in the graph now: {ops_after}", "(unchanged)" if ops_after == ops_before else "(it grew!)")
print(f"pictures in {out}/, the last grid is {last}")

# %% [markdown]
# ## What the grids show: mode collapse, and how long the post trains
# Look at the last grid: after 30 epochs most of the 16 fakes are likely the *same*
# digit, or two or three shapes. That is mode collapse: G found a few images that fool
# D and makes little else, and D has not yet pushed it off them. How often? Not from
# this run: the recipe trains this same graph (a test proves it), and `python -m tf_gan
# train gfg --epochs 30 --eval-every 2750` judges 10,000 of its samples with tf_gan's
# digit classifier as it goes. On three seeds (docs/quality.md, "Lesson lengths") those runs made
# about 4 of the 10 classes after 30 epochs, and at times only one along the way. This
# lesson draws its noise from another generator than the trainer's, so its grid is
# another run of the same kind: count its digits yourself. The post trains 500 epochs:
# the results table (docs/quality.md) shows a run of that length making all ten digits.
