"""The README's table scripts: results.sh's tables agree, and each script reads what a run writes."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import paper_seeds  # noqa: E402
import results_table  # noqa: E402


def test_every_row_results_sh_runs_its_own_way_is_a_row() -> None:
    rows = results_table.rows_of_script()
    for table in ("RUN_FLAGS", "SEEDS"):
        named = results_table.per_row(table)
        assert named and set(named) <= set(rows), f"{table} names rows results.sh does not train"
    assert all(seed.isdigit() for seed in results_table.per_row("SEEDS").values())
    assert "$" not in "".join(rows.values()) and "--set prior=normal" in rows["paper-normal-100ep"]
    for name, how in results_table.per_row("CONTINUED").items():
        source, step, _ = how.split(" ", 2)
        assert source in rows and step.isdigit() and name not in rows, name


def figures(parzen: float) -> dict:
    return {"classifier_score": 8.0, "frechet_distance": 9.0, "classes_hit": 10, "histogram": [1000] * 10,
            "parzen": {"mean_nats": parzen, "stderr_nats": 1.0}}


def test_the_table_gives_each_row_its_own_seed_and_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("paper-100ep", "paper-100ep-seed1", "wiseodd-20k", "paper-anneal-130ep"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "eval.json").write_text(json.dumps(figures(150.0)))
    results_table.main(tmp_path)
    lines = {line.split(" | ")[0].strip("| "): line for line in capsys.readouterr().out.splitlines()}
    assert "--seed 1 --threads 1 --loop fast`" in lines["paper-100ep-seed1"]
    assert "--seed 0 --threads 1 --loop fast`" in lines["paper-100ep"]
    assert "`scripts/continue_from.py paper-100ep paper-anneal-130ep --step 50000`, then `train --resume" \
        in lines["paper-anneal-130ep"]
    assert "--seed 0 --threads 1 --loop classic`" in lines["wiseodd-20k"]
    assert "150.0 ± 1.0" in lines["paper-100ep"] and "paper-lr-decay-100ep" not in lines  # only runs made


def write_run(run: Path, d_fake: float, classes: int = 10) -> None:
    run.mkdir()
    with (run / "quality.csv").open("w", newline="") as f:
        csv.writer(f).writerows([["step", "classifier_score", "frechet_distance", "classes_hit"],
                                 [0, 1.0, 400.0, 1], [5000, 5.3, 101.9, classes]])
    with (run / "losses.csv").open("w", newline="") as f:
        csv.writer(f).writerows([["step", "D_loss", "G_loss", "D_real", "D_fake"]]
                                + [[step, 0.5, 1.0, 0.6, d_fake] for step in range(0, 5000, 250)])


def test_a_seed_is_lost_when_d_rejects_every_fake(tmp_path: Path) -> None:
    write_run(tmp_path / "playing", 0.08)
    write_run(tmp_path / "lost", 2e-5)
    assert paper_seeds.row(0, tmp_path / "playing") == "| 0 | 5.30 | 101.9 | 10 | 0.08 | playing |"
    assert paper_seeds.row(1, tmp_path / "lost").endswith("| 2e-05 | lost: D rejects every fake |")
    write_run(tmp_path / "one-image", 0.005, classes=1)  # D not certain, but G draws one thing
    assert paper_seeds.row(2, tmp_path / "one-image").endswith("| 1 | 0.005 | collapsed: 1 class |")
    assert paper_seeds.seed_list("0-3") == [0, 1, 2, 3] and paper_seeds.seed_list("2,5") == [2, 5]
    for bad in ("x", "3-1", "1,-2", ""):
        with pytest.raises(argparse.ArgumentTypeError, match="seeds must look like"):
            paper_seeds.seed_list(bad)


def test_selection_reads_the_last_epochs_and_names_the_monitors_pick(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import paper_selection

    run = tmp_path / "run"
    run.mkdir()
    rows = [[0, 1.0, 400.0, 1, -50.0, 0.2, -100.0]]
    rows += [[step, 8.0, 10.0, 10, 150.0 + (step // 500) % 3, 0.2, -90.0 + (step == 45_000)]
             for step in range(40_500, 50_001, 500)]
    with (run / "quality.csv").open("w", newline="") as f:
        csv.writer(f).writerows([["step", "classifier_score", "frechet_distance", "classes_hit", "parzen_nats",
                                  "parzen_sigma", "parzen_monitor_nats"], *rows])
    paper_selection.main(run)
    out = capsys.readouterr().out
    assert "| 0 |" not in out and out.count("\n| ") == 20  # epochs 81-100, one row each
    assert "the epoch the monitor picks 90, where the full protocol gives 150.0" in out
