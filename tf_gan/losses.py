"""The GAN losses, in the two forms the posts write them, and the common patch of the first.

Every form takes the discriminator's *logits* l, with D = sigmoid(l):

* ``raw_log``    - the paper's formula typed literally: ``log(D)`` and ``log(1 - D)``.
  In float32, sigmoid(l) rounds to exactly 0 (or 1) once |l| is large enough,
  the log becomes -inf and training dies.
* ``raw_log_eps`` - the common patch: ``log(D + eps)`` and ``log(1 - D + eps)``, eps = 1e-8.
  The numbers stay finite, but once D is within a few eps of 0 or 1 the loss is a
  different number and its gradient fades to nothing (exactly 0 where D has rounded):
  the patch hides the symptom, it does not bring the signal back.
* ``sigmoid_ce`` - ``tf.nn.sigmoid_cross_entropy_with_logits``: the same function in
  exact arithmetic, computed as ``max(l, 0) - l*y + log(1 + exp(-|l|))``, which never
  overflows. This is why the posts recommend it.

``python -m tf_gan compare-losses`` trains with each form from the same start and shows
where they part (tf_gan/experiments/compare.py).

Goodfellow et al., "Generative Adversarial Nets" (NeurIPS 2014), Eq. 1 and Sec. 3:
D maximises log D(x) + log(1 - D(G(z))); G should maximise log D(G(z))
("non-saturating") rather than minimise log(1 - D(G(z))) ("minimax"), because the
latter has vanishing gradients early in training when D rejects every fake.
"""

from __future__ import annotations

from typing import Literal, get_args

from tf_gan.graph import tf

LossForm = Literal["sigmoid_ce", "raw_log", "raw_log_eps"]
GeneratorObjective = Literal["non_saturating", "minimax"]

LOSS_FORMS: tuple[str, ...] = get_args(LossForm)
EPS = 1e-8  # the patch's epsilon, the value most code online uses
OBJECTIVES: tuple[str, ...] = get_args(GeneratorObjective)


def bce(logits: tf.Tensor, label: float, form: LossForm = "sigmoid_ce") -> tf.Tensor:
    """Mean binary cross-entropy of D's verdicts against one label for the whole batch.

    -mean(label * log D + (1 - label) * log(1 - D)), D = sigmoid(logits). The raw form
    leaves out a term whose weight is 0, exactly as the posts write their losses (0 * log 0
    would be NaN, which they never compute).
    """
    if form == "sigmoid_ce":
        labels = tf.fill(tf.shape(logits), label)  # the function takes named arguments only
        return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=logits, labels=labels))
    if form in ("raw_log", "raw_log_eps"):
        eps = EPS if form == "raw_log_eps" else 0.0
        D = tf.sigmoid(logits)
        terms = []
        if label != 0.0:
            terms.append(label * tf.math.log(D + eps))
        if label != 1.0:
            terms.append((1.0 - label) * tf.math.log(1.0 - D + eps))
        return -tf.reduce_mean(tf.add_n(terms))
    raise ValueError(f"unknown loss form {form!r}: use one of {LOSS_FORMS}")


def d_loss(
    D_logit_real: tf.Tensor,
    D_logit_fake: tf.Tensor,
    form: LossForm = "sigmoid_ce",
    real_label: float = 1.0,
) -> tf.Tensor:
    """The discriminator's loss: call real digits real (label 1) and generated ones fake (label 0).

    ``real_label`` below 1 is one-sided label smoothing (0.9 in the gfg post).
    """
    return bce(D_logit_real, real_label, form) + bce(D_logit_fake, 0.0, form)


def d_loss_as_posted(D_real: tf.Tensor, D_fake: tf.Tensor) -> tf.Tensor:
    """D's raw loss exactly as wiseodd's and golbin's posts type it: one mean over the two logs.

    Takes the probabilities D = sigmoid(logit), as the posts do. The same number as
    ``d_loss(..., form="raw_log")`` in exact arithmetic (the mean of a sum is the sum of
    the means); in float32 the last bit may differ, so the recipes whose lessons show this
    line compute it this way, and ``tf_gan train`` trains what the lesson shows.
    """
    return -tf.reduce_mean(tf.math.log(D_real) + tf.math.log(1.0 - D_fake))


def as_posted(D_logit_real: tf.Tensor, D_logit_fake: tf.Tensor, form: LossForm = "sigmoid_ce",
              objective: GeneratorObjective = "non_saturating") -> tuple[tf.Tensor, tf.Tensor]:
    """(D_loss, G_loss) as wiseodd's and golbin's posts write them: with "raw_log", D's loss is
    their one mean (d_loss_as_posted); every other form as d_loss and g_loss compute it."""
    if form == "raw_log":
        D_loss = d_loss_as_posted(tf.sigmoid(D_logit_real), tf.sigmoid(D_logit_fake))
    else:
        D_loss = d_loss(D_logit_real, D_logit_fake, form=form)
    return D_loss, g_loss(D_logit_fake, form=form, objective=objective)


def g_loss(
    D_logit_fake: tf.Tensor,
    form: LossForm = "sigmoid_ce",
    objective: GeneratorObjective = "non_saturating",
) -> tf.Tensor:
    """The generator's loss: make D call the fakes real.

    ``non_saturating`` minimises -log D(G(z)); ``minimax`` minimises log(1 - D(G(z))).
    """
    if objective == "non_saturating":
        return bce(D_logit_fake, 1.0, form)
    if objective == "minimax":
        return -bce(D_logit_fake, 0.0, form)
    raise ValueError(f"unknown generator objective {objective!r}: use one of {OBJECTIVES}")


def form_gap(
    D_logit_real: tf.Tensor,
    D_logit_fake: tf.Tensor,
    form: LossForm,
    objective: GeneratorObjective = "non_saturating",
    real_label: float = 1.0,
) -> tf.Tensor:
    """How far `form` computes D's and G's losses from the stable form, on the same logits.

    Zero in exact arithmetic; in float32 it grows as D grows certain, until the raw
    form turns infinite. The larger of the D and the G difference.
    """
    def gap(loss_fn):
        return tf.abs(loss_fn(form) - loss_fn("sigmoid_ce"))

    return tf.maximum(gap(lambda f: d_loss(D_logit_real, D_logit_fake, f, real_label)),
                      gap(lambda f: g_loss(D_logit_fake, f, objective)))
