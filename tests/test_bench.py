"""bench/: the paired comparison of the loops over seeds, and how the time-to-quality script reads its flags."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import time_to_quality  # noqa: E402
from paired import paired, t_quantile  # noqa: E402


@pytest.mark.parametrize("df, quantile", [(1, 12.7062), (2, 4.3027), (5, 2.5706), (15, 2.1314), (31, 2.0395)])
def test_students_t_quantiles_are_the_tables(df: int, quantile: float) -> None:
    assert abs(t_quantile(0.975, df) - quantile) < 1e-3


def test_a_paired_interval_over_the_seeds_both_arms_have() -> None:
    classic = {0: 5.0, 1: 4.0, 2: 6.0, 3: 5.5, 9: 1.0}
    fast = {0: 4.8, 1: 4.1, 2: 5.6, 3: 5.5}  # seed 9 not trained yet: left out
    result = paired(classic, fast)
    d = np.array([-0.2, 0.1, -0.4, 0.0])
    assert result.seeds == [0, 1, 2, 3] and np.allclose(result.differences, d)
    assert np.isclose(result.mean, d.mean()) and np.isclose(result.sd, d.std(ddof=1))
    half = 3.1824 * d.std(ddof=1) / 2  # t(0.975, 3) = 3.1824
    assert abs(result.high - (d.mean() + half)) < 1e-3 and abs(result.low - (d.mean() - half)) < 1e-3
    assert result.b_ahead == 1 and "over 4 seeds; fast ahead on 1 of 4" in result.line("classic", "fast")
    with pytest.raises(ValueError, match="at least two seeds"):
        paired({0: 1.0}, {0: 2.0, 1: 3.0})


def test_seeds_and_arms_from_the_command_line() -> None:
    assert time_to_quality.seed_list("0-3,8") == [0, 1, 2, 3, 8]
    assert time_to_quality.arm_list("classic,fast,classic_2_threads") == ["classic", "fast", "classic_2_threads"]
    for bad in ("3-1", "x", "1,,2"):
        with pytest.raises(argparse.ArgumentTypeError, match="--seeds"):
            time_to_quality.seed_list(bad)
    for bad in ("classic", "classic,classic", "classic,xla"):
        with pytest.raises(argparse.ArgumentTypeError, match="--arms"):
            time_to_quality.arm_list(bad)


def test_a_run_is_reused_only_when_its_last_judgement_is_written(tmp_path: Path) -> None:
    (tmp_path / "quality.csv").write_text("step,classifier_score,frechet_distance,classes_hit\n0,1.0,400,2\n")
    assert not time_to_quality.finished(tmp_path, 2000)
    with open(tmp_path / "quality.csv", "a") as f:
        f.write("2000,4.5,120,9\n")
    assert time_to_quality.finished(tmp_path, 2000) and not time_to_quality.finished(tmp_path / "none", 2000)
