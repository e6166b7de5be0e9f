"""compare-losses: same seed, same table; a non-finite run is reported; a rerun keeps what is done. And the theory."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import run_cli, tiny_raw, write_idx_dir

from tf_gan.experiments import compare as cmp
from tf_gan.experiments.runner import how_far
from tf_gan.experiments import report, runner, variants
from tf_gan.errors import TfGanError
from tf_gan.recipes import wiseodd
from tf_gan.viz.theory import curves, first_infinite, plot_theory

pytestmark = pytest.mark.slow  # every test here trains, runs a lesson or a subprocess

STEPS = 8  # grids after 0, 2, 4, 6 and 8 steps


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Enough random 'digits' for wiseodd's 5,000-image validation split and a batch of 128."""
    return f"idx:{write_idx_dir(tmp_path_factory.mktemp('mnist'), tiny_raw(n_train=5300, n_test=20))}"


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory, data: str) -> tuple[Path, list[variants.Outcome]]:
    out = tmp_path_factory.mktemp("compare") / "a"
    return out, cmp.compare("wiseodd", [0], STEPS, out, data, jobs=2)


def test_one_row_per_variant_and_every_picture(compared: tuple[Path, list[variants.Outcome]]) -> None:
    out, outcomes = compared
    assert [o.variant for o in outcomes] == [v.name for v in variants.VARIANTS]
    assert {p.name for p in out.iterdir()} >= {"table.csv", "table.md", "curves.png", "grids-seed0.png",
                                               "theory.png", "runs", "outcomes"}
    table = (out / "table.md").read_text()
    assert "| raw_log | 0 |" in table
    assert "python -m tf_gan train wiseodd --loss raw_log_eps --g-loss non_saturating --seed 0 --steps 8" in table
    # the two stable-form variants have no gap; the literal ones report theirs
    gaps = {o.variant: o.max_form_gap for o in outcomes}
    assert gaps["sigmoid_ce"] is None and gaps["minimax"] is None
    assert 0 <= gaps["raw_log"] < 1e-3 and 0 < gaps["raw_log_eps"] < 1e-3


def test_same_seed_same_table_for_any_number_of_jobs(compared: tuple[Path, list[variants.Outcome]], data: str,
                                                     tmp_path: Path) -> None:
    out, outcomes = compared
    again = cmp.compare("wiseodd", [0], STEPS, tmp_path / "b", data, jobs=1, variants=["raw_log", "sigmoid_ce"])
    assert again == outcomes[:2]
    table = (tmp_path / "b" / "table.csv").read_text().splitlines()
    assert table == (out / "table.csv").read_text().splitlines()[:3]  # the header and the same two rows
    # the same start, data and noise: sigmoid_ce and raw_log compute the same function, so after a few steps
    # their numbers still agree to float32 rounding
    first, literal = outcomes[0], outcomes[1]
    assert literal.G_loss == pytest.approx(first.G_loss, rel=1e-3)


def test_each_row_is_repeated_by_its_train_command(compared: tuple[Path, list[variants.Outcome]],
                                                   tmp_path: Path) -> None:
    """In a fresh process, as a user types it: --threads must come before TensorFlow runs anything."""
    _, outcomes = compared
    row = outcomes[1]  # raw_log
    argv = [sys.executable, *row.command.split()[1:], "--out", str(tmp_path / "run")]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads((tmp_path / "run" / "config.json").read_text())["threads"] == 1
    last = variants.read_rows(tmp_path / "run")[-1]
    assert (last["step"], last["D_loss"], last["G_loss"], last["D_real"], last["D_fake"]) == \
        (row.last_step, row.D_loss, row.G_loss, row.D_real, row.D_fake)


def test_a_rerun_keeps_finished_runs(compared: tuple[Path, list[variants.Outcome]], data: str,
                                     caplog: pytest.LogCaptureFixture) -> None:
    out, outcomes = compared
    checkpoint = next((out / "runs" / "raw_log-seed0" / "checkpoints").glob("*.index"))
    before = checkpoint.stat().st_mtime_ns
    with caplog.at_level("INFO"):
        assert cmp.compare("wiseodd", [0], STEPS, out, data) == outcomes
    assert "4 of 4 runs already finished" in caplog.text
    assert checkpoint.stat().st_mtime_ns == before


def test_other_settings_are_not_overwritten_by_accident(compared: tuple[Path, list[variants.Outcome]],
                                                        data: str, tmp_path: Path) -> None:
    out, _ = compared
    with pytest.raises(TfGanError, match="holds a comparison with other settings; pass --overwrite"):
        cmp.compare("wiseodd", [0], STEPS + 1, out, data)
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(TfGanError, match="is not a loss comparison"):
        cmp.compare("wiseodd", [0], STEPS, tmp_path, data)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_a_run_that_turns_non_finite_is_reported(data: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In this process (no pool), so the planted infinity can be patched in."""
    real_step = wiseodd.train_step
    calls = []

    def step(*args):
        losses = real_step(*args)
        calls.append(1)
        return {**losses, "G_loss": float("inf")} if len(calls) == 6 else losses

    monkeypatch.setattr(wiseodd, "train_step", step)
    cmp.prepare(tmp_path, {}, overwrite=False)
    job = variants.Job("wiseodd", variants.VARIANTS[1], 0, STEPS, data)
    outcome = runner.run_job(job, tmp_path)
    assert (outcome.non_finite_step, outcome.non_finite, outcome.last_step) == (5, "G_loss (inf)", 4)
    row = report.table_rows([outcome])[0]
    assert row[:5] == ["raw_log", "0", "5", "G_loss (inf)", "4"]
    assert "non-finite on 1 of 1 seeds (at step 5)" in report.summary([outcome])
    assert runner.load_outcome(tmp_path, job) == outcome
    assert runner.load_outcome(tmp_path, dataclasses.replace(job, steps=STEPS + 1)) is None


@pytest.mark.parametrize("text, message", [("a,b", "expected whole numbers"), ("1,1", "distinct"),
                                           ("-1", "expected whole numbers"), ("3-1", "one or more"), ("", "one or more")])
def test_bad_seeds(capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, message: str) -> None:
    code, err = run_cli(capsys, "compare-losses", "--seeds", text, "--out", str(tmp_path / "c"))
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_unknown_variant(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, err = run_cli(capsys, "compare-losses", "--variants", "raw_log,wgan", "--out", str(tmp_path / "c"))
    assert code == 2 and "--variants: unknown wgan; choose from sigmoid_ce, raw_log, raw_log_eps, minimax" in err
    assert [v.name for v in variants.pick_variants(["minimax", "raw_log"])] == ["raw_log", "minimax"]  # the table's order


def test_unknown_recipe(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, err = run_cli(capsys, "compare-losses", "--recipe", "dcgan", "--out", str(tmp_path / "c"))
    assert code == 2 and "unknown recipe 'dcgan'" in err
    assert not (tmp_path / "c").exists()


# ---------------------------------------------------------------- the theory figure


def test_generator_gradients_follow_the_formulas() -> None:
    """d/dl log(1 - sigmoid(l)) = -D: vanishes as D(G(z)) -> 0. d/dl -log sigmoid(l) = -(1 - D): does not."""
    c = curves(p=np.array([0.001, 0.1, 0.5, 0.9]))
    np.testing.assert_allclose(c.minimax_grad, -c.p, rtol=1e-3)
    np.testing.assert_allclose(c.non_saturating_grad, -(1 - c.p), rtol=1e-3)


def test_where_the_literal_log_becomes_infinite_in_float32() -> None:
    c = curves()
    left = first_infinite(c.logit, c.log_sigmoid_raw, "left")
    right = first_infinite(c.logit, c.log_one_minus_raw, "right")
    assert -110 < left < -85 and 15 < right < 18
    assert np.all(np.isfinite(c.log_sigmoid_stable)) and np.all(np.isfinite(c.log_one_minus_stable))
    finite = np.isfinite(c.log_sigmoid_raw) & (c.logit > -80)  # where both exist, they agree
    np.testing.assert_allclose(c.log_sigmoid_raw[finite], c.log_sigmoid_stable[finite], rtol=1e-4, atol=1e-6)


def test_theory_figure_is_written(tmp_path: Path) -> None:
    path = plot_theory(tmp_path / "theory.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_running_run_says_how_far_it_has_got(tmp_path: Path) -> None:
    """The comparison's progress lines: a run before its first log row, and after it."""
    assert how_far(tmp_path / "runs" / "raw_log-seed4", 8000) == "starting (no step logged yet)"
    (tmp_path / "losses.csv").write_text("step,D_loss,G_loss,D_real,D_fake\n0,1.4,0.7,0.5,0.5\n3200,0.3,4.1,0.93,0.12\n")
    assert how_far(tmp_path, 8000) == "step 3,200 of 8,000: D(x) 0.93, D(G(z)) 0.12"
