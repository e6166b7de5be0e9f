"""Each lesson's graph is its recipe's graph, so `tf_gan train RECIPE` trains what the lesson shows.

The lessons type their post's lines; the recipes hold the same game once, for the
command line. Here each lesson runs a few steps in a separate process (tests/lesson_probe.py),
and its recipe is built and trained here on the same batches and noise, drawn in the
lesson's order: the same variables (names, shapes, dtypes, order), the same initial
values and the same values after training, to the bit. Both run on this machine in
this suite, so exact equality is what to expect; a drift between lesson and recipe fails.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from tf_gan.data import as_one_hot, load_mnist
from tf_gan.graph import seeded_graph, session, tf1
from tf_gan.noise import sample_z
from tf_gan.recipes import cgan, gfg, golbin, is_conditional, keras_gan, paper, wiseodd
from tf_gan.run.trainer import recipe_graph

pytestmark = pytest.mark.slow  # every test here trains, runs a lesson or a subprocess

ROOT = Path(__file__).resolve().parents[1]
STEPS = 3
SEED = 0


@dataclass
class Lesson:
    """A lesson, the flags that make its run short, and how its loop draws batches and noise."""

    script: str
    flags: list[str]
    recipe: object
    cfg: object
    fixed_noise: int  # the lesson draws its picture noise first, from the same generator
    draw: Callable  # (mnist.train, batch size) -> a batch and its labels, as the lesson draws them
    losses: dict[str, str]  # the lesson's name of a loss it fetched last -> the recipe's metric


def next_batch(data, n):
    return data.next_batch(n)


def random_batch(data, n):
    return data.random_batch(n)


LESSONS = {
    "wiseodd": Lesson("01_wiseodd.py", ["--steps", str(STEPS), "--sample-every", "1"], wiseodd, wiseodd.Config(), 16,
                      next_batch, {"D_loss_curr": "D_loss", "G_loss_curr": "G_loss"}),
    "wiseodd-post-init": Lesson("01_wiseodd.py", ["--steps", str(STEPS), "--sample-every", "1", "--init", "post"],
                                wiseodd, wiseodd.Config(init="post"), 16, next_batch,
                                {"D_loss_curr": "D_loss", "G_loss_curr": "G_loss"}),  # Kristiadi's own weights
    "keras_gan": Lesson("02_keras_gan.py", ["--steps", str(STEPS), "--sample-every", "1"], keras_gan,
                        keras_gan.Config(), 25, random_batch, {"g_loss": "G_loss"}),
    "keras_gan-shared-adam": Lesson("02_keras_gan.py", ["--steps", str(STEPS), "--sample-every", "1",
                                                         "--keras2-shared-adam", "true"], keras_gan,
                                    keras_gan.Config(keras2_shared_adam=True), 25, random_batch,
                                    {"g_loss": "G_loss"}),  # one Adam for D and G, as Keras 2 had
    "gfg": Lesson("03_gfg.py", ["--epochs", "1", "--batches-per-epoch", str(STEPS)], gfg, gfg.Config(), 16,
                  next_batch, {"D_loss_curr": "D_loss", "G_loss_curr": "G_loss"}),
    "golbin": Lesson("04_golbin.py", ["--epochs", "1", "--batches-per-epoch", str(STEPS)], golbin, golbin.Config(),
                     10, next_batch, {}),
    # 16 noise vectors for the post's picture, then 5 for the ten-column one
    "cgan": Lesson("08_cgan.py", ["--steps", str(STEPS), "--sample-every", "1"], cgan, cgan.Config(), 16 + 5,
                   next_batch, {"D_loss_curr": "D_loss", "G_loss_curr": "G_loss"}),
    "paper": Lesson("09_paper.py", ["--steps", str(STEPS), "--sample-every", "1"], paper, paper.Config(), 16,
                    next_batch, {"D_loss_curr": "D_loss", "G_loss_curr": "G_loss"}),
}
# One line changed in a copy of a lesson, as a student would: (lesson, old text, new text).
EDITS = {
    "wiseodd-leaky": ("wiseodd", "G_h1 = tf.nn.relu(", "G_h1 = tf.nn.leaky_relu("),
    "gfg-no-smoothing": ("gfg", "tf.ones_like(D_logits_real) * 0.9", "tf.ones_like(D_logits_real) * 1.0"),
    "paper-no-input-dropout": ("paper", "h = drop(x, 0, 0.8, 1.25)", "h = drop(x, 0, 1.0, 1.0)"),
}


@pytest.fixture(scope="module")
def probed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Every lesson, and every edited copy, run in one separate process; what each left."""
    tmp = tmp_path_factory.mktemp("lessons")
    jobs = []
    for name, lesson in LESSONS.items():
        jobs.append([str(ROOT / "tutorials" / lesson.script), str(tmp / f"{name}.pkl"),
                     [*lesson.flags, "--data", "bundled", "--seed", str(SEED), "--out", str(tmp / name)]])
    for name, (base, old, new) in EDITS.items():
        source = (ROOT / "tutorials" / LESSONS[base].script).read_text()
        assert source.count(old) == 1, f"the line to edit is gone from {LESSONS[base].script}: {old}"
        copy = tmp / f"{name}.py"
        copy.write_text(source.replace(old, new))
        jobs.append([str(copy), str(tmp / f"{name}.pkl"), [*jobs[list(LESSONS).index(base)][2][:-1], str(tmp / name)]])
    (tmp / "jobs.json").write_text(json.dumps(jobs))
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "lesson_probe.py"), str(tmp / "jobs.json")],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return {Path(out).stem: pickle.loads(Path(out).read_bytes()) for _, out, _ in jobs}


def recipe_run(lesson: Lesson) -> dict:
    """The recipe's graph under the lesson's seed, trained by its train_step on the lesson's batches and noise."""
    cfg = lesson.cfg
    mnist = load_mnist("bundled", seed=SEED, validation_size=cfg.validation_size, pixel_range=cfg.pixel_range,
                       held_out=cfg.held_out)
    graph = seeded_graph(SEED)
    with graph.as_default():
        gan = recipe_graph(lesson.recipe, cfg, mnist.train)  # as the trainer builds it (paper: from its data)
        variables = tf1.global_variables()
        init = tf1.global_variables_initializer()
    rng = np.random.default_rng(SEED)
    sample_z(lesson.fixed_noise, cfg.z_dim, rng, cfg.prior)  # the lesson's picture noise, drawn first

    def sample_Z(m: int) -> np.ndarray:
        return sample_z(m, cfg.z_dim, rng, cfg.prior)

    with session(graph) as sess:
        sess.run(init)
        initial = sess.run(variables)
        for _ in range(STEPS):
            X_mb, y_mb = lesson.draw(mnist.train, cfg.batch_size)
            labels = (as_one_hot(y_mb),) if is_conditional(lesson.recipe) else ()  # cgan: its digits
            metrics = lesson.recipe.train_step(sess, gan, X_mb, sample_Z, *labels)
        return {"names": [v.op.name for v in variables], "shapes": [v.shape.as_list() for v in variables],
                "dtypes": [v.dtype.base_dtype.name for v in variables], "initial": initial,
                "trained": sess.run(variables), "metrics": metrics}


def same_values(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return len(a) == len(b) and all(x.dtype == y.dtype and np.array_equal(x, y) for x, y in zip(a, b))


@pytest.mark.parametrize("name", list(LESSONS))
def test_the_lesson_builds_and_trains_its_recipes_graph(name: str, probed: dict[str, dict]) -> None:
    lesson, shown, recipe = LESSONS[name], probed[name], recipe_run(LESSONS[name])
    assert shown["names"] == recipe["names"]
    assert shown["shapes"] == recipe["shapes"] and shown["dtypes"] == recipe["dtypes"]
    assert same_values(shown["initial"], recipe["initial"]), "initial values differ"
    assert not same_values(shown["trained"], shown["initial"])  # the lesson did train
    assert same_values(shown["trained"], recipe["trained"]), "values after training differ"
    for lesson_name, metric in lesson.losses.items():
        assert shown["numbers"][lesson_name] == recipe["metrics"][metric], lesson_name


def test_golbin_lesson_fetches_the_costs_the_recipe_minimises(probed: dict[str, dict]) -> None:
    """The post fetches cost_D and cost_G, which it maximises; the recipe's losses are minus them."""
    recipe = recipe_run(LESSONS["golbin"])["metrics"]
    assert probed["golbin"]["numbers"]["loss_val_D"] == -recipe["D_loss"]
    assert probed["golbin"]["numbers"]["loss_val_G"] == -recipe["G_loss"]


@pytest.mark.parametrize("name", list(EDITS))
def test_one_edited_line_changes_what_the_lesson_trains(name: str, probed: dict[str, dict]) -> None:
    """A student edits a copy of the lesson, not tf_gan/: the same start, another game."""
    base = probed[EDITS[name][0]]
    edited = probed[name]
    assert edited["names"] == base["names"] and same_values(edited["initial"], base["initial"])
    assert not same_values(edited["trained"], base["trained"])
