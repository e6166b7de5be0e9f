"""Each sample-quality figure on cases whose answer is known, and one clear error for bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tf_gan.eval import metrics
from tf_gan.errors import TfGanError
from tf_gan.eval.metrics import MetricsError


def one_hot(labels: list[int] | np.ndarray, classes: int = 10) -> np.ndarray:
    return np.eye(classes)[np.asarray(labels)]


# --------------------------------------------------------------------------- classifier score and histogram


def test_confident_and_balanced_scores_the_number_of_classes() -> None:
    assert metrics.classifier_score(one_hot(np.arange(1000) % 10)) == pytest.approx(10.0)
    assert metrics.classifier_score(one_hot(np.arange(1000) % 2)) == pytest.approx(2.0)


def test_one_class_or_uncertain_scores_1() -> None:
    assert metrics.classifier_score(one_hot([3] * 100)) == pytest.approx(1.0)
    assert metrics.classifier_score(np.full((100, 10), 0.1)) == pytest.approx(1.0)


def test_score_lies_between_1_and_10() -> None:
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.full(10, 0.3), size=500)
    assert 1.0 < metrics.classifier_score(probs) < 10.0


def test_histogram_counts_predicted_classes_and_those_with_1_percent() -> None:
    labels = [0] * 150 + [1] * 49 + [2]  # 2 is predicted once in 200: under 1%; 1 holds 24.5%
    h = metrics.class_histogram(one_hot(labels))
    assert h.counts == [150, 49, 1, 0, 0, 0, 0, 0, 0, 0]
    assert h.classes_hit == 2
    assert metrics.class_histogram(one_hot([7] * 20)).classes_hit == 1
    assert metrics.class_histogram(one_hot([0] * 99 + [1])).classes_hit == 2  # exactly 1% counts


# --------------------------------------------------------------------------- Fréchet distance


@pytest.fixture
def features() -> np.ndarray:
    rng = np.random.default_rng(0)
    return rng.normal(size=(2000, 16)) @ rng.normal(size=(16, 16))  # correlated features


def test_identical_sets_are_at_distance_0(features: np.ndarray) -> None:
    assert metrics.frechet_distance(features, features) == pytest.approx(0.0, abs=1e-6)


def test_a_shift_costs_its_squared_length(features: np.ndarray) -> None:
    shift = np.arange(16) / 4.0
    assert metrics.frechet_distance(features, features + shift) == pytest.approx(np.sum(shift**2), rel=1e-6)


def test_a_scaled_set_is_at_the_trace_of_the_covariance(features: np.ndarray) -> None:
    """S2 = 4 S1: tr S1 + 4 tr S1 - 2 tr (4 S1^2)^1/2 = tr S1."""
    centred = features - features.mean(0)
    expected = np.trace(np.cov(centred, rowvar=False))
    assert metrics.frechet_distance(centred, 2 * centred) == pytest.approx(expected, rel=1e-6)


def test_singular_covariances_are_fine() -> None:
    f = np.zeros((10, 4))
    f[:, 0] = np.arange(10)
    assert metrics.frechet_distance(f, f) == pytest.approx(0.0, abs=1e-9)


# --------------------------------------------------------------------------- Parzen window


def direct_log_likelihood(x: np.ndarray, samples: np.ndarray, sigma: float) -> float:
    """log (1/N) sum_i prod_j N(x_j; s_ij, sigma^2), term by term in plain Python."""
    logs = []
    for s in samples:
        logs.append(math.fsum(-((a - b) ** 2) / (2 * sigma**2) - 0.5 * math.log(2 * math.pi * sigma**2)
                              for a, b in zip(x, s)))
    top = max(logs)
    return top + math.log(math.fsum(math.exp(v - top) for v in logs) / len(logs))


def test_parzen_matches_the_direct_formula(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metrics, "PARZEN_BATCH", 2)  # several blocks, and a last one that is short
    rng = np.random.default_rng(0)
    x, samples = rng.random((5, 784)), rng.random((7, 784))
    sigmas = (0.1, 0.3, 1.0)
    got = metrics.parzen_log_likelihoods(x, samples, sigmas)
    want = [[direct_log_likelihood(row, samples, s) for row in x] for s in sigmas]
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_parzen_chooses_sigma_on_validation_and_reports_the_test_mean() -> None:
    rng = np.random.default_rng(1)
    samples, validation, test = rng.random((40, 784)), rng.random((30, 784)), rng.random((20, 784))
    result = metrics.parzen(samples, validation, test)
    best = max(result.validation, key=result.validation.get)
    assert result.sigma == best and len(result.validation) == 10
    ll = metrics.parzen_log_likelihoods(test, samples, (best,))[0]
    assert result.mean == pytest.approx(ll.mean()) and result.stderr == pytest.approx(ll.std(ddof=1) / np.sqrt(20))


def test_parzen_prefers_samples_near_the_data() -> None:
    rng = np.random.default_rng(2)
    data = (rng.random((60, 784)) < 0.2).astype(np.float32)
    near = np.clip(data[:20] + rng.normal(0, 0.05, (20, 784)), 0, 1)
    far = rng.random((20, 784))
    assert metrics.parzen(near, data[20:40], data[40:]).mean > metrics.parzen(far, data[20:40], data[40:]).mean


def test_the_papers_monitor_scores_each_batch_of_digits_on_samples_of_its_own() -> None:
    """valid_gen_ll: sigma 0.2, batch k of the held-out digits against samples k*n ... (k+1)*n - 1, the mean."""
    rng = np.random.default_rng(3)
    samples, validation = rng.random((12, 784)), rng.random((9, 784))  # 3 batches of 3 digits, 9 samples used
    got = metrics.parzen_monitor(samples, validation, per_batch=3)
    want = np.mean([direct_log_likelihood(validation[i], samples[3 * (i // 3):3 * (i // 3) + 3], 0.2)
                    for i in range(9)])
    assert got == pytest.approx(want, rel=1e-10)
    with pytest.raises(MetricsError, match="the monitor needs 3 samples per 3 held-out digits; got 6 samples"):
        metrics.parzen_monitor(samples[:6], validation, per_batch=3)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("images, message", [
    (np.zeros((5, 28, 28)), "shape (5, 28, 28), expected (N, 784)"),
    (np.zeros(784), "shape (784,), expected (N, 784)"),
    (np.zeros((0, 784)), "shape (0, 784)"),
    (np.full((3, 784), 1.5), "values from 1.5 to 1.5, expected [0, 1]"),
    (np.full((3, 784), -0.1), "values from -0.1 to -0.1, expected [0, 1]"),
    (np.full((3, 784), 255, np.uint8), "divide 0..255 pixels by 255"),
    (np.full((3, 784), np.nan), "2352 values are NaN or infinite"),
    (np.full((3, 784), "a"), "expected real numbers"),
])
def test_bad_images_are_one_line_errors(images: np.ndarray, message: str) -> None:
    with pytest.raises(MetricsError) as error:
        metrics.check_images(images, "samples.npy")
    text = str(error.value)
    assert isinstance(error.value, TfGanError) and error.value.exit_code == 2
    assert text.startswith("samples.npy: ") and message in text and "\n" not in text, text


def test_good_images_pass_unchanged() -> None:
    images = np.linspace(0, 1, 2 * 784, dtype=np.float32).reshape(2, 784)
    np.testing.assert_array_equal(metrics.check_images(images), images)


@pytest.mark.parametrize("call, message", [
    (lambda: metrics.classifier_score(np.full((4, 10), 0.2)), "sum to 1"),
    (lambda: metrics.classifier_score(np.array([[np.nan] * 10])), "finite"),
    (lambda: metrics.class_histogram(np.ones(10)), "expected (N, classes)"),
    (lambda: metrics.frechet_distance(np.zeros((5, 3)), np.zeros((5, 4))), "different widths: 3 and 4"),
    (lambda: metrics.frechet_distance(np.zeros((1, 3)), np.zeros((5, 3))), "N >= 2"),
    (lambda: metrics.frechet_distance(np.full((5, 3), np.inf), np.zeros((5, 3))), "NaN or infinite"),
    (lambda: metrics.parzen(np.zeros((5, 784)), np.zeros((5, 10)), np.zeros((5, 784))), "evaluated images"),
])
def test_bad_figures_input_is_an_error(call, message: str) -> None:
    with pytest.raises(MetricsError) as error:
        call()
    assert message in str(error.value)
