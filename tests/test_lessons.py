"""Each lesson runs as a script, top to bottom, and leaves its pictures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LESSONS = [
    ("01_wiseodd.py", ["--steps", "60", "--sample-every", "20"], ["000.png", "001.png", "002.png", "final.png"],
     ["D_W1   (784, 128)", "Iter: 40  D loss:"]),
    ("02_keras_gan.py", ["--steps", "30", "--sample-every", "10"], ["0.png", "10.png", "20.png", "29.png"],
     ["Total params: 1,493,520", "20 [D loss:"]),
    ("03_gfg.py", ["--steps", "30"], ["grid_000.png", "sample_000.png"],
     ["dis/dense_2/kernel", "(unchanged)"]),  # the lesson compares the two counts itself
    ("04_golbin.py", ["--epochs", "2", "--one-update-per-epoch", "true"], ["001.png", "002.png"],
     ["D_var_list: ['D_W1 (784, 256)'", "Epoch:  0 ___ Cost_D:"]),
    ("05_compare_losses.py", ["--steps", "8", "--seeds", "0"], ["comparison", "theory.png"],
     [" -120.0          0 |       inf       120     18.42 |       nan        -1        -0",
      "raw_log      non-finite on 0 of 1 seeds", "| raw_log_eps | 0 | none |"]),
]


@pytest.mark.parametrize("lesson, flags, files, printed", LESSONS, ids=[row[0] for row in LESSONS])
def test_lesson_runs_as_a_script(tmp_path: Path, lesson: str, flags: list[str], files: list[str],
                                 printed: list[str]) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "tutorials" / lesson), "--out", str(tmp_path),
                           "--data", "bundled", *flags], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == files
    for text in printed:
        assert text in proc.stdout


def test_every_lesson_is_tested() -> None:
    assert sorted(p.name for p in (ROOT / "tutorials").glob("*.py")) == sorted(row[0] for row in LESSONS)


def test_a_mistyped_flag_is_an_error() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "tutorials" / "01_wiseodd.py"), "--stpes", "20"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 2 and "unrecognized arguments: --stpes 20" in proc.stderr
