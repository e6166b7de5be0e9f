"""The conditional GAN: its graph takes labels, both loops feed them, a run can be asked for a digit.

Runs train for a few steps on the tests' small data, with a weak classifier planted in
TF_GAN_CACHE (as in test_quality.py) for the one that judges its samples as it trains.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from conftest import run_cli, small_datasets, weak_classifier_cache, write_idx_dir

from tf_gan.data import as_one_hot, unit_images
from tf_gan.eval import classifier as clf
from tf_gan.eval import metrics
from tf_gan.eval.evaluate import evaluate
from tf_gan.graph import seeded_graph, session, tf, tf1
from tf_gan.noise import balanced_digits
from tf_gan.recipes import cgan, wiseodd
from tf_gan.recipes.base import generator_feed
from tf_gan.run import loops
from tf_gan.run.sample import sample
from tf_gan.run.trainer import train

SMALL = dict(steps=6, sample_every=3, batch_size=16, validation_size=100)  # small_datasets' split


@pytest.fixture(scope="module", autouse=True)
def cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A weak classifier in TF_GAN_CACHE, for this module's runs to judge with."""
    with weak_classifier_cache(tmp_path_factory.mktemp("cache")) as directory:
        yield directory


@pytest.fixture(scope="module")
def cgan_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return train(cgan, cgan.Config(**SMALL), small_datasets(), tmp_path_factory.mktemp("cgan") / "run",
                 seed=0, loop="classic", eval_every=3, eval_n=20, parzen_every=6)


@pytest.fixture(scope="module")
def wiseodd_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cfg = wiseodd.Config(steps=2, sample_every=1, batch_size=16, validation_size=100)
    return train(wiseodd, cfg, small_datasets(), tmp_path_factory.mktemp("wiseodd") / "run", seed=0,
                 loop="classic")


def test_the_graph_joins_the_label_to_the_noise_and_to_the_image() -> None:
    graph = seeded_graph(0)
    with graph.as_default():
        gan = cgan.build(cgan.Config())
        init = tf1.global_variables_initializer()
    placeholders = [gan.X.shape.as_list(), gan.y.shape.as_list(), gan.Z.shape.as_list()]
    assert placeholders == [[None, 784], [None, 10], [None, 100]]
    shapes = {v.op.name: v.shape.as_list() for v in gan.theta_D + gan.theta_G}
    assert shapes == {"D_W1": [794, 128], "D_W2": [128, 1], "D_b1": [128], "D_b2": [1],
                      "G_W1": [110, 128], "G_W2": [128, 784], "G_b1": [128], "G_b2": [784]}
    z = np.repeat(np.random.default_rng(0).uniform(-1, 1, (1, 100)).astype(np.float32), 2, axis=0)
    with session(graph) as sess:
        sess.run(init)
        three_and_eight = sess.run(gan.G_sample, generator_feed(gan, z, as_one_hot(np.array([3, 8]))))
        one_image = three_and_eight[:1].repeat(2, 0)
        d_by_label = sess.run(gan.D_real, {gan.X: one_image, gan.y: as_one_hot([3, 8])})
        weights = dict(zip(shapes, sess.run(gan.theta_D + gan.theta_G)))
        with pytest.raises(tf.errors.InvalidArgumentError, match="'y'"):
            sess.run(gan.G_sample, {gan.Z: z})  # G cannot draw without being asked for a digit
    assert not np.array_equal(three_and_eight[0], three_and_eight[1])  # same z, other label, other image
    assert d_by_label[0, 0] != d_by_label[1, 0]  # D reads the label too
    for name in ("D_W1", "G_W2"):  # the post's xavier_init: stddev sqrt(2 / fan_in)
        assert abs(weights[name].std() / np.sqrt(2 / shapes[name][0]) - 1) < 0.05


@pytest.mark.parametrize("loop", ["classic", "fast"])
def test_each_loop_hands_a_conditional_recipe_its_batch_labels(loop: str) -> None:
    data = small_datasets()
    cfg = cgan.Config(steps=4, batch_size=16).resolved(data.train.num_examples)
    graph = seeded_graph(0)
    with graph.as_default():
        gan = cgan.build(cfg)
        runner = loops.make(loop, cgan, cfg, gan, data.train, np.random.default_rng(0), xla=False)
        init = tf1.global_variables_initializer()
    with session(graph) as sess:
        sess.run(init)
        runner.start(sess)
        block = runner.run(sess, 0, 4, lambda it, m: None, lambda: False)
    positions = [int(np.flatnonzero((data.train.images == image).all(1))[0])
                 for image in block.last_batch]
    assert np.array_equal(block.last_labels, as_one_hot(data.train.labels[positions]))
    assert len(set(block.last_labels.argmax(1))) > 1  # a real batch of several digits


def test_a_recipe_without_labels_gets_none() -> None:
    data = small_datasets()
    cfg = wiseodd.Config(steps=1, batch_size=16).resolved(data.train.num_examples)
    with seeded_graph(0).as_default() as graph:
        gan = wiseodd.build(cfg)
        runner = loops.make("classic", wiseodd, cfg, gan, data.train, np.random.default_rng(0))
        init = tf1.global_variables_initializer()
    with session(graph) as sess:
        sess.run(init)
        assert runner.run(sess, 0, 1, lambda it, m: None, lambda: False).last_labels is None


def test_a_conditional_run_draws_the_digits_asked_for_by_column(cgan_run: Path) -> None:
    import matplotlib.image
    from PIL import Image

    assert sorted(p.name for p in (cgan_run / "digits").iterdir()) == ["000.png", "001.png",
                                                                       "002.png"]
    height, width = matplotlib.image.imread(cgan_run / "digits" / "002.png").shape[:2]
    assert 1.6 < width / height < 2.4  # 5 rows of 10
    grid_width = Image.open(cgan_run / "grids" / "002.png").width
    with Image.open(cgan_run / "progress.gif") as gif:
        assert gif.n_frames == 3 and gif.width > grid_width + width * 0.9  # the grid, then the digits
    rows = list(csv.DictReader((cgan_run / "quality.csv").open()))
    assert [int(r["step"]) for r in rows] == [0, 3, 6]
    assert all(0 <= float(r["asked_digit_share"]) <= 1 for r in rows)
    assert [bool(r["parzen_nats"]) for r in rows] == [True, False, True]  # every digit asked alike, as evaluate


def test_sample_asks_for_a_digit_and_writes_the_labels_beside(
        cgan_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for flags, expected in ((["--digit", "3"], np.full(20, 3)), (["--balanced"], balanced_digits(20)),
                            ([], balanced_digits(20))):
        out = tmp_path / f"s{len(flags)}.npy"
        code, err = run_cli(capsys, "sample", str(cgan_run), "--n", "20", "--out", str(out), *flags)
        assert code == 0, err
        assert np.array_equal(np.load(out.with_suffix(".labels.npy")), expected)
        assert np.load(out).shape == (20, 784)
    threes, eights = (sample(cgan_run, 4, digits=np.full(4, d)) for d in (3, 8))
    assert not np.array_equal(threes, eights)  # the same noise, asked for other digits


@pytest.mark.parametrize("flags, message", [
    (["--digit", "3"], "is a wiseodd run: its generator takes no digit"),
    (["--balanced"], "--digit and --balanced need a conditional run"),
    (["--digit", "10"], "argument --digit: must be a digit from 0 to 9, got '10'"),
    (["--digit", "-1"], "argument --digit: must be a digit from 0 to 9, got '-1'"),
    (["--digit", "3", "--balanced"], "not allowed with argument"),
])
def test_asking_a_run_for_a_digit_it_cannot_give_is_one_line_exit_2(
        wiseodd_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str],
        message: str) -> None:
    out = tmp_path / "s.npy"
    code, err = run_cli(capsys, "sample", str(wiseodd_run), "--out", str(out), *flags)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err
    assert not out.exists()


# ------------------------------------------------------------------------ the digit asked, measured


def test_the_share_read_as_the_digit_asked_on_constructed_verdicts() -> None:
    asked = balanced_digits(100)
    right = metrics.asked_digit_shares(np.eye(10)[asked], asked)  # every sample read as asked
    assert right.shares == [1.0] * 10 and right.counts == [10] * 10
    assert right.mean == right.lowest == 1.0
    read = asked.copy()
    read[asked == 3] = [3, 3, 3, 8, 8, 3, 3, 3, 3, 3]  # two of the ten 3s read as 8s
    partly = metrics.asked_digit_shares(np.eye(10)[read], asked)
    assert partly.shares[3] == 0.8 and partly.lowest == 0.8 and partly.mean == pytest.approx(0.98)
    blind = metrics.asked_digit_shares(np.eye(10)[np.random.default_rng(0).integers(0, 10, 5000)],
                                       balanced_digits(5000))  # a generator that ignores its label
    assert 0.05 < blind.mean < 0.15
    only_sevens = metrics.asked_digit_shares(np.eye(10)[[7, 7, 1]], np.array([7, 7, 7]))
    assert only_sevens.shares[7] == pytest.approx(2 / 3)
    assert only_sevens.shares[0] is None and only_sevens.counts[0] == 0  # never asked for
    with pytest.raises(metrics.MetricsError, match="expected 0 to 9"):
        metrics.asked_digit_shares(np.eye(10)[[1, 2]], np.array([1, 10]))
    with pytest.raises(metrics.MetricsError, match="one per sample"):
        metrics.asked_digit_shares(np.eye(10)[[1, 2]], np.array([1]))


class ByLookup(clf.Classifier):
    """A judge that knows the true label of every real digit it is shown: always right on them."""

    def __init__(self, images: np.ndarray, labels: np.ndarray) -> None:
        super().__init__({}, {"version": "lookup", "test_accuracy": 1.0})
        self.known = {image.tobytes(): label for image, label in zip(images, labels)}

    def predict(self, images: np.ndarray, batch_size: int = 1000) -> clf.Predictions:
        labels = [self.known.get(np.asarray(image, np.float32).tobytes(), 0) for image in images]
        features = np.asarray(images, np.float64)[:, 300:340] + np.eye(10)[labels].repeat(4, 1)
        return clf.Predictions(np.eye(10)[labels], features)


def test_real_digits_asked_for_their_own_labels_score_about_100_percent(tmp_path: Path) -> None:
    """evaluate on a .npy with its labels beside it, as `sample` writes them for a conditional run"""
    raw = small_datasets().raw
    images, labels = unit_images(raw.train_images[:300]), raw.train_labels[:300].astype(np.int64)
    judge = ByLookup(np.concatenate([images, unit_images(raw.test_images)]),
                     np.concatenate([labels, raw.test_labels]))
    data = f"idx:{write_idx_dir(tmp_path / 'mnist', raw)}"
    np.save(tmp_path / "real.npy", images)
    np.save(tmp_path / "real.labels.npy", labels)
    def measured() -> dict:
        return evaluate(tmp_path / "real.npy", source=data, classifier=judge).record

    result = evaluate(tmp_path / "real.npy", source=data, classifier=judge)
    assert result.record["asked_digits"]["shares"] == [1.0] * 10
    assert result.record["asked_digits"]["lowest"] == 1.0
    assert "read as the digit asked  100.0%" in result.text and "Mirza and Osindero" in result.text
    np.save(tmp_path / "real.labels.npy", (labels + 1) % 10)  # asked for the next digit: never right
    assert measured()["asked_digits"]["mean"] == 0.0
    (tmp_path / "real.labels.npy").unlink()
    assert "asked_digits" not in measured()
