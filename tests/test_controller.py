"""The toy game played by hand: each move moves only its player, the knobs act at the next step, a replay repeats."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from tf_gan.errors import TfGanError
from tf_gan.toy import game as toy
from tf_gan.toy.controller import Controller
from tf_gan.toy.graph import Config

CFG = Config(x_dim=2, z_dim=2, h_dim=32, batch_size=64)


@pytest.fixture
def game() -> Controller:
    controller = Controller(CFG, toy.ring(modes=8, radius=2.0, std=0.05), seed=3)
    yield controller
    controller.close()


def moved(before: dict, after: dict) -> set[str]:
    return {name.split("/")[0] for name in before if not np.array_equal(before[name], after[name])}


def test_a_d_step_moves_only_d_and_a_g_step_only_g(game: Controller) -> None:
    start = game.weights()
    game.step_d(1)
    after_d = game.weights()
    assert moved(start, after_d) == {"D"}
    game.step_g(1)
    assert moved(after_d, game.weights()) == {"G"}
    assert (game.d_steps, game.g_steps) == (1, 1) and "D steps 1, G steps 1" in game.caption()


def test_a_changed_learning_rate_is_the_one_the_next_step_uses(game: Controller) -> None:
    """From the same state, Adam's step is proportional to its learning rate: D's second step at 2e-3 is
    twice the same step at 1e-3, to float32's rounding."""
    game.step_d(1)
    state = {name: value.copy() for name, value in game.weights().items()}
    steps = {}
    for lr in (1e-3, 2e-3):
        game.reset()
        game.step_d(1)  # the same first step
        np.testing.assert_array_equal(game.weights()["D/dense/kernel"], state["D/dense/kernel"])
        game.set(lr_d=lr)
        game.step_d(1)
        steps[lr] = game.weights()["D/dense/kernel"] - state["D/dense/kernel"]
    np.testing.assert_allclose(steps[2e-3], 2 * steps[1e-3], rtol=1e-3, atol=1e-9)


def test_the_same_moves_from_the_same_seed_end_in_the_same_weights(game: Controller) -> None:
    def play() -> dict:
        game.reset()
        game.run(rounds=5, k=2)
        game.set(lr_g=3e-3, objective="minimax")
        game.step_g(3)
        game.step_d(4)
        return game.weights()

    first = play()
    game.set(lr_g=CFG.lr_g, objective="non_saturating")
    second = play()
    assert first.keys() == second.keys() and all(np.array_equal(first[k], second[k]) for k in first)


def test_minimax_starves_g_once_d_rejects_its_fakes(game: Controller) -> None:
    """Lesson 5's point, in the plane: after D trains alone, the minimax objective gives G's fakes a far
    weaker push than the non-saturating one, from the same weights."""
    game.step_d(300)
    pushes = {}
    for objective in ("non_saturating", "minimax"):
        game.set(objective=objective)
        snap = game.snapshot()
        pushes[objective] = float(np.linalg.norm(snap.push, axis=1).mean())
    assert pushes["minimax"] < 0.2 * pushes["non_saturating"]


@pytest.mark.parametrize("change, message", [({"lr_d": 0}, "lr_d must be a number between 0 and 1"),
                                             ({"lr_g": "fast"}, "lr_g must be a number"),
                                             ({"objective": "wasserstein"}, "objective must be one of non_saturating, minimax")])
def test_bad_knobs_are_refused_in_one_line(game: Controller, change: dict, message: str) -> None:
    with pytest.raises(TfGanError, match=message):
        game.set(**change)


def test_a_line_game_plays_too() -> None:
    line = Controller(dataclasses.replace(CFG, x_dim=1, z_dim=1), toy.gaussian_1d(), seed=0)
    line.run(rounds=3)
    snap = line.snapshot()
    assert snap.fake.shape == (600, 1) and snap.d.shape == (60,) and (line.d_steps, line.g_steps) == (3, 3)
    line.close()


def test_the_board_s_buttons_and_sliders_move_the_game_and_redraw(game: Controller) -> None:
    """What a click does, driven from code: the same handlers the browser's clicks run."""
    from tf_gan.toy import plots as toy_plots
    from tf_gan.toy.widgets import Board

    real = game.data.sample(200, np.random.default_rng(0))
    board = Board(game, lambda g: toy_plots.plane_game_figure(g.snapshot(), real, *g.view, title=g.caption()))
    first = bytes(board.picture.value)
    assert first.startswith(b"\x89PNG") and board.status.value.startswith("D steps 0, G steps 0")
    board.press("Step D")
    board.press("Step G")
    board.k.value = 3
    board.press("Run 1 round")
    assert (game.d_steps, game.g_steps) == (4, 2) and bytes(board.picture.value) != first
    assert game.lr_d == CFG.lr_d and board.lr_d.value == CFG.lr_d  # the board changed nothing by itself
    board.lr_d.value = 1e-2
    board.objective.value = "minimax"
    assert game.lr_d == pytest.approx(1e-2) and game.objective == "minimax" and "G minimax" in board.status.value
    board.press("Reset")
    assert (game.d_steps, game.g_steps) == (0, 0) and game.lr_d == pytest.approx(1e-2)  # the knobs stay as set
