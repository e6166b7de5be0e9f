# %% [markdown]
# # Lesson 4: the "3-minute deep learning" GAN, and a bug you can see
#
# The plainest GAN of the four posts (golbin's TensorFlow tutorials, as a 2018 post
# retells them): weights as `tf.Variable(tf.random_normal(..., stddev=0.01))`, 256
# hidden units, 128 numbers of normal noise, sigmoid outputs only, and the paper's
# objective typed as it reads and *maximised* with `minimize(-cost)`. The post's
# training loop lost its indentation, so as printed it updates the networks once per
# epoch instead of once per batch. This lesson can run both ways.
#
# Run it as a script (`python tutorials/04_golbin.py --epochs 1`) or cell by cell.
#
# **Exercises.** A paragraph headed **Exercise 4.N** asks you to type a line, or to
# predict what a run will show; the cell after your answer checks it and says *pass*,
# *not yet* (and why) or *not done*. In the students' copy (`tutorials/exercises/`) each
# answer is a blank marked `# exercise 4.N`; while it is blank or wrong, the check hands
# back a working answer, so the rest of the lesson runs.

# %% Imports (tf_gan first: it quiets TensorFlow's start-up messages before TensorFlow loads)
import tf_gan  # noqa: F401
from pathlib import Path

import numpy as np
import tensorflow as tf

from tf_gan import exercises, lesson
from tf_gan import graph_mode, load_mnist, save_grid  # the library: what is not the lesson

tf1 = tf.compat.v1

# %% Settings: the knobs of this lesson
opt = lesson.settings(
    "Lesson 4: the golbin GAN",
    epochs=30,  # the post's training_epoches is 100
    batches_per_epoch=0,  # 0: the whole training set (550 batches); a small number for a quick try
    one_update_per_epoch=False,  # True: the post's indentation bug, one update per epoch
    steps=0,  # 0: every epoch; N: stop after N batches (a quick try, the same flag as the other lessons)
    seed=0,
    data="auto",
    out="out/lessons/04_golbin",
)
graph_mode(opt.seed)

# %% [markdown]
# ## Hyper-parameters and data
# MNIST as 784 floats in [0, 1], and the post's settings.

# %%
mnist = load_mnist(opt.data, seed=opt.seed)

learning_rate = 2e-4
training_epoches = opt.epochs
batch_size = 100
n_hidden = 256
n_input = 28 * 28
n_noise = 128

# %% [markdown]
# ## Variables, generator and discriminator
# Eight plain `tf.Variable`s: small random normal weights and zero biases. G: noise ->
# 256 ReLU -> 784 sigmoid. D: image -> 256 ReLU -> 1 sigmoid, a probability: the post's
# D returns only that probability, no logit.

# %%
X = tf1.placeholder(tf.float32, [None, n_input], name="X")
Z = tf1.placeholder(tf.float32, [None, n_noise], name="Z")

G_W1 = tf1.Variable(tf1.random_normal([n_noise, n_hidden], stddev=0.01), name="G_W1")
G_b1 = tf1.Variable(tf.zeros([n_hidden]), name="G_b1")
G_W2 = tf1.Variable(tf1.random_normal([n_hidden, n_input], stddev=0.01), name="G_W2")
G_b2 = tf1.Variable(tf.zeros([n_input]), name="G_b2")

D_W1 = tf1.Variable(tf1.random_normal([n_input, n_hidden], stddev=0.01), name="D_W1")
D_b1 = tf1.Variable(tf.zeros([n_hidden]), name="D_b1")
D_W2 = tf1.Variable(tf1.random_normal([n_hidden, 1], stddev=0.01), name="D_W2")
D_b2 = tf1.Variable(tf.zeros([1]), name="D_b2")


def generator(noise_z):
    hidden = tf.nn.relu(tf.matmul(noise_z, G_W1) + G_b1)
    output = tf.nn.sigmoid(tf.matmul(hidden, G_W2) + G_b2)
    return output


def discriminator(inputs):
    hidden = tf.nn.relu(tf.matmul(inputs, D_W1) + D_b1)
    output = tf.nn.sigmoid(tf.matmul(hidden, D_W2) + D_b2)
    return output


G = generator(Z)
D_gene = discriminator(G)
D_real = discriminator(X)

# %% [markdown]
# ## The costs, maximised
# `cost_D = mean(log D(x) + log(1 - D(G(z))))` and `cost_G = mean(log D(G(z)))` are
# what each player wants *large*. TensorFlow only minimises, so the post minimises
# `-cost_D` and `-cost_G`. Those are exactly the losses of the other lessons, so the
# costs print as negative numbers that rise towards 0 as a player wins. The logs are
# taken of D's probabilities as they are: in float32 that can overflow (lesson 5).
#
# **Exercise 4.1** (type it): type `cost_D` as the post does, from D's probabilities
# `D_real` (on real images) and `D_gene` (on G's): the value D wants as *large* as it can
# be, the paper's V(D, G) averaged over the batch. (G's own, `cost_G`, follows the check.)

# %%
# [solution 4.1] students get: cost_D = ...
cost_D = tf.reduce_mean(tf.math.log(D_real) + tf.math.log(1 - D_gene))
# [end of solution 4.1]

# %%
cost_D = exercises.check_cost_d("4.1", cost_D, D_real, D_gene)

# %% [markdown]
# G's cost, as the post writes it: G wants D to call its fakes real, so it maximises
# `log D(G(z))` (the non-saturating form). Then the two players' variable lists.

# %%
cost_G = tf.reduce_mean(tf.math.log(D_gene))

D_var_list = [D_W1, D_b1, D_W2, D_b2]
G_var_list = [G_W1, G_b1, G_W2, G_b2]

# %% [markdown]
# **Exercise 4.2** (type it): make `train_D` an Adam step (`learning_rate`) that
# *maximises* `cost_D` and moves only `D_var_list`, and `train_G` one that maximises
# `cost_G` over `G_var_list`. Remember that TensorFlow only minimises.

# %%
# [solution 4.2] students get: train_D = ...; train_G = ...
train_D = tf1.train.AdamOptimizer(learning_rate).minimize(-cost_D, var_list=D_var_list)
train_G = tf1.train.AdamOptimizer(learning_rate).minimize(-cost_G, var_list=G_var_list)
# [end of solution 4.2]
print("D_var_list:", [f"{v.op.name} {v.shape}" for v in D_var_list])
print("G_var_list:", [f"{v.op.name} {v.shape}" for v in G_var_list])

# %%
train_D, train_G = exercises.check_solvers("4.2", (train_D, cost_D, D_var_list), (train_G, cost_G, G_var_list),
                                           inputs=[X, Z], maximize=True, learning_rate=learning_rate)

# %% [markdown]
# **Exercise 4.3** (predict, then run): the weights start with standard deviation 0.01.
# What is `cost_D` before any training? (a) about -1.39; (b) about 0; (c) about +1.39.
# Write your letter and why.

# %%
# [solution 4.3] students get: prediction = ...
prediction = "a"
# [end of solution 4.3]

# %%
measured = exercises.value_before_training(cost_D, {X: mnist.train.images[:batch_size],
                                                    Z: exercises.noise(batch_size, n_noise)})
exercises.check_prediction("4.3", prediction, measured, {"a": (-1.5, -1.3), "b": (-0.1, 0.1), "c": (1.3, 1.5)},
                           what="cost_D before training")

# %% [markdown]
# Why: weights that small make D's logit almost 0 whatever the image, so D(x) and
# D(G(z)) are both about 0.5, and `cost_D` is about log 0.5 + log 0.5 = -1.39. It is
# negative because it is a log-likelihood D maximises, not a loss it minimises.

# %% [markdown]
# ## Training, and the indentation bug
# Each batch: one D update and one G update on the *same* noise. As printed, the post's
# two `sess.run` lines sit *after* the loop over batches, so each epoch draws 550
# batches and trains on only the last one. With `one_update_per_epoch=True` this
# lesson does the same: its 30 epochs are then 30 updates, and the last strip is still
# grey with a faint smudge in the middle (so it came out here, seed 0); the post's 100
# epochs would be 100 updates. Run it both ways and compare the last strips.
# The post's pictures: a 1x10 strip at epoch 0 and every 10th epoch, here of one fixed
# batch of noise. `rng` stands in for the post's global `np.random`.

# %%
rng = np.random.default_rng(opt.seed)


def get_noise(batch_size, n_noise):
    return rng.normal(size=(batch_size, n_noise)).astype(np.float32)


sess = tf1.Session()
sess.run(tf1.global_variables_initializer())
out = Path(opt.out)
z_fixed = get_noise(10, n_noise)
total_batch = opt.batches_per_epoch or mnist.train.num_examples // batch_size
step = 0  # batches drawn so far
max_updates = opt.steps or None  # --steps N: stop after N batches (None: train every epoch)

for epoch in lesson.progress(range(training_epoches), "epochs"):
    for i in range(total_batch):
        if step == max_updates:
            break
        step += 1
        batch_xs, batch_ys = mnist.train.next_batch(batch_size)
        noise = get_noise(batch_size, n_noise)
        if opt.one_update_per_epoch and i < total_batch - 1:
            continue  # the bug: only the epoch's last batch reaches the two lines below

        _, loss_val_D = sess.run([train_D, cost_D], feed_dict={X: batch_xs, Z: noise})
        _, loss_val_G = sess.run([train_G, cost_G], feed_dict={Z: noise})

    if epoch % 10 == 0:
        print(f"Epoch:{epoch:3d} ___ Cost_D: {loss_val_D:.9f} ___ Cost_G: {loss_val_G:.9f}")
    if epoch == 0 or (epoch + 1) % 10 == 0 or epoch + 1 == training_epoches or step == max_updates:
        samples = sess.run(G, feed_dict={Z: z_fixed})
        last = save_grid(samples, out / f"{epoch + 1:03d}.png", rows=1, cols=10)
    if step == max_updates:
        break

print(f"strips in {out}/, the last one is {last}")
