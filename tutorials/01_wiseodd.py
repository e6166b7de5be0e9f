# %% [markdown]
# # Lesson 1: a GAN in TensorFlow, the classic way
#
# This follows Agustinus Kristiadi's post "Generative Adversarial Nets in TensorFlow"
# (wiseodd.github.io, 2016) section by section, on today's TensorFlow. Two small
# networks play a game (Goodfellow et al., 2014): a generator G turns random noise
# into images, a discriminator D tells MNIST digits from G's fakes, and each one
# learns from the other's mistakes.
#
# Everything is TF1 graph style: first we *describe* a computation (placeholders,
# variables, ops), then we *run* it in a `Session`, feeding data with `feed_dict`.
#
# Run it as a script (`python tutorials/01_wiseodd.py --steps 200`) or cell by cell
# in Jupyter or VS Code. Change a setting below, run again, and compare the grids.

# %% Settings: the knobs of this lesson
from tf_gan import lesson

opt = lesson.settings(
    "Lesson 1: wiseodd's GAN in TensorFlow",
    steps=5000,  # the post trains for 1,000,000 iterations; digits appear after a few thousand
    sample_every=1000,  # save a 4x4 grid this often, as the post does
    loss="sigmoid_ce",  # try "raw_log": the same formula typed literally (see tf_gan/losses.py)
    seed=0,  # same seed, same pictures
    data="auto",  # auto | bundled | tfds | idx:PATH
    out="out/lessons/01_wiseodd",
)

# %% Imports (tf_gan first: it quiets TensorFlow's start-up messages before TensorFlow loads)
from pathlib import Path  # noqa: E402

import tf_gan  # noqa: E402, F401
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from tf_gan import graph  # noqa: E402
from tf_gan.data import load_mnist  # noqa: E402
from tf_gan.images import save_grid  # noqa: E402
from tf_gan.noise import sample_z  # noqa: E402
from tf_gan.recipes import wiseodd  # noqa: E402
from tf_gan.recipes.gan import Gan  # noqa: E402

graph.graph_mode(opt.seed)  # TF1 style: build the graph first, run it later

# %% [markdown]
# ## 4.1 Import data
# The post used `input_data.read_data_sets(dir, one_hot=True)`, which is gone from
# TensorFlow. `load_mnist` returns the same object: `mnist.train.images` holds 55,000
# digits as rows of 784 floats in [0, 1], and `mnist.train.next_batch(n)` deals them
# out in a fresh random order each epoch.

# %%
mnist = load_mnist(opt.data, seed=opt.seed)
cfg = wiseodd.Config(steps=opt.steps, sample_every=opt.sample_every, loss=opt.loss)
mb_size, Z_dim = cfg.batch_size, cfg.z_dim  # 128 images per step, 100 numbers of noise each
print("training images:", mnist.train.images.shape, "pixel range:", mnist.train.images.min(), mnist.train.images.max())

# %% [markdown]
# ## 4.2 Declaring variables
# `X` and `Z` are placeholders: empty slots we fill on every step. The weights are
# `tf.compat.v1.get_variable`s with Xavier initialisation, so each layer starts with
# activations of a sensible size. D gets its own list `theta_D`, G gets `theta_G`:
# later each optimizer may only touch its own player's list.

# %%
X, Z = wiseodd.placeholders(cfg)
theta_D = wiseodd.discriminator_vars(cfg)
theta_G = wiseodd.generator_vars(cfg)
for v in theta_D + theta_G:
    print(f"{v.op.name:6s} {v.shape}")

# %% [markdown]
# ## 4.3 Defining the model
# G: noise (100) -> 128 ReLU -> 784 sigmoid pixels. D: image (784) -> 128 ReLU -> one
# logit, and its sigmoid, the probability that the image is real. D is called twice,
# on real images and on G's fakes, with the *same* weights.

# %%
G_sample = wiseodd.generator(Z, theta_G)
D_real, D_logit_real = wiseodd.discriminator(X, theta_D)
D_fake, D_logit_fake = wiseodd.discriminator(G_sample, theta_D)
print("G(z):", G_sample.shape, " D(x):", D_real.shape)

# %% [markdown]
# ## 4.4 The losses
# D wants D(x) -> 1 and D(G(z)) -> 0; G wants D(G(z)) -> 1. TensorFlow only minimises,
# so both are written as losses. The generator minimises -log D(G(z)) rather than the
# paper's log(1 - D(G(z))): it gives strong gradients early on, when D easily spots
# every fake. With `loss="sigmoid_ce"` the same functions are computed from the logits
# by `sigmoid_cross_entropy_with_logits`, which cannot overflow.

# %%
D_loss, G_loss = wiseodd.losses(D_logit_real, D_logit_fake, cfg)

# %% [markdown]
# ## 4.5 Optimizers
# Two Adam optimizers with their default settings. `var_list` is what makes this a
# game and not one big network: the D step leaves G's weights alone and vice versa.

# %%
D_solver, G_solver = wiseodd.optimizers(D_loss, G_loss, theta_D, theta_G)
gan = Gan(X, Z, G_sample, D_real, D_fake, D_logit_real, D_logit_fake, D_loss, G_loss, D_solver, G_solver,
          theta_D, theta_G)

# %% [markdown]
# ## 4.6 and 4.7 Training, and saving pictures
# Each iteration: one D step on a real batch and fresh noise, then one G step on fresh
# noise (`wiseodd.train_step`, two `sess.run` calls with a `feed_dict`). Every
# `sample_every` steps we save a 4x4 grid of G's output for one *fixed* batch of noise,
# so the grids show the same 16 digits taking shape.

# %%
out = Path(opt.out)
sess = tf.compat.v1.Session()
sess.run(tf.compat.v1.global_variables_initializer())
rng = np.random.default_rng(opt.seed)


def sample_Z(m: int) -> np.ndarray:
    """The post's sample_Z: noise uniform on [-1, 1]."""
    return sample_z(m, Z_dim, rng)


z_fixed = sample_Z(16)
for it in range(cfg.steps):
    if it % cfg.sample_every == 0:
        save_grid(sess.run(G_sample, feed_dict={Z: z_fixed}), out / f"{it // cfg.sample_every:03d}.png")
    X_mb, _ = mnist.train.next_batch(mb_size)
    losses = wiseodd.train_step(sess, gan, X_mb, sample_Z)  # {"D_loss": ..., "G_loss": ...}
    if not np.all(np.isfinite(list(losses.values()))):  # happens with loss="raw_log" in long runs
        print(f"Iter: {it}  a loss is no longer a number: {losses}; stopping")
        break
    if it % cfg.sample_every == 0:
        print(wiseodd.log_line(it, losses))

last = save_grid(sess.run(G_sample, feed_dict={Z: z_fixed}), out / "final.png")
print(f"grids in {out}/, the last one is {last}")

# %% [markdown]
# ## What next
# * `python -m tf_gan train wiseodd --steps 20000` runs this same graph and step with
#   checkpoints, a CSV of the losses and a guard that stops on NaN weights too
#   (a NaN weight can hide behind losses that still print as numbers).
# * Set `loss="raw_log"`: the same losses, computed literally as log(sigmoid(logit)).
#   In exact arithmetic nothing changes; in float32 the log turns into -inf once D is
#   certain enough, and the check in the loop above stops the run. Whether and when that
#   happens depends on the seed: on 4 of 12 seeds within 12,000 steps in our sweep.
#   Lesson 5 (`tutorials/05_compare_losses.py`) shows both forms side by side.
