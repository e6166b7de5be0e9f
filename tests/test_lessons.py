"""Each lesson runs top to bottom, as the notebook teachers hand out, and leaves its pictures.

Every lesson runs once, as its notebook in a real kernel, at a short setting passed through
TF_GAN_LESSON_ARGS (running each as a script too would double the suite's slowest part).
The notebook is the script's code, cell for cell; what only a script does, parse its
command line, is checked on its own (a mistyped flag). These are the teacher's notebooks,
with the exercises' solutions in them, so every exercise check they run says pass
(tests/test_exercises.py runs the students' copies).
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from tf_gan import exercises, lesson

pytestmark = pytest.mark.slow  # every test here trains, runs a lesson or a subprocess

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = ROOT / "tutorials"
NOTEBOOKS = TUTORIALS / "notebooks"

LESSONS = [
    ("01_wiseodd.py", ["--steps", "60", "--sample-every", "20", "--data", "bundled"],
     ["000.png", "001.png", "002.png", "final.png"],
     ["D_W1   (784, 128)", "Iter: 40  D loss:", "healthy (from step 0): over the last 1 logged steps"]),
    ("02_keras_gan.py", ["--steps", "30", "--sample-every", "10", "--data", "bundled"],
     ["0.png", "10.png", "20.png", "29.png"], ["Total params: 1,493,520", "20 [D loss:"]),
    ("03_gfg.py", ["--batches-per-epoch", "15", "--steps", "20", "--data", "bundled"],  # stops in epoch 1
     ["grid_000.png", "grid_001.png", "sample_000.png", "sample_001.png"],
     ["dis/dense_2/kernel", "on epoch 1  D_loss:", "(unchanged)"]),  # the lesson compares the two op counts itself
    ("04_golbin.py", ["--batches-per-epoch", "5", "--steps", "10", "--one-update-per-epoch", "true", "--data",
                      "bundled"], ["001.png", "002.png"],
     ["D_var_list: ['D_W1 (784, 256)'", "Epoch:  0 ___ Cost_D:"]),
    ("05_compare_losses.py", ["--steps", "8", "--seeds", "0", "--data", "bundled"], ["comparison", "theory.png"],
     [" -120.0          0 |       inf       120     18.42 |       nan        -1        -0",
      "raw_log      non-finite on 0 of 1 seeds", "| raw_log_eps | 0 | none |"]),
    # The toy lessons need no MNIST. What they print after training depends on the CPU's rounding,
    # so only its shape is checked here (tests/test_toy.py checks that the seed fixes the numbers).
    ("06_gan_1d.py", ["--steps", "40", "--look-every", "20", "--panels", "0,20,40", "--hand", "2"],
     ["figure1.png", "frames", "hand_1.png", "hand_2.png", "hand_3.png", "line_game.gif"],
     ["G/dense/kernel   (1, 64)", "within 3 std of the data's mean:",
      "step    40  G(z): mean", "D(2.0)", "2. G alone, 2 steps: D steps 2, G steps 2;"]),  # every exercise's verdict is checked below
    ("07_gan_2d.py", ["--steps", "20", "--look-every", "10", "--hand", "2"],
     ["grid.png", *[f"hand_{n}.png" for n in range(1, 6)], "ring.gif", "ring_coverage.png", "ring_frames",
      "ring_stages.png"],
     ["G_grad: (None, 2)", "ring, minimax, lr D 0.001 G 0.0001",
      "/8 modes hit,", "% of samples on a mode; per mode [", "5. the same, G's objective set to minimax: D steps 26"]),
    ("08_cgan.py", ["--steps", "60", "--sample-every", "20", "--data", "bundled"],
     ["000.png", "001.png", "002.png", "asked_for_3.png", "digits_000.png", "digits_001.png", "digits_002.png",
      "digits_final.png", "final.png", "nearest.png", "one_z_ten_digits.png", "paths.png"],
     ["D_W1  (794, 128)", "G_W1  (110, 128)", "Iter: 40  D loss:",
      "median distance to the nearest training image"]),
    ("09_paper.py", ["--steps", "30", "--sample-every", "10", "--data", "bundled"],
     ["000.png", "001.png", "002.png", "start.png"],
     ["training: (50000, 784)  held out: (10000, 784)", "G: 2,503,984 weights; D: 1,231,441",
      "update 20: D loss 0.6931", "(next: lr 0.099992, momentum 0.5000)"]),
]
IDS = [row[0] for row in LESSONS]


def notebook_of(script: str) -> Path:
    return NOTEBOOKS / f"{Path(script).stem}.ipynb"


def check_run(out: Path, stdout: str, files: list[str], printed: list[str]) -> None:
    """The lesson wrote exactly its pictures and said what it should."""
    assert sorted(p.name for p in out.iterdir()) == files
    for text in printed:
        assert says(stdout, text), text


DECIMAL = re.compile(r"(-?\d+\.\d+)")


def says(stdout: str, text: str) -> bool:
    """`text` is printed in `stdout`, each decimal in it give or take 5 units of its last digit.

    The numbers a lesson prints after some training are fixed by its seed on one machine;
    another CPU rounds float32 sums differently in the last bits, and training grows that
    into a last printed digit. A different seed, or a broken lesson, moves them far more.
    """
    parts = DECIMAL.split(text)  # literal, number, literal, number, ..., literal
    pattern = "".join(DECIMAL.pattern if i % 2 else re.sub(r" +", " +", re.escape(part))
                      for i, part in enumerate(parts))
    for match in re.finditer(pattern, stdout):
        got, want = [float(g) for g in match.groups()], [float(w) for w in parts[1::2]]
        if all(abs(g - w) <= 5 * 10 ** -len(w_text.split(".")[1])
               for g, w, w_text in zip(got, want, parts[1::2])):
            return True
    return False


def run_notebook(path: Path, flags: list[str]) -> nbformat.NotebookNode:
    """Execute a notebook in a fresh kernel started in its folder, as Jupyter does; return it, outputs and all."""
    nb = nbformat.read(path, as_version=4)
    env = {**os.environ, lesson.KERNEL_ARGS: shlex.join(flags),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}  # this tf_gan
    # "immediate": the last cell has written every file, and a graceful shutdown costs seconds a notebook.
    NotebookClient(nb, timeout=300, startup_timeout=120, kernel_name="python3", shutdown_kernel="immediate",
                   resources={"metadata": {"path": str(path.parent)}}).execute(env=env)
    return nb


def printed(nb: nbformat.NotebookNode) -> str:
    return "".join(output.text for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs
                   if output.output_type == "stream" and output.name == "stdout")


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[nbformat.NotebookNode, Path]]:
    """Every lesson's notebook, run once at its short setting: (the executed notebook, its output folder).

    Once for the whole file: the checks of each lesson and the site built from all of them share the runs.
    """
    runs = {}
    for lesson_file, flags, _, _ in LESSONS:
        out = tmp_path_factory.mktemp(Path(lesson_file).stem)
        runs[lesson_file] = (run_notebook(notebook_of(lesson_file), ["--out", str(out), *flags]), out)
    return runs


@pytest.mark.parametrize("lesson_file, flags, files, printed_lines", LESSONS, ids=IDS)
def test_lesson_runs_as_a_notebook(executed: dict, lesson_file: str, flags: list[str], files: list[str],
                                   printed_lines: list[str]) -> None:
    nb, out = executed[lesson_file]
    stdout = printed(nb)
    check_run(out, stdout, files, printed_lines)
    checked = exercises.check_ids((TUTORIALS / lesson_file).read_text())
    verdicts = exercises.read_verdicts(stdout)
    failed = [str(verdicts.get(e, f"[{e}] printed no verdict")) for e in checked
              if e not in verdicts or verdicts[e].status != exercises.PASS]
    assert not failed and sorted(verdicts) == sorted(checked)


def test_the_site_shows_every_lesson_with_its_own_pictures(executed: dict, tmp_path: Path) -> None:
    """make site's build, from these runs: every page there, every local link and image resolving, and each
    lesson's page showing pictures its own run made."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import build_site

    site = tmp_path / "site"
    build_site.assemble({Path(f).stem: run for f, run in executed.items()}, site, tmp_path / "work")
    assert build_site.broken_links(site) == []
    pages = {p.parent.name for p in site.glob("*/index.html")}
    assert {page[:-3] for page in build_site.PAGES} <= pages and (site / "index.html").is_file()
    for lesson_file, (_, out) in executed.items():
        name = Path(lesson_file).stem
        html = (site / "lessons" / name / "index.html").read_text()
        shown = re.findall(rf'src="\.\./{name}-pictures/([^"]+)"', html)
        made = {p.read_bytes() for p in out.rglob("*") if p.suffix in (".png", ".gif")}
        assert shown, f"{name}'s page shows no picture"
        assert all((site / "lessons" / f"{name}-pictures" / s).read_bytes() in made for s in shown), name


@pytest.mark.parametrize("lesson_file", IDS)
def test_the_notebook_is_up_to_date(lesson_file: str) -> None:
    """The committed notebook, written back as a script, is the lesson: outputs, ids and saved metadata aside."""
    script = (TUTORIALS / lesson_file).read_text()
    notebook = notebook_of(lesson_file)
    assert notebook.exists(), f"{notebook.relative_to(ROOT)} is missing: run `make notebooks`"
    as_script = jupytext.writes(nbformat.read(notebook, as_version=4),
                                fmt={"extension": ".py", "format_name": "percent", "notebook_metadata_filter": "-all"})
    assert as_script == script, (f"{notebook.relative_to(ROOT)} is out of date with tutorials/{lesson_file}: "
                             "run `make notebooks` (edit the .py, never the notebook)")


def test_every_lesson_is_tested() -> None:
    assert sorted(p.name for p in TUTORIALS.glob("*.py")) == sorted(IDS)
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(notebook_of(name).name for name in IDS)


def test_a_mistyped_flag_is_an_error() -> None:
    proc = subprocess.run([sys.executable, str(TUTORIALS / "01_wiseodd.py"), "--stpes", "20"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 2 and "unrecognized arguments: --stpes 20" in proc.stderr


def test_every_lesson_takes_steps() -> None:
    """One knob shortens every lesson: TF_GAN_LESSON_ARGS="--steps 60" suits all the notebooks.

    Each keyword of a lesson's ``lesson.settings(...)`` call is one of its flags.
    """
    for lesson_file in IDS:
        calls = [node for node in ast.walk(ast.parse((TUTORIALS / lesson_file).read_text()))
                 if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "settings"]
        assert len(calls) == 1 and "steps" in [k.arg for k in calls[0].keywords], lesson_file


def test_a_kernel_reads_its_flags_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "ipykernel", ModuleType("ipykernel"))
    monkeypatch.setenv(lesson.KERNEL_ARGS, "--steps 60 --fast yes")
    opt = lesson.settings("a lesson", steps=5000, fast=False, out="out/x")
    assert vars(opt) == {"steps": 60, "fast": True, "out": "out/x"}
    monkeypatch.setenv(lesson.KERNEL_ARGS, "--stpes 60")
    with pytest.raises(SystemExit):
        lesson.settings("a lesson", steps=5000)
    assert "TF_GAN_LESSON_ARGS: error: unrecognized arguments: --stpes 60" in capsys.readouterr().err
