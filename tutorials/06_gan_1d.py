# %% [markdown]
# # Lesson 6: the game on a line, as in the paper's Figure 1
#
# The posts only show where a GAN ends up: digits. Goodfellow et al. ("Generative
# Adversarial Nets", NeurIPS 2014) explain what happens on the way with one small
# figure in one dimension (their Figure 1). Four things are drawn over the same axis:
# the data's density, the generator's density, the discriminator's output D(x), and,
# underneath, how G carries each noise value z to a point x. Their panels (a) to (d)
# are a sketch of the theory: D learns to separate the two densities, G follows D's
# slope towards the data, and at the end the densities agree and D says 1/2 everywhere.
#
# Here we play that game for real, with the same TF1 graph as the MNIST lessons but
# numbers instead of images: the data is one Gaussian on a line, the noise is uniform
# on [-1, 1], G and D are small MLPs. Every few steps we take a picture, so we can check
# the sketch against what training actually does.
#
# Run it as a script (`python tutorials/06_gan_1d.py`, about half a minute) or cell by cell.
#
# **Exercises.** A paragraph headed **Exercise 6.N** asks you to predict what a cell will
# show, or to find a bug; write your letter in `prediction`, and the cell after it
# measures the answer and says *pass*, *not yet* (and why) or *not done*. In the
# students' copy (`tutorials/exercises/`) each answer is a blank marked `# exercise 6.N`.

# %% Imports (tf_gan first: it quiets TensorFlow's start-up messages before TensorFlow loads)
import tf_gan  # noqa: F401
from pathlib import Path

import numpy as np
import tensorflow as tf

from tf_gan import exercises, graph, lesson
from tf_gan.toy import game as toy, graph as toy_graph, plots as toy_plots
from tf_gan.toy.controller import Controller
from tf_gan.viz.images import save_figure
from tf_gan.losses import d_loss, g_loss

# %% Settings: the knobs of this lesson
opt = lesson.settings(
    "Lesson 6: a GAN on a line, drawn as in Goodfellow et al. (2014), Figure 1",
    steps=6000,  # alternating D and G updates
    look_every=300,  # a picture this often: one frame of the GIF
    panels="0,300,600,6000",  # the steps drawn side by side, like the paper's (a) to (d)
    lr=3e-4,  # Adam's learning rate, the same for D and for G
    h_dim=64,  # hidden units in G and in D
    seed=0,  # same seed, same numbers and pictures
    hand=100,  # the scripted moves of section 6: D alone this many steps, then G, then 5x as many rounds
    out="out/lessons/06_gan_1d",
)

tf1 = tf.compat.v1
graph.graph_mode(opt.seed)
rng = np.random.default_rng(opt.seed)  # every random number of the run comes from here or from the graph seed
out = Path(opt.out)

# %% [markdown]
# ## 1. The data: one Gaussian
# The "real data" is the normal distribution with mean 2 and standard deviation 0.5. A
# minibatch is 128 draws from it, as a column (batch, 1): the same shape as a batch of
# flattened images, only one number wide. We know its density exactly, so the pictures
# can draw it as a curve.

# %%
data = toy.gaussian_1d(mean=2.0, std=0.5)
check = data.sample(100_000, rng)
print(f"data: mean {check.mean():.3f}, std {check.std():.3f}; a minibatch has shape {data.sample(128, rng).shape}")

# %% [markdown]
# ## 2. The graph
# The same pieces as lesson 1. `X` holds real points, `Z` noise; G maps one noise
# number through one hidden layer of leaky ReLUs to one number; D maps one number
# through the same kind of layer to one logit. Each lives in its own `variable_scope`,
# and D is called twice (on real points and on G's) with the same weights.

# %%
cfg = toy_graph.Config(x_dim=1, z_dim=1, h_dim=opt.h_dim, layers=1, activation="leaky_relu",
                       lr_d=opt.lr, lr_g=opt.lr, batch_size=128)
X, Z = toy_graph.placeholders(cfg)
G_sample = toy_graph.generator(Z, cfg)
D_real, D_logit_real = toy_graph.discriminator(X, cfg)
D_fake, D_logit_fake = toy_graph.discriminator(G_sample, cfg)
for v in tf1.trainable_variables():
    print(f"{v.op.name:16s} {v.shape}")

# %% [markdown]
# The losses are the ones every post uses (`tf_gan.losses`, the stable cross-entropy
# form, G non-saturating). One op is new: `tf.gradients(G_loss, G_sample)`, the gradient
# of G's loss with respect to each fake point. G cannot move its samples directly, only
# its weights, but this is the direction its update tries to move each sample in:
# along the slope of D, towards where D says "real".

# %%
D_loss = d_loss(D_logit_real, D_logit_fake, form=cfg.loss)
G_loss = g_loss(D_logit_fake, form=cfg.loss, objective=cfg.g_objective)
G_grad = tf.gradients(G_loss, G_sample)[0]  # one number per fake point
D_solver, G_solver = toy_graph.optimizers(D_loss, G_loss, cfg)
gan = toy_graph.ToyGan(X=X, Z=Z, G_sample=G_sample, D_real=D_real, D_fake=D_fake, D_logit_real=D_logit_real,
                       D_logit_fake=D_logit_fake, D_loss=D_loss, G_loss=G_loss, D_solver=D_solver, G_solver=G_solver,
                       theta_D=toy_graph.player_vars("D"), theta_G=toy_graph.player_vars("G"), G_grad=G_grad)

# %% [markdown]
# **Exercise 6.1** (predict, then run): before any training, where are G's points? The
# noise is spread evenly over [-1, 1], and G's weights are small and random. (a) spread
# over about [-1, 1], like the noise; (b) squeezed into a bump much narrower than the
# data; (c) already around the data, near 2.
#
# **Exercise 6.2** (predict, then run): and D, before any training: what does it say
# about the data's own centre, x = 2? (a) near 1, "real"; (b) near 1/2; (c) near 0, "fake".

# %%
# [solution 6.1] students get: prediction = ...
prediction = "b"
# [end of solution 6.1]
# [solution 6.2] students get: prediction_D = ...
prediction_D = "b"
# [end of solution 6.2]

# %% [markdown]
# ## 3. Train, and look every few steps
# Each step is the posts' iteration: one D update on a real batch and noise, one G
# update on fresh noise (`toy.train` runs `alternating_step` and calls `look`). For the
# pictures we feed 2,001 noise values spread evenly over [-1, 1]: the histogram of
# their G(z) is then G's density itself, and lines from some of them show the mapping.
# D is asked about 301 points on the line from -1 to 5.

# %%
LO, HI = -1.0, 5.0
z_even = np.linspace(-1.0, 1.0, 2001, dtype=np.float32)[:, None]
line = toy.lattice(LO, HI, 301, dim=1)
sess = tf1.Session()
sess.run(tf1.global_variables_initializer())
snaps: list[toy.Snapshot] = []


def look(step: int, losses: dict[str, float]) -> None:
    """Take a picture's worth of numbers and print the ones that say how close G is."""
    snap = toy.take_snapshot(sess, gan, z_even, line, step, losses)
    snaps.append(snap)
    d_at_mean = float(np.interp(2.0, line[:, 0], snap.d))
    print(f"step {step:5d}  G(z): mean {snap.fake.mean():6.3f} std {snap.fake.std():6.3f}  "
          f"D(2.0) {d_at_mean:.4f}  {snap.loss_text()}".rstrip())


history = toy.train(sess, gan, data, opt.steps, cfg.batch_size, rng, opt.look_every, look)

# %% [markdown]
# The first look is step 0, before any update: it answers exercises 6.1 and 6.2.

# %%
start = snaps[0]
where = ("around the data" if abs(start.fake.mean() - 2.0) < 0.5 else
         "narrow" if start.fake.std() < 0.25 else "spread")
exercises.check_prediction("6.1", prediction, where, {"a": "spread", "b": "narrow", "c": "around the data"},
                           what=f"G's points at step 0 (mean {start.fake.mean():.2f}, std {start.fake.std():.3f})")
exercises.check_prediction("6.2", prediction_D, float(np.interp(2.0, line[:, 0], start.d)),
                           {"a": (0.8, 1.0), "b": (0.2, 0.8), "c": (0.0, 0.2)}, what="D(2.0) at step 0")

# %% [markdown]
# ## 4. The pictures
# `figure1.png` puts the moments named in `panels` side by side; `frames/` holds one
# picture per look and `line_game.gif` plays them all.

# %%
panels = [min(snaps, key=lambda s: abs(s.step - int(want))) for want in opt.panels.split(",")]
print("figure 1:", toy_plots.figure_1(panels, data, LO, HI, out / "figure1.png"))
gif = toy_plots.animate(snaps, lambda s: toy_plots.line_game_figure(s, data, LO, HI), out / "frames",
                        out / "line_game.gif")
print("animation:", gif)

# %% [markdown]
# ## 5. What to look at
# * At step 0, G squeezes all of [-1, 1] into a narrow bump near 0 and D has no opinion
#   worth the name. Within a few hundred steps D's curve slopes up towards the data and
#   the whole bump slides along it, past the data (near step 600 its mean is almost 3),
#   and back: D's slope turns round as soon as G is on the far side.
# * Then the sketch and the run part ways. The paper's panel (d) is where the theory says
#   the game ends: equal densities, D = 1/2. Our D does sit near 1/2 (the grey line) once
#   G has arrived, but G's width keeps drifting: in the printed `std` column (the data's
#   is 0.5) it grows to about 0.88 by step 3,000, comes back to 0.51, and still swings
#   between 0.41 and 0.77 near the end. A nearly flat D says little about width.
# * Try `--seed 1`, or `--lr 1e-3`, and compare the `std` column: the same game, other swings.

# %%
final = snaps[-1]
print(f"after {final.step} steps: G(z) mean {final.fake.mean():.3f} (data 2.0), std {final.fake.std():.3f} (data 0.5)")
near = toy.coverage(final.fake, data).high_quality
print(f"within 3 std of the data's mean: {near:.1%} of G's samples (data: 99.7%)")

# %% [markdown]
# ## 6. Play the game by hand
# Now take the players' turns yourself. The controller (`tf_gan/toy/controller.py`)
# holds this game's graph and a session: `step_d(n)` is n of D's updates alone,
# `step_g(n)` n of G's, `run(rounds, k)` the game's own alternation (k D steps, then one
# G step), and `set(lr_d=..., lr_g=..., objective=...)` turns a knob between two steps.
# Before each move below, say what you expect: (1) D alone for 100 steps (`--hand`): where
# does D's curve go up, and where down? (2) G alone for 100 steps: does G's bump move
# towards the data, and does it stop there? (3) Then 500 rounds of the game.

# %%
hand = Controller(cfg, data, seed=opt.seed, view=(LO, HI))


def draw(game: Controller):
    return toy_plots.line_game_figure(game.snapshot(), data, LO, HI, title=f"{game.caption(sep=chr(10))}\n")


moves = [(f"D alone, {opt.hand} steps", lambda: hand.step_d(opt.hand)),
         (f"G alone, {opt.hand} steps", lambda: hand.step_g(opt.hand)),
         (f"{5 * opt.hand} rounds of the game", lambda: hand.run(5 * opt.hand))]
for number, (what, move) in enumerate(moves, start=1):
    move()
    snap = hand.snapshot()
    picture = save_figure(draw(hand), out / f"hand_{number}.png")
    print(f"{number}. {what}: {hand.caption()}; G(z) mean {snap.fake.mean():.2f}, std {snap.fake.std():.2f}; "
          f"D(2.0) {np.interp(2.0, snap.points[:, 0], snap.d):.2f} -> {picture}")

# %% [markdown]
# In a notebook the same game has buttons (Step D, Step G, Run 1 round, Play, Reset),
# sliders for the two learning rates and for k, and G's objective; the picture follows
# every click. Run as a script, the lesson skips this cell.

# %%
if lesson.in_notebook():
    from IPython.display import display

    from tf_gan.toy.widgets import Board

    hand.reset()
    hand.set(lr_d=cfg.lr_d, lr_g=cfg.lr_g, objective=cfg.g_objective)  # the lesson's knobs again
    display(Board(hand, draw).box)

