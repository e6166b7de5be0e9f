"""Each lesson runs as a script, top to bottom, and leaves its pictures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LESSONS = [
    ("01_wiseodd.py", ["--steps", "60", "--sample-every", "20", "--data", "bundled"],
     ["000.png", "001.png", "002.png", "final.png"], ["D_W1   (784, 128)", "Iter: 40  D loss:"]),
    ("02_keras_gan.py", ["--steps", "30", "--sample-every", "10", "--data", "bundled"],
     ["0.png", "10.png", "20.png", "29.png"], ["Total params: 1,493,520", "20 [D loss:"]),
    ("03_gfg.py", ["--steps", "30", "--data", "bundled"], ["grid_000.png", "sample_000.png"],
     ["dis/dense_2/kernel", "(unchanged)"]),  # the lesson compares the two counts itself
    ("04_golbin.py", ["--epochs", "2", "--one-update-per-epoch", "true", "--data", "bundled"], ["001.png", "002.png"],
     ["D_var_list: ['D_W1 (784, 256)'", "Epoch:  0 ___ Cost_D:"]),
    ("05_compare_losses.py", ["--steps", "8", "--seeds", "0", "--data", "bundled"], ["comparison", "theory.png"],
     [" -120.0          0 |       inf       120     18.42 |       nan        -1        -0",
      "raw_log      non-finite on 0 of 1 seeds", "| raw_log_eps | 0 | none |"]),
    # The toy lessons need no MNIST. Their exact numbers check that the seed fixes the run.
    ("06_gan_1d.py", ["--steps", "40", "--look-every", "20", "--panels", "0,20,40"],
     ["figure1.png", "frames", "line_game.gif"],
     ["G/dense/kernel   (1, 64)", "within 3 std of the data's mean:",
      "step    40  G(z): mean -0.016 std  0.274  D(2.0) 0.6135  D_loss 1.1996  G_loss 0.6775"]),
    ("07_gan_2d.py", ["--steps", "20", "--look-every", "10"],
     ["grid.png", "ring.gif", "ring_coverage.png", "ring_frames", "ring_stages.png"],
     ["G_grad: (None, 2)", "ring, minimax, lr D 0.001 G 0.0001",
      "0/8 modes hit, 0.0% of samples on a mode; per mode [0, 0, 0, 0, 0, 0, 0, 0]; D_loss 0.8177  G_loss -0.6239"]),
]


@pytest.mark.parametrize("lesson, flags, files, printed", LESSONS, ids=[row[0] for row in LESSONS])
def test_lesson_runs_as_a_script(tmp_path: Path, lesson: str, flags: list[str], files: list[str],
                                 printed: list[str]) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "tutorials" / lesson), "--out", str(tmp_path), *flags],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
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
