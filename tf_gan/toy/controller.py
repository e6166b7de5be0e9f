"""Play the toy game by hand: step D, step G, turn a knob between steps, and look after each move.

GAN Lab (Kahng et al., 2018) lets a class click "train D one step" and "train G one step"
and see D's verdicts and G's points move. In TF1 graph mode this comes for free: the
graph and its session live in the kernel, and each click is one ``session.run``. The
learning rates and G's objective are graph inputs (tf_gan/toy/graph.py, ``build(cfg, playable=True)``),
so changing them between steps never rebuilds anything; ``reset`` starts the same game
again from the same seed. Lessons 6 and 7 drive it from code (a scripted walk through the
moves) and from buttons (tf_gan/toy/widgets.py).
"""

from __future__ import annotations

import dataclasses
import numpy as np

from tf_gan.errors import TfGanError
from tf_gan.graph import seeded_graph, session, tf1
from tf_gan.losses import OBJECTIVES, GeneratorObjective
from tf_gan.noise import sample_z
from tf_gan.toy.game import Mixture, Snapshot, lattice, take_snapshot
from tf_gan.toy.graph import Config, build

PICTURE_POINTS = 60  # D is asked at PICTURE_POINTS (line) or PICTURE_POINTS**2 (plane) points for a picture
FIXED_FAKES = 600  # the fakes each picture shows, from one fixed noise batch


class Controller:
    """A toy GAN, its session and its counters; every method is one move of the game."""

    def __init__(self, cfg: Config, data: Mixture, seed: int = 0, view: tuple[float, float] = (-4.0, 4.0)) -> None:
        if cfg.x_dim != data.dim:
            raise TfGanError(f"the game's points have {cfg.x_dim} dimensions, the data {data.dim}")
        self.cfg, self.data, self.seed, self.view = cfg, data, seed, view
        self.graph = seeded_graph(seed)
        with self.graph.as_default():
            self.gan = build(cfg, playable=True)
            self.init = tf1.global_variables_initializer()
        self.graph.finalize()  # a move may not add an op: a click costs one session.run, never a rebuild
        self.points = lattice(*view, PICTURE_POINTS, cfg.x_dim)
        self.lr_d, self.lr_g, self.objective = cfg.lr_d, cfg.lr_g, cfg.g_objective
        self.sess: tf1.Session | None = None
        self.reset()

    def reset(self) -> None:
        """The same game from the start: the seed's initial weights, data and noise; the knobs stay as set.

        A new session: TensorFlow's random initialisers draw again from their seed in a
        fresh session, so the weights are the first run's, bit for bit.
        """
        if self.sess is not None:
            self.sess.close()
        self.sess = session(self.graph)
        self.sess.run(self.init)
        self.rng = np.random.default_rng(self.seed)
        self.z_fixed = sample_z(FIXED_FAKES, self.cfg.z_dim, np.random.default_rng([self.seed, 1]))
        self.d_steps = self.g_steps = 0
        self.last: dict[str, float] = {}

    def _noise(self) -> np.ndarray:
        return sample_z(self.cfg.batch_size, self.cfg.z_dim, self.rng)

    def _knobs(self) -> dict:
        knobs = self.gan.knobs
        return {knobs.lr_d: self.lr_d, knobs.lr_g: self.lr_g, knobs.minimax: self.objective == "minimax"}

    def step_d(self, n: int = 1) -> None:
        """`n` of D's updates alone, each on a real batch and fresh noise, at the current lr_d."""
        for _ in range(n):
            feed = {self.gan.X: self.data.sample(self.cfg.batch_size, self.rng), self.gan.Z: self._noise()}
            _, loss = self.sess.run([self.gan.D_solver, self.gan.D_loss], {**feed, **self._knobs()})
            self.d_steps += 1
            self.last["D_loss"] = float(loss)

    def step_g(self, n: int = 1) -> None:
        """`n` of G's updates alone, each on fresh noise, at the current lr_g and objective; D does not move."""
        for _ in range(n):
            _, loss = self.sess.run([self.gan.G_solver, self.gan.G_loss], {self.gan.Z: self._noise(), **self._knobs()})
            self.g_steps += 1
            self.last["G_loss"] = float(loss)

    def run(self, rounds: int = 1, k: int = 1) -> None:
        """The game's own alternation: `rounds` times, k steps of D then one of G (Algorithm 1 of the paper)."""
        if k < 1 or rounds < 0:
            raise TfGanError(f"run needs k >= 1 D steps per G step and rounds >= 0, got k={k}, rounds={rounds}")
        for _ in range(rounds):
            self.step_d(k)
            self.step_g(1)

    def set(self, lr_d: float | None = None, lr_g: float | None = None, objective: GeneratorObjective | None = None) -> None:
        """Turn a knob; it is used from the next step on."""
        for name, value in (("lr_d", lr_d), ("lr_g", lr_g)):
            if value is not None and not (isinstance(value, (int, float)) and 0 < value < 1):
                raise TfGanError(f"{name} must be a number between 0 and 1, got {value!r}")
        if objective not in (None, *OBJECTIVES):
            raise TfGanError(f"objective must be one of {', '.join(OBJECTIVES)}, got {objective!r}")
        self.lr_d = self.lr_d if lr_d is None else float(lr_d)
        self.lr_g = self.lr_g if lr_g is None else float(lr_g)
        self.objective = objective or self.objective

    def weights(self) -> dict[str, np.ndarray]:
        """Every weight of both players, by name: what the tests compare."""
        variables = self.gan.theta_D + self.gan.theta_G
        return dict(zip((v.op.name for v in variables), self.sess.run(variables)))

    def snapshot(self) -> Snapshot:
        """The current picture's data: G's fixed fakes, where G's next step pushes them, D at every point."""
        snap = take_snapshot(self.sess, self.gan, self.z_fixed, self.points, self.d_steps + self.g_steps,
                             self.last, feed=self._knobs())
        return dataclasses.replace(snap, losses=dict(self.last))

    def caption(self, sep: str = "; ") -> str:
        """What the picture names: each player's step count, then the knobs (`sep` between: a figure uses a newline)."""
        return (f"D steps {self.d_steps}, G steps {self.g_steps}{sep}lr D {self.lr_d:g}, G {self.lr_g:g}, "
                f"G {self.objective.replace('_', '-')}")

    def close(self) -> None:
        if self.sess is not None:
            self.sess.close()
            self.sess = None
