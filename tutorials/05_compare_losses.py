# %% [markdown]
# # Lesson 5: the same loss, written two ways, one trains and one dies
#
# Every post in this course writes the GAN losses of Goodfellow et al. (2014, Eq. 1).
# Golbin's post types them as they read, `log(D)` and `log(1 - D)`; wiseodd's post shows
# that form and then recommends `tf.nn.sigmoid_cross_entropy_with_logits`. In exact
# arithmetic the two are one function. In float32 they are not, and this lesson shows
# where they part, why the generator should not minimise the paper's `log(1 - D(G(z)))`
# either (Sec. 3 of the paper), and then trains all of them from the same start.
#
# Run it as a script (`python tutorials/05_compare_losses.py --steps 2000`) or cell by cell.
#
# **Exercises.** A paragraph headed **Exercise 5.N** asks you to type a line, or to
# predict what a run will show; the cell after your answer checks it and says *pass*,
# *not yet* (and why) or *not done*. In the students' copy (`tutorials/exercises/`) each
# answer is a blank marked `# exercise 5.N`; while it is blank or wrong, the check hands
# back a working answer, so the rest of the lesson runs.

# %% Imports (tf_gan first: it quiets TensorFlow's start-up messages before TensorFlow loads)
import tf_gan  # noqa: F401
from pathlib import Path

import numpy as np
import tensorflow as tf

from tf_gan import exercises, lesson
from tf_gan.experiments.compare import compare, parse_seeds, summary
from tf_gan.graph import graph_mode
from tf_gan.viz.theory import curves, plot_theory

# %% Settings: the knobs of this lesson
opt = lesson.settings(
    "Lesson 5: raw log vs sigmoid cross-entropy, minimax vs non-saturating",
    steps=8000,  # per run: long enough for the raw log loss to overflow on some seeds
    seeds="1,4,6",  # three seeds; on the machines we tried, raw log died on some of them and not on others
    recipe="wiseodd",
    data="auto",
    jobs=0,  # runs at once; 0: one per CPU core
    out="out/lessons/05_compare_losses",
)
tf1 = tf.compat.v1
graph_mode(seed=0)
out = Path(opt.out)

# %% [markdown]
# ## 1. Both forms on one graph
# D's last layer gives a logit `l`; D's belief that an image is real is `D = sigmoid(l)`.
# The generator's non-saturating loss is `-log D(G(z))`. We build it twice from the same
# placeholder: typed literally, and with TensorFlow's cross-entropy, which is computed
# from the logit as `max(l, 0) - l*y + log(1 + exp(-|l|))` and never takes the log of 0.
#
# **Exercise 5.1** (type it): compute `stable`, the same `-log D` from the logit with
# `tf.nn.sigmoid_cross_entropy_with_logits` (which label `y` makes it `-log D`?): one
# number per logit, so no `reduce_mean`.

# %%
logit = tf1.placeholder(tf.float32, [None], name="logit")  # D's logit for some fake images
D = tf.sigmoid(logit)
raw = -tf.math.log(D)  # the paper's formula, typed as it reads
# [solution 5.1] students get: stable = ...
stable = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(logit), logits=logit)  # the same, stably
# [end of solution 5.1]

# %%
stable = exercises.check_stable_form("5.1", stable, logit)

# %%
eps_patch = -tf.math.log(D + 1e-8)  # the "fix" often seen online
grads = {name: tf.gradients(loss, logit)[0] for name, loss in
         [("raw", raw), ("stable", stable), ("eps_patch", eps_patch)]}
sess = tf1.Session()


def show(logits: list[float]) -> None:
    """One line per logit: D, the three losses and their gradients d loss / d logit."""
    got = sess.run({"D": D, "raw": raw, "stable": stable, "eps_patch": eps_patch, "grads": grads},
                   {logit: np.array(logits, np.float32)})
    print(f"{'logit':>7} {'D':>10} | {'raw':>9} {'stable':>9} {'eps':>9} | {'grad raw':>9} {'stable':>9} {'eps':>9}")
    for i, value in enumerate(logits):
        print(f"{value:7.1f} {got['D'][i]:10.3g} | {got['raw'][i]:9.4g} {got['stable'][i]:9.4g} "
              f"{got['eps_patch'][i]:9.4g} | {got['grads']['raw'][i]:9.4g} {got['grads']['stable'][i]:9.4g} "
              f"{got['grads']['eps_patch'][i]:9.4g}")


# %% [markdown]
# Where D is unsure (logits of a few units either way) the forms agree to float32
# rounding, in value and in gradient:

# %%
show([-4.0, -1.0, 0.0, 1.0, 4.0])

# %% [markdown]
# **Exercise 5.2** (predict, then run): the common patch for `log(0)` is `-log(D + 1e-8)`.
# At a logit of -50, where D is sure that a fake is fake, what gradient does the patched
# loss send back to G? (a) about -1, as the stable form does; (b) about 0; (c) far larger
# than 1, blown up by the tiny epsilon.

# %%
# [solution 5.2] students get: prediction = ...
prediction = "b"
# [end of solution 5.2]

# %%
exercises.check_prediction("5.2", prediction, float(sess.run(grads["eps_patch"], {logit: [-50.0]})[0]),
                           {"a": (-1.5, -0.5), "b": (-0.01, 0.01), "c": (-np.inf, -10.0)},
                           what="d loss / d logit of the patch at -50")

# %% [markdown]
# ## 2. Where they part
# As D grows certain that a fake is fake, its logit falls. Below about -88, `sigmoid(l)`
# is smaller than the smallest float32 and rounds to exactly 0: the raw loss is `inf` and
# its gradient `nan`. One such image in a batch makes the whole mean infinite, the NaN
# flows into every weight, and the run is over. The `+ 1e-8` patch keeps the number
# finite, but it is the wrong number (18.4 where the loss is 100), and look at its
# gradient: a sixth of the true one at -20, nothing at all from -50 on. Where D is most
# sure a fake is fake, the patched loss tells G the least. The stable form keeps the
# right value and the full gradient of -1.

# %%
show([-20.0, -50.0, -80.0, -90.0, -100.0, -120.0])

# %% [markdown]
# ## 3. Minimax or non-saturating: which loss should G minimise?
# The paper's game has G minimise `log(1 - D(G(z)))`; every post instead has G maximise
# `log D(G(z))`, the "non-saturating" loss. Both are in `tf_gan.losses.g_loss`;
# `tf_gan.viz.theory.curves` takes their gradients with `tf.gradients`, as we did above.
#
# **Exercise 5.3** (predict, then run): early in training D rejects the fakes, say
# D(G(z)) = 0.01. Compared with the non-saturating loss's gradient there, the minimax
# loss's is (a) about as large; (b) about a hundred times smaller; (c) about a hundred
# times larger.

# %%
# [solution 5.3] students get: prediction = ...
prediction = "b"
# [end of solution 5.3]

# %%
c = curves(p=np.array([0.001, 0.01, 0.1, 0.5, 0.9]))
print(f"{'D(G(z))':>8} {'minimax grad':>13} {'non-saturating grad':>20}")
for value, mm, ns in zip(c.p, c.minimax_grad, c.non_saturating_grad):
    print(f"{value:8.3f} {mm:13.4f} {ns:20.4f}")
exercises.check_prediction("5.3", prediction, float(c.minimax_grad[1] / c.non_saturating_grad[1]),
                           {"a": (0.5, 2.0), "b": (0.001, 0.05), "c": (50.0, np.inf)},
                           what="minimax / non-saturating gradient at D(G(z)) = 0.01")

# %% [markdown]
# Where D(G(z)) is near 0 the minimax loss is flat: its gradient with respect to the
# logit is `-D(G(z))`, almost nothing. The non-saturating loss has gradient
# `-(1 - D(G(z)))`, near -1 right where G needs it.

# %% [markdown]
# The same two facts as pictures for the projector: left, the generator losses and their
# gradients against D(G(z)); right, `log(sigmoid(l))` and `log(1 - sigmoid(l))` typed
# literally and computed stably, with the regions where the literal form is `-inf` shaded.

# %%
print("theory figure:", plot_theory(out / "theory.png"))

# %% [markdown]
# ## 4. Train them all from the same start
# `compare` trains the recipe once per variant and seed: `sigmoid_ce`, `raw_log`,
# `raw_log_eps` (all with the non-saturating G loss) and `minimax` (the stable form with
# G minimising `log(1 - D(G(z)))`). For a given seed every variant starts from the same
# weights and sees the same minibatches and the same noise, so the loss is the only
# difference. The library's guard stops a run at the first step whose loss, weights or
# optimizer state is not finite, and the table says which step that was.
# (`python -m tf_gan compare-losses` runs the same from the command line.)
#
# **Exercise 5.4** (predict, then run): on each seed `raw_log` starts where `sigmoid_ce`
# starts. While its loss is finite, how far will it be from `sigmoid_ce`'s on the same
# logits, at most (the table's "max form gap")? (a) rounding only, under 0.001;
# (b) between 0.001 and 1; (c) more than 1.

# %%
# [solution 5.4] students get: prediction = ...
prediction = "a"
# [end of solution 5.4]

# %%
outcomes = compare(opt.recipe, parse_seeds(opt.seeds), opt.steps, out / "comparison", opt.data,
                   jobs=opt.jobs or None, overwrite=True)
print(summary(outcomes))
print((out / "comparison" / "table.md").read_text().split("\n\n")[0])
raw_log_gap = max((o.max_form_gap for o in outcomes if o.variant == "raw_log" and o.max_form_gap is not None),
                  default=float("nan"))
exercises.check_prediction("5.4", prediction, raw_log_gap, {"a": (0.0, 1e-3), "b": (1e-3, 1.0), "c": (1.0, np.inf)},
                           what="largest gap between raw_log and sigmoid_ce, over the seeds")

# %% [markdown]
# ## 5. What to look at
# * `comparison/curves.png`: for the first thousand steps or so the `sigmoid_ce`,
#   `raw_log` and `raw_log_eps` curves lie on top of each other (the same function from
#   the same start). Then the rounding, different in each form, grows as small
#   differences do in any GAN, and the runs drift apart without either being wrong. A
#   raw-log run that dies ends in an x.
# * `minimax`: D wins outright. D(x) goes to 1, D(G(z)) to 0, and G's grids in
#   `comparison/grids-seedS.png` stay noise: section 3's saturation, in a real run.
# * The `max form gap` column: while it is finite, `raw_log` never differs from the stable
#   form by more than about 1e-6, until the step it is infinite. `raw_log_eps` never turns
#   infinite, but it is thousands of times further off, and where D is certain its loss
#   is a different number altogether (section 2).
# * Which seeds die, and at which step, is a matter of chance: whether D ever becomes
#   certain enough about a single fake. It even differs between machines, whose CPUs
#   round the same sums a little differently ("Repeatable" in docs/command-line.md says where runs
#   repeat exactly). Your table names the seeds and steps of your run; try other seeds,
#   or more steps. The stable form never gives that chance a way to matter.

# %%
print("pictures in", out / "comparison")
