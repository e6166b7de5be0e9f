"""Why one loss trains and the other dies, as curves a teacher can project.

Two pictures, both computed by TensorFlow itself in float32 (the numbers the training
runs see, not an idealised formula):

* **Saturation** (Goodfellow et al. 2014, Sec. 3): the generator's two objectives as
  functions of D(G(z)), and the gradient each sends back through D's logit. Early in
  training D rejects every fake (D(G(z)) near 0): there the minimax loss
  ``log(1 - D(G(z)))`` is flat and its gradient is D(G(z)) itself, nearly 0, while the
  non-saturating ``-log D(G(z))`` has a gradient near 1.
* **Overflow**: ``log(sigmoid(l))`` typed literally against the stable form that
  ``sigmoid_cross_entropy_with_logits`` uses. Below a logit of about -88 sigmoid(l)
  rounds to exactly 0 in float32 and the log is -inf; ``log(1 - sigmoid(l))`` already
  breaks above about +17, where sigmoid(l) rounds to 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tf_gan.graph import session, tf, tf1
from tf_gan.viz.images import plt, save_figure
from tf_gan.losses import g_loss


@dataclass
class Curves:
    """Each array is one value per entry of its x-axis array (`p` or `logit`)."""

    p: np.ndarray  # D(G(z)), from 0 to 1
    minimax: np.ndarray  # log(1 - D(G(z))), what G minimises in the minimax game
    non_saturating: np.ndarray  # -log D(G(z))
    minimax_grad: np.ndarray  # d loss / d logit
    non_saturating_grad: np.ndarray
    logit: np.ndarray
    log_sigmoid_raw: np.ndarray  # log(sigmoid(l)), literally
    log_sigmoid_stable: np.ndarray  # -sigmoid_cross_entropy_with_logits(l, 1)
    log_one_minus_raw: np.ndarray  # log(1 - sigmoid(l)), literally
    log_one_minus_stable: np.ndarray  # -sigmoid_cross_entropy_with_logits(l, 0)


def curves(p: np.ndarray | None = None, logit: np.ndarray | None = None) -> Curves:
    """The generator objectives over `p` = D(G(z)) and the log forms over `logit`.

    The gradients go through tf_gan.losses.g_loss itself: the sum over a batch of
    logits has, for each entry, that example's own gradient.
    """
    p = np.linspace(0.001, 0.999, 999, dtype=np.float32) if p is None else np.asarray(p, np.float32)
    logit = np.linspace(-120, 40, 1601, dtype=np.float32) if logit is None else np.asarray(logit, np.float32)
    graph = tf.Graph()
    with graph.as_default():
        l_p = tf1.placeholder(tf.float32, [None, 1], name="logit_of_p")
        batch = tf.cast(tf.shape(l_p)[0], tf.float32)
        grads = {name: tf.gradients(g_loss(l_p, objective=name) * batch, l_p)[0]  # mean x batch = sum
                 for name in ("minimax", "non_saturating")}
        l = tf1.placeholder(tf.float32, [None], name="logit")
        forms = {
            "log_sigmoid_raw": tf.math.log(tf.sigmoid(l)),
            "log_sigmoid_stable": -tf.nn.sigmoid_cross_entropy_with_logits(logits=l, labels=tf.ones_like(l)),
            "log_one_minus_raw": tf.math.log(1.0 - tf.sigmoid(l)),
            "log_one_minus_stable": -tf.nn.sigmoid_cross_entropy_with_logits(logits=l, labels=tf.zeros_like(l)),
        }
    with session(graph) as sess:
        g = sess.run(grads, {l_p: np.log(p / (1 - p))[:, None]})
        f = sess.run(forms, {l: logit})
    return Curves(p, np.log1p(-p), -np.log(p), g["minimax"][:, 0], g["non_saturating"][:, 0], logit, **f)


def first_infinite(x: np.ndarray, y: np.ndarray, side: str) -> float:
    """The x nearest the finite region where y is already -inf (for a marker on the plot)."""
    bad = x[~np.isfinite(y)]
    return float(bad.max() if side == "left" else bad.min()) if bad.size else float("nan")


def plot_theory(path: Path | str, c: Curves | None = None) -> Path:
    """Two panels: saturation of the minimax loss, and where log(sigmoid) overflows in float32."""
    c = c or curves()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.plot(c.p, c.minimax, color="tab:red", label="minimax loss  log(1 - D(G(z)))")
    left.plot(c.p, c.non_saturating, color="tab:blue", label="non-saturating loss  -log D(G(z))")
    left.plot(c.p, np.abs(c.minimax_grad), color="tab:red", linestyle="--", label="|gradient| of minimax")
    left.plot(c.p, np.abs(c.non_saturating_grad), color="tab:blue", linestyle="--",
              label="|gradient| of non-saturating")
    left.axvspan(0, 0.1, color="grey", alpha=0.15)
    left.text(0.012, 3.2, "early training:\nD rejects the fakes", fontsize="small")
    left.set(xlabel="D(G(z)): D's belief that a fake is real", ylabel="loss, and |d loss / d logit|",
             ylim=(-4, 4.5), title="the generator's loss and its gradient")

    right.plot(c.logit, c.log_sigmoid_stable, color="tab:blue", linewidth=3, alpha=0.4,
               label="log sigmoid(l), stable (sigmoid_cross_entropy_with_logits)")
    right.plot(c.logit, c.log_sigmoid_raw, color="tab:blue", linestyle=":", label="log(sigmoid(l)), typed literally")
    right.plot(c.logit, c.log_one_minus_stable, color="tab:orange", linewidth=3, alpha=0.4,
               label="log(1 - sigmoid(l)), stable")
    right.plot(c.logit, c.log_one_minus_raw, color="tab:orange", linestyle=":",
               label="log(1 - sigmoid(l)), typed literally")
    lo, hi = c.logit.min(), c.logit.max()
    for x, side, color, what in ((first_infinite(c.logit, c.log_sigmoid_raw, "left"), "left", "tab:blue",
                                  "log(sigmoid(l))"),
                                 (first_infinite(c.logit, c.log_one_minus_raw, "right"), "right", "tab:orange",
                                  "log(1 - sigmoid(l))")):
        if np.isfinite(x):  # shade where the literal form is -inf (a line cannot show it)
            right.axvspan(lo if side == "left" else x, x if side == "left" else hi, color=color, alpha=0.12)
            right.text((lo + x) / 2 if side == "left" else (x + hi) / 2, -60,
                       f"literal {what}\n= -inf for l {'<=' if side == 'left' else '>='} {x:.1f}",
                       rotation=90, ha="center", va="center", fontsize="small", color=color)
    right.set(xlabel="logit l of D (float32)", ylabel="value", ylim=(-130, 10),
              title="the same function, computed two ways")
    for ax in (left, right):
        ax.legend(loc="lower right", fontsize="x-small")
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return save_figure(fig, path)
