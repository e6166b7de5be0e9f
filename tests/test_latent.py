"""The walk through the noise space: paths between noise vectors, nearest training images."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from conftest import run_cli, small_datasets, weak_classifier_cache, write_idx_dir

from tf_gan import recipes
from tf_gan.eval.nearest import copying, nearest
from tf_gan.noise import PRIORS, sample_z, spherical_path, straight_path
from tf_gan.run.sample import restored
from tf_gan.run.trainer import train


@pytest.fixture(scope="module", autouse=True)
def cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A weak classifier in TF_GAN_CACHE, for this module's runs to judge with."""
    with weak_classifier_cache(tmp_path_factory.mktemp("cache")) as directory:
        yield directory


@pytest.mark.parametrize(("prior", "bound", "variance"), [("uniform", 1.0, 1 / 3), ("normal", None, 1.0),
                                                          ("uniform_sqrt3", np.sqrt(3.0), 1.0)])
def test_each_prior_draws_the_range_and_spread_it_names(prior: str, bound: float | None, variance: float) -> None:
    z = sample_z(20_000, 10, np.random.default_rng(0), prior)
    assert z.shape == (20_000, 10) and z.dtype == np.float32
    assert abs(z.var() - variance) < 0.02 * variance and abs(z.mean()) < 0.02
    if bound is not None:  # uniform: inside its bounds and reaching close to them
        assert np.abs(z).max() <= bound and np.abs(z).max() > 0.99 * bound
    else:
        assert np.abs(z).max() > 3.0  # the normal's tails go beyond any uniform's
    with pytest.raises(ValueError, match="unknown prior"):
        sample_z(1, 1, np.random.default_rng(0), "gaussian")


@pytest.mark.parametrize("prior", PRIORS)
def test_both_paths_start_and_end_exactly_at_their_noise_vectors(prior: str) -> None:
    z0, z1 = sample_z(2, 100, np.random.default_rng(0), prior)
    for path in (straight_path(z0, z1, 7), spherical_path(z0, z1, 7)):
        assert path.shape == (7, 100) and path.dtype == np.float32
        assert np.array_equal(path[0], z0) and np.array_equal(path[-1], z1)
    straight, spherical = (np.linalg.norm(path(z0, z1, 7), axis=1)
                           for path in (straight_path, spherical_path))
    assert straight[3] < 0.9 * min(straight[0], straight[-1])  # at nearly right angles: short midway
    assert spherical[3] > 0.99 * min(spherical[0], spherical[-1])  # the arc keeps the length
    same_length = z1 * np.linalg.norm(z0) / np.linalg.norm(z1)
    on_the_arc = np.linalg.norm(spherical_path(z0, same_length, 7), axis=1)
    np.testing.assert_allclose(on_the_arc, np.linalg.norm(z0), rtol=1e-5)  # on the sphere all the way


def test_the_nearest_image_and_its_distance_on_constructed_data() -> None:
    rng = np.random.default_rng(0)
    pool = rng.random((700, 784), dtype=np.float32) * 0.5
    picked = rng.choice(700, 40, replace=False)
    step = np.zeros((40, 784), np.float32)
    step[:, 0] = np.linspace(0.0, 0.3, 40)  # along one pixel, less than any two pool images differ
    found = nearest(pool[picked] + step, pool)
    assert np.array_equal(found.indices, picked)
    np.testing.assert_allclose(found.distances, step[:, 0], atol=1e-6)


def test_copies_of_training_images_are_caught_and_new_digits_are_not() -> None:
    data = small_datasets()
    train_images, fresh = data.train.images, data.validation.images  # the same kind, never seen
    copied = copying(train_images[:50], train_images, fresh[:50])
    assert copied.median_sample < 1e-2 < copied.median_test and copied.share_closer == 1.0
    honest = copying(fresh[50:100], train_images, fresh[:50])
    assert honest.share_closer < 0.2 and honest.median_sample > 0.5 * honest.median_test


@pytest.fixture(scope="module")
def data_source(tmp_path_factory: pytest.TempPathFactory) -> str:
    """small_datasets()' digits as an IDX folder: what `interpolate` compares with (--data)."""
    return f"idx:{write_idx_dir(tmp_path_factory.mktemp('mnist'), small_datasets().raw)}"


def short_run(name: str, where: Path) -> Path:
    recipe = recipes.get(name)
    cfg = recipe.Config(steps=2, sample_every=1, batch_size=16, validation_size=100, epochs=None)
    data = small_datasets(recipe.Config().pixel_range)
    return train(recipe, cfg, data, where / name, seed=0, loop="classic")


@pytest.mark.slow
# cgan asks for digits; keras_gan has batch norm, tanh pixels and normal noise; golbin, plain variables.
# (wiseodd and gfg take the same paths as golbin; each costs seconds, mostly matplotlib's.)
@pytest.mark.parametrize("name", ["cgan", "keras_gan", "golbin"])
def test_interpolate_walks_a_run_of_each_kind(name: str, tmp_path: Path, data_source: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    run = short_run(name, tmp_path)
    code, err = run_cli(capsys, "interpolate", str(run), "--pairs", "2", "--steps", "5", "--n", "20",
                        "--data", data_source)
    assert code == 0, err
    out = run / "latent"
    conditional = recipes.is_conditional(recipes.get(name))
    pictures = {"paths.png", "paths.gif", "paths_read.png", "nearest.png", "nearest_distances.png"}
    if conditional:
        pictures |= {"digits.png", "digits.gif", "digits_read.png"}
    assert pictures <= {p.name for p in out.iterdir()}
    record = json.loads((out / "latent.json").read_text())
    assert [(p["pair"], p["path"]) for p in record["paths"]] == [(1, "straight"), (1, "spherical"),
                                                                 (2, "straight"), (2, "spherical")]
    assert all(len(p["read"]) == 5 for p in record["paths"])
    assert ("digits" in record) == conditional and record["copying"]["samples"] == 20
    assert record["copying"]["median_sample"] > 0 and 0 <= record["copying"]["share_closer"] <= 1


def test_a_path_shows_its_endpoint_samples_at_its_ends(tmp_path: Path) -> None:
    run = short_run("cgan", tmp_path)
    with restored(run) as generator:
        z0, z1 = generator.noise(2, np.random.default_rng(0))
        sevens = np.full(6, 7)
        path = generator.generate(spherical_path(z0, z1, 6), sevens)
        ends = generator.generate(np.stack([z0, z1]), sevens[:2])
    np.testing.assert_allclose(path[[0, -1]], ends, atol=1e-6)
    assert not np.allclose(ends[0], ends[1], atol=1e-3)  # two different samples: the check means something


def test_interpolate_refuses_what_is_not_a_run(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_cli(capsys, "interpolate", str(tmp_path / "nothing"))
    assert code == 2 and "config.json: not found" in err and len(err.strip().splitlines()) == 1
