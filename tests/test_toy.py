"""The toy games' plumbing: data, mode counting, the training loop and the pictures.

The lessons themselves run as scripts in tests/test_lessons.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tf_gan import graph
from tf_gan.toy import game as toy, graph as toy_graph, plots as toy_plots
from tf_gan.viz.images import save_gif
from tf_gan.noise import sample_z


# Data ----------------------------------------------------------------------------------


def test_ring_has_its_modes_evenly_on_the_circle() -> None:
    data = toy.ring(modes=8, radius=2.0, std=0.05)
    assert data.centers.shape == (8, 2)
    np.testing.assert_allclose(np.linalg.norm(data.centers, axis=1), 2.0)
    gaps = np.linalg.norm(data.centers - np.roll(data.centers, 1, axis=0), axis=1)
    np.testing.assert_allclose(gaps, 2 * 2.0 * np.sin(np.pi / 8))


def test_grid_is_a_centred_lattice() -> None:
    data = toy.grid(side=5, spacing=2.0)
    assert data.centers.shape == (25, 2)
    assert sorted(set(data.centers[:, 0])) == [-4.0, -2.0, 0.0, 2.0, 4.0]
    assert len({tuple(c) for c in data.centers}) == 25


def test_samples_lie_around_the_modes_with_the_given_spread() -> None:
    data = toy.ring(std=0.05)
    x = data.sample(20_000, np.random.default_rng(0))
    assert x.shape == (20_000, 2) and x.dtype == np.float32
    nearest = np.linalg.norm(x[:, None] - data.centers[None], axis=2).argmin(1)
    offsets = x - data.centers[nearest]
    assert abs(offsets.std() - 0.05) < 0.002
    assert np.all(np.bincount(nearest, minlength=8) > 2000)  # every mode gets its eighth, about 2,500


def test_one_gaussian_and_its_density() -> None:
    data = toy.gaussian_1d(mean=2.0, std=0.5)
    x = data.sample(50_000, np.random.default_rng(1))
    assert x.shape == (50_000, 1)
    assert abs(x.mean() - 2.0) < 0.01 and abs(x.std() - 0.5) < 0.01
    line = toy.lattice(-2.0, 6.0, 8001, dim=1)
    density = data.density(line)
    assert abs(density.sum() * (8.0 / 8000) - 1.0) < 1e-6  # a density integrates to 1
    assert density.argmax() == np.abs(line[:, 0] - 2.0).argmin()


def test_the_same_seed_gives_the_same_data() -> None:
    data = toy.grid()
    a, b = data.sample(100, np.random.default_rng(3)), data.sample(100, np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, data.sample(100, np.random.default_rng(4)))


def test_lattice_covers_the_square_with_x_varying_fastest() -> None:
    points = toy.lattice(-1.0, 1.0, 3, dim=2)
    assert points.shape == (9, 2)
    np.testing.assert_array_equal(points[:3], [[-1, -1], [0, -1], [1, -1]])


# Mode coverage -------------------------------------------------------------------------


def test_samples_on_three_of_eight_modes_hit_three() -> None:
    data = toy.ring()
    samples = np.repeat(data.centers[[0, 3, 5]], 100, axis=0)
    result = toy.coverage(samples, data)
    assert result.modes_hit == 3
    assert result.hit.tolist() == [True, False, False, True, False, True, False, False]
    assert result.high_quality == 1.0
    assert result.landed.tolist() == [100, 0, 0, 100, 0, 100, 0, 0]


def test_points_far_from_every_mode_hit_nothing() -> None:
    data = toy.ring()
    result = toy.coverage(np.zeros((500, 2)) + [0.3, -0.2], data)  # near the ring's centre, 1.6 from any mode
    assert result.modes_hit == 0 and result.high_quality == 0.0


def test_the_distance_rule_is_three_standard_deviations() -> None:
    data = toy.ring(std=0.05)
    center, outward = data.centers[2], data.centers[2] / np.linalg.norm(data.centers[2])
    inside = np.repeat([center + 2.9 * 0.05 * outward], 50, axis=0)
    outside = np.repeat([center + 3.1 * 0.05 * outward], 50, axis=0)
    assert toy.coverage(inside, data).hit[2]
    assert toy.coverage(outside, data).modes_hit == 0


def test_a_mode_needs_one_percent_of_the_samples() -> None:
    data = toy.ring()
    samples = np.concatenate([np.repeat(data.centers[:1], 990, axis=0),
                              np.repeat(data.centers[1:2], 9, axis=0),  # 0.9%: a few lucky samples
                              np.repeat(data.centers[2:3], 10, axis=0)])  # 1.0% of 1,009: not quite
    result = toy.coverage(samples, data)
    assert result.landed.tolist()[:3] == [990, 9, 10]
    assert result.hit.tolist()[:3] == [True, False, False]
    assert toy.coverage(samples, data, share=0.005).modes_hit == 3
    assert "1/8 modes hit" in result.line()


def test_coverage_works_on_a_line() -> None:
    data = toy.gaussian_1d(mean=2.0, std=0.5)
    result = toy.coverage(np.array([[2.0], [3.4], [3.6], [-5.0]]), data)
    assert result.landed.tolist() == [2] and result.high_quality == 0.5


# Training ------------------------------------------------------------------------------

TINY = toy_graph.Config(h_dim=8, layers=1, batch_size=16)


def tiny_run(seed: int, steps: int = 6, look_every: int = 3) -> tuple[list[dict[str, float]], list[toy.Snapshot]]:
    """A few steps of the 2-D game, exactly as lesson 7 plays it, on a tiny net."""
    with graph.seeded_graph(seed).as_default():
        gan = toy_graph.build(TINY)
        rng = np.random.default_rng(seed)
        z, points = sample_z(50, TINY.z_dim, rng), toy.lattice(-3, 3, 5, dim=2)
        snaps: list[toy.Snapshot] = []
        with graph.session() as sess:
            sess.run(graph.tf1.global_variables_initializer())
            history = toy.train(sess, gan, toy.ring(), steps, TINY.batch_size, rng, look_every,
                                lambda step, losses: snaps.append(toy.take_snapshot(sess, gan, z, points, step,
                                                                                    losses)))
    return history, snaps


def test_train_looks_before_every_few_steps_and_after_the_last() -> None:
    history, snaps = tiny_run(0, steps=7, look_every=3)
    assert len(history) == 7 and set(history[0]) == {"D_loss", "G_loss"}
    assert [s.step for s in snaps] == [0, 3, 6, 7]
    assert snaps[0].losses == {} and snaps[-1].losses == history[-1]
    snap = snaps[-1]
    assert snap.fake.shape == (50, 2) and snap.push.shape == (50, 2) and snap.d.shape == (25,)
    assert np.all((snap.d > 0) & (snap.d < 1))


def test_arrows_point_where_d_says_real() -> None:
    """The push is -d G_loss / d G(z): a small step along it raises D's verdict on that fake."""
    with graph.seeded_graph(0).as_default():
        gan = toy_graph.build(TINY)
        with graph.session() as sess:
            sess.run(graph.tf1.global_variables_initializer())
            z = sample_z(20, TINY.z_dim, np.random.default_rng(0))
            snap = toy.take_snapshot(sess, gan, z, np.zeros((1, 2), np.float32), step=0)
            length = np.linalg.norm(snap.push, axis=1, keepdims=True)
            moved = length[:, 0] > 0  # where every ReLU of D is off, D is flat and there is no push
            step = 1e-2 * snap.push[moved] / length[moved]
            before = sess.run(gan.D_real, {gan.X: snap.fake[moved]})[:, 0]
            after = sess.run(gan.D_real, {gan.X: snap.fake[moved] + step})[:, 0]
    assert moved.sum() >= 10 and np.all(after > before)


def test_the_same_seed_gives_the_same_numbers() -> None:
    history_a, snaps_a = tiny_run(5)
    history_b, snaps_b = tiny_run(5)
    history_c, _ = tiny_run(6)
    assert history_a == history_b
    for a, b in zip(snaps_a, snaps_b):
        np.testing.assert_array_equal(a.fake, b.fake)
        np.testing.assert_array_equal(a.push, b.push)
        np.testing.assert_array_equal(a.d, b.d)
    assert history_a != history_c


# Pictures ------------------------------------------------------------------------------


def fake_snapshot(step: int, dim: int, rng: np.random.Generator) -> toy.Snapshot:
    """A snapshot made of numbers, no TensorFlow: enough to draw."""
    z = np.linspace(-1, 1, 200, dtype=np.float32)[:, None] if dim == 1 else rng.uniform(-1, 1, (200, 2))
    fake = 2 * z + 1 if dim == 1 else 2 * z
    points = toy.lattice(-1, 5, 50, 1) if dim == 1 else toy.lattice(-3, 3, 20, 2)
    return toy.Snapshot(step, z, fake, -fake, points, rng.uniform(0, 1, len(points)), {})


def test_figure_1_and_its_animation_are_written(tmp_path: Path) -> None:
    rng, data = np.random.default_rng(0), toy.gaussian_1d()
    snaps = [fake_snapshot(step, 1, rng) for step in (0, 10, 20)]
    (tmp_path / "frames").mkdir()
    for stale in ("003.png", "notes.txt"):  # a longer earlier run's frame goes, anything else stays
        (tmp_path / "frames" / stale).write_text("old")
    path = toy_plots.figure_1(snaps, data, -1, 5, tmp_path / "figure1.png")
    with Image.open(path) as im:
        assert im.format == "PNG" and im.width > 2 * im.height  # a row of panels
    gif = toy_plots.animate(snaps, lambda s: toy_plots.line_game_figure(s, data, -1, 5), tmp_path / "frames",
                            tmp_path / "game.gif")
    assert sorted(p.name for p in (tmp_path / "frames").iterdir()) == ["000.png", "001.png", "002.png", "notes.txt"]
    with Image.open(gif) as im:
        assert im.n_frames == 3


def test_plane_pictures_are_written_in_colour(tmp_path: Path) -> None:
    rng, data = np.random.default_rng(0), toy.ring()
    snaps = [fake_snapshot(step, 2, rng) for step in (0, 5)]
    cover = toy.coverage(snaps[-1].fake, data)
    panels = toy_plots.plane_panels([("start", snaps[0], None), ("end", snaps[1], cover)], snaps[0].fake, data,
                                    -3, 3, tmp_path / "panels.png")
    assert panels.stat().st_size > 10_000
    gif = toy_plots.animate(snaps, lambda s: toy_plots.plane_game_figure(s, snaps[0].fake, -3, 3),
                            tmp_path / "frames", tmp_path / "plane.gif")
    with Image.open(gif) as im:
        assert im.n_frames == 2
        rgb = np.asarray(im.convert("RGB"), dtype=int)
    assert np.abs(rgb[..., 0] - rgb[..., 2]).max() > 100  # the heat map's purple and green survived


def test_a_grey_gif_stays_grey(tmp_path: Path) -> None:
    frame = tmp_path / "f.png"
    Image.new("RGB", (30, 30), (200, 40, 40)).save(frame)
    with Image.open(save_gif([frame], ["one"], tmp_path / "g.gif")) as im:
        assert im.convert("RGB").getpixel((10, 25))[0] == im.convert("RGB").getpixel((10, 25))[2]


@pytest.mark.parametrize("bad", [[], ["a", "b"]])
def test_a_gif_needs_a_caption_per_frame(tmp_path: Path, bad: list[str]) -> None:
    frames = [] if not bad else [tmp_path / "x.png"]
    with pytest.raises(ValueError, match="one caption per frame"):
        save_gif(frames, bad, tmp_path / "x.gif", color=True)
