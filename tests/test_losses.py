"""The raw-log and sigmoid-cross-entropy losses agree where both are finite, and part where they should."""

from __future__ import annotations

import numpy as np
import pytest

from tf_gan.graph import tf, tf1
from tf_gan.losses import d_loss, form_gap, g_loss


def evaluate(build, real: np.ndarray, fake: np.ndarray):
    """Run `build(logit_real, logit_fake) -> loss`; return the loss and its gradients w.r.t. both inputs."""
    graph = tf.Graph()
    with graph.as_default():
        lr = tf1.placeholder(tf.float32, [None, 1])
        lf = tf1.placeholder(tf.float32, [None, 1])
        loss = build(lr, lf)
        grads = [g if g is not None else tf.zeros_like(x) for g, x in zip(tf.gradients(loss, [lr, lf]), [lr, lf])]
    with tf1.Session(graph=graph) as sess:
        return sess.run([loss, *grads], {lr: real, lf: fake})


LOGITS = np.linspace(-8.0, 8.0, 33, dtype=np.float32)[:, None]
RNG_LOGITS = np.random.default_rng(0).normal(0, 3, (64, 1)).astype(np.float32)

CASES = {
    "d_loss": lambda form: lambda lr, lf: d_loss(lr, lf, form=form),
    "d_loss smoothed": lambda form: lambda lr, lf: d_loss(lr, lf, form=form, real_label=0.9),
    "g_loss non-saturating": lambda form: lambda lr, lf: g_loss(lf, form=form),
    "g_loss minimax": lambda form: lambda lr, lf: g_loss(lf, form=form, objective="minimax"),
}


@pytest.mark.parametrize("form", ["raw_log", "raw_log_eps"])
@pytest.mark.parametrize("case", CASES)
def test_forms_agree_in_value_and_gradient(case: str, form: str) -> None:
    ce = evaluate(CASES[case]("sigmoid_ce"), LOGITS, RNG_LOGITS[: len(LOGITS)])
    raw = evaluate(CASES[case](form), LOGITS, RNG_LOGITS[: len(LOGITS)])
    for a, b in zip(ce, raw):
        np.testing.assert_allclose(a, b, rtol=2e-4, atol=1e-6)


def test_matches_the_formula_by_hand() -> None:
    lr, lf = RNG_LOGITS[:32], RNG_LOGITS[32:]
    D_real, D_fake = 1 / (1 + np.exp(-lr.astype(np.float64))), 1 / (1 + np.exp(-lf.astype(np.float64)))
    want_d = -np.mean(0.9 * np.log(D_real) + 0.1 * np.log(1 - D_real)) - np.mean(np.log(1 - D_fake))
    want_g = -np.mean(np.log(D_fake))
    got_d = evaluate(lambda a, b: d_loss(a, b, real_label=0.9), lr, lf)[0]
    got_g = evaluate(lambda a, b: g_loss(b), lr, lf)[0]
    np.testing.assert_allclose([got_d, got_g], [want_d, want_g], rtol=1e-5)


def test_raw_log_dies_where_cross_entropy_lives() -> None:
    """A confident D (logit -120 on a fake) rounds D(G(z)) to exactly 0 in float32."""
    lf = np.full((4, 1), -120.0, np.float32)
    raw = evaluate(lambda a, b: g_loss(b, form="raw_log"), lf, lf)
    ce = evaluate(lambda a, b: g_loss(b, form="sigmoid_ce"), lf, lf)
    assert np.isinf(raw[0]) and not np.all(np.isfinite(raw[2]))
    np.testing.assert_allclose(ce[0], 120.0, rtol=1e-6)
    assert np.all(np.isfinite(ce[2]))


def test_the_eps_patch_hides_the_overflow_but_not_the_lost_gradient() -> None:
    """log(D + 1e-8) stays finite where D rounded to 0, but it is the wrong number and G learns nothing."""
    lf = np.full((4, 1), -120.0, np.float32)
    loss, _, grad = evaluate(lambda a, b: g_loss(b, form="raw_log_eps"), lf, lf)
    assert loss == pytest.approx(-np.log(1e-8), rel=1e-4)  # 18.4, where the true loss is 120
    assert np.all(grad == 0.0)  # the stable form's gradient here is -1 per example / batch
    assert np.all(evaluate(lambda a, b: g_loss(b), lf, lf)[2] == pytest.approx(-0.25))


@pytest.mark.parametrize("form, lo, hi", [("raw_log", 0.0, 1e-5), ("raw_log_eps", 1e-7, 1e-4)])
def test_form_gap_is_small_while_both_forms_are_finite(form: str, lo: float, hi: float) -> None:
    gap = evaluate(lambda a, b: form_gap(a, b, form), LOGITS, RNG_LOGITS[: len(LOGITS)])[0]
    assert lo <= gap < hi


def test_form_gap_grows_as_d_grows_certain() -> None:
    """Near the float32 edge the literal log is far off (eps patch) or infinite (raw)."""
    real, fake = np.full((4, 1), 10.0, np.float32), np.full((4, 1), -120.0, np.float32)
    assert np.isinf(evaluate(lambda a, b: form_gap(a, b, "raw_log"), real, fake)[0])
    assert evaluate(lambda a, b: form_gap(a, b, "raw_log_eps"), real, fake)[0] == pytest.approx(120 + np.log(1e-8),
                                                                                                rel=1e-4)


def test_minimax_saturates_where_non_saturating_does_not() -> None:
    """When D rejects the fakes (D(G(z)) near 0), minimax gives G almost no gradient."""
    lf = np.full((1, 1), -10.0, np.float32)
    minimax = evaluate(lambda a, b: g_loss(b, objective="minimax"), lf, lf)[2]
    non_sat = evaluate(lambda a, b: g_loss(b), lf, lf)[2]
    assert abs(minimax.item()) < 1e-4 < 0.99 < abs(non_sat.item())


def test_unknown_form() -> None:
    with tf.Graph().as_default(), pytest.raises(ValueError, match="unknown loss form"):
        d_loss(tf.zeros([1, 1]), tf.zeros([1, 1]), form="log")
    with tf.Graph().as_default(), pytest.raises(ValueError, match="unknown generator objective"):
        g_loss(tf.zeros([1, 1]), objective="wasserstein")
