"""The classifier's cache and `tf_gan evaluate`, with a classifier trained in seconds on small data.

The real classifier takes minutes to train, so these tests plant a weak one in the cache
(TF_GAN_CACHE) for the data they use: the code path is the one a user gets.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import run_cli, tiny_raw, write_idx_dir

from tf_gan.eval import classifier as clf
from tf_gan.data import VALIDATION_SIZE, RawMnist
from tf_gan.eval.evaluate import evaluate

QUICK = clf.Schedule(epochs=0.05)  # a few steps: seconds, not minutes


@pytest.fixture(scope="module")
def raw() -> RawMnist:
    """Enough training images for a validation split and some real digits beyond it."""
    return tiny_raw(n_train=VALIDATION_SIZE + 200, n_test=100)


@pytest.fixture(scope="module")
def weak(raw: RawMnist) -> clf.Classifier:
    return clf.train_classifier(raw, QUICK)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, weak: clf.Classifier) -> Path:
    """TF_GAN_CACHE with `weak` cached for `raw`'s data."""
    monkeypatch.setenv(clf.CACHE_ENV, str(tmp_path / "cache"))
    clf.save(weak, clf.cache_dir())
    return clf.cache_dir()


@pytest.fixture
def data(tmp_path: Path, raw: RawMnist) -> str:
    return f"idx:{write_idx_dir(tmp_path / 'mnist', raw)}"


# --------------------------------------------------------------------------- the classifier


def test_training_is_repeatable_and_records_what_it_did(raw: RawMnist, weak: clf.Classifier) -> None:
    again = clf.train_classifier(raw, QUICK)
    assert again.info["weights_sha256"] == weak.info["weights_sha256"] == clf.weights_digest(weak.weights)
    steps = round(QUICK.epochs * (len(raw.train_images) // QUICK.batch_size))
    assert weak.info["version"] == clf.VERSION and weak.info["steps"] == steps and 0 <= weak.test_accuracy <= 1
    assert weak.info["data_sha256"] == clf.data_digest(raw)


def test_predict_gives_probabilities_and_features(weak: clf.Classifier) -> None:
    images = np.random.default_rng(0).random((2500, 784), dtype=np.float32)
    out = weak.predict(images, batch_size=1000)
    assert out.probs.shape == (2500, 10) and out.features.shape == (2500, clf.FEATURES)
    np.testing.assert_allclose(out.probs.sum(1), 1.0, rtol=1e-5)
    assert out.features.min() >= 0  # after ReLU
    # batching changes nothing but the order of float32 sums, whose kernels depend on the shapes and the CPU:
    # logits within about 1e-6, so probabilities within 1e-6 (a tiny one can differ by more than rtol alone allows)
    np.testing.assert_allclose(weak.predict(images[:7]).probs, out.probs[:7], rtol=1e-5, atol=1e-6)


def test_the_cache_round_trips(tmp_path: Path, raw: RawMnist, weak: clf.Classifier) -> None:
    clf.save(weak, tmp_path)
    loaded = clf.load(tmp_path, raw)
    assert loaded is not None and loaded.info == weak.info
    assert all(np.array_equal(loaded.weights[k], w) for k, w in weak.weights.items())


def damage(directory: Path, how: str) -> None:
    info = json.loads((directory / clf.INFO).read_text())
    if how == "truncated weights":
        (directory / clf.WEIGHTS).write_bytes((directory / clf.WEIGHTS).read_bytes()[:500])
    elif how == "other weights":
        with np.load(directory / clf.WEIGHTS) as npz:
            weights = {k: npz[k] for k in npz.files}
        weights["classifier.logits.bias"] = weights["classifier.logits.bias"] + 1
        np.savez(directory / clf.WEIGHTS, **weights)
    elif how == "bad json":
        (directory / clf.INFO).write_text("{")
    else:
        info[{"old version": "version", "other data": "data_sha256"}[how]] = "0"
        (directory / clf.INFO).write_text(json.dumps(info))


@pytest.mark.parametrize("how", ["truncated weights", "other weights", "bad json", "old version", "other data"])
def test_a_damaged_or_stale_cache_is_retrained(tmp_path: Path, raw: RawMnist, weak: clf.Classifier,
                                               how: str, caplog: pytest.LogCaptureFixture) -> None:
    clf.save(weak, tmp_path)
    damage(tmp_path, how)
    assert clf.load(tmp_path, raw) is None
    assert "training it again" in caplog.text
    retrained = clf.load_or_train(raw, tmp_path, QUICK)
    assert retrained.info["weights_sha256"] == weak.info["weights_sha256"]
    assert clf.load(tmp_path, raw) is not None


def test_cache_dir_follows_the_argument_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(clf.CACHE_ENV, raising=False)
    assert clf.cache_dir() == Path("out/classifier")
    monkeypatch.setenv(clf.CACHE_ENV, "/tmp/x")
    assert clf.cache_dir() == Path("/tmp/x/classifier") and clf.cache_dir("/a") == Path("/a")


# --------------------------------------------------------------------------- evaluate


def test_evaluate_a_samples_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], cache: Path,
                                 data: str) -> None:
    samples = tmp_path / "s.npy"
    np.save(samples, np.random.default_rng(0).random((64, 784), dtype=np.float32))
    code, err = run_cli(capsys, "evaluate", str(samples), "--data", data)
    assert code == 0, err
    record = json.loads((tmp_path / "s.eval.json").read_text())
    assert record["n"] == 64 and record["samples"] == str(samples) and sum(record["histogram"]) == 64
    assert 1 <= record["classifier_score"] <= 10 and record["frechet_distance"] >= 0
    assert record["parzen"]["sigma"] in np.logspace(-1, 0, 10) and np.isfinite(record["parzen"]["mean_nats"])
    assert record["classifier"]["version"] == clf.VERSION


def test_the_report_is_printed(tmp_path: Path, capsys: pytest.CaptureFixture[str], cache: Path, data: str) -> None:
    from tf_gan.cli import main

    assert main(["evaluate", "--reference", "noise", "--n", "50", "--data", data, "--out",
                 str(tmp_path / "noise.json")]) == 0
    text = capsys.readouterr().out
    for line in ("reference noise: 50 samples", "classifier score", "Frechet distance", "classes with >= 1%",
                 "histogram 0..9", "Parzen log-likelihood", f"classifier v{clf.VERSION}"):
        assert line in text, text
    assert json.loads((tmp_path / "noise.json").read_text())["reference"] == "noise"


@pytest.mark.slow
def test_evaluate_references_and_a_run(tmp_path: Path, capsys: pytest.CaptureFixture[str], cache: Path,
                                       data: str, weak: clf.Classifier) -> None:
    real = evaluate(None, "real", n=100, seed=3, source=data, out=tmp_path / "real.json", classifier=weak)
    assert real.record["reference"] == "real" and real.record["n"] == 100 and real.path == tmp_path / "real.json"
    run = tmp_path / "run"
    code, err = run_cli(capsys, "train", "wiseodd", "--steps", "3", "--sample-every", "3", "--data", data,
                        "--out", str(run))
    assert code == 0, err
    code, err = run_cli(capsys, "evaluate", str(run), "--n", "30", "--data", data)
    assert code == 0, err
    record = json.loads((run / "eval.json").read_text())
    assert record["run"] == str(run) and record["checkpoint"] == "model-3" and record["n"] == 30
    code, err = run_cli(capsys, "train", "wiseodd", "--steps", "3", "--data", data, "--out", str(run), "--overwrite")
    assert code == 0 and not (run / "eval.json").exists(), err  # a run's eval.json goes with it


@pytest.mark.parametrize("argv, message", [
    (["evaluate"], "give a run directory or a samples .npy, or --reference real|noise"),
    (["evaluate", "x.npy", "--reference", "real"], "(one of them)"),
    (["evaluate", "/no/such/run"], "/no/such/run: no such run directory"),
    (["evaluate", "/no/such.npy"], "/no/such.npy: not found"),
    (["evaluate", "--reference", "fake"], "argument --reference: invalid choice"),
    (["evaluate", "--reference", "real", "--out", "r.txt"], "r.txt: --out must end in .json"),
    (["evaluate", "--reference", "real", "--n", "0"], "argument --n: must be at least 1"),
])
def test_usage_errors_are_one_line_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, err = run_cli(capsys, *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("content, message", [
    (np.full((4, 784), 255, np.uint8), "values from 255 to 255, expected [0, 1]; divide 0..255 pixels by 255"),
    (np.full((4, 28, 28), 0.5), "shape (4, 28, 28), expected (N, 784)"),
    (np.full((4, 784), np.nan), "3136 values are NaN or infinite"),
    (None, "not a readable .npy array"),
])
def test_bad_samples_files_are_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], cache: Path,
                                               data: str, content: np.ndarray | None, message: str) -> None:
    path = tmp_path / "bad.npy"
    if content is None:
        path.write_text("not numpy")
    else:
        np.save(path, content)
    code, err = run_cli(capsys, "evaluate", str(path), "--data", data)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "bad.eval.json").exists()


def test_more_real_digits_than_there_are_is_an_error(capsys: pytest.CaptureFixture[str], cache: Path,
                                                     data: str, tmp_path: Path) -> None:
    code, err = run_cli(capsys, "evaluate", "--reference", "real", "--n", "201", "--data", data,
                        "--out", str(tmp_path / "r.json"))
    assert code == 2 and "only 200 training digits lie outside the validation split" in err, err
