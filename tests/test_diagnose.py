"""tf_gan diagnose: each verdict on logs made to show it, on real runs, and from the command line."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from conftest import run_cli, small_datasets

from tf_gan.cli import main
from tf_gan.commands import classes_now
from tf_gan.data import load_raw
from tf_gan.eval import classifier as clf
from tf_gan.eval.diagnose import DIVERGED, VERDICTS, diagnose, diagnose_rows
from tf_gan.errors import TfGanError, TrainingDiverged
from tf_gan.recipes import wiseodd
from tf_gan.run import loops
from tf_gan.run.trainer import train


def rows(d_fake, d_real=0.8, every: int = 100) -> list[dict[str, float]]:
    """losses.csv rows with D(G(z)) from `d_fake` (one value per logged step) and plausible losses."""
    return [{"step": float(i * every), "D_loss": 1.0, "G_loss": -math.log(max(f, 1e-30)),
             "D_real": float(d_real), "D_fake": float(f)} for i, f in enumerate(d_fake)]


def noisy(level: float, n: int = 200, seed: int = 0) -> np.ndarray:
    return np.clip(level + np.random.default_rng(seed).normal(0, 0.03, n), 0.001, 0.999)


def only(verdicts, name: str):
    assert [v.verdict for v in verdicts] == [name], verdicts
    assert name in VERDICTS
    return verdicts[0]


def test_a_game_where_neither_player_wins_is_healthy() -> None:
    verdict = only(diagnose_rows(rows(noisy(0.25))), "healthy")
    assert "D(G(z)) 0.25" in verdict.evidence and "not measured" in verdict.evidence


def test_d_wins_names_the_step_it_began_and_what_minimax_does_then() -> None:
    fake = np.concatenate([noisy(0.3, 120), np.full(80, 1e-4)])
    verdict = only(diagnose_rows(rows(fake, d_real=0.99), objective="minimax"), "d_wins")
    assert verdict.from_step == 12_000 and "100% of the 80 logged steps" in verdict.evidence
    fake[150] = 0.3  # one batch that fooled D does not end D's win
    assert only(diagnose_rows(rows(fake, d_real=0.99), objective="minimax"), "d_wins").from_step == 12_000
    assert "minimax" in verdict.evidence and "stopped learning" in verdict.evidence
    assert "non-saturating" in only(diagnose_rows(rows(fake)), "d_wins").evidence
    short = np.concatenate([noisy(0.3, 195), np.full(5, 1e-4)])  # a dip at the very end: not yet a verdict
    only(diagnose_rows(rows(short)), "healthy")


def test_a_loss_that_stopped_being_a_number_is_named_with_its_step() -> None:
    logged = rows(noisy(0.3, 50))
    logged[30]["G_loss"] = math.inf
    verdicts = diagnose_rows(logged)
    assert verdicts[0].verdict == "non_finite" and verdicts[0].from_step == 3000
    assert "G_loss = inf" in verdicts[0].evidence
    guard = {"step": 2977, "what": ["G_loss (inf)", "G_W1"]}
    verdict = diagnose_rows(rows(noisy(0.3, 29)), diverged=guard)[0]
    assert (verdict.verdict, verdict.from_step) == ("non_finite", 2977) and "G_loss (inf), G_W1" in verdict.evidence


def test_mode_collapse_from_the_judgements_of_classes_hit() -> None:
    quality = [{"step": float(s), "classes_hit": float(c)} for s, c in [(0, 2), (1000, 9), (2000, 5), (3000, 3)]]
    verdict = only(diagnose_rows(rows(noisy(0.3)), quality), "mode_collapse")
    assert verdict.from_step == 2000 and "3 of 10" in verdict.evidence
    recovered = [*quality, {"step": 4000.0, "classes_hit": 10.0}]
    assert "10 of 10 classes" in only(diagnose_rows(rows(noisy(0.3)), recovered), "healthy").evidence


def test_oscillation_is_swings_not_noise() -> None:
    steps = np.arange(200)
    swinging = 0.35 + 0.3 * np.sign(np.sin(2 * np.pi * steps / 30))  # D(G(z)) between 0.05 and 0.65
    verdict = only(diagnose_rows(rows(swinging)), "oscillating")
    assert verdict.from_step >= 10_000 and "times over the last half" in verdict.evidence
    only(diagnose_rows(rows(noisy(0.3, seed=1) + np.linspace(0, 0.2, 200))), "healthy")  # a drift, not a swing


def test_several_verdicts_at_once_and_nothing_to_read() -> None:
    fake = np.concatenate([noisy(0.3, 150), np.full(50, 1e-5)])
    quality = [{"step": 19_900.0, "classes_hit": 1.0}]
    assert [v.verdict for v in diagnose_rows(rows(fake), quality)] == ["d_wins", "mode_collapse"]
    with pytest.raises(TfGanError, match="logged no steps"):
        diagnose_rows([])


SHORT = wiseodd.Config(steps=60, sample_every=20, batch_size=32)


def test_a_real_run_that_diverged_is_diagnosed_from_the_guards_record(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """NaN noise at iteration 27 (as the guard's own test): the run writes diverged.json, diagnose reads it."""
    real_draw, drawn = loops.Fast.draw_noise, 0

    def draw_noise(self, count: int) -> np.ndarray:
        nonlocal drawn
        z = real_draw(self, count)
        if drawn <= 27 < drawn + count:
            z[27 - drawn, 0, 0, 0] = np.nan
        drawn += count
        return z

    monkeypatch.setattr(loops.Fast, "draw_noise", draw_noise)
    with pytest.raises(TrainingDiverged):
        train(wiseodd, SHORT, small_datasets(), tmp_path / "nan", seed=0, checkpoint_every=20)
    assert json.loads((tmp_path / "nan" / DIVERGED).read_text())["step"] == 27
    verdict = diagnose(tmp_path / "nan")[0]
    assert (verdict.verdict, verdict.from_step) == ("non_finite", 27) and "D_loss (nan)" in verdict.evidence


@pytest.mark.slow
def test_a_real_minimax_run_where_d_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """wiseodd on real MNIST with the minimax loss: D soon rejects every fake, and G's gradient goes with it.

    On the real digits D(G(z)) falls to 1e-3 and below within a few hundred steps and stays
    there (README: the loss lesson, where it is near 1e-7 after 8,000 steps on every seed).
    """
    code, _ = run_cli(capsys, "train", "wiseodd", "--g-loss", "minimax", "--steps", "2000", "--log-every", "20",
                      "--data", "bundled", "--out", str(tmp_path / "minimax"))
    assert code == 0
    capsys.readouterr()
    code = main(["diagnose", str(tmp_path / "minimax"), "--json"])
    records = json.loads(capsys.readouterr().out)
    assert code == 0 and [r["verdict"] for r in records] == ["d_wins"] and "minimax" in records[0]["evidence"]
    with pytest.MonkeyPatch.context() as patch:  # --measure's judge: a weak classifier, trained in seconds
        patch.setenv(clf.CACHE_ENV, str(tmp_path / "cache"))
        clf.save(clf.train_classifier(load_raw("bundled"), clf.Schedule(epochs=0.05)), clf.cache_dir())
        step, classes = classes_now(tmp_path / "minimax", 200)
    assert step == 2000 and 1 <= classes <= 10  # the newest checkpoint is the last step's


def test_diagnose_refuses_what_is_not_a_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_cli(capsys, "diagnose", str(tmp_path / "missing"))
    assert code == 2 and err.count("\n") == 1 and "not a run directory" in err
