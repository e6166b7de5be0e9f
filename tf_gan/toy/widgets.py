"""Buttons and sliders for the toy game (ipywidgets): a class takes the players' turns itself.

Step D, Step G, Play (rounds of the game's own alternation until pressed again), Reset;
sliders for both learning rates and for k (D steps per G step); a choice of G's objective.
After every action the picture is drawn again, to a PNG shown in an ``Image`` widget: one
matplotlib figure per move keeps the page fast and needs no interactive backend. Each
control only calls the Controller (tf_gan/toy/controller.py), so everything a button does
is tested there, and ``Board.press`` drives the same handlers from code.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable

import ipywidgets as w
import matplotlib.pyplot as plt

from tf_gan.losses import OBJECTIVES
from tf_gan.toy.controller import Controller

PLAY_ROUNDS = 10  # rounds per redraw while playing: a picture every 10 rounds keeps up on a laptop


LEARNING_RATES = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1)  # a slider's stops


def learning_rates(current: float, label: str) -> w.SelectionSlider:
    """A slider over LEARNING_RATES and the game's own rate, exactly: a log slider would round 3e-4 to 3.16e-4
    and so change the lesson's game before anyone touched it."""
    stops = sorted({*LEARNING_RATES, current})
    return w.SelectionSlider(options=[(f"{rate:g}", rate) for rate in stops], value=current, description=label)


def png(fig: plt.Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    plt.close(fig)
    return buffer.getvalue()


class Board:
    """The controls and the picture of one game; `box` is what a notebook displays."""

    def __init__(self, game: Controller, draw: Callable[[Controller], plt.Figure]) -> None:
        self.game, self.draw = game, draw
        self.lock = threading.Lock()  # Play's thread and a click never run the game at once
        self.picture = w.Image(format="png")
        self.status = w.Label()
        self.buttons = {name: w.Button(description=name) for name in ("Step D", "Step G", "Run 1 round", "Reset")}
        self.play = w.ToggleButton(description="Play", tooltip="rounds of k D steps and one G step, until pressed again")
        self.lr_d = learning_rates(game.lr_d, "lr D")
        self.lr_g = learning_rates(game.lr_g, "lr G")
        self.k = w.IntSlider(value=1, min=1, max=10, description="k (D per G)")
        self.objective = w.Dropdown(options=list(OBJECTIVES), value=game.objective, description="G loss")
        actions = {"Step D": lambda: game.step_d(1), "Step G": lambda: game.step_g(1),
                   "Run 1 round": lambda: game.run(1, self.k.value), "Reset": game.reset}
        for name, act in actions.items():
            self.buttons[name].on_click(lambda _, act=act: self.after(act))
        for knob in (self.lr_d, self.lr_g, self.objective):
            knob.observe(lambda _: self.after(self.turn_knobs), names="value")
        self.play.observe(self.toggle_play, names="value")
        self.box = w.VBox([w.HBox([*self.buttons.values(), self.play]),
                           w.HBox([self.lr_d, self.lr_g]), w.HBox([self.k, self.objective]),
                           self.picture, self.status])
        self.redraw()

    def turn_knobs(self) -> None:
        self.game.set(lr_d=self.lr_d.value, lr_g=self.lr_g.value, objective=self.objective.value)

    def after(self, act: Callable[[], None]) -> None:
        with self.lock:
            act()
            self.redraw()

    def redraw(self) -> None:
        self.picture.value = png(self.draw(self.game))
        self.status.value = self.game.caption()

    def press(self, name: str) -> None:
        """Click a button from code (the lesson's scripted walk, the tests): the same handler a click runs."""
        self.buttons[name].click()

    def toggle_play(self, change: dict) -> None:
        if change["new"]:
            threading.Thread(target=self._play, daemon=True).start()

    def _play(self) -> None:
        while self.play.value:
            self.after(lambda: self.game.run(PLAY_ROUNDS, self.k.value))
